"""Supervision packets as documents: one structure, rendered to HTML, PDF, DOCX and Markdown.

``build_document`` gathers what the clinician chose, applies their options
(month-and-year dates, "Client A" instead of codes) and returns plain data;
every renderer works from that one structure, and every piece of writing goes
through the shared Markdown renderer (HTML, PDF) or stays plain text (DOCX,
Markdown), so nothing a clinician wrote can become markup.
"""

from __future__ import annotations

import io
import mimetypes
import multiprocessing
import os
import re
import signal
import string
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from django.contrib.staticfiles import finders
from django.db import models
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst, slugify

from journal import history
from journal.identifiers import mask
from journal.kinds import ENTRY, REPAIR
from journal.models import Answer, Packet, Share, ShareComment
from journal.privacy import known_codes
from journal.versioning import VersionedKind
from reflect.identity import summary as identity_summary
from reflect.models import IdentityMapVersion

FOOTER = "Reflective practice notes — not part of the clinical record"
# The address the PDF renderer resolves {% static %} against; nothing else may be fetched.
STATIC_BASE = "https://reflect.invalid/static/"
# Packet PDFs are made on the worker, never inside a web request, so this is the worker's
# limit (the hours log, one table, is made in its request with a shorter one).
PDF_SECONDS = 120
HEARTBEAT_SECONDS = 10
PR_SET_PDEATHSIG = 1
PDF_MAX_HTML = 20 * 1024 * 1024
PDF_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Item:
    kind: str  # "entry" or "repair"
    anchor: str
    title: str
    date: str
    meta: list[tuple[str, str]]
    sections: list[tuple[str, str]]  # (heading, Markdown text)
    notes: list[tuple[str, str]] = field(default_factory=list)  # dated addenda or follow-ups
    edit_url: str = ""
    # On a shared packet: the comments on this item, as (who, when, Markdown text).
    comments: list[tuple[str, str, str]] = field(default_factory=list)


SIGN_OFF_TITLE = "Supervisor's comments and sign-off"
SIGN_OFF_NOTE = "For the supervisor to complete after the session."
BLANK = "_" * 32


@dataclass
class Document:
    title: str
    period: str
    made: str
    cover: list[tuple[str, str]]
    counts: list[tuple[str, int]]
    items: list[Item]
    identity: list[tuple[str, list[tuple[str, str]]]] | None
    footer: str = FOOTER
    # Who, for whom and why: the cover's first lines, as (label, value); empty values left out.
    facts: list[tuple[str, str]] = field(default_factory=list)
    # The supervisor's name for the sign-off block ("" leaves a line to write it on).
    supervisor: str = ""
    # On a shared packet: comments on the packet as a whole, and the supervisor's sign-off
    # as (label, value) lines with their statement and overall comment.
    comments: list[tuple[str, str, str]] = field(default_factory=list)
    signature: list[tuple[str, str]] = field(default_factory=list)
    statement: str = ""
    overall_comment: str = ""
    # The options the writing was prepared with, so that what is added to a share later
    # (comments) is shown the same way: {"mask": bool, "pseudonymise": bool, "codes": {…}}.
    privacy: dict[str, Any] = field(default_factory=dict)

    sign_off_title: ClassVar[str] = SIGN_OFF_TITLE
    sign_off_note: ClassVar[str] = SIGN_OFF_NOTE

    @property
    def sign_off(self) -> list[tuple[str, str]]:
        """The lines the supervisor fills in, as (label, what is already known or "")."""
        if self.signature:
            return self.signature
        return [
            ("Supervisor's name", self.supervisor),
            ("Registration or licence number", ""),
            ("Signature", ""),
            ("Date", ""),
        ]

    # What a share keeps: the document as the clinician shared it, comments and sign-off
    # apart (they are added when it is shown).
    SNAPSHOT_FIELDS: ClassVar[tuple[str, ...]] = (
        "title", "period", "made", "cover", "counts", "identity", "facts", "supervisor",
        "privacy",
    )  # fmt: skip

    def snapshot(self) -> dict[str, Any]:
        """Plain JSON of the document, without the clinician's own links."""
        data: dict[str, Any] = {name: getattr(self, name) for name in self.SNAPSHOT_FIELDS}
        # Items are named by their place in the packet, not by the journal's own ids.
        data["items"] = [
            {
                "kind": i.kind,
                "anchor": f"item-{n}",
                "title": i.title,
                "date": i.date,
                "meta": i.meta,
                "sections": i.sections,
                "notes": i.notes,
            }
            for n, i in enumerate(self.items, 1)
        ]
        return data

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Document:
        fields: dict[str, Any] = {name: data.get(name) for name in cls.SNAPSHOT_FIELDS}
        fields["privacy"] = fields["privacy"] or {}
        items = [Item(**item) for item in data.get("items", [])]
        return cls(**fields, items=items)

    def texts(self) -> list[tuple[str, str, str, str]]:
        """Every piece of free text as (where, where to fix it, label, text)."""
        out = [("Cover", "", label, text) for label, text in self.cover]
        for item in self.items:
            where = f"{item.title}, {item.date}"
            out += [(where, item.edit_url, h, text) for h, text in item.sections]
            out += [(where, item.edit_url, f"Note of {day}", text) for day, text in item.notes]
        return out


