"""Export speed: a 50-entry PDF under 3 s; a 10,000-entry backup under 5 s in under 200 MB;
its import under 30 s."""

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


@pytest.mark.django_db
def test_ten_thousand_entry_import(clinician: User) -> None:
    """Importing a 10,000-entry backup: under 30 s, under 200 MB above the baseline."""
    import resource

    from journal.backup import backup_restore

    raw = "".join(backup_stream(clinician)).encode()
    newcomer = User.objects.create_user("import-bench@example.org", "x" * 12)
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    added = backup_restore(user=newcomer, raw=raw)
    seconds = time.perf_counter() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_kb) / 1024
    print(
        f"\n[bench] import of 10,000 entries ({len(raw) / 1e6:.1f} MB): {seconds:.1f} s, "
        f"peak memory +{grown_mb:.0f} MB"
    )
    assert added["entries"] == 10_000
    assert seconds < 30
    assert grown_mb < 200
    start = time.perf_counter()
    assert sum(backup_restore(user=newcomer, raw=raw).values()) == 0
    print(f"[bench] the same file again: {time.perf_counter() - start:.1f} s, 0 added")
