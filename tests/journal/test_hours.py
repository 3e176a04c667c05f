"""The supervision log: sessions, totals by month and period, CSV and PDF downloads."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from journal.hours import cell, duration_text, hours_text
from journal.models import Packet, SupervisionSession
from reflect.models import User

LIST = reverse("journal:hours")
CREATE = reverse("journal:hours_create")
CSV = reverse("journal:hours_csv")
PDF = reverse("journal:hours_pdf")


def session_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": "2026-03-03",
        "minutes": "90",
        "modality": "individual",
        "supervisor_name": "Jordan Reyes",
        "topics": "Rupture and repair with C-7Q4\nThen: my own reactions",
    }
    data.update(overrides)
    return data


def log(owner: User, day: date, minutes: int, modality: str, **fields: Any) -> SupervisionSession:
    return SupervisionSession.objects.create(
        owner=owner, date=day, minutes=minutes, modality=modality, **fields
    )


@pytest.fixture
def sessions(alice: User) -> list[SupervisionSession]:
    """Sessions across three months and every modality, one of them in the trash."""
    packet = Packet.objects.create(owner=alice, title="March packet")
    first = log(alice, date(2026, 1, 20), 60, "individual", supervisor_name="Jordan Reyes")
    first.packets.add(packet)
    return [
        first,
        log(alice, date(2026, 3, 3), 90, "individual", supervisor_name="Jordan Reyes"),
        log(alice, date(2026, 3, 17), 120, "group", supervisor_name="Jordan Reyes"),
        log(alice, date(2026, 3, 31), 45, "live", supervisor_name="Sam Lee"),
        log(alice, date(2026, 4, 1), 30, "group", supervisor_name="Sam Lee"),
        log(alice, date(2026, 3, 10), 600, "individual", deleted_at=timezone.now()),
    ]


# --- Creating, editing, trash ---------------------------------------------------------------


def test_the_owner_logs_a_session_with_the_packets_discussed(
    alice: User, alice_client: Client
) -> None:
    packet = Packet.objects.create(owner=alice, title="March packet")
    response = alice_client.post(CREATE, session_data(packets=[packet.pk]))
    assert response.status_code == 302
    assert response["Location"] == LIST
    session = SupervisionSession.objects.get(owner=alice)
    assert (session.date, session.minutes, session.modality) == (date(2026, 3, 3), 90, "individual")
    assert list(session.packets.all()) == [packet]
    page = alice_client.get(LIST).content.decode()
    assert "1 h 30 min" in page
    assert "Rupture and repair with C-7Q4" in page
    assert "Then: my own reactions" not in page  # only the first line of the topics
    assert reverse("journal:packet_preview", args=[packet.pk]) in page


def test_the_form_page_labels_every_field(alice_client: Client) -> None:
    page = alice_client.get(CREATE).content.decode()
    for label in ("Date", "Duration in minutes", "Individual", "Group", "Live observation",
                  "Supervisor", "Topics"):  # fmt: skip
        assert label in page, label


def test_errors_show_beside_the_field_and_keep_what_was_typed(
    alice: User, alice_client: Client
) -> None:
    response = alice_client.post(CREATE, session_data(minutes="3", topics="Kept topic words"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 5." in page
    assert "Kept topic words" in page
    assert 'value="3"' in page
    assert not SupervisionSession.objects.exists()


def test_the_owner_edits_a_session(alice: User, alice_client: Client) -> None:
    session = log(alice, date(2026, 3, 3), 60, "individual", supervisor_name="Jordan Reyes")
    url = reverse("journal:hours_update", args=[session.pk])
    form_page = alice_client.get(url).content.decode()
    assert "Jordan Reyes" in form_page
    assert 'value="2026-03-03"' in form_page  # a date input reads only ISO dates
    response = alice_client.post(url, session_data(minutes="75", modality="group"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.minutes, session.modality) == (75, "group")


def test_a_packet_of_another_clinician_cannot_be_linked(
    alice: User, bob: User, alice_client: Client
) -> None:
    bobs = Packet.objects.create(owner=bob, title="Bob's packet")
    response = alice_client.post(CREATE, session_data(packets=[bobs.pk]))
    assert response.status_code == 200
    assert not SupervisionSession.objects.exists()


def test_a_packet_id_no_database_could_hold_is_an_error_not_a_crash(
    alice_client: Client,
) -> None:
    response = alice_client.post(CREATE, session_data(packets=["99999999999999999999999"]))
    assert response.status_code == 200
    assert not SupervisionSession.objects.exists()


def test_the_log_is_paged_and_the_pages_keep_the_period(alice: User, alice_client: Client) -> None:
    for day in range(1, 26):
        log(alice, date(2026, 3, day), 60, "individual")
    response = alice_client.get(LIST, {"from": "2026-03-01", "to": "2026-03-31"})
    assert len(response.context["rows"]) == 20
    assert response.context["totals"].total.sessions == 25  # totals count every page
    assert "?from=2026-03-01&amp;to=2026-03-31&amp;page=2" in response.content.decode()
    second = alice_client.get(LIST, {"from": "2026-03-01", "to": "2026-03-31", "page": "2"})
    assert len(second.context["rows"]) == 5


def test_delete_moves_to_the_trash_and_offers_to_put_it_back(
    alice: User, alice_client: Client
) -> None:
    session = log(alice, date(2026, 3, 3), 60, "individual")
    response = alice_client.post(reverse("journal:hours_delete", args=[session.pk]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.deleted_at is not None
    page = alice_client.get(LIST).content.decode()
    assert "Moved the session of 3 Mar 2026 to the trash." in page
    assert reverse("journal:hours_restore", args=[session.pk]) in page
    assert "0.00 hours" in page  # no longer counted

    response = alice_client.post(reverse("journal:hours_restore", args=[session.pk]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.deleted_at is None
    assert "1.00 hours" in alice_client.get(LIST).content.decode()


def test_a_session_in_the_trash_cannot_be_edited(alice: User, alice_client: Client) -> None:
    session = log(alice, date(2026, 3, 3), 60, "individual", deleted_at=timezone.now())
    assert alice_client.get(reverse("journal:hours_update", args=[session.pk])).status_code == 404


# --- Access ---------------------------------------------------------------------------------


def test_another_clinician_gets_404_and_changes_nothing(
    sessions: list[SupervisionSession], bob_client: Client
) -> None:
    live, trashed = sessions[0], sessions[-1]
    before = list(SupervisionSession.objects.order_by("pk").values())
    update = reverse("journal:hours_update", args=[live.pk])
    assert bob_client.get(update).status_code == 404
    assert bob_client.post(update, session_data(minutes="500")).status_code == 404
    for name, obj in (("hours_delete", live), ("hours_restore", trashed),
                      ("hours_delete", trashed), ("hours_restore", live)):  # fmt: skip
        assert bob_client.post(reverse(f"journal:{name}", args=[obj.pk])).status_code == 404
    assert list(SupervisionSession.objects.order_by("pk").values()) == before


def test_another_clinicians_sessions_are_not_listed_counted_or_downloaded(
    sessions: list[SupervisionSession], bob_client: Client
) -> None:
    page = bob_client.get(LIST).content.decode()
    assert "0.00 hours" in page
    assert "Jordan Reyes" not in page
    assert "Jordan Reyes" not in bob_client.get(CSV).content.decode()


@pytest.mark.parametrize("name", ["hours", "hours_create", "hours_csv", "hours_pdf"])
def test_anonymous_is_sent_to_log_in(client: Client, name: str) -> None:
    response = client.get(reverse(f"journal:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["hours_update", "hours_delete", "hours_restore"])
def test_anonymous_is_sent_to_log_in_from_a_session(
    client: Client, sessions: list[SupervisionSession], name: str
) -> None:
    url = reverse(f"journal:{name}", args=[sessions[0].pk])
    response = client.post(url, session_data())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["hours_delete", "hours_restore"])
def test_get_is_refused_where_only_post_makes_sense(
    alice_client: Client, sessions: list[SupervisionSession], name: str
) -> None:
    pk = sessions[-1].pk if name == "hours_restore" else sessions[0].pk
    assert alice_client.get(reverse(f"journal:{name}", args=[pk])).status_code == 405
    assert SupervisionSession.objects.filter(deleted_at__isnull=False).count() == 1


# --- Totals and the period ------------------------------------------------------------------


def test_totals_by_month_and_by_modality(
    alice_client: Client, sessions: list[SupervisionSession]
) -> None:
    response = alice_client.get(LIST)
    totals = response.context["totals"]
    # The trashed 600 minutes are not counted.
    assert (totals.total.sessions, totals.total.minutes, totals.total.hours) == (5, 345, "5.75")
    assert [(label, t.sessions, t.hours) for label, t in totals.modalities] == [
        ("Individual", 2, "2.50"),
        ("Group", 2, "2.50"),
        ("Live observation", 1, "0.75"),
    ]
    months = [
        (m.month, m.total.sessions, m.total.hours, [t.hours for t in m.modalities])
        for m in totals.months
    ]
    assert months == [
        (date(2026, 1, 1), 1, "1.00", ["1.00", "0.00", "0.00"]),
        (date(2026, 3, 1), 3, "4.25", ["1.50", "2.00", "0.75"]),
        (date(2026, 4, 1), 1, "0.50", ["0.00", "0.50", "0.00"]),
    ]
    page = response.content.decode()
    assert "5.75 hours" in page
    assert "Mar 2026" in page


def test_totals_follow_the_chosen_period(
    alice_client: Client, sessions: list[SupervisionSession]
) -> None:
    response = alice_client.get(LIST, {"from": "2026-03-01", "to": "2026-03-31"})
    totals = response.context["totals"]
    assert (totals.total.sessions, totals.total.hours) == (3, "4.25")
    assert [m.month for m in totals.months] == [date(2026, 3, 1)]
    assert len(response.context["rows"]) == 3
    page = response.content.decode()
    # The downloads keep the period.
    assert f"{CSV}?from=2026-03-01&amp;to=2026-03-31" in page
    assert f"{PDF}?from=2026-03-01&amp;to=2026-03-31" in page


def test_from_after_to_is_said_beside_the_field(
    alice_client: Client, sessions: list[SupervisionSession]
) -> None:
    response = alice_client.get(LIST, {"from": "2026-04-01", "to": "2026-03-01"})
    page = response.content.decode()
    assert 'id="id_from_error"' in page
    assert "is after To" in page
    assert 'value="2026-04-01"' in page  # what was typed stays
    assert "Download CSV" not in page  # no download of a period that is wrong
    # Never silently narrowed to nothing: everything is shown, and the page says so.
    assert response.context["totals"].total.sessions == 5
    assert "every session is shown" in page


def test_a_malformed_date_is_said_beside_the_field(alice_client: Client) -> None:
    page = alice_client.get(LIST, {"to": "31/03/2026"}).content.decode()
    assert 'id="id_to_error"' in page
    assert "Enter a date such as 2026-03-01" in page


def test_downloads_of_a_wrong_period_go_back_to_the_list(alice_client: Client) -> None:
    for url in (CSV, PDF):
        response = alice_client.get(url, {"from": "2026-04-01", "to": "2026-03-01"})
        assert response.status_code == 302
        assert response["Location"] == f"{LIST}?from=2026-04-01&to=2026-03-01"


# --- Downloads ------------------------------------------------------------------------------


def test_the_csv_has_one_row_a_session_then_the_totals(
    alice_client: Client, sessions: list[SupervisionSession]
) -> None:
    response = alice_client.get(CSV, {"from": "2026-01-01", "to": "2026-03-31"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="supervision-hours-2026-01-01-to-2026-03-31.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Date", "Minutes", "Hours", "Modality", "Supervisor", "Topics",
                       "Packets discussed"]  # fmt: skip
    assert rows[1] == ["2026-01-20", "60", "1.00", "Individual", "Jordan Reyes", "",
                       "March packet"]  # fmt: skip
    assert [r[0] for r in rows[2:5]] == ["2026-03-03", "2026-03-17", "2026-03-31"]
    assert rows[5] == []
    assert rows[6:11] == [
        ["Totals", "Sessions", "Minutes", "Hours"],
        ["Individual", "2", "150", "2.50"],
        ["Group", "1", "120", "2.00"],
        ["Live observation", "1", "45", "0.75"],
        ["All sessions", "4", "315", "5.25"],
    ]
    assert rows[12:] == [
        ["Month", "Sessions", "Minutes", "Hours"],
        ["2026-01", "1", "60", "1.00"],
        ["2026-03", "3", "255", "4.25"],
    ]


def test_the_csv_without_a_period_is_named_after_the_sessions_span(
    alice_client: Client, sessions: list[SupervisionSession]
) -> None:
    response = alice_client.get(CSV)
    assert "supervision-hours-2026-01-20-to-2026-04-01.csv" in response["Content-Disposition"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_csv_never_starts_a_cell_with_a_formula(
    alice: User, alice_client: Client, start: str
) -> None:
    payload = f'{start}HYPERLINK("https://evil.example","x")'
    log(alice, date(2026, 3, 3), 60, "individual", supervisor_name=payload, topics=payload)
    Packet.objects.create(owner=alice, title=payload).supervision_sessions.add(
        SupervisionSession.objects.get()
    )
    rows = list(csv.reader(io.StringIO(alice_client.get(CSV).content.decode())))
    supervisor, topics, packets = rows[1][4:7]
    for value in (supervisor, topics, packets):
        assert value == "'" + payload


def test_the_pdf_has_the_sessions_the_totals_and_a_sign_off(
    alice: User, alice_client: Client, sessions: list[SupervisionSession]
) -> None:
    alice.display_name = "Dr Amara Okafor"
    alice.credentials = "Clinical psychologist"
    alice.registration_number = "PYL041234"
    alice.save()
    response = alice_client.get(PDF, {"from": "2026-03-01", "to": "2026-04-30"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="supervision-hours-2026-03-01-to-2026-04-30.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    text = " ".join(text.split())
    for expected in (
        "Supervision log",
        "Dr Amara Okafor",
        "Clinical psychologist",
        "PYL041234",
        "1 March 2026 to 30 April 2026",
        "3 Mar 2026",
        "17 Mar 2026",
        "31 Mar 2026",
        "1 Apr 2026",
        "Live observation",
        "Sam Lee",
        "Totals by modality",
        "Totals by month",
        "March 2026",
        "April 2026",
        "4.25",
        "4.75",  # all sessions of the period
        "Supervisor's sign-off",
        "I confirm these hours of supervision",
        "Supervisor's name",
        "Credential",
        "Registration or licence number",
        "Signature",
        "Date",
    ):
        assert expected in text, expected
    assert "20 Jan 2026" not in text  # before the period


def test_the_downloads_are_never_cached(
    alice_client: Client, sessions: list[SupervisionSession]
) -> None:
    for url in (CSV, PDF):
        response = alice_client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
        assert response["Content-Disposition"].startswith('attachment; filename="'), url


@pytest.mark.parametrize(
    ("minutes", "hours", "duration"),
    [(5, "0.08", "5 min"), (45, "0.75", "45 min"), (60, "1.00", "1 h"),
     (90, "1.50", "1 h 30 min"), (600, "10.00", "10 h"), (0, "0.00", "0 min")],
)  # fmt: skip
def test_hours_and_durations_read_as_a_licensure_form_asks(
    minutes: int, hours: str, duration: str
) -> None:
    assert (hours_text(minutes), duration_text(minutes)) == (hours, duration)


def test_a_cell_is_text_unless_it_would_be_a_formula() -> None:
    assert cell("Jordan Reyes") == "Jordan Reyes"
    assert cell(90) == "90"
    assert cell("-1") == "'-1"


def test_the_pdf_names_the_supervisor_when_there_was_only_one(
    alice: User, alice_client: Client
) -> None:
    log(alice, date(2026, 3, 3), 60, "individual", supervisor_name="Jordan Reyes")
    response = alice_client.get(PDF)
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Supervisor's name Jordan Reyes" in " ".join(text.split())


# --- Queries --------------------------------------------------------------------------------


def _many(owner: User, count: int) -> None:
    packets = [Packet.objects.create(owner=owner, title=f"Packet {i}") for i in range(3)]
    made = SupervisionSession.objects.bulk_create(
        SupervisionSession(
            owner=owner,
            date=date(2025 + i % 2, 1 + i % 12, 1 + i % 28),
            minutes=30 + i,
            modality=("individual", "group", "live")[i % 3],
            supervisor_name="Jordan Reyes",
            topics=f"Topic {i}",
        )
        for i in range(count)
    )
    through = SupervisionSession.packets.through
    through.objects.bulk_create(
        through(supervisionsession_id=s.pk, packet_id=p.pk) for s in made for p in packets
    )
    SupervisionSession.objects.create(
        owner=owner, date=date(2026, 1, 1), minutes=60, deleted_at=timezone.now()
    )


@pytest.mark.parametrize("count", [1, 100])
def test_the_list_takes_the_same_queries_however_many_sessions(
    alice: User, alice_client: Client, django_assert_max_num_queries: Any, count: int
) -> None:
    _many(alice, count)
    with django_assert_max_num_queries(7):
        response = alice_client.get(LIST, {"from": "2025-01-01"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(count, 20)


@pytest.mark.parametrize("count", [1, 100])
def test_the_csv_takes_the_same_queries_however_many_sessions(
    alice: User, alice_client: Client, django_assert_max_num_queries: Any, count: int
) -> None:
    _many(alice, count)
    with django_assert_max_num_queries(5):
        response = alice_client.get(CSV)
    assert len(response.content.decode().splitlines()) > count
