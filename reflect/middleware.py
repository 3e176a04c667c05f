from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from reflect.logs import current_request_id

log = logging.getLogger(__name__)

GetResponse = Callable[[HttpRequest], HttpResponse]

# What a database that is down, restarting or locked raises.
DATABASE_OUTAGE = (OperationalError, InterfaceError)
OUTAGE_RETRY_AFTER_SECONDS = 5
OUTAGE_MESSAGE = (
    "The journal is briefly unavailable. Your text is kept in this page; it will be saved "
    "when the connection returns."
)
SESSION_REFRESHED_AT = "_refreshed_at"


class RequestIdMiddleware:
    """Name each request (X-Request-ID) so its log lines can be found together."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RejectNulBytesMiddleware:
    """Answer 400 to a NUL byte in the path, the query or a form field.

    No one types one; PostgreSQL refuses to store one and would turn it into a 500.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or has_nul(request.GET) or has_nul(form_data(request)):
            log.info("refused a NUL byte: %s %s", request.method, request.path.replace("\x00", ""))
            body = render_to_string("400.html")
            return HttpResponse(body, status=400)
        return self.get_response(request)


def form_data(request: HttpRequest) -> QueryDict | None:
    if request.method not in {"POST", "PUT", "PATCH"}:
        return None
    if request.content_type not in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        return None
    # Uploaded files are not looked into: the import checks its own file.
    return request.POST


def has_nul(data: QueryDict | None) -> bool:
    if not data:
        return False
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )


class DatabaseOutageMiddleware:
    """While the database is unreachable, say so: 503, never a 500.

    Autosave (JSON) gets {"saved": false, "error": ...} so the page keeps the text
    and retries; pages get the "temporarily unavailable" page. The session and user
    are loaded here, not lazily in a later middleware, because Django turns an
    exception raised in another middleware into a 500 before this one could see it.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.user.is_authenticated  # noqa: B018 (loads the session and user now)
        except DATABASE_OUTAGE as exc:
            return outage_response(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_OUTAGE):
            return outage_response(request, exception)
        return None


def wants_json(request: HttpRequest) -> bool:
    return (
        "application/json" in request.headers.get("Accept", "")
        or "X-Requested-With" in request.headers
        or request.path.endswith("/autosave/")
    )


def outage_response(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.warning(
        "database unavailable: %s %s status=503 exception=%s",
        request.method,
        request.path,
        type(exc).__qualname__,
    )
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse({"saved": False, "error": OUTAGE_MESSAGE}, status=503)
    else:
        # Rendered without the request: its context processors would ask the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(OUTAGE_RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class SessionIdleRefreshMiddleware:
    """Push a signed-in session's idle deadline on at most once a minute.

    Saving the session on every request rewrote its row each time (autosave
    posts every few seconds), and under load those writes queued behind each
    other. The deadline moves when the stored time is older than
    SESSION_REFRESH_SECONDS, so a session ends between 29 and 30 idle minutes.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        refreshed_at = session.get(SESSION_REFRESHED_AT)
        if session.session_key is not None:
            now = int(time.time())
            stale = not isinstance(refreshed_at, int) or (
                now - refreshed_at >= settings.SESSION_REFRESH_SECONDS
            )
            if stale:
                session[SESSION_REFRESHED_AT] = now
        return self.get_response(request)


class ClinicianTimeZoneMiddleware:
    """Show and compare dates in the signed-in clinician's own time zone."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with timezone.override(user.tzinfo):
                return self.get_response(request)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A link or bookmark to an address that only takes a form's POST gets a page that says
    so, instead of the browser's bare "HTTP ERROR 405"."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or wants_json(request):
            return response
        from django.shortcuts import render

        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page


class NoStoreForSignedInMiddleware:
    """Keep signed-in pages out of browser and proxy caches.

    A clinician's journal must not be readable from a shared computer's back
    button or disk cache after they sign out.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
