"""SQLite: an FTS5 index per kind, kept in step with ``search_text`` by triggers.

External-content FTS5 tables (the text stays in the base table) over the owner and
the search text, with the Porter stemmer. The triggers are on the base tables, so every
write is caught: the app's saves (``VersionedKind.reindex``), the bulk inserts and
updates of an import, and deletes. PostgreSQL already has its stored tsvector behind a
GIN index; there this migration does nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLES = ("journal_entry", "journal_repairnote")


def _create(table: str) -> list[str]:
    fts = f"{table}_fts"
    # Table names are the two constants above; nothing here comes from outside.
    old = (
        f"INSERT INTO {fts}({fts}, rowid, owner_id, search_text) "  # noqa: S608
        "VALUES ('delete', old.id, old.owner_id, old.search_text);"
    )
    new = (
        f"INSERT INTO {fts}(rowid, owner_id, search_text) "  # noqa: S608
        "VALUES (new.id, new.owner_id, new.search_text);"
    )
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(owner_id, search_text, content='{table}', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {new} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {old} END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_text, owner_id ON {table} "
        f"BEGIN {old} {new} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # noqa: S608
    ]


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for sql in _create(table):
            schema_editor.execute(sql)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for suffix in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")


class Migration(migrations.Migration):
    dependencies = [("journal", "0009_packet_supervisor_and_purpose")]

    operations = [migrations.RunPython(forwards, backwards)]
