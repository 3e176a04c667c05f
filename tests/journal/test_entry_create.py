from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from journal.models import Answer, Entry
from reflect.models import ReflectionTemplate, User
from tests.conftest import entry_data

pytestmark = pytest.mark.django_db


def test_it_offers_the_templates_or_a_blank_entry(alice_client: Client, builtin: None) -> None:
    r = alice_client.get("/entries/new/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "?template=after-session" in body
    assert "Free write" in body


def test_it_saves_answers_per_prompt(alice_client: Client, alice: User, builtin: None) -> None:
    template = ReflectionTemplate.objects.get(slug="after-session")
    items = list(template.items.select_related("prompt"))
    data = entry_data(**{f"answer_{items[0].prompt_id}": "A moment about family."})
    data[f"answer_{items[1].prompt_id}"] = "   "
    r = alice_client.post("/entries/new/?template=after-session", data)
    entry = Entry.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/entries/{entry.pk}/"
    assert (entry.owner, entry.template, entry.status) == (alice, template, "complete")
    assert entry.client_code == "C-7Q4"
    assert entry.addressing_domains == ["religion"]
    assert sorted(t.name for t in entry.tags.all()) == ["faith", "family"]
    answers = list(Answer.objects.values_list("prompt_id", "text"))
    assert answers == [(items[0].prompt_id, "A moment about family.")]


def test_the_form_shows_the_template_prompts_in_sections(
    alice_client: Client, builtin: None
) -> None:
    r = alice_client.get("/entries/new/?template=after-session")
    body = r.content.decode()
    assert "Now what?" in body
    assert "How do my identities shape my perspective in this interaction?" in body
    assert "never a name or initials" in body.lower()
    assert 'id="code-suggestion"' in body


def test_a_blank_entry_has_no_prompts(alice_client: Client) -> None:
    r = alice_client.post("/entries/new/?template=", entry_data())
    assert r.status_code == 302
    entry = Entry.objects.get()
    assert entry.template is None
    assert entry.body == "We talked about what *helps*."


def test_client_codes_are_offered_for_reuse(alice_client: Client, alice: User) -> None:
    Entry.objects.create(owner=alice, client_code="C-9XY2")
    r = alice_client.get("/entries/new/?template=")
    assert '<option value="C-9XY2">' in r.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "x" * 100_001, "at most 100000 characters"),
        ("session_date", "2999-01-01", "cannot be in the future"),
        ("session_date", "2026-02-30", "Enter a valid date"),
        ("client_code", "Maria", "looks like a name"),
        ("client_code", "JS", "looks like a name or initials"),
        ("client_code", "Mr Smith 2", "looks like a name"),
        ("client_code", "C-123456789012", "at most 12 characters"),
        ("tags", "x" * 41, "longer than 40 characters"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_kept(
    alice_client: Client, field: str, value: str, message: str
) -> None:
    data = entry_data(**{field: value})
    data["body"] = data["body"] if field != "body" else value
    if field != "body":
        data["body"] = "Words I must not lose."
    r = alice_client.post("/entries/new/?template=", data)
    assert r.status_code == 400
    errors = r.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    html = r.content.decode()
    assert "is-invalid" in html
    if field != "body":
        assert "Words I must not lose." in html
    assert not Entry.objects.exists()


def test_yesterday_is_a_valid_session_date(alice_client: Client) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    r = alice_client.post("/entries/new/?template=", entry_data(session_date=yesterday))
    assert r.status_code == 302
    assert Entry.objects.get().session_date == yesterday


def test_client_codes_are_stored_in_capitals(alice_client: Client) -> None:
    alice_client.post("/entries/new/?template=", entry_data(client_code="c-7q4"))
    assert Entry.objects.get().client_code == "C-7Q4"


def test_an_unknown_template_is_not_found(alice_client: Client) -> None:
    assert alice_client.get("/entries/new/?template=nope").status_code == 404
