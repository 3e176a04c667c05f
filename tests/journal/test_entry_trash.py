from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from journal.models import Answer, Entry, EntryRevision
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

    assert purge() == "Purged from the trash: 1 entry, 0 repair notes.\n"
    assert set(Entry.objects.values_list("pk", flat=True)) == {recent.pk, alive.pk}
    assert not Answer.objects.exists()
    assert not EntryRevision.objects.exists()
    assert purge() == "Purged from the trash: 0 entries, 0 repair notes.\n"  # idempotent
