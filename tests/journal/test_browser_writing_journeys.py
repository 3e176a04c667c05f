"""Writing journeys walked in Chromium, by labels and button text, at 360 px and 1280 px."""

from __future__ import annotations

import re
from typing import Any

import pytest

from journal.models import Commitment, Entry
from reflect.models import IdentityMapVersion, Prompt, User
from tests.conftest import PASSWORD
from tests.journal.test_browser_entries import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [360, 1280]


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def width(request: Any, page: Any) -> int:
    page.set_viewport_size({"width": request.param, "height": 800})
    return int(request.param)


def _fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _wait_for(check: Any, what: str, tries: int = 60) -> None:
    import time

    for _ in range(tries):
        if check():
            return
        time.sleep(0.25)
    raise AssertionError(what)


# --- 2. Signed out while writing --------------------------------------------------------


def test_text_typed_after_the_session_ended_is_saved_after_signing_in_again(
    page: Any, width: int, builtin: None
) -> None:
    User.objects.create_user("idle@example.org", PASSWORD)
    log_in(page, "idle@example.org")
    page.goto("/entries/new/?template=")
    notes = page.get_by_label("Notes")
    notes.click()
    page.keyboard.type("The client spoke about leaving home.")
    page.get_by_text("Draft saved at").wait_for()

    # The idle logout: the session cookie is gone (at 1280 px, every cookie, CSRF's too).
    if width == 360:
        page.context.clear_cookies(name="sessionid")
    else:
        page.context.clear_cookies()
    page.keyboard.type(" I did not ask what home meant to them.")
    page.get_by_role("button", name="Save", exact=True).click()

    alert = page.get_by_role("alert").filter(has_text="Signed out — sign in to keep this text")
    alert.wait_for()
    assert "/edit/" in page.url  # still on the page, nothing lost
    assert notes.input_value().endswith("what home meant to them.")
    _fits(page, width)
    kept = "Object.keys(sessionStorage).filter(k => k.startsWith('reflect-'))"
    assert len(page.evaluate(kept)) == 1  # a copy in this tab only, until it is saved

    link = alert.get_by_role("link", name="Sign in again in a new tab")
    assert link.get_attribute("href") == "/accounts/login/?next=/session/back/"
    with page.context.expect_page() as opened:
        link.click()
    other = opened.value
    other.wait_for_load_state()
    assert "/accounts/login/" in other.url and "next=" in other.url
    log_in(other, "idle@example.org")
    other.goto("/session/back/")
    other.get_by_role("heading", name="You are signed in again").wait_for()
    other.close()

    page.bring_to_front()
    page.get_by_text("Saved.").wait_for(timeout=20_000)
    entry = Entry.objects.get()
    assert entry.body == (
        "The client spoke about leaving home. I did not ask what home meant to them."
    )
    assert entry.status == "draft"
    # Nothing is left behind in the tab once it is saved.
    assert page.evaluate(kept) == []


def test_a_new_entry_begun_after_the_session_ended_is_saved_and_leaves_no_copy(
    page: Any, width: int
) -> None:
    User.objects.create_user("late@example.org", PASSWORD)
    log_in(page, "late@example.org")
    page.goto("/entries/new/?template=")
    page.context.clear_cookies(name="sessionid")  # ended before the first word
    page.get_by_label("Notes").fill("Written after the idle logout.")
    # Autosave finds the session gone on its own, without pressing Save.
    page.get_by_role("alert").filter(has_text="Signed out — sign in to keep this text").wait_for()
    kept = "Object.keys(sessionStorage).filter(k => k.startsWith('reflect-'))"
    assert [k.split(":")[-1] for k in page.evaluate(kept)] == ["/entries/new/"]
    assert not Entry.objects.exists()

    other = page.context.new_page()
    log_in(other, "late@example.org")
    other.close()
    page.bring_to_front()
    page.get_by_text("Draft saved at").wait_for(timeout=20_000)
    assert Entry.objects.get().body == "Written after the idle logout."
    assert page.evaluate(kept) == []  # the copy under the new entry's first address too
    _fits(page, width)


