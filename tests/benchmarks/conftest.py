"""Benchmarks: run by `make bench`, never by `make test`. They report figures and check targets."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def measure(fn: Callable[[], object], *, runs: int = 50, warmup: int = 3) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
    }


def report(name: str, figures: dict[str, float]) -> None:
    shown = ", ".join(f"{k} {v:.2f}" for k, v in figures.items())
    print(f"\n[bench] {name}: {shown}")
