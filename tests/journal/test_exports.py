from __future__ import annotations

import io
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from journal import exports
from journal.models import Entry, ExportRecord, Packet, RepairNote
from reflect.models import User

pytestmark = pytest.mark.django_db

SCRIPTS = "Ελληνικά Русский العربية עברית 中文 café"


@pytest.fixture
def packet(alice: User) -> Packet:
    entry = Entry.objects.create(
        owner=alice, client_code="C-7Q4", session_date=date(2026, 3, 14),
        body=f"We spoke with C-7Q4 about home. {SCRIPTS}", cultural_moment="yes",
    )  # fmt: skip
    repair = RepairNote.objects.create(
        owner=alice, client_code="C-9K3", moment_date=date(2026, 3, 20),
        my_part="I assumed about family.",
    )  # fmt: skip
    # Masking and pseudonyms are on by default; these tests are about other things.
    p = Packet.objects.create(
        owner=alice, title="March supervision", focal_moments="The silence.",
        mask_identifiers=False, pseudonymise_codes=False,
    )  # fmt: skip
    p.entries.add(entry)
    p.repairs.add(repair)
    return p


def test_nothing_is_included_by_default(alice_client: Client, alice: User) -> None:
    Entry.objects.create(owner=alice, body="x")
    r = alice_client.get("/export/")
    assert r.status_code == 200
    assert "checked" not in r.content.decode().split('name="entries"')[1].split(">")[0]
    r = alice_client.post("/export/", {"title": "Empty"})
    packet = Packet.objects.get()
    assert r["Location"] == f"/export/packets/{packet.pk}/"
    assert packet.entries.count() == 0


def test_ticked_items_and_the_filtered_set_go_in(alice_client: Client, alice: User) -> None:
    a = Entry.objects.create(owner=alice, client_code="C-7Q4")
    b = Entry.objects.create(owner=alice, client_code="C-9K3")
    alice_client.post("/export/", {"title": "One", "entries": [a.pk]})
    assert list(Packet.objects.get(title="One").entries.all()) == [a]
    alice_client.post("/export/?client_code=C-9K3", {"title": "Filtered", "all_filtered": "on"})
    assert list(Packet.objects.get(title="Filtered").entries.all()) == [b]


def test_another_clinicians_entry_cannot_be_ticked(alice_client: Client, bob: User) -> None:
    theirs = Entry.objects.create(owner=bob)
    r = alice_client.post("/export/", {"title": "Sneaky", "entries": [theirs.pk]})
    assert r.status_code == 400
    assert r.context["form"].errors["entries"]
    assert not Packet.objects.exists()


def test_preview_shows_what_leaves_and_what_looks_identifying(
    alice_client: Client, packet: Packet
) -> None:
    entry = packet.entries.get()
    entry.body = "Maria Gonzalez came with C-7Q4."
    entry.save()
    r = alice_client.get(f"/export/packets/{packet.pk}/")
    html = r.content.decode()
    assert "The silence." in html
    assert "I assumed about family." in html
    assert "<mark>Maria Gonzalez</mark>" in html
    assert f'href="/entries/{entry.pk}/edit/"' in html


def test_dates_and_codes_can_be_softened(packet: Packet) -> None:
    packet.month_year_dates = True
    packet.pseudonymise_codes = True
    text = exports.render_markdown_text(exports.build_document(packet))
    assert "C-7Q4" not in text and "C-9K3" not in text
    assert "We spoke with Client A about home." in text
    assert "Client: Client B" in text
    assert "March 2026" in text
    assert "14 March" not in text


def download(client: Client, packet: Packet, fmt: str):  # type: ignore[no-untyped-def]
    r = client.post(f"/export/packets/{packet.pk}/export/", {"format": fmt})
    assert r.status_code == 302
    record = ExportRecord.objects.latest("pk")
    assert r["Location"] == f"/export/files/{record.pk}/"
    assert record.status == "done", record.error
    r = client.get(f"/export/files/{record.pk}/download/")
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]
    assert r["Content-Disposition"].startswith("attachment;")
    assert (
        f'filename="march-supervision-{timezone.localdate():%Y-%m-%d}.' in r["Content-Disposition"]
    )
    return r


def test_pdf_keeps_every_script_as_text(alice_client: Client, packet: Packet) -> None:
    from pypdf import PdfReader

    r = download(alice_client, packet, "pdf")
    assert r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for word in [
        "Ελληνικά",
        "Русский",
        "café",
        "March supervision",
        "not part of the clinical record",
    ]:
        assert word in text, word
    assert "中文" in text, "no CJK font? apt-get install fonts-wqy-microhei (.ci/run does)"
    # Right-to-left scripts come back as text too (extraction may reverse their order).
    assert "العربية" in text or "ةيبرعلا" in text
    assert "עברית" in text or "תירבע" in text
    assert len(reader.pages) >= 3  # cover, contents, items


