"""The Security activity page: my own sign-ins, failures, two-factor changes and backups,
kept for a limited time, never anything I wrote, never anyone else's."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from reflect import activity
from reflect.models import SecurityEvent, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.mark.parametrize(
    ("agent", "summary"),
    [
        (FIREFOX, "Firefox on Windows"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on macOS",
        ),
        ("", "Unknown device"),
    ],
)
def test_device_summary(agent: str, summary: str) -> None:
    assert activity.device_summary(agent) == summary


def test_sign_ins_and_failures_are_recorded(alice: User) -> None:
    client = Client(headers={"User-Agent": FIREFOX})
    client.post("/accounts/login/", {"login": "alice@example.org", "password": "wrong one"})
    client.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
    events = list(SecurityEvent.objects.filter(owner=alice).order_by("pk"))
    assert [e.kind for e in events] == ["login_failed", "login"]
    assert events[1].detail == "Password"
    assert {e.device for e in events} == {"Firefox on Windows"}


def test_a_failure_for_an_unknown_email_records_nothing(client: Client, alice: User) -> None:
    client.post("/accounts/login/", {"login": "nobody@example.org", "password": "x"})
    assert not SecurityEvent.objects.exists()


def test_the_page_shows_mine_only_and_never_my_writing(
    alice_client: Client, alice: User, bob: User, alices_entry: Any
) -> None:
    activity.record(alice, "backup")
    activity.record(alice, "mfa_added", detail="Authenticator app")
    activity.record(bob, "import")
    page = alice_client.get("/accounts/security/").content.decode()
    assert "Full backup downloaded" in page
    assert "Two-factor method added</strong> · Authenticator app" in page
    assert "Backup imported" not in page
    assert alices_entry.body not in page


def test_an_export_is_recorded(alice_client: Client, alice: User) -> None:
    from journal.models import Packet

    packet = Packet.objects.create(owner=alice, title="For supervision")
    alice_client.post(f"/export/packets/{packet.pk}/export/", {"format": "md"})
    assert SecurityEvent.objects.filter(owner=alice, kind="export").count() == 1


def test_the_page_needs_login(client: Client) -> None:
    r = client.get("/accounts/security/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_the_page_keeps_a_constant_number_of_queries(
    alice_client: Client, alice: User, django_assert_num_queries: Any
) -> None:
    activity.record(alice, "backup")
    with django_assert_num_queries(counts := _count(alice_client)):
        alice_client.get("/accounts/security/")
    for _ in range(40):
        activity.record(alice, "login")
    with django_assert_num_queries(counts):
        alice_client.get("/accounts/security/")


def _count(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/accounts/security/")
    return len(queries)


def test_old_events_are_hidden_and_purged(alice: User, settings: Any) -> None:
    settings.SECURITY_ACTIVITY_KEEP_DAYS = 30
    activity.record(alice, "login")
    activity.record(alice, "backup")
    SecurityEvent.objects.filter(kind="backup").update(at=timezone.now() - timedelta(days=31))
    assert [e.kind for e in activity.recent(alice)] == ["login"]
    out = StringIO()
    call_command("purge_security_activity", stdout=out)
    assert "Deleted 1 security event(s) older than 30 days." in out.getvalue()
    assert list(SecurityEvent.objects.values_list("kind", flat=True)) == ["login"]


def test_the_keeping_period_is_a_year_by_default() -> None:
    from django.conf import settings

    assert settings.SECURITY_ACTIVITY_KEEP_DAYS == 365


def test_confirming_a_new_accounts_first_address_is_not_an_email_change(
    alice: User, rf: Any
) -> None:
    from allauth.account.internal.flows.manage_email import emit_email_changed
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.get(user=alice)
    request = rf.get("/")
    request.user = alice
    emit_email_changed(request, None, address)  # what allauth does on first confirmation
    assert not alice.security_events.filter(kind="email_changed").exists()
    other = EmailAddress.objects.create(user=alice, email="new@example.org", verified=True)
    emit_email_changed(request, address, other)
    assert alice.security_events.filter(kind="email_changed").count() == 1
