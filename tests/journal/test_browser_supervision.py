"""The supervision space walked in Chromium, by labels and button text, at 360 and 1280 px.

alice invites her supervisor and shares a packet with masking on; Sam signs in with
two-factor, accepts, reads and comments; alice sees the comment and replies; Sam signs off;
alice downloads the signed PDF (its sign-off block read back from the PDF's text), then
ends access, after which Sam gets a 404. Every time Sam opened the packet is in the log.
"""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.cache import cache
from pypdf import PdfReader

from journal.models import Packet, ShareAccess
from reflect.models import User
from tests.conftest import PASSWORD
from tests.journal.test_supervision import march_packet
from tests.reflect.test_browser_accounts import confirm_password, fits, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = pyotp.random_base32()


@pytest.fixture(autouse=True)
def _two_factor(settings: Any) -> None:
    # allauth remembers used codes in the cache: a second run within 30 s would reuse one.
    cache.clear()
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def packet(alice: User) -> Packet:
    alice.set_password(PASSWORD)
    alice.display_name = "Alice Okafor"
    alice.save()
    return march_packet(alice)


@pytest.fixture
def sam(db: None) -> User:
    user = User.objects.create_user("sam@example.org", PASSWORD, display_name="Dr Sam Lee")
    TOTP.activate(user, SECRET)
    return user


def open_account_menu_item(page: Any, name: str) -> None:
    link = page.get_by_role("link", name=name, exact=True).filter(visible=True)
    if not link.count():  # at 360 px, behind the menu button
        page.locator("details.menu > summary").filter(visible=True).first.click()
    link.first.click()


def sign_in_with_two_factor(page: Any, email: str) -> None:
    log_in(page, email)
    page.get_by_role("heading", name="One more step").wait_for()
    page.get_by_label("Code").fill(pyotp.TOTP(SECRET).at(time.time() + 30))
    page.get_by_role("button", name="Confirm code").click()
    page.get_by_role("heading", name="Your journal", exact=True).wait_for()


def views_logged() -> int:
    return ShareAccess.objects.filter(action="view").count()


