from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from reflect.models import IdentityMapVersion, User

pytestmark = pytest.mark.django_db


def form_data(**answers: str) -> dict[str, str]:
    return answers


def test_every_save_keeps_a_dated_version(alice_client: Client, alice: User) -> None:
    r = alice_client.post(
        "/identity/", form_data(age__self_description="Born in the 1980s", age__position="mixed")
    )
    assert r.status_code == 302
    alice_client.post(
        "/identity/",
        form_data(
            age__self_description="Born in the 1980s",
            age__position="dominant",
            professional_culture="Trained in CBT",
        ),
    )
    versions = list(IdentityMapVersion.objects.for_user(alice).order_by("created_at", "pk"))
    assert len(versions) == 2
    assert versions[0].data["domains"]["age"]["position"] == "mixed"
    assert versions[1].data["domains"]["age"]["position"] == "dominant"
    assert versions[1].data["professional_culture"] == "Trained in CBT"


def test_an_unchanged_save_adds_no_version(alice_client: Client, alice: User) -> None:
    alice_client.post("/identity/", {"gender__position": "prefer_not"})
    alice_client.post("/identity/", {"gender__position": "prefer_not"})
    assert IdentityMapVersion.objects.count() == 1


def test_every_field_is_optional(alice_client: Client, alice: User) -> None:
    r = alice_client.post("/identity/", {})
    assert r.status_code == 302
    assert IdentityMapVersion.objects.get().data["domains"] == {}


def test_prefer_not_to_say_is_offered_everywhere(alice_client: Client) -> None:
    body = alice_client.get("/identity/").content.decode()
    # Position and importance, for each of the ten domains.
    assert body.count('<option value="prefer_not">Prefer not to say</option>') == 20


def test_the_form_opens_with_the_latest_answers(alice_client: Client) -> None:
    alice_client.post("/identity/", {"religion__self_description": "Raised Quaker"})
    assert "Raised Quaker" in alice_client.get("/identity/").content.decode()


def test_a_bad_choice_is_refused_beside_the_field(alice_client: Client) -> None:
    r = alice_client.post(
        "/identity/", {"age__position": "superior", "age__learning_goal": "Keep this"}
    )
    assert r.status_code == 200
    assert r.context["form"].errors["age__position"]
    assert "Keep this" in r.content.decode()
    assert not IdentityMapVersion.objects.exists()


def test_it_shows_what_changed_between_two_versions(alice_client: Client, alice: User) -> None:
    alice_client.post("/identity/", {"age__position": "mixed", "gender__learning_goal": "Read"})
    alice_client.post("/identity/", {"age__position": "dominant", "gender__learning_goal": "Read"})
    old, new = IdentityMapVersion.objects.for_user(alice).order_by("pk")
    r = alice_client.get("/identity/compare/", {"from": new.pk, "to": old.pk})
    assert r.status_code == 200
    changes = r.context["changes"]
    assert len(changes) == 1
    assert (changes[0].section, changes[0].before, changes[0].after) == (
        "Age and generational influences",
        "Mixed",
        "Dominant",
    )


def test_history_and_versions_are_private(
    alice_client: Client, bob_client: Client, alice: User
) -> None:
    alice_client.post("/identity/", {"ethnicity__self_description": "Private words"})
    version = IdentityMapVersion.objects.get()
    assert "Private words" in alice_client.get(f"/identity/versions/{version.pk}/").content.decode()
    assert bob_client.get(f"/identity/versions/{version.pk}/").status_code == 404
    assert (
        bob_client.get("/identity/compare/", {"from": version.pk, "to": version.pk}).status_code
        == 404
    )
    assert "Private words" not in bob_client.get("/identity/").content.decode()
    assert bob_client.get("/identity/history/").context["versions"] == []


def test_compare_with_a_malformed_id_is_not_found(alice_client: Client) -> None:
    assert alice_client.get("/identity/compare/", {"from": "x", "to": "1"}).status_code == 404


@pytest.mark.parametrize("path", ["/identity/", "/identity/history/", "/identity/versions/1/"])
def test_anonymous_is_sent_to_log_in(client: Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_identity_save_needs_csrf(alice: User) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post("/identity/", {"age__position": "mixed"}).status_code == 403
    assert not IdentityMapVersion.objects.exists()


def test_dashboard_nudges_a_revisit_after_ninety_days(alice_client: Client, alice: User) -> None:
    version = IdentityMapVersion.objects.create(owner=alice, data={"domains": {}})
    assert not alice_client.get("/").context["map_needs_revisit"]
    version.created_at = timezone.now() - timedelta(days=91)
    version.save()
    r = alice_client.get("/")
    assert r.context["map_needs_revisit"]
    assert "Time for a revisit?" in r.content.decode()
