"""Filters for the pages that find and review writing: previews, whole-day durations."""

from __future__ import annotations

from typing import Any

from django import template

from journal.search import _plain, written

register = template.Library()

PREVIEW_CHARS = 240


@register.filter
def preview(obj: Any, chars: int = PREVIEW_CHARS) -> str:
    """The first lines of what was written (answers to prompts included), as plain text.

    Read from the stored ``search_text`` (``journal.search.written``): a list loads it with
    ``with_text`` and prefetches the tags, and its queries stay constant.
    """
    text = _plain(" · ".join(written(obj)))
    if len(text) <= chars:
        return text
    cut = text.rfind(" ", 0, chars)
    return text[: cut if cut > chars // 2 else chars].rstrip(" ·,;:") + " …"


@register.filter
def duration(days: float | int | None) -> str:
    """A number of days in whole days, weeks, months or years ("about 28 months")."""
    if days is None:
        return ""
    n = round(float(days))
    if n < 14:
        return f"{n} day{'s' if n != 1 else ''}"
    if n < 61:
        weeks = round(n / 7)
        return f"about {weeks} weeks"
    if n < 730:
        return f"about {round(n / 30.44)} months"
    years = n / 365.25
    if years < 3:
        return f"about {round(n / 30.44)} months"
    return f"about {round(years)} years"
