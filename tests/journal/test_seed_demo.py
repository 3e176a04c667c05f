from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from journal.models import Answer, Entry
from reflect.models import User

pytestmark = pytest.mark.django_db


def test_it_creates_a_user_with_varied_entries() -> None:
    out = StringIO()
    call_command(
        "seed_demo", "--email", "Demo@Example.org", "--entries", "60", "--seed", "1", stdout=out
    )
    user = User.objects.get(email="demo@example.org")
    password = out.getvalue().split("Password (shown once): ")[1].strip()
    assert user.check_password(password)
    entries = Entry.objects.for_user(user)
    assert entries.count() == 60
    assert entries.values("template").distinct().count() >= 3
    assert entries.values("client_code").distinct().count() > 5
    assert Answer.objects.filter(entry__owner=user).exists()
    span = entries.order_by("session_date").first(), entries.order_by("session_date").last()
    assert (span[1].session_date - span[0].session_date).days > 365