class Pseudonyms:
    """Client A, B, … in order of first appearance, within one packet."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.names: dict[str, str] = {}

    def code(self, code: str) -> str:
        if not self.enabled or not code:
            return code
        if code not in self.names:
            n = len(self.names)
            letters = string.ascii_uppercase
            label = letters[n % 26] + (str(n // 26) if n >= 26 else "")
            self.names[code] = f"Client {label}"
        return self.names[code]

    def text(self, text: str) -> str:
        if not self.enabled or not self.names or not text:
            return text
        pattern = re.compile(r"\b(" + "|".join(re.escape(c) for c in self.names) + r")\b")
        return pattern.sub(lambda m: self.names[m.group(1)], text)


def _day(value: date | None, month_year: bool) -> str:
    if value is None:
        return ""
    return value.strftime("%B %Y") if month_year else f"{value.day} {value:%B %Y}"


def _packet_label(name: str) -> str:
    """The label of one of the packet's cover fields, as its form asks it."""
    field = Packet._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(capfirst(field.verbose_name))


def _masker(packet: Packet, names: Pseudonyms) -> Callable[[str], str]:
    """What the packet does to each piece of writing: hide what the identifier check finds
    behind its kind ("[name]", "[place]") when asked, then write codes as pseudonyms."""
    if not packet.mask_identifiers:
        return names.text
    codes = known_codes(packet.owner)  # the clinician's own codes are not identifiers
    return lambda t: names.text(mask(t, known_codes=codes)) if t else t


def _notes(kind: VersionedKind, obj: Any) -> list[tuple[date, str]]:
    """The dated notes beside an item (addenda, follow-ups), by their date."""
    out = []
    for child in kind.children:
        if child.text:
            for note in getattr(obj, child.name).all():
                day = note.date if "date" in child.fields else timezone.localdate(note.created_at)
                out.append((day, getattr(note, child.text)))
    return out


