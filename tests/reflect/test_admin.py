from __future__ import annotations

import pytest
from django.test import Client

from reflect.models import Prompt, ReflectionTemplate, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(db: None) -> Client:
    staff = User.objects.create_superuser("staff@example.org", "a long staff passphrase")
    client = Client()
    client.force_login(staff)
    return client


def test_staff_edit_built_in_prompts_and_templates(
    staff_client: Client, alice: User, builtin: None
) -> None:
    private = Prompt.objects.create(owner=alice, text="Alice's private question", category="growth")
    r = staff_client.get("/admin/reflect/prompt/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "How do my identities shape my perspective in this interaction?" in body
    assert "private question" not in body  # a clinician's own prompts stay private
    assert staff_client.get(f"/admin/reflect/prompt/{private.pk}/change/").status_code == 302

    prompt = Prompt.objects.builtin().get(slug="sincere-apology")
    r = staff_client.post(
        f"/admin/reflect/prompt/{prompt.pk}/change/",
        {"text": "What would a sincere apology sound like, in my words?",
         "guidance": "", "category": "repair", "source": prompt.source,
         "is_active": "on", "order": "3"},
    )  # fmt: skip
    assert r.status_code == 302
    prompt.refresh_from_db()
    assert prompt.text == "What would a sincere apology sound like, in my words?"
    template = ReflectionTemplate.objects.get(slug="after-session")
    assert (
        staff_client.get(f"/admin/reflect/reflectiontemplate/{template.pk}/change/").status_code
        == 200
    )


def test_clinicians_cannot_open_the_admin(alice_client: Client) -> None:
    r = alice_client.get("/admin/reflect/prompt/")
    assert r.status_code == 302
    assert "/admin/login/" in r["Location"]


def test_the_admin_login_goes_through_the_sites_login(client: Client) -> None:
    # The admin's own form would skip two-factor.
    r = client.get("/admin/login/?next=/admin/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/?next=")
