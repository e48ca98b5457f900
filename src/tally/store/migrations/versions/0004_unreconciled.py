"""unreconciled: documents stored whose reconciliation is not yet stored

A document is written with its row here, in one transaction; the reconciliation that
takes it into account deletes the row in the transaction that stores the groups,
disagreements and copies. Whatever kills tally in between, the next command finds the
rows and finishes the work. A row without a document id stands for every document: a
store from before this table may hold reconciliation it cannot vouch for.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "unreconciled",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(512)),
    )
    if op.get_bind().execute(sa.text("select count(*) from documents")).scalar():
        op.bulk_insert(table, [{"doc_id": None}])


def downgrade() -> None:
    op.drop_table("unreconciled")
