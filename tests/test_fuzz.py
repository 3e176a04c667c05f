"""Every URL, generated from the URLconf, with hostile values: nothing answers 5xx.

Signed in with a journal full of data, each URL is requested with every query parameter
that the app's forms read set to hostile values (negative, zero, huge, not a number, NUL,
10,000 characters, other scripts, SQL-like text, repeated), and posted hostile bodies
with every form field set the same way.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from django import forms
from django.test import Client

from journal import forms as journal_forms
from journal import review
from journal.forms import supervision as supervision_forms
from journal.kinds import KINDS
from reflect import forms as reflect_forms
from reflect import identity
from reflect.models import User
from tests.urlconf import Route, fill, make_journal, routes

pytestmark = pytest.mark.django_db

HOSTILE = [
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "not-a-number",
    "\x00",
    "x" * 10_000,
    "Ελληνικά العربية 中文 עברית",
    "' OR 1=1; DROP TABLE journal_entry; --",
    "../../etc/passwd",
    "2026-02-30",
    "",
]


def form_field_names() -> list[str]:
    """Every field name of every form the app has, plus the query parameters views read."""
    names = {"page", "year", "template", "entry", "next", "q", "template_slug", "sort"}
    for module in (journal_forms, supervision_forms, review, reflect_forms, identity):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                names |= set(getattr(cls, "base_fields", {}))
                names |= set(getattr(getattr(cls, "Meta", None), "fields", None) or ())
    for kind in KINDS:  # their forms are built from their descriptions
        names |= set(kind.form.base_fields)
    return sorted(names)


NAMES = form_field_names()


@pytest.fixture
def journal(alice: User, builtin: None) -> dict[str, Any]:
    return make_journal(alice)


def test_it_knows_the_forms_fields() -> None:
    assert {"q", "client_code", "session_date", "year", "status", "title"} <= set(NAMES)


@pytest.mark.parametrize("route", routes(), ids=str)
def test_no_hostile_request_answers_5xx(route: Route, alice: User, journal: dict[str, Any]) -> None:
    url = fill(route, journal)
    # The supervisor's side is fuzzed as the supervisor, who reaches it.
    user = journal["supervisor"] if route.supervisor_side else alice
    for value in HOSTILE:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        r = client.get(url, {name: value for name in NAMES})
        assert r.status_code < 500, ("GET", url, value[:20], r.status_code)
        if route.name in ("logout", "account_delete"):
            continue  # posting these ends the session the rest of the test needs
        r = client.post(url, {name: value for name in NAMES})
        assert r.status_code < 500, ("POST", url, value[:20], r.status_code)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    repeated = "&".join(f"{name}=1&{name}=-5&{name}=x" for name in NAMES)
    r = client.get(f"{url}?{repeated}")
    assert r.status_code < 500, ("GET repeated", url, r.status_code)
