"""What list pages share: the page size and links that keep the filters."""

from __future__ import annotations

from django.http import HttpRequest

PAGE_SIZE = 20


def query_without(request: HttpRequest, *names: str) -> str:
    """The page's query string less ``names`` (page, year…), for links that keep the filters."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
