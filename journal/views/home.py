"""``/``: the landing page, or the clinician's dashboard."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from journal import review
from journal.forms import AddendumForm
from journal.models import Answer, Commitment, Entry, RepairNote
from reflect.models import IdentityMapVersion, Prompt, ReflectionTemplate

DUE_SOON_DAYS = 7
RECENTLY_ANSWERED_DAYS = 30
# Hays suggests revisiting one's own map every few months.
IDENTITY_REVISIT_DAYS = 90


def daily_prompt(user: Any, today: date) -> Prompt | None:
    """Today's prompt for the clinician: one not answered in the past month, if any.

    Only what was written before today counts, so the prompt stays the same all day,
    even after the clinician answers it.
    """
    start = timezone.make_aware(datetime.combine(today, time.min))
    recent_prompts = Answer.objects.filter(
        entry__owner=user,
        entry__deleted_at__isnull=True,
        entry__created_at__gte=start - timedelta(days=RECENTLY_ANSWERED_DAYS),
        entry__created_at__lt=start,
    ).values_list("prompt_id", flat=True)
    return Prompt.objects.for_day(user, today, exclude=recent_prompts)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "reflect/landing.html")
    user = request.user
    today = timezone.localdate()
    latest_map = IdentityMapVersion.objects.for_user(user).only("created_at").first()
    ctx = {
        "recent_entries": Entry.objects.for_user(user).alive().select_related("template")[:5],
        "daily_prompt": daily_prompt(user, today),
        "latest_map": latest_map,
        "map_needs_revisit": latest_map is not None
        and (today - timezone.localdate(latest_map.created_at)).days > IDENTITY_REVISIT_DAYS,
        "after_session": ReflectionTemplate.objects.filter(slug="after-session").first(),
        "resurfaced": review.resurfaced(user, today),
        "addendum_form": AddendumForm(),
        "repairs_due": RepairNote.objects.for_user(user)
        .alive()
        .due_by(today + timedelta(days=DUE_SOON_DAYS))
        .count(),
        "open_commitments": Commitment.objects.for_user(user)
        .alive()
        .filter(done_at__isnull=True)
        .count(),
    }
    return render(request, "journal/dashboard.html", ctx)
