"""Full-text search over a clinician's own entries and repair notes, paged.

PostgreSQL keeps a stored ``tsvector`` (a GeneratedField with the explicit
``english`` configuration) behind a GIN index over (owner, vector), and answers
``websearch`` queries. SQLite, the embedded default, keeps an FTS5 index per kind
(``journal_entry_fts``, ``journal_repairnote_fts``: external-content tables that
triggers keep in step with ``search_text``, see migration 0009), with the Porter
stemmer, and answers the same query language translated to FTS5.

Either way one query counts the matches, one fetches the page (ranked by relevance or
by date), and the page's objects are then loaded in bulk. Relevance is ranked among the
``RANK_WINDOW`` most recent matches, so a word found in every entry costs a bounded
amount of ranking; the rest follow by date. Snippets are cut from what was written
(answers, notes, follow-ups), never from the client code or the tag list, start at a
word, and are escaped before the matched words are marked.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import Func
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
PAGE_SIZE = 25
MAX_RESULTS = PAGE_SIZE
# At most this many matches of each kind, the most recent, are counted, ranked and paged:
# a word found in nearly every entry costs a bounded amount of work.
MATCH_CAP = 300
SNIPPET_CHARS = 200
SORTS = ("relevance", "date")


class DocumentVectorField(SearchVectorField):
    """A ``tsvector`` on PostgreSQL, plain text elsewhere."""

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class DocumentVector(Func):
    """What the generated column holds, computed by the database from ``search_text``."""

    output_field = DocumentVectorField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_tsvector('{CONFIG}'::regconfig, COALESCE({sql}, ''))", params

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"LOWER(COALESCE({sql}, ''))", params


class DocumentIndex(GinIndex):
    """GIN on PostgreSQL; an ordinary index where GIN does not exist."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return models.Index.create_sql(self, model, schema_editor, using=using, **kwargs)


def document_vector() -> models.GeneratedField:
    return models.GeneratedField(
        expression=DocumentVector("search_text"),
        output_field=DocumentVectorField(),
        db_persist=True,
        editable=False,
    )


# --- The query, as the clinician typed it ------------------------------------------------


@dataclass
class Query:
    """``faith family``, ``"first in the family"``, ``faith or church``, ``-money``."""

    groups: list[list[list[str]]] = field(default_factory=list)  # AND of ORs of phrases
    excluded: list[list[str]] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """The words and phrases to mark in snippets (those that must or may be found)."""
        return [" ".join(phrase) for group in self.groups for phrase in group]

    def __bool__(self) -> bool:
        return bool(self.groups)


TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD_RE = re.compile(r"\w+", re.UNICODE)


def parse(text: str) -> Query:
    query = Query()
    join_next = False
    for m in TOKEN_RE.finditer(text[:500]):
        negative = m.group(1) == "-" or (m.group(3) or "").startswith("-")
        raw = m.group(2) if m.group(2) is not None else m.group(3)
        if m.group(3) and m.group(3).lower() == "or":
            join_next = bool(query.groups)
            continue
        phrase = [w.lower() for w in WORD_RE.findall(raw)][:8]
        if not phrase:
            continue
        if negative:
            query.excluded.append(phrase)
        elif join_next:
            query.groups[-1].append(phrase)
        else:
            query.groups.append([phrase])
        join_next = False
        if len(query.groups) + len(query.excluded) >= 12:
            break
    return query


def _fts5(query: Query) -> str:
    """The FTS5 MATCH expression for ``query`` (every term quoted: no operator injection)."""

    def phrase(words: list[str]) -> str:
        return '"' + " ".join(words) + '"'

    expr = " AND ".join("(" + " OR ".join(phrase(p) for p in g) + ")" for g in query.groups)
    if query.excluded:
        expr = f"({expr}) NOT (" + " OR ".join(phrase(p) for p in query.excluded) + ")"
    return f"search_text : ({expr})"


# --- Results -------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str  # "entry" or "repair"
    obj: Any
    rank: float
    snippet: SafeString


@dataclass
class Results:
    hits: list[Hit]
    total: int
    number: int  # the page, from 1
    sort: str
    capped: bool = False  # at least MATCH_CAP of a kind matched: only the newest are shown

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.hits else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.hits) - 1 if self.hits else 0


TABLES = {
    "entry": ("journal_entry", "session_date"),
    "repair": ("journal_repairnote", "moment_date"),
}


def _postgres(owner_id: int, text: str, sort: str) -> list[tuple]:
    """One query reads the MATCH_CAP most recent matches of each kind, walking the owner's
    date index (or the GIN index for a rare word, as the planner judges), ranks them when
    sorting by relevance, and the page is cut from them here."""
    match = (
        "owner_id = %s AND deleted_at IS NULL "
        "AND search_vector @@ websearch_to_tsquery(%s::regconfig, %s)"
    )
    rank = (
        "ts_rank(search_vector, websearch_to_tsquery(%s::regconfig, %s))"
        if sort == "relevance"
        else "0.0"
    )
    sql = " UNION ALL ".join(
        f"(SELECT '{kind}', id, {day}, created_at, {rank} FROM {table} "  # noqa: S608
        f"WHERE {match} ORDER BY {day} DESC, created_at DESC LIMIT {MATCH_CAP})"
        for kind, (table, day) in TABLES.items()
    )
    params: list[Any] = ([CONFIG, text] if sort == "relevance" else []) + [owner_id, CONFIG, text]
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 2)
        return cursor.fetchall()


