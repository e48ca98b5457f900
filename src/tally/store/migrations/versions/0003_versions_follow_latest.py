"""documents: an earlier text may come back as a new version

The unique (doc_id, content_hash) pair made "Seven, Thirteen, Seven" impossible to store:
the third text was taken for the first. Versions stay unique per id; an index on the
pair keeps the lookup fast.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_constraint("uq_documents_doc_hash", type_="unique")
    op.create_index("ix_documents_doc_hash", "documents", ["doc_id", "content_hash"])


def downgrade() -> None:
    op.drop_index("ix_documents_doc_hash", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.create_unique_constraint("uq_documents_doc_hash", ["doc_id", "content_hash"])
