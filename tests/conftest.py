"""Shared fixtures, in the manner of healthchecks' BaseTestCase.

alice owns things, bob is another clinician who must never see them, and
charlie has an account with nothing in it.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from reflect.models import User
from reflect.security import has_mfa

PASSWORD = "correct horse battery staple"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user("alice@example.org", PASSWORD)


@pytest.fixture
def bob(db: None) -> User:
    return User.objects.create_user("bob@example.org", PASSWORD)


@pytest.fixture
def charlie(db: None) -> User:
    return User.objects.create_user("charlie@example.org", PASSWORD)


def signed_in(user: User) -> Client:
    """A client signed in as ``user``. Its first request records when the session was last
    refreshed (a session write), so later requests that are counted write nothing."""
    client = Client()
    client.force_login(user)
    # As if they had just confirmed their password (allauth's re-authentication), so
    # backup, import and account deletion go straight through; tests/reflect/test_reauth.py
    # checks that without it they ask first.
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True, "email": user.email}
    ]
    if has_mfa(user):  # as a sign-in that asked for the code too
        session["account_authentication_methods"].append(
            {"method": "mfa", "at": time.time(), "type": "totp"}
        )
    session.save()
    client.get("/healthz")
    return client


@pytest.fixture
def alice_client(alice: User) -> Client:
    return signed_in(alice)


@pytest.fixture
def bob_client(bob: User) -> Client:
    return signed_in(bob)


# --- Browser tests -------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """The system Chromium, driven by Playwright. Playwright never downloads a browser here."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: browser tests need it (apt-get install chromium)"
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and REQUIRE_BROWSER=1 is set", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between browser steps are still ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    external: list[str] = []

    def note_request(request: Any) -> None:
        if not request.url.startswith(live_server.url):
            external.append(request.url)

    pg.on("request", note_request)
    yield pg
    context.close()
    assert external == [], f"pages requested other hosts: {external}"


@pytest.fixture
def builtin(db: None) -> None:
    """The built-in prompts and templates, as `make run` loads them."""
    from reflect.services import builtin_content_load

    builtin_content_load()


def entry_data(**overrides: Any) -> dict[str, Any]:
    """POST data for the entry form, as a browser would send it."""
    import uuid

    from django.utils import timezone

    data: dict[str, Any] = {
        "session_date": timezone.localdate().isoformat(),
        "client_code": "C-7Q4",
        "session_kind": "ongoing",
        "cultural_moment": "yes",
        "my_response": "explored",
        "feelings": "curious",
        "addressing_domains": ["religion"],
        "tags": "faith, family",
        "body": "We talked about what *helps*.",
        "status": "complete",
        "edit_session": str(uuid.uuid4()),
        "draft_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def alices_entry(alice: User) -> Any:
    from journal.models import Entry

    return Entry.objects.create(
        owner=alice, client_code="C-3K9", body="The first words.", status="complete"
    )


def repair_data(**overrides: Any) -> dict[str, Any]:
    """POST data for the repair note form."""
    import uuid

    from django.utils import timezone

    data: dict[str, Any] = {
        "moment_date": timezone.localdate().isoformat(),
        "client_code": "C-7Q4",
        "observed": "withdrawal",
        "misstep_kind": "assumption",
        "my_part": "I assumed the family would be the main support.",
        "reactions": "A wish to explain myself.",
        "acknowledge_step": "planned",
        "acknowledge_text": "",
        "apologise_step": "not_yet",
        "apologise_text": "",
        "commit_step": "planned",
        "commit_text": "Ask before assuming who supports them.",
        "client_response": "",
        "status": "open",
        "revisit_date": "",
        "next_step": "",
        "learning": "",
        "supervision_question": "",
        "systemic_factor": "",
        "edit_session": str(uuid.uuid4()),
        "draft_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def alices_repair(alice: User) -> Any:
    from journal.models import RepairNote, RepairStatusChange

    repair = RepairNote.objects.create(owner=alice, client_code="C-3K9", my_part="My words.")
    RepairStatusChange.objects.create(repair=repair, old_status="", new_status="open")
    return repair
