from django import template
from django.utils.safestring import SafeString

from journal.history import REPAIR_LONG
from journal.markdown import render_markdown
from journal.models import RepairNote

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def repair_texts(repair: RepairNote) -> list[tuple[str, str]]:
    """The repair note's written answers that are not empty, labelled, in form order."""
    return [
        (str(RepairNote._meta.get_field(name).verbose_name).capitalize(), getattr(repair, name))
        for name in REPAIR_LONG
        if getattr(repair, name)
    ]


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
