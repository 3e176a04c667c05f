"""Security activity: what happened to a clinician's account, for their eyes only.

``record(user, "backup", request=request)`` notes one event. Sign-ins, failed
sign-ins, password, email and two-factor changes are noted from Django's and
allauth's signals (``connect()``, called once from ReflectConfig.ready). Only fixed
words and a short device summary are kept: never anything the clinician wrote.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from reflect.models import SecurityEvent, User, UserManager

Kind = SecurityEvent.Kind

# Checked in order: Edge and Opera say "Chrome" too, Chrome says "Safari".
BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
SYSTEMS = [
    (r"iPhone", "iPhone"),
    (r"iPad", "iPad"),
    (r"Android", "Android"),
    (r"CrOS", "ChromeOS"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"Linux", "Linux"),
]


def device_summary(user_agent: str) -> str:
    """'Firefox on Windows': enough to recognise a device, nothing more."""
    browser = next((name for rx, name in BROWSERS if re.search(rx, user_agent)), "")
    system = next((name for rx, name in SYSTEMS if re.search(rx, user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"


def record(user: Any, kind: str, *, request: HttpRequest | None = None, detail: str = "") -> None:
    """Note that ``kind`` happened to ``user``'s account (from ``request``'s device)."""
    if user is None or not getattr(user, "pk", None):
        return
    device = device_summary(request.headers.get("User-Agent", "")) if request else ""
    SecurityEvent.objects.create(
        owner_id=user.pk, kind=Kind(kind), detail=detail[:80], device=device[:80]
    )


def cutoff() -> Any:
    return timezone.now() - timedelta(days=settings.SECURITY_ACTIVITY_KEEP_DAYS)


def recent(user: Any) -> Any:
    """The user's events within the keeping period, newest first."""
    return SecurityEvent.objects.for_user(user).filter(at__gte=cutoff())


def purge() -> int:
    """Delete events older than the keeping period; return how many went."""
    deleted, _ = SecurityEvent.objects.filter(at__lt=cutoff()).delete()
    return deleted


# --- Signals --------------------------------------------------------------------

AUTHENTICATOR_NAMES = {
    "totp": "Authenticator app",
    "webauthn": "Passkey",
    "recovery_codes": "Recovery codes",
}


def _sign_in_detail(request: HttpRequest) -> str:
    """How the sign-in was made: 'Password and authenticator app', 'Passkey'..."""
    session = getattr(request, "session", None)
    methods = session.get("account_authentication_methods", []) if session else []
    words: list[str] = []
    for method in methods if isinstance(methods, list) else []:
        if not isinstance(method, dict):
            continue
        if method.get("method") == "password":
            word = "Password"
        elif method.get("method") == "mfa":
            word = AUTHENTICATOR_NAMES.get(str(method.get("type")), "Two-factor")
        else:
            continue
        if word not in words:
            words.append(word)
    return " and ".join(words).capitalize()


def on_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(user, Kind.LOGIN, request=request, detail=_sign_in_detail(request))


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = credentials.get("email") or credentials.get("username") or ""
    if not isinstance(email, str) or not email or len(email) > 254:
        return
    user = User.objects.filter(email__iexact=UserManager.normalize_email(email)).first()
    if user is not None:
        record(user, Kind.LOGIN_FAILED, request=request)


def on_authenticator_added(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    authenticator = kwargs.get("authenticator")
    kind = str(getattr(authenticator, "type", ""))
    detail = AUTHENTICATOR_NAMES.get(kind, "")
    record(user, Kind.RECOVERY_CODES if kind == "recovery_codes" else Kind.MFA_ADDED,
           request=request, detail=detail)  # fmt: skip


def on_authenticator_removed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    kind = str(getattr(kwargs.get("authenticator"), "type", ""))
    record(user, Kind.MFA_REMOVED, request=request, detail=AUTHENTICATOR_NAMES.get(kind, ""))


def on_authenticator_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(user, Kind.RECOVERY_CODES, request=request)


def on_authenticator_used(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if str(getattr(kwargs.get("authenticator"), "type", "")) == "recovery_codes":
        record(user, Kind.RECOVERY_CODE_USED, request=request)


def on_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(user, Kind.PASSWORD_CHANGED, request=request)


def on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(user, Kind.PASSWORD_RESET, request=request)


def on_email_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # allauth also says "changed" when a new account's first address is confirmed;
    # only a move from one address to another is a change the clinician made.
    if kwargs.get("from_email_address") is None:
        return
    record(user, Kind.EMAIL_CHANGED, request=request)


def connect() -> None:
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals
    from django.contrib.auth import signals as auth_signals

    uid = "reflect.activity"
    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid=f"{uid}.in")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.failed")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid=f"{uid}.add")
    mfa_signals.authenticator_removed.connect(on_authenticator_removed, dispatch_uid=f"{uid}.rm")
    mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid=f"{uid}.reset")
    mfa_signals.authenticator_used.connect(on_authenticator_used, dispatch_uid=f"{uid}.used")
    account_signals.password_changed.connect(on_password_changed, dispatch_uid=f"{uid}.pw")
    account_signals.password_reset.connect(on_password_reset, dispatch_uid=f"{uid}.reset_pw")
    account_signals.email_changed.connect(on_email_changed, dispatch_uid=f"{uid}.email")
