"""Names, places and organisations: one pass over the words of a text.

Capitalised words are grouped into runs ("Mercy General Hospital", "Viktor Petrov").
A run is judged by its words (given names, surnames, places and everyday words, all
looked up in sets) and by the words just before it ("her son", "moved to", "works
at"), so that "Hope" is a name in "her daughter Hope" and a word in "Hope is not a
plan".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from journal.identifiers.lexicon import CLINICAL, STOP, Lexicon, lexicon

Hit = tuple[str, int, int]

WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
POSSESSIVE_RE = re.compile(r"['\u2019]s?$")

TITLES = frozenset(
    """
    Mr Mrs Ms Miss Mx Dr Prof Professor Rev Reverend Sr Sra Srta Fr Pastor Imam Rabbi Sheikh
    Sister Brother Father Auntie Aunty Aunt Uncle Mama Papa Baba Nana Grandma Grandpa Granny
    Abuela Abuelo Tía Tia Tío Tio Coach Officer Judge Detective Nurse Captain Sergeant Sgt Lady
    Lord Sir Dame Elder Deacon Bishop Mister Madam Madame Monsieur Herr Frau Señor Señora Senor
    Senora Don Doña Dona Hajji Hajja Ustadh Ustaz Swami Pandit Lama Venerable Chief Mother
    """.split()  # noqa: SIM905
)
# Words that say the next word is a person's name, even a word like Hope or Will.
RELATIONS = frozenset(
    """
    son daughter wife husband partner spouse mother mum mom father dad brother sister sibling
    cousin aunt auntie uncle niece nephew grandson granddaughter grandchild grandmother
    grandfather grandma grandpa granny nan nana friend bestie boyfriend girlfriend fiancé
    fiancée fiance fiancee ex boss manager supervisor teacher tutor coach neighbour neighbor
    stepfather stepmother stepdad stepmom stepmum stepson stepdaughter stepbrother stepsister
    baby child kid toddler teen teenager twin roommate flatmate housemate landlord landlady
    colleague coworker co-worker client patient psychiatrist doctor caseworker worker lawyer
    attorney solicitor pastor imam rabbi priest carer caregiver sponsor mentor classmate
    in-law mother-in-law father-in-law sister-in-law brother-in-law daughter-in-law son-in-law
    godmother godfather goddaughter godson guardian foster ward abuser perpetrator attacker
    """.split()  # noqa: SIM905
)
NAMING = frozenset("named called nicknamed name's names".split())  # noqa: SIM905
NAMING_PHRASES = re.compile(
    r"(?:name\s+(?:is|was)|goes\s+by|went\s+by|known\s+as|calls\s+(?:him|her|them)sel(?:f|ves)|"
    r"asked\s+to\s+be\s+called|prefers|introduced\s+(?:him|her|them)sel(?:f|ves)\s+as)\s*,?\s*$",
    re.I,
)
NAMING_TAILS = frozenset(
    "is was by as himself herself themselves themself prefers called".split()  # noqa: SIM905
)


def _by_first_letter(alternatives: list[str]) -> str:
    """One alternation grouped by first letter, so the engine tries a handful, not all."""
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        groups.setdefault(alt[0], []).append(alt)
    return "|".join(
        f"{re.escape(first)}(?:{'|'.join(alt[1:] for alt in alts)})"
        for first, alts in groups.items()
    )


LOWER_NAME_RE = re.compile(
    r"\b(?=[a-z])(?:"
    + _by_first_letter(
        [
            *sorted((re.escape(w) for w in RELATIONS | NAMING), key=len, reverse=True),
            r"name\s+(?:is|was)",
            r"goes\s+by",
            r"went\s+by",
            r"known\s+as",
            r"calls\s+(?:him|her|them)sel(?:f|ves)",
        ]
    )
    + r"),?\s(?P<w>[a-z][a-z'\u2019-]*[a-z])\b"
)
PLACE_BEFORE = frozenset(
    "in from to near outside around across towards toward into via of between at".split()  # noqa: SIM905
)
ORG_BEFORE_RE = re.compile(
    r"(?:works?|worked|working|job|jobs|shift|shifts|employed|interns?|interned|volunteers?|"
    r"volunteered|volunteering|studies|studied|studying|student|enrolled|attends|attended|"
    r"attending|teaches|taught|cleans|cooks|drives|stocks\s+shelves|hired|fired|manager|"
    r"cashier)\s+(?:\w+\s+)?(?:at|for|by|with|in)\s+(?:the\s+)?$|\b(?:at|for)\s+$",
    re.I,
)
ORG_HEADS = frozenset(
    """
    Hospital Hospitals Clinic Clinics Center Centre Centers Centres Surgery Practice Infirmary
    Hospice Sanatorium Institute School Schools Elementary Primary High Academy College
    University Univ Kindergarten Preschool Nursery Daycare Seminary Yeshiva Madrasa Madrassa
    Church Parish Mosque Masjid Temple Synagogue Gurdwara Mandir Chapel Cathedral Basilica
    Abbey Ministries Ministry Fellowship Tabernacle Congregation Assembly Mission Kingdom Hall
    Inc Incorporated LLC Ltd Limited Co Company Corporation Corp Group Foundation Bank Hotel
    Inn Motel Restaurant Cafe Café Diner Bakery Pharmacy Library Prison Jail Penitentiary
    Shelter Services Association Society Club Gym Market Supermarket Store Stores Mart Factory
    Plant Mill Warehouse Depot Agency Authority Trust Partnership Council Clinic Labs
    Laboratories Home Homes Residence Lodge Manor Village Farm Farms Ranch Salon Studio
    Studios Garage Motors Autos Logistics Industries Enterprises Solutions Systems Consulting
    Cleaners Bar Pub Grill Kitchen Pizzeria Deli Dialysis Hall Center's Centre's
    """.split()  # noqa: SIM905
)
ORG_PREFIXES = frozenset(
    "St Saint Masjid Temple Congregation Beth Beit Church Our Mount Mt University College".split()  # noqa: SIM905
)
# Words that describe rather than name an institution ("Community Health Center").
GENERIC = frozenset(
    """
    The A An Our My His Her Their Your This That Local City County State Regional National
    General Medical Community Health Mental Public Primary Secondary High Middle Junior Senior
    Elementary Children's Childrens Women's Womens Men's Veterans Family Urgent Care Day Night
    Main Central North South East West Northern Southern Eastern Western New Old Free Open
    Christian Catholic Baptist Methodist Islamic Jewish Hindu Sikh Buddhist Orthodox Episcopal
    Lutheran Presbyterian Pentecostal Evangelical Anglican Greek Russian Black White Nursing
    Rehab Rehabilitation Behavioral Behavioural Psychiatric Dialysis Cancer Heart Eye Dental
    Food Homeless Youth Family Job Career Crisis Recovery Addiction Treatment Counseling
    Counselling Therapy Wellness Support Services Service Immigration Legal Aid Housing
    """.split()  # noqa: SIM905
)
CONNECTORS = frozenset(
    "of the & for de del da dos das di van von der den la le al el bin bint ibn y".split()  # noqa: SIM905
)
SURNAME_ENDINGS = (
    "ov", "ova", "ev", "eva", "enko", "chuk", "czuk", "ski", "ska", "sky", "skaya", "wicz",
    "vich", "vych", "escu", "oglu", "oğlu", "yan", "ian", "idis", "opoulos", "poulos", "akis",
    "sson", "dottir", "nen", "ishvili", "adze", "uly", "kyzy", "ović", "ovic", "ević", "evic",
    "ić", "stein", "berg", "mann", "baum", "feld", "witz", "ez", "es", "aoui", "ouche", "elli",
    "etti", "ini", "ucci", "ello", "otti", "azzi", "wala", "walla", "pour", "zadeh", "zai",
    "khel", "anjo", "olu", "ola", "emi", "ike", "eke", "wu", "ema", "adu",
)  # fmt: skip
# A run that ends in one of these is a street or an area: "Halsted Street", "Cook County".
STREETS = frozenset(
    """
    Street St Road Rd Avenue Ave Lane Ln Boulevard Blvd Drive Terrace Crescent Parkway Pkwy
    Highway Hwy Mews Grove Close Gardens County Borough Township District
    """.split()  # noqa: SIM905
)
ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Mx Dr Prof Rev Sr Sra Fr St Mt Jr Sgt Co Inc Corp Ltd".split()  # noqa: SIM905
)


@dataclass(slots=True)
class Token:
    """A capitalised word, with the word and the characters just before it."""

    text: str
    base: str
    start: int
    end: int
    prev: str  # the previous word, lower case
    gap: str  # what lies between the previous word and this one
    initial: bool


# The capital first, then the look back: an expression that starts with a character
# class lets the engine skip to candidates in C.
CAP_RE = re.compile(r"[^\W\d_a-z](?<![\w'\u2019-].)[\w'\u2019-]*")
GAP_CHARS = " \t\r\n,.;:!?\"'()[]*\u2013\u2014\u2018\u2019\u201c\u201d\u2022/&"
STRIP = " \t\"'\u201c\u201d\u2018\u2019([*-\u2022"


def _tokens(text: str) -> list[Token]:
    out: list[Token] = []
    for m in CAP_RE.finditer(text):
        word = m.group(0).rstrip("-'\u2019")
        if not word or not word[0].isupper() or (len(word) > 1 and word.isupper()):
            continue
        if not word.replace("-", "").replace("'", "").replace("\u2019", "").isalpha():
            continue
        start = m.start()
        seg = text[max(0, start - 30) : start]
        stripped = seg.rstrip(GAP_CHARS)
        gap = seg[len(stripped) :]
        prev = stripped.rsplit(None, 1)[-1].lower() if stripped else ""
        if prev and not prev.isalpha():
            prev = "".join(c for c in prev if c.isalpha() or c in "'-")
        mark = gap.strip(STRIP)
        initial = (
            not prev
            or "\n" in gap
            or (
                bool(mark)
                and mark[-1] in ".!?:;"
                and not (mark == "." and prev.title() in ABBREVIATIONS)
            )
        )
        base = POSSESSIVE_RE.sub("", word) if "'" in word or "\u2019" in word else word
        out.append(Token(word, base, start, start + len(word), prev, gap, initial))
    return out


# Names that are also everyday English words. The big word list holds many names in
# lower case ("john", "smith"), which would hide them; these alone stay ambiguous, so
# that "Will", "Hope" or "Mark" is a name only where the context says so.
WORD_NAMES = frozenset(
    """
    will hope faith grace joy may june april august rose lily iris ivy daisy holly heather
    dawn summer autumn winter amber ruby pearl crystal destiny harmony patience charity mercy
    honor honour sky river rain storm sunny star bill mark pat rob sue jack frank earnest art
    guy sandy rusty bob chip chase hunter carter mason cooper miles max dean gene wade drew
    lance grant ray don kit jay robin eve ken lee van ash sage rich page bishop king young
    brown green white black gray grey long little small short hall wood hill field stone rock
    lake ford bank banks price rice cook baker fisher miller turner walker porter parker bell
    park west north south east lane love luck best sharp strong moody nice wise bright swift
    fair noble street church chance dale glen heath moss reed birch oak fox wolf bird crane
    swan hawk lamb bear buck bull badger sterling hardy justice major marshal royal duke earl
    prince baron knight angel christian trinity rich penny sunny sol cliff clay flint gay
    case may nick norm rod sam tom will hale hart heart wells mayor pope marsh
    """.split()  # noqa: SIM905 - a word list reads better as words
)


class Judge:
    """What one word is likely to be, from the word lists alone."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    def common(self, word: str) -> bool:
        parts = word.split("-")
        return all(p.lower() in self.lex.common for p in parts)

    def stop(self, word: str) -> bool:
        if word in STOP or word in self.lex.countries:
            return True
        if "-" in word:
            parts = word.split("-")
            return any(p in STOP for p in parts) and all(
                p in STOP or p.lower() in self.lex.common for p in parts
            )
        return False

    def given(self, word: str) -> bool:
        return word in self.lex.given or (
            "-" in word and all(p in self.lex.given for p in word.split("-"))
        )

    def listed_name(self, word: str) -> bool:
        """A given name or surname that is not also one of the everyday WORD_NAMES."""
        return (word in self.lex.given or word in self.lex.surnames) and (
            word.lower() not in WORD_NAMES
        )

    def strong_given(self, word: str) -> bool:
        return self.given(word) and not self.common(word) and not self.stop(word)

    def surname(self, word: str) -> bool:
        if word in self.lex.surnames:
            return True
        lower = word.lower()
        return len(word) > 4 and lower.endswith(SURNAME_ENDINGS) and lower not in self.lex.common

    def place(self, word: str) -> bool:
        return word in self.lex.places

    def known(self, word: str) -> bool:
        """In some list: not an unknown word that could only be a name."""
        return (
            self.common(word)
            or word in self.lex.proper
            or self.given(word)
            or self.surname(word)
            or self.place(word)
        )

    def namelike(self, word: str, *, initial: bool) -> int:
        """2 for surely a name, 1 for maybe, 0 for not a name."""
        if self.stop(word):
            return 0
        if "-" in word and not self.given(word):
            parts = [p for p in word.split("-") if p.lower() not in CONNECTORS]
            return max((self.namelike(p, initial=initial) for p in parts), default=0)
        common = self.common(word)
        if self.given(word) and not common:
            return 2
        if common and self.listed_name(word):
            # "I saw John today": a capitalised name in mid-sentence is a name; at the
            # start of a sentence it may be, and the words beside it decide.
            return 1 if initial else 2
        if common:
            return 0
        if self.surname(word):
            return 2 if not initial else 1
        if self.place(word) or word in self.lex.proper:
            return 0
        return 1 if not initial else 0


