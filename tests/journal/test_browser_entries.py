from __future__ import annotations

from typing import Any

import pytest

from journal.models import Entry
from reflect.models import User
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your journal", exact=True).wait_for()


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_autosave_keeps_text_when_the_tab_is_closed(
    chromium: Any, page: Any, live_server: Any, builtin: None
) -> None:
    User.objects.create_user("writer@example.org", PASSWORD)
    log_in(page, "writer@example.org")
    page.goto("/entries/new/?template=after-session")
    page.get_by_text("Notes, tags and supervision").click()  # folded until opened
    notes = page.get_by_label("Notes")
    notes.click()
    page.keyboard.type("The client spoke about their grandmother's faith.")
    page.get_by_text("Draft saved at").wait_for()
    # More words, then the tab closes before the next autosave tick.
    page.keyboard.type(" I moved on too quickly.")
    context = page.context
    page.close(run_before_unload=True)

    reopened = context.new_page()
    reopened.goto("/entries/")
    reopened.get_by_role("link", name="After session").first.click()
    reopened.get_by_role("link", name="Edit").click()
    text = reopened.get_by_label("Notes").input_value()
    assert text == "The client spoke about their grandmother's faith. I moved on too quickly."
    assert Entry.objects.get().status == "draft"


def test_an_entry_can_be_written_with_the_keyboard_alone(page: Any, builtin: None) -> None:
    User.objects.create_user("keys@example.org", PASSWORD)
    log_in(page, "keys@example.org")
    tab_to(page, "a.btn-primary")  # "Write after a session"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="New entry: After session").wait_for()

    tab_to(page, "#id_client_code")
    page.keyboard.type("C-4K7")
    tab_to(page, "textarea[name^=answer_]")
    page.keyboard.type("We talked about moving countries.")
    # The optional parts are folded: open one from the keyboard, as a summary is a button.
    tab_to(page, "details.fold:has(#id_cultural_moment_0) > summary")
    page.keyboard.press("Enter")
    tab_to(page, "input[name=cultural_moment]")
    page.keyboard.press("ArrowDown")  # from "Not noted" to "Yes"
    tab_to(page, "#id_feelings")
    page.keyboard.type("curious, a little tense")
    tab_to(page, "details.fold:has(#id_tags) > summary")
    page.keyboard.press("Space")
    tab_to(page, "#id_tags")
    page.keyboard.type("migration")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.get_by_text("Saved.").wait_for()
    entry = Entry.objects.get()
    assert entry.client_code == "C-4K7"
    assert entry.cultural_moment == "yes"
    assert entry.feelings == "curious, a little tense"
    assert entry.answers.get().text == "We talked about moving countries."
    # Save keeps a draft until the clinician marks it complete, from the keyboard too.
    assert entry.status == "draft"
    tab_to(page, "a[href$='/edit/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/edit/")
    tab_to(page, "#id_status")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text("Saved.").wait_for()
    entry.refresh_from_db()
    assert entry.status == "complete"


def test_a_field_error_is_shown_beside_the_field_in_the_browser(page: Any, builtin: None) -> None:
    User.objects.create_user("err@example.org", PASSWORD)
    log_in(page, "err@example.org")
    page.goto("/entries/new/?template=")
    page.get_by_text("Client code and session").click()  # the free write folds it away
    page.get_by_label("Client code").fill("Maria")
    page.get_by_label("Notes").fill("Words to keep")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("This looks like a name").first.wait_for()
    assert page.get_by_label("Notes").input_value() == "Words to keep"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_likely_identifier_gets_a_gentle_notice_while_typing(page: Any) -> None:
    User.objects.create_user("notice@example.org", PASSWORD)
    log_in(page, "notice@example.org")
    page.goto("/entries/new/?template=")
    page.get_by_label("Notes").click()
    page.keyboard.type("Today Maria Gonzalez talked about her mother.")
    notice = page.locator("#identifier-notice")
    wanted = "This may identify a client: \u201cMaria Gonzalez\u201d (a name)"
    for _ in range(50):
        if wanted in (notice.text_content() or ""):
            break
        page.wait_for_timeout(200)
    else:
        raise AssertionError(f"no notice; saw {notice.text_content()!r}")
    # It never blocks: the draft is saved all the same.
    page.get_by_text("Draft saved at").wait_for()
    page.close()
    assert Entry.objects.get().body == "Today Maria Gonzalez talked about her mother."
