"""Background jobs always end: a lost worker, a render that raises or hangs, a retry."""

from __future__ import annotations

import logging
import multiprocessing
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from journal import exports, tasks
from journal.models import Entry, ExportRecord, ImportJob, Packet
from reflect.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def packet(alice: User) -> Packet:
    packet = Packet.objects.create(owner=alice, title="Tuesday")
    packet.entries.add(Entry.objects.create(owner=alice, body="Something I noticed"))
    return packet


def abandoned(packet: Packet, attempts: int) -> ExportRecord:
    """An export whose worker died mid-way: running, its lease run out."""
    return ExportRecord.objects.create(
        owner=packet.owner, packet=packet, format="md", description="x", status="running",
        progress=40, attempts=attempts, lease_until=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip


def test_a_job_whose_worker_vanished_is_taken_up_again(
    alice_client: Client, packet: Packet
) -> None:
    record = abandoned(packet, attempts=1)
    page = alice_client.get(f"/export/files/{record.pk}/").content.decode()
    record.refresh_from_db()
    # The test settings run a queued task at once, as a live worker would pick it up.
    assert record.status == "done" and record.attempts == 2
    assert "Ready." in page


def test_a_job_that_lost_its_worker_twice_fails_with_a_way_to_try_again(
    alice_client: Client, packet: Packet
) -> None:
    record = abandoned(packet, attempts=2)
    page = alice_client.get(f"/export/files/{record.pk}/").content.decode()
    record.refresh_from_db()
    assert record.status == "failed" and record.error == tasks.LOST_WORKER
    assert "stopped unexpectedly" in page and "Try again" in page
    r = alice_client.post(f"/export/files/{record.pk}/retry/")
    again = ExportRecord.objects.latest("pk")
    assert again.pk != record.pk and r["Location"] == f"/export/files/{again.pk}/"
    assert again.status == "done"


def test_a_job_with_a_live_lease_is_left_alone(alice_client: Client, packet: Packet) -> None:
    record = abandoned(packet, attempts=1)
    ExportRecord.objects.filter(pk=record.pk).update(
        lease_until=timezone.now() + timedelta(seconds=30)
    )
    record.refresh_from_db()
    assert tasks.reclaim(record) is False
    assert not tasks.claim(ExportRecord, record.pk)  # another worker holds it
    alice_client.get(f"/export/files/{record.pk}/")
    record.refresh_from_db()
    assert record.status == "running"


def test_the_worker_reclaims_every_kind_of_job(alice: User, packet: Packet) -> None:
    record = abandoned(packet, attempts=2)
    job = ImportJob.objects.create(
        owner=alice, status="running", attempts=2, lease_until=timezone.now() - timedelta(1)
    )
    assert tasks.reclaim_all() == 2
    record.refresh_from_db()
    job.refresh_from_db()
    assert record.status == job.status == "failed"


def test_a_render_that_raises_marks_the_job_failed_and_logs_no_text(
    monkeypatch: Any, packet: Packet, caplog: Any
) -> None:
    def broken(doc: Any, fmt: str, heartbeat: Any = None) -> bytes:
        raise KeyError("Something I noticed")

    monkeypatch.setattr(exports, "render", broken)
    with caplog.at_level(logging.INFO):
        record = tasks.export_start(packet=packet, fmt="md")
    assert record.status == "failed"
    assert record.error == "Something went wrong while doing this (KeyError)."
    assert record.lease_until is None and record.finished_at is not None
    assert "KeyError" in caplog.text
    assert "Something I noticed" not in "".join(r.getMessage() for r in caplog.records)


def test_a_render_that_takes_too_long_marks_the_job_failed(
    monkeypatch: Any, packet: Packet
) -> None:
    monkeypatch.setattr(exports, "PDF_SECONDS", 0)
    record = tasks.export_start(packet=packet, fmt="pdf")
    assert record.status == "failed"
    assert "took too long" in record.error


def test_a_stopped_pdf_leaves_no_child_process(packet: Packet) -> None:
    with pytest.raises(exports.RenderError):
        exports.render_pdf(exports.build_document(packet), seconds=0)
    assert multiprocessing.active_children() == []


def test_the_pdf_renderer_beats_while_it_works(packet: Packet, monkeypatch: Any) -> None:
    beats: list[int] = []
    monkeypatch.setattr(exports, "HEARTBEAT_SECONDS", 0.01)
    pdf = exports.render_pdf(exports.build_document(packet), heartbeat=lambda: beats.append(1))
    assert pdf.startswith(b"%PDF")
    assert beats  # the lease was renewed while the child rendered


def test_a_finished_job_is_not_run_twice(packet: Packet) -> None:
    record = tasks.export_start(packet=packet, fmt="md")
    assert record.status == "done"
    assert not tasks.claim(ExportRecord, record.pk)
    tasks.export_run(record_id=record.pk)
    record.refresh_from_db()
    assert record.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_takes_up_a_dead_workers_job(settings: Any, packet: Packet) -> None:
    from io import StringIO

    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    record = abandoned(packet, attempts=1)
    call_command(
        "run_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO()
    )
    record.refresh_from_db()
    assert record.status == "done" and record.attempts == 2
