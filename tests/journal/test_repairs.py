from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from journal.models import Entry, RepairNote, RepairRevision, RepairStatusChange
from reflect.models import User
from tests.conftest import repair_data

pytestmark = pytest.mark.django_db


def test_it_creates_a_repair_note_with_its_first_status(alice_client: Client, alice: User) -> None:
    r = alice_client.post("/repairs/new/", repair_data())
    repair = RepairNote.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/repairs/{repair.pk}/"
    assert (repair.owner, repair.status, repair.misstep_kind) == (alice, "open", "assumption")
    assert list(repair.status_changes.values_list("old_status", "new_status")) == [("", "open")]


def test_this_was_a_rupture_prefills_from_the_entry(
    alice_client: Client, alice: User, alices_entry: Entry
) -> None:
    alices_entry.session_date = date(2026, 10, 1)
    alices_entry.save()
    r = alice_client.get(f"/repairs/new/?entry={alices_entry.pk}")
    form = r.context["form"]
    assert form["moment_date"].value() == date(2026, 10, 1)
    assert form["client_code"].value() == "C-3K9"
    assert str(form["entry"].value()) == str(alices_entry.pk)

    data = repair_data(entry=alices_entry.pk, client_code="C-3K9", moment_date="2026-10-01")
    alice_client.post(f"/repairs/new/?entry={alices_entry.pk}", data)
    repair = RepairNote.objects.get()
    assert repair.entry == alices_entry
    detail = alice_client.get(f"/entries/{alices_entry.pk}/").content.decode()
    assert f"/repairs/{repair.pk}/" in detail


def test_prefill_from_another_clinicians_entry_is_not_found(
    bob_client: Client, alices_entry: Entry
) -> None:
    assert bob_client.get(f"/repairs/new/?entry={alices_entry.pk}").status_code == 404


def test_a_forged_entry_link_is_refused(bob_client: Client, alices_entry: Entry) -> None:
    r = bob_client.post("/repairs/new/", repair_data(entry=alices_entry.pk))
    assert r.status_code == 400
    assert r.context["form"].errors["entry"]
    assert not RepairNote.objects.exists()


def test_follow_ups_move_the_status_and_keep_its_history(
    alice_client: Client, alices_repair: RepairNote
) -> None:
    url = f"/repairs/{alices_repair.pk}/follow-ups/"
    today = timezone.localdate().isoformat()
    alice_client.post(
        url, {"date": today, "note": "Checked in; still tense.", "new_status": "partly"}
    )
    alice_client.post(url, {"date": today, "note": "Talked it through.", "new_status": "repaired"})
    alice_client.post(url, {"date": today, "note": "A kind word at the end.", "new_status": ""})
    alices_repair.refresh_from_db()
    assert alices_repair.status == "repaired"
    history = list(alices_repair.status_changes.values_list("old_status", "new_status"))
    assert history == [("", "open"), ("open", "partly"), ("partly", "repaired")]
    assert alices_repair.follow_ups.count() == 3
    html = alice_client.get(f"/repairs/{alices_repair.pk}/").content.decode()
    assert "Talked it through." in html
    assert "Partly repaired → Repaired" in html


def test_a_follow_up_needs_a_note_and_a_past_date(
    alice_client: Client, alices_repair: RepairNote
) -> None:
    r = alice_client.post(
        f"/repairs/{alices_repair.pk}/follow-ups/",
        {"date": "2999-01-01", "note": "", "new_status": "repaired"},
    )
    assert r.status_code == 400
    assert set(r.context["follow_up_form"].errors) == {"date", "note"}
    alices_repair.refresh_from_db()
    assert alices_repair.status == "open"


def test_editing_the_status_is_recorded_too(alice_client: Client, alice: User) -> None:
    alice_client.post("/repairs/new/", repair_data())
    repair = RepairNote.objects.get()
    data = repair_data(status="unknown", version=repair.version)
    assert alice_client.post(f"/repairs/{repair.pk}/edit/", data).status_code == 302
    assert repair.status_changes.last().new_status == "unknown"


def test_a_follow_up_makes_an_open_edit_form_conflict(
    alice_client: Client, alices_repair: RepairNote
) -> None:
    stale = repair_data(version=alices_repair.version, status="open")
    alice_client.post(
        f"/repairs/{alices_repair.pk}/follow-ups/",
        {
            "date": timezone.localdate().isoformat(),
            "note": "Repaired now.",
            "new_status": "repaired",
        },
    )
    r = alice_client.post(f"/repairs/{alices_repair.pk}/edit/", stale)
    assert r.status_code == 409
    alices_repair.refresh_from_db()
    assert alices_repair.status == "repaired"


def test_history_and_restore(alice_client: Client, alice: User) -> None:
    alice_client.post("/repairs/new/", repair_data(my_part="First account."))
    repair = RepairNote.objects.get()
    alice_client.post(
        f"/repairs/{repair.pk}/edit/",
        repair_data(my_part="Second, more honest account.", version=repair.version),
    )
    html = alice_client.get(f"/repairs/{repair.pk}/history/").content.decode()
    assert "Version 1" in html
    revision = RepairRevision.objects.get(repair=repair)
    alice_client.post(f"/repairs/{repair.pk}/history/{revision.pk}/restore/")
    repair.refresh_from_db()
    assert repair.my_part == "First account."
    assert repair.revisions.count() == 2


