"""Background jobs (exports and imports), run by the worker (django-tasks' database backend).

Every job holds a lease that the worker renews as it goes. A job whose lease has run out
lost its worker (killed, out of memory, a deploy): it is taken up again once, then marked
failed with a clear message, so nothing stays "running" for ever. Any error marks the
job failed; nothing is swallowed. Logs name the job and the kind of error, never what a
clinician wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connections
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from journal import exports
from journal.backup import BackupError, backup_restore
from journal.models import ExportRecord, ImportJob, Job, JobStatus, Packet, SharePdf
from reflect.models import User

log = logging.getLogger(__name__)

# How long a worker may go without a sign of life before its job is taken from it.
LEASE_SECONDS = 60
# A job is tried this many times in all before it is marked failed.
MAX_ATTEMPTS = 2
LOST_WORKER = (
    "The worker preparing this stopped unexpectedly, twice. Nothing was changed. "
    "Press Try again, or choose fewer entries."
)


def _lease() -> Any:
    return timezone.now() + timedelta(seconds=LEASE_SECONDS)


def claim(model: type[Job], pk: int) -> bool:
    """Take the job for this worker: queued, or running with a lease that has run out."""
    now = timezone.now()
    waiting = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__lt=now)
    taken = model._default_manager.filter(waiting, pk=pk, attempts__lt=MAX_ATTEMPTS)
    return bool(
        taken.update(status=JobStatus.RUNNING, lease_until=_lease(), attempts=F("attempts") + 1)
    )


def _progress_db() -> str:
    """The connection progress is written through: another one on PostgreSQL, so the
    clinician sees it while the job's own transaction is still open."""
    return "jobs" if "jobs" in connections.databases else "default"


def renew(model: type[Job], pk: int, **fields: Any) -> None:
    """A sign of life: push the lease on, and record progress."""
    model._default_manager.using(_progress_db()).filter(pk=pk).update(
        lease_until=_lease(), **fields
    )


def finish(model: type[Job], pk: int, **fields: Any) -> None:
    model._default_manager.filter(pk=pk).update(
        lease_until=None, finished_at=timezone.now(), **fields
    )


def fail(model: type[Job], pk: int, message: str) -> None:
    finish(model, pk, status=JobStatus.FAILED, error=message[:300])


def reclaim(job: Job) -> bool:
    """Look after a job whose worker vanished: queue it once more, or fail it.

    Called by the worker between jobs and by the status pages, so a dead worker's job
    shows as retried or failed within a lease's length. Returns True when it acted.
    """
    if job.status != JobStatus.RUNNING or job.lease_until is None:
        return False
    if job.lease_until >= timezone.now():
        return False
    model = type(job)
    stale = model._default_manager.filter(
        pk=job.pk, status=JobStatus.RUNNING, lease_until__lt=timezone.now()
    )
    if job.attempts >= MAX_ATTEMPTS:
        if stale.update(status=JobStatus.FAILED, error=LOST_WORKER, lease_until=None):
            log.warning("job %s %s failed: its worker was lost twice", model.__name__, job.pk)
        return True
    if stale.update(status=JobStatus.QUEUED, lease_until=None):
        log.warning("job %s %s taken up again: its worker was lost", model.__name__, job.pk)
        RUNNERS[model].enqueue(job.pk)
    return True


def reclaim_all() -> int:
    """Every job, of every kind, whose lease has run out (the worker calls this)."""
    acted = 0
    for model in RUNNERS:
        expired = model._default_manager.filter(
            status=JobStatus.RUNNING, lease_until__lt=timezone.now()
        ).defer("content")
        acted += sum(reclaim(job) for job in expired)
    return acted


def _run(model: type[Job], pk: int, work: Callable[[Callable[..., None]], dict[str, Any]]) -> None:
    """Claim the job, do the work with a heartbeat, and record how it ended, whatever happens."""
    if not claim(model, pk):
        return
    try:
        result = work(lambda **fields: renew(model, pk, **fields))
    except (BackupError, exports.RenderError) as exc:
        log.info("job %s %s failed: %s", model.__name__, pk, type(exc).__name__)
        fail(model, pk, str(exc))
    except Exception as exc:
        log.exception("job %s %s failed: %s", model.__name__, pk, type(exc).__name__)
        fail(model, pk, f"Something went wrong while doing this ({type(exc).__name__}).")
    else:
        finish(model, pk, status=JobStatus.DONE, progress=100, **result)


