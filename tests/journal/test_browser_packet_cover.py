"""A clinician fills in who they are and who supervises them, and the packet's cover says so."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from journal.models import Entry, Packet, RepairNote
from reflect.models import User
from tests.journal.test_browser_entries import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280])
def test_the_cover_and_sign_off_come_from_the_account_and_the_packet(
    page: Any, alice: User, width: int
) -> None:
    Entry.objects.create(owner=alice, session_date=date(2026, 3, 3), body="What I noticed.")
    RepairNote.objects.create(owner=alice, moment_date=date(2026, 3, 9), my_part="My part.")
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, alice.email)

    page.goto("/accounts/profile/")
    page.get_by_label("My name").fill("Dr Amara Okafor")
    page.get_by_label("My credentials").fill("Clinical psychologist")
    page.get_by_label("My registration or licence number").fill("PYL041234")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_url("**/accounts/profile/")

    page.goto("/export/")
    page.get_by_label("Title").fill("March supervision")
    page.get_by_label("My supervisor's name").fill("Jordan Reyes")
    page.get_by_label("Purpose").fill("Monthly clinical supervision")
    page.get_by_label("Include everything the filters select").check()
    page.get_by_role("button", name="Save and preview").click()
    page.get_by_role("heading", name="Preview: March supervision").wait_for()

    cover = page.locator(".packet-preview .cover")
    for text in (
        "Dr Amara Okafor",
        "Clinical psychologist",
        "PYL041234",
        "Jordan Reyes",
        "Monthly clinical supervision",
        "March 2026",  # month and year only, the private default
        "Entries: 1",
        "Repair notes: 1",
    ):
        assert text in cover.inner_text(), text
    sign_off = page.get_by_role("region", name="Supervisor's comments and sign-off")
    assert "Jordan Reyes" in sign_off.inner_text()
    for label in ("Signature", "Date", "Registration or licence number"):
        assert label in sign_off.inner_text(), label
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= width, f"the preview is {width_now}px wide at {width}px"
    packet = Packet.objects.get(owner=alice)
    assert (packet.supervisor_name, packet.purpose) == (
        "Jordan Reyes",
        "Monthly clinical supervision",
    )
