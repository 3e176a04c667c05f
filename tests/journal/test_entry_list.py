from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from journal.models import Entry, Tag
from reflect.models import ReflectionTemplate, User

pytestmark = pytest.mark.django_db


def make_entries(user: User, n: int, template: ReflectionTemplate | None = None) -> None:
    tag, _ = Tag.objects.get_or_create(owner=user, name="faith")
    entries = Entry.objects.bulk_create(
        Entry(
            owner=user,
            session_date=date(2026, 1, 1) + timedelta(days=i),
            template=template,
            client_code=f"C-{i}",
            body=f"Entry {i}",
        )
        for i in range(n)
    )
    Entry.tags.through.objects.bulk_create(
        Entry.tags.through(entry_id=e.pk, tag_id=tag.pk) for e in entries
    )


def test_query_count_is_the_same_for_1_and_200_entries(
    alice_client: Client, alice: User, builtin: None, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    template = ReflectionTemplate.objects.first()
    make_entries(alice, 1, template)
    with django_assert_num_queries(0) as one:
        pass
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        alice_client.get("/entries/")
    make_entries(alice, 199, template)
    with django_assert_num_queries(len(one.captured_queries)):
        r = alice_client.get("/entries/")
    assert len(r.context["page"].object_list) == 25


def test_newest_first_and_paginated(alice_client: Client, alice: User) -> None:
    make_entries(alice, 30)
    r = alice_client.get("/entries/")
    dates = [e.session_date for e in r.context["page"].object_list]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == date(2026, 1, 30)
    r = alice_client.get("/entries/", {"page": 2})
    assert len(r.context["page"].object_list) == 5


def test_it_lists_only_my_entries(alice_client: Client, bob: User) -> None:
    make_entries(bob, 3)
    r = alice_client.get("/entries/")
    assert list(r.context["page"].object_list) == []


def test_dashboard_shows_recent_entries_and_the_write_button(
    alice_client: Client, alice: User, builtin: None
) -> None:
    make_entries(alice, 7)
    r = alice_client.get("/")
    assert len(r.context["recent_entries"]) == 5
    assert 'href="/entries/new/?template=after-session"' in r.content.decode()
    assert "Write after a session" in r.content.decode()


def test_prompt_for_today_skips_prompts_answered_recently_and_stays_all_day(
    alice_client: Client, alice: User, builtin: None
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from journal.models import Answer
    from reflect.models import Prompt

    offered = alice_client.get("/").context["daily_prompt"]
    today = Entry.objects.create(owner=alice)
    Answer.objects.create(entry=today, prompt=offered, text="Answered it today")
    # Answering today's prompt does not swap it for another one under the clinician.
    assert alice_client.get("/").context["daily_prompt"] == offered
    last_week = Entry.objects.create(owner=alice)
    Entry.objects.filter(pk=last_week.pk).update(created_at=timezone.now() - timedelta(days=7))
    Answer.objects.create(entry=last_week, prompt=offered, text="Answered it last week")
    assert alice_client.get("/").context["daily_prompt"] != offered
    # Everything answered: the library comes round again rather than going blank.
    for prompt in Prompt.objects.exclude(pk=offered.pk):
        Answer.objects.create(entry=last_week, prompt=prompt, text="x")
    assert alice_client.get("/").context["daily_prompt"] is not None
