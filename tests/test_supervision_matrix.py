"""Every URL, generated from the URLconf, as each role around alice's supervision space.

Roles: alice (the owner); supervisors of alice who are pending (invited, not accepted),
accepted, revoked (access ended) and expired (their share's date has passed); another
supervisor of alice; bob, another clinician; and anonymous visitors. Each role that is a
supervisor has a share of its own from alice, so a 404 means "not yours", not "nothing".

The rules: a share's pages on the supervisor's side are for its accepted supervisor while
the share is open, and a 404 for everyone else, alice included; the invitation link is for
the invited address only; every page that names alice's own things is hers alone; the
anonymous are sent to log in; nobody but alice and the accepted supervisor's comments and
sign-off change anything.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from journal.exports import build_document
from journal.models import Share, Supervision
from reflect.models import User
from tests.conftest import signed_in
from tests.urlconf import (
    Route,
    fill,
    fingerprint,
    hostile_post,
    make_journal,
    routes,
    supervisor,
)

pytestmark = pytest.mark.django_db

PRIVATE = [r for r in routes() if not r.public]
SHARE_PAGES = [r for r in PRIVATE if r.supervisor_side and r.params == ["uid"]]
# Open to anyone with the link (anonymous visitors are only shown how to sign in).
INVITATION = [r for r in routes() if r.params == ["token"]]
OWNED = [r for r in PRIVATE if r.params and not r.supervisor_side and r.params != ["code"]]
ROLES = (
    "owner", "pending", "expired invitation", "accepted", "revoked", "expired share",
    "other supervisor", "other clinician",
)  # fmt: skip
MARK = "of alice@example.org"


@pytest.fixture
def world(alice: User, bob: User, builtin: None) -> dict[str, Any]:
    """alice's journal, her supervisors in every state, each with a share of their own
    (and, for the invited, their own invitation link)."""
    journal = make_journal(alice)  # its "supervisor" is accepted, with an open share
    packet = journal["packet"]
    now = timezone.now()

    def supervised(email: str, **state: Any) -> tuple[User, dict[str, Any]]:
        user = supervisor(email)
        supervision = Supervision(owner=alice, email=email, expires_at=now + timedelta(days=7))
        for name, value in state.items():
            setattr(supervision, name, value)
        token = supervision.new_token()
        if state.get("accepted_at"):
            supervision.supervisor = user
        if "expires_at" in state:
            supervision.expires_at = state["expires_at"]
        supervision.save()
        share = Share(
            owner=alice, supervision=supervision, packet=packet, title=f"Share for {email}",
            document=build_document(packet).snapshot(),
        )  # fmt: skip
        share.save()
        return user, {"uid": share.uid, "token": token, "share": share}

    pending, pending_own = supervised("pending@example.org")
    lapsed, lapsed_own = supervised("lapsed@example.org", expires_at=now - timedelta(days=1))
    revoked, revoked_own = supervised("revoked@example.org", accepted_at=now, revoked_at=now)
    expired, expired_own = supervised("expired@example.org", accepted_at=now)
    expired_own["share"].readable_until(alice.localdate() - timedelta(days=1))
    expired_own["share"].save()
    other, other_own = supervised("other-supervisor@example.org", accepted_at=now)
    users = {
        "owner": (alice, {}),
        "pending": (pending, pending_own),
        "expired invitation": (lapsed, lapsed_own),
        "accepted": (journal["supervisor"], {}),
        "revoked": (revoked, revoked_own),
        "expired share": (expired, expired_own),
        "other supervisor": (other, other_own),
        "other clinician": (bob, {}),
    }
    return {"journal": journal, "users": users}


def allowed(route: Route, role: str, own: bool) -> bool:
    """May ``role`` open ``route`` naming alice's things (``own``: naming the share or
    invitation made to this role itself, rather than the accepted supervisor's)?"""
    if route in SHARE_PAGES:
        return role == ("other supervisor" if own else "accepted")
    if route in INVITATION:
        # Their own link: the invited accept; those who accepted are sent to their shares.
        return own and role in ("pending", "expired share", "other supervisor")
    return role == "owner" and not own


