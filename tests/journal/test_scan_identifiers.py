"""``manage.py scan_identifiers``: counts per kind across one clinician's account."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from journal.models import Entry, RepairNote
from reflect.models import User

pytestmark = pytest.mark.django_db


def test_the_command_counts_each_kind_across_the_account(alice: User, bob: User) -> None:
    Entry.objects.create(owner=alice, body="Ring 020 7946 0018 about Wei Zhang and Ana Ruiz.")
    Entry.objects.create(
        owner=alice, body="She moved to Hamtramck.", identifiers_ok=["place:hamtramck"]
    )
    RepairNote.objects.create(owner=alice, my_part="I misread Mrs Abara; email a.b@example.org")
    Entry.objects.create(owner=bob, body="Bob's client Wei Zhang, 020 7946 0018.")
    out = StringIO()
    call_command("scan_identifiers", "--email", "alice@example.org", stdout=out)
    text = out.getvalue()
    assert "2 of 3 entries and repair notes have possible identifiers." in text
    counts = dict(
        line.strip().split(": ")
        for line in text.split("have possible identifiers.")[1].splitlines()
        if line.strip()
    )
    assert counts == {"name": "3", "phone": "1", "email": "1"}
    assert "Wei Zhang" not in text and "Hamtramck" not in text


def test_an_unknown_account_is_an_error(alice: User) -> None:
    with pytest.raises(CommandError, match="No account"):
        call_command("scan_identifiers", "--email", "nobody@example.org", stdout=StringIO())