def test_docx_markdown_and_html(alice_client: Client, packet: Packet) -> None:
    from docx import Document as Word

    word = Word(io.BytesIO(download(alice_client, packet, "docx").content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "March supervision" in text and "I assumed about family." in text
    assert "not part of the clinical record" in word.sections[0].footer.paragraphs[0].text
    md = download(alice_client, packet, "md").content.decode()
    assert md.startswith("# March supervision")
    html = download(alice_client, packet, "html").content.decode()
    assert "<style>" in html and "March supervision" in html  # stands on its own
    assert ExportRecord.objects.count() == 3
    listing = alice_client.get("/export/packets/").content.decode()
    assert listing.count("March supervision (2 items)") == 3


HOSTILE = '<script>alert(1)</script> <img src="file:///etc/passwd"> [x](javascript:alert(1))'


def test_hostile_markdown_stays_inert_everywhere(alice_client: Client, packet: Packet) -> None:
    from docx import Document as Word
    from pypdf import PdfReader

    entry = packet.entries.get()
    entry.body = HOSTILE
    entry.save()
    doc = exports.build_document(packet)
    html = exports.render_html(doc)
    assert "<script>" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text
    pdf = PdfReader(io.BytesIO(exports.render_pdf(doc)))
    assert "root:" not in " ".join(p.extract_text() for p in pdf.pages)
    word = Word(io.BytesIO(exports.render_docx(doc)))
    assert any("<script>alert(1)</script>" in p.text for p in word.paragraphs)  # as plain text


def test_the_pdf_fetcher_refuses_everything_but_our_static_files() -> None:
    fetcher = exports.static_only_fetcher()
    for url in [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/x.css",
        "data:text/css,body{}",
        exports.STATIC_BASE + "../../etc/passwd",
    ]:
        with pytest.raises(exports.RefusedURL):
            fetcher.fetch(url)
    ok = fetcher.fetch(exports.STATIC_BASE + "css/print.css")
    assert b"@page" in ok.read()


def test_a_pdf_that_takes_too_long_is_stopped(packet: Packet) -> None:
    with pytest.raises(exports.RenderError, match="took too long"):
        exports.render_pdf(exports.build_document(packet), seconds=0)


@pytest.mark.django_db(transaction=True)
def test_every_export_runs_on_the_worker(settings, alice_client: Client, alice: User) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    entries = Entry.objects.bulk_create(Entry(owner=alice, body=f"e{i}") for i in range(45))
    packet = Packet.objects.create(owner=alice, title="Big")
    packet.entries.set(entries)
    r = alice_client.post(f"/export/packets/{packet.pk}/export/", {"format": "pdf"})
    record = ExportRecord.objects.get()
    assert record.status == "queued"  # the request returns at once
    assert "Waiting" in alice_client.get(r["Location"]).content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    record.refresh_from_db()
    assert record.status == "done", record.error
    assert record.items == 45
    assert bytes(record.content).startswith(b"%PDF")


def test_the_progress_page_refreshes_while_waiting(alice_client: Client, alice: User) -> None:
    record = ExportRecord.objects.create(
        owner=alice, format="pdf", description="x", status="running", progress=40
    )
    html = alice_client.get(f"/export/files/{record.pk}/").content.decode()
    assert '<progress id="export-progress" class="export-progress" max="100" value="40">' in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert alice_client.get(f"/export/files/{record.pk}/download/").status_code == 302


def test_purge_exports_drops_old_files_but_keeps_the_record(alice: User) -> None:
    old = ExportRecord.objects.create(
        owner=alice, format="md", description="old", status="done", content=b"x",
        expires_at=timezone.now() - timedelta(minutes=1),
    )  # fmt: skip
    fresh = ExportRecord.objects.create(
        owner=alice, format="md", description="new", status="done", content=b"y",
        expires_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    out = StringIO()
    call_command("purge_exports", stdout=out)
    assert "Removed 1 expired export file(s)." in out.getvalue()
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.content, old.status) == (None, "expired")
    assert bytes(fresh.content) == b"y"


def test_everything_is_the_owners_alone(
    alice_client: Client, bob_client: Client, alice: User, packet: Packet
) -> None:
    alice_client.post(f"/export/packets/{packet.pk}/export/", {"format": "md"})
    record = ExportRecord.objects.get()
    for url in [
        f"/export/packets/{packet.pk}/",
        f"/export/packets/{packet.pk}/edit/",
        f"/export/packets/{packet.pk}/print/",
        f"/export/files/{record.pk}/",
        f"/export/files/{record.pk}/download/",
    ]:
        assert bob_client.get(url).status_code == 404, url
        r = Client().get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/"), url
    assert (
        bob_client.post(f"/export/packets/{packet.pk}/export/", {"format": "md"}).status_code == 404
    )
    assert ExportRecord.objects.count() == 1
    assert "March supervision" not in bob_client.get("/export/packets/").content.decode()


def test_export_posts_need_csrf_and_refuse_get(alice: User, packet: Packet) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(f"/export/packets/{packet.pk}/export/", {"format": "md"}).status_code == 403
    assert strict.post("/export/backup/").status_code == 403
    assert strict.post("/export/", {"title": "x"}).status_code == 403
    loose = Client()
    loose.force_login(alice)
    assert loose.get(f"/export/packets/{packet.pk}/export/").status_code == 405
    assert loose.get("/export/backup/").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_makes_the_file(settings, alice: User) -> None:  # type: ignore[no-untyped-def]
    from journal.tasks import export_start

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    entries = Entry.objects.bulk_create(Entry(owner=alice, body=f"e{i}") for i in range(45))
    packet = Packet.objects.create(owner=alice, title="Queued")
    packet.entries.set(entries)
    record = export_start(packet=packet, fmt="md")
    record.refresh_from_db()
    assert record.status == "queued"
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    record.refresh_from_db()
    assert record.status == "done"
    assert bytes(record.content).startswith(b"# Queued")


def test_every_packet_operation_works_on_a_packet_with_items(
    alice_client: Client, alice: User, packet: Packet
) -> None:
    """Edit used to answer 500 for any packet with items (a union of unlike querysets)."""
    r = alice_client.get(f"/export/packets/{packet.pk}/edit/")
    assert r.status_code == 200
    assert r.context["total"] == (1, 1)
    extra = Entry.objects.create(owner=alice, body="Another")
    r = alice_client.post(
        f"/export/packets/{packet.pk}/edit/",
        {
            "title": "March supervision, revised",
            "entries": [e.pk for e in packet.entries.all()] + [extra.pk],
            "repairs": [r.pk for r in packet.repairs.all()],
        },
    )
    assert r.status_code == 302 and r["Location"] == f"/export/packets/{packet.pk}/"
    packet.refresh_from_db()
    assert packet.title == "March supervision, revised" and packet.entries.count() == 2
    assert alice_client.get(f"/export/packets/{packet.pk}/").status_code == 200
    assert alice_client.get(f"/export/packets/{packet.pk}/print/").status_code == 200
    for fmt in ("md", "html", "docx"):
        r = alice_client.post(f"/export/packets/{packet.pk}/export/", {"format": fmt})
        record = ExportRecord.objects.latest("pk")
        assert record.status == "done", record.error
        assert alice_client.get(f"/export/files/{record.pk}/download/").status_code == 200


def test_a_packet_cannot_take_another_clinicians_entry(
    alice_client: Client, bob: User, packet: Packet
) -> None:
    theirs = Entry.objects.create(owner=bob, body="Bob's")
    r = alice_client.post(
        f"/export/packets/{packet.pk}/edit/", {"title": "x", "entries": [theirs.pk]}
    )
    assert r.status_code == 400
    assert not packet.entries.filter(pk=theirs.pk).exists()


def test_a_refused_packet_keeps_what_was_ticked(alice_client: Client, alice: User) -> None:
    ticked = Entry.objects.create(owner=alice, session_date=date(2026, 3, 2), body="Ticked.")
    other = Entry.objects.create(owner=alice, session_date=date(2026, 3, 9), body="Not ticked.")
    repair = RepairNote.objects.create(owner=alice, my_part="Ticked too.")
    r = alice_client.post("/export/", {
        "title": "Backwards", "entries": [ticked.pk], "repairs": [repair.pk],
        "period_start": "2026-03-01", "period_end": "2026-02-01",
    })  # fmt: skip
    assert r.status_code == 400
    html = r.content.decode()
    assert f'name="entries" value="{other.pk}" id="id_entries_0">' in html
    assert f'name="entries" value="{ticked.pk}" id="id_entries_1" checked>' in html
    assert f'name="repairs" value="{repair.pk}" id="id_repairs_0" checked>' in html
    assert "The end of the period is before its start." in html
