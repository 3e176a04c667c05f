from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_link_to_a_post_only_address_gets_a_page(alice_client: Client) -> None:
    r = alice_client.get("/export/backup/")
    assert r.status_code == 405
    assert r["Allow"] == "POST"
    page = r.content.decode()
    assert "only works from the button on its page" in page
    assert '<nav class="' in page  # the site's own page, with its navigation


def test_json_callers_still_get_a_bare_405(alice_client: Client) -> None:
    r = alice_client.get("/entries/autosave/", HTTP_ACCEPT="application/json")
    assert r.status_code == 405 and not r.content
