from __future__ import annotations

from typing import Any

import pytest

from journal.models import Entry, RepairNote
from reflect.models import User
from tests.conftest import PASSWORD
from tests.journal.test_browser_entries import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_an_entry_to_a_repair_note_to_a_follow_up_that_repairs_it(page: Any) -> None:
    user = User.objects.create_user("repair@example.org", PASSWORD)
    entry = Entry.objects.create(
        owner=user, client_code="C-9A7", body="Tense ending.", status="complete"
    )
    log_in(page, "repair@example.org")
    page.goto(f"/entries/{entry.pk}/")
    page.get_by_role("link", name="This was a rupture: write a repair note").click()

    page.get_by_role("heading", name="New repair note").wait_for()
    assert page.get_by_label("Client code").input_value() == "C-9A7"
    page.get_by_label("Withdrawal (moving away)").check()
    page.get_by_label("Kind of misstep").select_option("assumption")
    page.get_by_label("My part").fill("I assumed who the client leans on at home.")
    page.get_by_label("Commitment: what I will do differently").fill("Ask, don't assume.")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("heading", name="Assumption · C-9A7").wait_for()
    repair = RepairNote.objects.get()
    assert repair.entry == entry
    assert repair.status == "open"

    page.get_by_label("What happened when I checked in").fill(
        "I named it at the start; the client said it helped."
    )
    page.get_by_label("Status after this follow-up").select_option("repaired")
    page.get_by_role("button", name="Add follow-up").click()
    page.get_by_text("Follow-up added. Status: Repaired.").wait_for()
    repair.refresh_from_db()
    assert repair.status == "repaired"
    assert page.get_by_text("Open → Repaired").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
