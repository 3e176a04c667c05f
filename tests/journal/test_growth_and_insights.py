from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from journal.models import Answer, Entry, EntryAddendum, RepairNote, RepairStatusChange
from reflect.models import Prompt, User

pytestmark = pytest.mark.django_db


def test_growth_by_prompt_shows_answers_oldest_first(
    alice_client: Client, alice: User, bob: User, builtin: None
) -> None:
    prompt = Prompt.objects.get(slug="now-what")
    later = Entry.objects.create(owner=alice, session_date=date(2026, 5, 1))
    earlier = Entry.objects.create(owner=alice, session_date=date(2025, 5, 1))
    Answer.objects.create(entry=later, prompt=prompt, text="Now I ask first.")
    Answer.objects.create(entry=earlier, prompt=prompt, text="I explain too much.")
    theirs = Entry.objects.create(owner=bob)
    Answer.objects.create(entry=theirs, prompt=prompt, text="Bob's answer")
    r = alice_client.get(f"/review/prompts/{prompt.pk}/")
    assert [a.text for a in r.context["answers"]] == ["I explain too much.", "Now I ask first."]
    assert "Bob&#x27;s answer" not in r.content.decode()
    listing = alice_client.get("/review/prompts/").context["prompts"]
    assert [(p.pk, p.n) for p in listing] == [(prompt.pk, 2)]


def test_another_clinicians_private_prompt_is_not_found(alice_client: Client, bob: User) -> None:
    private = Prompt.objects.create(owner=bob, text="Bob's own", category="growth")
    assert alice_client.get(f"/review/prompts/{private.pk}/").status_code == 404


def test_a_client_code_shows_that_relationship_in_order(
    alice_client: Client, alice: User, bob: User
) -> None:
    first = Entry.objects.create(owner=alice, client_code="C-7Q4", session_date=date(2026, 1, 1))
    repair = RepairNote.objects.create(
        owner=alice, client_code="C-7Q4", moment_date=date(2026, 2, 1)
    )
    last = Entry.objects.create(owner=alice, client_code="C-7Q4", session_date=date(2026, 3, 1))
    Entry.objects.create(owner=alice, client_code="C-9K3")
    r = alice_client.get("/review/clients/c-7q4/")
    assert [(k, o.pk) for k, o in r.context["items"]] == [
        ("entry", first.pk),
        ("repair", repair.pk),
        ("entry", last.pk),
    ]
    Entry.objects.create(owner=bob, client_code="C-5B5")
    assert alice_client.get("/review/clients/C-5B5/").status_code == 404


def test_insights_are_counts(alice_client: Client, alice: User, builtin: None) -> None:
    today = timezone.localdate()
    Entry.objects.create(
        owner=alice,
        session_date=today,
        cultural_moment="yes",
        my_response="explored",
        addressing_domains=["religion", "gender"],
    )
    Entry.objects.create(
        owner=alice,
        session_date=today,
        cultural_moment="yes",
        my_response="missed",
        addressing_domains=["religion"],
    )
    Entry.objects.create(owner=alice, session_date=today - timedelta(days=400))
    repair = RepairNote.objects.create(
        owner=alice,
        misstep_kind="language",
        status="repaired",
        moment_date=today - timedelta(days=6),
    )
    RepairStatusChange.objects.create(repair=repair, old_status="open", new_status="repaired")
    RepairNote.objects.create(owner=alice, misstep_kind="language")
    r = alice_client.get("/insights/")
    ctx = r.context
    assert ctx["total_entries"] == 3
    assert ctx["per_month"].bars[-1].value == 2  # the 400-day-old one is outside the year
    assert ctx["noticed"].bars[-1].value == 2
    responses = {b.label: b.value for b in ctx["responses"].bars}
    assert (responses["Explored it"], responses["Missed it"], responses["Moved on"]) == (1, 1, 0)
    domains = {b.label: b.value for b in ctx["domains"].bars}
    assert domains["Religion and spiritual orientation"] == 2
    assert domains["Gender"] == 1
    kinds = {b.label: b.value for b in ctx["repair_kinds"].bars}
    assert kinds["Language"] == 2
    assert ctx["days_to_repair"] == {"count": 1, "median": 6, "shortest": 6, "longest": 6}
    html = r.content.decode()
    assert "<svg" in html and "<table" in html
    assert "score" not in html.lower().replace("no scores", "")


def test_insights_query_count_is_constant(alice_client: Client, alice: User) -> None:
    Entry.objects.create(owner=alice)
    with CaptureQueriesContext(connection) as few:
        alice_client.get("/insights/")
    Entry.objects.bulk_create(
        Entry(
            owner=alice,
            session_date=date(2026, 1, 1) + timedelta(days=i),
            cultural_moment="yes",
            addressing_domains=["age"],
        )
        for i in range(100)
    )
    with CaptureQueriesContext(connection) as many:
        alice_client.get("/insights/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_old_entry_resurfaces_with_room_for_a_follow_up(
    alice_client: Client, alice: User
) -> None:
    today = timezone.localdate()
    Entry.objects.create(owner=alice, session_date=today - timedelta(days=10))
    old = Entry.objects.create(
        owner=alice, session_date=today - timedelta(days=31), body="What I wrote a month ago."
    )
    r = alice_client.get("/")
    assert r.context["resurfaced"] == old
    assert "Add a follow-up reflection" in r.content.decode()

    r = alice_client.post(f"/entries/{old.pk}/addenda/", {"text": "I see it differently now."})
    assert r.status_code == 302
    addendum = EntryAddendum.objects.get()
    assert (addendum.entry, addendum.text) == (old, "I see it differently now.")
    assert "I see it differently now." in alice_client.get(f"/entries/{old.pk}/").content.decode()
    old.refresh_from_db()
    assert old.body == "What I wrote a month ago."  # the entry itself is unchanged


