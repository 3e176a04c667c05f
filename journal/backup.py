"""A full backup of everything a clinician owns, and its restore.

Format ``reflect-backup``, version 1: one JSON document (see README, "Backup
format"). It is written as a stream, one object at a time, so memory stays flat
however long the journal. Restoring matches entries, repair notes, prompts and
packets by their ``uid`` and identity map versions by their date, so importing
the same file twice adds nothing twice; it runs in one transaction, so a file
that fails part-way changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from journal.models import (
    Answer,
    Commitment,
    Entry,
    EntryAddendum,
    EntryRevision,
    Packet,
    RepairFollowUp,
    RepairNote,
    RepairRevision,
    RepairStatusChange,
    Tag,
)
from reflect.models import IdentityMapVersion, Prompt, PromptPreference, ReflectionTemplate, User

FORMAT = "reflect-backup"
VERSION = 1

ENTRY_FIELDS = (
    "session_date", "client_code", "session_kind", "body", "cultural_moment", "my_response",
    "feelings", "addressing_domains", "bring_to_supervision", "status", "created_at",
    "updated_at", "deleted_at", "version", "identifiers_ok",
)  # fmt: skip
REPAIR_FIELDS = (
    "moment_date", "client_code", "observed", "misstep_kind", "my_part", "reactions",
    "acknowledge_step", "acknowledge_text", "apologise_step", "apologise_text", "commit_step",
    "commit_text", "client_response", "status", "revisit_date", "next_step", "learning",
    "supervision_question", "systemic_factor", "created_at", "updated_at", "deleted_at",
    "version", "identifiers_ok",
)  # fmt: skip
PACKET_FIELDS = (
    "title", "period_start", "period_end", "include_identity_map", "focal_moments",
    "what_i_tried", "where_stuck", "reluctant", "supervisor_dynamics", "requests",
    "month_year_dates", "pseudonymise_codes", "created_at",
)  # fmt: skip
DATE_FIELDS = {"session_date", "moment_date", "revisit_date", "period_start", "period_end", "date"}
TIME_FIELDS = {"created_at", "updated_at", "deleted_at", "done_at", "changed_at"}


class BackupError(Exception):
    """A backup file that cannot be restored; the message says why, for the clinician."""


class BackupEncoder(DjangoJSONEncoder):
    """Like Django's encoder, but keeps times to the microsecond so a restore is exact."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def _dump(value: Any) -> str:
    return json.dumps(value, cls=BackupEncoder, ensure_ascii=False, sort_keys=True)


def _prompt_ref(prompt: Prompt) -> dict[str, str]:
    return {"builtin": prompt.slug} if prompt.owner_id is None else {"own": str(prompt.uid)}


