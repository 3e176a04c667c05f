"""The identity map saves itself while it is written: one version per open form."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from reflect.models import IdentityMapVersion, User

pytestmark = pytest.mark.django_db


def _post(client: Client, session: str, **values: str) -> object:
    return client.post("/identity/autosave/", {"edit_session": session, **values})


def test_autosaves_of_one_open_form_make_one_version(alice_client: Client, alice: User) -> None:
    form = str(uuid.uuid4())
    r = _post(alice_client, form, religion__self_description="Raised Catholic")
    assert r.status_code == 200 and r.json()["saved"] is True  # type: ignore[attr-defined]
    _post(alice_client, form, religion__self_description="Raised Catholic, now questioning")
    _post(alice_client, form, religion__self_description="Raised Catholic, now questioning",
          other_identities="Bilingual")  # fmt: skip
    version = IdentityMapVersion.objects.for_user(alice).get()
    assert version.data["domains"]["religion"]["self_description"].endswith("questioning")
    assert version.data["other_identities"] == "Bilingual"


def test_the_save_button_of_the_same_form_keeps_that_one_version(
    alice_client: Client, alice: User
) -> None:
    form = str(uuid.uuid4())
    _post(alice_client, form, gender__self_description="Woman")
    r = alice_client.post(
        "/identity/", {"edit_session": form, "gender__self_description": "Cis woman"}
    )
    assert r.status_code == 302
    assert IdentityMapVersion.objects.for_user(alice).get().data["domains"]["gender"] == {
        "self_description": "Cis woman"
    }


def test_a_form_opened_later_makes_a_new_dated_version(alice_client: Client, alice: User) -> None:
    _post(alice_client, str(uuid.uuid4()), age__self_description="Forties")
    _post(alice_client, str(uuid.uuid4()), age__self_description="Late forties")
    versions = IdentityMapVersion.objects.for_user(alice)
    assert versions.count() == 2
    assert versions.first().data["domains"]["age"]["self_description"] == "Late forties"  # type: ignore[union-attr]


def test_it_never_touches_another_clinicians_map(
    alice_client: Client, bob_client: Client, alice: User, bob: User
) -> None:
    form = str(uuid.uuid4())
    _post(alice_client, form, age__self_description="Mine")
    _post(bob_client, form, age__self_description="Bob's")
    assert IdentityMapVersion.objects.for_user(alice).get().data["domains"]["age"] == {
        "self_description": "Mine"
    }
    assert IdentityMapVersion.objects.for_user(bob).count() == 1


def test_an_invalid_answer_is_not_saved_and_says_so(alice_client: Client, alice: User) -> None:
    r = _post(alice_client, str(uuid.uuid4()), age__position="not-a-choice")
    assert r.status_code == 400  # type: ignore[attr-defined]
    assert not IdentityMapVersion.objects.exists()


def test_anonymous_is_sent_to_log_in_and_get_is_refused(
    client: Client, alice_client: Client
) -> None:
    r = client.post("/identity/autosave/", {"age__self_description": "x"})
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert alice_client.get("/identity/autosave/").status_code == 405
    assert not IdentityMapVersion.objects.exists()


def test_the_map_page_autosaves(alice_client: Client) -> None:
    body = alice_client.get("/identity/").content.decode()
    assert 'data-autosave-url="/identity/autosave/"' in body
    assert 'name="edit_session"' in body
    assert "Save a new version" in body
