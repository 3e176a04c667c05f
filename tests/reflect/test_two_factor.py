"""Two-factor at sign-in: authenticator codes, passkey assertions, and the REFLECT_REQUIRE_MFA
setting. Wrong and hostile answers are refused calmly, never with a 500."""

from __future__ import annotations

import json
from typing import Any

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from reflect.models import User
from reflect.security import has_mfa
from tests.conftest import PASSWORD
from tests.urlconf import PASSKEY

pytestmark = pytest.mark.django_db

SECRET = pyotp.random_base32()


@pytest.fixture
def totp_alice(alice: User) -> User:
    TOTP.activate(alice, SECRET)
    RecoveryCodes.activate(alice)
    return alice


def password_step(client: Client, email: str = "alice@example.org") -> Any:
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_has_mfa_counts_an_app_or_a_passkey_not_recovery_codes_alone(alice: User) -> None:
    assert not has_mfa(alice)
    RecoveryCodes.activate(alice)
    assert not has_mfa(alice)
    TOTP.activate(alice, SECRET)
    assert has_mfa(alice)


def test_a_passkey_counts_as_two_factor(bob: User) -> None:
    Authenticator.objects.create(user=bob, type=Authenticator.Type.WEBAUTHN, data=PASSKEY)
    assert has_mfa(bob)


def test_the_password_alone_does_not_sign_in(client: Client, totp_alice: User) -> None:
    r = password_step(client)
    assert r.status_code == 302
    assert r["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/entries/").status_code == 302


def test_the_right_code_signs_in(client: Client, totp_alice: User) -> None:
    password_step(client)
    r = client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(SECRET).now()})
    assert r.status_code == 302
    assert r["Location"] == "/"
    assert client.get("/entries/").status_code == 200


@pytest.mark.parametrize(
    "code", ["000000", "12345", "1234567", "abcdef", "", "x" * 10_000, "' OR 1=1 --", "١٢٣٤٥٦"]
)
def test_a_wrong_code_is_refused_calmly(client: Client, totp_alice: User, code: str) -> None:
    if code == pyotp.TOTP(SECRET).now():
        code = "999999"
    password_step(client)
    r = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert r.status_code == 200
    assert client.get("/entries/").status_code == 302


def test_a_recovery_code_signs_in_once(client: Client, totp_alice: User) -> None:
    code = RecoveryCodes(Authenticator.objects.get(type="recovery_codes")).get_unused_codes()[0]
    password_step(client)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    again = Client()
    password_step(again)
    assert again.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert again.get("/entries/").status_code == 302


def assertion(**changes: Any) -> str:
    credential = PASSKEY["credential"]
    body: dict[str, Any] = {
        "type": "public-key",
        "id": credential["id"],
        "rawId": credential["rawId"],
        "response": {
            "clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0",
            "authenticatorData": "SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ",
            "signature": "MEUCIQDx",
            "userHandle": None,
        },
        "clientExtensionResults": {},
    }
    body.update(changes)
    return json.dumps(body)


BAD_ASSERTIONS = [
    assertion(),
    assertion(id="AAAA", rawId="AAAA"),
    assertion(response={}),
    "{}",
    "[]",
    "not json",
    "",
    "x" * 10_000,
]


@pytest.fixture
def passkey_alice(alice: User) -> User:
    Authenticator.objects.create(user=alice, type=Authenticator.Type.WEBAUTHN, data=PASSKEY)
    return alice


@pytest.mark.parametrize("credential", BAD_ASSERTIONS)
def test_a_bad_passkey_assertion_at_login_is_refused(
    client: Client, passkey_alice: User, credential: str
) -> None:
    # The challenge, as the page's script asks for it.
    challenge = client.get("/accounts/2fa/webauthn/login/", headers={"Accept": "application/json"})
    assert "request_options" in challenge.json()
    r = client.post("/accounts/2fa/webauthn/login/", {"credential": credential})
    assert r.status_code < 500
    assert client.get("/entries/").status_code == 302


@pytest.mark.parametrize("credential", BAD_ASSERTIONS)
def test_a_bad_passkey_assertion_as_second_factor_is_refused(
    client: Client, passkey_alice: User, credential: str
) -> None:
    password_step(client)
    r = client.post("/accounts/2fa/authenticate/", {"credential": credential})
    assert r.status_code < 500
    assert client.get("/entries/").status_code == 302


def test_require_mfa_sends_everyone_to_set_it_up(alice_client: Client, settings: Any) -> None:
    settings.REFLECT_REQUIRE_MFA = True
    r = alice_client.get("/entries/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/welcome/"
    page = alice_client.get("/accounts/welcome/").content.decode()
    assert "asks everyone to set up a second step" in page
    assert "Not now" not in page
    assert alice_client.get("/accounts/2fa/").status_code == 200
    assert alice_client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_require_mfa_lets_a_clinician_with_two_factor_in(
    alice_client: Client, alice: User, settings: Any
) -> None:
    settings.REFLECT_REQUIRE_MFA = True
    TOTP.activate(alice, SECRET)
    assert alice_client.get("/entries/").status_code == 200


def test_without_the_setting_two_factor_is_offered_not_forced(alice_client: Client) -> None:
    assert alice_client.get("/entries/").status_code == 200
    page = alice_client.get("/accounts/profile/").content.decode()
    assert "Set up two-factor" in page
