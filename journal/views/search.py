"""``/search/``: full-text search over the clinician's own writing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from journal.forms import SearchForm
from journal.models import Entry, RepairNote
from journal.search import MAX_RESULTS, search
from reflect.ownership import AuthedRequest


@login_required
def search_view(request: AuthedRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits: list[Any] = []
    if form.is_valid() and (q := form.cleaned_data["q"]):
        user = request.user
        hits = search(
            Entry.objects.for_user(user).alive().select_related("template"), q, kind="entry"
        )
        hits += search(RepairNote.objects.for_user(user).alive(), q, kind="repair")
        hits.sort(key=lambda h: -h.rank)
    ctx = {"form": form, "hits": hits, "max_results": MAX_RESULTS}
    return render(request, "journal/search.html", ctx)
