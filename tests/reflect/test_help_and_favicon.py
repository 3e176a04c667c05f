"""A newcomer's first load: a favicon, and a Help page with pictures of the main screens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


def test_favicon_ico_is_served_not_404(client: Client) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/x-icon"
    body = b"".join(r) if r.streaming else r.content  # type: ignore[attr-defined]
    assert body[:4] == b"\x00\x00\x01\x00"  # the ICO signature
    assert "max-age" in r["Cache-Control"]


def test_every_page_links_its_icons(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html
    assert re.search(r'<link rel="icon" href="/static/favicon[^"]*\.svg"', html)


@pytest.mark.parametrize("signed_in", [False, True])
def test_help_is_open_to_everyone_and_linked_from_every_page(
    client: Client, alice_client: Client, signed_in: bool
) -> None:
    who = alice_client if signed_in else client
    r = who.get("/help/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1" in html and "How to use Reflect" in html
    assert 'href="/help/"' in who.get("/accounts/login/" if not signed_in else "/").content.decode()


def test_helps_pictures_exist_are_small_and_described(client: Client) -> None:
    html = client.get("/help/").content.decode()
    images = re.findall(r'<img src="/static/(help/[\w-]+\.png)"[^>]*alt="([^"]+)"', html)
    assert len(images) >= 4, images
    total = 0
    for relative, alt in images:
        path = STATIC / relative
        assert path.exists(), f"{relative} missing: run .venv/bin/python tests/screenshots.py"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        total += path.stat().st_size
        assert len(alt) > 20, relative
    assert total < 600 * 1024, f"help screenshots weigh {total // 1024} KB"


def test_help_never_writes_a_lowercase_i(client: Client) -> None:
    text = re.sub(r"<[^>]+>", " ", client.get("/help/").content.decode())
    assert not re.search(r"(^|\s)i(\s|$)", text)
