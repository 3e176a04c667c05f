from __future__ import annotations

from django import template

from reflect.activity import device_summary

register = template.Library()


@register.filter
def device(user_agent: str) -> str:
    """'Firefox on Windows' from a browser's User-Agent."""
    return device_summary(user_agent or "")
