from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_log_out_and_log_in_again(page: Any) -> None:
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email address").fill("newcomer@example.org")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*Password confirmation")).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    page.get_by_role("heading", name="Your journal", exact=True).wait_for()
    assert "newcomer@example.org" in page.content()
    # At 360 px nothing forces sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Create an account").wait_for()

    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Email address").fill("Newcomer@Example.org")
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your journal", exact=True).wait_for()


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
