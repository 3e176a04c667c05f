"""``/export/…``: supervision packets, their exports, and the full backup and its import."""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from journal import exports, privacy, review, tasks
from journal.backup import backup_stream
from journal.forms import ExportForm, ImportForm, OwnChoices, PacketForm, field_of
from journal.models import (
    Entry,
    ExportFormat,
    ExportRecord,
    ExportStatus,
    ImportJob,
    Packet,
    RepairNote,
)
from reflect import activity
from reflect.ownership import AuthedRequest, get_owned_or_404

# The newest this many of each kind are listed to tick; filters or "include everything"
# reach the rest (a list of hundreds is slow to draw and to read).
SHOWN_CANDIDATES = 60
ALL_FILTERED_CAP = 2000


def _candidates(request: AuthedRequest, packet: Packet) -> tuple[Any, Any, Any]:
    """What the clinician can tick: the review filters' selection, plus what is already in."""
    filters = review.ReviewFilterForm(request.GET or None, user=request.user)
    entries, repairs = review.filtered(request.user, filters)
    if packet.pk:
        # Both sides as id sets, so the union never mixes distinct and plain querysets.
        entries = (
            Entry.objects.for_user(request.user)
            .alive()
            .filter(Q(pk__in=entries.values("pk")) | Q(pk__in=packet.entries.values("pk")))
        )
        repairs = (
            RepairNote.objects.for_user(request.user)
            .alive()
            .filter(Q(pk__in=repairs.values("pk")) | Q(pk__in=packet.repairs.values("pk")))
        )
    return filters, entries, repairs


@login_required
def packet_create(request: AuthedRequest) -> HttpResponse:
    return _packet_form(request, Packet(owner=request.user))


@login_required
def packet_update(request: AuthedRequest, pk: int) -> HttpResponse:
    return _packet_form(request, get_owned_or_404(Packet, request.user, pk=pk))


def _packet_form(request: AuthedRequest, packet: Packet) -> HttpResponse:
    filters, entries, repairs = _candidates(request, packet)
    data = request.POST if request.method == "POST" else None
    form = PacketForm(data, instance=packet, entries=entries, repairs=repairs)
    if request.method == "POST" and form.is_valid():
        packet = form.save()
        if form.cleaned_data["all_filtered"]:
            packet.entries.add(*entries.order_by("-session_date")[:ALL_FILTERED_CAP])
            packet.repairs.add(*repairs.order_by("-moment_date")[:ALL_FILTERED_CAP])
        messages.success(request, "Packet saved. Check the preview before anything leaves.")
        return redirect("journal:packet_preview", pk=packet.pk)
    # Large selections are offered through "include everything" rather than a long list.
    # Each is shown with the first line of what it says: its answers come in one query,
    # and their prompts (a few dozen, shared by hundreds of answers) in another.
    shown_entries = (
        entries.select_related("template")
        .prefetch_related("answers__prompt")
        .order_by("-session_date")[:SHOWN_CANDIDATES]
    )
    shown_repairs = repairs.order_by("-moment_date")[:SHOWN_CANDIDATES]
    field_of(form, "entries", OwnChoices).queryset = shown_entries
    field_of(form, "repairs", OwnChoices).queryset = shown_repairs
    ctx = {
        "form": form,
        "filters": filters,
        "packet": packet,
        "query": request.GET.urlencode(),
        "total": (entries.count(), repairs.count()),
        "shown": SHOWN_CANDIDATES,
    }
    return render(request, "journal/packet_form.html", ctx, status=400 if form.errors else 200)


@login_required
def packet_list(request: AuthedRequest) -> HttpResponse:
    ctx = {
        "packets": Packet.objects.for_user(request.user),
        "records": ExportRecord.objects.for_user(request.user).defer("content")[:50],
        "imports": ImportJob.objects.for_user(request.user).defer("content")[:10],
    }
    return render(request, "journal/packet_list.html", ctx)


