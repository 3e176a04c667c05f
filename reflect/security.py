"""Account security: how allauth, axes and two-factor fit Reflect.

- ``axes_username``: the one lockout (axes) counts one email, whatever its case.
- ``AccountAdapter``: where allauth sends people after signing up.
- ``has_mfa``: whether a clinician has a second factor (supervisors must);
  ``signed_in_with_mfa``: whether this session used it.
- ``RequireMFAMiddleware``: with REFLECT_REQUIRE_MFA on, nobody uses the journal
  until they have set up two-factor.
- ``SessionActivityMiddleware``: "last seen" on the sessions list, written at
  most once a minute (when the idle deadline moves), never on every request.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from reflect.middleware import SESSION_REFRESHED_AT, GetResponse


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The login name as axes should count it: one email, whatever its case.

    allauth authenticates with ``email=``; the admin and older forms with ``username=``.
    """
    creds = credentials or {}
    raw = (
        creds.get("email")
        or creds.get("username")
        or creds.get("login")
        or request.POST.get("login", "")
        or request.POST.get("username", "")
    )
    return str(raw).strip().lower()


def has_mfa(user: Any) -> bool:
    """True when the user signs in with a second factor: an authenticator app or a passkey.

    Recovery codes alone do not count: they are the way back in, not a factor in use.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    from allauth.mfa.models import Authenticator

    return (
        Authenticator.objects.filter(user_id=user.pk)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )


def signed_in_with_mfa(request: HttpRequest) -> bool:
    """True when this session was signed in, or confirmed since, with a second factor
    (having one is not enough: a session may have started with the password alone)."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, getattr(request, "user", None))
    return has_mfa(request.user) and any(r.get("method") == "mfa" for r in records)


def on_factor_set_up(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Setting up an authenticator app or a passkey takes a code from it (or the key
    itself): this session has used a second factor, and is not asked for another at once."""
    authenticator = kwargs.get("authenticator")
    kind = str(getattr(authenticator, "type", ""))
    if request is None or kind not in ("totp", "webauthn"):
        return
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(request, user, "mfa", type=kind, id=getattr(authenticator, "pk", None))


def connect() -> None:
    from allauth.mfa import signals as mfa_signals

    mfa_signals.authenticator_added.connect(on_factor_set_up, dispatch_uid="reflect.security.mfa")


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        # A new clinician, just verified, is offered two-factor before anything else.
        return reverse("two_factor_offer")


# Pages a signed-in clinician without two-factor may still open when it is required.
MFA_EXEMPT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/welcome/",
    "/accounts/reauthenticate/",
    "/accounts/confirm-email/",
    "/accounts/login/",
    "/static/",
    "/healthz",
)


class RequireMFAMiddleware:
    """With REFLECT_REQUIRE_MFA on, send anyone without two-factor to set it up."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.REFLECT_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and not has_mfa(request.user)
        ):
            return HttpResponseRedirect(reverse("two_factor_offer"))
        return self.get_response(request)


class SessionActivityMiddleware:
    """Note when a session was last seen, for the sessions list on the account page.

    allauth can write its session row on every request (USERSESSIONS_TRACK_ACTIVITY);
    here it is written only when SessionIdleRefreshMiddleware has just moved the idle
    deadline, so at most once a minute, like the session itself.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        stamp = session.get(SESSION_REFRESHED_AT)
        if (
            session.modified
            and isinstance(stamp, int)
            and time.time() - stamp < 2
            and request.user.is_authenticated
        ):
            from allauth.usersessions.models import UserSession

            UserSession.objects.create_from_request(request)
        return self.get_response(request)
