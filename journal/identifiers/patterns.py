"""Identifiers with a shape: contact details, numbers, dates, ages, addresses, postcodes.

Each detector is one compiled expression run once over the text; checksums (NHS,
Luhn, VIN) and the words just before a number decide what kind of number it is.
"""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_right
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
    r"|\d{1,3}(?:\.\d{1,3}){3}"  # an IP address, never a phone
)
EXT_RE = re.compile(r"\s*,?\s*(?:ext\.?|extension|x)\s*\d{1,5}$", re.I)
FAX_BEFORE_RE = re.compile(r"\bfax\b[^\d+]{0,30}$", re.I)

# --- Numbers ------------------------------------------------------------------------

SSN_RE = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")


def _kw(words: str, kind: str) -> dict[str, str]:
    return dict.fromkeys((w.replace("_", " ") for w in words.split()), kind)


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


# A number introduced by the words that say what it is. The nearest such word decides
# the kind; "number", "ID" and the like only decide when nothing more precise is near.
KEYWORDS: dict[str, str] = {
    **_kw("ssn sin social_security social_insurance", "ssn"),
    **_kw(
        "licence_plate license_plate number_plate plate plates reg registration vin car van "
        "truck vehicle motorbike motorcycle tag",
        "vehicle",
    ),
    **_kw(
        "driver's_licence driver's_license drivers_licence drivers_license driving_licence "
        "driving_license licence license dl certificate cert passport permit visa npi dea "
        "badge",
        "licence_number",
    ),
    **_kw(
        "mrn medical_record health_record record chart case case_file file docket nhs chi "
        "hospital ref reference claim incident crime police_report",
        "record_number",
    ),
    **_kw(
        "account acct a/c bank iban sort_code routing card debit credit loan mortgage invoice "
        "billing",
        "account_number",
    ),
    **_kw(
        "serial s/n sn device imei mac mac_address udid pacemaker implant pump hearing_aid cpap "
        "bipap monitor tracker laptop tablet model",
        "device",
    ),
    **_kw(
        "id identifier member membership policy insurance health_plan health_card beneficiary "
        "subscriber group student employee staff pupil benefit benefits medicaid medicare "
        "medi-cal ohip tax tin ein itin hic mbi voter library prisoner inmate booking customer "
        "alien a-number uscis green_card brp residence",
        "other_id",
    ),
}
# Words that may stand between the keyword and the number, or that only weakly say
# what the number is.
FILLERS = _words(
    "number numbers num no nos code is was were reads read ending ends of on the it as in had "
    "has show shows showed showing listed written given his her their my your # : its"
)
WEAK = _words("id number no")
WORDS_BEFORE_RE = re.compile(r"[A-Za-z/'\u2019#-]+")


def keyword_kind(before: str) -> str | None:
    """The kind of number that the words just before it announce, if any."""
    words = [w.lower().replace("\u2019", "'") for w in WORDS_BEFORE_RE.findall(before)][-6:]
    weak = None
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        if word.endswith("'s") and word[:-2] in KEYWORDS:
            word = word[:-2]
        pair = f"{words[k - 1]} {word}" if k else ""
        kind = KEYWORDS.get(pair) or KEYWORDS.get(word)
        if kind and word not in WEAK:
            return kind
        if kind and weak is None:
            weak = kind
        elif word not in FILLERS and kind is None:
            break
    return weak


