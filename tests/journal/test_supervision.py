"""The supervision space: invite, accept with two-factor, share a fixed snapshot, comment,
sign off, the access log, and ending access. The access matrix over every URL and role is
in tests/test_supervision_matrix.py; the browser walk in test_browser_supervision.py."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from journal.models import (
    Entry,
    Packet,
    RepairNote,
    Share,
    ShareAccess,
    ShareComment,
    SharePdf,
    Supervision,
)
from journal.services import supervision as services
from reflect import emails
from reflect.models import SecurityEvent, User
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def sam(db: None) -> User:
    """A supervisor with an authenticator app."""
    user = User.objects.create_user("sam@example.org", "x", display_name="Dr Sam Lee")
    TOTP.activate(user, SECRET)
    return user


@pytest.fixture
def sam_client(sam: User) -> Client:
    return signed_in(sam)


def march_packet(alice: User) -> Packet:
    """An entry and a repair note with identifying details, in a packet for supervision."""
    entry = Entry.objects.create(
        owner=alice, client_code="C-7Q4", session_date=date(2026, 3, 14),
        body="Maria Gonzalez moved to Hamtramck and I missed what that meant to her.",
    )  # fmt: skip
    repair = RepairNote.objects.create(
        owner=alice, client_code="C-9K3", moment_date=date(2026, 3, 20),
        my_part="I used the wrong name for her.",
    )  # fmt: skip
    p = Packet.objects.create(owner=alice, title="March supervision")
    p.entries.add(entry)
    p.repairs.add(repair)
    return p


@pytest.fixture
def packet(alice: User) -> Packet:
    return march_packet(alice)


@pytest.fixture(autouse=True)
def _emails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Emails go out once the change is committed; a test's transaction never commits, so
    here they go at once (test_emails_wait_for_the_commit checks the real order)."""
    monkeypatch.setattr(services, "_later", emails.send)


