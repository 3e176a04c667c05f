"""The identifier check as a clinician meets it in the editor, in real Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from journal.models import Entry
from reflect.models import User
from tests.conftest import PASSWORD
from tests.journal.test_browser_entries import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280])
def test_a_name_is_marked_under_its_box_and_can_be_let_go(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    User.objects.create_user("marks@example.org", PASSWORD)
    log_in(page, "marks@example.org")
    page.goto("/entries/new/?template=")  # a free write: one box
    notes = page.get_by_label("Notes")
    notes.click()
    page.keyboard.type("Today her son Dmitri came to the session with her.")

    # Marked under the box, with its kind in words, once the draft is saved.
    item = page.locator(".identifier-item", has_text="Dmitri")
    item.wait_for()
    assert item.locator("mark").inner_text() == "Dmitri"
    assert "(a name)" in item.inner_text()
    assert "her son" in item.inner_text()  # the passage around it
    marks = page.locator(".identifier-marks")
    assert marks.get_attribute("id") in (notes.get_attribute("aria-describedby") or "")
    # It fits the screen: nothing wider than the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("button", name="Not an identifier").click()
    page.get_by_text("will not be flagged again in this text").wait_for()
    assert page.locator(".identifier-item").count() == 0
    # The save bar's line no longer names it either.
    page.wait_for_function(
        "() => !document.getElementById('identifier-notice').textContent.includes('Dmitri')"
    )
    entry = Entry.objects.get()
    assert entry.identifiers_ok == ["name:dmitri"]

    # The next autosave does not flag it again ...
    notes.click()
    page.keyboard.press("End")
    page.keyboard.type(" She was quiet.")
    page.get_by_text("Draft saved at").wait_for()
    _wait_for_body(entry, "She was quiet.")
    assert page.locator(".identifier-item").count() == 0

    # ... nor after a reload, when a new name still is.
    page.reload()
    page.get_by_label("Notes").click()
    page.keyboard.press("End")
    page.keyboard.type(" Her friend Oksana Petrenko waited outside.")
    page.locator(".identifier-item", has_text="Oksana Petrenko").wait_for()
    assert page.locator(".identifier-item", has_text="Dmitri").count() == 0


def _wait_for_body(entry: Entry, ending: str, tries: int = 50) -> None:
    import time

    for _ in range(tries):
        entry.refresh_from_db()
        if entry.body.endswith(ending):
            return
        time.sleep(0.2)
    raise AssertionError(f"the autosave never saved {ending!r}")
