"""Find details in reflective writing that could identify a client.

``scan(text)`` returns the passages that look like one of the HIPAA Safe Harbor
identifiers (45 CFR 164.514(b)(2)): names, places smaller than a state and named
organisations that place a person, dates more precise than a year, ages over 89,
phone and fax numbers, email addresses, social handles, URLs, SSNs and other
record, account, licence, vehicle and device numbers, and IP addresses. It is a
warning, never a verdict: the clinician decides. ``mask(text)`` replaces each one
with its kind, for exports.

Pure and fast: regular expressions with checksums (``patterns``), and one pass over
the words with set lookups in large name and place lists (``names``); no network,
no model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from journal.identifiers import names, patterns

KINDS = (
    "name", "place", "organisation", "date", "age_over_89", "phone", "fax", "email", "handle",
    "url", "ssn", "record_number", "account_number", "licence_number", "vehicle", "device",
    "ip_address", "other_id",
)  # fmt: skip
KIND_LABELS = {
    "name": "a name",
    "place": "a place or address",
    "organisation": "a named workplace, school or place of worship",
    "date": "a full date",
    "age_over_89": "an age over 89",
    "phone": "a phone number",
    "fax": "a fax number",
    "email": "an email address",
    "handle": "a social media handle",
    "url": "a web address",
    "ssn": "a Social Security or insurance number",
    "record_number": "a record number",
    "account_number": "an account number",
    "licence_number": "a licence or certificate number",
    "vehicle": "a vehicle plate or number",
    "device": "a device serial or identifier",
    "ip_address": "an IP address",
    "other_id": "an identifying number",
}
# What an export shows in place of each kind: "[name]", "[place]", "[age]".
MASKS = {kind: kind.replace("_", " ") for kind in KINDS} | {"age_over_89": "age"}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def key(self) -> str:
        """What a clinician's 'save anyway' is remembered by."""
        return f"{self.kind}:{self.text.casefold()}"


# Where two detectors claim the same characters, the more specific one wins.
PRIORITY = {kind: i for i, kind in enumerate(
    ("email", "url", "handle", "ip_address", "ssn", "record_number", "account_number",
     "licence_number", "vehicle", "device", "other_id", "fax", "phone", "date", "age_over_89",
     "organisation", "place", "name")
)}  # fmt: skip


def scan(text: str, *, known_codes: Iterable[str] = ()) -> list[Finding]:
    """Likely identifiers in ``text``, in order, without overlaps.

    ``known_codes`` are the clinician's own client codes, which are never flagged.
    """
    if not text:
        return []
    # Most expressions need only the word that holds a digit; a few read the words around it.
    digits = patterns.anchors(text)
    near = patterns.Near(text, patterns.windows(text, digits, before=0, after=0))
    wide = patterns.windows(text, digits)
    hits = [
        *patterns.contact(text, near),
        *patterns.numbers(text, near, wide),
        *patterns.dates(text, digits, near, wide),
        *patterns.places(text, wide),
        *names.find(text),
    ]
    taken = bytearray(len(text))  # 1 where a finding or a client code already is
    for start, end in _code_spans(text, known_codes):
        taken[start:end] = b"\x01" * (end - start)
    hits.sort(key=lambda h: (PRIORITY[h[0]], h[1], h[1] - h[2]))
    kept: list[Finding] = []
    for kind, start, end in hits:
        if end <= start or taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append(Finding(kind, start, end, text[start:end]))
    return sorted(kept, key=lambda f: f.start)


def _code_spans(text: str, codes: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for code in {c.strip() for c in codes if c and c.strip()}:
        pattern = rf"(?<![\w-]){re.escape(code)}(?![\w-])"
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I)]
    return spans


def highlight(text: str, findings: list[Finding]) -> list[tuple[str, Finding | None]]:
    """``text`` cut into plain pieces and flagged pieces, for templates to mark up."""
    pieces: list[tuple[str, Finding | None]] = []
    at = 0
    for f in findings:
        if f.start > at:
            pieces.append((text[at : f.start], None))
        pieces.append((text[f.start : f.end], f))
        at = f.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def mask(text: str, *, known_codes: Iterable[str] = ()) -> str:
    """``text`` with each likely identifier replaced by its kind: "[name]", "[date]"."""
    return "".join(
        f"[{MASKS[f.kind]}]" if f else piece
        for piece, f in highlight(text, scan(text, known_codes=known_codes))
    )
