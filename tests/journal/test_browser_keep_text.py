"""Comments and the sign-off keep what was typed when the session has ended, walked in
Chromium by labels and button text at 360 and 1280 px (static/js/keep-text.js).

Sam, a supervisor, presses Comment or Sign off after the idle logout: the page says he is
signed out and keeps the text; he signs in again in another tab (password and two-factor
code), and what he typed is sent. Text kept in the tab is gone after Sign out.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.utils import timezone

from journal import exports
from journal.models import Packet, Share, ShareComment, Supervision
from reflect.models import User
from tests.conftest import PASSWORD
from tests.journal.test_browser_supervision import (  # noqa: F401 (fixtures)
    SECRET,
    _two_factor,
    packet,
    sam,
)
from tests.reflect.test_browser_accounts import fits, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT = "Object.keys(sessionStorage).filter(k => k.startsWith('reflect-unsaved:'))"
SIGNED_OUT = "Signed out — sign in to keep this text"


@pytest.fixture(params=[360, 1280], ids=lambda w: f"{w}px")
def width(request: Any, page: Any) -> int:
    page.set_viewport_size({"width": request.param, "height": 800})
    page.context.set_default_timeout(20_000)
    return int(request.param)


@pytest.fixture
def share(alice: User, packet: Packet, sam: User) -> Share:  # noqa: F811
    """The March packet, shared with Sam, who accepted."""
    now = timezone.now()
    supervision = Supervision.objects.create(
        owner=alice, email=sam.email, name="Dr Sam Lee", supervisor=sam,
        expires_at=now + timedelta(days=14), accepted_at=now,
    )  # fmt: skip
    doc = exports.build_document(packet)
    return Share.objects.create(
        owner=alice, supervision=supervision, packet=packet, title=packet.title,
        document=doc.snapshot(), items=len(doc.items),
    )  # fmt: skip


def sign_in(page: Any, used: list[str]) -> None:
    """On the login page: password, then a two-factor code this test has not used (allauth
    refuses one twice)."""
    page.get_by_label("Email address").fill("sam@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_role("heading", name="One more step").wait_for()
    now = time.time()
    totp = pyotp.TOTP(SECRET)
    code = next(c for c in (totp.at(now + 30), totp.at(now)) if c not in used)
    used.append(code)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm code").click()


def session_ends(page: Any, width: int) -> None:
    """The idle logout: the session cookie is gone (at 1280 px, every cookie, CSRF's too)."""
    if width == 360:
        page.context.clear_cookies(name="sessionid")
    else:
        page.context.clear_cookies()


def sign_in_again_in_a_new_tab(page: Any, used: list[str]) -> None:
    alert = page.get_by_role("alert").filter(has_text=SIGNED_OUT)
    with page.context.expect_page() as opened:
        alert.get_by_role("link", name="Sign in again in a new tab").click()
    other = opened.value
    other.wait_for_load_state()
    assert other.url.endswith("/accounts/login/?next=/session/back/")
    sign_in(other, used)
    other.get_by_role("heading", name="You are signed in again").wait_for()
    other.close()
    page.bring_to_front()


def test_a_comment_pressed_after_the_session_ended_is_sent_after_signing_in_again(
    page: Any, width: int, share: Share
) -> None:
    used: list[str] = []
    page.goto("/accounts/login/")
    sign_in(page, used)
    page.get_by_role("heading", name="Your journal", exact=True).wait_for()
    page.goto(f"/supervising/shares/{share.uid}/")
    on_entry = page.get_by_role("textbox", name=re.compile(r"^Your comment on Entry")).first
    on_packet = page.get_by_role("textbox", name="Your comment on the packet")
    on_entry.fill("What did the move mean to *her*?")
    on_packet.fill("A careful month.")

    session_ends(page, width)
    page.get_by_role("button", name="Comment", exact=True).first.click()
    page.get_by_role("alert").filter(has_text=SIGNED_OUT).wait_for()
    assert page.url.endswith(f"/supervising/shares/{share.uid}/")  # still here
    assert on_entry.input_value() == "What did the move mean to *her*?"
    assert len(page.evaluate(KEPT)) == 2  # both boxes, in this tab only
    assert not ShareComment.objects.exists()
    fits(page, width)

    sign_in_again_in_a_new_tab(page, used)
    page.get_by_text("Comment added.").wait_for()
    (comment,) = ShareComment.objects.all()
    assert (comment.share, comment.author) == (share, share.supervision.supervisor)
    assert comment.body == "What did the move mean to *her*?"
    assert page.locator(".comment").filter(has_text="What did the move mean to her?").count()
    # The box not sent is back as it was, and says so; the sent one is no longer kept.
    page.get_by_text("Your unsent comment was kept").wait_for()
    assert on_packet.input_value() == "A careful month."
    assert [k.rsplit("#", 1)[1] for k in page.evaluate(KEPT)] == ["comment-packet"]
    fits(page, width)


def test_the_sign_off_pressed_after_the_session_ended_is_sent_after_signing_in_again(
    page: Any, width: int, share: Share
) -> None:
    used: list[str] = []
    page.goto("/accounts/login/")
    sign_in(page, used)
    page.get_by_role("heading", name="Your journal", exact=True).wait_for()
    page.goto(f"/supervising/shares/{share.uid}/sign-off/")
    page.get_by_label("Your credential").fill("Clinical Psychologist")
    page.get_by_label("Registration or licence number").fill("PYL12345")
    page.get_by_label("Overall comment (optional)").fill("Careful work on naming.")

    session_ends(page, width)
    page.get_by_role("button", name="Sign off").click()
    page.get_by_role("alert").filter(has_text=SIGNED_OUT).wait_for()
    assert page.url.endswith("/sign-off/")
    assert page.get_by_label("Overall comment (optional)").input_value() == (
        "Careful work on naming."
    )
    assert len(page.evaluate(KEPT)) == 1
    share.refresh_from_db()
    assert not share.signed
    fits(page, width)

    sign_in_again_in_a_new_tab(page, used)
    page.get_by_text("Signed off. The signed PDF is being prepared.").wait_for()
    share.refresh_from_db()
    assert share.signed and share.signed_by == share.supervision.supervisor
    assert (share.sign_name, share.sign_credential, share.sign_registration) == (
        "Dr Sam Lee", "Clinical Psychologist", "PYL12345",
    )  # fmt: skip
    assert share.sign_comment == "Careful work on naming."
    assert page.evaluate(KEPT) == []


def test_text_kept_in_the_tab_is_gone_after_signing_out(
    page: Any, width: int, share: Share
) -> None:
    page.goto("/accounts/login/")
    sign_in(page, [])
    page.get_by_role("heading", name="Your journal", exact=True).wait_for()
    page.goto(f"/supervising/shares/{share.uid}/")
    # Sending one comment leaves the page: the other box's text is kept, and comes back.
    page.get_by_role("textbox", name="Your comment on the packet").fill("Not sent yet.")
    on_entry = page.get_by_role("textbox", name=re.compile(r"^Your comment on Entry")).first
    on_entry.fill("Sent.")
    page.get_by_role("button", name="Comment", exact=True).first.click()
    page.get_by_text("Comment added.").wait_for()
    page.get_by_text("Your unsent comment was kept").wait_for()
    assert len(page.evaluate(KEPT)) == 1

    log_out(page)
    assert page.evaluate(KEPT) == []