def build_document(packet: Packet) -> Document:
    month_year = packet.month_year_dates
    names = Pseudonyms(packet.pseudonymise_codes)
    text = _masker(packet, names)
    entries = list(
        packet.entries.filter(deleted_at__isnull=True)
        .select_related("template")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("prompt")),
            "addenda",
            "tags",
        )
        .order_by("session_date", "pk")
    )
    repairs = list(
        packet.repairs.filter(deleted_at__isnull=True)
        .prefetch_related("follow_ups")
        .order_by("moment_date", "pk")
    )
    # Assign pseudonyms in date order across both kinds, then rewrite text with them.
    dated = sorted(
        [(e.session_date, e.client_code) for e in entries]
        + [(r.moment_date, r.client_code) for r in repairs]
    )
    for _, code in dated:
        names.code(code)

    items: list[Item] = []
    for kind, objs in ((ENTRY, entries), (REPAIR, repairs)):
        for obj in objs:
            meta = [("Client", names.code(obj.client_code))] if obj.client_code else []
            template = getattr(obj, "template", None)
            items.append(
                Item(
                    kind=kind.name,
                    anchor=f"{kind.name}-{obj.pk}",
                    title=template.name if template else capfirst(kind.label),
                    date=_day(getattr(obj, kind.date_field), month_year),
                    meta=meta + history.facts(kind, obj),
                    sections=[(label, text(t)) for label, t in kind.labelled_texts(obj)],
                    notes=[(_day(day, month_year), text(note)) for day, note in _notes(kind, obj)],
                    edit_url=reverse(f"journal:{kind.name}_update", args=[obj.pk]),
                )
            )
    items.sort(key=lambda i: i.anchor.startswith("repair"))

    identity = None
    if packet.include_identity_map:
        latest = IdentityMapVersion.objects.for_user(packet.owner).first()
        identity = identity_summary(latest.data) if latest else []

    # The period the clinician gave, or else the span of what the packet holds.
    dates = sorted([e.session_date for e in entries] + [r.moment_date for r in repairs])
    start = packet.period_start or (dates[0] if dates else None)
    end = packet.period_end or (dates[-1] if dates else None)
    period = " to ".join(
        dict.fromkeys(d for d in (_day(start, month_year), _day(end, month_year)) if d)
    )
    cover = [
        (_packet_label(name), text(getattr(packet, name)))
        for name in ("focal_moments", "what_i_tried", "where_stuck", "reluctant",
                     "supervisor_dynamics", "requests")
        if getattr(packet, name)
    ]  # fmt: skip
    noticed = sum(1 for e in entries if e.cultural_moment == "yes")
    counts = [
        ("Entries", len(entries)),
        ("Repair notes", len(repairs)),
        ("Entries where a cultural moment was noticed", noticed),
    ]
    owner = packet.owner
    facts = [
        ("Supervisee", owner.shown_name),
        ("Credentials", owner.credentials),
        ("Registration or licence number", owner.registration_number),
        ("Supervisor", packet.supervisor_name),
        ("Purpose", text(packet.purpose)),
        ("Period covered", period),
    ]
    return Document(
        title=packet.title,
        period=period,
        made=_day(timezone.localdate(), month_year),
        cover=cover,
        counts=counts,
        items=items,
        identity=identity,
        facts=[(label, value) for label, value in facts if value],
        supervisor=packet.supervisor_name,
        privacy={
            "mask": packet.mask_identifiers,
            "pseudonymise": names.enabled,
            "codes": dict(names.names),
        },
    )


def _moment(when: Any, zone: Any) -> str:
    local = timezone.localtime(when, zone)
    return f"{local.day} {local:%B %Y, %H:%M}"


def _shared_masker(share: Share, privacy: dict[str, Any]) -> Callable[[str], str]:
    """What a share does to writing added after it was made (comments, the sign-off's
    comment): the privacy options it was shared with, and, when codes are pseudonyms, any
    other client code of the clinician's hidden too, so a comment cannot undo them."""
    names = Pseudonyms(bool(privacy.get("pseudonymise")))
    names.names = dict(privacy.get("codes") or {})
    codes = known_codes(share.owner)
    others = [c for c in codes if c not in names.names] if names.enabled else []
    other_codes = re.compile(r"\b(" + "|".join(map(re.escape, others)) + r")\b") if others else None

    def text(t: str) -> str:
        if not t:
            return t
        if privacy.get("mask"):
            t = mask(t, known_codes=codes)
        t = names.text(t)
        return other_codes.sub("[client code]", t) if other_codes else t

    return text


def shared_document(share: Share, comments: Iterable[ShareComment]) -> Document:
    """A share as it is read: the snapshot taken when it was shared, its comments beside
    each item (times in the clinician's time zone, shown with the share's privacy
    options) and the sign-off once there is one."""
    doc = Document.from_snapshot(share.document)
    text = _shared_masker(share, doc.privacy)
    zone = share.owner.tzinfo
    items = {item.anchor: item for item in doc.items}
    for comment in comments:
        who = f"{comment.author_name} ({'supervisor' if comment.by_supervisor else 'supervisee'})"
        line = (who, _moment(comment.created_at, zone), text(comment.body))
        item = items.get(comment.anchor)
        (item.comments if item else doc.comments).append(line)
    if share.signed_at:
        doc.signature = [
            ("Supervisor's name", share.sign_name),
            ("Credential", share.sign_credential),
            ("Registration or licence number", share.sign_registration),
            ("Date", _day(share.sign_date, False)),
            ("Signed in Reflect", _moment(share.signed_at, zone)),
        ]
        doc.statement = share.sign_statement
        doc.overall_comment = text(share.sign_comment)
    return doc


