"""``/session/…``: whether the clinician is still signed in, for a page that is being written.

When a session ends while a clinician writes (the idle logout), the page keeps the text,
opens the login page in a new tab whose ``next`` is ``signed_in_again``, and asks
``session_status`` until the clinician is back; then it takes the fresh CSRF token and saves.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """``{"signed_in": bool, "csrf_token": str}``; the token only to a signed-in clinician
    (a sign-in rotates it, so the waiting page needs the new one to save)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "csrf_token": ""})
    return JsonResponse({"signed_in": True, "csrf_token": get_token(request)})


@login_required
def signed_in_again(request: HttpRequest) -> HttpResponse:
    """Where the login opened from a page being written lands: back to that tab."""
    return render(request, "journal/signed_in_again.html")
