"""The identifier check where clinicians meet it: saving, autosave and the command."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms

from journal.identifiers import Finding, highlight, scan
from journal.models import Entry, RepairNote


@dataclass
class FieldFindings:
    label: str
    text: str
    findings: list[Finding]

    @property
    def pieces(self) -> list[tuple[str, Finding | None]]:
        return highlight(self.text, self.findings)


def form_texts(form: Any) -> list[tuple[str, str]]:
    """The free text a bound, cleaned entry or repair form is about to save."""
    out = []
    for name, field in form.fields.items():
        if name == "client_code":
            continue
        value = form.cleaned_data.get(name)
        if isinstance(field, forms.CharField) and isinstance(value, str) and value:
            out.append((str(field.label), value))
    return out


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


def notices(form: Any, obj: Any, codes: list[str]) -> list[dict[str, str]]:
    """For autosave: a few likely identifiers to mention gently while the clinician types."""
    found = review(form_texts(form), codes=codes, acknowledged=obj.identifiers_ok or [])
    return [{"kind": f.label, "text": f.text} for field in found for f in field.findings][:5]
