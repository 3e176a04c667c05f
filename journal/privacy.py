"""The identifier check where clinicians meet it: saving, autosave and the command."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms

from journal.identifiers import KINDS, Finding, highlight, scan
from journal.models import Entry, RepairNote


@dataclass
class FieldFindings:
    label: str
    text: str
    findings: list[Finding]

    @property
    def pieces(self) -> list[tuple[str, Finding | None]]:
        return highlight(self.text, self.findings)


def form_fields(form: Any) -> list[tuple[str, str, str]]:
    """(HTML name, label, text) of each free text a bound, cleaned form is about to save."""
    out = []
    for name, field in form.fields.items():
        if name == "client_code":
            continue
        value = form.cleaned_data.get(name)
        if isinstance(field, forms.CharField) and isinstance(value, str) and value:
            out.append((form.add_prefix(name), str(field.label), value))
    return out


def form_texts(form: Any) -> list[tuple[str, str]]:
    """The free text a bound, cleaned entry or repair form is about to save."""
    return [(label, text) for _, label, text in form_fields(form)]


def review(
    texts: list[tuple[str, str]], *, codes: list[str], acknowledged: Iterable[str] = ()
) -> list[FieldFindings]:
    """Fields with possible identifiers the clinician has not already chosen to keep."""
    ok = set(acknowledged)
    out = []
    for label, text in texts:
        findings = [f for f in scan(text, known_codes=codes) if f.key not in ok]
        if findings:
            out.append(FieldFindings(label, text, findings))
    return out


def keys(reviewed: list[FieldFindings]) -> list[str]:
    return sorted({f.key for field in reviewed for f in field.findings})


def known_codes(user: Any) -> list[str]:
    """Every client code the clinician has used, which the check never flags."""
    codes = set(Entry.objects.client_codes(user))
    codes |= set(
        RepairNote.objects.for_user(user)
        .exclude(client_code="")
        .values_list("client_code", flat=True)
    )
    return sorted(codes)


def gate(
    *, post: Any, form: Any, obj: Any, codes: list[str]
) -> tuple[list[FieldFindings], list[str]]:
    """Decide whether a save must first show the clinician what looks identifying.

    Returns (to_review, acknowledged): to_review is non-empty when the page must
    ask first; acknowledged holds the keys to remember after "Save anyway".
    """
    found = review(form_texts(form), codes=codes, acknowledged=obj.identifiers_ok or [])
    if not found:
        return [], []
    if post.get("save_anyway") == "1":
        return [], keys(found)
    return found, []


# Enough to mark every finding in a long entry, few enough to keep the answer small.
NOTICE_LIMIT = 40
# Characters of context shown on either side of a finding under its box.
CONTEXT = 40


def _context_before(text: str, start: int) -> str:
    cut = max(0, start - CONTEXT)
    if cut:
        space = text.find(" ", cut, start)
        cut = space + 1 if space != -1 else cut
    return (
        ("\u2026" if cut else "")
        + " ".join(text[cut:start].split(None))
        + (" " if start and text[start - 1].isspace() else "")
    )


def _context_after(text: str, end: int) -> str:
    cut = min(len(text), end + CONTEXT)
    if cut < len(text):
        space = text.rfind(" ", end, cut)
        cut = space if space > end else cut
    lead = " " if end < len(text) and text[end].isspace() else ""
    return lead + " ".join(text[end:cut].split(None)) + ("\u2026" if cut < len(text) else "")


def notices(form: Any, obj: Any, codes: list[str]) -> list[dict[str, Any]]:
    """For autosave: each likely identifier, where it is, to show under its box.

    ``kind`` and ``text`` are what the save bar mentions; ``field``, ``start`` and
    ``end`` say where the finding is in that field's (stripped) text; ``code`` is its
    kind's short name and ``key`` what "Not an identifier" sends back.
    """
    ok = set(obj.identifiers_ok or [])
    out: list[dict[str, Any]] = []
    for name, label, text in form_fields(form):
        for f in scan(text, known_codes=codes):
            if f.key in ok:
                continue
            out.append(
                {
                    "kind": f.label,
                    "text": f.text,
                    "code": f.kind,
                    "key": f.key,
                    "field": name,
                    "field_label": label,
                    "start": f.start,
                    "end": f.end,
                    "before": _context_before(text, f.start),
                    "after": _context_after(text, f.end),
                }
            )
            if len(out) == NOTICE_LIMIT:
                return out
    return out


# A key is "kind:text" (Finding.key); bounded so that a hostile post cannot grow a row.
MAX_KEY = 300
MAX_KEYS = 2000


def mark_not_identifier(obj: Any, key: str) -> str | None:
    """Remember that the clinician says ``key`` is not an identifier in ``obj``'s text.

    Returns the key kept, or None when it is not a finding's key.
    """
    kind, _, text = key.partition(":")
    if kind not in KINDS or not text.strip() or len(key) > MAX_KEY or key != key.casefold():
        return None
    kept = set(obj.identifiers_ok or [])
    if key not in kept:
        if len(kept) >= MAX_KEYS:
            return None
        obj.identifiers_ok = sorted(kept | {key})
        # Only this field: the text, its version and its history are untouched.
        obj.save(update_fields=["identifiers_ok"])
    return key
