"""``/search/``: full-text search over the clinician's own writing, paged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from journal import search
from journal.forms import SearchForm
from journal.views.paging import query_without
from reflect.ownership import AuthedRequest
from reflect.params import int_param

# Far more pages than anyone reads; bounds the offset a link can ask for.
MAX_PAGE = 10_000


@login_required
def search_view(request: AuthedRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    sort = request.GET.get("sort", "relevance")
    sort = sort if sort in search.SORTS else "relevance"
    results = None
    if form.is_valid() and (q := form.cleaned_data["q"]):
        page = int_param(request, "page", 1, minimum=1, maximum=MAX_PAGE)
        results = search.run(request.user, q, sort=sort, page=page)
    ctx = {
        "form": form,
        "results": results,
        "hits": results.hits if results else [],
        "sort": sort,
        "sorts": (("relevance", "Relevance"), ("date", "Date, newest first")),
        # Links to other pages and sorts keep the words and each other.
        "query": query_without(request, "page"),
        "query_no_sort": query_without(request, "page", "sort"),
        "page_size": search.PAGE_SIZE,
    }
    return render(request, "journal/search.html", ctx)
