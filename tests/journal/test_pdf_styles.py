"""Production PDFs keep their print stylesheet, whose static names carry a hash."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from journal import exports
from journal.models import Entry, Packet
from reflect.models import User

pytestmark = pytest.mark.django_db


def test_a_pdf_made_with_hashed_static_names_keeps_its_styles(
    settings: Any, tmp_path: Path, alice: User
) -> None:
    from pypdf import PdfReader

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    packet = Packet.objects.create(owner=alice, title="Styled")
    packet.entries.add(Entry.objects.create(owner=alice, body="A reflection."))
    html = exports.render_html(exports.build_document(packet))
    hashed = re.search(r'href="/static/(css/print\.[0-9a-f]{12}\.css)"', html)
    assert hashed, "the page links the hashed stylesheet, as production serves it"
    pdf = exports.render_pdf(exports.build_document(packet))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # The page counter and footer are drawn by print.css's @page rules alone.
    assert re.search(r"\b1 / \d+\b", text), text[-300:]
    assert "not part of the clinical record" in text


def test_the_fetcher_refuses_what_is_not_a_static_file() -> None:
    fetcher = exports.static_only_fetcher()
    for url in [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        exports.STATIC_BASE + "../reflect/settings.py",
        exports.STATIC_BASE + "css/no-such.css",
    ]:
        with pytest.raises(exports.RefusedURL):
            fetcher.fetch(url)
