from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from journal.models import Entry, RepairNote
from journal.search import MAX_RESULTS
from reflect.models import User
from tests.conftest import entry_data, repair_data

pytestmark = pytest.mark.django_db


def write_entry(client: Client, **fields: object) -> Entry:
    client.post("/entries/new/?template=", entry_data(**fields))
    return Entry.objects.order_by("-pk").first()


def results(client: Client, q: str) -> list[tuple[str, int]]:
    r = client.get("/search/", {"q": q})
    assert r.status_code == 200
    return [(h.kind, h.obj.pk) for h in r.context["hits"]]


def test_it_finds_words_in_notes_tags_and_answers(alice_client: Client, builtin) -> None:  # type: ignore[no-untyped-def]
    from reflect.models import Prompt

    prompt = Prompt.objects.get(slug="what-happened")
    a = write_entry(alice_client, body="We spoke about the grandmother's garden.", tags="family")
    b = alice_client.post(
        "/entries/new/?template=after-session",
        entry_data(body="", tags="", **{f"answer_{prompt.pk}": "A pilgrimage came up."}),
    )
    assert b.status_code == 302
    b = Entry.objects.order_by("-pk").first()
    assert results(alice_client, "garden") == [("entry", a.pk)]
    assert results(alice_client, "family") == [("entry", a.pk)]
    assert results(alice_client, "pilgrimage") == [("entry", b.pk)]
    assert results(alice_client, "garden pilgrimage") == []  # every word must match


def test_it_finds_repair_notes_and_their_follow_ups(alice_client: Client) -> None:
    alice_client.post("/repairs/new/", repair_data(my_part="I assumed about holidays."))
    repair = RepairNote.objects.get()
    alice_client.post(
        f"/repairs/{repair.pk}/follow-ups/",
        {
            "date": timezone.localdate().isoformat(),
            "note": "We laughed about the misunderstanding.",
        },
    )
    assert results(alice_client, "holidays") == [("repair", repair.pk)]
    assert results(alice_client, "misunderstanding") == [("repair", repair.pk)]


def test_snippets_highlight_matches_and_stay_escaped(alice_client: Client) -> None:
    write_entry(
        alice_client, body='<script>alert(1)</script> the garden <b onclick="x">was</b> calm'
    )
    r = alice_client.get("/search/", {"q": "garden"})
    snippet = str(r.context["hits"][0].snippet)
    assert "<mark>garden</mark>" in snippet
    # Whatever the database's headline keeps of the markup, it comes out as text.
    assert "<script" not in snippet
    assert "<b" not in snippet


def test_it_searches_only_my_journal(alice_client: Client, bob_client: Client) -> None:
    write_entry(bob_client, body="The garden again.")
    mine = write_entry(alice_client, body="A garden of my own.")
    assert results(alice_client, "garden") == [("entry", mine.pk)]


def test_trashed_entries_are_not_found(alice_client: Client) -> None:
    e = write_entry(alice_client, body="A quiet garden.")
    alice_client.post(f"/entries/{e.pk}/delete/")
    assert results(alice_client, "garden") == []


def test_query_count_does_not_grow_with_results(alice_client: Client, alice: User) -> None:
    write_entry(alice_client, body="garden one")
    with CaptureQueriesContext(connection) as few:
        alice_client.get("/search/", {"q": "garden"})
    Entry.objects.bulk_create(
        Entry(owner=alice, body=f"garden {i}", search_text=f"garden {i}") for i in range(40)
    )
    with CaptureQueriesContext(connection) as many:
        r = alice_client.get("/search/", {"q": "garden"})
    assert len(r.context["hits"]) == MAX_RESULTS
    assert len(many.captured_queries) == len(few.captured_queries)


def test_search_words_never_reach_the_logs(alice_client: Client, caplog) -> None:  # type: ignore[no-untyped-def]
    write_entry(alice_client, body="An unmistakablesecret word.")
    with caplog.at_level(logging.DEBUG):
        alice_client.get("/search/", {"q": "unmistakablesecret"})
        alice_client.get("/search/", {"q": "nothing-matches-zzzqqq"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "unmistakablesecret" not in logged
    assert "zzzqqq" not in logged


def test_gunicorn_access_log_leaves_out_query_strings() -> None:
    conf: dict[str, object] = {}
    path = settings.BASE_DIR / "reflect" / "gunicorn.conf.py"
    exec(compile(path.read_text(), str(path), "exec"), conf)  # noqa: S102
    fmt = str(conf["access_log_format"])
    assert "%(U)s" in fmt
    assert "%(r)s" not in fmt
    assert "%(q)s" not in fmt


def test_an_empty_query_shows_the_form(alice_client: Client) -> None:
    r = alice_client.get("/search/")
    assert r.status_code == 200
    assert r.context["hits"] == []