def test_the_copy_kept_while_signed_out_is_cleared_at_logout(page: Any, width: int) -> None:
    User.objects.create_user("copy@example.org", PASSWORD)
    log_in(page, "copy@example.org")
    page.goto("/entries/new/?template=")
    page.get_by_label("Notes").fill("Words")
    page.get_by_text("Draft saved at").wait_for()
    page.evaluate("sessionStorage.setItem('reflect-unsaved:test', '[]')")
    log_out = page.get_by_role("button", name=re.compile(r"^(Sign|Log) out$")).locator(
        "visible=true"
    )
    # At 360 px (or in an account menu) it is folded behind a summary: open that first.
    for summary in page.locator("details:has(form[action='/accounts/logout/']) > summary").all():
        if summary.is_visible() and not log_out.count():
            summary.click()
    log_out.first.click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    page.wait_for_load_state()
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('reflect-'))") == []


def test_the_identity_map_saves_itself_into_one_version(page: Any, width: int) -> None:
    user = User.objects.create_user("map@example.org", PASSWORD)
    log_in(page, "map@example.org")
    page.goto("/identity/")
    # What the identifier marks listen for: every autosave answer, as an event.
    page.evaluate(
        "window.heard = []; document.addEventListener('reflect:autosaved', "
        "(e) => window.heard.push(e.detail))"
    )
    page.locator("#domain-religion").get_by_label("How I describe myself").fill("Raised Hindu")
    page.get_by_text("Draft saved at").wait_for()
    assert page.evaluate("window.heard.map((d) => d.saved)")[:1] == [True]
    page.locator("#domain-age").get_by_label("How I describe myself").fill("Forties")
    _wait_for(
        lambda: IdentityMapVersion.objects.for_user(user).filter(data__domains__has_key="age")
        .exists(),
        "the second answer was never autosaved",
    )  # fmt: skip
    version = IdentityMapVersion.objects.for_user(user).get()
    assert version.data["domains"]["religion"] == {"self_description": "Raised Hindu"}
    _fits(page, width)


# --- 3. Write from any prompt, and a free write from home --------------------------------


def test_write_about_the_prompt_of_the_day(page: Any, width: int, builtin: None) -> None:
    User.objects.create_user("daily@example.org", PASSWORD)
    log_in(page, "daily@example.org")
    prompt_text = page.locator("#daily-prompt").text_content()
    page.get_by_role("link", name="Write about this").click()
    box = page.get_by_label(prompt_text)
    box.fill("What I noticed about myself today.")
    _fits(page, width)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved.").wait_for()
    answer = Entry.objects.get().answers.get()
    assert (answer.prompt.text, answer.text) == (prompt_text, "What I noticed about myself today.")


def test_write_about_my_own_prompt_from_the_library(page: Any, width: int) -> None:
    user = User.objects.create_user("own@example.org", PASSWORD)
    Prompt.objects.create(owner=user, text="Where did I hold back today?", category="comfort")
    log_in(page, "own@example.org")
    page.goto("/prompts/")
    prompt = page.get_by_role("listitem").filter(has_text="Where did I hold back today?")
    prompt.get_by_role("link", name="Write about this").click()
    page.get_by_label("Where did I hold back today?").fill("When money came up.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved.").wait_for()
    assert Entry.objects.get().answers.get().text == "When money came up."


