"""Page speed at 10,000 entries, on PostgreSQL and on SQLite (`make bench` runs both).

Seeds 10,000 entries for one clinician, and other clinicians beside them (99 with 910
entries each on PostgreSQL, about 100,000 entries in all; 20 on SQLite, where seeding is
slower), then times every main page through the Django test client, middleware and all.

The baseline is a bare page: ``/entries/``, login required, listing 25 entries. Each
page's median must be within 3 times the baseline's median measured in the same run, and a
search for the clinician's commonest word must answer within 50 ms at the 95th
percentile. Query counts must not grow with the number of entries.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from journal.demo import seed_demo
from reflect.models import User
from reflect.services import builtin_content_load
from tests.benchmarks.conftest import measure, report

BASELINE = "/entries/"
WITHIN = 3.0
SEARCH_P95_MS = 50.0
# Words too common to search for (PostgreSQL's English stop words leave them out).
STOP_WORDS = (
    "a about after again all am an and any are as at be been before being but by can did do "
    "does doing down during each few for from further had has have having he her here hers "
    "him his how i if in into is it its just me more most my no nor not now of off on once "
    "only or other our out over own same she should so some such than that the their them "
    "then there these they this those through to too under until up very was we were what "
    "when where which while who whom why will with would you your"
)
STOP = frozenset(STOP_WORDS.split())


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        builtin_content_load()
        seed_demo(email="main@example.org", entries=10_000, seed=1)
        others = 99 if connection.vendor == "postgresql" else 20
        for i in range(others):
            seed_demo(email=f"other{i}@example.org", entries=910, seed=100 + i)
        seed_demo(email="small@example.org", entries=100, seed=2)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        main = User.objects.get(email="main@example.org")
        return {"main": main, "small": User.objects.get(email="small@example.org")}


def commonest_word(user: User) -> str:
    """The word the clinician wrote in the most entries (stop words aside)."""
    from journal.models import Entry

    counts: Counter[str] = Counter()
    texts = Entry.objects.for_user(user).defer(None).values_list("search_text", flat=True)
    for text in texts:
        counts.update({w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in STOP})
    return counts.most_common(1)[0][0]


def pages(user: User, word: str) -> dict[str, str]:
    from journal.models import Answer, Entry

    prompt_id = (
        Answer.objects.filter(owner=user).values_list("prompt_id", flat=True).order_by().first()
    )
    code = (
        Entry.objects.for_user(user)
        .exclude(client_code="")
        .values_list("client_code", flat=True)[0]
    )
    return {
        "home": "/",
        "entries page 2": "/entries/?page=2",
        "repairs": "/repairs/",
        "commitments": "/commitments/",
        "review": "/review/",
        "review filtered": "/review/?cultural_moment=yes&domain=religion&page=2",
        "growth by prompt": "/review/prompts/",
        "growth: one prompt": f"/review/prompts/{prompt_id}/",
        "by client": "/review/clients/",
        "one client": f"/review/clients/{code}/",
        f"search '{word}'": f"/search/?q={word}",
        f"search '{word}' by date": f"/search/?q={word}&sort=date",
        "search, two words": "/search/?q=faith+family",
        "insights": "/insights/",
        "export": "/export/",
    }


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.get(BASELINE)  # the first request after login writes the session
    return client


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_every_page_within_three_times_a_bare_list(seeded: dict[str, Any]) -> None:
    from journal.models import Entry
    from journal.search import run

    main_user, small_user = seeded["main"], seeded["small"]
    main, small = client_for(main_user), client_for(small_user)
    vendor = connection.vendor
    word = commonest_word(main_user)
    print(
        f"\n[bench] {vendor}: {Entry.objects.count()} entries in the database, "
        f"{Entry.objects.for_user(main_user).count()} for the measured clinician; "
        f"commonest word {word!r}"
    )
    failures = []
    baseline = measure(lambda: main.get(BASELINE), runs=40)
    report(f"{vendor} {BASELINE} (baseline, 25 entries)", baseline)
    small_pages = pages(small_user, word)
    for name, url in pages(main_user, word).items():
        figures = measure(lambda url=url: main.get(url), runs=30)
        ratio = figures["median_ms"] / baseline["median_ms"]
        report(f"{vendor} {name} ({url})", {**figures, "x_baseline": ratio})
        if ratio > WITHIN:
            failures.append(f"{vendor} {name}: median {ratio:.1f} times the baseline")
        searching = name.startswith("search '") and "by date" not in name
        if searching and figures["p95_ms"] > SEARCH_P95_MS:
            failures.append(f"{vendor} {name}: p95 {figures['p95_ms']:.1f} ms > 50 ms")
        many, few = queries(main, url), queries(small, small_pages[name])
        if many > few:  # a page may need one query less (no repair notes on it)
            failures.append(f"{vendor} {name}: {many} queries at 10,000 entries, {few} at 100")
    # The search itself, without the page around it.
    for sort in ("relevance", "date"):
        figures = measure(lambda sort=sort: run(main_user, word, sort=sort), runs=50)
        report(f"{vendor} search function {word!r} by {sort}", figures)
        if figures["p95_ms"] > SEARCH_P95_MS:
            failures.append(f"{vendor} search {word!r} by {sort}: p95 {figures['p95_ms']:.1f} ms")
    print("\n[bench] " + ("\n[bench] ".join(failures) if failures else "every target met"))
    assert failures == []
