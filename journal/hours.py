"""The supervision log: durations, totals by month and modality, the period, the downloads.

The list, the CSV and the PDF read the same period (``?from=…&to=…``) and the same
totals, so what the page shows is what the downloads say. Functions take the owner's
sessions and return plain data; ``journal/views/hours.py`` fetches, calls and renders.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Max, Min, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest

from journal import exports
from journal.models import Packet, SupervisionSession
from journal.models.supervision import Modality
from reflect.params import EARLIEST_DATE, LATEST_DATE, date_param, raw_param

SIGN_OFF_STATEMENT = (
    "I confirm these hours of supervision: the sessions listed above took place as recorded."
)
# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def live(user: Any) -> QuerySet[SupervisionSession]:
    return SupervisionSession.objects.for_user(user).filter(deleted_at__isnull=True)


def trashed(user: Any) -> QuerySet[SupervisionSession]:
    return SupervisionSession.objects.for_user(user).filter(deleted_at__isnull=False)


def with_packets(sessions: QuerySet[SupervisionSession]) -> QuerySet[SupervisionSession]:
    """With the titles of the packets discussed, in one more query however many sessions."""
    return sessions.prefetch_related(
        Prefetch("packets", queryset=Packet.objects.only("pk", "title").order_by("title", "pk"))
    )


# --- Durations and totals ---------------------------------------------------------------


def hours_text(minutes: int) -> str:
    """Hours with two decimals, as licensure forms ask for them: 90 -> "1.50"."""
    return str((Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def duration_text(minutes: int) -> str:
    """90 -> "1 h 30 min", 45 -> "45 min", 120 -> "2 h"."""
    h, m = divmod(minutes, 60)
    parts = ([f"{h} h"] if h else []) + ([f"{m} min"] if m or not h else [])
    return " ".join(parts)


def short_date(day: date) -> str:
    """3 Mar 2026."""
    return f"{day.day} {day:%b %Y}"


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def list_rows(sessions: Iterable[SupervisionSession]) -> list[tuple[SupervisionSession, str, str]]:
    """Each session with its duration and the first line of its topics, as the list shows it."""
    return [(s, duration_text(s.minutes), first_line(s.topics)) for s in sessions]


@dataclass
class Tally:
    sessions: int = 0
    minutes: int = 0

    def add(self, sessions: int, minutes: int) -> None:
        self.sessions += sessions
        self.minutes += minutes

    @property
    def hours(self) -> str:
        return hours_text(self.minutes)

    @property
    def duration(self) -> str:
        return duration_text(self.minutes)


def _tallies() -> dict[str, Tally]:
    return {value: Tally() for value in Modality.values}


@dataclass
class Month:
    month: date
    total: Tally = field(default_factory=Tally)
    by_modality: dict[str, Tally] = field(default_factory=_tallies)

    @property
    def modalities(self) -> list[Tally]:
        return [self.by_modality[value] for value in Modality.values]


@dataclass
class Totals:
    total: Tally = field(default_factory=Tally)
    by_modality: dict[str, Tally] = field(default_factory=_tallies)
    months: list[Month] = field(default_factory=list)
    first: date | None = None
    last: date | None = None

    @property
    def modalities(self) -> list[tuple[str, Tally]]:
        """(label, tally) in the order of the modalities."""
        return [(str(label), self.by_modality[value]) for value, label in Modality.choices]


def modality_labels() -> list[str]:
    return [str(label) for label in Modality.labels]


def totals_of(sessions: QuerySet[SupervisionSession]) -> Totals:
    """Totals for the period, by modality and by month, from one grouped query."""
    rows = (
        sessions.order_by()
        .annotate(month=TruncMonth("date"))
        .values("month", "modality")
        .annotate(n=Count("pk"), minutes=Sum("minutes"), first=Min("date"), last=Max("date"))
        .order_by("month", "modality")
    )
    totals = Totals()
    months: dict[date, Month] = {}
    for row in rows:
        n, minutes = row["n"], row["minutes"] or 0
        month = months.setdefault(row["month"], Month(row["month"]))
        month.total.add(n, minutes)
        totals.total.add(n, minutes)
        if row["modality"] in totals.by_modality:
            month.by_modality[row["modality"]].add(n, minutes)
            totals.by_modality[row["modality"]].add(n, minutes)
        totals.first = min(filter(None, (totals.first, row["first"])))
        totals.last = max(filter(None, (totals.last, row["last"])))
    totals.months = list(months.values())
    return totals


# --- The period ---------------------------------------------------------------------------


@dataclass
class Period:
    """The From and To of the filter, as typed, as dates, and what is wrong with them."""

    raw: dict[str, str]
    start: date | None = None
    end: date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def apply(self, sessions: QuerySet[SupervisionSession]) -> QuerySet[SupervisionSession]:
        if self.start:
            sessions = sessions.filter(date__gte=self.start)
        if self.end:
            sessions = sessions.filter(date__lte=self.end)
        return sessions

    def span(self, totals: Totals, today: date) -> tuple[date, date]:
        """The period the downloads name: as chosen, else the sessions' own first and last."""
        start = self.start or totals.first or today
        end = self.end or totals.last or today
        return start, max(start, end)


