"""What changed between two snapshots of an entry or repair note, for history pages."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from journal.versioning import VersionedKind
from reflect.identity import DOMAIN_LABELS


@dataclass
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass
class FieldChange:
    label: str
    before: str = ""
    after: str = ""
    segments: list[Segment] = field(default_factory=list)  # for long text


def word_diff(before: str, after: str) -> list[Segment]:
    a, b = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(b[j1:j2])))
    return segments


def _show(model_field: Any, value: Any) -> str:
    """A short field's stored value as the clinician reads it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(DOMAIN_LABELS.get(str(v), str(v)) for v in value) or "none"
    if isinstance(model_field, models.ForeignKey):
        return "linked" if value else "none"
    choices = dict(model_field.flatchoices or [])
    if choices:
        return str(choices.get(value, "")) or "not noted"
    return str(value or "")


def facts(kind: VersionedKind, obj: Any) -> list[tuple[str, str]]:
    """What was chosen rather than written (choices and lists), as label and value,
    leaving out what was not noted: "Kind of session: Ongoing"."""
    out = []
    for name in kind.fields:
        field, value = kind.model_field(name), getattr(obj, name)
        if value and (field.choices or isinstance(value, list)):
            out.append((kind.label_of(name), _show(field, value)))
    return out


def changes(kind: VersionedKind, old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Short fields as before → after; writing as word changes (answers, then text fields)."""
    out: list[FieldChange] = []
    for name in kind.fields:
        if name not in kind.texts and old.get(name) != new.get(name):
            f = kind.model_field(name)
            out.append(
                FieldChange(kind.label_of(name), _show(f, old.get(name)), _show(f, new.get(name)))
            )
    for relation in kind.relations:
        before, after = old.get(relation.name) or [], new.get(relation.name) or []
        if relation.show is not None and before != after:
            out.append(
                FieldChange(relation.label, relation.show(before) or "none",
                            relation.show(after) or "none")
            )  # fmt: skip
        if relation.texts is not None:
            olds = {key: (label, text) for key, label, text in relation.texts(before)}
            news = {key: (label, text) for key, label, text in relation.texts(after)}
            for key in [*news, *[k for k in olds if k not in news]]:
                label = (news.get(key) or olds[key])[0]
                was, now = olds.get(key, ("", ""))[1], news.get(key, ("", ""))[1]
                if was != now:
                    out.append(FieldChange(label, segments=word_diff(was, now)))
    for name in kind.texts:
        was, now = old.get(name) or "", new.get(name) or ""
        if was != now:
            out.append(FieldChange(kind.label_of(name), segments=word_diff(str(was), str(now))))
    return out


def rows(kind: VersionedKind, obj: Any) -> list[tuple[Any, list[FieldChange]]]:
    """Revisions newest first, each with what changed after it."""
    out = []
    newer = kind.snapshot(obj)
    for revision in obj.revisions.all():
        snapshot = revision.snapshot if isinstance(revision.snapshot, dict) else {}
        out.append((revision, changes(kind, snapshot, newer)))
        newer = snapshot
    return out
