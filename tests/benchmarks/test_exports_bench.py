"""Export speed: a 50-entry PDF under 3 s; a 10,000-entry backup under 5 s in under 200 MB."""

from __future__ import annotations

import time
import tracemalloc
from typing import Any

import pytest

from journal import exports
from journal.backup import backup_stream
from journal.demo import seed_demo
from journal.models import Entry, Packet
from reflect.models import User
from reflect.services import builtin_content_load
from tests.benchmarks.conftest import measure, report


@pytest.fixture(scope="module")
def clinician(django_db_setup: Any, django_db_blocker: Any) -> User:
    with django_db_blocker.unblock():
        builtin_content_load()
        seed_demo(email="exports@example.org", entries=10_000, seed=7)
        return User.objects.get(email="exports@example.org")


@pytest.mark.django_db
def test_fifty_entry_pdf(clinician: User) -> None:
    packet = Packet.objects.create(owner=clinician, title="Fifty")
    packet.entries.set(Entry.objects.for_user(clinician).order_by("-session_date")[:50])
    figures = measure(lambda: exports.render_pdf(exports.build_document(packet)), runs=5, warmup=1)
    report("PDF of 50 entries (build + render)", figures)
    assert figures["median_ms"] < 3000


@pytest.mark.django_db
def test_ten_thousand_entry_backup(clinician: User) -> None:
    start = time.perf_counter()
    size = sum(len(piece) for piece in backup_stream(clinician))
    seconds = time.perf_counter() - start
    # Memory in a second pass: tracing allocations slows Python down several times.
    tracemalloc.start()
    for _ in backup_stream(clinician):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\n[bench] backup of 10,000 entries: {seconds:.2f} s, {size / 1e6:.1f} MB of JSON, "
        f"peak Python memory {peak / 1e6:.1f} MB"
    )
    assert seconds < 5
    assert peak < 200e6
