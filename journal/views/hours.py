"""``/hours/…``: the clinician's supervision log (sessions, totals, CSV and PDF).

The list, the CSV and the PDF read the same period (``?from=…&to=…``) and the same
totals, so what the page shows is what the downloads say.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from journal import exports
from journal.forms.supervision import SupervisionSessionForm
from journal.models import Packet, SupervisionSession
from journal.models.supervision import Modality
from journal.views.paging import PAGE_SIZE, query_without
from reflect.ownership import AuthedRequest, get_owned_or_404
from reflect.params import EARLIEST_DATE, LATEST_DATE, date_param, int_param, raw_param

MAX_PAGE = 10_000
TRASH_SHOWN = 20
# The hours PDF is one table and a sign-off, so it is made in the request (not on the
# worker like a packet's), with a short limit that stops a runaway render.
PDF_SECONDS = 20
# The session just moved to the trash, so the list can offer to put it back.
JUST_TRASHED = "hours_just_trashed"
SIGN_OFF_STATEMENT = (
    "I confirm these hours of supervision: the sessions listed above took place as recorded."
)
# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def live(user: Any) -> QuerySet[SupervisionSession]:
    return SupervisionSession.objects.for_user(user).filter(deleted_at__isnull=True)


def trashed(user: Any) -> QuerySet[SupervisionSession]:
    return SupervisionSession.objects.for_user(user).filter(deleted_at__isnull=False)


# --- Durations and totals ---------------------------------------------------------------


def hours_text(minutes: int) -> str:
    """Hours with two decimals, as licensure forms ask for them: 90 -> "1.50"."""
    return str((Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def duration_text(minutes: int) -> str:
    """90 -> "1 h 30 min", 45 -> "45 min", 120 -> "2 h"."""
    h, m = divmod(minutes, 60)
    parts = ([f"{h} h"] if h else []) + ([f"{m} min"] if m or not h else [])
    return " ".join(parts)


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


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def period_of(request: AuthedRequest) -> Period:
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
            f"From ({_short(period.start)}) is after To ({_short(period.end)}): "
            "choose an earlier From or a later To."
        )
    if not period.valid:
        # Nothing is filtered by a period the clinician has to correct, and the page says so.
        period.start = period.end = None
    return period


# --- Pages ---------------------------------------------------------------------------------


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _with_packets(sessions: QuerySet[SupervisionSession]) -> QuerySet[SupervisionSession]:
    return sessions.prefetch_related(
        Prefetch("packets", queryset=Packet.objects.only("pk", "title").order_by("title", "pk"))
    )


@login_required
def hours_list(request: AuthedRequest) -> HttpResponse:
    period = period_of(request)
    sessions = period.apply(live(request.user))
    page = Paginator(_with_packets(sessions), PAGE_SIZE).get_page(
        int_param(request, "page", 1, minimum=1, maximum=MAX_PAGE)
    )
    just_trashed = None
    if pk := request.session.pop(JUST_TRASHED, None):
        just_trashed = trashed(request.user).filter(pk=pk).first()
    ctx = {
        "period": period,
        "page": page,
        "rows": [(s, duration_text(s.minutes), first_line(s.topics)) for s in page.object_list],
        "totals": totals_of(sessions),
        "modalities": [str(label) for label in Modality.labels],
        "trash": list(trashed(request.user).order_by("-deleted_at", "-pk")[:TRASH_SHOWN]),
        "just_trashed": just_trashed,
        "query": query_without(request, "page"),
        "download_query": query_without(request, "page") if period.valid else "",
    }
    return render(request, "journal/hours/hours_list.html", ctx)


def _form_page(request: AuthedRequest, session: SupervisionSession) -> HttpResponse:
    form = SupervisionSessionForm(request.POST or None, instance=session, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved the session of {_short(session.date)}.")
        return redirect("journal:hours")
    return render(request, "journal/hours/hours_form.html", {"form": form, "session": session})


@login_required
def hours_create(request: AuthedRequest) -> HttpResponse:
    return _form_page(
        request, SupervisionSession(owner=request.user, date=request.user.localdate())
    )


@login_required
def hours_update(request: AuthedRequest, pk: int) -> HttpResponse:
    return _form_page(request, get_owned_or_404(live(request.user), request.user, pk=pk))


@login_required
@require_POST
def hours_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_owned_or_404(live(request.user), request.user, pk=pk)
    session.deleted_at = timezone.now()
    session.save(update_fields=["deleted_at", "updated_at"])
    # The list says so with a "Put back" button beside it (a message cannot hold a form).
    request.session[JUST_TRASHED] = session.pk
    return redirect("journal:hours")


@login_required
@require_POST
def hours_restore(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_owned_or_404(trashed(request.user), request.user, pk=pk)
    session.deleted_at = None
    session.save(update_fields=["deleted_at", "updated_at"])
    messages.success(request, f"Put back the session of {_short(session.date)}.")
    return redirect("journal:hours")


# --- Downloads -----------------------------------------------------------------------------


def _back_to_list(request: AuthedRequest) -> HttpResponse:
    """To the list with the same period, where what is wrong shows beside the field."""
    return redirect(f"{reverse('journal:hours')}?{query_without(request)}")


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    header = content_disposition_header(True, filename)
    assert header is not None  # only None for an inline file without a name
    response["Content-Disposition"] = header
    response["Cache-Control"] = "no-store"
    return response


def _download(request: AuthedRequest) -> tuple[Period, list[SupervisionSession], Totals] | None:
    """The period's sessions, oldest first, and their totals; None if the period is wrong."""
    period = period_of(request)
    if not period.valid:
        return None
    sessions = period.apply(live(request.user))
    rows = list(_with_packets(sessions).order_by("date", "pk"))
    return period, rows, totals_of(sessions)


