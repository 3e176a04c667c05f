"""A full backup of everything a clinician owns, and an import that trusts nothing.

Format ``reflect-backup``, version 2: one JSON document (README, "Backup format"),
written as a stream, a chunk at a time, so memory stays flat however long the journal.
Entries and repair notes are written and read through their descriptions in
``journal/kinds.py``, so a new field needs no change here. Packets and supervision sessions
take the fields of their forms (``PacketForm``, ``SupervisionSessionForm``); a session names
the packets discussed by their ``uid``.

The import reads the file as a stream (ijson) after a first pass that bounds it: its
nesting depth and the number of objects. Every object is checked as strictly as its form
would check it (client codes, choices, lengths, dates, the type of every value), and every
reference resolves only to the importing clinician's own things (by ``uid``) or to built-in
prompts and templates (by slug), never by primary key. It runs in one transaction: a file
that fails anywhere changes nothing, and the error names its place in the file. Objects
already present (same ``uid``) are skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import io
import json
import uuid
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal, overload

import ijson
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from journal.forms import PacketForm
from journal.forms.supervision import SupervisionSessionForm
from journal.kinds import KINDS
from journal.models import (
    TEXT_MAX,
    Commitment,
    Entry,
    Packet,
    RepairNote,
    SupervisionSession,
    Tag,
)
from journal.privacy import known_codes
from journal.versioning import Refs, Versioned, VersionedKind, decode, encode
from reflect.identity import IdentityMapForm, flatten
from reflect.models import IdentityMapVersion, Prompt, PromptPreference, User

FORMAT = "reflect-backup"
VERSION = 2
# Limits on what an import will read; a 10,000-entry backup uses a small part of each.
MAX_DEPTH = 12
MAX_OBJECTS = 2_000_000
CHUNK = 500

PACKET_FIELDS = tuple(f for f in PacketForm.Meta.fields if f not in ("entries", "repairs"))
SESSION_FIELDS = tuple(f for f in SupervisionSessionForm.Meta.fields if f != "packets")
SESSION_TIMES = ("created_at", "updated_at", "deleted_at")
PROMPT_FIELDS = ("text", "guidance", "category")


class BackupError(Exception):
    """A backup file that cannot be imported; the message says why, for the clinician."""


class BackupEncoder(DjangoJSONEncoder):
    """Like Django's encoder, but keeps times to the microsecond so a restore is exact."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def _dump(value: Any) -> str:
    return json.dumps(value, cls=BackupEncoder, ensure_ascii=False, sort_keys=True)


# --- Backup -------------------------------------------------------------------------------


