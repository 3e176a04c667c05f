"""What changed between two states of an entry, for the history page."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from journal.models import CulturalMoment, EntryStatus, MyResponse, SessionKind
from reflect.identity import DOMAIN_LABELS

LABELS = {
    "session_date": "Session date",
    "client_code": "Client code",
    "session_kind": "Session kind",
    "cultural_moment": "Cultural moment",
    "my_response": "How I responded",
    "feelings": "Feelings",
    "addressing_domains": "ADDRESSING domains",
    "bring_to_supervision": "Bring to supervision",
    "status": "Status",
    "tags": "Tags",
    "body": "Notes",
}
CHOICES = {
    "session_kind": dict(SessionKind.choices),
    "cultural_moment": dict(CulturalMoment.choices),
    "my_response": dict(MyResponse.choices),
    "status": dict(EntryStatus.choices),
}


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


def _show(name: str, value: Any) -> str:
    if name == "addressing_domains":
        return ", ".join(DOMAIN_LABELS.get(v, v) for v in value or []) or "none"
    if name == "tags":
        return ", ".join(value or []) or "none"
    if name == "bring_to_supervision":
        return "yes" if value else "no"
    if name in CHOICES:
        return CHOICES[name].get(value, "") or "not noted"
    return str(value or "")


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


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    out: list[FieldChange] = []
    for name, label in LABELS.items():
        if name == "body":
            continue
        if old.get(name) != new.get(name):
            out.append(FieldChange(label, _show(name, old.get(name)), _show(name, new.get(name))))
    old_answers = {a["prompt"]: a for a in old.get("answers", [])}
    new_answers = {a["prompt"]: a for a in new.get("answers", [])}
    for pid in [*new_answers, *[p for p in old_answers if p not in new_answers]]:
        before = old_answers.get(pid, {}).get("text", "")
        after = new_answers.get(pid, {}).get("text", "")
        if before != after:
            label = (new_answers.get(pid) or old_answers[pid])["prompt_text"]
            out.append(FieldChange(label, segments=word_diff(before, after)))
    if old.get("body", "") != new.get("body", ""):
        out.append(
            FieldChange("Notes", segments=word_diff(old.get("body", ""), new.get("body", "")))
        )
    return out
