"""A newcomer finds Help from any page, sees its pictures, and the browser finds a favicon."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280])
def test_help_is_one_click_away_and_its_pictures_load(page: Any, width: int) -> None:
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Help").click()
    page.get_by_role("heading", name="How to use Reflect", level=1).wait_for()
    images = page.locator(".help-shot img")
    assert images.count() >= 4
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete", arg=image.element_handle())
        assert image.evaluate("(img) => img.naturalWidth") == 1280
        shown = image.evaluate("(img) => img.getBoundingClientRect().width")
        assert shown <= width, f"a picture is {shown}px wide at {width}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The contents jump to their section by keyboard as well.
    page.get_by_role("link", name="Taking entries to supervision").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#supervision"
    # What every browser asks for on a first visit, whatever the page links.
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
    assert missing == [], missing
