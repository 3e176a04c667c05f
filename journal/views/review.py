"""``/review/…``: the timeline, growth by prompt and by client."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import cached_property

from journal import review
from journal.models import Answer, Commitment, Entry, RepairNote
from journal.views.paging import query_without
from reflect.models import Prompt
from reflect.ownership import AuthedRequest
from reflect.params import date_param, year_param

# The review pages show this many items a page.
REVIEW_PAGE = 25
# The calendar shows a year people can have written in.
FIRST_YEAR = 1900


@login_required
def review_timeline(request: AuthedRequest) -> HttpResponse:
    form = review.ReviewFilterForm(request.GET or None, user=request.user)
    entries, repairs = review.filtered(request.user, form)
    page = Paginator(review.timeline(entries, repairs), REVIEW_PAGE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    year = year_param(request, "year", today.year, minimum=FIRST_YEAR, maximum=today.year + 1)
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
    n = Answer.objects.for_user(request.user).alive().count_by_prompt()
    prompts = list(Prompt.objects.filter(pk__in=n))
    for prompt in prompts:
        prompt.n = n[prompt.pk]  # type: ignore[attr-defined]
    prompts.sort(key=lambda p: (-p.n, p.text))  # type: ignore[attr-defined]
    return render(request, "journal/growth_prompts.html", {"prompts": prompts})


class CountedPaginator(Paginator):
    """A paginator told how many there are, where that is cheaper to count another way."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


@login_required
def growth_prompt(request: AuthedRequest, pk: int) -> HttpResponse:
    prompt = get_object_or_404(Prompt.objects.available_to(request.user), pk=pk)
    date_from = date_param(request, "date_from")
    date_to = date_param(request, "date_to")
    # Counted from the answers' index; a page walks the owner's entries in date order
    # (their index) and keeps those that answer the prompt: 25 look-ups however many.
    answers = Answer.objects.for_user(request.user).alive().filter(prompt=prompt)
    entries = Entry.objects.for_user(request.user).alive().filter(answers__prompt=prompt)
    if date_from:
        answers = answers.filter(entry__session_date__gte=date_from)
        entries = entries.filter(session_date__gte=date_from)
    if date_to:
        answers = answers.filter(entry__session_date__lte=date_to)
        entries = entries.filter(session_date__lte=date_to)
    ids = entries.order_by("session_date", "created_at", "pk").values_list("pk", flat=True)
    page = CountedPaginator(ids, REVIEW_PAGE, count=answers.count()).get_page(
        request.GET.get("page")
    )
    chosen = list(page.object_list)
    by_entry = {
        a.entry_id: a
        for a in Answer.objects.filter(prompt=prompt, entry_id__in=chosen).select_related("entry")
    }
    ctx: dict[str, Any] = {
        "prompt": prompt,
        "page": page,
        "answers": [by_entry[pk] for pk in chosen if pk in by_entry],
        "date_from": date_from,
        "date_to": date_to,
        "query": query_without(request, "page"),
    }
    return render(request, "journal/growth_prompt.html", ctx)


@login_required
def client_list(request: AuthedRequest) -> HttpResponse:
    entries = Entry.objects.for_user(request.user).alive().exclude(client_code="")
    codes = entries.order_by("client_code").values("client_code").annotate(n=Count("pk"))
    return render(request, "journal/client_list.html", {"codes": codes})


@login_required
def client_detail(request: AuthedRequest, code: str) -> HttpResponse:
    code = code.upper()[:40]
    entries = Entry.objects.for_user(request.user).alive().filter(client_code=code)
    repairs = RepairNote.objects.for_user(request.user).alive().filter(client_code=code)
    # Oldest first, to read the relationship as it went; paged like the timeline.
    page = Paginator(review.timeline(entries, repairs).order_by("day", "created_at"), REVIEW_PAGE)
    if page.count == 0:
        return render(request, "404.html", status=404)
    page_obj = page.get_page(request.GET.get("page"))
    # What I said I would do with this client (the commitments' own module provides it).
    open_for_client = getattr(Commitment.objects, "open_for_client", None)
    ctx = {
        "code": code,
        "client_code": code,
        "page": page_obj,
        "items": review.load_page(list(page_obj.object_list)),
        "query": "",
        "commitments": list(open_for_client(request.user, code)[:20]) if open_for_client else [],
    }
    return render(request, "journal/client_detail.html", ctx)
