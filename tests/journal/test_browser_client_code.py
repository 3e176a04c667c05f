"""The suggested client code can be taken with one press, and is then saved as typed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from journal import codes
from journal.models import Entry
from reflect.models import User
from tests.conftest import PASSWORD
from tests.journal.test_browser_entries import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280])
def test_the_suggested_code_is_one_press_away(page: Any, width: int, builtin: None) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    User.objects.create_user(f"code{width}@example.org", PASSWORD)
    log_in(page, f"code{width}@example.org")
    page.goto("/entries/new/?template=after-session")
    button = page.get_by_role("button", name=re.compile(r"^Use C-"))
    suggested = button.inner_text().removeprefix("Use ").strip()
    assert codes.is_valid(suggested)
    button.click()
    assert page.get_by_label("Client code").input_value() == suggested
    page.get_by_label("Client code").press("Tab")
    page.locator("textarea").first.fill("I noticed I rushed the ending.")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_url(re.compile(r"/entries/\d+/$"))
    assert Entry.objects.get().client_code == suggested