def test_a_free_write_from_home_is_one_box(page: Any, width: int, builtin: None) -> None:
    User.objects.create_user("free@example.org", PASSWORD)
    log_in(page, "free@example.org")
    page.get_by_role("link", name="Free write").click()
    page.get_by_role("heading", name="Free write").wait_for()
    assert page.locator("#entry-form textarea:visible").count() == 1
    assert not page.get_by_label("Client code").is_visible()  # folded, optional
    page.get_by_label("Notes").fill("A thought between sessions.")
    page.get_by_text("Client code and session").click()
    page.get_by_label("Client code").fill("C-7Q4")
    _fits(page, width)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved.").wait_for()
    entry = Entry.objects.get()
    assert (entry.body, entry.client_code, entry.template) == (
        "A thought between sessions.",
        "C-7Q4",
        None,
    )


# --- 4. One kind of repair note ---------------------------------------------------------


def test_choosing_repair_note_opens_a_repair_note(page: Any, width: int, builtin: None) -> None:
    User.objects.create_user("rep@example.org", PASSWORD)
    log_in(page, "rep@example.org")
    page.goto("/entries/new/")
    page.get_by_role("link", name="Repair note").click()
    page.get_by_role("heading", name="New repair note").wait_for()
    assert page.url.endswith("/repairs/new/")


# --- 5. The after-session form on one screen ----------------------------------------------


def test_the_after_session_form_fits_about_one_screen_and_keeps_a_draft(
    page: Any, width: int, builtin: None
) -> None:
    User.objects.create_user("short@example.org", PASSWORD)
    log_in(page, "short@example.org")
    page.get_by_role("link", name="Write after a session").click()
    page.get_by_role("heading", name="New entry: After session").wait_for()
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"after-session form at {width} px: {height} px tall")
    if width == 1280:
        assert height <= 1500, height  # was 3,400 to 4,300 px
        # The part that asks for writing ends within about one screen.
        now_what = page.get_by_role("group", name="Now what?").bounding_box()
        assert now_what["y"] + now_what["height"] <= 1100, now_what
    _fits(page, width)
    # Each heading once: "So what?" is a legend, not repeated in its question.
    assert page.get_by_text("So what?", exact=True).count() == 1
    page.get_by_label("Client code").fill("C-4K7")
    page.get_by_label("What happened? Describe the key moment in a line or two.").fill(
        "The client paused when I said 'family'."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved.").wait_for()
    assert Entry.objects.get().status == "draft"
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Mark complete").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved.").wait_for()
    assert Entry.objects.get().status == "complete"


def test_an_entry_with_only_a_client_code_is_not_kept(page: Any, width: int, builtin: None) -> None:
    User.objects.create_user("empty@example.org", PASSWORD)
    log_in(page, "empty@example.org")
    page.goto("/entries/new/?template=after-session")
    page.get_by_label("Client code").fill("C-9K4")
    page.wait_for_timeout(3500)  # an autosave tick: it keeps nothing
    assert not Entry.objects.exists()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Write something before saving.").first.wait_for()
    assert page.get_by_label("Client code").input_value() == "C-9K4"
    assert not Entry.objects.exists()
    _fits(page, width)


# --- 6. Commitments come back -----------------------------------------------------------


def test_open_commitments_show_as_soon_as_the_client_code_is_typed(
    page: Any, width: int, builtin: None
) -> None:
    user = User.objects.create_user("promise@example.org", PASSWORD)
    earlier = Entry.objects.create(owner=user, client_code="C-7Q4", body="Last week")
    Commitment.objects.create(owner=user, entry=earlier, text="Ask what faith means to them")
    Commitment.objects.create(
        owner=user, entry=earlier, text="Long done", done_at=earlier.created_at
    )
    log_in(page, "promise@example.org")
    for url in ("/entries/new/?template=after-session", "/repairs/new/"):
        page.goto(url)
        page.get_by_label("Client code").fill("C-7Q4")
        region = page.get_by_role("region", name="What I said I would do with C-7Q4")
        region.get_by_text("Ask what faith means to them").wait_for()
        assert region.get_by_text("Long done").count() == 0
        _fits(page, width)
        page.get_by_label("Client code").fill("C-3K9")
        region.wait_for(state="detached")