def find(text: str) -> Iterator[Hit]:
    judge = Judge(lexicon())
    for m in LOWER_NAME_RE.finditer(text):
        if _lower_name(judge, m.group("w")):
            yield "name", m.start("w"), m.end("w")
    tokens = _tokens(text)
    i = 0
    n = len(tokens)
    while i < n:
        j = i + 1
        while j < n and _joins(tokens[j - 1], tokens[j]):
            j += 1
        yield from _judge_run(text, judge, tokens[i:j])
        i = j


def _joins(a: Token, b: Token) -> bool:
    gap = b.gap
    if b.prev != a.base.lower() and b.prev != a.text.lower():
        # A connector inside a run ("University of Chicago", "Maria de la Cruz").
        between = b.start - a.end
        return b.prev in CONNECTORS and gap == " " and between <= 9
    if gap == " ":
        return True
    if gap in (". ", "."):
        return a.base in ABBREVIATIONS or (len(a.text) == 1 and a.text.isupper())
    return False


def _lower_name(judge: Judge, word: str) -> bool:
    return (
        word.isalpha()
        and len(word) > 1
        and word.lower() not in judge.lex.common
        and word.capitalize() not in STOP
        and word.lower() not in CONNECTORS
    )


def _judge_run(text: str, judge: Judge, run: list[Token]) -> Iterator[Hit]:
    if not run:
        return
    prev_word = run[0].prev
    if len(run) == 1 and prev_word not in RELATIONS and prev_word not in NAMING:
        # Most capitalised words are sentence openers and stop words: settle them first.
        word = run[0].base
        if word in STOP or (run[0].initial and word.lower() in judge.lex.common):
            return
    before = text[max(0, run[0].start - 40) : run[0].start]
    words = [t.base for t in run]

    # A title: "Mrs Abara", "Dr. Oyelaran", "Sister Agnes".
    if words[0] in TITLES and len(run) > 1:
        rest = [t for t in run[1:] if not judge.stop(t.base) or t.base in CLINICAL]
        if rest and rest[0] is run[1]:
            k = run.index(rest[-1])
            while k > 1 and not _in_name(judge, run[k].base):
                k -= 1
            yield "name", run[0].start, run[k].end
            return

    if len(run) > 1 and words[-1] in STREETS and not run[0].initial | judge.stop(words[0]):
        yield "place", run[0].start, run[-1].end
        return

    org = _organisation(judge, run)
    if org is not None:
        yield "organisation", run[0].start, run[org].end
        return

    named = ((prev_word in RELATIONS or prev_word in NAMING) and run[0].gap in (" ", ", ")) or bool(
        prev_word in NAMING_TAILS and NAMING_PHRASES.search(before)
    )
    only_proper = words[0] in judge.lex.proper and words[0] not in judge.lex.given
    if named and not judge.stop(words[0]) and not only_proper:
        end = run[0].end
        for t in run[1:]:
            if judge.stop(t.base) or (not _in_name(judge, t.base) and judge.common(t.base)):
                break
            end = t.end
        yield "name", run[0].start, end
        return

    # Multi-word places first ("Bay Ridge", "Salt Lake City"), longest first.
    for size in range(min(4, len(run)), 1, -1):
        for k in range(len(run) - size + 1):
            phrase = text[run[k].start : run[k + size - 1].end]
            if judge.place(phrase) and not judge.stop(phrase):
                yield from _judge_run(text, judge, run[:k])
                yield "place", run[k].start, run[k + size - 1].end
                rest = run[k + size :]
                if rest:
                    yield from _judge_run(text, judge, rest)
                return

    place_before = prev_word in PLACE_BEFORE and run[0].gap == " "
    if len(run) == 1:
        yield from _single(judge, run[0], place_before, before)
        return

    scores = [judge.namelike(t.base, initial=t.initial and k == 0) for k, t in enumerate(run)]
    strong = any(judge.strong_given(t.base) for t in run)
    if place_before and not strong and any(not judge.stop(t.base) for t in run):
        yield "place", run[0].start, run[-1].end
        return
    if max(scores) == 2 or (max(scores) == 1 and sum(1 for s in scores if s) >= 1 and len(run) > 1):
        first = next(k for k, s in enumerate(scores) if s or _in_name(judge, run[k].base))
        last = max(k for k, s in enumerate(scores) if s or _in_name(judge, run[k].base))
        # A given name just before ("Precious Mokoena") belongs to the name too.
        while (
            first > 0 and judge.given(run[first - 1].base) and not judge.stop(run[first - 1].base)
        ):
            first -= 1
        if place_before and first == 0 and not any(judge.given(t.base) for t in run):
            yield "place", run[0].start, run[-1].end
            return
        if (
            place_before
            and first == 0
            and all(judge.place(t.base) and not judge.given(t.base) for t in run[first : last + 1])
        ):
            yield "place", run[first].start, run[last].end
            return
        if first > 0:
            yield from _judge_run(text, judge, run[:first])
        yield "name", run[first].start, run[last].end
        return
    for t in run:
        yield from _single(judge, t, place_before and t is run[0], before)


