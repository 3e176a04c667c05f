from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal.models import Answer, Entry, EntryRevision, Packet, SupervisionSession
from reflect.models import Prompt, User

pytestmark = pytest.mark.django_db


def test_delete_moves_to_trash_and_restore_brings_back(
    alice_client: Client, alices_entry: Entry
) -> None:
    r = alice_client.post(f"/entries/{alices_entry.pk}/delete/")
    assert r.status_code == 302
    assert alice_client.get(f"/entries/{alices_entry.pk}/").status_code == 404
    assert alices_entry.title in alice_client.get("/entries/trash/").content.decode()
    assert alices_entry.title not in alice_client.get("/entries/").content.decode()

    r = alice_client.post(f"/entries/{alices_entry.pk}/restore/")
    assert r.status_code == 302
    assert alice_client.get(f"/entries/{alices_entry.pk}/").status_code == 200


def purge(days: int = 30) -> str:
    out = StringIO()
    call_command("purge_trash", "--days", str(days), stdout=out)
    return out.getvalue()


def test_purge_removes_only_what_has_been_in_trash_long_enough(alice: User, builtin) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    old = Entry.objects.create(owner=alice, body="old", deleted_at=now - timedelta(days=31))
    Answer.objects.create(entry=old, prompt=Prompt.objects.first(), text="gone too")
    EntryRevision.objects.create(entry=old, version=1, snapshot={})
    recent = Entry.objects.create(owner=alice, body="recent", deleted_at=now - timedelta(days=29))
    alive = Entry.objects.create(owner=alice, body="alive")

    assert purge() == "Purged from the trash: 1 entry, 0 repair notes, 0 supervision sessions.\n"
    assert set(Entry.objects.values_list("pk", flat=True)) == {recent.pk, alive.pk}
    assert not Answer.objects.exists()
    assert not EntryRevision.objects.exists()
    # Idempotent.
    assert purge() == "Purged from the trash: 0 entries, 0 repair notes, 0 supervision sessions.\n"


def test_purge_removes_supervision_sessions_by_the_same_rule(alice: User, bob: User) -> None:
    now = timezone.now()
    packet = Packet.objects.create(owner=alice, title="Discussed")

    def session(owner: User, days_in_trash: int | None) -> SupervisionSession:
        deleted_at = None if days_in_trash is None else now - timedelta(days=days_in_trash)
        made = SupervisionSession.objects.create(
            owner=owner, date=date(2026, 3, 3), minutes=60, deleted_at=deleted_at
        )
        made.packets.add(packet)
        return made

    old, bobs_old = session(alice, 31), session(bob, 40)
    recent, alive = session(alice, 29), session(alice, None)

    assert purge() == "Purged from the trash: 0 entries, 0 repair notes, 2 supervision sessions.\n"
    assert set(SupervisionSession.objects.values_list("pk", flat=True)) == {recent.pk, alive.pk}
    assert not SupervisionSession.objects.filter(pk__in=[old.pk, bobs_old.pk]).exists()
    assert Packet.objects.filter(pk=packet.pk).exists()  # the packet discussed stays
    assert set(packet.supervision_sessions.values_list("pk", flat=True)) == {recent.pk, alive.pk}
    assert purge(days=0).endswith(" 1 supervision session.\n")  # only what is in the trash
    assert list(SupervisionSession.objects.values_list("pk", flat=True)) == [alive.pk]


def test_the_hours_trash_says_how_long_sessions_are_kept(alice_client: Client) -> None:
    page = alice_client.get(reverse("journal:hours")).content.decode()
    assert "Deleted sessions stay here for 30 days before they are removed for good." in page
