"""Every main page in real Chromium at 360 px: no sideways scrolling, no CSP violations."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from journal.models import Entry, Packet, RepairNote
from reflect.models import User
from tests.journal.test_browser_entries import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_main_pages_fit_a_phone_and_break_no_policy(page: Any, builtin: None) -> None:
    out = StringIO()
    call_command(
        "seed_demo", "--email", "phone@example.org", "--entries", "60", "--seed", "5", stdout=out
    )
    user = User.objects.get(email="phone@example.org")
    from tests.conftest import PASSWORD

    user.set_password(PASSWORD)
    user.save()
    entry = Entry.objects.for_user(user).first()
    repair = RepairNote.objects.for_user(user).first()
    packet = Packet.objects.create(owner=user, title="Phone packet")
    packet.entries.add(entry)

    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    log_in(page, "phone@example.org")
    paths = [
        "/", "/entries/", "/entries/new/", "/entries/new/?template=after-session",
        f"/entries/{entry.pk}/", f"/entries/{entry.pk}/edit/", f"/entries/{entry.pk}/history/",
        "/entries/trash/", "/repairs/", "/repairs/new/", f"/repairs/{repair.pk}/",
        "/commitments/", "/review/", "/search/?q=faith", "/review/prompts/",
        "/review/clients/", "/insights/", "/prompts/", "/identity/", "/identity/history/",
        "/export/", "/export/packets/", f"/export/packets/{packet.pk}/", "/import/",
        "/accounts/profile/", "/accounts/password/change/", "/accounts/delete/",
    ]  # fmt: skip
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide at 360px"
        heading = page.locator("h1").first
        assert heading.is_visible(), path
    assert problems == [], problems
