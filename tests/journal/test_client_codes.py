"""One rule for client codes: what the app suggests passes, and what was saved saves again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from journal import codes
from journal.kinds import ENTRY, REPAIR
from journal.models import Entry, RepairNote
from reflect.models import User
from tests.conftest import signed_in
from tests.journal.browser_form import form_post


def test_a_thousand_suggested_codes_all_pass_the_check() -> None:
    taken: set[str] = set()
    for _ in range(1000):
        code = codes.suggest()
        assert codes.check(code) == code
        taken.add(code)
    assert len(taken) > 900  # varied, not one code again and again


def test_a_suggested_code_is_never_one_already_taken() -> None:
    taken = {codes.suggest() for _ in range(50)}
    for _ in range(200):
        assert codes.suggest(taken) not in taken


@pytest.mark.parametrize("raw", ["Maria", "MG", "abc-123", "C-YNT", "", "C 7Q4", "C-7Q4-XYZ-12345"])
def test_names_initials_and_letter_runs_are_refused(raw: str) -> None:
    if raw == "":
        assert codes.check(raw) == ""
        return
    assert not codes.is_valid(raw)


@pytest.mark.django_db(transaction=True)
def test_every_seeded_entry_and_repair_saves_unchanged_through_its_form() -> None:
    call_command("seed_demo", "--email", "demo@example.org", "--entries", "80", "--seed", "3",
                 stdout=StringIO())  # fmt: skip
    user = User.objects.get(email="demo@example.org")
    client = signed_in(user)
    entries = list(Entry.objects.for_user(user))
    repairs = list(RepairNote.objects.for_user(user))
    assert len(entries) == 80 and repairs
    for kind, objects, form_id in (
        (ENTRY, entries, "entry-form"),
        (REPAIR, repairs, "repair-form"),
    ):
        for obj in objects:
            before = kind.snapshot(obj)
            _save_unchanged(client, f"/{kind.plural}/{obj.pk}/edit/", form_id)
            obj.refresh_from_db()
            assert kind.snapshot(obj) == before, obj.pk


def _save_unchanged(client: Client, url: str, form_id: str) -> None:
    page = client.get(url)
    assert page.status_code == 200
    data = form_post(page.content.decode(), form_id)
    r = client.post(url, data)
    assert r.status_code == 302, (url, r.status_code, r.content.decode()[:2000])
