"""Every URL of the app, read from the URLconf, with real objects to fill its parameters.

The access matrix and the fuzz test walk this list, so a new URL is covered without
anyone writing a test for it. A new URL whose parameters this module cannot fill makes
``fill`` raise, which fails those tests until ``OWNED`` learns what the URL names.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allauth.mfa.models import Authenticator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from journal.models import (
    Answer,
    Commitment,
    Entry,
    EntryRevision,
    ExportRecord,
    ImportJob,
    Packet,
    RepairNote,
    RepairRevision,
    Share,
    ShareComment,
    Supervision,
    SupervisionSession,
)
from reflect.models import IdentityMapVersion, Prompt, User

# URLs anyone may open, signed in or not.
PUBLIC = re.compile(
    r"^(|healthz|favicon\.ico|help/|session/"
    r"|accounts/(login|signup|logout|password/reset|inactive|confirm-email"
    r"|2fa/authenticate|2fa/webauthn/login)/.*|accounts/\^(confirm-email|password/reset)/.*"
    r"|import/|supervising/invitations/<str:token>/|admin/.*)$"
)
# Django's admin has its own access rules (staff only) and its own tests.
SKIP = re.compile(r"^admin/")
# The supervisor's side: reached by the supervisor of a share, never by its owner
# (tests/test_supervision_matrix.py walks these for every role).
SUPERVISOR_SIDE = re.compile(r"^supervising/.")


@dataclass(frozen=True)
class Route:
    route: str  # "entries/<int:pk>/edit/"
    name: str  # "journal:entry_update"

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)

    @property
    def public(self) -> bool:
        return bool(PUBLIC.match(self.route))

    @property
    def supervisor_side(self) -> bool:
        return bool(SUPERVISOR_SIDE.match(self.route))

    def url(self, values: dict[str, Any]) -> str:
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), self.route)
        return "/" + path

    def __str__(self) -> str:
        return self.route


def routes() -> list[Route]:
    out: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if not SKIP.match(route):
                    out.append(Route(route, f"{namespace}:{p.name}" if namespace else str(p.name)))

    walk(get_resolver().url_patterns, "", None)
    return out


def make_journal(user: User) -> dict[str, Any]:
    """One of everything a clinician owns, alive and in the trash."""
    from reflect.models import ReflectionTemplate

    template = ReflectionTemplate.objects.first()
    prompt = Prompt.objects.create(
        owner=user, text=f"Own prompt of {user.email}?", category="growth"
    )
    entry = Entry.objects.create(
        owner=user, body=f"Entry of {user.email}", client_code="C-7Q4", template=template
    )
    Answer.objects.create(entry=entry, owner=user, prompt=prompt, text="An answer")
    trashed = Entry.objects.create(owner=user, body="Trashed", deleted_at=timezone.now())
    repair = RepairNote.objects.create(
        owner=user, my_part=f"Repair of {user.email}", commit_text="Ask first", entry=entry
    )
    trashed_repair = RepairNote.objects.create(owner=user, my_part="x", deleted_at=timezone.now())
    packet = Packet.objects.create(owner=user, title=f"Packet of {user.email}")
    packet.entries.add(entry)
    packet.repairs.add(repair)
    return {
        **supervision_of(user, packet),
        "prompt": prompt,
        "entry": entry,
        "trashed_entry": trashed,
        "entry_revision": EntryRevision.objects.create(
            entry=entry, version=1, snapshot={"body": "older"}
        ),
        "repair": repair,
        "trashed_repair": trashed_repair,
        "repair_revision": RepairRevision.objects.create(
            repair=repair, version=1, snapshot={"my_part": "older"}
        ),
        "commitment": Commitment.objects.create(owner=user, repair=repair, text="Ask first"),
        "packet": packet,
        "export": ExportRecord.objects.create(
            owner=user, packet=packet, format="md", description="x", status="done", content=b"#"
        ),
        "import": ImportJob.objects.create(owner=user, status="done"),
        "identity": IdentityMapVersion.objects.create(owner=user, data={"domains": {}}),
        "code": "C-7Q4",
        "passkey": Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.WEBAUTHN,
            data={**PASSKEY, "name": f"Passkey of {user.email}"},
        ),
    }


def supervisor(email: str) -> User:
    """A supervisor: an account with an authenticator app (supervisors use two-factor)."""
    from allauth.mfa.totp.internal.auth import TOTP

    user, created = User.objects.get_or_create(email=email)
    if created:
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


def supervision_of(user: User, packet: Packet) -> dict[str, Any]:
    """The clinician's supervision space: an accepted supervisor with a share of ``packet``
    (commented on), a pending invitation with its link's token, and a logged session."""
    from journal.exports import build_document

    now = timezone.now()
    sup = supervisor(f"supervisor-of-{user.email}")
    supervision = Supervision.objects.create(
        owner=user, email=sup.email, supervisor=sup, accepted_at=now, expires_at=now
    )
    share = Share.objects.create(
        owner=user, supervision=supervision, packet=packet, title=f"Share of {user.email}",
        document=build_document(packet).snapshot(),
    )  # fmt: skip
    ShareComment.objects.create(
        share=share, author=sup, author_name="Supervisor", by_supervisor=True, body="A comment"
    )
    invited = Supervision(owner=user, email=f"invited-by-{user.email}")
    token = invited.new_token()
    invited.save()
    return {
        "supervisor": sup,
        "supervision": supervision,
        "share": share,
        "uid": share.uid,
        "invited": invited,
        "token": token,
        "hours": SupervisionSession.objects.create(
            owner=user, minutes=60, supervisor_name="Dr Supervisor", topics=f"Hours of {user.email}"
        ),
    }


