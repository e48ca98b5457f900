"""reconciled: figure groups, disagreements and syndicated copies

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reconciled",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("doc_id", sa.String(512)),
        sa.Column("bucket", sa.String(128)),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("ix_reconciled_kind_doc", "reconciled", ["kind", "doc_id"])
    op.create_index("ix_reconciled_kind_bucket", "reconciled", ["kind", "bucket"])


def downgrade() -> None:
    op.drop_table("reconciled")
