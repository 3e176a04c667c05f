"""Scanning a 10,000-character entry takes under 20 ms."""

from __future__ import annotations

from pathlib import Path

from journal.identifiers import scan
from tests.benchmarks.conftest import measure, report

CORPUS = Path(__file__).parent.parent / "journal" / "data" / "identifier_corpus.txt"


def ten_thousand_characters(labelled_share: float) -> str:
    lines = [
        line.replace("[[", "").replace("]]", "")
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    labelled = [line for line in lines if ":" in line and any(c.isdigit() for c in line)]
    clean = [line for line in lines if line not in labelled]
    take = int(len(labelled) * labelled_share)
    text = " ".join(labelled[:take] + clean)
    while len(text) < 10_000:
        text += " " + text
    return text[:10_000]


def test_scan_of_ten_thousand_characters() -> None:
    for share in (0.2, 1.0):
        text = ten_thousand_characters(share)
        figures = measure(lambda text=text: scan(text))
        report(f"identifier scan, 10,000 chars, {share:.0%} of labelled lines", figures)
        assert figures["median_ms"] < 20
