"""The identifier check: 10,000 characters in under 20 ms, loading in under 1 s, 150 MB."""

from __future__ import annotations

import subprocess
import sys
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
    scan("Warm up: Maria lives in Boston.")
    for share in (0.2, 1.0):
        text = ten_thousand_characters(share)
        figures = measure(lambda text=text: scan(text))
        report(f"identifier scan, 10,000 chars, {share:.0%} of labelled lines", figures)
        assert figures["median_ms"] < 20


# Run in a fresh interpreter, so that the word lists are loaded by this call alone.
FIRST_CALL = """
import time
from pathlib import Path
def rss_mb():
    status = Path("/proc/self/status").read_text()
    return int(next(l for l in status.splitlines() if l.startswith("VmRSS")).split()[1]) / 1024
before = rss_mb()
start = time.perf_counter()
from journal.identifiers import scan
scan("Her son Dmitri drove in from Hamtramck on 2 Feb.")
ms = (time.perf_counter() - start) * 1000
print(ms, rss_mb() - before)
"""


def test_first_call_loads_the_word_lists_quickly_and_in_bounded_memory() -> None:
    out = subprocess.run(
        [sys.executable, "-c", FIRST_CALL],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent.parent,
    ).stdout.split()
    first_ms, added_mb = float(out[0]), float(out[1])
    report("identifier scan, first call", {"ms": first_ms, "added_rss_mb": added_mb})
    assert first_ms < 1000
    assert added_mb < 150
