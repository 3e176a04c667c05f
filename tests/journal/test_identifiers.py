"""The identifier check, measured on labelled corpora of reflective passages."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from journal.identifiers import KIND_LABELS, KINDS, Finding, highlight, mask, scan

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "identifier_corpus.txt"
# Written before the detector was tuned and never read while tuning it: only its
# summary is printed, so it measures how the check does on passages it has not seen.
HELD_OUT = DATA / "identifier_corpus_heldout.txt"
MARK = re.compile(r"\[\[(\w+):(.+?)\]\]")


def load_corpus(path: Path = CORPUS) -> list[tuple[str, list[Finding]]]:
    passages = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, expected, at = "", [], 0
        for m in MARK.finditer(line):
            text += line[at : m.start()]
            kind, value = m.group(1), m.group(2)
            assert kind in KINDS, kind
            expected.append(Finding(kind, len(text), len(text) + len(value), value))
            text += value
            at = m.end()
        text += line[at:]
        passages.append((text, expected))
    return passages


def overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


@dataclass
class Score:
    expected: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    clean: int = 0
    clean_flagged: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def recall(self, kind: str | None = None) -> float:
        if kind is None:
            return sum(self.caught.values()) / max(1, sum(self.expected.values()))
        return self.caught[kind] / self.expected[kind] if self.expected[kind] else 1.0

    @property
    def clean_rate(self) -> float:
        """The share of clean passages with at least one finding."""
        return self.clean_flagged / max(1, self.clean)

    def table(self, title: str) -> str:
        rows = [title, "kind              expected  recall  found  precision"]
        for kind in KINDS:
            found = self.found[kind]
            precision = self.correct[kind] / found if found else 1.0
            rows.append(
                f"{kind:<17} {self.expected[kind]:>8}  {self.recall(kind):6.2f}  {found:>5}"
                f"  {precision:9.2f}"
            )
        precision_all = sum(self.correct.values()) / max(1, sum(self.found.values()))
        rows.append(
            f"overall recall {self.recall():.3f}, precision {precision_all:.3f}; "
            f"clean passages flagged {self.clean_rate:.3f} ({self.clean_flagged}/{self.clean})"
        )
        return "\n".join(rows)


def score(passages: list[tuple[str, list[Finding]]]) -> Score:
    s = Score()
    for text, expected in passages:
        found = scan(text)
        if not expected:
            s.clean += 1
            s.clean_flagged += bool(found)
        for e in expected:
            s.expected[e.kind] += 1
            if any(f.kind == e.kind and overlaps(f, e) for f in found):
                s.caught[e.kind] += 1
            else:
                s.misses.append(f"{e.kind}: {e.text!r} in {text!r}")
        for f in found:
            s.found[f.kind] += 1
            if any(f.kind == e.kind and overlaps(f, e) for e in expected):
                s.correct[f.kind] += 1
            else:
                s.false.append(f"{f.kind}: {f.text!r} in {text!r}")
    return s


def test_the_corpus_is_large_half_clean_and_covers_every_kind() -> None:
    passages = load_corpus()
    labelled = [p for p in passages if p[1]]
    clean = [p for p in passages if not p[1]]
    assert len(passages) >= 400
    assert len(labelled) >= 200
    assert len(clean) >= 200
    kinds = Counter(f.kind for _, expected in labelled for f in expected)
    assert set(kinds) == set(KINDS)


def test_recall_per_kind_and_clean_passages(capsys: pytest.CaptureFixture[str]) -> None:
    s = score(load_corpus())
    with capsys.disabled():
        print("\n" + s.table("Labelled corpus"))
        for line in s.misses + s.false:
            print("  ", line)
    assert s.recall() >= 0.97, s.misses
    assert all(s.recall(kind) >= 0.90 for kind in KINDS), s.misses
    assert s.clean_rate <= 0.08, s.false


def test_held_out_passages(capsys: pytest.CaptureFixture[str]) -> None:
    s = score(load_corpus(HELD_OUT))
    with capsys.disabled():
        print("\n" + s.table("Held-out passages (summary only)"))
    assert len(load_corpus(HELD_OUT)) >= 100
    # Looser than the main corpus: these guard against overfitting, not tune it.
    assert s.recall() >= 0.85
    assert s.clean_rate <= 0.15


def kinds_in(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text)]


def test_client_codes_are_never_flagged() -> None:
    text = "C-7Q4 and AB-12 spoke; client C-9XY2 was late."
    assert scan(text, known_codes=["C-7Q4", "AB-12", "C-9XY2"]) == []


def test_findings_point_at_the_text() -> None:
    text = "Call Maria Gonzalez on 020 7946 0018 today."
    for f in scan(text):
        assert text[f.start : f.end] == f.text
    assert [f.kind for f in scan(text)] == ["name", "phone"]


def test_highlight_cuts_text_into_marked_pieces() -> None:
    text = "Email a@example.org now"
    pieces = highlight(text, scan(text))
    assert "".join(p for p, _ in pieces) == text
    assert [(p, f.kind if f else None) for p, f in pieces] == [
        ("Email ", None),
        ("a@example.org", "email"),
        (" now", None),
    ]


def test_empty_text_has_no_findings() -> None:
    assert scan("") == []
    assert mask("") == ""


def test_a_name_after_another_capitalised_word_is_whole() -> None:
    assert kinds_in("Today Maria Gonzalez talked about her mother.") == [("name", "Maria Gonzalez")]


def test_mask_replaces_each_finding_with_its_kind() -> None:
    text = "Her son Dmitri, who is 93, moved to Hamtramck on 2 Feb."
    assert mask(text) == "Her son [name], who is [age], moved to [place] on [date]."


def test_mask_leaves_client_codes_and_clean_text_alone() -> None:
    text = "C-7Q4 spoke about Ramadan and her church; session 4 of 12 in 2023."
    assert mask(text, known_codes=["C-7Q4"]) == text


def test_every_kind_has_a_label() -> None:
    assert set(KIND_LABELS) == set(KINDS)


def test_a_word_that_is_also_a_name_needs_context() -> None:
    assert kinds_in("Hope is not a plan, and I will keep faith in the process.") == []
    assert kinds_in("Her daughter Hope has started school.") == [("name", "Hope")]
    assert kinds_in("She asked me to call her husband, Will, next week.") == [("name", "Will")]


def test_a_lowercase_name_is_found_after_naming_words() -> None:
    assert kinds_in("the client said her name is ade and laughed") == [("name", "ade")]
    assert kinds_in("she named it the worry monster") == []


def test_states_and_countries_are_not_places() -> None:
    assert kinds_in("She moved from Texas to Ontario, then to Mexico and Ghana.") == []
    assert kinds_in("She moved from Texas to Yonkers.") == [("place", "Yonkers")]


def test_a_general_place_of_worship_is_quiet_and_a_named_one_is_not() -> None:
    assert kinds_in("She goes to the mosque, and the Catholic Church helped once.") == []
    assert kinds_in("She goes to Masjid Al-Noor on Fridays.") == [
        ("organisation", "Masjid Al-Noor")
    ]


def test_numbers_are_told_apart_by_checksum_and_by_the_word_before() -> None:
    assert kinds_in("NHS 943 476 5919") == [("record_number", "943 476 5919")]
    assert kinds_in("SIN 046 454 286") == [("ssn", "046 454 286")]
    assert kinds_in("the VIN was 1FTFW1ET9DFC10312") == [("vehicle", "1FTFW1ET9DFC10312")]
    assert kinds_in("plate 7 ABC 123 noted") == [("vehicle", "7 ABC 123")]


def test_ages_under_90_scores_times_and_years_are_quiet() -> None:
    quiet = (
        "She is 89; he is 45. The PHQ-9 was 18/27, pain 7/10. We met at 10:30 for 90 "
        "minutes in session 14, in 2019, and her pulse was 96."
    )
    assert kinds_in(quiet) == []


def test_dates_without_a_year_or_a_month_name() -> None:
    for text, date in [
        ("Next appt moved to 5/6 because of court.", "5/6"),
        ("She said the 21st is the anniversary.", "the 21st"),
        ("We spoke last Tuesday the 14th.", "last Tuesday the 14th"),
        ("He was admitted on 2 Feb after it.", "2 Feb"),
    ]:
        assert kinds_in(text) == [("date", date)]
    assert kinds_in("It was the 4th session in the 21st century.") == []
