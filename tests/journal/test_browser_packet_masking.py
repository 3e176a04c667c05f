"""Choosing what goes in a packet, with its privacy options on, and a preview that fits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from journal.models import Entry, Packet
from reflect.models import User
from tests.journal.test_browser_entries import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280])
def test_a_packet_is_chosen_by_what_each_entry_says_and_leaves_masked(
    page: Any, alice: User, width: int
) -> None:
    Entry.objects.create(
        owner=alice, client_code="C-7Q4", session_date=date(2026, 3, 14),
        body="Maria Gonzalez moved to Hamtramck and asked about her benefits.",
    )  # fmt: skip
    Entry.objects.create(
        owner=alice, client_code="C-9K3", session_date=date(2026, 3, 2), body="A quiet session."
    )
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, alice.email)
    page.goto("/export/")

    # Each candidate: its date, template, client code and first line.
    candidate = page.get_by_label("14 Mar 2026 · Reflection · C-7Q4")
    assert (
        "Maria Gonzalez moved to Hamtramck"
        in page.locator("label", has=page.locator(".pick-first")).first.inner_text()
    )
    candidate.check()
    # The privacy options are on before anything is touched.
    assert page.get_by_label("hide what looks identifying", exact=False).is_checked()
    assert page.get_by_label("Replace client codes with Client A, B, …").is_checked()
    page.get_by_label("Title").fill("March supervision")
    page.get_by_role("button", name="Save and preview").click()
    page.get_by_role("heading", name="Preview: March supervision").wait_for()

    preview = page.locator(".packet-preview").inner_text()
    assert "[name] moved to [place] and asked about her benefits." in preview
    assert "Maria" not in preview and "Hamtramck" not in preview and "C-7Q4" not in preview
    assert "Client A" in preview
    assert page.get_by_text("hidden behind its kind in brackets").is_visible()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the preview is {scroll}px wide at {width}px"
    packet = Packet.objects.get(owner=alice)
    assert packet.mask_identifiers and packet.pseudonymise_codes
