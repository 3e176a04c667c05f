"""Identifiers with a shape: contact details, numbers, dates, ages, addresses, postcodes.

Each detector is one compiled expression run once over the text; checksums (NHS,
Luhn, VIN) and the words just before a number decide what kind of number it is.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

import phonenumbers

Hit = tuple[str, int, int]  # kind, start, end

# --- Contact ------------------------------------------------------------------------

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
TLDS = (
    "com|org|net|edu|gov|mil|int|io|co|uk|ca|au|nz|ie|in|za|ng|ke|me|ly|app|blog|info|biz|tv|"
    "us|de|fr|es|it|nl|be|ch|se|no|dk|fi|pl|pt|br|mx|ar|cl|jp|kr|cn|hk|sg|ph|page|site|link|gg|"
    "to|fm|social|online|xyz|dev"
)
URL_RE = re.compile(
    r"\b(?:(?:https?://|www\.)[^\s<>\"')\]]+"
    rf"|(?:[A-Za-z0-9-]{{2,}}\.)+(?:{TLDS})\b(?:/[^\s<>\"')\]]*)?)",
    re.I,
)
HANDLE_RE = re.compile(r"(?<![\w@.])@(?=[\w.]*[A-Za-z])[A-Za-z0-9_](?:[\w.]{0,28}[\w])?")
IPV4_RE = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6_RE = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
PHONE_RE = re.compile(
    r"(?<![\w+/.-])(?:\+\s?)?\(?\d[\d\s().-]{5,}\d(?![\w/]|\.\d)"
    r"(?:\s*,?\s*(?:ext\.?|extension|x)\s*\d{1,5}\b)?",
    re.I,
)
NANP_RE = re.compile(r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}")
NOT_PHONE_RE = re.compile(
    r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{5}-\d{4}|\d{3}-\d{2}-\d{4}"
)
EXT_RE = re.compile(r"\s*,?\s*(?:ext\.?|extension|x)\s*\d{1,5}$", re.I)
FAX_BEFORE_RE = re.compile(r"\bfax\b[^\d+]{0,30}$", re.I)

# --- Numbers ------------------------------------------------------------------------

SSN_RE = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")
# A number introduced by the word that says what it is. The word decides the kind; the
# number itself must hold digits, in upper-case groups of letters and digits.
KEYWORDS: list[tuple[str, str]] = [
    ("ssn", r"social\s+security|social\s+insurance|SSN|SIN"),
    ("vehicle", r"licen[cs]e\s+plate|number\s+plate|plates?|reg(?:istration)?|VIN|car|van|"
     r"truck|vehicle|motorbike|motorcycle|tag"),
    ("licence_number", r"driver'?s'?\s+licen[cs]e|driving\s+licen[cs]e|licen[cs]e|DL|"
     r"certificate|cert|passport|permit|visa|NPI|DEA|badge"),
    ("record_number", r"MRN|medical\s+record|health\s+record|record|chart|case(?:\s+file)?|"
     r"file|docket|NHS|CHI|hospital|ref(?:erence)?|claim|incident|crime|police\s+report"),
    ("account_number", r"account|acct|a/c|bank|IBAN|sort\s+code|routing|card|debit|credit|"
     r"loan|mortgage|invoice|billing"),
    ("device", r"serial|S/N|SN|device|IMEI|MAC(?:\s+address)?|UDID|pacemaker|implant|pump|"
     r"hearing\s+aid|CPAP|BiPAP|monitor|tracker|laptop|tablet|phone's|model"),
    ("other_id", r"ID|identifier|member|membership|policy|insurance|health\s+plan|health\s+card|"
     r"beneficiary|subscriber|group|student|employee|staff|pupil|benefits?|medicaid|medicare|"
     r"medi-cal|OHIP|tax|TIN|EIN|ITIN|HIC|MBI|voter|library|prisoner|inmate|booking|"
     r"customer|alien|A-number|USCIS|green\s+card|BRP|residence"),
]  # fmt: skip
KIND_OF_KEYWORD: dict[str, str] = {}
ID_GROUP = r"[A-Z0-9]+(?:[-./:][A-Z0-9]+)*"
ID_RE = re.compile(
    r"(?i:\b(?P<kw>"
    + "|".join(f"(?P<{kind}>{words})" for kind, words in KEYWORDS)
    + r")(?:'s)?(?:[\s:#.,]+(?:number|numbers|num|no|nos|id|code|ref|is|was|were|reads|read|"
    r"ending|ends|of|on|the|it|as|in|had|has|shows?|showed|showing|listed|written|given))*"
    r"[\s:#.,]*)"
    rf"(?P<id>(?=[A-Z0-9 ./:-]*\d){ID_GROUP}(?:\s{ID_GROUP}){{0,4}})",
)
LONE_ID_RE = re.compile(
    r"(?<![\w-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)*(?![\w-])"
    r"|(?<![\w.,/-])\d{8,19}(?![\w.,/-]|,\d)"
)
NHS_RE = re.compile(r"(?<![\d-])\d{3} \d{3} \d{4}(?![\d-])")
SIN_RE = re.compile(r"(?<![\d-])\d{3}[ -]\d{3}[ -]\d{3}(?![\d-])")
CARD_RE = re.compile(r"(?<![\d-])\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}(?![\d-])")
IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
VIN_RE = re.compile(r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-Z])[A-HJ-NPR-Z0-9]{17}\b")
UK_PLATE_RE = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b")
UK_LICENCE_RE = re.compile(r"\b[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}\b")

# --- Dates and ages -----------------------------------------------------------------

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
ORDINAL = r"(?:[23]?1st|2?2nd|2?3rd|(?:[12]?[4-9]|1[0-3]|20|30)th)"
DATE_END = (
    r"(?=\s*(?:[.,;:!?)\]]|$|\s(?:of\s+(?:the\s+)?month|at|and|or|when|because|so|for|after|"
    r"before|which|that|then|but|until|as|is|was|will|we|she|he|they|I|to|in|on|this|last|"
    r"next|it|if|she's|he's|they're|with)\b))"
)
DATE_RE = re.compile(
    r"\b(?:"
    r"\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/.-]\d)"
    rf"|(?:(?:last|next|this|on)\s+)?(?:{WEEKDAY},?\s+)?{MONTH}\s+{DAY}\b(?:,?\s+\d{{4}}\b)?"
    rf"|(?:(?:last|next|this|on)\s+)?(?:{WEEKDAY},?\s+)?(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH}"
    r"(?:,?\s+\d{4}\b)?"
    rf"|(?:(?:last|next|this|on)\s+)?{WEEKDAY},?\s+(?:the\s+)?{ORDINAL}\b"
    rf"|the\s+{ORDINAL}{DATE_END}"
    r")"
)
SHORT_DATE_RE = re.compile(r"(?<![\w/.-])(1[0-2]|0?[1-9])/(3[01]|[12]\d|0?[1-9])(?![\w/.-]|\.\d)")
SCORE_BEFORE_RE = re.compile(
    r"(?:scor|rat|scale|pain|level|out\s+of|mood|phq|gad|core|audit|sleep|energy|anxiety|"
    r"distress|sud|confidence|intensity|\d\s*/\s*\d)[\w\s-]{0,20}$",
    re.I,
)
AGE_WORD = (
    r"(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|(?:one|a)\s+hundred(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
)
AGE = rf"(?:9\d|1[01]\d|{AGE_WORD})"
NOT_AGE_AFTER = (
    r"(?!\s*(?:%|percent|per\s+cent|minutes?|mins?|hours?|hrs?|seconds?|secs?|days?|weeks?|"
    r"months?|mg|mcg|ml|kg|g|lbs?|pounds?|dollars?|euros?|points?|degrees?|°|mph|km|miles?|"
    r"times|people|sessions?|clients?|patients?|beats?|bpm|over|/|\.\d|,\d|-\d|\s*-\s*\d))"
)
AGE_RE = re.compile(
    rf"\b(?:{AGE}[- ](?:years?|yrs?)[- ]old|{AGE}[- ]?(?:yo|y/o|y\.o\.)|{AGE}(?:st|nd|rd|th)\s+"
    rf"birthday|centenarian|(?:aged?|age\s+of|turned|turns|turning|reached|reaching|is|was|"
    rf"now|be|being|who's|she's|he's|they're|are|am|I'm)\s+{AGE}\b(?:\s+(?:years?|yrs?))?"
    rf"{NOT_AGE_AFTER}|in\s+(?:his|her|their|my|your|the)\s+(?:(?:early|mid|late)[- ])?"
    rf"(?:90s|nineties|1[01]0s)|{AGE}\s+(?:years?|yrs?)\s+of\s+age|(?<=, ){AGE}(?=,|\)|\s+and\b))",
    re.I,
)
VITALS_BEFORE_RE = re.compile(
    r"(?:pulse|heart\s+rate|HR|sats?|oxygen|O2|SpO2|BP|blood\s+pressure|weight|weighs|temp|"
    r"glucose|sugar|score|scored|IQ|percentile|grade|mark|marks|room|bus|route|number|no\.?|"
    r"page|level|floor|channel)\b[^.]{0,20}$",
    re.I,
)

# --- Addresses and postcodes --------------------------------------------------------

STREET_TYPES = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|"
    r"Terrace|Terr|Close|Crescent|Cres|Gardens|Gdns|Square|Sq|Parkway|Pkwy|Highway|Hwy|Row|"
    r"Mews|Grove|Circle|Cir|Trail|Trl|Walk|Plaza|Alley|Expressway|Expy|Freeway|Fwy|Pike|"
    r"Turnpike|Hill|Park|Green|Rise|View|Vale|Loop|Run|Crossing|Xing|Point|Pt|Heights|Hts|"
    r"Ridge|Path|Wynd|Embankment|Quay|Wharf|Parade|Pde|Esplanade|Broadway)"
)
UNNUMBERED_TYPES = (
    r"(?:Street|St\.|Road|Rd\.?|Avenue|Ave\.?|Lane|Boulevard|Blvd\.?|Drive|Terrace|Crescent|"
    r"Parkway|Pkwy\.?|Highway|Hwy\.?|Mews|Grove|Close|Gardens)"
)
CAPWORD = r"[A-Z][\w'\u2019.-]*"
UNIT = r"(?:Apt|Apartment|Unit|Suite|Ste|Flat|Fl|Floor|Rm|Room|Bldg|Building|Lot|#)\.?\s*#?\s*"
DIRECTION = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?"
STREET_RE = re.compile(
    rf"(?:\b{UNIT}[A-Za-z0-9-]+,?\s+)?\b\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,5}}[A-Za-z]?)?,?\s+"
    rf"(?:{DIRECTION}\s+)?(?:(?:{CAPWORD}|\d+(?:st|nd|rd|th))\s+){{1,4}}{STREET_TYPES}\b\.?"
    rf"(?:\s+{DIRECTION}(?![\w]))?(?:,?\s*{UNIT}[A-Za-z0-9-]+)?"
    r"|\b\d{1,5}[A-Za-z]?,?\s+(?i:rue|avenue|boulevard|bd|chemin|allée|impasse|route|calle|"
    r"avenida|carrera|rua|travessa|via|viale|piazza|corso|ulica|ul\.)\s+(?:(?:de|du|des|la|le|"
    r"del|da|do|di)\s+)*[A-ZÀ-Ý][\w'\u2019-]*(?:\s+[A-ZÀ-Ý][\w'\u2019-]*){0,3}"
    r"|\b[A-ZÄÖÜ][\wäöüß]+(?:straße|strasse|str\.|weg|gasse|platz|allee|laan|gracht|vej|"
    r"gatan|gata|veien)\s+\d{1,4}[a-z]?\b"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+"
    rf"|\b(?:{CAPWORD}\s+){{1,3}}{UNNUMBERED_TYPES}(?![\w])"
)
STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
POSTCODE_RE = re.compile(
    r"\b\d{5}-\d{4}\b"
    rf"|\b(?:{STATES})\s+\d{{5}}(?:-\d{{4}})?\b"
    r"|(?i:\b(?:zip|zip\s*code|zipcode|postal\s*code|postcode|post\s*code)\b)[^\d\n]{0,20}?"
    r"\d{5}(?:-\d{4})?\b"
    r"|\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s?\d[ABD-HJLNP-UW-Z]{2}\b"
    r"|\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b"
)
COUNTY_RE = re.compile(
    rf"\b(?:{CAPWORD}\s+){{1,3}}(?:County|Borough|Township|Parish|Shire|District)\b"
    rf"|\b(?:County|Borough|City|Town|Township|Village)\s+of\s+{CAPWORD}(?:\s+{CAPWORD})?"
)


# --- Checksums ----------------------------------------------------------------------


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def nhs_ok(digits: str) -> bool:
    if len(digits) != 10:
        return False
    check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(digits[:9])) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


VIN_VALUES = {
    **{str(i): i for i in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_ok(vin: str) -> bool:
    total = sum(VIN_VALUES[c] * w for c, w in zip(vin, VIN_WEIGHTS, strict=True))
    check = total % 11
    return vin[8] == ("X" if check == 10 else str(check))


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


# --- Detectors ----------------------------------------------------------------------


def contact(text: str) -> Iterator[Hit]:
    for m in EMAIL_RE.finditer(text):
        yield "email", m.start(), m.end()
    for m in URL_RE.finditer(text):
        url = m.group(0).rstrip(".,;:!?")
        if "@" in text[max(0, m.start() - 1) : m.start()]:
            continue  # the domain of an email address
        yield "url", m.start(), m.start() + len(url)
    for m in HANDLE_RE.finditer(text):
        yield "handle", m.start(), m.end()
    for m in IPV4_RE.finditer(text):
        try:
            ipaddress.IPv4Address(m.group(0))
        except ValueError:
            continue
        yield "ip_address", m.start(), m.end()
    if text.count(":") >= 2:
        for m in IPV6_RE.finditer(text):
            raw = m.group(0)
            if raw.count(":") < 2 or len(raw) < 6:
                continue
            try:
                ipaddress.IPv6Address(raw)
            except ValueError:
                continue
            yield "ip_address", m.start(), m.end()
    for m in PHONE_RE.finditer(text):
        raw = m.group(0).rstrip()
        start = m.start()
        if _is_phone(raw):
            kind = "fax" if FAX_BEFORE_RE.search(text[max(0, start - 25) : start]) else "phone"
            yield kind, start, start + len(raw)


def _is_phone(raw: str) -> bool:
    bare = EXT_RE.sub("", raw)
    if NOT_PHONE_RE.fullmatch(bare):
        return False
    digits = _digits(bare)
    if not 7 <= len(digits) <= 15:
        return False
    if bare.startswith("+"):
        return len(digits) >= 8
    if NANP_RE.fullmatch(bare):
        return digits[-10] not in "01"
    if digits[0] == "0" and 10 <= len(digits) <= 11 and not bare.isdigit():
        return True  # a trunk prefix: UK, Ireland, Australia, much of Europe
    if not any(c in bare for c in " -.()"):
        return False  # a run of digits is an ID more often than a phone
    for region in ("US", "GB", "AU", "IN", "DE", "FR", "CA", "IE"):
        try:
            number = phonenumbers.parse(bare, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def numbers(text: str) -> Iterator[Hit]:
    for m in SSN_RE.finditer(text):
        yield "ssn", m.start(), m.end()
    for m in ID_RE.finditer(text):
        kind = next((k for k, _ in KEYWORDS if m.group(k)), "other_id")
        start, raw = m.start("id"), _trim_id(m.group("id"), kind)
        if len(_digits(raw)) < (1 if kind == "vehicle" else 2) or len(raw.replace(" ", "")) < 4:
            continue
        if kind == "ssn" and len(_digits(raw)) != 9:
            continue
        if raw.replace(" ", "").replace("-", "").isdigit() and len(_digits(raw)) < 5:
            continue  # a year or a count, not a number that names someone
        yield kind, start, start + len(raw)
    for m in NHS_RE.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if nhs_ok(_digits(m.group(0))) or "NHS" in before:
            yield "record_number", m.start(), m.end()
    for m in SIN_RE.finditer(text):
        if luhn(_digits(m.group(0))):
            yield "ssn", m.start(), m.end()
    for m in CARD_RE.finditer(text):
        digits = _digits(m.group(0))
        if 13 <= len(digits) <= 19 and luhn(digits):
            imei = len(digits) == 15 and "IMEI" in text[max(0, m.start() - 40) : m.start()]
            yield "device" if imei else "account_number", m.start(), m.end()
    for m in IBAN_RE.finditer(text):
        yield "account_number", m.start(), m.end()
    for m in VIN_RE.finditer(text):
        if vin_ok(m.group(0)):
            yield "vehicle", m.start(), m.end()
    for m in UK_PLATE_RE.finditer(text):
        yield "vehicle", m.start(), m.end()
    for m in UK_LICENCE_RE.finditer(text):
        yield "licence_number", m.start(), m.end()
    for m in LONE_ID_RE.finditer(text):
        raw = m.group(0)
        if len(_digits(raw)) >= 4 and len(raw) >= 6 and not raw.isdigit():
            yield "other_id", m.start(), m.end()
        elif raw.isdigit() and len(raw) == 10 and nhs_ok(raw):
            yield "record_number", m.start(), m.end()
        elif raw.isdigit() and not _is_phone(raw):
            yield "other_id", m.start(), m.end()


def _trim_id(raw: str, kind: str) -> str:
    """Drop trailing groups that are words rather than parts of the number."""
    groups = raw.split(" ")
    while len(groups) > 1:
        last = groups[-1]
        if any(c.isdigit() for c in last):
            break
        if kind == "vehicle" and 2 <= len(last) <= 3 and last.isalpha():
            break
        groups.pop()
    return " ".join(groups).rstrip(".:/-")


def dates(text: str) -> Iterator[Hit]:
    for m in DATE_RE.finditer(text):
        yield "date", m.start(), m.end()
    for m in SHORT_DATE_RE.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if m.group(2) in ("10", "5") or SCORE_BEFORE_RE.search(before):
            continue
        yield "date", m.start(), m.end()
    for m in AGE_RE.finditer(text):
        if VITALS_BEFORE_RE.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        yield "age_over_89", m.start(), m.end()


def places(text: str) -> Iterator[Hit]:
    for pattern in (STREET_RE, POSTCODE_RE, COUNTY_RE):
        for m in pattern.finditer(text):
            yield "place", m.start(), m.end()