def _sqlite(owner_id: int, query: Query, sort: str) -> list[tuple]:
    """FTS5 finds the matches (the owner's id is an indexed column, so only the owner's
    are read), newest written first, at most MATCH_CAP of each kind; bm25 is worked out for
    those only, and the base table gives their dates and leaves out what is in the trash."""
    expr = f'owner_id : "{int(owner_id)}" AND {_fts5(query)}'
    score = "-bm25({fts})" if sort == "relevance" else "0.0"  # bm25: lower is better
    parts = []
    for kind, (table, day) in TABLES.items():
        fts = f"{table}_fts"
        parts.append(
            f"SELECT '{kind}', t.id, t.{day}, t.created_at, m.score FROM "  # noqa: S608
            f"(SELECT rowid AS id, {score.format(fts=fts)} AS score FROM {fts} "
            f"WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT {MATCH_CAP}) m "
            f"CROSS JOIN {table} t ON t.id = m.id WHERE t.deleted_at IS NULL"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [expr, expr])
        return cursor.fetchall()


def run(user: Any, text: str, *, sort: str = "relevance", page: int = 1) -> Results:
    """One page of the owner's entries and repair notes that match ``text``."""
    sort = sort if sort in SORTS else "relevance"
    page = max(1, page)
    query = parse(text)
    if not query:
        return Results([], 0, 1, sort)
    if connection.vendor == "postgresql":
        rows = _postgres(user.pk, text[:500], sort)
    else:
        rows = _sqlite(user.pk, query, sort)
    # Newest first; then, for relevance, the best first (a stable sort: dates break ties).
    rows.sort(key=lambda r: (r[2], r[3], r[1]), reverse=True)
    if sort == "relevance":
        rows.sort(key=lambda r: -r[4])
    total = len(rows)
    page = min(page, max(1, -(-total // PAGE_SIZE)))  # past the last page: the last one
    offset = (page - 1) * PAGE_SIZE
    chosen = [(kind, pk, score) for kind, pk, _, _, score in rows[offset : offset + PAGE_SIZE]]
    return Results(_load(chosen, query), total, page, sort, capped=total >= MATCH_CAP)


def with_text(queryset: Any) -> Any:
    """``queryset`` with its ``search_text`` loaded (the managers leave it out)."""
    return queryset.defer(None).defer("search_vector")


def written(obj: Any) -> list[str]:
    """What was written in an entry or repair note, from its stored ``search_text``
    (answers, notes, follow-ups…), less the client code and the tag list it also holds.

    Needs ``search_text`` loaded (``with_text``) and, for entries, the tags prefetched;
    without ``search_text`` it falls back to the kind's ``labelled_texts``.
    """
    if "search_text" in obj.get_deferred_fields():
        from journal.kinds import kind_for

        return [text for _, text in kind_for(obj).labelled_texts(obj)]
    lines = (obj.search_text or "").split("\n")
    if lines and obj.client_code and lines[0] == obj.client_code:
        lines = lines[1:]
    if obj._meta.model_name == "entry":
        shown = ", ".join(sorted(t.name for t in obj.tags.all()))
        if shown and shown in lines:
            lines.remove(shown)
    return [line for line in lines if line.strip()]


def _load(rows: list[tuple], query: Query) -> list[Hit]:
    from journal.models import Entry, RepairNote

    entry_ids = [pk for kind, pk, _ in rows if kind == "entry"]
    repair_ids = [pk for kind, pk, _ in rows if kind == "repair"]
    objects = {
        "entry": with_text(
            Entry.objects.select_related("template").prefetch_related("tags")
        ).in_bulk(entry_ids)
        if entry_ids
        else {},
        "repair": with_text(RepairNote.objects.all()).in_bulk(repair_ids) if repair_ids else {},
    }
    hits = []
    for kind, pk, rank in rows:
        obj = objects[kind].get(pk)
        if obj is not None:
            hits.append(Hit(kind, obj, float(rank or 0), snippet(written(obj), query.words)))
    return hits


# --- Snippets ----------------------------------------------------------------------------

SUFFIXES = ("ies", "ing", "ed", "es", "ly", "s", "y", "e")


def _stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=64)
def _matcher(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Words starting with the stem of a searched word ("family" marks "families"); a
    phrase's words one after another."""
    phrases = [
        r"\W+".join(re.escape(_stem(w)) + r"\w*" for w in phrase.split())
        for phrase in words
        if phrase.strip()
    ]
    if not phrases:
        return None
    phrases.sort(key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(phrases) + ")", re.IGNORECASE)


def matcher(words: list[str]) -> re.Pattern[str] | None:
    return _matcher(tuple(words))


def _plain(text: str) -> str:
    """Markdown marks taken out, lines run together."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?m)^\s*(?:>+|#+|[-*+]|\d+\.)\s+", "", text)
    text = re.sub(r"[*_`]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def snippet(texts: list[str], words: list[str], chars: int = SNIPPET_CHARS) -> SafeString:
    """About ``chars`` characters around the first match, escaped, matches in <mark>."""
    text = _plain(" · ".join(t for t in texts if t.strip()))
    pattern = matcher(words)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > chars // 3:
        start = first.start() - chars // 3
        # Start at a word: just after the next space (or at the match itself).
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else first.start()
        while text[start:].startswith(("· ", ", ")):
            start += 2
    end = start + chars
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = text[start:end].rstrip(" ·")
    out: list[str] = []
    at = 0
    for m in pattern.finditer(piece) if pattern else ():
        out.append(html.escape(piece[at : m.start()], quote=False))
        out.append("<mark>" + html.escape(m.group(0), quote=False) + "</mark>")
        at = m.end()
    out.append(html.escape(piece[at:], quote=False))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - escaped piece by piece
