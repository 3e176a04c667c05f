"""The identifier check, measured on a labelled corpus of reflective passages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from journal.identifiers import KINDS, Finding, highlight, scan

CORPUS = Path(__file__).parent / "data" / "identifier_corpus.txt"
MARK = re.compile(r"\[\[(\w+):(.+?)\]\]")


def load_corpus() -> list[tuple[str, list[Finding]]]:
    passages = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
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


def test_the_corpus_is_large_and_covers_every_kind_but_the_rarest() -> None:
    passages = load_corpus()
    labelled = [p for p in passages if p[1]]
    clean = [p for p in passages if not p[1]]
    assert len(passages) >= 200
    assert len(labelled) >= 100
    assert len(clean) >= 100
    kinds = Counter(f.kind for _, expected in labelled for f in expected)
    assert set(kinds) == set(KINDS)


def test_recall_and_precision_per_kind(capsys: pytest.CaptureFixture[str]) -> None:
    passages = load_corpus()
    expected_n: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    found_n: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    clean_flagged = 0
    clean_total = 0
    misses: list[str] = []
    false: list[str] = []
    for text, expected in passages:
        found = scan(text)
        if not expected:
            clean_total += 1
            clean_flagged += bool(found)
        for e in expected:
            expected_n[e.kind] += 1
            if any(f.kind == e.kind and overlaps(f, e) for f in found):
                caught[e.kind] += 1
            else:
                misses.append(f"{e.kind}: {e.text!r} in {text!r}")
        for f in found:
            found_n[f.kind] += 1
            if any(f.kind == e.kind and overlaps(f, e) for e in expected):
                correct[f.kind] += 1
            else:
                false.append(f"{f.kind}: {f.text!r} in {text!r}")

    rows = ["kind              expected  recall  found  precision"]
    for kind in KINDS:
        recall = caught[kind] / expected_n[kind] if expected_n[kind] else 1.0
        precision = correct[kind] / found_n[kind] if found_n[kind] else 1.0
        rows.append(
            f"{kind:<17} {expected_n[kind]:>8}  {recall:6.2f}  {found_n[kind]:>5}  {precision:9.2f}"
        )
    recall_all = sum(caught.values()) / sum(expected_n.values())
    precision_all = sum(correct.values()) / max(1, sum(found_n.values()))
    clean_rate = 1 - clean_flagged / clean_total
    rows.append(
        f"overall recall {recall_all:.3f}, precision {precision_all:.3f}; "
        f"clean passages left unflagged {clean_rate:.3f} "
        f"({clean_total - clean_flagged}/{clean_total})"
    )
    with capsys.disabled():
        print("\n" + "\n".join(rows))
        for line in misses + false:
            print("  ", line)
    assert recall_all >= 0.95, misses
    assert clean_rate >= 0.90, false
    assert precision_all >= 0.90, false


def test_client_codes_are_never_flagged() -> None:
    text = "C-7Q4 and AB-12 spoke; client C-9XY2 was late."
    assert scan(text, known_codes=["C-7Q4", "AB-12", "C-9XY2"]) == []


def test_findings_point_at_the_text() -> None:
    text = "Call Maria Gonzalez on 020 7946 0018 today."
    for f in scan(text):
        assert text[f.start : f.end] == f.text
    kinds = [f.kind for f in scan(text)]
    assert kinds == ["name", "phone"]


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


def test_a_name_after_another_capitalised_word_is_whole() -> None:
    found = scan("Today Maria Gonzalez talked about her mother.")
    assert [(f.kind, f.text) for f in found] == [("name", "Maria Gonzalez")]
