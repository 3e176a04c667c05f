"""The one Markdown renderer for everything a clinician writes.

markdown-it-py parses with raw HTML switched off, then nh3 (ammonia) cleans the
result against an allowlist, so even a parser bug cannot let markup through.
Pages, and later exports, all call ``render_markdown``.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml as escape

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # No "[label]: target" definitions: a line such as "[name]: [phone]" (a masked export)
    # would vanish from the page. Inline links still work.
    md.disable("reference")
    # Images would fetch from other hosts: show their description as text instead.
    md.add_render_rule("image", _image_as_text)
    return md


def _image_as_text(self: object, tokens: list, idx: int, options: object, env: object) -> str:
    alt = "".join(child.content for child in tokens[idx].children or [])
    return escape(f"[image: {alt}]" if alt else "[image]")


def render_markdown(text: str) -> SafeString:
    html = _parser().render(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it
