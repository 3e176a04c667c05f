from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_the_security_headers(client: Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    csp = r["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["Cross-Origin-Opener-Policy"] == "same-origin"


def test_signed_in_pages_are_not_stored(alice_client: Client) -> None:
    r = alice_client.get("/")
    assert "no-store" in r["Cache-Control"]


def test_the_landing_page_may_be_cached(client: Client) -> None:
    r = client.get("/")
    assert "no-store" not in r.get("Cache-Control", "")


def test_templates_have_no_inline_script_or_style() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []


def test_pages_load_nothing_from_another_host(client: Client) -> None:
    body = client.get("/").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert urls
    assert [u for u in urls if u.startswith(("http:", "https:", "//"))] == []


def test_missing_page_is_a_friendly_404(client: Client) -> None:
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    assert b"Page not found" in r.content
