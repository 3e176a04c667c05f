from __future__ import annotations

import pytest
from django.test import Client

from journal.models import Entry, EntryRevision
from tests.conftest import entry_data

pytestmark = pytest.mark.django_db


def edit(client: Client, entry: Entry, **changes: object):  # type: ignore[no-untyped-def]
    entry.refresh_from_db()
    return client.post(f"/entries/{entry.pk}/edit/", entry_data(version=entry.version, **changes))


def test_each_save_keeps_the_previous_version(alice_client: Client, alices_entry: Entry) -> None:
    assert edit(alice_client, alices_entry, body="Second words").status_code == 302
    assert edit(alice_client, alices_entry, body="Third words").status_code == 302
    alices_entry.refresh_from_db()
    assert alices_entry.body == "Third words"
    assert alices_entry.version == 3
    kept = list(EntryRevision.objects.order_by("version").values_list("version", "snapshot__body"))
    assert kept == [(1, "The first words."), (2, "Second words")]


def test_history_shows_what_changed(alice_client: Client, alices_entry: Entry) -> None:
    edit(alice_client, alices_entry, body="The first honest words.", feelings="uneasy")
    r = alice_client.get(f"/entries/{alices_entry.pk}/history/")
    html = r.content.decode()
    assert "Version 1" in html
    assert '<ins><span class="visually-hidden">added: </span>honest </ins>' in html
    assert "uneasy" in html


def test_restore_brings_back_an_old_version_as_a_new_one(
    alice_client: Client, alices_entry: Entry
) -> None:
    edit(alice_client, alices_entry, body="Second words", tags="later")
    first = EntryRevision.objects.get(version=1)
    r = alice_client.post(f"/entries/{alices_entry.pk}/history/{first.pk}/restore/")
    assert r.status_code == 302
    alices_entry.refresh_from_db()
    assert alices_entry.body == "The first words."
    assert alices_entry.version == 3
    assert list(alices_entry.tags.values_list("name", flat=True)) == []
    # The version that was replaced is kept too.
    assert EntryRevision.objects.filter(version=2, snapshot__body="Second words").exists()


def test_a_revision_of_another_entry_is_not_found(alice_client: Client, alice, alices_entry):  # type: ignore[no-untyped-def]
    other = Entry.objects.create(owner=alice, body="Other")
    rev = EntryRevision.objects.create(entry=other, version=1, snapshot={"answers": []})
    r = alice_client.post(f"/entries/{alices_entry.pk}/history/{rev.pk}/restore/")
    assert r.status_code == 404


def test_a_stale_form_gets_the_conflict_page_not_an_overwrite(
    alice_client: Client, alices_entry: Entry
) -> None:
    tab_a = entry_data(version=1, body="Written in tab A")
    tab_b = entry_data(version=1, body="Written in tab B")
    assert alice_client.post(f"/entries/{alices_entry.pk}/edit/", tab_a).status_code == 302
    r = alice_client.post(f"/entries/{alices_entry.pk}/edit/", tab_b)
    assert r.status_code == 409
    html = r.content.decode()
    assert "This entry changed while you were writing" in html
    assert "Written in tab A" in html  # the saved version
    assert "Written in tab B" in html  # and theirs, still in the form
    alices_entry.refresh_from_db()
    assert alices_entry.body == "Written in tab A"

    # "Save mine" posts the form the conflict page rendered, with the new version.
    form = r.context["form"]
    resolved = {
        **tab_b,
        "version": form["version"].value(),
        "edit_session": form["edit_session"].value(),
    }
    assert alice_client.post(f"/entries/{alices_entry.pk}/edit/", resolved).status_code == 302
    alices_entry.refresh_from_db()
    assert alices_entry.body == "Written in tab B"
    assert EntryRevision.objects.filter(snapshot__body="Written in tab A").exists()
