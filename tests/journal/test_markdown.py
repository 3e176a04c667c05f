from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from journal.markdown import ALLOWED_TAGS, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg onload=alert(1)><circle/></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<a href="#" onclick="alert(1)">x</a>',
    "![x](https://evil.example/track.png)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](vbscript:msgbox)",
    "<object data=x></object><embed src=x>",
    '<form action="https://evil.example"><button>go</button></form>',
    "[a]: javascript:alert(1)\n\n[link][a]",
    "<https://ok.example> and <javascript:alert(1)>",
]


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.extend(attrs)


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_inert(source: str) -> None:
    parsed = Collector()
    parsed.feed(str(render_markdown(source)))
    assert parsed.tags <= ALLOWED_TAGS, parsed.tags
    for name, value in parsed.attrs:
        assert name in {"href", "title", "rel", "start", "align"}, name
        if name == "href":
            # Absolute links to the web or mail only; anything else is a harmless relative path.
            assert urlsplit(value or "").scheme in {"", "http", "https", "mailto"}, value


def test_ordinary_markdown_still_renders() -> None:
    html = str(render_markdown("## So what?\n\n- *felt* **tense**\n- `code`\n\n> quoted"))
    assert "<h2>So what?</h2>" in html
    assert "<em>felt</em>" in html
    assert "<strong>tense</strong>" in html
    assert "<blockquote>" in html


def test_raw_html_is_shown_as_text() -> None:
    assert "&lt;script&gt;" in str(render_markdown("<script>alert(1)</script>"))


def test_links_get_noopener_noreferrer() -> None:
    html = str(render_markdown("[guide](https://example.org/guide)"))
    assert 'href="https://example.org/guide"' in html
    assert 'rel="noopener noreferrer"' in html


def test_images_become_their_description() -> None:
    html = str(render_markdown("![a chart](https://example.org/c.png)"))
    assert "[image: a chart]" in html
    assert "example.org" not in html


def test_entry_pages_render_through_it(alice_client, alice) -> None:  # type: ignore[no-untyped-def]
    from journal.models import Entry

    entry = Entry.objects.create(owner=alice, body="<script>alert(1)</script> *kind*")
    html = alice_client.get(f"/entries/{entry.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <em>kind</em>" in html
