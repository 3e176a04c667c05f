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
