"""Writing, as a clinician lives it: from any prompt, a free write, one kind of repair note,
a draft that stays a draft, no empty entries, and commitments that come back."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from journal.models import Answer, Commitment, Entry, RepairNote, RepairStatusChange
from reflect.models import Prompt, ReflectionTemplate, User
from tests.conftest import entry_data, repair_data

pytestmark = pytest.mark.django_db


# --- Write from any prompt ------------------------------------------------------------


def test_a_built_in_prompt_opens_an_entry_that_answers_it(
    alice_client: Client, alice: User, builtin: None
) -> None:
    prompt = Prompt.objects.builtin().get(slug="unchecked-assumption")
    r = alice_client.get(f"/entries/new/?prompt={prompt.pk}")
    assert r.status_code == 200
    body = r.content.decode()
    assert prompt.text in body
    assert f'name="answer_{prompt.pk}"' in body
    assert f'name="with_prompt" value="{prompt.pk}"' in body

    data = entry_data(**{f"answer_{prompt.pk}": "That the family decides together."})
    data.update(with_prompt=str(prompt.pk), template_slug="", body="")
    r = alice_client.post("/entries/new/?template=", data)
    assert r.status_code == 302
    entry = Entry.objects.get()
    assert entry.template is None
    answer = entry.answers.get()
    assert (answer.prompt, answer.text) == (prompt, "That the family decides together.")
    # Opened again, the answer is shown with its prompt, first.
    r = alice_client.get(f"/entries/{entry.pk}/edit/")
    assert "That the family decides together." in r.content.decode()


def test_my_own_prompt_can_be_written_about_but_not_another_clinicians(
    alice_client: Client, alice: User, bob: User
) -> None:
    mine = Prompt.objects.create(owner=alice, text="What did I miss today?", category="comfort")
    theirs = Prompt.objects.create(owner=bob, text="Bob's own question?", category="comfort")
    assert alice_client.get(f"/entries/new/?prompt={mine.pk}").status_code == 200
    assert alice_client.get(f"/entries/new/?prompt={theirs.pk}").status_code == 404
    data = entry_data(**{f"answer_{theirs.pk}": "x"}, with_prompt=str(theirs.pk))
    assert alice_client.post("/entries/autosave/", data).status_code == 404
    assert alice_client.post("/entries/new/?template=", data).status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.parametrize("value", ["0", "-1", "abc", "99999999999999999999999"])
def test_a_prompt_that_is_not_a_prompt_is_404(alice_client: Client, value: str) -> None:
    assert alice_client.get(f"/entries/new/?prompt={value}").status_code == 404


def test_write_about_this_is_offered_on_every_prompt(
    alice_client: Client, alice: User, builtin: None
) -> None:
    mine = Prompt.objects.create(owner=alice, text="What did I miss today?", category="comfort")
    library = alice_client.get("/prompts/").content.decode()
    assert f'href="/entries/new/?prompt={mine.pk}"' in library
    some = Prompt.objects.builtin().filter(is_active=True).first()
    assert some is not None
    assert f'href="/entries/new/?prompt={some.pk}"' in library
    assert (
        library.count("Write about this")
        == Prompt.objects.available_to(alice).filter(is_active=True).count()
    )
    home = alice_client.get("/").content.decode()
    assert "Write about this" in home
    assert 'href="/entries/new/?template="' in home  # the free write, one click away


def test_the_free_write_is_one_box_with_the_rest_folded(alice_client: Client) -> None:
    page = alice_client.get("/entries/new/?template=").content.decode()
    body = page[
        page.index('id="entry-form"') : page.index("</form>", page.index('id="entry-form"'))
    ]
    assert body.count("<textarea") == 1
    assert body.count("<details") == 3
    assert '<details class="panel mb-3 fold" open' not in body
    assert "Client code and session" in body


def test_the_free_write_offers_todays_prompt_as_on_home(
    alice_client: Client, alice: User, builtin: None
) -> None:
    from django.utils import timezone as tz

    from journal.views.home import daily_prompt

    today = daily_prompt(alice, tz.localdate())
    assert today is not None
    body = alice_client.get("/entries/new/?template=").content.decode()
    assert f'href="/entries/new/?prompt={today.pk}"' in body
    home = alice_client.get("/").content.decode()
    assert f'href="/entries/new/?prompt={today.pk}"' in home


# --- One kind of repair note ----------------------------------------------------------


def test_choosing_the_repair_note_template_opens_a_real_repair_note(
    alice_client: Client, builtin: None
) -> None:
    choose = alice_client.get("/entries/new/").content.decode()
    assert "?template=repair-note" not in choose
    assert 'href="/repairs/new/"' in choose
    r = alice_client.get("/entries/new/?template=repair-note")
    assert (r.status_code, r["Location"]) == (302, "/repairs/new/")


def test_entries_written_with_the_repair_template_before_stay_entries(
    alice_client: Client, alice: User, builtin: None
) -> None:
    template = ReflectionTemplate.objects.get(slug="repair-note")
    entry = Entry.objects.create(owner=alice, template=template, body="Old words")
    assert alice_client.get(f"/entries/{entry.pk}/edit/").status_code == 200
    assert not RepairNote.objects.exists()


# --- A draft stays a draft; nothing empty is kept --------------------------------------


def test_a_new_entry_starts_as_a_draft_with_a_mark_complete_control(
    alice_client: Client, builtin: None
) -> None:
    body = alice_client.get("/entries/new/?template=after-session").content.decode()
    assert "Mark complete" in body
    assert 'name="status"' in body and "checked" not in body.split('name="status"')[1][:80]


def test_save_keeps_a_draft_unless_mark_complete_is_ticked(alice_client: Client) -> None:
    data = entry_data(body="Words")
    del data["status"]  # an unticked box sends nothing
    assert alice_client.post("/entries/new/?template=", data).status_code == 302
    assert Entry.objects.get().status == "draft"
    entry = Entry.objects.get()
    data = entry_data(body="Words", status="on", version=entry.version)
    assert alice_client.post(f"/entries/{entry.pk}/edit/", data).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "complete"


def test_autosave_of_a_new_entry_with_only_a_client_code_keeps_nothing(
    alice_client: Client,
) -> None:
    data = entry_data(body="", feelings="", tags="")
    r = alice_client.post("/entries/autosave/", data)
    assert r.status_code == 200
    assert r.json() == {"saved": False, "empty": True}
    assert not Entry.objects.exists()


def test_saving_an_empty_new_entry_says_write_something_and_keeps_what_was_typed(
    alice_client: Client,
) -> None:
    data = entry_data(body="", feelings="", tags="", client_code="C-9K4")
    r = alice_client.post("/entries/new/?template=", data)
    assert r.status_code == 400
    body = r.content.decode()
    assert "Write something before saving." in body
    assert 'value="C-9K4"' in body
    assert not Entry.objects.exists()


def test_an_empty_new_repair_note_is_not_kept_either(alice_client: Client) -> None:
    data = repair_data(my_part="", reactions="", commit_text="")
    assert alice_client.post("/repairs/autosave/", data).json() == {"saved": False, "empty": True}
    r = alice_client.post("/repairs/new/", data)
    assert r.status_code == 400
    assert "Write something before saving." in r.content.decode()
    assert not RepairNote.objects.exists()


def test_the_after_session_headings_are_shown_once(alice_client: Client, builtin: None) -> None:
    body = alice_client.get("/entries/new/?template=after-session").content.decode()
    for heading in ("So what?", "Now what?"):
        assert body.count(heading) == 2, heading  # its legend, and "More questions on …"
    assert "Why does that moment matter, for the client and for me?" in body


# --- Commitments come back --------------------------------------------------------------


@pytest.fixture
def commitments(alice: User, bob: User) -> dict[str, Commitment]:
    entry = Entry.objects.create(owner=alice, client_code="C-7Q4", body="x")
    repair = RepairNote.objects.create(owner=alice, client_code="C-7Q4", my_part="y")
    other = Entry.objects.create(owner=alice, client_code="C-3K9", body="z")
    gone = Entry.objects.create(owner=alice, client_code="C-7Q4", deleted_at=timezone.now())
    bobs = Entry.objects.create(owner=bob, client_code="C-7Q4", body="b")
    return {
        "open": Commitment.objects.create(owner=alice, entry=entry, text="Ask about faith"),
        "repair": Commitment.objects.create(owner=alice, repair=repair, text="Name my mistake"),
        "done": Commitment.objects.create(
            owner=alice, entry=entry, text="Done already", done_at=timezone.now()
        ),
        "other": Commitment.objects.create(owner=alice, entry=other, text="Another client"),
        "trashed": Commitment.objects.create(owner=alice, entry=gone, text="In the trash"),
        "bobs": Commitment.objects.create(owner=bob, entry=bobs, text="Bob promised this"),
    }


def test_open_for_client_is_mine_open_alive_and_that_clients(
    alice: User, commitments: dict[str, Commitment]
) -> None:
    got = set(Commitment.objects.open_for_client(alice, " c-7q4 "))
    assert got == {commitments["open"], commitments["repair"]}
    assert not Commitment.objects.open_for_client(alice, "").exists()


def test_the_fragment_shows_a_clients_open_commitments(
    alice_client: Client, commitments: dict[str, Commitment]
) -> None:
    r = alice_client.get("/commitments/?client=C-7Q4", headers={"X-Requested-With": "fetch"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Ask about faith" in body and "Name my mistake" in body
    for other in ("Done already", "Another client", "In the trash", "Bob promised this"):
        assert other not in body
    assert "<html" not in body  # a fragment, not a page
    empty = alice_client.get("/commitments/?client=C-4X4", headers={"X-Requested-With": "x"})
    assert empty.content.decode().strip() == ""


def test_another_clinician_sees_none_of_my_commitments(
    bob_client: Client, commitments: dict[str, Commitment]
) -> None:
    r = bob_client.get("/commitments/?client=C-7Q4", headers={"X-Requested-With": "fetch"})
    assert "Ask about faith" not in r.content.decode()
    assert "Bob promised this" in r.content.decode()


def test_anonymous_visitors_get_no_fragment(client: Client) -> None:
    r = client.get("/commitments/?client=C-7Q4", headers={"X-Requested-With": "fetch"})
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_the_fragment_takes_the_same_queries_for_one_or_many(
    alice_client: Client, alice: User, django_assert_max_num_queries: object
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            alice_client.get("/commitments/?client=C-7Q4", headers={"X-Requested-With": "f"})
        return len(ctx.captured_queries)

    entry = Entry.objects.create(owner=alice, client_code="C-7Q4", body="x")
    Commitment.objects.create(owner=alice, entry=entry, text="One")
    one = count()
    for i in range(15):
        repair = RepairNote.objects.create(owner=alice, client_code="C-7Q4", my_part="y")
        Commitment.objects.create(owner=alice, repair=repair, text=f"Many {i}")
    assert count() == one


def test_the_new_entry_and_repair_forms_have_a_place_for_commitments(
    alice_client: Client, builtin: None
) -> None:
    for url in ("/entries/new/?template=after-session", "/repairs/new/"):
        body = alice_client.get(url).content.decode()
        assert 'id="open-commitments"' in body and 'data-url="/commitments/"' in body


# --- The demo looks like practice -------------------------------------------------------


def test_seed_demo_seeds_commitments_and_dates_repairs_after_the_moment() -> None:
    call_command("seed_demo", "--email", "demo@example.org", "--entries", "200", "--seed", "2",
                 stdout=StringIO())  # fmt: skip
    user = User.objects.get(email="demo@example.org")
    mine = Commitment.objects.for_user(user)
    assert mine.filter(done_at__isnull=True).exists()
    assert mine.filter(done_at__isnull=False).exists()
    assert mine.filter(entry__isnull=False).exists() and mine.filter(repair__isnull=False).exists()
    today = date.today()
    moves = RepairStatusChange.objects.filter(repair__owner=user).exclude(old_status="")
    assert moves.exists()
    for move in moves.select_related("repair", "follow_up"):
        moment = move.repair.moment_date
        assert move.follow_up is not None and move.follow_up.date == move.changed_at.date()
        assert moment <= move.changed_at.date() <= today
        if moment < today - timedelta(days=42):
            assert move.changed_at.date() > moment
            assert move.changed_at.date() < today
    for repair in RepairNote.objects.for_user(user):
        assert repair.revisit_date is not None and repair.revisit_date > repair.moment_date
    # Repair notes are their own kind: no entry is made from the old "Repair note" template.
    assert not Entry.objects.for_user(user).filter(template__kind="repair").exists()
