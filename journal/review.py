"""Looking back: the filtered timeline, the year calendar, and descriptive insights.

Every function takes the owner's querysets and returns plain data; views stay
thin and exports reuse the same filters. Counts only: nothing here scores.
"""

from __future__ import annotations

import calendar
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db import connection
from django.db.models import Case, Count, DateField, F, Min, Q, QuerySet, Value, When
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from journal.forms import field_of
from journal.models import (
    Answer,
    CulturalMoment,
    Entry,
    MisstepKind,
    MyResponse,
    RepairNote,
    RepairStatus,
    SessionKind,
    Tag,
)
from journal.search import with_text
from reflect.identity import ADDRESSING_DOMAINS
from reflect.models import Prompt, ReflectionTemplate

DOMAINS = [key for key, _ in ADDRESSING_DOMAINS]
ENTRY_ONLY = (
    "tag", "template", "prompt", "session_kind", "cultural_moment", "my_response", "domain",
    "supervision",
)  # fmt: skip


class FastSelect(forms.Select):
    """A select drawn in one pass: Django's renders each option through a template, which
    for a few hundred prompts is most of the timeline's time."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) == chosen else "", label)
                for v, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class ReviewFilterForm(forms.Form):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Entries and repair notes"),
            ("entries", "Entries"),
            ("repairs", "Repair notes"),
        ],
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    client_code = forms.CharField(label="Client code", required=False, max_length=12)
    tag = forms.ModelChoiceField(
        label="Tag", queryset=Tag.objects.none(), required=False, to_field_name="name"
    )
    template = forms.ModelChoiceField(
        label="Template",
        queryset=ReflectionTemplate.objects.all(),
        required=False,
        to_field_name="slug",
    )
    prompt = forms.ModelChoiceField(
        label="Answered prompt", queryset=Prompt.objects.none(), required=False
    )
    session_kind = forms.ChoiceField(
        label="Session kind", required=False, choices=[("", "Any"), *SessionKind.choices]
    )
    cultural_moment = forms.ChoiceField(
        label="Cultural moment", required=False, choices=[("", "Any"), *CulturalMoment.choices]
    )
    my_response = forms.ChoiceField(
        label="How I responded", required=False, choices=[("", "Any"), *MyResponse.choices]
    )
    domain = forms.ChoiceField(
        label="ADDRESSING domain", required=False, choices=[("", "Any"), *ADDRESSING_DOMAINS]
    )
    supervision = forms.BooleanField(label="Flagged for supervision", required=False)
    repair_status = forms.ChoiceField(
        label="Repair status", required=False, choices=[("", "Any"), *RepairStatus.choices]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag = field_of(self, "tag", forms.ModelChoiceField)
        prompt = field_of(self, "prompt", forms.ModelChoiceField)
        template = field_of(self, "template", forms.ModelChoiceField)
        tag.queryset = Tag.objects.for_user(user)
        prompt.queryset = Prompt.objects.available_to(user)
        template.empty_label = "Any"
        tag.empty_label = "Any"
        prompt.empty_label = "Any"
        # Drawn without crispy (the timeline is a page opened often): Bootstrap's classes here.
        for f in self.fields.values():
            if type(f.widget) is forms.Select:
                f.widget = FastSelect(choices=f.choices)  # type: ignore[attr-defined]
            if isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs["class"] = "form-check-input"
            elif isinstance(f.widget, forms.Select):
                f.widget.attrs["class"] = "form-select"
            else:
                f.widget.attrs["class"] = "form-control"

    def clean_client_code(self) -> str:
        return self.cleaned_data["client_code"].strip().upper()

    def clean(self) -> dict[str, Any]:
        cd = super().clean()
        assert cd is not None  # a form's clean() returns its cleaned_data
        if cd.get("date_from") and cd.get("date_to") and cd["date_from"] > cd["date_to"]:
            self.add_error("date_to", "The end of the period is before its start.")
        if cd.get("show") == "repairs":
            # Repair notes have no tags, template or session: say so, rather than ignore it.
            for name in ENTRY_ONLY:
                if cd.get(name) not in (None, "", False):
                    label = self.fields[name].label
                    self.add_error(name, f"{label} is about entries: show entries, or clear it.")
        return cd


def domain_q(key: str) -> Q:
    """Entries whose ADDRESSING domains include ``key``."""
    if connection.vendor == "postgresql":
        # jsonb ``?``: is the string an element of the list; cheaper per row than ``@>``.
        return Q(addressing_domains__has_key=key)
    # SQLite has no JSON containment; the quotes stop "age" matching inside another key.
    return Q(addressing_domains__icontains=f'"{key}"')


def _filters(form: ReviewFilterForm) -> dict[str, Any]:
    if not form.is_bound or not form.is_valid():
        return {}
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}


def filtered(user: Any, form: ReviewFilterForm) -> tuple[QuerySet[Entry], QuerySet[RepairNote]]:
    """The owner's entries and repair notes that the filters select (none of a kind excluded)."""
    cd = _filters(form)
    entries = Entry.objects.for_user(user).alive()
    repairs = RepairNote.objects.for_user(user).alive()
    if cd.get("date_from"):
        entries = entries.filter(session_date__gte=cd["date_from"])
        repairs = repairs.filter(moment_date__gte=cd["date_from"])
    if cd.get("date_to"):
        entries = entries.filter(session_date__lte=cd["date_to"])
        repairs = repairs.filter(moment_date__lte=cd["date_to"])
    if cd.get("client_code"):
        entries = entries.filter(client_code=cd["client_code"])
        repairs = repairs.filter(client_code=cd["client_code"])
    if "tag" in cd:
        entries = entries.filter(tags=cd["tag"])
    if "template" in cd:
        entries = entries.filter(template=cd["template"])
    if "prompt" in cd:
        entries = entries.filter(answers__prompt=cd["prompt"])
    for name in ("session_kind", "cultural_moment", "my_response"):
        if name in cd:
            entries = entries.filter(**{name: cd[name]})
    if "domain" in cd:
        entries = entries.filter(domain_q(cd["domain"]))
    if cd.get("supervision"):
        entries = entries.filter(bring_to_supervision=True)
    if "repair_status" in cd:
        repairs = repairs.filter(status=cd["repair_status"])
        if cd.get("show") != "entries":
            entries = entries.none()
    if any(name in cd for name in ENTRY_ONLY) and cd.get("show") != "repairs":
        repairs = repairs.none()
    if cd.get("show") == "entries":
        repairs = repairs.none()
    elif cd.get("show") == "repairs":
        entries = entries.none()
    # Only a filter across a relation (tags, answers) can name an entry twice.
    return (entries.distinct() if "tag" in cd or "prompt" in cd else entries), repairs


