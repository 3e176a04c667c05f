"""Find details in reflective writing that could identify a client.

``scan(text)`` returns the passages that look like one of the HIPAA Safe Harbor
identifiers (45 CFR 164.514(b)(2)): names, street addresses and postcodes,
dates more precise than a year, ages over 89, phone and fax numbers, email
addresses, SSNs, record, account, licence, vehicle and device numbers, URLs and
IP addresses. It is a warning, never a verdict: the clinician decides.

Pure and fast: regular expressions, the phonenumbers library and a word list
shipped beside this file; no network, no model.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import phonenumbers

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
    "ssn": "a Social Security number",
    "record_number": "a record number",
    "account_number": "an account number",
    "licence_number": "a licence or certificate number",
    "vehicle": "a vehicle plate or number",
    "device": "a device serial or identifier",
    "url": "a web address",
    "ip_address": "an IP address",
    "other_id": "an identifying number",
}


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


# --- Word lists ---------------------------------------------------------------------

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    words = (DATA / "given_names.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in words if not w.startswith("#"))


MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Capitalised words clinicians write all the time that must never read as names.
NOT_NAMES = frozenset(
    """
    I I'm I've I'd I'll The A An This That These Those It Its We Our My Me He She They Them
    His Her Their You Your Today Yesterday Tomorrow Next Last After Before When While Then
    Later Earlier Session Sessions Client Clients Patient Therapist Supervisor Supervision
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Spring Summer Autumn Fall Winter
    ADDRESSING Gibbs Driscoll Kolb Hays Safran Muran Owen Sue Tervalon Murray Eubanks Davis
    Soto DSM CFI CBT DBT ACT EMDR MCO HIPAA GMC NHS Now So What Why How Where Who Which God
    Allah Jesus Christ Buddha Bible Quran Torah Church Mosque Temple Synagogue Gurdwara
    Ramadan Eid Christmas Easter Diwali Passover Hanukkah Lent Sabbath Shabbat Lunar Year New
    English Spanish Arabic French Mandarin Cantonese Hindi Urdu Punjabi Somali Polish Yoruba
    Black White Latino Latina Latinx Asian Indigenous Native Muslim Christian Jewish Hindu
    Sikh Buddhist Catholic Protestant Orthodox Deaf LGBTQ LGBTQ+ Trans Queer Gay Lesbian Mum
    Mom Dad Grandma Grandad Grandpa Nan Auntie Uncle Sister Brother Mother Father Yes No Maybe
    Unsure Overall Also But And Or If Because Perhaps Still Even Only Just Acknowledge
    Apologise Apologize Commit Repair Rupture Check Ask Notice Explore
    """.split()  # noqa: SIM905
)
# Given names that are also everyday words: only a surname after them makes a name.
AMBIGUOUS_GIVEN = frozenset(
    """
    Grace Hope Faith Joy Will May June April August Rose Mark Art Bill Sue Frank Patience
    Summer Dawn Eve Iris Lily Ray Rich Sunny Honey Precious Charity Destiny Trinity Harmony
    Autumn Hunter Page Chase Cash Chance Star Sky River Ivy Jade Ruby Amber Crystal Pearl
    Violet Olive Hazel Holly Heather Jasmine Daisy Robin Drew Guy Jack Sandy Rusty Dean Gay
    Marshall Bishop Major Angel Christian Justice Sage Rain Blessing Gift Mercy Victory
    """.split()  # noqa: SIM905
)

CAP = r"[A-Z][a-z]+(?:['\u2019-][A-Za-z]+)?"
TITLE_RE = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Rev)\.?\s+({CAP}(?:\s+{CAP})?)")
TRIGGER_RE = re.compile(
    rf"\b(?:[Cc]lient|[Pp]atient|named|called|[Nn]ame\s+(?:is|was)|goes\s+by|known\s+as|"
    rf"(?:son|daughter|wife|husband|mother|father|brother|sister|partner|friend|boss|"
    rf"teacher|cousin|aunt|uncle|grandmother|grandfather|girlfriend|boyfriend),?)\s+({CAP}(?:\s+{CAP})?)"
)
# A lookahead, so that "Today Maria Gonzalez" is tried at "Maria" too.
PAIR_RE = re.compile(rf"\b(?=({CAP})\s+((?:[A-Z][a-z]*['\u2019])?{CAP}(?:-{CAP})?)\b)")
SINGLE_RE = re.compile(rf"\b({CAP})\b")

EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.I)
SSN_RE = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")
SSN_WORD_RE = re.compile(
    r"\b(?:SSN|social security(?: number)?)\s*(?:#|no\.?|:)?\s*(\d{9}|\d{3}[ -]\d{2}[ -]\d{4})\b",
    re.I,
)
IPV4_RE = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6_RE = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
PHONE_CANDIDATE_RE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")
FAX_BEFORE_RE = re.compile(r"\bfax\b[^\d+]{0,12}$", re.I)

# An identifier-like token: letters, digits and hyphens with at least four digits, so
# that ordinary words and short client codes such as C-7Q4 never qualify.
ID_TOKEN = r"((?=(?:[A-Z-]*\d){4})[A-Z0-9][A-Z0-9-]{2,}[A-Z0-9])"  # noqa: S105
NUMBERED_RES: list[tuple[str, re.Pattern[str]]] = [
    (
        kind,
        re.compile(rf"\b(?:{words})(?:\s+(?:number|no\.?|num|#|id))?\s*[:#]?\s*{ID_TOKEN}", re.I),
    )
    for kind, words in [
        ("record_number", r"MRN|medical\s+record|record|chart|case(?:\s+file)?|NHS|hospital"),
        ("account_number", r"account|acct|a/c|bank|IBAN|sort\s+code|card"),
        ("licence_number", r"licen[cs]e|certificate|cert|DEA|NPI|passport|driver'?s?\s+licen[cs]e"),
        ("vehicle", r"(?:number\s+)?plate|registration|reg|VIN|vehicle|car"),
        ("device", r"serial|device(?:\s+id)?|IMEI|MAC|pacemaker|implant"),
        (
            "other_id",
            r"ID|member|policy|insurance|health\s+plan|beneficiary|student|employee|"
            r"claim|benefits?|medicaid|medicare",
        ),
    ]
]

# UK plates such as KX19 ABC, after a word that introduces them.
UK_PLATE_RE = re.compile(
    r"\b(?:plate|registration|reg)\s*[:#]?\s*([A-Z]{2}\d{2}\s?[A-Z]{3})\b", re.I
)
STREET_RE = re.compile(
    rf"\b\d{{1,5}}[A-Za-z]?\s+(?:{CAP}\s+){{1,3}}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|"
    r"Terrace|Close|Crescent|Gardens|Square|Sq|Parkway|Highway|Hwy|Row|Mews|Grove)\b\.?"
)
ZIP_RE = re.compile(r"\b(?:[A-Z]{2}\s+\d{5}(?:-\d{4})?|\d{5}-\d{4})\b")
ZIP_WORD_RE = re.compile(
    r"\b(?:zip\s*code|zip|postcode|postal\s+code)\s*:?\s*(?=[A-Z]*\d)[A-Z0-9]{3,5}"
    r"(?:[ -][A-Z0-9]{3,4})?\b",
    re.I,
)
UK_POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")
CA_POSTCODE_RE = re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b")

DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
DATE_RES = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|[12]\d|3[01])[/.](?:\d{4}|\d{2})\b"),
    re.compile(rf"\b(?:{MONTHS})\.?\s+{DAY}(?:,?\s+\d{{4}})?\b"),
    re.compile(rf"\b{DAY}\s+(?:of\s+)?(?:{MONTHS})\.?(?:,?\s+\d{{4}})?\b"),
    re.compile(
        r"\b(?:DOB|D\.O\.B\.?|date\s+of\s+birth|born(?:\s+on)?)\s*:?\s*"
        r"\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b",
        re.I,
    ),
]
AGE_RES = [
    re.compile(r"\b(?:aged?|age\s+of)\s+(9\d|1[0-2]\d)\b", re.I),
    re.compile(r"\b(9\d|1[0-2]\d)[- ]?(?:years?|yrs?|yo)(?:[- ]old)?\b", re.I),
    re.compile(r"\b(9\d|1[0-2]\d)(?:st|nd|rd|th)?\s+birthday\b", re.I),
    re.compile(r"\bturn(?:ed|s|ing)?\s+(9\d|1[0-2]\d)\b", re.I),
]
CODE_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)+$")


# --- Detectors ----------------------------------------------------------------------


def _names(text: str) -> Iterable[Finding]:
    given = given_names()
    for m in TITLE_RE.finditer(text):
        yield Finding("name", m.start(), m.end(), m.group(0))
    for m in TRIGGER_RE.finditer(text):
        words = m.group(1).split()
        if words[0] not in NOT_NAMES and not CODE_RE.match(words[0]):
            if len(words) > 1 and words[1] in NOT_NAMES:
                words = words[:1]
            start = m.start(1)
            yield Finding("name", start, start + len(" ".join(words)), " ".join(words))
    for m in PAIR_RE.finditer(text):
        first, last = m.group(1), m.group(2)
        if first in given and first not in NOT_NAMES and last.split("'")[0] not in NOT_NAMES:
            yield Finding("name", m.start(1), m.end(2), text[m.start(1) : m.end(2)])
    for m in SINGLE_RE.finditer(text):
        word = m.group(1)
        if word not in given or word in AMBIGUOUS_GIVEN or word in NOT_NAMES:
            continue
        # The list leaves out everyday words, so even at a sentence start this reads as a name.
        yield Finding("name", m.start(), m.end(), word)


def _numbers(text: str) -> Iterable[Finding]:
    for m in EMAIL_RE.finditer(text):
        yield Finding("email", m.start(), m.end(), m.group(0))
    for m in URL_RE.finditer(text):
        url = m.group(0).rstrip(".,;:!?")
        yield Finding("url", m.start(), m.start() + len(url), url)
    for m in SSN_RE.finditer(text):
        yield Finding("ssn", m.start(), m.end(), m.group(0))
    for m in SSN_WORD_RE.finditer(text):
        yield Finding("ssn", m.start(1), m.end(1), m.group(1))
    for m in IPV4_RE.finditer(text):
        try:
            ipaddress.IPv4Address(m.group(0))
        except ValueError:
            continue
        yield Finding("ip_address", m.start(), m.end(), m.group(0))
    for m in IPV6_RE.finditer(text):
        if m.group(0).count(":") < 2:
            continue
        try:
            ipaddress.IPv6Address(m.group(0))
        except ValueError:
            continue
        yield Finding("ip_address", m.start(), m.end(), m.group(0))
    for kind, pattern in NUMBERED_RES:
        for m in pattern.finditer(text):
            yield Finding(kind, m.start(1), m.end(1), m.group(1))
    for m in UK_PLATE_RE.finditer(text):
        yield Finding("vehicle", m.start(1), m.end(1), m.group(1))
    yield from _phones(text)


def _phones(text: str) -> Iterable[Finding]:
    for m in PHONE_CANDIDATE_RE.finditer(text):
        raw = m.group(0).strip()
        digits = re.sub(r"\D", "", raw)
        if not 7 <= len(digits) <= 15 or re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            continue
        if re.fullmatch(r"[\d.]+", raw) and raw.count(".") == 3:
            continue  # an IPv4 address
        if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", raw) or SSN_RE.fullmatch(raw):
            continue
        if not _is_phone(raw):
            continue
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        kind = "fax" if FAX_BEFORE_RE.search(text[max(0, start - 20) : start]) else "phone"
        yield Finding(kind, start, start + len(raw), raw)


def _is_phone(raw: str) -> bool:
    for region in ("US", "GB", "AU", "IN", "DE", "FR", "CA", "NZ", "IE", "ZA"):
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
        # Written with a country code, a number of the right shape is enough to warn about.
        if raw.startswith("+") and phonenumbers.is_possible_number(number):
            return True
    return False


def _places(text: str) -> Iterable[Finding]:
    for pattern in (STREET_RE, ZIP_RE, ZIP_WORD_RE, UK_POSTCODE_RE, CA_POSTCODE_RE):
        for m in pattern.finditer(text):
            yield Finding("place", m.start(), m.end(), m.group(0))


def _dates(text: str) -> Iterable[Finding]:
    for pattern in DATE_RES:
        for m in pattern.finditer(text):
            yield Finding("date", m.start(), m.end(), m.group(0))
    for pattern in AGE_RES:
        for m in pattern.finditer(text):
            yield Finding("age_over_89", m.start(), m.end(), m.group(0))


PRIORITY = {kind: i for i, kind in enumerate(
    ("email", "url", "handle", "organisation", "ssn", "ip_address", "fax", "record_number", "account_number",
     "licence_number", "vehicle", "device", "other_id", "date", "age_over_89", "place", "phone",
     "name")
)}  # fmt: skip


def scan(text: str, *, known_codes: Iterable[str] = ()) -> list[Finding]:
    """Likely identifiers in ``text``, in order, without overlaps.

    ``known_codes`` are the clinician's own client codes, which are never flagged.
    """
    if not text:
        return []
    codes = {c.upper() for c in known_codes}
    found = [*_numbers(text), *_dates(text), *_places(text), *_names(text)]
    # Where two detectors claim the same characters, the more specific one wins.
    found.sort(key=lambda f: (PRIORITY[f.kind], f.start, -(f.end - f.start)))
    taken: list[tuple[int, int]] = []
    kept: list[Finding] = []
    for f in found:
        if f.text.upper() in codes:
            continue
        if any(f.start < end and start < f.end for start, end in taken):
            continue
        taken.append((f.start, f.end))
        kept.append(f)
    return sorted(kept, key=lambda f: f.start)


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