def period_of(request: HttpRequest) -> Period:
    """The period of the query string, with what is wrong said for each field."""
    period = Period(raw={name: raw_param(request, name) or "" for name in ("from", "to")})
    for name in ("from", "to"):
        value = date_param(request, name)
        if period.raw[name] and value is None:
            period.errors[name] = (
                f"Enter a date such as 2026-03-01, between {EARLIEST_DATE.year} and "
                f"{LATEST_DATE.year}."
            )
        setattr(period, "start" if name == "from" else "end", value)
    if period.start and period.end and period.start > period.end:
        period.errors["from"] = (
            f"From ({short_date(period.start)}) is after To ({short_date(period.end)}): "
            "choose an earlier From or a later To."
        )
    if not period.valid:
        # Nothing is filtered by a period the clinician has to correct, and the page says so.
        period.start = period.end = None
    return period


# --- Downloads -----------------------------------------------------------------------------


@dataclass
class Download:
    """What the CSV and the PDF hold: the period's sessions, oldest first, and their totals."""

    period: Period
    sessions: list[SupervisionSession]
    totals: Totals

    def filename(self, today: date, ext: str) -> str:
        start, end = self.period.span(self.totals, today)
        return f"supervision-hours-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.{ext}"


def download_of(user: Any, period: Period) -> Download:
    sessions = period.apply(live(user))
    rows = list(with_packets(sessions).order_by("date", "pk"))
    return Download(period, rows, totals_of(sessions))


def cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: never run as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(download: Download) -> str:
    """One row a session, then the totals by modality and by month."""
    out = io.StringIO()
    writer = csv.writer(out)

    def row(*values: Any) -> None:
        writer.writerow([cell(v) for v in values])

    row("Date", "Minutes", "Hours", "Modality", "Supervisor", "Topics", "Packets discussed")
    for s in download.sessions:
        packets = "; ".join(p.title for p in s.packets.all())
        row(s.date.isoformat(), s.minutes, hours_text(s.minutes), s.get_modality_display(),
            s.supervisor_name, s.topics, packets)  # fmt: skip
    totals = download.totals
    writer.writerow([])
    row("Totals", "Sessions", "Minutes", "Hours")
    for label, tally in totals.modalities:
        row(label, tally.sessions, tally.minutes, tally.hours)
    row("All sessions", totals.total.sessions, totals.total.minutes, totals.total.hours)
    writer.writerow([])
    row("Month", "Sessions", "Minutes", "Hours")
    for month in totals.months:
        row(f"{month.month:%Y-%m}", month.total.sessions, month.total.minutes, month.total.hours)
    return out.getvalue()


def pdf_context(download: Download, *, user: Any, today: date) -> dict[str, Any]:
    """What ``journal/hours/hours_print.html`` shows: who, the period, the sessions, the
    totals, and a sign-off for the supervisor."""
    start, end = download.period.span(download.totals, today)
    supervisors = {s.supervisor_name for s in download.sessions if s.supervisor_name}
    clinician = [
        ("Supervisee", user.shown_name),
        ("Credentials", user.credentials),
        ("Registration or licence number", user.registration_number),
        ("Period", f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"),
    ]
    return {
        "facts": [(label, value) for label, value in clinician if value],
        "sessions": download.sessions,
        "totals": download.totals,
        "modalities": modality_labels(),
        "made": f"{today.day} {today:%B %Y}",
        "footer": exports.FOOTER,
        "statement": SIGN_OFF_STATEMENT,
        "sign_off": [
            # Filled in when every session of the period had the same supervisor.
            ("Supervisor's name", supervisors.pop() if len(supervisors) == 1 else ""),
            ("Credential", ""),
            ("Registration or licence number", ""),
            ("Signature", ""),
            ("Date", ""),
        ],
    }