def _in_name(judge: Judge, word: str) -> bool:
    """Could stand inside a name next to a surer word: "Will Smith", "Ruiz Ibarra"."""
    if judge.stop(word) and word not in CLINICAL:
        return False
    return judge.given(word) or judge.surname(word) or not judge.known(word)


def _single(judge: Judge, tok: Token, place_before: bool, before: str) -> Iterator[Hit]:
    word = tok.base
    if judge.stop(word) or (tok.initial and judge.common(word)):
        return
    is_place = judge.place(word) and not judge.common(word)
    last_word = before.rstrip().lower().rsplit(" ", 1)[-1]
    if (
        place_before
        and last_word not in ("at", "of")
        and ((judge.place(word) and not judge.given(word)) or not judge.known(word))
    ):
        yield "place", tok.start, tok.end
        return
    if (
        ORG_BEFORE_RE.search(before)
        and not judge.given(word)
        and not judge.common(word)
        and (not is_place or last_word in ("for", "by", "with"))
    ):
        yield "organisation", tok.start, tok.end
        return
    score = judge.namelike(word, initial=tok.initial)
    if score == 2 or (score == 1 and not is_place):
        yield "name", tok.start, tok.end
    elif is_place and not judge.given(word):
        yield "place", tok.start, tok.end


def _organisation(judge: Judge, run: list[Token]) -> int | None:
    """Index of the run's last word if it names an organisation, else None."""
    words = [t.base for t in run]
    heads = [k for k, w in enumerate(words) if w in ORG_HEADS or t_head(run[k].text)]
    if heads and heads[-1] > 0:
        last = heads[-1]
        naming = [w for w in words[:last] if w not in ORG_HEADS]
        if any(_distinctive(judge, w) for w in naming):
            return last
    if (
        words[0] in ORG_PREFIXES
        and len(run) > 1
        and (
            words[0] in ("St", "Saint", "Mt", "Mount", "Our")
            or any(_distinctive(judge, w) for w in words[1:])
        )
    ):
        return len(run) - 1
    return None


def t_head(word: str) -> bool:
    return word.rstrip(".") in ("Co", "Inc", "Ltd", "Corp")


def _distinctive(judge: Judge, word: str) -> bool:
    return word not in GENERIC and not judge.stop(word) and word not in CONNECTORS
