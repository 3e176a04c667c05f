"""Accounts walked in Chromium as a clinician would: sign-up with email verification,
two-factor by authenticator app, recovery code and passkey, re-authentication before a
backup, and signing out another session."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache

from reflect.models import User
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [360, 1280]


@pytest.fixture(autouse=True)
def _accounts(settings: Any) -> None:
    cache.clear()  # allauth's email rate limits live in the cache
    # http://localhost is a secure context for Chromium; the server must accept it too.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    # A code is used at activation and again at sign-in within one 30-second step;
    # allauth refuses a code twice, so the sign-in uses the next step's code.
    settings.MFA_TOTP_TOLERANCE = 1


def fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def log_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def log_out(page: Any) -> None:
    button = page.get_by_role("button", name=re.compile(r"^(Log|Sign) out$")).filter(visible=True)
    if not button.count():  # behind the account menu
        page.locator("details.menu > summary").filter(visible=True).first.click()
    button.first.click()
    page.get_by_role("link", name="Create an account").wait_for()


def confirm_password(page: Any) -> None:
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm", exact=True).click()


def journal_heading(page: Any) -> None:
    page.get_by_role("heading", name="Your journal", exact=True).wait_for()


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_up_verify_by_the_emailed_link_and_log_in(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email address").fill("newcomer@example.org")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*Password confirmation")).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    fits(page, width)

    (message,) = mail.outbox
    link = re.search(r"http://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)
    assert link, message.body
    page.goto(link.group(1))
    page.get_by_role("button", name="Confirm my email").click()
    page.get_by_role("heading", name="Protect your journal with a second step").wait_for()
    fits(page, width)
    page.get_by_role("link", name="Not now, go to my journal").click()
    journal_heading(page)
    assert "newcomer@example.org" in page.content()

    log_out(page)
    log_in(page, "Newcomer@Example.org")
    journal_heading(page)
    fits(page, width)


def set_up_totp(page: Any, width: int) -> pyotp.TOTP:
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Set up two-factor").click()
    page.get_by_role("link", name="Set up an authenticator app").click()
    confirm_password(page)
    fits(page, width)  # the QR code too
    secret = page.locator("#authenticator_secret").input_value()
    totp = pyotp.TOTP(secret)
    page.get_by_label("Authenticator code").fill(totp.now())
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/"))
    page.goto("/accounts/2fa/")
    page.get_by_text("On: sign-in asks for the 6-digit code").wait_for()
    fits(page, width)
    return totp


@pytest.mark.parametrize("width", WIDTHS)
def test_two_factor_with_an_authenticator_app_then_a_recovery_code(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    User.objects.create_user("twofactor@example.org", PASSWORD)
    log_in(page, "twofactor@example.org")
    journal_heading(page)
    totp = set_up_totp(page, width)
    assert Authenticator.objects.filter(type="totp").exists()

    page.goto("/accounts/2fa/recovery-codes/")
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) >= 10
    fits(page, width)

    log_out(page)
    log_in(page, "twofactor@example.org")
    page.get_by_role("heading", name="One more step").wait_for()
    fits(page, width)
    # A wrong code is refused, calmly.
    page.get_by_label("Code").fill("000000" if totp.now() != "000000" else "111111")
    page.get_by_role("button", name="Confirm code").click()
    page.get_by_role("heading", name="One more step").wait_for()
    assert "Incorrect code" in page.content()
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Confirm code").click()
    journal_heading(page)

    log_out(page)
    log_in(page, "twofactor@example.org")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Confirm code").click()
    journal_heading(page)
    page.goto("/accounts/security/")
    assert "A recovery code was used" in page.content()
    assert "Two-factor method added" in page.content()


def virtual_authenticator(page: Any) -> Any:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp


@pytest.mark.parametrize("width", WIDTHS)
def test_register_a_passkey_and_log_in_with_it(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    User.objects.create_user("passkey@example.org", PASSWORD)
    virtual_authenticator(page)
    log_in(page, "passkey@example.org")
    journal_heading(page)

    page.goto("/accounts/2fa/webauthn/add/")
    confirm_password(page)
    page.get_by_role("heading", name="Add a passkey").wait_for()
    fits(page, width)
    page.get_by_label("Name").fill("My laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add passkey").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/(?!webauthn/add)"))
    key = Authenticator.objects.get(type="webauthn")
    assert key.data["name"] == "My laptop"

    log_out(page)
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Use a passkey").click()
    journal_heading(page)
    assert "passkey@example.org" in page.content()


def test_a_backup_asks_for_the_password_first(page: Any, settings: Any) -> None:
    User.objects.create_user("backup@example.org", PASSWORD)
    log_in(page, "backup@example.org")
    journal_heading(page)
    page.goto("/accounts/delete/")
    confirm_password(page)  # deleting the account asks too
    page.get_by_role("heading", name="Delete my account").wait_for()

    # Later, the re-authentication has lapsed: the backup asks again, then downloads.
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 1
    time.sleep(1.2)
    page.get_by_role("button", name="Download a full backup").click()
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm", exact=True).click()
    assert download.value.suggested_filename.startswith("reflect-backup-")


def test_sign_out_another_session_from_the_sessions_list(chromium: Any, live_server: Any) -> None:
    User.objects.create_user("sessions@example.org", PASSWORD)
    contexts = [
        chromium.new_context(base_url=live_server.url, viewport={"width": w, "height": 800})
        for w in WIDTHS
    ]
    try:
        here, elsewhere = (c.new_page() for c in contexts)
        for pg in (here, elsewhere):
            log_in(pg, "sessions@example.org")
            journal_heading(pg)
        here.goto("/accounts/profile/")
        assert here.locator(".session-list li").count() == 2
        assert here.get_by_text("This device").count() == 1
        here.get_by_role("button", name="Sign out everywhere else").click()
        here.wait_for_url(re.compile(r"/accounts/sessions/"))
        assert here.locator(".session-list li").count() == 1

        elsewhere.goto("/entries/")
        elsewhere.wait_for_url(re.compile(r"/accounts/login/\?next="))
        here.goto("/entries/")
        assert "/accounts/login/" not in here.url
    finally:
        for c in contexts:
            c.close()


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