ID_GROUP = r"[A-Z0-9]+(?:[-./:][A-Z0-9]+)*"
KEYWORD_CODES = frozenset(
    "ID SN VIN MRN NHS SSN SIN DL IMEI MAC NPI DEA MBI HIC TIN EIN ITIN IBAN BRP OHIP CHI".split()  # noqa: SIM905
)
ID_CANDIDATE_RE = re.compile(rf"(?<![\w./:-]){ID_GROUP}(?:\s{ID_GROUP}){{0,4}}(?![\w])")
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
    r"\b(?=[\dlntoMTWFSJAOND])(?:"
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
    # Every branch starts with one of these letters: the first check skips most words.
    r"\b(?=[\dnoactriwbsh])"
    rf"(?:{AGE}[- ](?:years?|yrs?)[- ]old|{AGE}[- ]?(?:yo|y/o|y\.o\.)|{AGE}(?:st|nd|rd|th)\s+"
    rf"birthday|centenarian|(?:aged?|age\s+of|turned|turns|turning|reached|reaching|is|was|"
    rf"now|be|being|who's|she's|he's|they're|are|am|I'm)\s+{AGE}\b(?:\s+(?:years?|yrs?))?"
    rf"{NOT_AGE_AFTER}|in\s+(?:his|her|their|my|your|the)\s+(?:(?:early|mid|late)[- ])?"
    rf"(?:90s|nineties|1[01]0s)|{AGE}\s+(?:years?|yrs?)\s+of\s+age|(?<=, ){AGE}(?=,|\)|\s+and\b))",
    re.I,
)
AGE_START_RE = re.compile(r"\d|ninety|(?:one|a)\s+hundred|centenarian", re.I)
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
CAPWORD = r"[A-Z][\w'\u2019.-]*"
UNIT = r"(?:Apt|Apartment|Unit|Suite|Ste|Flat|Fl|Floor|Rm|Room|Bldg|Building|Lot|#)\.?\s*#?\s*"
DIRECTION = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?"
STREET_RE = re.compile(
    rf"\b(?=[A-Z\d#])(?:\b{UNIT}[A-Za-z0-9-]+,?\s+)?\b\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,5}}[A-Za-z]?)?,?\s+"
    rf"(?:{DIRECTION}\s+)?(?:(?:{CAPWORD}|\d+(?:st|nd|rd|th))\s+){{1,4}}{STREET_TYPES}\b\.?"
    rf"(?:\s+{DIRECTION}(?![\w]))?(?:,?\s*{UNIT}[A-Za-z0-9-]+)?"
    r"|\b\d{1,5}[A-Za-z]?,?\s+(?i:rue|avenue|boulevard|bd|chemin|allée|impasse|route|calle|"
    r"avenida|carrera|rua|travessa|via|viale|piazza|corso|ulica|ul\.)\s+(?:(?:de|du|des|la|le|"
    r"del|da|do|di)\s+)*[A-ZÀ-Ý][\w'\u2019-]*(?:\s+[A-ZÀ-Ý][\w'\u2019-]*){0,3}"
    r"|\b(?=[A-ZÄÖÜ][\wäöüß.]*\s+\d)[A-ZÄÖÜ][\wäöüß]+(?:straße|strasse|str\.|weg|gasse|platz|allee|laan|gracht|vej|"
    r"gatan|gata|veien)\s+\d{1,4}[a-z]?\b"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+"
)
STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
POSTCODE_RE = re.compile(
    r"\b(?=[A-Zzp\d])(?:\b\d{5}-\d{4}\b"
    rf"|\b(?:{STATES})\s+\d{{5}}(?:-\d{{4}})?\b"
    r"|(?i:\b(?:zip|zip\s*code|zipcode|postal\s*code|postcode|post\s*code)\b)[^\d\n]{0,20}?"
    r"\d{5}(?:-\d{4})?\b"
    r"|\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s?\d[ABD-HJLNP-UW-Z]{2}\b"
    r"|\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b)"
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


NON_DIGIT_RE = re.compile(r"\D+")


def _digits(s: str) -> str:
    return NON_DIGIT_RE.sub("", s)


# --- Detectors ----------------------------------------------------------------------

# Most identifiers hold digits: the expressions for them run only near digits (and near
# the few words that spell an age), which keeps a long clean text fast. Each anchor
# expression starts with a character class, so the engine skips ahead to candidates in C.
DIGITS_RE = re.compile(r"\d[\d\s().:/+-]*")
AGE_WORDS_RE = re.compile(r"ninety|hundred|centenarian")  # run on the lower-cased text
AGE_NUMBER_RE = re.compile(r"(?<!\d)(?:9\d|1[01]\d)(?!\d)")
AT_RE = re.compile(r"@")
URL_ANCHOR_RE = re.compile(rf"(?:://|www\.|\.(?i:{TLDS})\b)")
Windows = list[tuple[int, int]]
SPACE_RE = re.compile(r"\s")


def _spans(pattern: re.Pattern[str], text: str) -> Windows:
    return [m.span() for m in pattern.finditer(text)]


def _age_words(text: str) -> Windows:
    low = text.lower()
    if "ninety" not in low and "hundred" not in low and "centenarian" not in low:
        return []
    return _spans(AGE_WORDS_RE, low)


def anchors(text: str) -> Windows:
    """Where digits, and words that spell an age, are: what most expressions start from."""
    digits = _spans(DIGITS_RE, text)
    words = _age_words(text)
    return sorted(digits + words) if words else digits


def age_anchors(text: str, digits: Windows) -> Windows:
    ages = [m.span() for m in _within(AGE_NUMBER_RE, text, digits)]
    words = _age_words(text)
    return sorted(ages + words) if words else ages


def windows(text: str, spans: Windows, *, before: int = 30, after: int = 50) -> Windows:
    """Stretches of ``text`` around each span, widened to whole words and merged."""
    out: Windows = []
    n = len(text)
    last_end = -1
    for m_start, m_end in spans:
        hi = m_end + after
        if hi <= last_end:
            continue  # already inside the current stretch
        if hi >= n:
            end = n
        else:
            space = SPACE_RE.search(text, hi)
            end = space.start() if space else n
        lo = m_start - before
        if out and lo <= last_end + 1:
            out[-1] = (out[-1][0], end)
        else:
            # Back to the start of the word: a stretch that starts too early is harmless.
            start = 0 if lo <= 0 else max(text.rfind(" ", 0, lo), text.rfind("\n", 0, lo)) + 1
            out.append((start, end))
        last_end = end
    return out


def _within(pattern: re.Pattern[str], text: str, wins: Windows) -> Iterator[re.Match[str]]:
    for start, end in wins:
        yield from pattern.finditer(text, start, end)


class Shifted:
    """A match in ``Near.text``, read as a match in the whole text."""

    __slots__ = ("match", "shift")

    def __init__(self, match: re.Match[str], shift: int) -> None:
        self.match = match
        self.shift = shift

    def start(self) -> int:
        return self.match.start() + self.shift

    def end(self) -> int:
        return self.match.end() + self.shift

    def group(self, index: int = 0) -> str:
        return self.match.group(index)


class Near:
    """The words that hold digits, joined by NUL characters into one short string.

    Each expression then reads them in one call instead of one call per stretch. A
    stretch begins and ends at a space, and no expression here matches a NUL or a
    space as part of a number's edge, so no match crosses from one stretch to the next
    and every boundary check sees what it would see in the text.
    """

    def __init__(self, text: str, wins: Windows) -> None:
        self.text = "\x00".join(text[start:end] for start, end in wins)
        self.starts: list[int] = []
        self.shifts: list[int] = []
        at = 0
        for start, end in wins:
            self.starts.append(at)
            self.shifts.append(start - at)
            at += end - start + 1

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[Shifted]:
        starts, shifts = self.starts, self.shifts
        for m in pattern.finditer(self.text):
            yield Shifted(m, shifts[bisect_right(starts, m.start()) - 1])


def contact(text: str, near: Near) -> Iterator[Hit]:
    # Emails, handles and web addresses are single words: read only the words that hold
    # an "@", a "://" or a dot before a top-level domain.
    if "@" in text:
        at = windows(text, _spans(AT_RE, text), before=0, after=0)
        for m in _within(EMAIL_RE, text, at):
            yield "email", m.start(), m.end()
        for m in _within(HANDLE_RE, text, at):
            yield "handle", m.start(), m.end()
    for m in _within(URL_RE, text, windows(text, _spans(URL_ANCHOR_RE, text), before=0, after=0)):
        url = m.group(0).rstrip(".,;:!?")
        if "@" in text[max(0, m.start() - 1) : m.start()]:
            continue  # the domain of an email address
        yield "url", m.start(), m.start() + len(url)
    for n in near.finditer(IPV4_RE):
        try:
            ipaddress.IPv4Address(n.group(0))
        except ValueError:
            continue
        yield "ip_address", n.start(), n.end()
    if text.count(":") >= 2:
        for n in near.finditer(IPV6_RE):
            raw = n.group(0)
            if raw.count(":") < 2 or len(raw) < 6:
                continue
            try:
                ipaddress.IPv6Address(raw)
            except ValueError:
                continue
            yield "ip_address", n.start(), n.end()
    for n in near.finditer(PHONE_RE):
        raw = n.group(0).rstrip()
        start = n.start()
        if _is_phone(raw):
            kind = "fax" if FAX_BEFORE_RE.search(text[max(0, start - 25) : start]) else "phone"
            yield kind, start, start + len(raw)


def _is_phone(raw: str) -> bool:
    if sum(c.isdigit() for c in raw) < 7:
        return False
    bare = EXT_RE.sub("", raw) if "x" in raw.lower() else raw
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
    if not 9 <= len(digits) <= 12:
        return False
    for region in ("US", "CA", "GB", "IN", "AU"):
        try:
            number = phonenumbers.parse(bare, region)
        except phonenumbers.NumberParseException:
            continue
        # For its region only: checking every region that shares the country code loads
        # their metadata too (25 for +1), and costs the first call a tenth of a second.
        if phonenumbers.is_valid_number_for_region(number, region):
            return True
    return False


def numbers(text: str, near: Near, wide: Windows) -> Iterator[Hit]:
    for n in near.finditer(SSN_RE):
        yield "ssn", n.start(), n.end()
    for m in _within(ID_CANDIDATE_RE, text, wide):
        start, raw = m.start(), m.group(0)
        # Leading words without digits ("ID", "SN", "VIN") belong to the context.
        while " " in raw and raw.split(" ", 1)[0] in KEYWORD_CODES:
            head = raw.split(" ", 1)[0]
            start, raw = start + len(head) + 1, raw[len(head) + 1 :]
        if not any(c.isdigit() for c in raw):
            continue
        kind = keyword_kind(text[max(0, start - 50) : start])
        if kind is None:
            continue
        raw = _trim_id(raw, kind)
        if len(_digits(raw)) < (1 if kind == "vehicle" else 2) or len(raw.replace(" ", "")) < 4:
            continue
        if kind == "ssn" and len(_digits(raw)) != 9:
            continue
        if raw.replace(" ", "").replace("-", "").isdigit() and len(_digits(raw)) < 5:
            continue  # a year or a count, not a number that names someone
        yield kind, start, start + len(raw)
    for n in near.finditer(NHS_RE):
        before = text[max(0, n.start() - 40) : n.start()]
        if nhs_ok(_digits(n.group(0))) or "NHS" in before:
            yield "record_number", n.start(), n.end()
    for n in near.finditer(SIN_RE):
        if luhn(_digits(n.group(0))):
            yield "ssn", n.start(), n.end()
    for n in near.finditer(CARD_RE):
        digits = _digits(n.group(0))
        if 13 <= len(digits) <= 19 and luhn(digits):
            imei = len(digits) == 15 and "IMEI" in text[max(0, n.start() - 40) : n.start()]
            yield "device" if imei else "account_number", n.start(), n.end()
    for n in near.finditer(IBAN_RE):
        yield "account_number", n.start(), n.end()
    for n in near.finditer(VIN_RE):
        if vin_ok(n.group(0)):
            yield "vehicle", n.start(), n.end()
    for n in near.finditer(UK_PLATE_RE):
        yield "vehicle", n.start(), n.end()
    for n in near.finditer(UK_LICENCE_RE):
        yield "licence_number", n.start(), n.end()
    for n in near.finditer(LONE_ID_RE):
        raw = n.group(0)
        if len(_digits(raw)) >= 4 and len(raw) >= 6 and not raw.isdigit():
            yield "other_id", n.start(), n.end()
        elif raw.isdigit() and len(raw) == 10 and nhs_ok(raw):
            yield "record_number", n.start(), n.end()
        elif raw.isdigit() and not _is_phone(raw):
            yield "other_id", n.start(), n.end()


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


def dates(text: str, digits: Windows, near: Near, wide: Windows) -> Iterator[Hit]:
    for m in _within(DATE_RE, text, wide):
        raw = m.group(0)
        start = m.start() + 3 if raw.startswith("on ") else m.start()
        yield "date", start, m.end() - raw.endswith(".")
    for n in near.finditer(SHORT_DATE_RE):
        before = text[max(0, n.start() - 40) : n.start()]
        if n.group(2) in ("10", "5") or SCORE_BEFORE_RE.search(before):
            continue
        yield "date", n.start(), n.end()
    for m in _within(AGE_RE, text, windows(text, age_anchors(text, digits), after=25)):
        if VITALS_BEFORE_RE.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        # Only the age itself, so that a masked text reads "who is [age]".
        number = AGE_START_RE.search(m.group(0))
        yield "age_over_89", m.start() + (number.start() if number else 0), m.end()


def places(text: str, wide: Windows) -> Iterator[Hit]:
    for pattern in (STREET_RE, POSTCODE_RE):
        for m in _within(pattern, text, wide):
            yield "place", m.start(), m.end()