def test_an_empty_follow_up_is_explained(alice_client: Client, alices_entry: Entry) -> None:
    r = alice_client.post(f"/entries/{alices_entry.pk}/addenda/", {"text": ""})
    assert r.status_code == 400
    assert "Write a few words" in r.content.decode()


def test_follow_ups_on_another_clinicians_entry_are_not_found(
    bob_client: Client, alices_entry: Entry
) -> None:
    assert bob_client.post(f"/entries/{alices_entry.pk}/addenda/", {"text": "x"}).status_code == 404
    assert not EntryAddendum.objects.exists()


@pytest.mark.parametrize(
    "path", ["/review/", "/search/", "/insights/", "/review/prompts/", "/review/clients/"]
)
def test_review_pages_need_login(client: Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_most_and_least_answered_prompts_with_ties(
    alice_client: Client, alice: User, builtin: None
) -> None:
    prompts = list(Prompt.objects.builtin().order_by("pk")[:12])
    entry = Entry.objects.create(owner=alice)
    for i, prompt in enumerate(prompts):
        # Twelve prompts answered once each, except the first, answered by three entries.
        for e in [
            entry,
            *([Entry.objects.create(owner=alice) for _ in range(2)] if i == 0 else []),
        ]:
            Answer.objects.create(entry=e, prompt=prompt, text="x")
    ctx = alice_client.get("/insights/").context
    top = ctx["most_answered"].bars[0]
    assert (top.label, top.value) == (prompts[0].text, 3)
    assert [b.value for b in ctx["least_answered"].bars] == [1, 1, 1, 1, 1]
    assert ctx["least_answered"].bars[0].label == prompts[1].text


def test_answers_in_the_trash_are_not_counted(
    alice_client: Client, alice: User, bob: User, builtin: None
) -> None:
    prompt = Prompt.objects.get(slug="now-what")
    kept, trashed = (Entry.objects.create(owner=alice) for _ in range(2))
    for entry in (kept, trashed):
        Answer.objects.create(entry=entry, prompt=prompt, text="An answer.")
    Answer.objects.create(entry=Entry.objects.create(owner=bob), prompt=prompt, text="Bob's.")
    trashed.deleted_at = timezone.now()
    trashed.save(update_fields=["deleted_at"])
    listing = alice_client.get("/review/prompts/").context["prompts"]
    assert [(p.pk, p.n) for p in listing] == [(prompt.pk, 1)]
    r = alice_client.get(f"/review/prompts/{prompt.pk}/")
    assert r.context["page"].paginator.count == 1
    assert [a.entry for a in r.context["answers"]] == [kept]
    most = alice_client.get("/insights/").context["most_answered"].bars
    assert [(b.label, b.value) for b in most] == [(prompt.text, 1)]


def test_one_prompts_count_follows_the_chosen_period(
    alice_client: Client, alice: User, builtin: None
) -> None:
    prompt = Prompt.objects.get(slug="now-what")
    for day in (date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5)):
        entry = Entry.objects.create(owner=alice, session_date=day)
        Answer.objects.create(entry=entry, prompt=prompt, text=f"On {day}")
    r = alice_client.get(
        f"/review/prompts/{prompt.pk}/", {"date_from": "2026-02-01", "date_to": "2026-03-31"}
    )
    assert r.context["page"].paginator.count == 2
    assert "2 answers in this period" in r.content.decode()


def test_insights_leave_out_the_trash_and_count_months_as_they_fall(
    alice_client: Client, alice: User
) -> None:
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    Entry.objects.create(owner=alice, session_date=first_of_month, cultural_moment="yes",
                         my_response="explored", addressing_domains=["age"])  # fmt: skip
    # The last day of the month before: the month before's bar; next month's: no bar.
    Entry.objects.create(owner=alice, session_date=first_of_month - timedelta(days=1))
    Entry.objects.create(owner=alice, session_date=first_of_month + timedelta(days=31))
    Entry.objects.create(
        owner=alice, session_date=today, cultural_moment="yes", my_response="missed",
        addressing_domains=["age", "gender"], deleted_at=timezone.now(),
    )  # fmt: skip
    ctx = alice_client.get("/insights/").context
    assert ctx["total_entries"] == 3
    assert [b.value for b in ctx["per_month"].bars[-2:]] == [1, 1]
    assert ctx["noticed"].bars[-1].value == 1
    responses = {b.label: b.value for b in ctx["responses"].bars}
    assert (responses["Explored it"], responses["Missed it"]) == (1, 0)
    domains = {b.label: b.value for b in ctx["domains"].bars}
    assert (domains["Age and generational influences"], domains["Gender"]) == (1, 0)


def test_growth_by_prompt_keeps_its_query_count(
    alice_client: Client, alice: User, builtin: None
) -> None:
    prompt = Prompt.objects.get(slug="now-what")

    def add(n: int) -> None:
        for i in range(n):
            entry = Entry.objects.create(owner=alice, session_date=date(2026, 1, 1))
            Answer.objects.create(entry=entry, prompt=prompt, text=f"Answer {i}")

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert alice_client.get(f"/review/prompts/{prompt.pk}/").status_code == 200
    add(40)
    with CaptureQueriesContext(connection) as many:
        assert alice_client.get(f"/review/prompts/{prompt.pk}/").status_code == 200
    assert len(many) == len(one), [q["sql"] for q in many]
