from typing import Any

from django import template
from django.utils.safestring import SafeString

from journal.markdown import render_markdown

register = template.Library()


@register.filter
def written(obj: Any) -> list[tuple[str, str]]:
    """What was written in an entry or repair note, labelled, leaving out empty answers."""
    from journal.kinds import kind_for

    return kind_for(obj).labelled_texts(obj)


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


# Geometry for the server-drawn bar charts in journal/_chart.html.
BAR_STEP = 20
BAR_MAX_WIDTH = 190


@register.filter
def bar_height(count: int) -> int:
    return max(1, count) * BAR_STEP + 4


@register.filter
def bar_y(index: int, offset: int) -> int:
    return index * BAR_STEP + offset


@register.filter
def bar_width(value: int, peak: int) -> int:
    return round(BAR_MAX_WIDTH * value / peak) if peak else 0
