"""What a person wrote in the forum is found by an index on its author (issue 24).

A person's data export ("Mina uppgifter") and erasure find their posts, threads, news, documents
and uploaded versions by author, which no index served: each export read every post ever written
(300,000 at national size, a parallel scan of 213 ms, even for someone who never posted).

- ix_forum_posts_author_id, ix_forum_threads_author_id, ix_forum_news_author_id
- ix_forum_documents_created_by_id, ix_forum_document_versions_uploaded_by_id

Revision ID: fed5c0d2eb01
Revises: fdd5c0d2ea01
Created: 2026-12-04 23:00:00
"""

from alembic import op

revision = "fed5c0d2eb01"
down_revision = "fdd5c0d2ea01"
branch_labels = None
depends_on = None

INDEXES = [
    ("forum_posts", "author_id"),
    ("forum_threads", "author_id"),
    ("forum_news", "author_id"),
    ("forum_documents", "created_by_id"),
    ("forum_document_versions", "uploaded_by_id"),
]


def upgrade():
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade():
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