# --- Exports ------------------------------------------------------------------------------


def export_start(*, packet: Packet, fmt: str) -> ExportRecord:
    """Record the export and queue it for the worker; the status page follows it."""
    items = (
        packet.entries.filter(deleted_at__isnull=True).count()
        + packet.repairs.filter(deleted_at__isnull=True).count()
    )
    record = ExportRecord.objects.create(
        owner=packet.owner,
        packet=packet,
        format=fmt,
        items=items,
        description=f"{packet.title} ({items} item{'s' if items != 1 else ''})",
    )
    # The task row is written in the same transaction as the record, so the worker
    # cannot see one without the other.
    export_packet.enqueue(record.pk)
    record.refresh_from_db()
    return record


def export_run(*, record_id: int) -> None:
    """Make the file for an export record, reporting progress as it goes."""

    def work(beat: Callable[..., None]) -> dict[str, Any]:
        record = ExportRecord.objects.select_related("packet").defer("content").get(pk=record_id)
        if record.packet is None:
            raise exports.RenderError("The packet this export was made from has been deleted.")
        beat(progress=10)
        doc = exports.build_document(record.packet)
        beat(progress=40)
        content = exports.render(doc, record.format, heartbeat=lambda: beat())
        now = timezone.now()
        return {
            "content": content,
            "content_type": exports.RENDERERS[record.format][0],
            "filename": exports.filename_for(record.packet.title, record.format, now.date()),
            "expires_at": now + timedelta(hours=settings.EXPORT_KEEP_HOURS),
        }

    _run(ExportRecord, record_id, work)


@task()
def export_packet(record_id: int) -> None:
    export_run(record_id=record_id)


def exports_purge(*, now: Any = None) -> int:
    """Drop the files of exports past their time; the record of the export stays."""
    now = now or timezone.now()
    return ExportRecord.objects.filter(expires_at__lt=now, content__isnull=False).update(
        content=None, status=JobStatus.EXPIRED
    )


# --- Imports ------------------------------------------------------------------------------


def import_start(*, user: User, upload: UploadedFile) -> ImportJob:
    """Keep the upload and queue its import; the web request does nothing more."""
    job = ImportJob.objects.create(
        owner=user, filename=(upload.name or "backup.json")[:200], content=upload.read()
    )
    import_backup.enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_run(*, job_id: int) -> None:
    def work(beat: Callable[..., None]) -> dict[str, Any]:
        job = ImportJob.objects.select_related("owner").get(pk=job_id)

        def progress(done: int, total: int) -> None:
            beat(done=done, total=total, progress=min(99, 100 * done // max(total, 1)))

        added = backup_restore(user=job.owner, raw=bytes(job.content or b""), progress=progress)
        return {"added": added, "content": None}

    _run(ImportJob, job_id, work)
    # The upload is not kept once the import has ended, however it ended.
    ImportJob.objects.filter(pk=job_id).exclude(status=JobStatus.RUNNING).update(content=None)


@task()
def import_backup(job_id: int) -> None:
    import_run(job_id=job_id)


# --- Shared packets -----------------------------------------------------------------------


def share_pdf_run(*, pdf_id: int) -> None:
    """The PDF of a share: its snapshot, the comments so far, and the sign-off once signed."""

    def work(beat: Callable[..., None]) -> dict[str, Any]:
        pdf = SharePdf.objects.select_related("share__owner").defer("content").get(pk=pdf_id)
        doc = exports.shared_document(pdf.share, pdf.share.comments.all())
        beat(progress=30)
        return {"content": exports.render_pdf(doc, heartbeat=lambda: beat())}

    _run(SharePdf, pdf_id, work)


@task()
def share_pdf(pdf_id: int) -> None:
    share_pdf_run(pdf_id=pdf_id)


RUNNERS: dict[type[Job], Any] = {
    ExportRecord: export_packet,
    ImportJob: import_backup,
    SharePdf: share_pdf,
}