def test_the_matrix_covers_the_supervision_urls() -> None:
    names = {r.name for r in SHARE_PAGES + INVITATION}
    assert {
        "journal:supervising_share", "journal:supervising_comment",
        "journal:supervising_sign_off", "journal:supervising_pdf", "journal:invitation",
    } <= names  # fmt: skip
    assert {"journal:share_detail", "journal:share_end", "journal:hours_update"} <= {
        r.name for r in OWNED
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", SHARE_PAGES + INVITATION + OWNED, ids=str)
def test_each_role_reaches_exactly_what_it_may(
    route: Route, role: str, world: dict[str, Any]
) -> None:
    journal = world["journal"]
    user, own = world["users"][role]
    alice = world["users"]["owner"][0]
    client = signed_in(user)
    # The accepted supervisor's share and an invitation for someone else; then the share
    # or link made to this role itself, if it has one.
    targets: list[tuple[bool, dict[str, Any]]] = [(False, journal)]
    if own and (route in SHARE_PAGES or route in INVITATION):
        targets.append((True, {**journal, **own}))
    for is_own, objects in targets:
        url = fill(route, objects)
        if allowed(route, role, is_own):
            # 302: a form's page that sends on (a PDF still being made); 405: POST-only.
            r = client.get(url)
            assert r.status_code in (200, 302, 405), (role, url, r.status_code)
            continue
        before = fingerprint(alice)
        missing = fill(route, {**objects, "uid": "00000000-0000-4000-8000-000000000000"})
        # A view that takes one method only answers the other with 405, whether or not the
        # object exists, which tells nothing; everything else is a 404.
        for method in ("get", "post"):
            expected = 405 if getattr(client, method)(missing).status_code == 405 else 404
            r = getattr(client, method)(url, hostile_post(f"{role} was here"))
            assert r.status_code == expected, (role, is_own, method, url, r.status_code)
            assert MARK not in r.content.decode(errors="replace")
        assert fingerprint(alice) == before


@pytest.mark.parametrize("route", SHARE_PAGES + INVITATION, ids=str)
def test_anonymous_visitors_are_sent_to_log_in(route: Route, world: dict[str, Any]) -> None:
    url = fill(route, world["journal"])
    before = fingerprint(world["users"]["owner"][0])
    for method in ("get", "post"):
        r = getattr(Client(), method)(url, hostile_post("anonymous"))
        if route in INVITATION and method == "get":
            # The way to sign in and come back, and nothing about who invited them.
            page = r.content.decode()
            assert r.status_code == 200 and "Log in" in page and "alice" not in page
            continue
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next=")
    assert fingerprint(world["users"]["owner"][0]) == before


@pytest.mark.parametrize("role", ROLES)
def test_the_shared_with_me_page_lists_only_what_is_open_to_me(
    role: str, world: dict[str, Any]
) -> None:
    page = signed_in(world["users"][role][0]).get("/supervising/").content.decode()
    shared = world["journal"]["share"].title
    assert (shared in page) == (role == "accepted")
    assert ("Share for other-supervisor" in page) == (role == "other supervisor")
    for who in ("pending", "lapsed", "revoked", "expired"):
        assert f"Share for {who}@" not in page


def test_the_accepted_supervisor_reads_comments_and_signs_off(world: dict[str, Any]) -> None:
    journal = world["journal"]
    client = signed_in(world["users"]["accepted"][0])
    uid = journal["share"].uid
    page = client.get(f"/supervising/shares/{uid}/").content.decode()
    assert journal["share"].title in page and "A comment" in page
    r = client.post(f"/supervising/shares/{uid}/comment/", {"anchor": "", "body": "Noted"})
    assert r.status_code == 302
    r = client.post(
        f"/supervising/shares/{uid}/sign-off/",
        {"sign_name": "S", "sign_credential": "C", "sign_registration": "R",
         "sign_date": "2026-05-01", "sign_statement": "Reviewed."},
    )  # fmt: skip
    assert r.status_code == 302
    journal["share"].refresh_from_db()
    assert journal["share"].signed


def test_the_pending_supervisor_accepts_with_the_link(world: dict[str, Any]) -> None:
    user, own = world["users"]["pending"]
    client = signed_in(user)
    link = f"/supervising/invitations/{own['token']}/"
    assert "Share for pending@" not in client.get("/supervising/").content.decode()
    assert client.post(link).status_code == 302
    assert Supervision.objects.get(email="pending@example.org").status == "accepted"
    # Now what was shared before accepting opens, and the link only leads there.
    assert "Share for pending@" in client.get("/supervising/").content.decode()
    r = client.get(link)
    assert r.status_code == 302 and r["Location"] == "/supervising/"
