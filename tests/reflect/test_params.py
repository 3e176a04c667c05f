"""reflect.params: numeric and date query parameters, bounded, never raising."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import RequestFactory

from reflect.params import date_param, int_param, year_param

rf = RequestFactory()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("page=3", 3),
        ("page=+3", 3),
        ("page= 7 ", 7),
        ("", 1),
        ("page=", 1),
        ("page=0", 1),
        ("page=-5", 1),
        ("page=101", 1),
        ("page=99999999999999999999999999999", 1),
        ("page=" + "9" * 10_000, 1),
        ("page=abc", 1),
        ("page=3.5", 1),
        ("page=1e3", 1),
        ("page=+-3", 1),
        ("page=%D9%A3", 1),  # an Arabic-Indic three: a digit, but not one we read
        ("page=%00", 1),
        ("page=' OR 1=1 --", 1),
        ("page=2&page=4", 4),  # repeated: the last one, as QueryDict.get
    ],
)
def test_int_param_gives_the_default_for_anything_out_of_bounds(query: str, expected: int) -> None:
    request = rf.get(f"/entries/?{query}")
    assert int_param(request, "page", 1, minimum=1, maximum=100) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("year=2024", 2024), ("year=0", 2026), ("year=10000", 2026), ("year=1899", 2026)],
)
def test_year_param_keeps_to_1900_to_2100_unless_told(query: str, expected: int) -> None:
    assert year_param(rf.get(f"/review/?{query}"), "year", 2026) == expected


def test_year_param_takes_other_bounds() -> None:
    request = rf.get("/review/?year=1950")
    assert year_param(request, "year", 2026, minimum=2000, maximum=2030) == 2026


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("from=2024-02-29", date(2024, 2, 29)),
        ("from=2023-02-29", None),
        ("from=0001-01-01", None),
        ("from=9999-12-31", None),
        ("from=yesterday", None),
        ("from=" + "2" * 5000, None),
        ("from=", None),
        ("", None),
    ],
)
def test_date_param_reads_iso_dates_within_bounds(query: str, expected: date | None) -> None:
    assert date_param(rf.get(f"/review/?{query}"), "from") == expected


def test_date_param_returns_the_given_default() -> None:
    fallback = date(2025, 1, 1)
    assert date_param(rf.get("/review/?from=nope"), "from", fallback) == fallback


def test_params_can_come_from_post_data() -> None:
    request = rf.post("/x/", {"count": "12"})
    assert int_param(request, "count", 0, minimum=0, maximum=50, source=request.POST) == 12
