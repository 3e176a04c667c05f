"""What changed between two snapshots of an entry or repair note, for history pages."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from journal.models import Entry, RepairNote
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


def _show(model: type[models.Model], name: str, value: Any) -> str:
    if name == "addressing_domains":
        return ", ".join(DOMAIN_LABELS.get(v, v) for v in value or []) or "none"
    if name == "tags":
        return ", ".join(value or []) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name in {f.name for f in model._meta.get_fields()}:
        choices = dict(model._meta.get_field(name).choices or [])  # type: ignore[union-attr]
        if choices:
            return str(choices.get(value, "")) or "not noted"
    return str(value or "")


def _label(model: type[models.Model], name: str) -> str:
    if name == "tags":
        return "Tags"
    return str(model._meta.get_field(name).verbose_name).capitalize()  # type: ignore[union-attr]


def changes(
    model: type[models.Model],
    old: dict[str, Any],
    new: dict[str, Any],
    *,
    short: tuple[str, ...],
    long: tuple[str, ...],
    labels: dict[str, str] | None = None,
) -> list[FieldChange]:
    """Short fields as before → after; long text as word changes; then prompt answers."""
    labels = labels or {}
    out: list[FieldChange] = []
    for name in short:
        if old.get(name) != new.get(name):
            out.append(
                FieldChange(
                    labels.get(name) or _label(model, name),
                    _show(model, name, old.get(name)),
                    _show(model, name, new.get(name)),
                )
            )
    old_answers = {a["prompt"]: a for a in old.get("answers", [])}
    new_answers = {a["prompt"]: a for a in new.get("answers", [])}
    for pid in [*new_answers, *[p for p in old_answers if p not in new_answers]]:
        before = old_answers.get(pid, {}).get("text", "")
        after = new_answers.get(pid, {}).get("text", "")
        if before != after:
            label = (new_answers.get(pid) or old_answers[pid])["prompt_text"]
            out.append(FieldChange(label, segments=word_diff(before, after)))
    for name in long:
        before, after = old.get(name, "") or "", new.get(name, "") or ""
        if before != after:
            label = labels.get(name) or _label(model, name)
            out.append(FieldChange(label, segments=word_diff(before, after)))
    return out


ENTRY_SHORT = (
    "session_date", "client_code", "session_kind", "cultural_moment", "my_response",
    "feelings", "addressing_domains", "bring_to_supervision", "status", "tags",
)  # fmt: skip
ENTRY_LABELS = {"cultural_moment": "Cultural moment", "my_response": "How I responded",
                "addressing_domains": "ADDRESSING domains", "body": "Notes"}  # fmt: skip
REPAIR_SHORT = (
    "moment_date", "client_code", "observed", "misstep_kind", "acknowledge_step",
    "apologise_step", "commit_step", "status", "revisit_date",
)  # fmt: skip
REPAIR_LONG = RepairNote.TEXT_FIELDS


def entry_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    return changes(Entry, old, new, short=ENTRY_SHORT, long=("body",), labels=ENTRY_LABELS)


def repair_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    return changes(RepairNote, old, new, short=REPAIR_SHORT, long=REPAIR_LONG)
