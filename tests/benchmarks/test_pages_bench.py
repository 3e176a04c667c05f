"""Page speed at scale, on PostgreSQL (`make bench`).

Seeds 10,000 entries for one clinician and about 100,000 across 100 clinicians,
then times the main pages through the Django test client beside a trivial view.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from journal.demo import seed_demo
from reflect.models import User
from reflect.services import builtin_content_load
from tests.benchmarks.conftest import measure, report

PAGES = {
    "/healthz (baseline)": "/healthz",
    "/entries/": "/entries/",
    "/review/ filtered": "/review/?cultural_moment=yes&domain=religion&page=2",
    "/search/": "/search/?q=faith+family",
    "/insights/": "/insights/",
}
TARGETS_P95_MS = {"/search/": 50, "/insights/": 150}


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> dict[str, User]:
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.fail("the page benchmark runs on PostgreSQL: set DATABASE_URL", pytrace=False)
        builtin_content_load()
        seed_demo(email="main@example.org", entries=10_000, seed=1)
        for i in range(99):
            seed_demo(email=f"other{i}@example.org", entries=910, seed=100 + i)
        seed_demo(email="small@example.org", entries=100, seed=2)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return {
            "main": User.objects.get(email="main@example.org"),
            "small": User.objects.get(email="small@example.org"),
        }


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_pages_at_ten_thousand_entries(seeded: dict[str, User]) -> None:
    from journal.models import Entry

    main, small = client_for(seeded["main"]), client_for(seeded["small"])
    print(
        f"\n[bench] entries in the database: {Entry.objects.count()}, "
        f"for the measured clinician: {Entry.objects.for_user(seeded['main']).count()}"
    )
    failures = []
    for name, url in PAGES.items():
        figures = measure(lambda url=url: main.get(url), runs=40)
        report(name, figures)
        if name in TARGETS_P95_MS and figures["p95_ms"] > TARGETS_P95_MS[name]:
            failures.append(f"{name} p95 {figures['p95_ms']:.1f} ms > {TARGETS_P95_MS[name]} ms")
        many, few = queries(main, url), queries(small, url)
        print(f"[bench] {name}: {many} queries at 10,000 entries, {few} at 100")
        if many != few:
            failures.append(f"{name}: {many} queries at 10,000 entries but {few} at 100")
    assert failures == []
