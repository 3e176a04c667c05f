"""Supervision packets and exports: build, preview, check for identifiers, download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from journal import exports, privacy, review
from journal.backup import BackupError, backup_restore, backup_stream
from journal.forms import ExportForm, ImportForm, PacketForm
from journal.models import ExportFormat, ExportRecord, ExportStatus, Packet
from journal.services import export_start
from reflect.ownership import AuthedRequest, get_owned_or_404

SHOWN_CANDIDATES = 300
IMPORT_MAX_BYTES = 200 * 1024 * 1024
ALL_FILTERED_CAP = 2000


def _candidates(request: HttpRequest, packet: Packet | None):  # type: ignore[no-untyped-def]
    """What the clinician can tick: the review filters' selection, plus what is already in."""
    filters = review.ReviewFilterForm(request.GET or None, user=request.user)
    entries, repairs = review.filtered(request.user, filters)
    if packet is not None and packet.pk:
        entries = entries | packet.entries.filter(deleted_at__isnull=True)
        repairs = repairs | packet.repairs.filter(deleted_at__isnull=True)
    return filters, entries.distinct(), repairs.distinct()


@login_required
def packet_create(request: AuthedRequest) -> HttpResponse:
    return _packet_form(request, Packet(owner=request.user))


@login_required
def packet_update(request: AuthedRequest, pk: int) -> HttpResponse:
    return _packet_form(request, get_owned_or_404(Packet, request.user, pk=pk))


def _packet_form(request: HttpRequest, packet: Packet) -> HttpResponse:
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
    form.fields["entries"].queryset = entries.order_by("-session_date")[:SHOWN_CANDIDATES]
    form.fields["repairs"].queryset = repairs.order_by("-moment_date")[:SHOWN_CANDIDATES]
    ctx = {
        "form": form,
        "filters": filters,
        "packet": packet,
        "query": request.GET.urlencode(),
        "total": (entries.count(), repairs.count()),
    }
    return render(request, "journal/packet_form.html", ctx, status=400 if form.errors else 200)


@login_required
def packet_list(request: AuthedRequest) -> HttpResponse:
    ctx = {
        "packets": Packet.objects.for_user(request.user),
        "records": ExportRecord.objects.for_user(request.user).defer("content")[:50],
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
    record = export_start(packet=packet, fmt=form.cleaned_data["format"])
    return redirect("journal:export_status", pk=record.pk)


@login_required
def export_status(request: AuthedRequest, pk: int) -> HttpResponse:
    record = get_owned_or_404(ExportRecord.objects.defer("content"), request.user, pk=pk)
    return render(request, "journal/export_status.html", {"record": record})


@login_required
def export_download(request: AuthedRequest, pk: int) -> HttpResponse:
    record = get_owned_or_404(ExportRecord, request.user, pk=pk)
    if not record.downloadable:
        return redirect("journal:export_status", pk=record.pk)
    response = HttpResponse(bytes(record.content), content_type=record.content_type)
    response["Content-Disposition"] = content_disposition_header(True, record.filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def backup(request: AuthedRequest) -> StreamingHttpResponse:
    """Everything the clinician owns, streamed as one JSON document."""
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
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def import_view(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error("file", "This file is larger than 200 MB. Nothing was imported.")
        else:
            try:
                added = backup_restore(user=request.user, raw=upload.read())
            except BackupError as exc:
                form.add_error("file", str(exc))
            else:
                summary = ", ".join(f"{n} {kind}" for kind, n in added.items())
                messages.success(request, f"Backup restored. Added: {summary}.")
                return redirect("journal:packet_list")
    status = 400 if form.errors else 200
    return render(request, "journal/import.html", {"form": form}, status=status)
