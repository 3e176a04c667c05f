"""Read numeric and date query parameters in one place, bounded, never raising.

Views call these instead of int(request.GET[...]): a missing, malformed,
out-of-range or absurdly long value gives the default, so hostile input such as
?year=0, ?page=99999999999999999999 or ?from=NaN is answered like no input.
A repeated parameter counts by its last value, as QueryDict.get does.
"""

from __future__ import annotations

import re
from datetime import date

from django.http import HttpRequest, QueryDict

# Longer than any sensible number or ISO date; int() of 10,000 digits is slow work.
MAX_RAW_LENGTH = 20
YEAR_MIN = 1900
YEAR_MAX = 2100
EARLIEST_DATE = date(YEAR_MIN, 1, 1)
LATEST_DATE = date(YEAR_MAX, 12, 31)
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def raw_param(request: HttpRequest, name: str, source: QueryDict | None = None) -> str | None:
    value = (request.GET if source is None else source).get(name)
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_RAW_LENGTH:
        return None
    return value


def int_param(
    request: HttpRequest,
    name: str,
    default: int,
    *,
    minimum: int,
    maximum: int,
    source: QueryDict | None = None,
) -> int:
    """The whole number in request.GET[name] if it is within [minimum, maximum], else default."""
    raw = raw_param(request, name, source)
    if raw is None or not WHOLE_NUMBER.fullmatch(raw):
        return default
    value = int(raw)
    return value if minimum <= value <= maximum else default


def year_param(
    request: HttpRequest,
    name: str,
    default: int,
    *,
    minimum: int = YEAR_MIN,
    maximum: int = YEAR_MAX,
    source: QueryDict | None = None,
) -> int:
    """A calendar year in [minimum, maximum] (1900 to 2100 unless told), else default."""
    return int_param(request, name, default, minimum=minimum, maximum=maximum, source=source)


def date_param(
    request: HttpRequest,
    name: str,
    default: date | None = None,
    *,
    earliest: date = EARLIEST_DATE,
    latest: date = LATEST_DATE,
    source: QueryDict | None = None,
) -> date | None:
    """An ISO date (YYYY-MM-DD) in [earliest, latest], else default."""
    raw = raw_param(request, name, source)
    if raw is None or not raw.isascii():
        return default
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        return default
    return value if earliest <= value <= latest else default