@login_required
def packet_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    packet = get_owned_or_404(Packet, request.user, pk=pk)
    doc = exports.build_document(packet)
    codes = privacy.known_codes(request.user)
    findings = [
        (where, fix_url, field)
        for where, fix_url, label, text in doc.texts()
        for field in privacy.review([(label, text)], codes=codes)
    ]
    ctx = {"packet": packet, "doc": doc, "findings": findings, "export_form": ExportForm()}
    return render(request, "journal/packet_preview.html", ctx)


@login_required
def packet_print(request: AuthedRequest, pk: int) -> HttpResponse:
    """The print-friendly page: the same document, linked to the print stylesheet."""
    packet = get_owned_or_404(Packet, request.user, pk=pk)
    return HttpResponse(exports.render_html(exports.build_document(packet)))


@login_required
@require_POST
def packet_export(request: AuthedRequest, pk: int) -> HttpResponse:
    packet = get_owned_or_404(Packet, request.user, pk=pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a format.")
        return redirect("journal:packet_preview", pk=packet.pk)
    record = tasks.export_start(packet=packet, fmt=form.cleaned_data["format"])
    activity.record(request.user, "export", request=request)
    return redirect("journal:export_status", pk=record.pk)


@login_required
def export_status(request: AuthedRequest, pk: int) -> HttpResponse:
    record = get_owned_or_404(ExportRecord.objects.defer("content"), request.user, pk=pk)
    if tasks.reclaim(record):  # its worker died: show it retried or failed, never stuck
        record.refresh_from_db()
    return render(request, "journal/export_status.html", {"record": record})


@login_required
@require_POST
def export_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    record = get_owned_or_404(ExportRecord.objects.defer("content"), request.user, pk=pk)
    if record.packet is None or record.status != ExportStatus.FAILED:
        return redirect("journal:export_status", pk=record.pk)
    again = tasks.export_start(packet=record.packet, fmt=record.format)
    return redirect("journal:export_status", pk=again.pk)


def _attachment(filename: str) -> str:
    """A Content-Disposition that downloads the file under a safely quoted ``filename``."""
    header = content_disposition_header(True, filename)
    assert header is not None  # only None for an inline file without a name
    return header


@login_required
def export_download(request: AuthedRequest, pk: int) -> HttpResponse:
    record = get_owned_or_404(ExportRecord, request.user, pk=pk)
    if not record.downloadable:
        return redirect("journal:export_status", pk=record.pk)
    assert record.content is not None  # downloadable says so
    response = HttpResponse(bytes(record.content), content_type=record.content_type)
    response["Content-Disposition"] = _attachment(record.filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@reauthentication_required
def backup(request: AuthedRequest) -> StreamingHttpResponse:
    """Everything the clinician owns, streamed as one JSON document."""
    activity.record(request.user, "backup", request=request)
    ExportRecord.objects.create(
        owner=request.user,
        format=ExportFormat.BACKUP,
        description="Full backup",
        status=ExportStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    )
    response = StreamingHttpResponse(
        backup_stream(request.user), content_type="application/json; charset=utf-8"
    )
    name = f"reflect-backup-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = _attachment(name)
    response["Cache-Control"] = "no-store"
    return response


def import_limit() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 64 * 1024 * 1024))


@login_required
@reauthentication_required
def import_view(request: AuthedRequest) -> HttpResponse:
    """Store the upload and start the import on the worker; the status page follows it."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > import_limit():
            form.add_error(
                "file",
                f"This file is {filesizeformat(upload.size)}; the largest backup Reflect takes "
                f"is {filesizeformat(import_limit())}. Nothing was imported.",
            )
        else:
            job = tasks.import_start(user=request.user, upload=upload)
            activity.record(request.user, "import", request=request)
            return redirect("journal:import_status", pk=job.pk)
    status = 400 if form.errors else 200
    ctx = {"form": form, "limit": import_limit()}
    return render(request, "journal/import.html", ctx, status=status)


@login_required
def import_status(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_owned_or_404(ImportJob.objects.defer("content"), request.user, pk=pk)
    if tasks.reclaim(job):
        job.refresh_from_db()
    return render(request, "journal/import_status.html", {"job": job})