def test_trash_and_restore(alice_client: Client, alices_repair: RepairNote) -> None:
    alice_client.post(f"/repairs/{alices_repair.pk}/delete/")
    assert alice_client.get(f"/repairs/{alices_repair.pk}/").status_code == 404
    assert alices_repair.title in alice_client.get("/entries/trash/").content.decode()
    alice_client.post(f"/repairs/{alices_repair.pk}/restore/")
    assert alice_client.get(f"/repairs/{alices_repair.pk}/").status_code == 200


def test_autosave_creates_one_draft_repair(alice_client: Client) -> None:
    data = repair_data(my_part="Half a thought")
    r = alice_client.post("/repairs/autosave/", data)
    assert r.status_code == 200
    alice_client.post("/repairs/autosave/", {**data, "my_part": "A whole thought"})
    repair = RepairNote.objects.get()
    assert repair.my_part == "A whole thought"
    assert r.json()["edit_url"] == f"/repairs/{repair.pk}/edit/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("moment_date", "2999-01-01", "cannot be in the future"),
        ("client_code", "Maria", "looks like a name"),
        ("my_part", "x" * 20_001, "at most 20000 characters"),
        ("status", "fixed", "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_and_kept(
    alice_client: Client, field: str, value: str, message: str
) -> None:
    r = alice_client.post("/repairs/new/", repair_data(**{field: value, "learning": "Keep me"}))
    assert r.status_code == 400
    assert any(message in e for e in r.context["form"].errors[field])
    assert "Keep me" in r.content.decode()


# --- Due dates and time zones ------------------------------------------------------


def test_due_dates_follow_the_clinicians_time_zone(alice: User, bob: User) -> None:
    # 12:00 UTC on 22 November: already the 23rd in Auckland, still the 22nd in Los Angeles.
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    alice.time_zone = "Pacific/Auckland"
    bob.time_zone = "America/Los_Angeles"
    assert alice.localdate(now) == date(2026, 11, 23)
    assert bob.localdate(now) == date(2026, 11, 22)
    for user in (alice, bob):
        RepairNote.objects.create(owner=user, revisit_date=date(2026, 11, 23))
    assert RepairNote.objects.for_user(alice).due_by(alice.localdate(now)).count() == 1
    assert RepairNote.objects.for_user(bob).due_by(bob.localdate(now)).count() == 0


def test_the_dashboard_counts_repairs_due_this_week_in_my_time_zone(
    alice_client: Client, alice: User
) -> None:
    alice.time_zone = "Pacific/Kiritimati"  # UTC+14: its "today" differs from the server's
    alice.save()
    today = alice.localdate()
    RepairNote.objects.create(owner=alice, revisit_date=today - timedelta(days=3))  # overdue
    RepairNote.objects.create(owner=alice, revisit_date=today + timedelta(days=7))  # this week
    RepairNote.objects.create(owner=alice, revisit_date=today + timedelta(days=8))  # later
    RepairNote.objects.create(owner=alice, revisit_date=today, status="repaired")  # closed
    r = alice_client.get("/")
    assert r.context["repairs_due"] == 2
    assert "2 repairs due this week" in r.content.decode()


def test_the_list_puts_open_first_and_says_what_is_overdue(
    alice_client: Client, alice: User
) -> None:
    today = timezone.localdate()
    closed = RepairNote.objects.create(owner=alice, status="repaired", moment_date=today)
    later = RepairNote.objects.create(owner=alice, revisit_date=today + timedelta(days=30))
    overdue = RepairNote.objects.create(owner=alice, revisit_date=today - timedelta(days=2))
    r = alice_client.get("/repairs/")
    assert list(r.context["page"].object_list) == [overdue, later, closed]
    assert "Overdue:" in r.content.decode()


def test_filters_by_status_kind_and_due(alice_client: Client, alice: User) -> None:
    today = timezone.localdate()
    a = RepairNote.objects.create(owner=alice, misstep_kind="language", revisit_date=today)
    b = RepairNote.objects.create(owner=alice, misstep_kind="assumption", status="repaired")
    c = RepairNote.objects.create(
        owner=alice, misstep_kind="assumption", revisit_date=today + timedelta(days=60)
    )

    def ids(**params: str) -> set[int]:
        return {x.pk for x in alice_client.get("/repairs/", params).context["page"].object_list}

    assert ids(status="repaired") == {b.pk}
    assert ids(kind="assumption") == {b.pk, c.pk}
    assert ids(due="on") == {a.pk}
    assert ids(kind="assumption", status="open") == {c.pk}


def test_list_query_count_does_not_grow(
    alice_client: Client, alice: User, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    RepairNote.objects.create(owner=alice)
    with CaptureQueriesContext(connection) as one:
        alice_client.get("/repairs/")
    RepairNote.objects.bulk_create(
        RepairNote(owner=alice, revisit_date=timezone.localdate()) for _ in range(100)
    )
    with django_assert_num_queries(len(one.captured_queries)):
        alice_client.get("/repairs/")


def test_it_lists_only_my_repairs(alice_client: Client, bob: User) -> None:
    RepairNote.objects.create(owner=bob)
    assert list(alice_client.get("/repairs/").context["page"].object_list) == []


def test_status_changes_are_only_for_status_moves(alice_client: Client, alice: User) -> None:
    alice_client.post("/repairs/new/", repair_data())
    repair = RepairNote.objects.get()
    alice_client.post(f"/repairs/{repair.pk}/edit/", repair_data(learning="x", version=1))
    assert RepairStatusChange.objects.count() == 1