# A passkey as Chromium's virtual authenticator registered it (test_browser_accounts.py).
PASSKEY = json.loads((Path(__file__).parent / "reflect" / "passkey_registration.json").read_text())

# URL prefix -> which of the owner's objects its <pk> (and <revision_pk>) name.
OWNED: list[tuple[str, str, str | None]] = [
    (r"^entries/<int:pk>/restore/", "trashed_entry", None),
    (r"^entries/<int:pk>/history/<int:revision_pk>/", "entry", "entry_revision"),
    (r"^entries/<int:pk>/", "entry", None),
    (r"^repairs/<int:pk>/restore/", "trashed_repair", None),
    (r"^repairs/<int:pk>/history/<int:revision_pk>/", "repair", "repair_revision"),
    (r"^repairs/<int:pk>/", "repair", None),
    (r"^commitments/<int:pk>/", "commitment", None),
    (r"^export/packets/<int:pk>/", "packet", None),
    (r"^export/files/<int:pk>/", "export", None),
    (r"^export/import/<int:pk>/", "import", None),
    (r"^prompts/<int:pk>/", "prompt", None),
    (r"^review/prompts/<int:pk>/", "prompt", None),
    (r"^identity/versions/<int:pk>/", "identity", None),
    (r"^supervision/supervisors/<int:pk>/", "supervision", None),
    (r"^supervision/packets/<int:pk>/", "packet", None),
    (r"^supervision/shares/<int:pk>/", "share", None),
    (r"^hours/<int:pk>/", "hours", None),
    (r"^accounts/2fa/webauthn/keys/<int:pk>/", "passkey", None),
]

# allauth's regular-expression URLs, filled with keys that name nothing.
REGEX_URLS = {
    "account_confirm_email": "/accounts/confirm-email/not-a-real-key/",
    "account_reset_password_from_key": "/accounts/password/reset/key/1-set-password/",
}


def fill(route: Route, objects: dict[str, Any]) -> str:
    """The URL with its parameters naming ``objects`` (one clinician's journal)."""
    if route.name in REGEX_URLS:
        return REGEX_URLS[route.name]
    if not route.params:
        return route.url({})
    if route.params in (["code"], ["uid"], ["token"]):
        name = route.params[0]
        return route.url({name: objects[name]})
    if route.params == ["uidb64", "token"]:
        return route.url({"uidb64": "MQ", "token": "set-password"})
    for pattern, main, revision in OWNED:
        if re.match(pattern, route.route):
            values = {"pk": objects[main].pk}
            if revision:
                values["revision_pk"] = objects[revision].pk
            return route.url(values)
    raise LookupError(f"tests/urlconf.py does not know what {route.route} names: add it to OWNED")


def fingerprint(user: User) -> dict[str, Any]:
    """Everything a clinician owns, as plain rows: equal before and after means unchanged."""
    from journal.models import EntryAddendum, RepairFollowUp, Tag
    from reflect.models import PromptPreference

    rows: dict[str, Any] = {}
    for model in (Entry, RepairNote, Packet, Commitment, ExportRecord, ImportJob, Prompt,
                  IdentityMapVersion, PromptPreference, Tag, Supervision, Share,
                  SupervisionSession):  # fmt: skip
        rows[model.__name__] = list(
            model._default_manager.filter(owner=user).order_by("pk").values()
        )
    rows["answers"] = list(Answer.objects.filter(owner=user).order_by("pk").values())
    rows["comments"] = list(ShareComment.objects.filter(share__owner=user).values())
    rows["addenda"] = list(EntryAddendum.objects.filter(entry__owner=user).values())
    rows["follow_ups"] = list(RepairFollowUp.objects.filter(repair__owner=user).values())
    rows["revisions"] = [
        list(EntryRevision.objects.filter(entry__owner=user).values()),
        list(RepairRevision.objects.filter(repair__owner=user).values()),
    ]
    return rows


def hostile_post(user_marker: str) -> dict[str, Any]:
    """A POST that would change things if it were let through."""
    return {
        "body": user_marker, "text": user_marker, "note": user_marker, "title": user_marker,
        "my_part": user_marker, "feelings": user_marker, "done": "1", "format": "md",
        "edit_session": str(uuid.uuid4()), "version": "1", "date": "2026-01-01",
        "session_date": "2026-01-01", "moment_date": "2026-01-01", "status": "complete",
        "pinned": "1", "hidden": "1", "save_anyway": "1",
    }  # fmt: skip
