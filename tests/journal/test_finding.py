"""Issue 14, "Finding": previews of what was written, growth by prompt, search, navigation
and words (points 7 to 10), without a browser (test_browser_finding.py walks them)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from journal.kinds import ENTRY, REPAIR
from journal.models import Answer, Entry, RepairNote, RepairStatus, Tag
from journal.search import PAGE_SIZE, parse, snippet
from journal.templatetags.finding import duration
from reflect.models import Prompt, ReflectionTemplate, User

pytestmark = pytest.mark.django_db


def write(user: User, day: date, *, code: str = "C-7Q4", body: str = "", answer: str = "",
          prompt: Prompt | None = None, tags: tuple[str, ...] = ()) -> Entry:  # fmt: skip
    """An entry as the app saves one: its answers, tags and search text in step."""
    template = ReflectionTemplate.objects.filter(slug="after-session").first()
    entry = Entry.objects.create(
        owner=user, session_date=day, client_code=code, body=body, template=template
    )
    if answer and prompt:
        Answer.objects.create(entry=entry, owner=user, prompt=prompt, text=answer)
    for name in tags:
        entry.tags.add(Tag.objects.get_or_create(owner=user, name=name)[0])
    ENTRY.reindex(entry)
    return entry


def a_prompt() -> Prompt:
    return Prompt.objects.filter(owner__isnull=True).order_by("pk").first()  # type: ignore[return-value]


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- 7. Review shows the writing ----------------------------------------------------------


def test_lists_show_the_first_lines_of_template_answers(
    alice_client: Client, alice: User, builtin: None
) -> None:
    write(alice, date(2026, 3, 2), answer="The grandmother's garden came up.", prompt=a_prompt())
    for url in ("/entries/", "/review/", "/review/clients/C-7Q4/"):
        html = alice_client.get(url).content.decode()
        assert "The grandmother&#x27;s garden came up." in html, url


def test_previews_leave_out_the_client_code_and_tags(alice_client: Client, alice: User) -> None:
    write(alice, date(2026, 3, 2), body="We spoke of harvest.", tags=("faith", "family"))
    html = alice_client.get("/entries/").content.decode()
    assert '<p class="small mb-0 mt-1 preview">We spoke of harvest.</p>' in html


@pytest.mark.parametrize(
    "url", ["/entries/", "/review/", "/review/clients/C-7Q4/", "/review/prompts/"]
)
def test_list_queries_are_the_same_for_1_and_200_entries(
    alice_client: Client, alice: User, builtin: None, url: str
) -> None:
    prompt = a_prompt()
    write(alice, date(2026, 1, 1), answer="First answer", prompt=prompt, tags=("t",))
    one = count_queries(alice_client, url)
    for i in range(199):
        write(alice, date(2026, 1, 2) + timedelta(days=i % 300), answer=f"Answer {i}",
              prompt=prompt, tags=("t", f"u{i % 3}"))  # fmt: skip
    assert count_queries(alice_client, url) == one


def test_growth_by_prompt_is_a_dated_paged_list_with_write_about_this(
    alice_client: Client, alice: User, builtin: None
) -> None:
    prompt = a_prompt()
    for i in range(30):
        write(alice, date(2026, 1, 1) + timedelta(days=i), answer=f"Answer {i}", prompt=prompt)
    url = f"/review/prompts/{prompt.pk}/"
    r = alice_client.get(url)
    html = r.content.decode()
    assert len(r.context["answers"]) == PAGE_SIZE
    assert "30 answers" in html
    assert f'href="/entries/new/?prompt={prompt.pk}"' in html
    assert "Write about this" in html
    r = alice_client.get(url, {"page": 2})
    assert [a.text for a in r.context["answers"]] == [f"Answer {i}" for i in range(25, 30)]
    r = alice_client.get(url, {"date_from": "2026-01-10", "date_to": "2026-01-12"})
    assert [a.text for a in r.context["answers"]] == ["Answer 9", "Answer 10", "Answer 11"]
    assert 'value="2026-01-10"' in r.content.decode()
    # Filters kept on the page links.
    r = alice_client.get(url, {"date_from": "2026-01-01"})
    assert "?date_from=2026-01-01&amp;page=2" in r.content.decode()


def test_growth_by_prompt_refuses_hostile_dates(alice_client: Client, builtin: None) -> None:
    prompt = a_prompt()
    r = alice_client.get(f"/review/prompts/{prompt.pk}/", {"date_from": "99999-01-01x"})
    assert r.status_code == 200


def test_a_clients_page_shows_their_open_commitments(alice_client: Client, alice: User) -> None:
    from journal.models import Commitment

    entry = write(alice, date(2026, 3, 2), body="We spoke.")
    Commitment.objects.create(owner=alice, entry=entry, text="Ask about the move next time.")
    html = alice_client.get("/review/clients/C-7Q4/").content.decode()
    assert "Ask about the move next time." in html


# --- 8. Search you can use ------------------------------------------------------------------


def test_results_are_paged_with_the_total_and_keep_the_words_and_sort(
    alice_client: Client, alice: User
) -> None:
    for i in range(30):
        write(alice, date(2026, 1, 1) + timedelta(days=i), body=f"Harvest number {i}.")
    r = alice_client.get("/search/", {"q": "harvest", "sort": "date"})
    html = r.content.decode()
    assert r.context["results"].total == 30
    assert len(r.context["hits"]) == PAGE_SIZE
    assert "30 results." in html
    assert "?q=harvest&amp;sort=date&amp;page=2" in html
    assert r.context["hits"][0].obj.session_date == date(2026, 1, 30)
    r = alice_client.get("/search/", {"q": "harvest", "sort": "date", "page": "2"})
    assert len(r.context["hits"]) == 5
    assert r.context["hits"][-1].obj.session_date == date(2026, 1, 1)


def test_relevance_puts_the_fuller_match_first(alice_client: Client, alice: User) -> None:
    weak = write(alice, date(2026, 2, 1), body="Harvest, once, among many other things said.")
    strong = write(alice, date(2026, 1, 1), body="Harvest harvest harvest: the harvest.")
    hits = alice_client.get("/search/", {"q": "harvest"}).context["hits"]
    assert [h.obj.pk for h in hits] == [strong.pk, weak.pk]
    hits = alice_client.get("/search/", {"q": "harvest", "sort": "date"}).context["hits"]
    assert [h.obj.pk for h in hits] == [weak.pk, strong.pk]


def test_snippets_start_at_a_word_not_at_the_code_or_tags(
    alice_client: Client, alice: User
) -> None:
    long = " ".join(f"word{i}" for i in range(80))
    write(alice, date(2026, 1, 1), body=f"{long} the harvest <b>mattered</b>.",
          tags=("harvest",), code="C-7Q4")  # fmt: skip
    snip = str(alice_client.get("/search/", {"q": "harvest"}).context["hits"][0].snippet)
    assert snip.startswith("… word")
    assert "C-7Q4" not in snip
    assert "<mark>harvest</mark> &lt;b&gt;mattered&lt;/b&gt;" in snip


def test_snippet_marks_word_forms_and_phrases() -> None:
    marked = str(snippet(["Her families were the first in their family to study."],
                         parse('"first in their family" family').words))  # fmt: skip
    assert "<mark>families</mark>" in marked
    assert "<mark>first in their family</mark>" in marked


@pytest.mark.parametrize("query", ['"', "-", "or", "AND OR NOT", "a:b", "*", "NEAR(", "'; --"])
def test_odd_queries_never_fail(alice_client: Client, alice: User, query: str) -> None:
    write(alice, date(2026, 1, 1), body="Harvest.")
    assert (
        alice_client.get("/search/", {"q": query, "page": "x", "sort": "nope"}).status_code == 200
    )


def test_phrases_or_and_exclusions(alice_client: Client, alice: User) -> None:
    a = write(alice, date(2026, 1, 1), body="The harvest festival came up.")
    b = write(alice, date(2026, 1, 2), body="Festival of lights, and the harvest.")
    c = write(alice, date(2026, 1, 3), body="Planting season.")

    def found(q: str) -> set[int]:
        return {h.obj.pk for h in alice_client.get("/search/", {"q": q}).context["hits"]}

    assert found('"harvest festival"') == {a.pk}
    assert found("festival -lights") == {a.pk}
    assert found("planting or lights") == {b.pk, c.pk}


def test_the_index_follows_edits_trash_and_repair_notes(alice_client: Client, alice: User) -> None:
    entry = write(alice, date(2026, 1, 1), body="Harvest.")
    entry.body = "Planting."
    entry.save()
    ENTRY.reindex(entry)

    def found(q: str) -> list[tuple[str, int]]:
        return [(h.kind, h.obj.pk) for h in alice_client.get("/search/", {"q": q}).context["hits"]]

    assert found("harvest") == []
    assert found("planting") == [("entry", entry.pk)]
    ENTRY.trash(entry)
    assert found("planting") == []
    repair = RepairNote.objects.create(owner=alice, my_part="I assumed about the harvest.")
    REPAIR.reindex(repair)
    assert found("harvest") == [("repair", repair.pk)]
    repair.delete()
    assert found("harvest") == []


def test_search_finds_only_my_writing(alice_client: Client, alice: User, bob: User) -> None:
    write(bob, date(2026, 1, 1), body="Harvest.")
    assert alice_client.get("/search/", {"q": "harvest"}).context["hits"] == []


def test_search_queries_are_the_same_for_1_and_60_matches(
    alice_client: Client, alice: User
) -> None:
    write(alice, date(2026, 1, 1), body="Harvest.", tags=("t",))
    one = count_queries(alice_client, "/search/?q=harvest")
    for i in range(59):
        write(alice, date(2026, 1, 2) + timedelta(days=i), body="Harvest.", tags=("t",))
    assert count_queries(alice_client, "/search/?q=harvest") == one


def test_the_full_text_index_keeps_in_step_with_bulk_writes(alice: User) -> None:
    """FTS5 triggers on SQLite, the generated tsvector on PostgreSQL: either way a bulk
    update (as an import writes) changes what search finds."""
    from journal import search

    entry = write(alice, date(2026, 1, 1), body="Harvest.")
    assert [h.obj.pk for h in search.run(alice, "harvest").hits] == [entry.pk]
    Entry.objects.filter(pk=entry.pk).update(search_text="Planting")
    assert search.run(alice, "harvest").hits == []
    assert [h.obj.pk for h in search.run(alice, "planting").hits] == [entry.pk]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM journal_entry_fts WHERE journal_entry_fts MATCH 'planting'"
            )
            assert cursor.fetchall() == [(entry.pk,)]


# --- 9. Navigation ----------------------------------------------------------------------------


def test_navigation_reaches_every_main_page_and_marks_the_current_one(
    alice_client: Client,
) -> None:
    html = alice_client.get("/commitments/").content.decode()
    for name in ("Write", "Entries", "Repairs", "Commitments", "Review", "Search",
                 "Insights", "Export", "Identity map", "Trash", "Backup", "Prompts",
                 "Account", "Sign out"):  # fmt: skip
        assert f">{name}<" in html, name
    assert 'href="/commitments/" aria-current="page">Commitments<' in html
    assert "<summary" in html and ">Menu<" in html


# --- 10. Words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "said"),
    [(0, "0 days"), (1, "1 day"), (6.5, "6 days"), (20, "about 3 weeks"),
     (90, "about 3 months"), (844.5, "about 28 months"), (1500, "about 4 years")],
)  # fmt: skip
def test_durations_are_whole_days_weeks_or_months(days: float, said: str) -> None:
    assert duration(days) == said


def test_insights_never_show_half_days(alice_client: Client, alice: User) -> None:
    from journal.models import RepairStatusChange

    for moment, repaired in ((100, 0), (1600, 11)):  # 100 and 1,589 days: 844.5
        repair = RepairNote.objects.create(
            owner=alice,
            moment_date=timezone.localdate() - timedelta(days=moment),
            status=RepairStatus.REPAIRED,
        )
        change = RepairStatusChange.objects.create(repair=repair, new_status="repaired")
        RepairStatusChange.objects.filter(pk=change.pk).update(
            changed_at=timezone.now() - timedelta(days=repaired)
        )
    html = alice_client.get("/insights/").content.decode()
    assert ".5 day" not in html
    assert "about 28 months at the median" in html


def test_the_repair_list_separates_overdue_from_due_this_week(
    alice_client: Client, alice: User
) -> None:
    today = timezone.localdate()
    RepairNote.objects.create(owner=alice, revisit_date=today - timedelta(days=800))
    RepairNote.objects.create(owner=alice, revisit_date=today + timedelta(days=3))
    html = alice_client.get("/repairs/").content.decode()
    assert "1 overdue" in html
    assert "1 due this week" in html
    assert html.index(">Overdue</h2>") < html.index(">Due this week</h2>")


def test_the_time_zone_field_offers_common_zones_first(alice_client: Client) -> None:
    html = alice_client.get("/accounts/profile/").content.decode()
    common = html.index('<optgroup label="Common time zones">')
    every = html.index('<optgroup label="All time zones">')
    assert common < html.index('value="Europe/London"') < every
    assert html.index('value="Pacific/Chatham"') > every


def test_the_capital_i_in_labels_and_headings(alice_client: Client, alice: User) -> None:
    write(alice, date(2026, 1, 1), body="Harvest.")
    for url in ("/review/", "/insights/", "/review/prompts/"):
        html = alice_client.get(url).content.decode()
        assert "how i " not in html and "what i " not in html and "prompts i " not in html, url


def test_a_word_in_very_many_entries_says_only_the_newest_are_searched(
    alice_client: Client, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    import journal.search

    monkeypatch.setattr(journal.search, "MATCH_CAP", 5)
    for i in range(8):
        write(alice, date(2026, 1, 1) + timedelta(days=i), body="Harvest.")
    r = alice_client.get("/search/", {"q": "harvest", "sort": "date"})
    assert r.context["results"].capped
    assert [h.obj.session_date.day for h in r.context["hits"]] == [8, 7, 6, 5, 4]
    assert "the newest of them are searched" in r.content.decode()
