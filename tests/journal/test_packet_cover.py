"""The packet's cover says who, for whom and why; it ends with the supervisor's sign-off."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.test import Client

from journal import exports
from journal.models import Entry, Packet, RepairNote
from reflect.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def packet(alice: User) -> Packet:
    alice.display_name = "Dr Amara Okafor"
    alice.credentials = "Clinical psychologist"
    alice.registration_number = "PYL041234"
    alice.save()
    p = Packet.objects.create(
        owner=alice,
        title="March supervision",
        supervisor_name="Jordan Reyes",
        purpose="Monthly clinical supervision",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        focal_moments="The silence after I asked about family.",
        month_year_dates=False,  # full dates, to check them; month and year is the default
    )
    for day in (3, 14):
        p.entries.add(
            Entry.objects.create(owner=alice, session_date=date(2026, 3, day), body="Notes.")
        )
    p.repairs.add(
        RepairNote.objects.create(owner=alice, moment_date=date(2026, 3, 20), my_part="Mine.")
    )
    return p


COVER = [
    "Dr Amara Okafor",
    "Clinical psychologist",
    "PYL041234",
    "Jordan Reyes",
    "Monthly clinical supervision",
    "1 March 2026 to 31 March 2026",
]


def test_the_cover_states_who_for_whom_why_and_how_much(packet: Packet) -> None:
    doc = exports.build_document(packet)
    assert dict(doc.facts) == {
        "Supervisee": "Dr Amara Okafor",
        "Credentials": "Clinical psychologist",
        "Registration or licence number": "PYL041234",
        "Supervisor": "Jordan Reyes",
        "Purpose": "Monthly clinical supervision",
        "Period covered": "1 March 2026 to 31 March 2026",
    }
    assert ("Entries", 2) in doc.counts
    assert ("Repair notes", 1) in doc.counts
    assert doc.sign_off[0] == ("Supervisor's name", "Jordan Reyes")


def test_without_a_period_the_cover_gives_the_span_of_what_it_holds(packet: Packet) -> None:
    packet.period_start = packet.period_end = None
    packet.month_year_dates = True
    packet.save()
    assert dict(exports.build_document(packet).facts)["Period covered"] == "March 2026"
    packet.month_year_dates = False
    packet.save()
    assert dict(exports.build_document(packet).facts)["Period covered"] == (
        "3 March 2026 to 20 March 2026"
    )


def test_empty_profile_fields_are_left_off_the_cover(alice: User) -> None:
    packet = Packet.objects.create(owner=alice, title="Bare")
    facts = dict(exports.build_document(packet).facts)
    assert facts == {"Supervisee": "alice@example.org"}
    # The sign-off still leaves a line for the supervisor to write their name on.
    assert exports.build_document(packet).sign_off[0] == ("Supervisor's name", "")


def test_the_pdf_has_the_cover_and_ends_with_the_sign_off(packet: Packet) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(exports.render_pdf(exports.build_document(packet))))
    cover = " ".join(reader.pages[0].extract_text().split())
    for value in [*COVER, "Entries: 2", "Repair notes: 1"]:
        assert value in cover, value
    last = " ".join(reader.pages[-1].extract_text().split())
    for label in [
        "Supervisor's comments and sign-off",
        "Comments",
        "Supervisor's name",
        "Jordan Reyes",
        "Registration or licence number",
        "Signature",
        "Date",
    ]:
        assert label in last, label
    text = " ".join(page.extract_text() for page in reader.pages)
    assert not re.search(r"(^|\s)i(\s|$)", text), "a lowercase “i” in the PDF"


def test_the_docx_has_the_cover_and_ends_with_the_sign_off(packet: Packet) -> None:
    from docx import Document as Word

    word = Word(io.BytesIO(exports.render_docx(exports.build_document(packet))))
    paragraphs = [p.text for p in word.paragraphs]
    first_heading = paragraphs.index("Supervisor's comments and sign-off")
    cover = paragraphs[:8]
    for value in COVER:
        assert any(value in line for line in cover), value
    assert "Supervisee: Dr Amara Okafor" in paragraphs
    assert "Entries: 2" in paragraphs and "Repair notes: 1" in paragraphs
    sign_off = paragraphs[first_heading:]
    assert "Supervisor's name: Jordan Reyes" in sign_off
    for label in ("Registration or licence number: ___", "Signature: ___", "Date: ___"):
        assert any(line.startswith(label) for line in sign_off), label
    assert not any(re.search(r"(^|\s)i(\s|$)", line) for line in paragraphs)


def test_markdown_and_html_carry_the_same_cover_and_sign_off(packet: Packet) -> None:
    doc = exports.build_document(packet)
    md = exports.render_markdown_text(doc)
    assert "- **Supervisor:** Jordan Reyes" in md
    assert "- **Purpose:** Monthly clinical supervision" in md
    assert md.index("## Supervisor's comments and sign-off") > md.index("## Repair note")
    assert "Signature: ____" in md
    html = exports.render_html(doc)
    for value in COVER:
        assert value in html, value
    assert html.index("sign-off") > html.index("item-repair")


def test_the_profile_keeps_my_name_and_credentials(alice_client: Client, alice: User) -> None:
    r = alice_client.get("/accounts/profile/")
    for label in ("My name", "My credentials", "My registration or licence number"):
        assert label in r.content.decode(), label
    r = alice_client.post(
        "/accounts/profile/",
        {
            "display_name": "Amara Okafor",
            "credentials": "LCSW",
            "registration_number": "12345",
            "time_zone": alice.time_zone,
        },
    )
    assert r.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.credentials, alice.registration_number) == (
        "Amara Okafor",
        "LCSW",
        "12345",
    )


def test_the_packet_form_takes_the_supervisor_and_purpose(alice_client: Client) -> None:
    r = alice_client.get("/export/")
    assert "My supervisor&#x27;s name" in r.content.decode()
    alice_client.post(
        "/export/",
        {"title": "April", "supervisor_name": "Jordan Reyes", "purpose": "Portfolio review"},
    )
    packet = Packet.objects.get(title="April")
    assert (packet.supervisor_name, packet.purpose) == ("Jordan Reyes", "Portfolio review")
