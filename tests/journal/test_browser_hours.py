"""A clinician logs three supervision sessions, reads the totals and downloads the hours."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from journal.models import Packet, SupervisionSession
from reflect.models import User
from tests.journal.test_browser_entries import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SESSIONS = [
    # (date, minutes, modality, supervisor, topics, packet)
    ("2026-03-03", "90", "Individual", "Jordan Reyes", "Rupture with C-7Q4", "March packet"),
    ("2026-03-17", "120", "Group", "Jordan Reyes", "Case presentation", ""),
    ("2026-04-02", "45", "Live observation", "Sam Lee", "Observed intake", ""),
]


def download(page: Any, name: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    got = info.value
    return got.suggested_filename, Path(got.path()).read_bytes()


def pdf_text(body: bytes) -> str:
    pages = PdfReader(io.BytesIO(body)).pages
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pages)


@pytest.mark.parametrize("width", [360, 1280])
def test_a_clinician_logs_three_sessions_and_downloads_the_hours(
    page: Any, alice: User, width: int
) -> None:
    Packet.objects.create(owner=alice, title="March packet")
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, alice.email)

    page.goto("/hours/")
    page.get_by_role("heading", name="Supervision log").wait_for()
    for day, minutes, modality, supervisor, topics, packet in SESSIONS:
        page.get_by_role("link", name="Log a session").click()
        page.get_by_role("heading", name="Log a supervision session").wait_for()
        page.get_by_label("Date").fill(day)
        page.get_by_label("Duration in minutes").fill(minutes)
        page.get_by_label(modality, exact=True).check()
        page.get_by_label("Supervisor").fill(supervisor)
        page.get_by_label("Topics").fill(topics)
        if packet:
            page.get_by_label(packet).check()
        page.get_by_role("button", name="Save session").click()
        page.get_by_role("heading", name="Supervision log").wait_for()
    assert SupervisionSession.objects.filter(owner=alice).count() == 3

    totals = page.get_by_role("region", name="Totals, all sessions")
    text = totals.inner_text()
    assert "4.25 hours" in text
    assert "3 sessions" in text
    for line in ("Individual: 1.50 hours", "Group: 2.00 hours", "Live observation: 0.75 hours"):
        assert line in text, line
    months = page.get_by_role("region", name="By month", exact=True).inner_text()
    assert "Mar 2026" in months and "Apr 2026" in months
    sessions = page.get_by_role("region", name="Sessions", exact=True).inner_text()
    assert "1 h 30 min" in sessions and "2 h" in sessions and "45 min" in sessions
    page.get_by_role("link", name="March packet").wait_for()  # the packet discussed
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the log is {scroll}px wide at {width}px"

    # Editing shows what was saved, the date included, and keeps it.
    page.get_by_role("link", name="17 Mar 2026").click()
    page.get_by_role("heading", name="Edit the session of 17 Mar 2026").wait_for()
    assert page.get_by_label("Date").input_value() == "2026-03-17"
    assert page.get_by_label("Group", exact=True).is_checked()
    page.get_by_label("Topics").fill("Case presentation")
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Saved the session of 17 Mar 2026.").wait_for()

    # The period for March only, and the downloads keep it.
    page.get_by_label("From").fill("2026-03-01")
    page.get_by_label("To", exact=True).fill("2026-03-31")
    page.get_by_role("button", name="Show this period").click()
    page.get_by_role("heading", name="Totals, from 1 Mar 2026 to 31 Mar 2026").wait_for()
    assert "3.50 hours" in page.get_by_role("region", name="Totals, from").inner_text()

    name, body = download(page, "Download CSV")
    assert name == "supervision-hours-2026-03-01-to-2026-03-31.csv"
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert [r[:4] for r in rows[1:3]] == [
        ["2026-03-03", "90", "1.50", "Individual"],
        ["2026-03-17", "120", "2.00", "Group"],
    ]
    assert rows[1][6] == "March packet"
    assert ["All sessions", "2", "210", "3.50"] in rows

    name, body = download(page, "Download PDF")
    assert name == "supervision-hours-2026-03-01-to-2026-03-31.pdf"
    pdf = pdf_text(body)
    for expected in ("Supervision log", "1 March 2026 to 31 March 2026", "Case presentation",
                     "3.50", "I confirm these hours of supervision", "Signature"):  # fmt: skip
        assert expected in pdf, expected
    assert "Observed intake" not in pdf  # April is outside the period

    # All sessions again: the PDF counts the live observation too.
    page.get_by_role("link", name="All sessions").click()
    name, body = download(page, "Download PDF")
    assert name == "supervision-hours-2026-03-03-to-2026-04-02.pdf"
    pdf = pdf_text(body)
    assert "Live observation" in pdf and "4.25" in pdf
