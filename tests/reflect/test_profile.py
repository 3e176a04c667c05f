from __future__ import annotations

import pytest
from django.test import Client

from reflect.models import User

pytestmark = pytest.mark.django_db


def test_it_sets_my_time_zone(alice_client: Client, alice: User) -> None:
    r = alice_client.post("/accounts/profile/", {"time_zone": "Europe/Athens"})
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Athens"


def test_an_unknown_time_zone_is_refused(alice_client: Client, alice: User) -> None:
    r = alice_client.post("/accounts/profile/", {"time_zone": "Mars/Olympus"})
    assert r.status_code == 200
    assert r.context["form"].errors["time_zone"]


def test_new_accounts_use_the_servers_time_zone(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    assert alice.time_zone == settings.TIME_ZONE


def test_pages_show_times_in_my_time_zone(alice_client: Client, alice: User) -> None:
    from datetime import UTC, datetime

    from journal.models import Entry

    entry = Entry.objects.create(owner=alice, body="x")
    Entry.objects.filter(pk=entry.pk).update(
        created_at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC),
        updated_at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC),
    )
    alice.time_zone = "Asia/Kolkata"
    alice.save()
    html = alice_client.get(f"/entries/{entry.pk}/").content.decode()
    assert "Written 23 Nov 2026, 05:00" in html
