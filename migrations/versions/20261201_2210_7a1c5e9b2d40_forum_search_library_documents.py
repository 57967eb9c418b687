"""Let the forum's search entries hold the shared library's documents (network_id may be NULL).

Library documents already uploaded get their entries here. The stems SQLite searches are made
the way coursehub/forum/stemming.py makes them (migrations never import the package). On SQLite
the column change rebuilds the entries table, which drops its triggers: they are made again, and
the FTS5 index is rebuilt from the entries.

Revision ID: 7a1c5e9b2d40
Revises: d5e6f7a8b9c1
Created: 2026-12-01 22:10:00
"""

import re
import unicodedata
from datetime import datetime, timezone

import snowballstemmer
import sqlalchemy as sa
from alembic import op

revision = "7a1c5e9b2d40"
down_revision = "d5e6f7a8b9c1"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = (
    "CREATE TRIGGER forum_search_fts_ai AFTER INSERT ON forum_search_entries BEGIN "
    "INSERT INTO forum_search_fts(rowid, stemmed) VALUES (new.id, new.stemmed); END",
    "CREATE TRIGGER forum_search_fts_ad AFTER DELETE ON forum_search_entries BEGIN "
    "INSERT INTO forum_search_fts(forum_search_fts, rowid, stemmed) "
    "VALUES ('delete', old.id, old.stemmed); END",
    "CREATE TRIGGER forum_search_fts_au AFTER UPDATE ON forum_search_entries BEGIN "
    "INSERT INTO forum_search_fts(forum_search_fts, rowid, stemmed) "
    "VALUES ('delete', old.id, old.stemmed); "
    "INSERT INTO forum_search_fts(rowid, stemmed) VALUES (new.id, new.stemmed); END",
)
SQLITE_REBUILD = "INSERT INTO forum_search_fts(forum_search_fts) VALUES ('rebuild')"

entries = sa.table(
    "forum_search_entries",
    sa.column("kind", sa.String),
    sa.column("ref_id", sa.Integer),
    sa.column("network_id", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("title", sa.Text),
    sa.column("body", sa.Text),
    sa.column("stemmed", sa.Text),
    sa.column("written_at", sa.DateTime(timezone=True)),
)
documents = sa.table(
    "forum_documents", sa.column("id", sa.Integer), sa.column("network_id", sa.Integer), sa.column("title")
)


def _stemmed(text):
    found = re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())
    return " ".join(snowballstemmer.stemmer("swedish").stemWords(found))


def _set_nullable(nullable):
    with op.batch_alter_table("forum_search_entries", schema=None) as batch_op:
        batch_op.alter_column("network_id", existing_type=sa.Integer(), nullable=nullable)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
            op.execute(statement)
        op.execute(SQLITE_REBUILD)


def upgrade():
    _set_nullable(True)
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    rows = bind.execute(sa.select(documents.c.id, documents.c.title).where(documents.c.network_id.is_(None)))
    values = [
        {
            "kind": "document",
            "ref_id": ident,
            "network_id": None,
            "document_id": ident,
            "title": title,
            "body": "",
            "stemmed": _stemmed(title),
            "written_at": now,
        }
        for ident, title in rows
    ]
    if values:
        op.bulk_insert(entries, values)


def downgrade():
    op.execute(sa.delete(entries).where(entries.c.network_id.is_(None)))
    _set_nullable(False)