@pytest.mark.parametrize("width", [360, 1280])
def test_invite_share_comment_sign_off_download_and_end(
    chromium: Any, live_server: Any, packet: Packet, sam: User, width: int
) -> None:
    viewport = {"width": width, "height": 800}
    clinician = chromium.new_context(base_url=live_server.url, viewport=viewport)
    supervisor = chromium.new_context(base_url=live_server.url, viewport=viewport)
    for context in (clinician, supervisor):
        context.set_default_timeout(20_000)
    alice, sam_page = clinician.new_page(), supervisor.new_page()
    opened = 0
    try:
        # alice invites Sam from the Supervision page.
        log_in(alice, "alice@example.org")
        open_account_menu_item(alice, "Supervision")
        alice.get_by_role("heading", name="Supervision", exact=True).wait_for()
        alice.get_by_label("Supervisor's email").fill("sam@example.org")
        alice.get_by_label("Supervisor's name").fill("Dr Sam Lee")
        alice.get_by_role("button", name="Send invitation").click()
        alice.get_by_text("Invitation sent to sam@example.org").wait_for()
        fits(alice, width)
        (invitation,) = mail.outbox
        link = re.search(r"https?://\S+/supervising/invitations/\S+/", invitation.body)
        assert link, invitation.body

        # She shares the packet from its preview, masking on (the default).
        alice.goto(f"/export/packets/{packet.pk}/")
        alice.get_by_role("link", name="Share with my supervisor in Reflect").click()
        confirm_password(alice)
        alice.get_by_role("heading", name="Share “March supervision”").wait_for()
        alice.get_by_label(re.compile("Dr Sam Lee")).check()
        for option in ("hide what looks identifying", "replace client codes"):
            assert alice.get_by_label(re.compile(option, re.I)).is_checked()
        fits(alice, width)
        alice.get_by_role("button", name="Share", exact=True).click()
        alice.get_by_role("heading", name="Shared: March supervision").wait_for()

        # Sam signs in with two-factor, accepts, and reads.
        sign_in_with_two_factor(sam_page, "sam@example.org")
        sam_page.goto(link.group(0))
        sam_page.get_by_text("Alice Okafor invites you").wait_for()
        sam_page.get_by_role("button", name="Accept the invitation").click()
        sam_page.get_by_role("heading", name="Packets shared with me").wait_for()
        sam_page.get_by_role("link", name="March supervision").click()
        opened += 1
        sam_page.get_by_role("heading", name="Shared by Alice Okafor").wait_for()
        text = sam_page.content()
        assert "I missed what that meant to her" in text
        for identifying in ("Maria Gonzalez", "Hamtramck", "C-7Q4"):
            assert identifying not in text
        assert "[name]" in text and "Client A" in text
        fits(sam_page, width)

        # Sam comments on the entry.
        box = sam_page.get_by_role("textbox", name=re.compile(r"^Your comment on Entry")).first
        box.fill("What did the move mean to *her*?")
        sam_page.get_by_role("button", name="Comment", exact=True).first.click()
        opened += 1
        sam_page.get_by_text("Comment added.").wait_for()
        assert "<em>her</em>" in sam_page.content()

        # alice sees the comment, and replies.
        alice.goto("/supervision/")
        alice.get_by_role("link", name="March supervision", exact=True).click()
        alice.get_by_text("What did the move mean to").wait_for()
        alice.get_by_role("textbox", name=re.compile(r"^Your comment on Entry")).first.fill(
            "The loss of her community."
        )
        alice.get_by_role("button", name="Reply", exact=True).first.click()
        alice.get_by_text("Comment added.").wait_for()

        # Sam reads the reply and signs off.
        sam_page.reload()
        opened += 1
        sam_page.get_by_text("The loss of her community.").wait_for()
        sam_page.get_by_role("link", name="Sign off this packet").click()
        assert sam_page.get_by_label("Your name").input_value() == "Dr Sam Lee"
        sam_page.get_by_label("Your credential").fill("Clinical Psychologist")
        sam_page.get_by_label("Registration or licence number").fill("PYL12345")
        sam_page.get_by_label("Overall comment (optional)").fill("Careful work on naming.")
        fits(sam_page, width)
        sam_page.get_by_role("button", name="Sign off").click()
        opened += 1
        sam_page.get_by_text("Signed off. The signed PDF is being prepared.").wait_for()
        # Comments are closed now.
        assert not sam_page.get_by_role("textbox", name=re.compile(r"^Your comment on")).count()

        # alice downloads the signed PDF and reads the sign-off block in it.
        alice.goto(alice.url.split("#")[0])
        alice.get_by_text("Signed off by Dr Sam Lee").wait_for()
        with alice.expect_download() as download:
            alice.get_by_role("link", name="Download the signed PDF").click()
        path = download.value.path()
        assert download.value.suggested_filename.endswith(".pdf")
        with open(path, "rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        pdf = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
        for expected in ("Supervisor's comments and sign-off", "Dr Sam Lee",
                         "Clinical Psychologist", "PYL12345", "Careful work on naming",
                         "What did the move mean to", "The loss of her community"):  # fmt: skip
            assert expected in pdf, expected
        assert "Maria" not in pdf

        # Every time Sam opened the packet is in alice's log.
        assert views_logged() == opened
        alice.reload()
        assert alice.get_by_role("cell", name="Read the packet").count() == opened

        # alice ends access; Sam gets a 404.
        alice.get_by_role("button", name="End access to this packet").click()
        alice.get_by_text("Access ended.").wait_for()
        response = sam_page.reload()
        assert response is not None and response.status == 404
        assert "I missed what that meant" not in sam_page.content()
        log_out(alice)
    finally:
        clinician.close()
        supervisor.close()
