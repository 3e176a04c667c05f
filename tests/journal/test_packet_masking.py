"""Packets hide what the identifier check finds, in every format and in the preview."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from journal import exports
from journal.models import (
    Answer,
    Entry,
    EntryAddendum,
    ExportRecord,
    Packet,
    RepairFollowUp,
    RepairNote,
)
from reflect.models import Prompt, ReflectionTemplate, User

pytestmark = pytest.mark.django_db

IDENTIFYING = ("Maria Gonzalez", "Hamtramck", "020 7946 0018", "Dmitri", "Oksana")


@pytest.fixture
def packet(alice: User) -> Packet:
    entry = Entry.objects.create(
        owner=alice, client_code="C-7Q4", session_date=date(2026, 3, 14),
        body="Maria Gonzalez moved to Hamtramck. C-7Q4 asked me to call 020 7946 0018.",
    )  # fmt: skip
    EntryAddendum.objects.create(entry=entry, text="Her son Dmitri rang.")
    repair = RepairNote.objects.create(
        owner=alice, client_code="C-9K3", moment_date=date(2026, 3, 20),
        my_part="I called her Mrs Abara instead of her chosen name.",
    )  # fmt: skip
    RepairFollowUp.objects.create(repair=repair, date=date(2026, 3, 27), note="Oksana came too.")
    p = Packet.objects.create(
        owner=alice, title="March supervision", purpose="Supervision about Maria Gonzalez",
        focal_moments="When Maria Gonzalez went quiet.",
    )  # fmt: skip
    p.entries.add(entry)
    p.repairs.add(repair)
    return p


def test_new_packets_hide_identifiers_and_codes_by_default(alice: User) -> None:
    packet = Packet.objects.create(owner=alice)
    assert packet.mask_identifiers is True
    assert packet.pseudonymise_codes is True


def test_the_form_offers_both_privacy_options_ticked(alice_client: Client) -> None:
    form = alice_client.get("/export/").context["form"]
    assert form["mask_identifiers"].value() is True
    assert form["pseudonymise_codes"].value() is True
    html = alice_client.get("/export/").content.decode()
    for name in ("mask_identifiers", "pseudonymise_codes"):
        tag = html.split(f'name="{name}"')[1].split(">")[0]
        assert "checked" in tag, name


def test_every_piece_of_writing_is_masked(packet: Packet) -> None:
    doc = exports.build_document(packet)
    texts = [text for *_, text in doc.texts()] + [v for _, v in doc.facts]
    joined = "\n".join(texts)
    for word in (*IDENTIFYING, "Abara"):
        assert word not in joined, word
    entry_body = next(t for *_, label, t in doc.texts() if label == "Notes")
    assert entry_body == "[name] moved to [place]. Client A asked me to call [phone]."
    assert "Her son [name] rang." in joined  # an addendum
    assert "[name] came too." in joined  # a repair's follow-up
    assert ("Purpose", "Supervision about [name]") in doc.facts
    assert "When [name] went quiet." in joined  # the cover


def test_without_masking_the_text_is_as_written(packet: Packet) -> None:
    packet.mask_identifiers = False
    packet.pseudonymise_codes = False
    joined = "\n".join(text for *_, text in exports.build_document(packet).texts())
    assert "Maria Gonzalez moved to Hamtramck. C-7Q4 asked me" in joined


def download(client: Client, packet: Packet, fmt: str) -> bytes:
    r = client.post(f"/export/packets/{packet.pk}/export/", {"format": fmt})
    assert r.status_code == 302
    record = ExportRecord.objects.latest("pk")
    assert record.status == "done", record.error
    r = client.get(f"/export/files/{record.pk}/download/")
    assert r.status_code == 200
    return r.content


def assert_masked(text: str) -> None:
    for word in IDENTIFYING:
        assert word not in text, word
    assert "C-7Q4" not in text
    assert "[name] moved to [place]" in text
    assert "[phone]" in text


def test_every_format_is_masked(alice_client: Client, packet: Packet) -> None:
    from docx import Document as Word
    from pypdf import PdfReader

    assert_masked(download(alice_client, packet, "html").decode())
    assert_masked(download(alice_client, packet, "md").decode())
    word = Word(io.BytesIO(download(alice_client, packet, "docx")))
    assert_masked("\n".join(p.text for p in word.paragraphs))
    pdf = PdfReader(io.BytesIO(download(alice_client, packet, "pdf")))
    assert_masked(" ".join(" ".join(page.extract_text().split()) for page in pdf.pages))
    assert_masked(alice_client.get(f"/export/packets/{packet.pk}/print/").content.decode())


def test_the_preview_shows_exactly_what_leaves(alice_client: Client, packet: Packet) -> None:
    html = alice_client.get(f"/export/packets/{packet.pk}/").content.decode()
    assert_masked(html.split('class="packet-preview')[1])
    assert "hidden behind its kind in brackets" in html
    assert "client codes replaced" in html


def test_unmasked_preview_still_warns(alice_client: Client, packet: Packet) -> None:
    packet.mask_identifiers = False
    packet.save()
    html = alice_client.get(f"/export/packets/{packet.pk}/").content.decode()
    assert "<mark>Maria Gonzalez</mark>" in html
    assert "identifiers not hidden" in html


def test_each_candidate_shows_date_template_code_and_first_line(
    alice_client: Client, alice: User, builtin: None
) -> None:
    template = ReflectionTemplate.objects.get(slug="after-session")
    entry = Entry.objects.create(
        owner=alice, client_code="C-7Q4", session_date=date(2026, 3, 14), template=template
    )
    prompt = Prompt.objects.get(slug="what-happened")
    Answer.objects.create(entry=entry, prompt=prompt, text="\n## We talked about moving.\nMore.")
    RepairNote.objects.create(
        owner=alice, client_code="C-9K3", moment_date=date(2026, 3, 20), my_part="I rushed."
    )
    html = alice_client.get("/export/").content.decode()
    assert (
        f'14 Mar 2026 · {template.name} · C-7Q4<span class="pick-first">We talked about '
        "moving.</span>"
    ) in html
    assert '20 Mar 2026 · Repair note · C-9K3 (Open)<span class="pick-first">I rushed.</span>' in (
        html
    )


def test_the_candidate_list_keeps_its_query_count(
    alice_client: Client, alice: User, builtin: None
) -> None:
    template = ReflectionTemplate.objects.get(slug="after-session")
    prompt = Prompt.objects.get(slug="what-happened")

    def add(n: int) -> None:
        for i in range(n):
            e = Entry.objects.create(owner=alice, client_code=f"C-{i}Q", template=template)
            Answer.objects.create(entry=e, prompt=prompt, text=f"Answer {i}")
            RepairNote.objects.create(owner=alice, client_code=f"C-{i}R", my_part=f"Part {i}")

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert alice_client.get("/export/").status_code == 200
    add(25)
    with CaptureQueriesContext(connection) as many:
        html = alice_client.get("/export/").content.decode()
    assert "Answer 24" in html and "Part 24" in html
    assert len(many) == len(one), [q["sql"] for q in many]


def test_a_line_that_masks_to_label_and_value_still_shows(packet: Packet) -> None:
    entry = packet.entries.get()
    entry.body = "Mrs Abara: 020 7946 0018"
    entry.save()
    html = exports.render_html(exports.build_document(packet))
    assert "[name]: [phone]" in html  # not read as a Markdown link definition
