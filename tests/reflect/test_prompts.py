from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils.html import escape

from reflect.models import Prompt, PromptPreference, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_prompt(alice: User) -> Prompt:
    return Prompt.objects.create(
        owner=alice, text="Where did I rush today?", category="comfort", source="My own prompt"
    )


def test_it_lists_prompts_by_category_with_sources(alice_client: Client, builtin: None) -> None:
    r = alice_client.get("/prompts/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "How do my identities shape my perspective in this interaction?" in body
    assert "Applying Cultural Humility in Clinical Practice" in body
    assert "Supervision and consultation" in body
    assert r.context["count"] == Prompt.objects.builtin().count()


def test_it_filters_by_text_and_category(alice_client: Client, builtin: None) -> None:
    r = alice_client.get("/prompts/", {"q": "apology"})
    texts = [p.text for _, _, prompts in r.context["groups"] for p in prompts]
    assert texts == ["What would a sincere apology sound like in my own words?"]
    r = alice_client.get("/prompts/", {"category": "systems"})
    assert [key for key, _, _ in r.context["groups"]] == ["systems"]


def test_query_count_does_not_grow_with_prompts(
    alice_client: Client, alice: User, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    Prompt.objects.create(owner=alice, text="One", category="growth")
    with django_assert_max_num_queries(6) as few:
        alice_client.get("/prompts/")
    Prompt.objects.bulk_create(
        Prompt(owner=alice, text=f"Prompt {i}", category="comfort") for i in range(200)
    )
    PromptPreference.objects.bulk_create(
        PromptPreference(owner=alice, prompt=p, pinned=True) for p in Prompt.objects.all()[:50]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = alice_client.get("/prompts/")
    assert r.context["count"] == 201


def test_own_prompts_are_private(
    alice_client: Client, bob_client: Client, alices_prompt: Prompt
) -> None:
    assert "Where did I rush today?" in alice_client.get("/prompts/").content.decode()
    assert "Where did I rush today?" not in bob_client.get("/prompts/").content.decode()
    assert bob_client.get(f"/prompts/{alices_prompt.pk}/edit/").status_code == 404
    assert bob_client.post(f"/prompts/{alices_prompt.pk}/pin/", {"pinned": "1"}).status_code == 404
    assert bob_client.post(f"/prompts/{alices_prompt.pk}/hide/", {"hidden": "1"}).status_code == 404
    assert not PromptPreference.objects.exists()


def test_it_adds_a_private_prompt(alice_client: Client, alice: User) -> None:
    r = alice_client.post(
        "/prompts/new/",
        {"text": "  What did I   hold back?  ", "guidance": "", "category": "growth"},
    )
    assert r.status_code == 302
    prompt = Prompt.objects.get()
    assert (prompt.owner, prompt.text, prompt.source) == (
        alice,
        "What did I hold back?",
        "My own prompt",
    )


def test_a_blank_prompt_keeps_what_was_typed(alice_client: Client) -> None:
    r = alice_client.post(
        "/prompts/new/", {"text": "   ", "guidance": "keep me", "category": "growth"}
    )
    assert r.status_code == 200
    assert r.context["form"].errors["text"]
    assert "keep me" in r.content.decode()


def test_it_edits_own_prompt(alice_client: Client, alices_prompt: Prompt) -> None:
    r = alice_client.post(
        f"/prompts/{alices_prompt.pk}/edit/",
        {"text": "Where did I hurry?", "guidance": "", "category": "comfort"},
    )
    assert r.status_code == 302
    alices_prompt.refresh_from_db()
    assert alices_prompt.text == "Where did I hurry?"


def test_built_in_prompts_are_not_editable_by_clinicians(
    alice_client: Client, builtin: None
) -> None:
    prompt = Prompt.objects.builtin().first()
    assert alice_client.get(f"/prompts/{prompt.pk}/edit/").status_code == 404


def test_it_pins_and_hides_a_built_in_prompt_for_one_clinician(
    alice_client: Client, bob_client: Client, alice: User, builtin: None
) -> None:
    prompt = Prompt.objects.builtin().get(slug="sincere-apology")
    r = alice_client.post(
        f"/prompts/{prompt.pk}/pin/", {"pinned": "1", "return_query": "q=apology"}
    )
    assert r.status_code == 302
    assert r["Location"] == f"/prompts/?q=apology#prompt-{prompt.pk}"
    assert [p.pk for p in alice_client.get("/prompts/").context["pinned"]] == [prompt.pk]
    assert bob_client.get("/prompts/").context["pinned"] == []

    alice_client.post(f"/prompts/{prompt.pk}/hide/", {"hidden": "1"})
    assert prompt.text not in alice_client.get("/prompts/").content.decode()
    assert prompt.text in alice_client.get("/prompts/", {"hidden": "on"}).content.decode()
    assert prompt.text in bob_client.get("/prompts/").content.decode()
    assert not Prompt.objects.visible_to(alice).filter(pk=prompt.pk).exists()

    alice_client.post(f"/prompts/{prompt.pk}/hide/", {"hidden": "0"})
    assert Prompt.objects.visible_to(alice).filter(pk=prompt.pk).exists()


def test_pin_and_hide_refuse_get(alice_client: Client, builtin: None) -> None:
    prompt = Prompt.objects.builtin().first()
    assert alice_client.get(f"/prompts/{prompt.pk}/pin/").status_code == 405
    assert alice_client.get(f"/prompts/{prompt.pk}/hide/").status_code == 405


@pytest.mark.parametrize("path", ["/prompts/", "/prompts/new/", "/prompts/1/edit/"])
def test_anonymous_is_sent_to_log_in(client: Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_daily_prompt_is_stable_within_a_day_and_moves_on(alice: User, builtin: None) -> None:
    day = date(2026, 11, 22)
    first = Prompt.objects.for_day(alice, day)
    assert first is not None
    assert Prompt.objects.for_day(alice, day) == first
    seen = {Prompt.objects.for_day(alice, day + timedelta(days=n)).pk for n in range(30)}
    assert len(seen) == 30  # no repeats within a month


def test_daily_prompt_never_offers_a_hidden_prompt(alice: User, builtin: None) -> None:
    day = date(2026, 11, 22)
    first = Prompt.objects.for_day(alice, day)
    PromptPreference.objects.create(owner=alice, prompt=first, hidden=True)
    assert Prompt.objects.for_day(alice, day) != first


def test_dashboard_shows_the_prompt_for_today(alice_client: Client, builtin: None) -> None:
    r = alice_client.get("/")
    assert escape(r.context["daily_prompt"].text) in r.content.decode()