def _grouped(queryset: Any, key: str, fields: tuple[str, ...]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in queryset.order_by(key, "pk").values(key, *fields):
        out.setdefault(row.pop(key), []).append(row)
    return out


def _kind_rows(user: User, kind: VersionedKind) -> Iterator[dict[str, Any]]:
    """Every object of one kind as plain data, a chunk at a time, in primary key order."""
    names = (*kind.fixed, *kind.fields)
    related = [n for n in names if isinstance(kind.model_field(n), models.ForeignKey)]
    queryset = kind.objects().for_user(user).select_related(*related)
    last = 0
    while True:
        objs = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not objs:
            return
        last = objs[-1].pk
        ids = [o.pk for o in objs]
        relations = {
            r.name: r.dump_many(user, ids) if r.dump_many else {o.pk: r.dump(o) for o in objs}
            for r in kind.relations
        }
        children = {}
        for c in kind.children:
            key = f"{kind.child_key(c)}_id"
            rows = c.model._default_manager.filter(**{f"{key}__in": ids})
            children[c.name] = _grouped(rows, key, c.fields)
        assert kind.revision_model is not None
        revisions = _grouped(
            kind.revision_model._default_manager.filter(**{f"{kind.name}_id__in": ids}).order_by(
                "-version"
            ),
            f"{kind.name}_id",
            ("version", "snapshot", "created_at"),
        )
        for obj in objs:
            row: dict[str, Any] = {"uid": str(obj.uid)}
            row.update({n: encode(kind.model_field(n), getattr(obj, n)) for n in names})
            row.update({n: getattr(obj, n) for n in Versioned.BOOKKEEPING})
            row.update({name: values[obj.pk] for name, values in relations.items()})
            row.update({name: rows.get(obj.pk, []) for name, rows in children.items()})
            row["revisions"] = revisions.get(obj.pk, [])
            yield row


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
        ({"uid": str(p.uid), **{n: getattr(p, n) for n in PROMPT_FIELDS},
          "created_at": p.created_at} for p in own.iterator(chunk_size=500)),
    )  # fmt: skip
    prefs = PromptPreference.objects.for_user(user).select_related("prompt").order_by("pk")
    yield from section(
        "prompt_preferences",
        ({"prompt": p.prompt.ref, "pinned": p.pinned, "hidden": p.hidden}
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
    for kind in KINDS:
        yield from section(kind.plural, _kind_rows(user, kind))
    commitments = (
        Commitment.objects.for_user(user).select_related("entry", "repair", "prompt").order_by("pk")
    )
    yield from section(
        "commitments",
        ({"entry": str(c.entry.uid) if c.entry else None,
          "repair": str(c.repair.uid) if c.repair else None,
          "prompt": c.prompt.ref if c.prompt else None,
          "text": c.text, "done_at": c.done_at, "created_at": c.created_at}
         for c in commitments.iterator(chunk_size=500)),
    )  # fmt: skip
    packets = Packet.objects.for_user(user).prefetch_related("entries", "repairs").order_by("pk")
    yield from section(
        "packets",
        ({"uid": str(p.uid), **{n: encode(Packet._meta.get_field(n), getattr(p, n))
                                for n in PACKET_FIELDS},
          "created_at": p.created_at,
          "entries": sorted(str(e.uid) for e in p.entries.all()),
          "repairs": sorted(str(r.uid) for r in p.repairs.all())}
         for p in packets.iterator(chunk_size=100)),
    )  # fmt: skip
    sessions = (
        SupervisionSession.objects.for_user(user)
        .prefetch_related(models.Prefetch("packets", queryset=Packet.objects.only("pk", "uid")))
        .order_by("pk")
    )
    yield from section(
        "supervision_sessions",
        ({"uid": str(s.uid),
          **{n: encode(SupervisionSession._meta.get_field(n), getattr(s, n))
             for n in SESSION_FIELDS},
          "packets": sorted(str(p.uid) for p in s.packets.all()),
          **{n: getattr(s, n) for n in SESSION_TIMES}}
         for s in sessions.iterator(chunk_size=500)),
    )  # fmt: skip
    yield "}\n"


# --- Reading a file safely -----------------------------------------------------------------

DAMAGED = "This file is not a complete Reflect backup: it may be cut short or in another format."


def survey(raw: bytes) -> int:
    """Check the whole file's shape before anything is read into memory; returns the number
    of objects in its sections (for progress). Raises BackupError on a file that is not
    JSON, is cut short, nests too deep, or holds too many objects."""
    depth = objects = items = 0
    try:
        for prefix, event, _ in ijson.parse(io.BytesIO(raw)):
            if event in ("start_map", "start_array"):
                depth += 1
                if depth > MAX_DEPTH:
                    where = prefix.replace(".item", "[…]") or "the top"
                    raise BackupError(
                        f"{where}: nested more than {MAX_DEPTH} levels deep. A Reflect backup "
                        "never is; this file was not made by Reflect."
                    )
                if event == "start_map":
                    objects += 1
                    if objects > MAX_OBJECTS:
                        raise BackupError(
                            f"This file holds more than {MAX_OBJECTS:,} objects, more than "
                            "Reflect imports at once."
                        )
                    if depth == 3:
                        items += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
            elif depth == 0:
                raise BackupError(DAMAGED)
    except ijson.JSONError:
        raise BackupError(DAMAGED) from None
    if objects == 0:
        raise BackupError(DAMAGED)
    return items


def _items(raw: bytes, section: str) -> Iterator[Any]:
    try:
        yield from ijson.items(io.BytesIO(raw), f"{section}.item", use_float=True)
    except ijson.JSONError:
        raise BackupError(DAMAGED) from None


def _head(raw: bytes) -> dict[str, Any]:
    head: dict[str, Any] = {}
    try:
        for key in ("format", "version", "account"):
            head[key] = next(ijson.items(io.BytesIO(raw), key, use_float=True), None)
    except ijson.JSONError:
        raise BackupError(DAMAGED) from None
    if head.get("format") != FORMAT:
        raise BackupError("This file is not a Reflect backup.")
    if head.get("version") != VERSION:
        raise BackupError(
            f"This backup is format version {str(head.get('version'))[:10]}; this version of "
            f"Reflect reads version {VERSION}."
        )
    account = head.get("account")
    zone = account.get("time_zone") if isinstance(account, dict) else None
    if zone is not None and (not isinstance(zone, str) or zone not in _zones()):
        raise BackupError(f"account.time_zone: {str(zone)[:60]!r} is not a known time zone.")
    return head


def _zones() -> set[str]:
    return zoneinfo.available_timezones()


# --- Checking one object -------------------------------------------------------------------


class Place:
    """Where in the file something is, for messages: ``entries[12].client_code``."""

    def __init__(self, where: str) -> None:
        self.where = where

    def error(self, field: str, message: str) -> BackupError:
        return BackupError(f"{self.where}.{field}: {message}")

    def of(self, field: str) -> Place:
        return Place(f"{self.where}.{field}")


def _object(row: Any, place: Place) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise BackupError(f"{place.where}: must be an object")
    return row


def _list(row: dict[str, Any], name: str, place: Place) -> list[Any]:
    value = row.get(name, [])
    if not isinstance(value, list):
        raise place.error(name, "must be a list")
    return value


def _uid(row: dict[str, Any], place: Place) -> uuid.UUID:
    try:
        return uuid.UUID(str(row["uid"]))
    except (KeyError, ValueError):
        raise place.error(
            "uid", "must be a uid such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427"
        ) from None


@overload
def _time(
    row: dict[str, Any], name: str, place: Place, *, null: Literal[False] = False
) -> datetime: ...
@overload
def _time(row: dict[str, Any], name: str, place: Place, *, null: bool) -> datetime | None: ...
def _time(row: dict[str, Any], name: str, place: Place, *, null: bool = False) -> datetime | None:
    raw = row.get(name)
    if raw is None and null:
        return None
    parsed = parse_datetime(raw) if isinstance(raw, str) else None
    if parsed is None:
        raise place.error(name, "must be a date and time such as 2024-05-01T09:30:00+00:00")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def _text(row: dict[str, Any], name: str, place: Place, *, most: int = TEXT_MAX) -> str:
    value = row.get(name)
    if not isinstance(value, str):
        raise place.error(name, "must be text")
    if len(value) > most:
        raise place.error(name, f"is longer than {most} characters")
    return value


def _fields(
    model: type[models.Model],
    names: tuple[str, ...],
    row: dict[str, Any],
    place: Place,
    *,
    refs: Refs,
    codes: set[str],
) -> dict[str, Any]:
    values = {}
    for name in names:
        field = model._meta.get_field(name)
        if name not in row:
            # A field added since the file was made takes its default, as a new object would.
            if not _optional(field):
                raise place.error(name, "is missing")
            values[name] = field.get_default()  # type: ignore[union-attr]
            continue
        try:
            values[name] = decode(field, row[name], refs=refs, known_codes=codes)
        except ValidationError as exc:
            raise place.error(name, "; ".join(exc.messages)) from None
        except ValueError:
            # What parse_date raises for a well-formed date no calendar has (2026-02-30).
            raise place.error(name, "must be a date written as YYYY-MM-DD") from None
    return values


def _optional(field: Any) -> bool:
    """Whether a file may leave the field out: it has a default or may be blank."""
    return bool(field.has_default() or getattr(field, "blank", False) or field.null)


def _resolved(kind: VersionedKind, refs: Refs, data: Any, place: Place, codes: set[str]) -> Any:
    try:
        return kind.resolve(refs.owner, data, known_codes=codes, refs=refs)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        if name == "snapshot":
            raise BackupError(f"{place.where}: {'; '.join(messages)}") from None
        raise place.error(name, "; ".join(messages)) from None


# --- Import --------------------------------------------------------------------------------


@transaction.atomic
def backup_restore(
    *, user: User, raw: bytes, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Import a backup into ``user``'s account, all or nothing. Returns what was added.

    Raises BackupError, whose message names the place in the file that is wrong.
    """
    total = survey(raw)
    _head(raw)
    state = {"done": 0}

    def tick(n: int = 1) -> None:
        state["done"] += n
        if progress is not None and state["done"] % 200 < n:
            progress(state["done"], total)

    added = dict.fromkeys(
        ("prompts", "identity map versions", *(k.plural for k in KINDS), "packets",
         "supervision sessions"), 0
    )  # fmt: skip
    codes = set(known_codes(user))
    added["prompts"] = _import_prompts(user, raw, tick)
    added["identity map versions"] = _import_identity(user, raw, tick)
    for row in _items(raw, "tags"):
        place = Place("tags[…]")
        name = _text(_object(row, place), "name", place, most=40).strip().lower()
        if name:
            Tag.objects.get_or_create(owner=user, name=name)
        tick()
    for kind in KINDS:
        added[kind.plural] = _import_kind(user, raw, kind, codes, tick)
    _import_commitments(user, raw, tick)
    added["packets"] = _import_packets(user, raw, tick, codes)
    added["supervision sessions"] = _import_sessions(user, raw, tick)
    if progress is not None:
        progress(total, total)
    return added


def _import_prompts(user: User, raw: bytes, tick: Callable[..., None]) -> int:
    have = set(Prompt.objects.filter(owner=user).values_list("uid", flat=True))
    count = 0
    for i, row in enumerate(_items(raw, "own_prompts")):
        place = Place(f"own_prompts[{i}]")
        row = _object(row, place)
        uid = _uid(row, place)
        values = _fields(Prompt, PROMPT_FIELDS, row, place, refs=Refs(user), codes=set())
        if not values["text"].strip():
            raise place.error("text", "is empty")
        if uid not in have:
            Prompt.objects.create(owner=user, uid=uid, source="My own prompt", **values)
            have.add(uid)
            count += 1
        tick()
    for i, row in enumerate(_items(raw, "prompt_preferences")):
        place = Place(f"prompt_preferences[{i}]")
        row = _object(row, place)
        prompt = Prompt.objects.by_ref(user, row.get("prompt"))
        if prompt is None:
            raise place.error("prompt", "names a prompt that is neither built in nor your own")
        flags = {n: row.get(n) for n in ("pinned", "hidden")}
        if not all(isinstance(v, bool) for v in flags.values()):
            raise place.error("pinned", "pinned and hidden must be true or false")
        PromptPreference.objects.update_or_create(owner=user, prompt=prompt, defaults=flags)
        tick()
    return count


def _import_identity(user: User, raw: bytes, tick: Callable[..., None]) -> int:
    have = set(IdentityMapVersion.objects.for_user(user).values_list("created_at", flat=True))
    count = 0
    for i, row in enumerate(_items(raw, "identity_map_versions")):
        place = Place(f"identity_map_versions[{i}]")
        row = _object(row, place)
        when = _time(row, "created_at", place)
        data = row.get("data")
        domains = data.get("domains", {}) if isinstance(data, dict) else None
        if not isinstance(domains, dict) or not all(
            isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
            for v in domains.values()
        ):
            raise place.error("data", "is not an identity map")
        form = IdentityMapForm(flatten(data))  # type: ignore[arg-type]
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise place.error(f"data.{field}", "; ".join(str(e) for e in errors))
        if when not in have:
            # Stored as the map's own form would store it: unknown parts are left out.
            IdentityMapVersion.objects.create(owner=user, created_at=when, data=form.to_data())
            have.add(when)
            count += 1
        tick()
    return count


def _import_kind(
    user: User, raw: bytes, kind: VersionedKind, codes: set[str], tick: Callable[..., None]
) -> int:
    """Entries or repair notes, a chunk at a time, each checked before anything is written."""
    have = set(kind.objects().for_user(user).values_list("uid", flat=True))
    refs = Refs(user)
    count = 0
    chunk: list[tuple[Versioned, dict[str, Any], dict[str, Any]]] = []
    for i, row in enumerate(_items(raw, kind.plural)):
        place = Place(f"{kind.plural}[{i}]")
        row = _object(row, place)
        uid = _uid(row, place)
        if uid in have:
            tick()
            continue
        have.add(uid)
        obj, values, extra = _checked(refs, kind, row, place, codes, uid)
        codes.add(getattr(obj, "client_code", ""))
        chunk.append((obj, values, extra))
        if len(chunk) >= CHUNK:
            count += _write_chunk(kind, chunk)
            tick(len(chunk))
            chunk = []
    count += _write_chunk(kind, chunk)
    tick(len(chunk))
    return count


def _checked(
    refs: Refs,
    kind: VersionedKind,
    row: dict[str, Any],
    place: Place,
    codes: set[str],
    uid: uuid.UUID,
) -> tuple[Versioned, dict[str, Any], dict[str, Any]]:
    """One object of a kind from the file: checked, unsaved, with what goes beside it."""
    snapshot = {n: row[n] for n in (*kind.fields, *(r.name for r in kind.relations)) if n in row}
    missing = [n for n in kind.fields if n not in row]
    required = [n for n in missing if not _optional(kind.model_field(n))]
    if required:
        raise place.error(required[0], "is missing")
    values = _resolved(kind, refs, snapshot, place, codes)
    values.update({n: kind.model_field(n).get_default() for n in missing})
    fixed = _fields(kind.model, kind.fixed, row, place, refs=refs, codes=codes)
    obj = kind.model(owner=refs.owner, uid=uid, **fixed)
    for name in kind.fields:
        setattr(obj, name, values[name])
    obj.created_at = _time(row, "created_at", place)
    obj.updated_at = _time(row, "updated_at", place)
    obj.deleted_at = _time(row, "deleted_at", place, null=True)
    version = row.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 10**6:
        raise place.error("version", "must be a whole number from 1")
    obj.version = version
    ok = row.get("identifiers_ok", [])
    if not isinstance(ok, list) or not all(isinstance(k, str) and len(k) < 300 for k in ok):
        raise place.error("identifiers_ok", "must be a list of short texts")
    obj.identifiers_ok = ok
    extra: dict[str, Any] = {"children": {}, "revisions": []}
    for child in kind.children:
        rows = []
        for j, item in enumerate(_list(row, child.name, place)):
            where = place.of(f"{child.name}[{j}]")
            item = _object(item, where)
            times = {n: _time(item, n, where) for n in child.fields if n.endswith("_at")}
            plain = tuple(n for n in child.fields if not n.endswith("_at"))
            rows.append({**_fields(child.model, plain, item, where, refs=refs, codes=codes),
                         **times})  # fmt: skip
        extra["children"][child] = rows
    for j, item in enumerate(_list(row, "revisions", place)):
        where = place.of(f"revisions[{j}]")
        item = _object(item, where)
        number = item.get("version")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise where.error("version", "must be a whole number from 1")
        # A version is checked as strictly as a restore would check it.
        _resolved(kind, refs, item.get("snapshot"), where.of("snapshot"), codes)
        extra["revisions"].append(
            {"version": number, "snapshot": item["snapshot"],
             "created_at": _time(item, "created_at", where)}
        )  # fmt: skip
    notes = [r[c.text] for c, rows in extra["children"].items() if c.text for r in rows]
    obj.search_text = kind.search_text_of(
        {**snapshot, "client_code": getattr(obj, "client_code", "")}, notes
    )
    return obj, values, extra


def _write_chunk(
    kind: VersionedKind, chunk: list[tuple[Versioned, dict[str, Any], dict[str, Any]]]
) -> int:
    if not chunk:
        return 0
    with _file_times(kind.model):
        objs = kind.model._default_manager.bulk_create([obj for obj, _, _ in chunk])
    for relation in kind.relations:
        pairs = [(saved, values[relation.name]) for saved, (_, values, _) in zip(objs, chunk,
                 strict=True) if relation.name in values]  # fmt: skip
        if relation.write_many is not None:
            relation.write_many(pairs)
        else:
            for saved, value in pairs:
                relation.write(saved, value)
    for child in kind.children:
        key = kind.child_key(child)
        made = [child.model(**{key: saved}, **row) for saved, (_, _, extra) in zip(objs, chunk,
                strict=True) for row in extra["children"][child]]  # fmt: skip
        with _file_times(child.model):
            child.model._default_manager.bulk_create(made, batch_size=1000)
    assert kind.revision_model is not None
    kind.revision_model._default_manager.bulk_create(
        [kind.revision_model(**{kind.name: saved}, **rev) for saved, (_, _, extra) in zip(objs,
         chunk, strict=True) for rev in extra["revisions"]],
        batch_size=1000,
    )  # fmt: skip
    return len(objs)


@contextmanager
def _file_times(model: type[models.Model]) -> Iterator[None]:
    """Insert the times the file gives: the model's auto_now stamps are held back meanwhile.

    Writing them afterwards with an UPDATE made PostgreSQL rewrite every new row and its
    search index a second time. Imports run on the worker, one at a time in its process.
    """
    stamped = [
        f for f in model._meta.concrete_fields
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
    ]  # fmt: skip
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


class OwnIds:
    """The importing clinician's entries, repair notes or packets by uid (those the file has
    just added included), loaded once: a reference resolves only to one of them."""

    def __init__(self, user: User, among: tuple[type[Any], ...] = (Entry, RepairNote)) -> None:
        self.ids = {
            model: {str(u): pk for u, pk in model.objects.for_user(user).values_list("uid", "pk")}
            for model in among
        }

    def get(self, model: Any, raw: Any, place: Place, field: str) -> int | None:
        if raw is None:
            return None
        return self.one(model, raw, place, field)

    def one(self, model: Any, raw: Any, place: Place, field: str) -> int:
        found = self.ids[model].get(str(raw))
        if found is None:
            raise place.error(field, "names something that is not in your journal or this file")
        return found


def _import_commitments(user: User, raw: bytes, tick: Callable[..., None]) -> None:
    existing = {
        (str(c.entry.uid) if c.entry else None, str(c.repair.uid) if c.repair else None, c.text)
        for c in Commitment.objects.for_user(user).select_related("entry", "repair")
    }
    own, refs = OwnIds(user), Refs(user)
    batch: list[Commitment] = []
    for i, row in enumerate(_items(raw, "commitments")):
        place = Place(f"commitments[{i}]")
        row = _object(row, place)
        entry_id = own.get(Entry, row.get("entry"), place, "entry")
        repair_id = own.get(RepairNote, row.get("repair"), place, "repair")
        if entry_id is None and repair_id is None:
            raise place.error("entry", "a commitment belongs to an entry or a repair note")
        text = _text(row, "text", place)
        prompt = None
        if row.get("prompt") is not None:
            prompt = refs.prompt(row["prompt"])
            if prompt is None:
                raise place.error("prompt", "names a prompt that is neither built in nor yours")
        done_at = _time(row, "done_at", place, null=True)
        key = (row.get("entry"), row.get("repair"), text)
        if key not in existing:
            batch.append(
                Commitment(owner=user, entry_id=entry_id, repair_id=repair_id, prompt=prompt,
                           text=text, done_at=done_at)
            )  # fmt: skip
            existing.add(key)
        if len(batch) >= CHUNK:
            Commitment.objects.bulk_create(batch)
            batch = []
        tick()
    Commitment.objects.bulk_create(batch)


def _import_packets(user: User, raw: bytes, tick: Callable[..., None], codes: set[str]) -> int:
    have = set(Packet.objects.for_user(user).values_list("uid", flat=True))
    refs, own = Refs(user), OwnIds(user)
    count = 0
    for i, row in enumerate(_items(raw, "packets")):
        place = Place(f"packets[{i}]")
        row = _object(row, place)
        uid = _uid(row, place)
        values = _fields(Packet, PACKET_FIELDS, row, place, refs=refs, codes=codes)
        entries = [
            own.one(Entry, u, place, f"entries[{j}]")
            for j, u in enumerate(_list(row, "entries", place))
        ]
        repairs = [
            own.one(RepairNote, u, place, f"repairs[{j}]")
            for j, u in enumerate(_list(row, "repairs", place))
        ]
        created = _time(row, "created_at", place)
        if uid not in have:
            packet = Packet.objects.create(owner=user, uid=uid, **values)
            Packet.objects.filter(pk=packet.pk).update(created_at=created)
            packet.entries.set(entries)
            packet.repairs.set(repairs)
            have.add(uid)
            count += 1
        tick()
    return count


def _import_sessions(user: User, raw: bytes, tick: Callable[..., None]) -> int:
    """Supervision sessions, each checked by its form; the packets discussed by uid, the
    clinician's own or this file's only (packets are imported before)."""
    have = set(SupervisionSession.objects.for_user(user).values_list("uid", flat=True))
    refs, own = Refs(user), OwnIds(user, (Packet,))
    count = 0
    batch: list[tuple[SupervisionSession, list[int]]] = []
    for i, row in enumerate(_items(raw, "supervision_sessions")):
        place = Place(f"supervision_sessions[{i}]")
        row = _object(row, place)
        uid = _uid(row, place)
        session = _session(refs, row, place)
        packets = [
            own.one(Packet, u, place, f"packets[{j}]")
            for j, u in enumerate(_list(row, "packets", place))
        ]
        if uid not in have:
            session.uid = uid
            batch.append((session, packets))
            have.add(uid)
            count += 1
        if len(batch) >= CHUNK:
            _write_sessions(batch)
            batch = []
        tick()
    _write_sessions(batch)
    return count


def _session(refs: Refs, row: dict[str, Any], place: Place) -> SupervisionSession:
    """One session from the file: its values of the types JSON holds, then as its form
    would take them (minutes 5 to 600, a modality of the choices, lengths)."""
    for name in ("date", "minutes"):
        # Never today's date or a guessed duration for a session the file leaves out.
        if name not in row:
            raise place.error(name, "is missing")
    typed = tuple(n for n in SESSION_FIELDS if n != "minutes")
    data = _fields(SupervisionSession, typed, row, place, refs=refs, codes=set())
    minutes = row["minutes"]
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise place.error("minutes", "must be a whole number of minutes")
    form = SupervisionSessionForm({**data, "minutes": minutes}, owner=refs.owner)
    if not form.is_valid():
        name = next((n for n in SESSION_FIELDS if n in form.errors), next(iter(form.errors)))
        raise place.error(name, "; ".join(str(e) for e in form.errors[name]))
    session = form.save(commit=False)
    session.owner = refs.owner
    session.created_at = _time(row, "created_at", place)
    session.updated_at = _time(row, "updated_at", place)
    session.deleted_at = _time(row, "deleted_at", place, null=True)
    return session


def _write_sessions(batch: list[tuple[SupervisionSession, list[int]]]) -> None:
    if not batch:
        return
    with _file_times(SupervisionSession):
        saved = SupervisionSession.objects.bulk_create([session for session, _ in batch])
    through = SupervisionSession.packets.through
    through.objects.bulk_create(
        [through(supervisionsession_id=session.pk, packet_id=packet)
         for session, (_, packets) in zip(saved, batch, strict=True)
         for packet in dict.fromkeys(packets)],
        batch_size=1000,
    )  # fmt: skip
