"""Repair notes after cultural missteps and ruptures, with follow-through."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from journal import history, privacy
from journal.editing import (
    autosave_json,
    autosave_refused,
    history_rows,
    query_without,
    resubmission,
)
from journal.forms import FollowUpForm, RepairFilterForm, RepairForm
from journal.models import Commitment, Entry, RepairNote
from journal.privacy import known_codes
from journal.services import (
    commitment_mark,
    follow_up_add,
    repair_save,
    repair_snapshot,
)
from journal.versioning import Conflict
from reflect.ownership import AuthedRequest, get_owned_or_404

PAGE_SIZE = 20
DUE_SOON_DAYS = 7


@login_required
def repair_list(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    repairs = RepairNote.objects.for_user(request.user).alive()
    form = RepairFilterForm(request.GET or None)
    if form.is_valid():
        if status := form.cleaned_data["status"]:
            repairs = repairs.filter(status=status)
        if kind := form.cleaned_data["kind"]:
            repairs = repairs.filter(misstep_kind=kind)
        if form.cleaned_data["due"]:
            repairs = repairs.due_by(today + timedelta(days=DUE_SOON_DAYS))
    page = Paginator(repairs.open_first(), PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "form": form,
        "today": today,
        "soon": today + timedelta(days=DUE_SOON_DAYS),
        "query": query_without(request, "page"),
    }
    return render(request, "journal/repair_list.html", ctx)


@login_required
def repair_create(request: AuthedRequest) -> HttpResponse:
    repair = RepairNote(owner=request.user)
    if entry_id := request.GET.get("entry"):
        # "This was a rupture" on an entry: start from its date, client and link.
        entry = get_owned_or_404(Entry.objects.alive(), request.user, pk=entry_id)
        repair.entry = entry
        repair.moment_date = entry.session_date
        repair.client_code = entry.client_code
    return _repair_form(request, repair)


@login_required
def repair_update(request: AuthedRequest, pk: int) -> HttpResponse:
    return _repair_form(request, get_owned_or_404(RepairNote.objects.alive(), request.user, pk=pk))


def _repair_form(request: HttpRequest, repair: RepairNote) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = {"entry": repair.entry_id} if repair.entry_id and not repair.pk else None
    form = RepairForm(data, instance=repair, user=request.user, initial=initial)
    to_review: list = []
    if request.method == "POST" and form.is_valid():
        codes = known_codes(request.user)
        to_review, acknowledged = privacy.gate(
            post=request.POST, form=form, obj=repair, codes=codes
        )
        if not to_review:
            try:
                result = repair_save(
                    user=request.user,
                    form=form,
                    repair=repair if repair.pk else None,
                    acknowledged=acknowledged,
                )
            except Conflict as conflict:
                return _conflict(request, conflict.obj)
            messages.success(request, "Saved.")
            return redirect("journal:repair_detail", pk=result.obj.pk)
    status = 400 if form.is_bound and not to_review else 200
    ctx = {"form": form, "repair": repair, "identifier_review": to_review}
    return render(request, "journal/repair_form.html", ctx, status=status)


def _conflict(request: HttpRequest, current: RepairNote) -> HttpResponse:
    mine = RepairNote.objects.get(pk=current.pk)
    form = RepairForm(resubmission(request, current), instance=mine, user=request.user)
    form.is_valid()
    ctx = {"form": form, "repair": current, "conflict": True, "saved": current}
    return render(request, "journal/repair_form.html", ctx, status=409)


@login_required
@require_POST
def repair_autosave(request: AuthedRequest, pk: int | None = None) -> JsonResponse:
    repair = get_owned_or_404(RepairNote.objects.alive(), request.user, pk=pk) if pk else None
    form = RepairForm(
        request.POST, instance=repair or RepairNote(owner=request.user), user=request.user
    )
    form.is_valid()
    if "edit_session" not in form.cleaned_data:
        return autosave_refused(conflict=False)
    try:
        result = repair_save(user=request.user, form=form, repair=repair, autosave=True)
    except Conflict:
        return autosave_refused(conflict=True)
    return autosave_json(
        result,
        edit_name="journal:repair_update",
        autosave_name="journal:repair_autosave",
        identifiers=privacy.notices(form, result.obj, known_codes(request.user)),
    )


@login_required
def repair_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    repair = get_owned_or_404(
        RepairNote.objects.alive().select_related("entry"), request.user, pk=pk
    )
    return _detail(request, repair, FollowUpForm())


def _detail(
    request: HttpRequest, repair: RepairNote, form: FollowUpForm, status: int = 200
) -> HttpResponse:
    ctx = {
        "repair": repair,
        "follow_ups": list(repair.follow_ups.all()),
        "status_changes": list(repair.status_changes.all()),
        "follow_up_form": form,
        "entry": repair.entry if repair.entry and not repair.entry.deleted_at else None,
    }
    return render(request, "journal/repair_detail.html", ctx, status=status)


@login_required
@require_POST
def repair_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    repair = get_owned_or_404(RepairNote.objects.alive(), request.user, pk=pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        follow_up = follow_up_add(repair=repair, form=form)
        note = "Follow-up added."
        if follow_up.new_status:
            note += f" Status: {follow_up.get_new_status_display()}."
        messages.success(request, note)
        return redirect("journal:repair_detail", pk=repair.pk)
    return _detail(request, repair, form, status=400)


@login_required
def repair_history(request: AuthedRequest, pk: int) -> HttpResponse:
    repair = get_owned_or_404(RepairNote.objects.alive(), request.user, pk=pk)
    rows = history_rows(repair, repair_snapshot, history.repair_changes)
    return render(request, "journal/repair_history.html", {"repair": repair, "rows": rows})


# --- Commitments -------------------------------------------------------------------


@login_required
def commitment_list(request: AuthedRequest) -> HttpResponse:
    base = (
        Commitment.objects.for_user(request.user)
        .exclude(entry__deleted_at__isnull=False)
        .exclude(repair__deleted_at__isnull=False)
        .select_related("entry", "repair")
    )
    ctx = {
        "open": list(base.filter(done_at__isnull=True)),
        "done": list(base.filter(done_at__isnull=False).order_by("-done_at")[:50]),
    }
    return render(request, "journal/commitment_list.html", ctx)


@login_required
@require_POST
def commitment_done(request: AuthedRequest, pk: int) -> HttpResponse:
    commitment = get_owned_or_404(Commitment, request.user, pk=pk)
    done = request.POST.get("done") == "1"
    commitment_mark(commitment=commitment, done=done)
    messages.success(request, "Marked done." if done else "Opened again.")
    return redirect("journal:commitment_list")
