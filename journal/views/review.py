"""``/review/…``: the timeline, growth by prompt and by client."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from journal import review
from journal.models import Answer, Entry, RepairNote
from journal.views.paging import PAGE_SIZE, query_without
from reflect.models import Prompt
from reflect.ownership import AuthedRequest

# The calendar shows a year people can have written in.
FIRST_YEAR = 1900


@login_required
def review_timeline(request: AuthedRequest) -> HttpResponse:
    form = review.ReviewFilterForm(request.GET or None, user=request.user)
    entries, repairs = review.filtered(request.user, form)
    page = Paginator(review.timeline(entries, repairs), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not FIRST_YEAR <= year <= today.year + 1:
        year = today.year
    ctx = {
        "form": form,
        "page": page,
        "items": review.load_page(list(page.object_list)),
        "query": query_without(request, "page", "year"),
        "year": year,
        "months": review.year_calendar(entries, year),
    }
    return render(request, "journal/review.html", ctx)


@login_required
def growth_prompts(request: AuthedRequest) -> HttpResponse:
    prompts = (
        Prompt.objects.filter(
            answers__entry__owner=request.user, answers__entry__deleted_at__isnull=True
        )
        .annotate(n=Count("answers"))
        .order_by("-n", "text")
    )
    return render(request, "journal/growth_prompts.html", {"prompts": prompts})


@login_required
def growth_prompt(request: AuthedRequest, pk: int) -> HttpResponse:
    prompt = get_object_or_404(Prompt.objects.available_to(request.user), pk=pk)
    answers = (
        Answer.objects.filter(
            prompt=prompt, entry__owner=request.user, entry__deleted_at__isnull=True
        )
        .select_related("entry")
        .order_by("entry__session_date", "entry__created_at")
    )
    return render(request, "journal/growth_prompt.html", {"prompt": prompt, "answers": answers})


@login_required
def client_list(request: AuthedRequest) -> HttpResponse:
    entries = Entry.objects.for_user(request.user).alive().exclude(client_code="")
    codes = entries.order_by("client_code").values("client_code").annotate(n=Count("pk"))
    return render(request, "journal/client_list.html", {"codes": codes})


@login_required
def client_detail(request: AuthedRequest, code: str) -> HttpResponse:
    code = code.upper()
    entries = Entry.objects.for_user(request.user).alive().filter(client_code=code)
    repairs = RepairNote.objects.for_user(request.user).alive().filter(client_code=code)
    rows = list(review.timeline(entries, repairs).order_by("day", "created_at"))
    if not rows:
        return render(request, "404.html", status=404)
    return render(
        request, "journal/client_detail.html", {"code": code, "items": review.load_page(rows)}
    )
