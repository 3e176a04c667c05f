"""``/repairs/…``: repair notes after cultural missteps and ruptures, with follow-through."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from journal.forms import FollowUpForm, RepairFilterForm
from journal.kinds import REPAIR
from journal.models import Entry, RepairNote
from journal.services.repairs import follow_up_add
from journal.views.lifecycle import Lifecycle, Notes
from journal.views.paging import PAGE_SIZE, query_without
from reflect.ownership import AuthedRequest, get_owned_or_404

DUE_SOON_DAYS = 7


def _new(request: AuthedRequest) -> RepairNote:
    repair = RepairNote(owner=request.user)
    if entry_id := request.GET.get("entry"):
        # "This was a rupture" on an entry: start from its date, client and link.
        entry = get_owned_or_404(Entry.objects.alive(), request.user, pk=entry_id)
        repair.entry = entry
        repair.moment_date = entry.session_date
        repair.client_code = entry.client_code
    return repair


def _due_state(repair: RepairNote, today: date, soon: date) -> str:
    """Where a repair stands: overdue, due this week, open (later or no date), or closed."""
    if not repair.is_open:
        return "closed"
    if repair.revisit_date and repair.revisit_date < today:
        return "overdue"
    if repair.revisit_date and repair.revisit_date <= soon:
        return "soon"
    return "open"


@login_required
def repair_list(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    mine = RepairNote.objects.for_user(request.user).alive()
    repairs = mine
    form = RepairFilterForm(request.GET or None)
    if form.is_valid():
        if status := form.cleaned_data["status"]:
            repairs = repairs.filter(status=status)
        if kind := form.cleaned_data["kind"]:
            repairs = repairs.filter(misstep_kind=kind)
        if form.cleaned_data["due"]:
            repairs = repairs.due_by(soon)
    page = Paginator(repairs.open_first(), PAGE_SIZE).get_page(request.GET.get("page"))
    # Overdue and due this week counted apart: an item years late is not "due this week".
    due = mine.still_open().aggregate(
        overdue=Count("pk", filter=Q(revisit_date__lt=today)),
        this_week=Count("pk", filter=Q(revisit_date__gte=today, revisit_date__lte=soon)),
    )
    ctx = {
        "page": page,
        "items": [(r, _due_state(r, today, soon)) for r in page.object_list],
        "form": form,
        "today": today,
        "soon": soon,
        "overdue": due["overdue"],
        "due_this_week": due["this_week"],
        "query": query_without(request, "page"),
    }
    return render(request, "journal/repair_list.html", ctx)


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


def _add_follow_up(repair: RepairNote, cd: dict[str, Any]) -> str:
    follow_up = follow_up_add(
        repair=repair, day=cd["date"], note=cd["note"], new_status=cd["new_status"]
    )
    moved = f" Status: {follow_up.get_new_status_display()}." if follow_up.new_status else ""
    return "Follow-up added." + moved


LIFECYCLE = Lifecycle(
    kind=REPAIR,
    form_template="journal/repair_form.html",
    list_url="journal:repair_list",
    new=_new,
    notes=Notes("follow-ups", "repair_follow_up", FollowUpForm, _add_follow_up, _detail),
)
