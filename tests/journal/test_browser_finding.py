"""Issue 14, "Finding", walked in Chromium at 360 and 1280 px by labels and button text:
the navigation and its menu, previews, growth by prompt, search, and the words."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from journal.kinds import ENTRY
from journal.models import Answer, Entry, RepairNote, Tag
from reflect.models import Prompt, User
from tests.journal.test_browser_entries import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [(360, 740), (1280, 800)]
MAIN_PAGES = [
    "/", "/entries/", "/entries/new/", "/repairs/", "/commitments/", "/review/",
    "/review/prompts/", "/review/clients/", "/search/?q=harvest", "/insights/", "/export/",
    "/identity/", "/entries/trash/", "/export/packets/", "/prompts/", "/accounts/profile/",
]  # fmt: skip


def seed(user: User, n: int = 30) -> Prompt:
    from reflect.services import builtin_content_load

    builtin_content_load()
    prompt = Prompt.objects.filter(owner__isnull=True).order_by("pk").first()
    assert prompt is not None
    tag, _ = Tag.objects.get_or_create(owner=user, name="faith")
    for i in range(n):
        entry = Entry.objects.create(
            owner=user,
            session_date=date(2026, 1, 1) + timedelta(days=i),
            client_code="C-7Q4",
            body=f"We spoke of the harvest, time {i}.",
        )
        Answer.objects.create(
            entry=entry, owner=user, prompt=prompt, text=f"I noticed the harvest mattered ({i})."
        )
        entry.tags.add(tag)
        ENTRY.reindex(entry)
    today = timezone.localdate()
    RepairNote.objects.create(owner=user, revisit_date=today - timedelta(days=700))
    RepairNote.objects.create(owner=user, revisit_date=today + timedelta(days=2))
    return prompt


def navigation_height(page: Any) -> float:
    """How far down the first screen the navigation reaches (header, and sub-navigation)."""
    return float(
        page.evaluate(
            """() => {
                const boxes = [...document.querySelectorAll('header.site-header, nav.subnav')]
                    .map(el => el.getBoundingClientRect());
                return boxes.reduce((sum, b) => sum + b.height, 0);
            }"""
        )
    )


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_navigation_is_compact_on_every_main_page(
    page: Any, alice: User, width: int, height: int
) -> None:
    seed(alice, n=3)
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, alice.email)
    for url in MAIN_PAGES:
        page.goto(url)
        used = navigation_height(page)
        assert used <= height / 4, f"{url}: navigation takes {used:.0f} px of {height}"
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= width, f"{url}: {overflow} px wide at {width}"


def test_at_360_the_menu_button_opens_every_destination(page: Any, alice: User) -> None:
    seed(alice, n=3)
    log_in(page, alice.email)
    page.goto("/entries/")
    menu = page.locator("summary", has_text="Menu")
    assert menu.is_visible()
    panel = page.get_by_role("navigation", name="Main (narrow)")
    insights = panel.get_by_role("link", name="Insights", exact=True)
    assert not insights.is_visible()
    menu.click()
    for name in ("Write", "Entries", "Repairs", "Commitments", "Review", "Search", "Insights",
                 "Export", "Supervision", "Identity map", "Trash", "Backup", "Prompts",
                 "Account"):  # fmt: skip
        assert panel.get_by_role("link", name=name, exact=True).is_visible(), name
    assert panel.get_by_role("button", name="Sign out").is_visible()
    current = panel.get_by_role("link", name="Entries", exact=True)
    assert current.get_attribute("aria-current") == "page"
    insights.click()
    page.get_by_role("heading", name="Insights").wait_for()
    # The menu works from the keyboard, and focus is visible.
    page.locator("summary", has_text="Menu").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Write"
    # Escape closes it and puts focus back on its button; so does a click elsewhere.
    page.keyboard.press("Escape")
    assert not page.get_by_role("link", name="Write", exact=True).first.is_visible()
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Menu"
    page.keyboard.press("Enter")
    assert panel.get_by_role("link", name="Supervision", exact=True).is_visible()
    page.mouse.click(5, 730)  # bottom left, outside the panel
    assert not panel.get_by_role("link", name="Supervision", exact=True).is_visible()


def test_at_1280_the_primary_links_show_and_the_account_menu_opens(page: Any, alice: User) -> None:
    seed(alice, n=3)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, alice.email)
    page.goto("/review/")
    nav = page.get_by_role("navigation", name="Main", exact=True)
    for name in ("Write", "Entries", "Repairs", "Commitments", "Review", "Search", "Insights",
                 "Export"):  # fmt: skip
        assert nav.get_by_role("link", name=name, exact=True).is_visible(), name
    assert nav.get_by_role("link", name="Review", exact=True).get_attribute("aria-current") == (
        "page"
    )
    assert not page.get_by_role("link", name="Trash", exact=True).is_visible()
    page.locator("summary", has_text="My account").click()
    page.get_by_role("link", name="Trash", exact=True).click()
    page.get_by_role("heading", name="Trash").first.wait_for()


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_review_lists_show_the_writing_and_growth_is_a_list(
    page: Any, alice: User, width: int, height: int
) -> None:
    prompt = seed(alice)
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, alice.email)
    page.goto("/entries/")
    assert page.get_by_text("I noticed the harvest mattered (29).").is_visible()
    page.goto("/review/")
    page.get_by_role("link", name="Growth by prompt").click()
    page.get_by_role("link", name=prompt.text).click()
    page.get_by_role("heading", name=prompt.text).wait_for()
    write = page.get_by_role("link", name="Write about this")
    assert write.get_attribute("href") == f"/entries/new/?prompt={prompt.pk}"
    assert page.get_by_text("30 answers, oldest first.").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.get_by_label("From").fill("2026-01-05")
    page.get_by_label("To").fill("2026-01-07")
    page.get_by_role("button", name="Show this period").click()
    page.get_by_text("3 answers in this period, oldest first.").wait_for()
    page.goto("/review/clients/C-7Q4/")
    assert page.get_by_text("I noticed the harvest mattered (0).").is_visible()


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_search_is_paged_sorted_and_highlighted(
    page: Any, alice: User, width: int, height: int
) -> None:
    seed(alice)
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, alice.email)
    page.goto("/search/")
    page.get_by_label("Search my journal").fill("harvest")
    page.get_by_label("Sort by").select_option(label="Date, newest first")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("30 results.").wait_for()
    first = page.locator("ol li.panel").first
    assert "30 Jan 2026" in first.inner_text()
    assert first.locator("mark").first.inner_text().lower() == "harvest"
    assert not first.locator(".snippet").inner_text().startswith("C-7Q4")
    page.get_by_role("link", name="Next page").click()
    page.get_by_text("Showing 26 to 30").wait_for()
    assert "sort=date" in page.url and "q=harvest" in page.url
    assert page.get_by_label("Sort by").input_value() == "date"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_due_repairs_and_time_zones_are_worded_plainly(
    page: Any, alice: User, width: int, height: int
) -> None:
    seed(alice, n=1)
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, alice.email)
    page.goto("/repairs/")
    page.get_by_role("heading", name="Overdue").wait_for()
    assert page.get_by_role("heading", name="Due this week").is_visible()
    assert page.get_by_text("1 overdue").is_visible()
    page.goto("/accounts/profile/")
    zone = page.get_by_label("My time zone")
    first = zone.locator("optgroup").first
    assert first.get_attribute("label") == "Common time zones"
    zone.select_option("Europe/London")
