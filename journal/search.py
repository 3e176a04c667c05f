"""Full-text search over a clinician's own entries and repair notes.

PostgreSQL keeps a stored ``tsvector`` (a GeneratedField with the explicit
``english`` configuration) behind a GIN index, and answers ``websearch`` queries
ranked (among the 300 most recent matches, so a broad query stays fast), with
highlighted snippets. SQLite, the embedded default, stores the
lower-cased text in the same generated column and matches every word of the
query. Either way the query is filtered to the owner first.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection, models
from django.db.models import F, Func
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
MAX_RESULTS = 20
RANK_WINDOW = 300
SNIPPET_CHARS = 160
# Markers PostgreSQL puts around matches; the snippet is escaped before they become <mark>.
START, STOP = "\x02", "\x03"


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


@dataclass
class Hit:
    kind: str  # "entry" or "repair"
    obj: Any
    rank: float
    snippet: SafeString


WORD_RE = re.compile(r"\w+", re.UNICODE)


def _words(query: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(query) if w.lower() not in {"or", "and"}][:12]


def _marked(headline: str) -> SafeString:
    escaped = html.escape(headline, quote=False)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def _python_snippet(text: str, words: list[str]) -> SafeString:
    lowered = text.lower()
    positions = [lowered.find(w) for w in words if lowered.find(w) >= 0]
    at = min(positions) if positions else 0
    start = max(0, at - SNIPPET_CHARS // 3)
    piece = text[start : start + SNIPPET_CHARS]
    escaped = html.escape(piece, quote=False)
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.sub(
            rf"(?i)(?<![\w<]){re.escape(html.escape(word))}",
            lambda m: f"<mark>{m.group(0)}</mark>",
            escaped,
        )
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_CHARS < len(text) else ""
    return mark_safe(prefix + escaped + suffix)  # noqa: S308


def search(queryset: Any, query: str, *, kind: str, limit: int = MAX_RESULTS) -> list[Hit]:
    """Rank ``queryset`` (already the owner's own rows) against ``query``."""
    if connection.vendor == "postgresql":
        q = SearchQuery(query, search_type="websearch", config=CONFIG)
        # Rank the most recent matches (a bounded amount of work however broad the
        # query), and write headlines, the costly part, for the best of them only.
        recent = (
            queryset.filter(search_vector=q)
            .order_by(*queryset.model._meta.ordering)
            .values("pk")[:RANK_WINDOW]
        )
        best = list(
            queryset.filter(pk__in=recent)
            .annotate(rank=SearchRank(F("search_vector"), q))
            .order_by("-rank", "-pk")
            .values_list("pk", "rank")[:limit]
        )
        if not best:
            return []
        headline = SearchHeadline(
            "search_text", q, config=CONFIG, start_sel=START, stop_sel=STOP,
            max_words=35, min_words=15,
        )  # fmt: skip
        rows = queryset.filter(pk__in=[pk for pk, _ in best]).annotate(snippet=headline).in_bulk()
        return [
            Hit(kind, rows[pk], float(rank), _marked(rows[pk].snippet))
            for pk, rank in best
            if pk in rows
        ]
    words = _words(query)
    if not words:
        return []
    for word in words:
        queryset = queryset.filter(search_vector__contains=word)
    # The text is needed here for snippets: undo the manager's deferral of it.
    rows = list(queryset.defer(None).defer("search_vector").order_by("-pk")[:limit])
    hits = []
    for row in rows:
        text = row.search_text.lower()
        rank = float(sum(text.count(w) for w in words)) / (1 + len(text) / 1000)
        hits.append(Hit(kind, row, rank, _python_snippet(row.search_text, words)))
    return sorted(hits, key=lambda h: -h.rank)
