"""documents (versioned) and claims

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(512), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("meta", sa.Text, nullable=False),
        sa.Column("origin", sa.Text),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("doc_id", "version", name="uq_documents_doc_version"),
        sa.UniqueConstraint("doc_id", "content_hash", name="uq_documents_doc_hash"),
    )
    op.create_index("ix_documents_doc_id", "documents", ["doc_id"])
    op.create_table(
        "claims",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_pk", sa.Integer, sa.ForeignKey("documents.pk", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("doc_id", sa.String(512), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("value_low", sa.BigInteger),
        sa.Column("value_high", sa.BigInteger),
        sa.Column("qualifier", sa.String(32)),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("victim_group", sa.String(32)),
        sa.Column("actor", sa.Text),
        sa.Column("speaker", sa.Text),
        sa.Column("org", sa.Text),
        sa.Column("side", sa.String(32)),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.String(16)),
        sa.Column("period_start", sa.Date),
        sa.Column("period_end", sa.Date),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("pipeline", sa.String(64), nullable=False),
        sa.UniqueConstraint("document_pk", "seq", name="uq_claims_document_seq"),
    )
    op.create_index("ix_claims_doc_id", "claims", ["doc_id"])
    op.create_index("ix_claims_metric", "claims", ["metric"])


def downgrade() -> None:
    op.drop_table("claims")
    op.drop_table("documents")