def _fields(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


CHUNK = 500


def _chunks(queryset: Any, fields: tuple[str, ...]) -> Iterator[list[dict[str, Any]]]:
    """Rows as plain dicts, a chunk at a time, in primary key order (flat memory, no models)."""
    last = 0
    while True:
        rows = list(
            queryset.filter(pk__gt=last).order_by("pk").values("pk", "uid", *fields)[:CHUNK]
        )
        if not rows:
            return
        last = rows[-1]["pk"]
        yield rows


def _grouped(queryset: Any, key: str, fields: tuple[str, ...]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in queryset.order_by(key, "pk").values(key, *fields):
        out.setdefault(row.pop(key), []).append(row)
    return out


def _entries(user: User, prompt_refs: dict[int, dict[str, str]]) -> Iterator[dict[str, Any]]:
    templates = dict(ReflectionTemplate.objects.values_list("pk", "slug"))
    for rows in _chunks(Entry.objects.for_user(user), (*ENTRY_FIELDS, "template_id")):
        ids = [r["pk"] for r in rows]
        answers = _grouped(Answer.objects.filter(entry_id__in=ids), "entry_id",
                           ("prompt_id", "text", "order"))  # fmt: skip
        addenda = _grouped(EntryAddendum.objects.filter(entry_id__in=ids), "entry_id",
                           ("text", "created_at"))  # fmt: skip
        revisions = _grouped(EntryRevision.objects.filter(entry_id__in=ids).order_by("-version"),
                             "entry_id", ("version", "snapshot", "created_at"))  # fmt: skip
        tags: dict[int, list[str]] = {}
        for entry_id, name in Entry.tags.through.objects.filter(entry_id__in=ids).values_list(
            "entry_id", "tag__name"
        ):
            tags.setdefault(entry_id, []).append(name)
        for row in rows:
            pk = row.pop("pk")
            template_id = row.pop("template_id")
            yield {
                **row,
                "uid": str(row["uid"]),
                "template": templates.get(template_id),
                "tags": sorted(tags.get(pk, [])),
                "answers": [
                    {"prompt": prompt_refs[a["prompt_id"]], "text": a["text"], "order": a["order"]}
                    for a in answers.get(pk, [])
                ],
                "addenda": addenda.get(pk, []),
                "revisions": revisions.get(pk, []),
            }


def _repairs(user: User) -> Iterator[dict[str, Any]]:
    entry_uids = dict(Entry.objects.for_user(user).values_list("pk", "uid"))
    for rows in _chunks(RepairNote.objects.for_user(user), (*REPAIR_FIELDS, "entry_id")):
        ids = [r["pk"] for r in rows]
        follow_ups = _grouped(RepairFollowUp.objects.filter(repair_id__in=ids), "repair_id",
                              ("date", "note", "new_status", "created_at"))  # fmt: skip
        changes = _grouped(RepairStatusChange.objects.filter(repair_id__in=ids), "repair_id",
                           ("old_status", "new_status", "changed_at"))  # fmt: skip
        revisions = _grouped(RepairRevision.objects.filter(repair_id__in=ids).order_by("-version"),
                             "repair_id", ("version", "snapshot", "created_at"))  # fmt: skip
        for row in rows:
            pk = row.pop("pk")
            entry_id = row.pop("entry_id")
            yield {
                **row,
                "uid": str(row["uid"]),
                "entry": str(entry_uids[entry_id]) if entry_id in entry_uids else None,
                "follow_ups": follow_ups.get(pk, []),
                "status_changes": changes.get(pk, []),
                "revisions": revisions.get(pk, []),
            }


def backup_stream(user: User) -> Iterator[str]:
    """The backup as pieces of one JSON document, produced as the database is read."""
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now(),
        "account": {"email": user.email, "time_zone": user.time_zone},
    }
    yield _dump(head)[:-1]  # leave the object open for the sections that follow

    def section(name: str, rows: Iterator[dict[str, Any]]) -> Iterator[str]:
        yield f', "{name}": ['
        for i, row in enumerate(rows):
            yield ("," if i else "") + _dump(row)
        yield "]"

    own = Prompt.objects.filter(owner=user).order_by("pk")
    yield from section(
        "own_prompts",
        ({"uid": str(p.uid), "text": p.text, "guidance": p.guidance, "category": p.category,
          "created_at": p.created_at} for p in own.iterator(chunk_size=500)),
    )  # fmt: skip
    prefs = PromptPreference.objects.for_user(user).select_related("prompt").order_by("pk")
    yield from section(
        "prompt_preferences",
        ({"prompt": _prompt_ref(p.prompt), "pinned": p.pinned, "hidden": p.hidden}
         for p in prefs.iterator(chunk_size=500)),
    )  # fmt: skip
    versions = IdentityMapVersion.objects.for_user(user).order_by("created_at", "pk")
    yield from section(
        "identity_map_versions",
        ({"created_at": v.created_at, "data": v.data} for v in versions.iterator(chunk_size=200)),
    )
    yield from section(
        "tags", ({"name": t.name} for t in Tag.objects.for_user(user).order_by("name").iterator())
    )
    prompt_refs = {p.pk: _prompt_ref(p) for p in Prompt.objects.available_to(user)}
    yield from section("entries", _entries(user, prompt_refs))
    yield from section("repair_notes", _repairs(user))
    commitments = (
        Commitment.objects.for_user(user).select_related("entry", "repair", "prompt").order_by("pk")
    )
    yield from section(
        "commitments",
        ({"entry": str(c.entry.uid) if c.entry else None,
          "repair": str(c.repair.uid) if c.repair else None,
          "prompt": _prompt_ref(c.prompt) if c.prompt else None,
          "text": c.text, "done_at": c.done_at, "created_at": c.created_at}
         for c in commitments.iterator(chunk_size=500)),
    )  # fmt: skip
    packets = Packet.objects.for_user(user).prefetch_related("entries", "repairs").order_by("pk")
    yield from section(
        "packets",
        ({"uid": str(p.uid), **_fields(p, PACKET_FIELDS),
          "entries": sorted(str(e.uid) for e in p.entries.all()),
          "repairs": sorted(str(r.uid) for r in p.repairs.all())}
         for p in packets.iterator(chunk_size=100)),
    )  # fmt: skip
    yield "}\n"


# --- Restore ---------------------------------------------------------------------------


def _value(name: str, raw: Any) -> Any:
    if raw is None:
        return None
    if name in DATE_FIELDS:
        return parse_date(raw)
    if name in TIME_FIELDS:
        return parse_datetime(raw)
    return raw


def _load(raw: bytes | str) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BackupError(
            "This file is not a complete Reflect backup: it may be cut short or in another "
            "format. Nothing was imported."
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupError("This file is not a Reflect backup. Nothing was imported.")
    if doc.get("version") != VERSION:
        raise BackupError(
            f"This backup is format version {doc.get('version')!r}; this version of Reflect "
            f"reads version {VERSION}. Nothing was imported."
        )
    return doc


@transaction.atomic
def backup_restore(*, user: User, raw: bytes | str) -> dict[str, int]:
    """Restore a backup into ``user``'s account. Returns what was added, by kind."""
    doc = _load(raw)
    added = dict.fromkeys(("prompts", "identity map versions", "entries", "repair notes",
                           "packets"), 0)  # fmt: skip
    try:
        prompts = _restore_prompts(user, doc, added)
        entries = _restore_entries(user, doc, prompts, added)
        repairs = _restore_repairs(user, doc, entries, added)
        _restore_commitments(user, doc, entries, repairs, prompts)
        _restore_packets(user, doc, entries, repairs, added)
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError, DatabaseError) as exc:
        raise BackupError(
            f"This backup is damaged ({type(exc).__name__}). Nothing was imported."
        ) from exc
    return added


def _restore_prompts(user: User, doc: dict[str, Any], added: dict[str, int]) -> Any:
    own = {str(p.uid): p for p in Prompt.objects.filter(owner=user)}
    for row in doc["own_prompts"]:
        if row["uid"] not in own:
            own[row["uid"]] = Prompt.objects.create(
                owner=user, uid=row["uid"], text=row["text"], guidance=row["guidance"],
                category=row["category"], source="My own prompt",
            )  # fmt: skip
            added["prompts"] += 1
    builtin = {p.slug: p for p in Prompt.objects.builtin()}

    def resolve(ref: dict[str, str] | None) -> Prompt | None:
        if ref is None:
            return None
        if "builtin" in ref:
            return builtin.get(ref["builtin"])
        return own.get(ref["own"])

    for row in doc["prompt_preferences"]:
        prompt = resolve(row["prompt"])
        if prompt is not None:
            PromptPreference.objects.update_or_create(
                owner=user, prompt=prompt,
                defaults={"pinned": row["pinned"], "hidden": row["hidden"]},
            )  # fmt: skip
    have = set(IdentityMapVersion.objects.for_user(user).values_list("created_at", flat=True))
    for row in doc["identity_map_versions"]:
        when = parse_datetime(row["created_at"])
        if when not in have:
            IdentityMapVersion.objects.create(owner=user, created_at=when, data=row["data"])
            added["identity map versions"] += 1
    for row in doc["tags"]:
        Tag.objects.get_or_create(owner=user, name=row["name"])
    return resolve


def _restore_entries(user: User, doc: dict[str, Any], resolve: Any, added: dict[str, int]) -> Any:
    from journal.services import entry_index

    entries = {str(e.uid): e for e in Entry.objects.for_user(user)}
    templates = {t.slug: t for t in ReflectionTemplate.objects.all()}
    tags = {t.name: t for t in Tag.objects.for_user(user)}
    for row in doc["entries"]:
        if row["uid"] in entries:
            continue
        fields = {n: _value(n, row[n]) for n in ENTRY_FIELDS}
        times = {n: fields.pop(n) for n in ("created_at", "updated_at")}
        entry = Entry.objects.create(
            owner=user, uid=row["uid"], template=templates.get(row["template"] or ""), **fields
        )
        Entry.objects.filter(pk=entry.pk).update(**times)
        entry.tags.set([tags[name] for name in row["tags"] if name in tags])
        for a in row["answers"]:
            prompt = resolve(a["prompt"])
            if prompt is not None:
                Answer.objects.create(entry=entry, owner=user, prompt=prompt, text=a["text"],
                                      order=a["order"])  # fmt: skip
        for a in row["addenda"]:
            EntryAddendum.objects.create(
                entry=entry, text=a["text"], created_at=parse_datetime(a["created_at"])
            )
        for r in row["revisions"]:
            EntryRevision.objects.create(
                entry=entry,
                version=r["version"],
                snapshot=r["snapshot"],
                created_at=parse_datetime(r["created_at"]),
            )
        entry_index(entry)
        entries[row["uid"]] = entry
        added["entries"] += 1
    return entries


def _restore_repairs(
    user: User, doc: dict[str, Any], entries: dict[str, Entry], added: dict[str, int]
) -> dict[str, RepairNote]:
    from journal.services import repair_index

    repairs = {str(r.uid): r for r in RepairNote.objects.for_user(user)}
    for row in doc["repair_notes"]:
        if row["uid"] in repairs:
            continue
        fields = {n: _value(n, row[n]) for n in REPAIR_FIELDS}
        times = {n: fields.pop(n) for n in ("created_at", "updated_at")}
        repair = RepairNote.objects.create(
            owner=user, uid=row["uid"], entry=entries.get(row["entry"] or ""), **fields
        )
        RepairNote.objects.filter(pk=repair.pk).update(**times)
        for f in row["follow_ups"]:
            follow_up = RepairFollowUp.objects.create(
                repair=repair, date=parse_date(f["date"]), note=f["note"],
                new_status=f["new_status"],
            )  # fmt: skip
            RepairFollowUp.objects.filter(pk=follow_up.pk).update(
                created_at=parse_datetime(f["created_at"])
            )
        for c in row["status_changes"]:
            RepairStatusChange.objects.create(
                repair=repair, old_status=c["old_status"], new_status=c["new_status"],
                changed_at=parse_datetime(c["changed_at"]),
            )  # fmt: skip
        for r in row["revisions"]:
            RepairRevision.objects.create(
                repair=repair,
                version=r["version"],
                snapshot=r["snapshot"],
                created_at=parse_datetime(r["created_at"]),
            )
        repair_index(repair)
        repairs[row["uid"]] = repair
        added["repair notes"] += 1
    return repairs


def _restore_commitments(
    user: User, doc: dict[str, Any], entries: dict[str, Entry],
    repairs: dict[str, RepairNote], resolve: Any,
) -> None:  # fmt: skip
    existing = {
        (str(c.entry.uid) if c.entry else None, str(c.repair.uid) if c.repair else None, c.text)
        for c in Commitment.objects.for_user(user).select_related("entry", "repair")
    }
    for row in doc["commitments"]:
        key = (row["entry"], row["repair"], row["text"])
        if key in existing:
            continue
        entry, repair = entries.get(row["entry"] or ""), repairs.get(row["repair"] or "")
        if entry is None and repair is None:
            continue
        Commitment.objects.create(
            owner=user, entry=entry, repair=repair, prompt=resolve(row["prompt"]),
            text=row["text"], done_at=parse_datetime(row["done_at"]) if row["done_at"] else None,
        )  # fmt: skip
        existing.add(key)


def _restore_packets(
    user: User, doc: dict[str, Any], entries: dict[str, Entry],
    repairs: dict[str, RepairNote], added: dict[str, int],
) -> None:  # fmt: skip
    have = set(Packet.objects.for_user(user).values_list("uid", flat=True))
    have_str = {str(u) for u in have}
    for row in doc["packets"]:
        if row["uid"] in have_str:
            continue
        fields = {n: _value(n, row[n]) for n in PACKET_FIELDS}
        created = fields.pop("created_at")
        packet = Packet.objects.create(owner=user, uid=row["uid"], **fields)
        Packet.objects.filter(pk=packet.pk).update(created_at=created)
        packet.entries.set([entries[u] for u in row["entries"] if u in entries])
        packet.repairs.set([repairs[u] for u in row["repairs"] if u in repairs])
        added["packets"] += 1
