from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from journal.models import Answer, Entry, RepairNote, Tag
from reflect.models import Prompt, ReflectionTemplate, User

pytestmark = pytest.mark.django_db


def entry(user: User, day: date, **fields: object) -> Entry:
    return Entry.objects.create(owner=user, session_date=day, **fields)


def shown(client: Client, **params: object) -> list[tuple[str, int]]:
    r = client.get("/review/", params)
    assert r.status_code == 200
    return [(kind, obj.pk) for kind, obj in r.context["items"]]


def test_one_timeline_of_entries_and_repairs_newest_first(
    alice_client: Client, alice: User
) -> None:
    old = entry(alice, date(2026, 1, 5))
    repair = RepairNote.objects.create(owner=alice, moment_date=date(2026, 2, 1))
    new = entry(alice, date(2026, 3, 9))
    assert shown(alice_client) == [("entry", new.pk), ("repair", repair.pk), ("entry", old.pk)]


def test_filters_combine(alice_client: Client, alice: User, builtin: None) -> None:
    template = ReflectionTemplate.objects.get(slug="after-session")
    faith = Tag.objects.create(owner=alice, name="faith")
    hit = entry(
        alice,
        date(2026, 3, 1),
        client_code="C-7Q4",
        cultural_moment="yes",
        my_response="missed",
        template=template,
        session_kind="intake",
        addressing_domains=["religion", "age"],
        bring_to_supervision=True,
    )
    hit.tags.add(faith)
    prompt = Prompt.objects.get(slug="now-what")
    Answer.objects.create(entry=hit, prompt=prompt, text="Ask about faith.")
    entry(
        alice, date(2026, 3, 2), client_code="C-7Q4", cultural_moment="yes", my_response="explored"
    )
    entry(alice, date(2026, 3, 3), client_code="C-9K3", cultural_moment="yes", my_response="missed")
    RepairNote.objects.create(owner=alice, client_code="C-7Q4", moment_date=date(2026, 3, 1))

    assert shown(alice_client, client_code="c-7q4", my_response="missed") == [("entry", hit.pk)]
    for params in [
        {"tag": "faith"},
        {"template": "after-session"},
        {"prompt": prompt.pk},
        {"session_kind": "intake"},
        {"domain": "religion"},
        {"supervision": "on"},
        {"date_from": "2026-03-01", "date_to": "2026-03-01", "show": "entries"},
    ]:
        assert shown(alice_client, **params) == [("entry", hit.pk)], params
    # "age" must not match inside another key, and no entry has "gender".
    assert shown(alice_client, domain="gender") == []


def test_repair_status_shows_repairs_and_entry_filters_show_entries(
    alice_client: Client, alice: User
) -> None:
    e = entry(alice, date(2026, 3, 1), cultural_moment="yes")
    r = RepairNote.objects.create(owner=alice, status="partly", moment_date=date(2026, 3, 1))
    RepairNote.objects.create(owner=alice, status="repaired", moment_date=date(2026, 3, 1))
    assert shown(alice_client, repair_status="partly") == [("repair", r.pk)]
    assert shown(alice_client, cultural_moment="yes") == [("entry", e.pk)]
    assert len(shown(alice_client, show="repairs")) == 2


def test_filters_survive_pagination(alice_client: Client, alice: User) -> None:
    for i in range(30):
        entry(alice, date(2026, 1, 1) + timedelta(days=i), client_code="C-7Q4")
    entry(alice, date(2026, 6, 1), client_code="C-9K3")
    r = alice_client.get("/review/", {"client_code": "C-7Q4"})
    assert r.context["page"].paginator.count == 30
    assert 'href="?client_code=C-7Q4&amp;page=2"' in r.content.decode()
    r = alice_client.get("/review/", {"client_code": "C-7Q4", "page": 2})
    assert len(r.context["items"]) == 5


def test_a_backwards_period_is_explained(alice_client: Client) -> None:
    r = alice_client.get("/review/", {"date_from": "2026-03-01", "date_to": "2026-01-01"})
    assert "The end of the period is before its start." in r.content.decode()


def test_an_entry_filter_with_repair_notes_only_is_explained(
    alice_client: Client, alice: User
) -> None:
    Tag.objects.create(owner=alice, name="faith")
    RepairNote.objects.create(owner=alice, moment_date=date(2026, 2, 1))
    r = alice_client.get("/review/", {"show": "repairs", "tag": "faith", "session_kind": "intake"})
    page = r.content.decode()
    assert "Tag is about entries: show entries, or clear it." in page
    assert "Session kind is about entries" in page
    r = alice_client.get("/review/", {"show": "repairs", "repair_status": "open"})
    assert "is about entries" not in r.content.decode()


def test_the_calendar_counts_entries_per_day_and_labels_each_day(
    alice_client: Client, alice: User
) -> None:
    entry(alice, date(2025, 7, 4))
    entry(alice, date(2025, 7, 4))
    r = alice_client.get("/review/", {"year": 2025})
    july = r.context["months"][6]
    assert july.name == "July"
    assert 'class="day level-2"><a href="?date_from=2025-07-04' in str(july.cells)
    html = r.content.decode()
    assert 'aria-label="4 July 2025: 2 entries"' in html
    assert "?date_from=2025-07-04&amp;date_to=2025-07-04" in html
    assert "5 July 2025: no entries" in html
    assert sum(str(m.cells).count("<li") for m in r.context["months"]) == 365


def test_only_my_items(alice_client: Client, bob: User) -> None:
    entry(bob, date(2026, 1, 1))
    RepairNote.objects.create(owner=bob)
    assert shown(alice_client) == []


def test_query_count_is_constant(alice_client: Client, alice: User, builtin: None) -> None:
    template = ReflectionTemplate.objects.first()
    tag = Tag.objects.create(owner=alice, name="t")
    entry(alice, date(2026, 1, 1), template=template).tags.add(tag)
    RepairNote.objects.create(owner=alice)
    with CaptureQueriesContext(connection) as few:
        alice_client.get("/review/", {"cultural_moment": "", "page": 1})
    for i in range(60):
        entry(alice, date(2026, 1, 2) + timedelta(days=i), template=template).tags.add(tag)
        RepairNote.objects.create(owner=alice, moment_date=date(2026, 2, 1))
    with CaptureQueriesContext(connection) as many:
        alice_client.get("/review/", {"cultural_moment": "", "page": 2})
    assert len(many.captured_queries) == len(few.captured_queries)
