from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers


class ClinicianTimeZoneMiddleware:
    """Show and compare dates in the signed-in clinician's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with timezone.override(user.tzinfo):
                return self.get_response(request)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Keep signed-in pages out of browser and proxy caches.

    A clinician's journal must not be readable from a shared computer's back
    button or disk cache after they sign out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
