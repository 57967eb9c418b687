"""The forum search ranks on a stored text-search vector (issue 24), on PostgreSQL only.

Before, the search's ranking parsed the text of every matching entry again (`ts_rank` over
`to_tsvector(...)`): a common word at national size took over a second. A stored generated column
holds the vector and the GIN index now covers the column. SQLite searches its FTS5 table and is
untouched. The statements are written out here as in coursehub/forum/search_schema.py (migrations
never import the package).

Revision ID: f6a4c0d2e304
Revises: e4a7c9d21b56
Created: 2026-12-02 07:30:00
"""

from alembic import op

revision = "f6a4c0d2e304"
down_revision = "e4a7c9d21b56"
branch_labels = None
depends_on = None

EXPRESSION = "to_tsvector('swedish'::regconfig, title || ' ' || body)"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_forum_search_entries_swedish")
    op.execute(
        "ALTER TABLE forum_search_entries ADD COLUMN swedish_vector tsvector "
        f"GENERATED ALWAYS AS ({EXPRESSION}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_forum_search_entries_swedish ON forum_search_entries USING gin (swedish_vector)"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_forum_search_entries_swedish")
    op.execute("ALTER TABLE forum_search_entries DROP COLUMN swedish_vector")
    op.execute(
        f"CREATE INDEX ix_forum_search_entries_swedish ON forum_search_entries USING gin ({EXPRESSION})"
    )