# --- Renderers -------------------------------------------------------------------------


def render_html(doc: Document, *, standalone: bool = False) -> str:
    """The packet as HTML: linked to the app's print stylesheet, or with it embedded
    (``standalone``) for a downloaded file that has to stand on its own."""
    html: str = render_to_string(
        "journal/export/packet.html", {"doc": doc, "embedded_css": standalone}
    )
    if standalone:
        css = Path(finders.find("css/print.css") or "").read_text(encoding="utf-8")
        html = html.replace("</head>", f"<style>{css}</style>\n</head>", 1)
    return html


def render_markdown_text(doc: Document) -> str:
    lines = [f"# {doc.title}", ""]
    lines += [f"- **{label}:** {value}" for label, value in doc.facts]
    lines += ["", f"_{doc.footer}._", ""]
    for label, value in doc.counts:
        lines.append(f"- {label}: {value}")
    lines.append("")
    for label, text in doc.cover:
        lines += [f"## {label}", "", text, ""]
    for item in doc.items:
        lines += [f"## {item.title}, {item.date}", ""]
        lines += [f"- {label}: {value}" for label, value in item.meta]
        lines.append("")
        for heading, text in item.sections:
            lines += [f"### {heading}", "", text, ""]
        for day, text in item.notes:
            lines += [f"### Follow-up, {day}", "", text, ""]
    if doc.identity is not None:
        lines += ["## My identity map", ""]
        for section, rows in doc.identity:
            lines += [f"### {section}", ""] + [f"- {q}: {a}" for q, a in rows] + [""]
    lines += [f"## {SIGN_OFF_TITLE}", "", f"_{SIGN_OFF_NOTE}_", "", "Comments:", ""]
    lines += [BLANK * 2, "", BLANK * 2, "", BLANK * 2, ""]
    for label, known in doc.sign_off:
        lines += [f"{label}: {known or BLANK}", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_docx(doc: Document) -> bytes:
    from docx import Document as Word

    word = Word()
    word.core_properties.title = doc.title
    for page_section in word.sections:
        page_section.footer.paragraphs[0].text = doc.footer
    word.add_heading(doc.title, level=0)
    for label, value in doc.facts:
        line = word.add_paragraph()
        line.add_run(f"{label}: ").bold = True
        line.add_run(value)
    for label, count in doc.counts:
        word.add_paragraph(f"{label}: {count}", style="List Bullet")

    def text_block(text: str) -> None:
        # What the clinician wrote goes in as plain text, paragraph by paragraph.
        for para in text.split("\n\n"):
            word.add_paragraph(para)

    for label, text in doc.cover:
        word.add_heading(label, level=1)
        text_block(text)
    for item in doc.items:
        word.add_heading(f"{item.title}, {item.date}", level=1)
        for label, value in item.meta:
            word.add_paragraph(f"{label}: {value}", style="List Bullet")
        for heading, text in item.sections:
            word.add_heading(heading, level=2)
            text_block(text)
        for day, text in item.notes:
            word.add_heading(f"Follow-up, {day}", level=2)
            text_block(text)
    if doc.identity is not None:
        word.add_heading("My identity map", level=1)
        for area, rows in doc.identity:
            word.add_heading(area, level=2)
            for q, a in rows:
                word.add_paragraph(f"{q}: {a}", style="List Bullet")
    word.add_page_break()
    word.add_heading(SIGN_OFF_TITLE, level=1)
    word.add_paragraph(SIGN_OFF_NOTE).runs[0].italic = True
    word.add_paragraph("Comments:")
    for _ in range(6):
        word.add_paragraph(BLANK * 2)
    for label, known in doc.sign_off:
        word.add_paragraph(f"{label}: {known or BLANK}")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


class RefusedURL(ValueError):
    pass


def static_path(relative: str) -> str | None:
    """The file behind a static URL: collected (hashed manifest names included) or found."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    try:
        if staticfiles_storage.exists(relative):
            return str(staticfiles_storage.path(relative))
    except (NotImplementedError, ValueError, OSError):
        pass
    found = finders.find(relative)
    return str(found) if found else None


def static_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves the app's own static files and refuses the rest."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(STATIC_BASE) and ".." not in url:
                relative = url[len(STATIC_BASE) :].split("?")[0].split("#")[0]
                path = static_path(relative)
                if path:
                    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, body=Path(path).read_bytes(), headers={"Content-Type": mime}
                    )
            raise RefusedURL(f"refused to fetch {url[:80]}")

    return StaticOnly(allowed_protocols={"https"})


def _die_with_parent() -> None:
    """Linux: the renderer is killed when its worker dies, even by SIGKILL (no orphans)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return


def _pdf_child(html: str, conn: Any, parent_pid: int) -> None:
    # The worker's own signal handlers are not the child's: a SIGTERM must simply end it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _die_with_parent()
    if os.getppid() != parent_pid:  # the worker died before the line above took effect
        os._exit(1)
    from weasyprint import HTML

    try:
        conn.send(
            (
                "ok",
                HTML(
                    string=html, base_url=STATIC_BASE, url_fetcher=static_only_fetcher()
                ).write_pdf(),
            )
        )
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        conn.close()


class RenderError(Exception):
    pass


def render_pdf(
    doc: Document, *, seconds: int | None = None, heartbeat: Callable[[], None] | None = None
) -> bytes:
    """A packet as PDF (see ``render_pdf_html``)."""
    html = render_html(doc)
    if len(html) > PDF_MAX_HTML:
        raise RenderError("This packet is too large for one PDF. Choose fewer entries.")
    return render_pdf_html(html, seconds=seconds, heartbeat=heartbeat)


def render_pdf_html(
    html: str,
    *,
    seconds: int | None = None,
    heartbeat: Callable[[], None] | None = None,
    fewer: str = "entries",
) -> bytes:
    """PDF through WeasyPrint in a child process, so a time limit can really stop it.

    The one way to make a PDF: ``html`` links its stylesheet through ``{% static %}`` and
    may fetch nothing else. The child never outlives this call: on a timeout, an error or
    a signal it is killed. ``fewer`` names what to choose less of when it fails.
    """
    import weasyprint  # noqa: F401 - loaded once here, so each forked child starts warm

    limit = seconds if seconds is not None else PDF_SECONDS
    if len(html) > PDF_MAX_HTML:
        raise RenderError(f"This is too large for one PDF. Choose fewer {fewer}.")
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_pdf_child, args=(html, child, os.getpid()), daemon=True)
    process.start()
    child.close()
    try:
        deadline = time.monotonic() + limit
        while not parent.poll(min(HEARTBEAT_SECONDS, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                raise RenderError(f"The PDF took too long to prepare. Try fewer {fewer}.")
            if heartbeat is not None:
                heartbeat()
        try:
            status, payload = parent.recv()
        except EOFError:
            raise RenderError("The PDF could not be made (its renderer stopped).") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        parent.close()
    if status != "ok":
        raise RenderError(f"The PDF could not be made ({payload}).")
    if len(payload) > PDF_MAX_BYTES:
        raise RenderError(f"The PDF came out too large. Choose fewer {fewer}.")
    return payload


RENDERERS = {
    "html": ("text/html; charset=utf-8", "html"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}


def render(doc: Document, fmt: str, heartbeat: Callable[[], None] | None = None) -> bytes:
    if fmt == "html":
        return render_html(doc, standalone=True).encode()
    if fmt == "md":
        return render_markdown_text(doc).encode()
    if fmt == "docx":
        return render_docx(doc)
    if fmt == "pdf":
        return render_pdf(doc, heartbeat=heartbeat)
    raise ValueError(f"unknown format {fmt}")


def filename_for(title: str, fmt: str, when: date) -> str:
    stem = slugify(title)[:60] or "packet"
    return f"{stem}-{when:%Y-%m-%d}.{RENDERERS[fmt][1]}"
