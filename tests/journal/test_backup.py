from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from journal.backup import backup_stream
from journal.demo import seed_demo
from journal.models import (
    Commitment,
    Entry,
    EntryAddendum,
    EntryRevision,
    ImportJob,
    Packet,
    RepairFollowUp,
    RepairNote,
)
from reflect.models import IdentityMapVersion, Prompt, PromptPreference, User
from tests.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db


def backup_of(user: User) -> dict[str, Any]:
    return json.loads("".join(backup_stream(user)))


def strip(doc: Any) -> Any:
    """The document without what must differ between accounts: ids, times, the account."""
    if isinstance(doc, dict):
        return {
            k: strip(v)
            for k, v in doc.items()
            if k not in {"account", "exported_at"} and not k.endswith("_at")
        }
    if isinstance(doc, list):
        return [strip(v) for v in doc]
    return doc


@pytest.fixture
def varied(alice: User, builtin: None) -> User:
    seed_demo(email=alice.email, entries=40, seed=3)
    alice.set_password(PASSWORD)
    alice.save()
    entry = Entry.objects.for_user(alice).first()
    EntryAddendum.objects.create(entry=entry, text="Later, I saw it differently.")
    EntryRevision.objects.create(entry=entry, version=1, snapshot={"body": "older"})
    repair = RepairNote.objects.for_user(alice).first()
    RepairFollowUp.objects.create(repair=repair, note="Checked in.", new_status="repaired")
    Commitment.objects.create(owner=alice, repair=repair, text="Ask first.")
    own = Prompt.objects.create(owner=alice, text="My own question?", category="growth")
    PromptPreference.objects.create(owner=alice, prompt=own, pinned=True)
    IdentityMapVersion.objects.create(
        owner=alice,
        data={
            "domains": {"age": {"position": "mixed"}},
            "other_identities": "",
            "professional_culture": "",
        },
    )
    packet = Packet.objects.create(owner=alice, title="For March", focal_moments="Silence")
    packet.entries.add(entry)
    packet.repairs.add(repair)
    return alice


def test_round_trip_into_a_fresh_account(varied: User, charlie: User) -> None:
    first = backup_of(varied)
    assert first["format"] == "reflect-backup" and first["version"] == 2
    assert len(first["entries"]) == 40
    raw = json.dumps(first)
    call_command("import_user", "--email", charlie.email, _path(raw), stdout=StringIO())
    second = backup_of(charlie)
    assert strip(second) == strip(first)


def _path(raw: str) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        handle.write(raw)
    return handle.name


def import_file(client: Client, content: bytes) -> Any:
    """Upload a file on the import page; returns the response and the import's job."""
    r = client.post("/export/import/", {"file": SimpleUploadedFile("b.json", content)})
    return r, ImportJob.objects.order_by("-pk").first()


def test_importing_twice_adds_nothing_twice(varied: User, charlie: User) -> None:
    raw = "".join(backup_stream(varied)).encode()
    client = signed_in(charlie)
    r, job = import_file(client, raw)
    assert r.status_code == 302 and r["Location"] == f"/export/import/{job.pk}/"
    assert job.status == "done" and job.added["entries"] == 40 and job.total > 40
    page = client.get(r["Location"]).content.decode()
    assert "Backup restored" in page and "40 entries" in page and "2 repair notes" in page
    assert job.content is None  # the upload is not kept
    r, again = import_file(client, raw)
    assert again.status == "done"
    assert sum(again.added.values()) == 0
    assert Entry.objects.for_user(charlie).count() == 40
    assert Packet.objects.for_user(charlie).count() == 1
    assert IdentityMapVersion.objects.for_user(charlie).count() == 1
    assert Prompt.objects.filter(owner=charlie).count() == 1