def _filename(period: Period, totals: Totals, today: date, ext: str) -> str:
    start, end = period.span(totals, today)
    return f"supervision-hours-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.{ext}"


def cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: never run as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@login_required
def hours_csv(request: AuthedRequest) -> HttpResponse:
    found = _download(request)
    if found is None:
        return _back_to_list(request)
    period, sessions, totals = found
    out = io.StringIO()
    writer = csv.writer(out)

    def row(*values: Any) -> None:
        writer.writerow([cell(v) for v in values])

    row("Date", "Minutes", "Hours", "Modality", "Supervisor", "Topics", "Packets discussed")
    for s in sessions:
        packets = "; ".join(p.title for p in s.packets.all())
        row(s.date.isoformat(), s.minutes, hours_text(s.minutes), s.get_modality_display(),
            s.supervisor_name, s.topics, packets)  # fmt: skip
    writer.writerow([])
    row("Totals", "Sessions", "Minutes", "Hours")
    for label, tally in totals.modalities:
        row(label, tally.sessions, tally.minutes, tally.hours)
    row("All sessions", totals.total.sessions, totals.total.minutes, totals.total.hours)
    writer.writerow([])
    row("Month", "Sessions", "Minutes", "Hours")
    for month in totals.months:
        row(f"{month.month:%Y-%m}", month.total.sessions, month.total.minutes, month.total.hours)
    today = request.user.localdate()
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, _filename(period, totals, today, "csv"))


@login_required
def hours_pdf(request: AuthedRequest) -> HttpResponse:
    found = _download(request)
    if found is None:
        return _back_to_list(request)
    period, sessions, totals = found
    user = request.user
    today = user.localdate()
    start, end = period.span(totals, today)
    supervisors = {s.supervisor_name for s in sessions if s.supervisor_name}
    clinician = [
        ("Supervisee", user.display_name or user.get_full_name() or user.email),
        ("Credentials", user.credentials),
        ("Registration or licence number", user.registration_number),
        ("Period", f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"),
    ]
    ctx = {
        "facts": [(label, value) for label, value in clinician if value],
        "sessions": sessions,
        "totals": totals,
        "modalities": [str(label) for label in Modality.labels],
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
    html = render_to_string("journal/hours/hours_print.html", ctx)
    try:
        pdf = exports.render_pdf_html(
            html, seconds=PDF_SECONDS, fewer="sessions: choose a shorter period"
        )
    except exports.RenderError as exc:
        messages.error(request, str(exc))
        return _back_to_list(request)
    response = HttpResponse(pdf, content_type="application/pdf")
    return _attachment(response, _filename(period, totals, today, "pdf"))