def timeline(entries: QuerySet[Entry], repairs: QuerySet[RepairNote]) -> QuerySet[Any]:
    """Both kinds in one date order, as rows of (pk, created_at, kind, day)."""
    e = (
        entries.order_by()
        .annotate(kind=Value("entry"), day=F("session_date"))
        .values("pk", "created_at", "kind", "day")
    )
    r = (
        repairs.order_by()
        .annotate(kind=Value("repair"), day=F("moment_date"))
        .values("pk", "created_at", "kind", "day")
    )
    return e.union(r, all=True).order_by("-day", "-created_at")


def load_page(rows: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """The objects behind one page of timeline rows, in a constant number of queries
    whatever the page size (with what was written, for the previews)."""
    entry_ids = [r["pk"] for r in rows if r["kind"] == "entry"]
    repair_ids = [r["pk"] for r in rows if r["kind"] == "repair"]
    entries = (
        with_text(Entry.objects.filter(pk__in=entry_ids))
        .select_related("template")
        .prefetch_related("tags")
        .in_bulk()
        if entry_ids
        else {}
    )
    repairs = with_text(RepairNote.objects.all()).in_bulk(repair_ids) if repair_ids else {}
    items = []
    for row in rows:
        source = entries if row["kind"] == "entry" else repairs
        if row["pk"] in source:
            items.append((row["kind"], source[row["pk"]]))
    return items


# --- The year calendar -------------------------------------------------------------------


@dataclass
class Month:
    name: str
    lead: int  # empty cells before the 1st, Monday first
    cells: SafeString  # the month's days, drawn here: 365 of them per page


def _level(count: int) -> int:
    return 0 if count == 0 else 1 if count == 1 else 2 if count <= 3 else 3


def year_calendar(entries: QuerySet[Entry], year: int) -> list[Month]:
    counts = dict(
        entries.filter(session_date__year=year)
        .order_by()
        .values_list("session_date")
        .annotate(n=Count("pk", distinct=True))
    )
    months = []
    for m in range(1, 13):
        first = date(year, m, 1)
        name = first.strftime("%B")
        cells = []
        for i in range(calendar.monthrange(year, m)[1]):
            day = first + timedelta(days=i)
            n = counts.get(day, 0)
            spoken = f"{day.day} {name} {year}"
            if n:
                iso = day.isoformat()
                label = f"{spoken}: {n} entr{'y' if n == 1 else 'ies'}"
                cells.append(
                    f'<li class="day level-{_level(n)}">'
                    f'<a href="?date_from={iso}&amp;date_to={iso}" aria-label="{label}">'
                    f"{n}</a></li>"
                )
            else:
                cells.append(
                    f'<li class="day level-0"><span class="visually-hidden">{spoken}: '
                    "no entries</span></li>"
                )
        # Only numbers and month names go in: nothing here comes from the clinician.
        months.append(Month(name, first.weekday(), mark_safe("".join(cells))))  # noqa: S308
    return months


# --- Insights (descriptive counts only) --------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int


@dataclass
class Series:
    title: str
    bars: list[Bar]
    note: str = ""

    @property
    def peak(self) -> int:
        return max((b.value for b in self.bars), default=0)


def _months_back(today: date, n: int) -> list[date]:
    first = today.replace(day=1)
    out = []
    for _ in range(n):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def _month_of(span: list[date]) -> Case:
    """The first day of the charted month a session falls in; NULL outside them."""
    after = (span[-1] + timedelta(days=31)).replace(day=1)
    return Case(
        When(session_date__gte=after, then=Value(None)),
        *(When(session_date__gte=first, then=Value(first)) for first in reversed(span)),
        default=None,
        output_field=DateField(),
    )


def insights(user: Any, today: date, months: int = 12) -> dict[str, Any]:
    entries = Entry.objects.for_user(user).alive()
    repairs = RepairNote.objects.for_user(user).alive()
    span = _months_back(today, months)
    since = span[0]

    # One pass over the entries, grouped by charted month (none for older ones), cultural
    # moment and response, each domain counted alongside: every entry chart sums these
    # few rows. (A query per chart read all the clinician's entries once per chart.)
    rows = (
        entries.order_by()
        .values("cultural_moment", "my_response", month=_month_of(span))
        .annotate(
            n=Count("pk"), **{f"d_{key}": Count("pk", filter=domain_q(key)) for key in DOMAINS}
        )
    )
    total = 0
    per_month: Counter[date] = Counter()
    noticed: Counter[date] = Counter()
    responses: Counter[str] = Counter()
    domains: Counter[str] = Counter()
    for row in rows:
        n, yes = row["n"], row["cultural_moment"] == CulturalMoment.YES
        total += n
        if row["month"] is not None:
            per_month[row["month"]] += n
            noticed[row["month"]] += n if yes else 0
        if yes and row["my_response"]:
            responses[row["my_response"]] += n
        for key in DOMAINS:
            domains[key] += row[f"d_{key}"]

    by_status_kind = list(
        repairs.order_by().values_list("status", "misstep_kind").annotate(n=Count("pk"))
    )
    kinds: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for status, kind, n in by_status_kind:
        statuses[status] += n
        kinds[kind] += n
    repaired = (
        repairs.filter(status=RepairStatus.REPAIRED)
        .annotate(
            repaired_at=Min(
                "status_changes__changed_at", filter=Q(status_changes__new_status="repaired")
            )
        )
        .values_list("moment_date", "repaired_at")
    )
    days_to_repair = [max(0, (at.date() - moment).days) for moment, at in repaired if at]
    per_prompt = Answer.objects.for_user(user).alive().count_by_prompt()
    counts = sorted(per_prompt.items(), key=lambda row: (-row[1], row[0]))
    most_ids = counts[:5]
    least_ids = sorted(counts, key=lambda r: (r[1], r[0]))[:5]
    texts = Prompt.objects.in_bulk([pid for pid, _ in [*most_ids, *least_ids]])
    top = [(texts[pid].text, n) for pid, n in most_ids]
    least = [(texts[pid].text, n) for pid, n in least_ids]
    labels = dict(ADDRESSING_DOMAINS)
    return {
        "since": since,
        "total_entries": total,
        "per_month": Series("Entries per month", [Bar(f"{m:%b %Y}", per_month[m]) for m in span]),
        "noticed": Series(
            "Entries with a cultural moment noticed, per month",
            [Bar(f"{m:%b %Y}", noticed[m]) for m in span],
        ),
        "responses": Series(
            "How I responded when a cultural moment came up (all time)",
            [Bar(MyResponse(k).label, responses[k]) for k in MyResponse.values],
        ),
        "domains": Series(
            "ADDRESSING domains at play (all time)",
            sorted((Bar(labels[k], domains[k]) for k in DOMAINS), key=lambda b: -b.value),
        ),
        "repair_kinds": Series(
            "Repair notes by kind of misstep",
            [Bar(MisstepKind(k).label, kinds[k]) for k in MisstepKind.values],
        ),
        "repair_statuses": Series(
            "Repair notes by status",
            [Bar(RepairStatus(k).label, statuses[k]) for k in RepairStatus.values],
        ),
        "days_to_repair": {
            "count": len(days_to_repair),
            "median": statistics.median(days_to_repair) if days_to_repair else None,
            "shortest": min(days_to_repair, default=None),
            "longest": max(days_to_repair, default=None),
        },
        "most_answered": Series("Prompts I answered most", [Bar(t, n) for t, n in top]),
        "least_answered": Series(
            "Prompts I answered least (of those answered)", [Bar(t, n) for t, n in least]
        ),
    }


# --- Revisit ---------------------------------------------------------------------------

# About a month, three months and a year ago, with a few days either side.
REVISIT_WINDOWS = ((28, 35), (84, 98), (358, 372))


def resurfaced(user: Any, today: date) -> Entry | None:
    """One earlier entry to look at again today; the same all day."""
    q = Q()
    for low, high in REVISIT_WINDOWS:
        q |= Q(session_date__range=(today - timedelta(days=high), today - timedelta(days=low)))
    ids = list(
        Entry.objects.for_user(user)
        .alive()
        .filter(q)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    if not ids:
        return None
    return Entry.objects.select_related("template").get(pk=ids[today.toordinal() % len(ids)])