def test_the_old_import_address_leads_to_the_new_one(alice_client: Client) -> None:
    r = alice_client.get("/import/")
    assert r.status_code == 301 and r["Location"] == "/export/import/"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "reflect-backup", "version": 2, "entries": [', "cut short"),
        (b'{"format": "reflect-backup", "version": 99}', "version 99"),
        (b'{"hello": "world"}', "not a Reflect backup"),
        (b"\x89PNG\r\n", "cut short"),
        (b"not json at all", "cut short"),
        (b"[" * 10_000 + b"]" * 10_000, "nested more than"),
        (b'{"a": ' * 10_000 + b"1" + b"}" * 10_000, "nested more than"),
        (
            b'{"format": "reflect-backup", "version": 2, "own_prompts": [], "entries": [{}]}',
            "entries[0].uid: must be a uid",
        ),
    ],
)
def test_a_bad_file_is_explained_and_changes_nothing(
    alice_client: Client, alice: User, content: bytes, message: str
) -> None:
    before = Entry.objects.count()
    r, job = import_file(alice_client, content)
    assert r.status_code == 302
    assert job.status == "failed"
    assert message in job.error
    page = alice_client.get(r["Location"]).content.decode()
    assert "Nothing was imported." in page
    assert Entry.objects.count() == before


def test_a_damaged_file_rolls_back_what_it_had_added(varied: User, charlie: User) -> None:
    doc = backup_of(varied)
    doc["packets"][0]["period_start"] = "not a date"  # fails after entries were added
    _, job = import_file(signed_in(charlie), json.dumps(doc).encode())
    assert job.status == "failed"
    assert job.error.startswith("packets[0].period_start: must be a date")
    assert Entry.objects.for_user(charlie).count() == 0
    assert Prompt.objects.filter(owner=charlie).count() == 0


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    settings: Any, alice_client: Client
) -> None:
    settings.IMPORT_MAX_BYTES = 1000
    r = alice_client.post("/export/import/", {"file": SimpleUploadedFile("b.json", b" " * 1001)})
    assert r.status_code == 400
    assert "the largest backup Reflect takes is 1000" in r.content.decode().replace("\xa0", " ")
    assert not ImportJob.objects.exists()


def test_the_backup_download_streams_and_is_not_cached(varied: User) -> None:
    alice_client = signed_in(varied)
    r = alice_client.post("/export/backup/")
    assert r.status_code == 200
    assert r.streaming
    assert "no-store" in r["Cache-Control"]
    assert r["Content-Disposition"].startswith('attachment; filename="reflect-backup-')
    doc = json.loads(b"".join(r.streaming_content))
    assert len(doc["entries"]) == 40
    assert alice_client.get("/export/packets/").content.decode().count("Full backup") >= 1


def test_export_user_writes_a_file(varied: User, tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    call_command("export_user", "--email", varied.email, "-o", str(out), stderr=StringIO())
    assert json.loads(out.read_text())["entries"]


def test_deleting_my_account_needs_my_password_and_removes_everything(
    varied: User, bob: User
) -> None:
    alice_client = signed_in(varied)
    Entry.objects.create(owner=bob, body="Bob's stays")
    page = alice_client.get("/accounts/delete/").content.decode()
    assert "Download a full backup" in page
    r = alice_client.post("/accounts/delete/", {"password": "wrong"})
    assert r.status_code == 200
    assert User.objects.filter(pk=varied.pk).exists()
    r = alice_client.post("/accounts/delete/", {"password": PASSWORD})
    assert r.status_code == 302
    assert not User.objects.filter(pk=varied.pk).exists()
    assert not Entry.objects.filter(owner_id=varied.pk).exists()
    assert not RepairNote.objects.filter(owner_id=varied.pk).exists()
    assert not Packet.objects.filter(owner_id=varied.pk).exists()
    assert Entry.objects.filter(owner=bob).count() == 1


def test_restore_needs_login_and_csrf(alice: User) -> None:
    assert Client().get("/export/import/").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    upload = SimpleUploadedFile("b.json", b"{}")
    assert strict.post("/export/import/", {"file": upload}).status_code == 403
    assert strict.post("/accounts/delete/", {"password": PASSWORD}).status_code == 403


def test_times_survive_the_round_trip(varied: User, charlie: User) -> None:
    raw = "".join(backup_stream(varied))
    call_command("import_user", "--email", charlie.email, _path(raw), stdout=StringIO())
    theirs = Entry.objects.for_user(varied).order_by("uid").values_list("uid", "created_at")
    mine = Entry.objects.for_user(charlie).order_by("uid").values_list("uid", "created_at")
    assert list(theirs) == list(mine)
    assert timezone.is_aware(mine[0][1])
