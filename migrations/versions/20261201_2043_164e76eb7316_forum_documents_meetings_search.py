"""The forum's documents and versions, the shared library, news, meetings and attendance, and
the search entries with their Swedish full-text structures (issue 19, points 3, 4, 5 and 7).

The search structures are not models: PostgreSQL gets a GIN index over
to_tsvector('swedish', title || ' ' || body), SQLite an FTS5 table over the stemmed text with
triggers that keep it in step with forum_search_entries. The statements are written out here
(migrations never import the package); coursehub/forum/search_schema.py holds the same ones.

Revision ID: 164e76eb7316
Revises: e2b0e26dce18
Created: 2026-12-01 20:43:46
"""

import sqlalchemy as sa
from alembic import op

revision = "164e76eb7316"
down_revision = "e2b0e26dce18"
branch_labels = None
depends_on = None


POSTGRESQL_CREATE = (
    "CREATE INDEX ix_forum_search_entries_swedish ON forum_search_entries "
    "USING gin (to_tsvector('swedish'::regconfig, title || ' ' || body))",
)
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE forum_search_fts USING fts5(stemmed, content='forum_search_entries', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
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


def _search_statements(create: bool) -> tuple[str, ...]:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        return POSTGRESQL_CREATE if create else ("DROP INDEX IF EXISTS ix_forum_search_entries_swedish",)
    if dialect == "sqlite":
        return SQLITE_CREATE if create else ("DROP TABLE IF EXISTS forum_search_fts",)
    return ()


def upgrade():
    op.create_table(
        "forum_document_folders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["forum_networks.id"],
            name=op.f("fk_forum_document_folders_network_id_forum_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_document_folders")),
        sa.UniqueConstraint("network_id", "name", name=op.f("uq_forum_document_folders_network_id_name")),
    )
    with op.batch_alter_table("forum_document_folders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_forum_document_folders_network_id"), ["network_id"], unique=False
        )

    op.create_table(
        "forum_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("folder_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_forum_documents_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["folder_id"],
            ["forum_document_folders.id"],
            name=op.f("fk_forum_documents_folder_id_forum_document_folders"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["forum_networks.id"],
            name=op.f("fk_forum_documents_network_id_forum_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_documents")),
    )
    with op.batch_alter_table("forum_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_documents_folder_id"), ["folder_id"], unique=False)
        batch_op.create_index("ix_forum_documents_listing", ["network_id", "updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_forum_documents_network_id"), ["network_id"], unique=False)

    op.create_table(
        "forum_news",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_forum_news_author_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_news")),
    )
    with op.batch_alter_table("forum_news", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_news_published_at"), ["published_at"], unique=False)

    op.create_table(
        "forum_document_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=160), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["forum_documents.id"],
            name=op.f("fk_forum_document_versions_document_id_forum_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_forum_document_versions_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_document_versions")),
        sa.UniqueConstraint(
            "document_id", "number", name=op.f("uq_forum_document_versions_document_id_number")
        ),
        sa.UniqueConstraint("storage_key", name=op.f("uq_forum_document_versions_storage_key")),
    )
    op.create_table(
        "forum_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("minutes_document_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("place <> '' OR online_url <> ''", name=op.f("ck_forum_meetings_place_or_online")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_forum_meetings_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["minutes_document_id"],
            ["forum_documents.id"],
            name=op.f("fk_forum_meetings_minutes_document_id_forum_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["forum_networks.id"],
            name=op.f("fk_forum_meetings_network_id_forum_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_meetings")),
    )
    with op.batch_alter_table("forum_meetings", schema=None) as batch_op:
        batch_op.create_index("ix_forum_meetings_network_starts", ["network_id", "starts_at"], unique=False)

    op.create_table(
        "forum_meeting_attendances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["forum_meetings.id"],
            name=op.f("fk_forum_meeting_attendances_meeting_id_forum_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_forum_meeting_attendances_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_meeting_attendances")),
        sa.UniqueConstraint(
            "meeting_id", "user_id", name=op.f("uq_forum_meeting_attendances_meeting_id_user_id")
        ),
    )
    with op.batch_alter_table("forum_meeting_attendances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_meeting_attendances_user_id"), ["user_id"], unique=False)

    op.create_table(
        "forum_search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "thread", "post", "document", name="search_kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("stemmed", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["forum_documents.id"],
            name=op.f("fk_forum_search_entries_document_id_forum_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["forum_networks.id"],
            name=op.f("fk_forum_search_entries_network_id_forum_networks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["forum_posts.id"],
            name=op.f("fk_forum_search_entries_post_id_forum_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["forum_threads.id"],
            name=op.f("fk_forum_search_entries_thread_id_forum_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_search_entries")),
        sa.UniqueConstraint("kind", "ref_id", name=op.f("uq_forum_search_entries_kind_ref_id")),
    )
    with op.batch_alter_table("forum_search_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_forum_search_entries_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_forum_search_entries_network_id"), ["network_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_forum_search_entries_post_id"), ["post_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_forum_search_entries_thread_id"), ["thread_id"], unique=False)

    for statement in _search_statements(create=True):
        op.execute(statement)


def downgrade():
    for statement in _search_statements(create=False):
        op.execute(statement)
    with op.batch_alter_table("forum_search_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_search_entries_thread_id"))
        batch_op.drop_index(batch_op.f("ix_forum_search_entries_post_id"))
        batch_op.drop_index(batch_op.f("ix_forum_search_entries_network_id"))
        batch_op.drop_index(batch_op.f("ix_forum_search_entries_document_id"))

    op.drop_table("forum_search_entries")
    with op.batch_alter_table("forum_meeting_attendances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_meeting_attendances_user_id"))

    op.drop_table("forum_meeting_attendances")
    with op.batch_alter_table("forum_meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_forum_meetings_network_starts")

    op.drop_table("forum_meetings")
    op.drop_table("forum_document_versions")
    with op.batch_alter_table("forum_news", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_news_published_at"))

    op.drop_table("forum_news")
    with op.batch_alter_table("forum_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_documents_network_id"))
        batch_op.drop_index("ix_forum_documents_listing")
        batch_op.drop_index(batch_op.f("ix_forum_documents_folder_id"))

    op.drop_table("forum_documents")
    with op.batch_alter_table("forum_document_folders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_document_folders_network_id"))

    op.drop_table("forum_document_folders")