def test_emails_wait_for_the_commit(
    alice: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.supervisor_invite(
            owner=alice, email="sam@example.org", name="", absolute=lambda p: p
        )
        assert mail.outbox == []
    assert len(callbacks) == 1 and mail.outbox[0].to == ["sam@example.org"]


def invite(client: Client, email: str = "sam@example.org") -> str:
    """Invite ``email``; return the link's path from the email it was sent."""
    mail.outbox.clear()
    r = client.post("/supervision/", {"email": email, "name": "Dr Sam Lee"})
    assert r.status_code == 302, r.content
    (message,) = mail.outbox
    assert message.to == [email]
    found = re.search(r"https?://[^/\s]+(/supervising/invitations/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def accepted(alice_client: Client, sam_client: Client) -> Supervision:
    link = invite(alice_client)
    assert sam_client.post(link).status_code == 302
    return Supervision.objects.get(email="sam@example.org")


def share(alice_client: Client, packet: Packet, supervision: Supervision, **extra: Any) -> Share:
    data = {
        "supervision": supervision.pk, "mask_identifiers": "on", "pseudonymise_codes": "on",
        "month_year_dates": "on", **extra,
    }  # fmt: skip
    r = alice_client.post(f"/supervision/packets/{packet.pk}/share/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    return Share.objects.latest("pk")


def expire(s: Share) -> None:
    """As if its last day had passed."""
    s.readable_until(s.owner.localdate() - timedelta(days=1))
    s.save()


def read(client: Client, s: Share) -> Any:
    return client.get(f"/supervising/shares/{s.uid}/")


def comment(client: Client, s: Share, anchor: str, body: str) -> Any:
    """The supervisor's comment on the item ``anchor`` ("" for the packet)."""
    return client.post(f"/supervising/shares/{s.uid}/comment/", {"anchor": anchor, "body": body})


def test_an_invitation_is_emailed_and_accepted_once(
    alice_client: Client, sam_client: Client, alice: User, sam: User
) -> None:
    link = invite(alice_client)
    page = sam_client.get(link)
    assert page.status_code == 200
    assert "invites you to be their supervisor" in page.content.decode()
    assert sam_client.post(link).status_code == 302
    supervision = Supervision.objects.get()
    assert supervision.supervisor == sam and supervision.status == "accepted"
    # Single use: the same link now only leads its supervisor to what is shared.
    r = sam_client.get(link)
    assert r.status_code == 302 and r["Location"] == "/supervising/"
    assert sam_client.post(link).status_code == 302
    assert Supervision.objects.get().accepted_at == supervision.accepted_at
    kinds = set(SecurityEvent.objects.filter(owner=alice).values_list("kind", flat=True))
    assert {"supervisor_invited", "supervisor_accepted"} <= kinds
    # The clinician is told, and the email says only what happened.
    assert mail.outbox[-1].to == ["alice@example.org"]


def test_the_token_is_stored_only_as_a_digest(alice_client: Client) -> None:
    link = invite(alice_client)
    token = link.rstrip("/").rsplit("/", 1)[1]
    supervision = Supervision.objects.get()
    assert token not in (supervision.token_hash or "")
    assert len(token) >= 40


def test_an_expired_invitation_cannot_be_accepted(alice_client: Client, sam_client: Client) -> None:
    link = invite(alice_client)
    Supervision.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert sam_client.get(link).status_code == 404
    assert sam_client.post(link).status_code == 404
    assert Supervision.objects.get().status == "expired"


def test_the_link_works_only_for_the_address_it_was_sent_to(
    alice_client: Client, bob_client: Client
) -> None:
    link = invite(alice_client)
    assert bob_client.get(link).status_code == 404
    assert bob_client.post(link).status_code == 404
    assert Supervision.objects.get().accepted_at is None


def test_accepting_needs_two_factor(alice_client: Client) -> None:
    User.objects.create_user("nomfa@example.org", "x")
    link = invite(alice_client, "nomfa@example.org")
    client = signed_in(User.objects.get(email="nomfa@example.org"))
    page = client.get(link).content.decode()
    assert "Set up two-factor" in page and "Accept the invitation" not in page
    client.post(link)
    assert Supervision.objects.get().accepted_at is None


def test_a_clinician_cannot_invite_themselves(alice_client: Client) -> None:
    r = alice_client.post("/supervision/", {"email": "ALICE@example.org"})
    assert r.status_code == 400
    assert "your own address" in r.content.decode()
    assert not Supervision.objects.exists()


def test_inviting_again_voids_the_old_link(alice_client: Client, sam_client: Client) -> None:
    old = invite(alice_client)
    new = invite(alice_client)
    assert Supervision.objects.count() == 1
    assert sam_client.get(old).status_code == 404
    assert sam_client.get(new).status_code == 200


def test_a_share_is_a_masked_snapshot(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    text = read(sam_client, s).content.decode()
    assert "March supervision" in text and "I missed what that meant to her" in text
    for identifying in ("Maria Gonzalez", "Hamtramck", "C-7Q4", "14 March"):
        assert identifying not in text
    assert "[name]" in text and "Client A" in text
    # Editing the entry later does not change what was shared.
    Entry.objects.filter(owner=packet.owner).update(body="Rewritten afterwards.")
    again = read(sam_client, s).content.decode()
    assert "Rewritten afterwards" not in again and "I missed what that meant" in again


def test_the_supervisor_sees_nothing_else(
    alice_client: Client, sam_client: Client, packet: Packet, alice: User
) -> None:
    share(alice_client, packet, accepted(alice_client, sam_client))
    entry = Entry.objects.filter(owner=alice).first()
    assert entry is not None
    for url in (f"/entries/{entry.pk}/", f"/export/packets/{packet.pk}/", "/identity/"):
        r = sam_client.get(url)
        assert "Maria" not in r.content.decode() and "missed what that meant" not in (
            r.content.decode()
        )
    assert sam_client.get(f"/entries/{entry.pk}/").status_code == 404


def test_every_read_and_download_is_logged_for_the_clinician(
    alice_client: Client, sam_client: Client, packet: Packet, alice: User
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    read(sam_client, s)
    read(sam_client, s)
    r = sam_client.get(f"/supervising/shares/{s.uid}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment")
    actions = list(ShareAccess.objects.filter(share=s).values_list("action", flat=True))
    assert sorted(actions) == ["download", "view", "view"]
    kinds = list(SecurityEvent.objects.filter(owner=alice).values_list("kind", flat=True))
    assert kinds.count("share_viewed") == 2 and kinds.count("share_downloaded") == 1
    page = alice_client.get(f"/supervision/shares/{s.pk}/").content.decode()
    assert page.count("sam@example.org") >= 3 and "Downloaded the PDF" in page
    activity = alice_client.get("/accounts/security/").content.decode()
    assert "My supervisor read a shared packet" in activity


def test_comments_and_replies_per_item_and_on_the_packet(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    anchor = s.document["items"][0]["anchor"]
    mail.outbox.clear()
    r = sam_client.post(
        f"/supervising/shares/{s.uid}/comment/",
        {"anchor": anchor, "body": "What did *moving* mean to her? <script>x()</script>"},
    )
    assert r.status_code == 302 and r["Location"].endswith(f"#comments-{anchor}")
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert "moving" not in mail.outbox[-1].body  # never what anyone wrote
    page = alice_client.get(f"/supervision/shares/{s.pk}/").content.decode()
    assert "<em>moving</em>" in page and "<script>x()" not in page
    r = alice_client.post(
        f"/supervision/shares/{s.pk}/comment/", {"anchor": anchor, "body": "Loss of her community."}
    )
    assert r.status_code == 302
    assert mail.outbox[-1].to == ["sam@example.org"]
    comment(sam_client, s, "", "Overall, good.")
    assert "Loss of her community." in read(sam_client, s).content.decode()
    comments = list(ShareComment.objects.values_list("anchor", "by_supervisor"))
    assert comments == [(anchor, True), (anchor, False), ("", True)]


def test_a_bad_comment_keeps_the_text_and_says_why(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    r = comment(sam_client, s, "entry-0", "Hm")
    assert r.status_code == 400
    assert "not in the shared packet" in r.content.decode()
    r = sam_client.post(f"/supervising/shares/{s.uid}/comment/", {"anchor": "", "body": "   "})
    assert r.status_code == 400 and "Write a comment first" in r.content.decode()
    assert not ShareComment.objects.exists()


def sign_off(sam_client: Client, s: Share, **extra: str) -> Any:
    data = {
        "sign_name": "Dr Sam Lee", "sign_credential": "Clinical Psychologist",
        "sign_registration": "PYL12345", "sign_date": "2026-04-02",
        "sign_statement": "I have read this packet and discussed it with the supervisee.",
        "sign_comment": "Thoughtful work on **naming**.", **extra,
    }  # fmt: skip
    return sam_client.post(f"/supervising/shares/{s.uid}/sign-off/", data)


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_sign_off_closes_comments_and_signs_the_pdf(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    anchor = s.document["items"][0]["anchor"]
    comment(sam_client, s, anchor, "Say more.")
    page = sam_client.get(f"/supervising/shares/{s.uid}/sign-off/").content.decode()
    assert 'value="Dr Sam Lee"' in page
    assert sign_off(sam_client, s).status_code == 302
    s.refresh_from_db()
    assert s.signed and s.sign_registration == "PYL12345"
    # Comments are closed, and kept as they were.
    r = sam_client.post(f"/supervising/shares/{s.uid}/comment/", {"anchor": "", "body": "Late."})
    assert r.status_code == 400  # shown again with the text and why
    r = alice_client.post(f"/supervision/shares/{s.pk}/comment/", {"anchor": "", "body": "Late."})
    assert ShareComment.objects.count() == 1
    # Signing twice changes nothing.
    sign_off(sam_client, s, sign_name="Someone else")
    s.refresh_from_db()
    assert s.sign_name == "Dr Sam Lee"
    # The signed PDF carries the comments and the sign-off block.
    assert SharePdf.objects.filter(share=s, signed=True, status="done").exists()
    r = alice_client.get(f"/supervision/shares/{s.pk}/pdf/")
    assert r.status_code == 200
    assert "signed" in r["Content-Disposition"]
    text = pdf_text(r.content)
    for expected in ("Say more.", "Dr Sam Lee", "Clinical Psychologist", "PYL12345",
                     "2 April 2026", "discussed it with the supervisee", "naming"):  # fmt: skip
        assert expected in text, expected
    assert "Maria" not in text


def test_ending_a_share_or_a_supervisor_closes_access(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    supervision = accepted(alice_client, sam_client)
    first = share(alice_client, packet, supervision)
    second = share(alice_client, packet, supervision)
    assert alice_client.post(f"/supervision/shares/{first.pk}/end/").status_code == 302
    assert read(sam_client, first).status_code == 404
    assert read(sam_client, second).status_code == 200
    alice_client.post(f"/supervision/supervisors/{supervision.pk}/end/")
    assert read(sam_client, second).status_code == 404
    assert sam_client.get(f"/supervising/shares/{second.uid}/pdf/").status_code == 404
    assert "March supervision" not in sam_client.get("/supervising/").content.decode()


def test_an_expired_share_is_closed(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client),
              expires_on=str(date.today() + timedelta(days=3)))  # fmt: skip
    assert read(sam_client, s).status_code == 200
    expire(s)
    assert read(sam_client, s).status_code == 404


def test_a_share_cannot_expire_in_the_past(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    supervision = accepted(alice_client, sam_client)
    r = alice_client.post(
        f"/supervision/packets/{packet.pk}/share/",
        {"supervision": supervision.pk, "expires_on": "2020-01-01"},
    )
    assert r.status_code == 400 and "today or a later date" in r.content.decode()
    assert not Share.objects.exists()


def test_a_supervisor_without_two_factor_is_asked_to_set_it_up(
    alice_client: Client, sam_client: Client, packet: Packet, sam: User
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=sam).delete()
    r = read(sam_client, s)
    assert r.status_code == 403 and "Set up two-factor" in r.content.decode()
    assert "missed what that meant" not in r.content.decode()
    assert not ShareAccess.objects.exists()


def test_sharing_asks_for_the_password_again(alice: User, packet: Packet) -> None:
    client = Client()
    client.force_login(alice)
    r = client.get(f"/supervision/packets/{packet.pk}/share/")
    assert r.status_code == 302 and "/accounts/reauthenticate/" in r["Location"]


def test_the_supervisors_page_keeps_its_query_count(
    alice: User, sam: User, sam_client: Client, django_assert_max_num_queries: Any
) -> None:
    from journal import exports

    supervision = Supervision.objects.create(
        owner=alice, email=sam.email, supervisor=sam, accepted_at=timezone.now(),
        expires_at=timezone.now(),
    )  # fmt: skip
    packet = Packet.objects.create(owner=alice, title="Many")

    def shared(n: int) -> Share:
        packet.entries.set([Entry.objects.create(owner=alice, body=f"Entry {i}") for i in range(n)])
        doc = exports.build_document(packet)
        s = Share.objects.create(
            owner=alice, supervision=supervision, title="Many", document=doc.snapshot()
        )
        for item in doc.items:
            ShareComment.objects.create(
                share=s, anchor=item.anchor, author=sam, author_name="Sam", body="Noted."
            )
        return s

    one, hundred = shared(1), shared(100)
    with django_assert_max_num_queries(12) as few:
        assert read(sam_client, one).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = read(sam_client, hundred)
    assert r.content.decode().count("Noted.") == 100


def test_one_account_supervises_several_clinicians_and_keeps_its_own_journal(
    alice_client: Client, bob_client: Client, sam_client: Client, sam: User, packet: Packet,
    bob: User,
) -> None:  # fmt: skip
    alices = share(alice_client, packet, accepted(alice_client, sam_client))
    bob_packet = Packet.objects.create(owner=bob, title="Bob's April packet")
    bob_packet.entries.add(Entry.objects.create(owner=bob, body="Bob's reflection."))
    link = invite(bob_client)
    assert sam_client.post(link).status_code == 302
    bobs = share(bob_client, bob_packet, Supervision.objects.get(owner=bob))
    listing = sam_client.get("/supervising/").content.decode()
    assert "March supervision" in listing and "Bob&#x27;s April packet" in listing
    assert "Bob's reflection." in read(sam_client, bobs).content.decode()
    assert read(sam_client, alices).status_code == 200
    # Sam's own journal is Sam's alone, and stays so.
    own = Entry.objects.create(owner=sam, body="Written by Sam for Sam.")
    assert "Written by Sam for Sam." in sam_client.get(f"/entries/{own.pk}/").content.decode()
    assert alice_client.get(f"/entries/{own.pk}/").status_code == 404
    # Ending Bob's supervision leaves alice's share open.
    bob_client.post(f"/supervision/supervisors/{Supervision.objects.get(owner=bob).pk}/end/")
    assert read(sam_client, bobs).status_code == 404
    assert read(sam_client, alices).status_code == 200


# --- What the first walk-through found -----------------------------------------------------


def test_invitations_are_limited_and_their_subject_is_ours(
    alice: User, alice_client: Client
) -> None:
    alice.display_name = "Reflect Security Team: verify at http://phish.example"
    alice.save()
    link = invite(alice_client, "first@example.net")
    assert link
    message = mail.outbox[-1]
    assert message.subject == "An invitation to supervise in Reflect"
    assert "From: alice@example.org" in message.body
    for n in range(9):
        alice_client.post("/supervision/", {"email": f"person{n}@example.net"})
    r = alice_client.post("/supervision/", {"email": "one-too-many@example.net"})
    assert r.status_code == 400 and "10 invitations in the last day" in r.content.decode()
    assert not Supervision.objects.filter(email="one-too-many@example.net").exists()


def test_comments_are_shown_with_the_shares_privacy(
    alice_client: Client, sam_client: Client, packet: Packet, alice: User
) -> None:
    Entry.objects.create(owner=alice, client_code="C-X4W", body="Another client, not shared.")
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    alice_client.post(
        f"/supervision/shares/{s.pk}/comment/",
        {"anchor": "", "body": "C-7Q4 is like C-X4W; Maria Gonzalez rang from Hamtramck."},
    )
    for page in (read(sam_client, s), alice_client.get(f"/supervision/shares/{s.pk}/")):
        text = page.content.decode()
        for identifying in ("C-7Q4", "C-X4W", "Maria Gonzalez", "Hamtramck"):
            assert identifying not in text, identifying
        assert "Client A is like [client code]; [name] rang from [place]." in text
    # What was written is kept as written; only its showing is masked.
    assert ShareComment.objects.get().body.startswith("C-7Q4 is like C-X4W")


def test_the_share_form_leaves_the_packets_own_options_alone(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client), mask_identifiers="",
              pseudonymise_codes="", month_year_dates="")  # fmt: skip
    packet.refresh_from_db()
    assert packet.mask_identifiers and packet.pseudonymise_codes and packet.month_year_dates
    text = read(sam_client, s).content.decode()
    assert "Maria Gonzalez" in text and "C-7Q4" in text  # as chosen for this share


def test_the_only_supervisor_is_chosen_already(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    supervision = accepted(alice_client, sam_client)
    page = alice_client.get(f"/supervision/packets/{packet.pk}/share/").content.decode()
    assert re.search(rf'value="{supervision.pk}"[^>]*checked', page)


def test_ending_a_supervisor_shows_their_shares_ended_and_closes_replies(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    supervision = accepted(alice_client, sam_client)
    s = share(alice_client, packet, supervision)
    alice_client.post(f"/supervision/supervisors/{supervision.pk}/end/")
    page = alice_client.get(f"/supervision/shares/{s.pk}/").content.decode()
    assert "Access ended" in page and "Your comment on" not in page
    assert "End access to this packet" not in page
    mail.outbox.clear()
    alice_client.post(f"/supervision/shares/{s.pk}/comment/", {"anchor": "", "body": "Late"})
    assert not ShareComment.objects.exists() and mail.outbox == []
    assert "Access ended" in alice_client.get("/supervision/").content.decode()


def test_an_expired_share_can_be_opened_again_with_a_later_date(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    expire(s)
    page = alice_client.get(f"/supervision/shares/{s.pk}/").content.decode()
    assert "It has expired" in page
    r = alice_client.post(f"/supervision/shares/{s.pk}/until/", {"expires_on": "2020-01-01"})
    assert r.status_code == 400 and "today or a later date" in r.content.decode()
    later = date.today() + timedelta(days=10)
    r = alice_client.post(f"/supervision/shares/{s.pk}/until/", {"expires_on": later.isoformat()})
    assert r.status_code == 302
    assert read(sam_client, s).status_code == 200


def test_an_expired_invitation_can_be_sent_again(alice_client: Client, sam_client: Client) -> None:
    old = invite(alice_client)
    Supervision.objects.update(expires_at=timezone.now() - timedelta(days=1))
    assert "Send a new link" in alice_client.get("/supervision/").content.decode()
    new = invite(alice_client)  # the button posts the same address again
    assert Supervision.objects.count() == 1
    assert sam_client.get(old).status_code == 404 and sam_client.get(new).status_code == 200


def test_dates_of_what_happened_cannot_be_in_the_future(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    r = sign_off(sam_client, s, sign_date=(date.today() + timedelta(days=30)).isoformat())
    assert r.status_code == 400 and "in the future" in r.content.decode()
    s.refresh_from_db()
    assert not s.signed
    r = alice_client.post("/hours/new/", {
        "date": (date.today() + timedelta(days=30)).isoformat(), "minutes": "60",
        "modality": "individual", "supervisor_name": "Dr Lee",
    })  # fmt: skip
    assert r.status_code in (200, 400) and "in the future" in r.content.decode()


def test_the_pdf_before_sign_off_carries_the_comments_so_far(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    comment(sam_client, s, "", "First thoughts on the packet.")
    r = sam_client.get(f"/supervising/shares/{s.uid}/pdf/")
    assert r.status_code == 200
    assert "First thoughts on the packet." in pdf_text(r.content)
    assert SharePdf.objects.filter(share=s).count() == 1  # the one before it went


def test_the_supervisors_name_given_by_the_clinician_is_kept(
    alice_client: Client, sam: User, packet: Packet
) -> None:
    sam.display_name = ""
    sam.save()
    link = invite(alice_client)  # named "Dr Sam Lee" by alice
    assert signed_in(sam).post(link).status_code == 302
    assert Supervision.objects.get().name == "Dr Sam Lee"


def test_a_signed_out_supervisor_is_shown_the_way_in_and_brought_back(
    alice_client: Client, sam: User
) -> None:
    link = invite(alice_client)
    visitor = Client()
    page = visitor.get(link).content.decode()
    assert "Create an account" in page and "alice" not in page.lower()
    assert f"/accounts/signup/?next={link}" in page
    visitor.force_login(sam)
    session = visitor.session
    session["account_authentication_methods_user"] = str(sam.pk)
    session["account_authentication_methods"] = [{"method": "mfa", "type": "totp", "at": 0}]
    session.save()
    home = visitor.get("/").content.decode()
    assert "Continue to the invitation" in home and link in home
    visitor.post(link)
    assert "Continue to the invitation" not in visitor.get("/").content.decode()


def test_the_security_activity_says_which_share_was_read(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    read(sam_client, s)
    event = SecurityEvent.objects.get(kind="share_viewed")
    assert event.detail.startswith("sam@example.org · shared ")
    assert "March supervision" not in event.detail  # never the clinician's words


def test_items_are_named_by_their_place_not_by_journal_ids(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    assert [i["anchor"] for i in s.document["items"]] == ["item-1", "item-2"]
    text = read(sam_client, s).content.decode()
    assert not re.search(r"entry-\d|repair-\d", text)


def test_a_shares_last_day_ends_where_the_clinician_is(
    alice_client: Client, sam_client: Client, packet: Packet, alice: User
) -> None:
    alice.time_zone = "Pacific/Kiritimati"  # UTC+14: her day ends before the server's
    alice.save()
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    today = alice.localdate()
    s.readable_until(today)
    s.save()
    end = s.expires_at
    assert end is not None and end.utcoffset() == timedelta(hours=14)
    assert (end.date(), end.hour, end.minute) == (today + timedelta(days=1), 0, 0)
    assert read(sam_client, s).status_code == 200
    Share.objects.filter(pk=s.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert read(sam_client, s).status_code == 404


# --- What the review found ----------------------------------------------------------------


def test_emails_are_plain_text_as_written(alice: User, alice_client: Client) -> None:
    alice.display_name = "Dr O'Neil & Co"
    alice.save()
    invite(alice_client)
    assert "Name they give: Dr O'Neil & Co" in mail.outbox[-1].body


def test_a_comment_refused_as_closed_keeps_its_text(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    sign_off(sam_client, s)
    r = comment(sam_client, s, "", "Written before I saw it was signed.")
    assert r.status_code == 400
    page = r.content.decode()
    assert "already signed off" in page or "signed off; its comments" in page
    assert "Written before I saw it was signed." in page
    r = alice_client.post(
        f"/supervision/shares/{s.pk}/comment/", {"anchor": "", "body": "My late reply."}
    )
    assert r.status_code == 400 and "My late reply." in r.content.decode()
    assert not ShareComment.objects.exists()


def test_a_sign_off_after_access_ended_is_refused(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    form = Share.objects.get(pk=s.pk)
    Share.objects.filter(pk=s.pk).update(revoked_at=timezone.now())
    with pytest.raises(services.Closed):
        services.share_sign_off(share=form, user=form.supervision.supervisor, absolute=str)
    s.refresh_from_db()
    assert not s.signed


def test_pressing_comment_twice_adds_one_comment(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    mail.outbox.clear()
    comment(sam_client, s, "", "Once, please.")
    comment(sam_client, s, "", "Once, please.")
    assert ShareComment.objects.count() == 1 and len(mail.outbox) == 1


def test_pressing_save_twice_logs_one_session(alice_client: Client) -> None:
    page = alice_client.get("/hours/new/").content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page)
    assert once
    data = {"date": date.today().isoformat(), "minutes": "60", "modality": "individual",
            "supervisor_name": "Dr Lee", "once": once.group(1)}  # fmt: skip
    assert alice_client.post("/hours/new/", data).status_code == 302
    assert alice_client.post("/hours/new/", data).status_code == 302
    from journal.models import SupervisionSession

    assert SupervisionSession.objects.count() == 1


def test_one_pdf_waits_at_a_time(alice_client: Client, sam_client: Client, packet: Packet) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    waiting = SharePdf.objects.create(share=s, signed=False)
    assert services.pdf_start(share=s) == waiting
    assert SharePdf.objects.filter(share=s, status="queued").count() == 1


def test_accepting_twice_accepts_once(
    alice_client: Client, sam_client: Client, alice: User
) -> None:
    link = invite(alice_client)
    supervision = services.invitation_for(link.rstrip("/").rsplit("/", 1)[1])
    assert supervision is not None
    sam = User.objects.get(email="sam@example.org")
    services.supervision_accept(supervision=supervision, user=sam, absolute=str)
    services.supervision_accept(supervision=supervision, user=sam, absolute=str)
    assert SecurityEvent.objects.filter(owner=alice, kind="supervisor_accepted").count() == 1


def test_notices_go_to_the_supervisors_address_now(
    alice_client: Client, sam_client: Client, packet: Packet, sam: User
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    sam.email = "sam.lee@clinic.example"
    sam.save()
    mail.outbox.clear()
    alice_client.post(f"/supervision/shares/{s.pk}/comment/", {"anchor": "", "body": "Hello"})
    assert mail.outbox[-1].to == ["sam.lee@clinic.example"]


def test_the_identity_map_is_shared_only_when_ticked_on_sharing(
    alice_client: Client, sam_client: Client, packet: Packet, alice: User
) -> None:
    from reflect.models import IdentityMapVersion

    IdentityMapVersion.objects.create(owner=alice, data={"domains": {}})
    Packet.objects.filter(pk=packet.pk).update(include_identity_map=True)
    supervision = accepted(alice_client, sam_client)
    page = alice_client.get(f"/supervision/packets/{packet.pk}/share/").content.decode()
    assert 'name="include_identity_map"' in page
    assert not re.search(r'name="include_identity_map"[^>]*checked', page)
    assert (
        "My identity map"
        not in read(sam_client, share(alice_client, packet, supervision)).content.decode()
    )
    ticked = share(alice_client, packet, supervision, include_identity_map="on")
    assert "My identity map" in read(sam_client, ticked).content.decode()


def test_the_supervision_pages_keep_their_query_counts(
    alice: User, sam: User, alice_client: Client, sam_client: Client,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    from journal import exports

    supervision = Supervision.objects.create(
        owner=alice, email=sam.email, supervisor=sam, accepted_at=timezone.now(),
        expires_at=timezone.now(),
    )  # fmt: skip
    packet = Packet.objects.create(owner=alice, title="Many")
    doc = exports.build_document(packet).snapshot()

    def add(n: int) -> None:
        for _ in range(n):
            s = Share.objects.create(owner=alice, supervision=supervision, title="T", document=doc)
            ShareComment.objects.create(share=s, author=sam, author_name="Sam", body="x")
            ShareAccess.objects.create(share=s, user=sam, who=sam.email, action="view")

    add(1)
    counts = {}
    for client, url in ((alice_client, "/supervision/"), (sam_client, "/supervising/")):
        with django_assert_max_num_queries(20) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    add(20)
    for client, url in ((alice_client, "/supervision/"), (sam_client, "/supervising/")):
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_a_session_signed_in_with_the_password_alone_is_asked_to_confirm(
    alice_client: Client, sam_client: Client, packet: Packet, sam: User
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    password_only = Client()
    password_only.force_login(sam)
    r = password_only.get(f"/supervising/shares/{s.uid}/")
    page = r.content.decode()
    assert r.status_code == 403 and "Confirm with two-factor" in page
    assert f"/accounts/2fa/reauthenticate/?next=/supervising/shares/{s.uid}/" in page
    assert "I missed what that meant" not in page and not ShareAccess.objects.exists()


# --- What the last walk-through found ----------------------------------------------------


def test_setting_up_a_factor_counts_as_using_it_in_this_session(rf: Any, bob: User) -> None:
    from allauth.account.authentication import get_authentication_records
    from allauth.mfa import signals as mfa_signals
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.backends.db import SessionStore

    from reflect.security import signed_in_with_mfa

    request = rf.get("/")
    request.session, request.user = SessionStore(), bob
    assert not signed_in_with_mfa(request)
    TOTP.activate(bob, SECRET)
    totp = Authenticator.objects.get(user=bob, type="totp")
    mfa_signals.authenticator_added.send(
        sender=Authenticator, request=request, user=bob, authenticator=totp
    )
    assert [r["method"] for r in get_authentication_records(request, bob)] == ["mfa"]
    assert signed_in_with_mfa(request)


def test_a_comment_sent_after_access_ended_is_given_back(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    alice_client.post(f"/supervision/shares/{s.pk}/end/")
    r = comment(sam_client, s, "", "A thought I do not want to lose.")
    assert r.status_code == 404
    page = r.content.decode()
    assert "Not sent" in page and "A thought I do not want to lose." in page
    assert "March supervision" not in page and not ShareComment.objects.exists()
    # With nothing typed, it is the plain 404.
    assert "Not sent" not in sam_client.get(f"/supervising/shares/{s.uid}/").content.decode()


def test_closed_comments_say_why_and_the_blank_sign_off_stays_off_screen(
    alice_client: Client, sam_client: Client, packet: Packet
) -> None:
    s = share(alice_client, packet, accepted(alice_client, sam_client))
    assert "Supervisor&#x27;s comments and sign-off" not in read(sam_client, s).content.decode()
    comment(sam_client, s, "", "Thanks.")
    sign_off(sam_client, s)
    page = alice_client.get(f"/supervision/shares/{s.pk}/").content.decode()
    assert "Comments are closed: the packet was signed off." in page
    assert "Supervisor&#x27;s comments and sign-off" in page  # filled in now
