"""reconciliation that reads only what a change touches

- passage_keys: the figures and names of each comparable sentence of the latest version
  of each document, so that a new document's near-duplicates are found through an index
  instead of by comparing it with every stored sentence;
- names: who is who (each spelling of a speaker or an organisation, the name its
  cluster goes by, and the document it first appears in), so that a new document that
  brings no new spelling need not cluster the names of the whole store again;
- reconciled.other_doc: the original of a stored copy, so that the copies of a changed
  original are found by an index;
- claims indexed by bucket (metric, country) and by source, so that a change reads only
  the claims of its buckets.

These are filled by a full reconciliation: a store that has documents is marked as
wholly unreconciled, and the next command that reconciles recomputes it all.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "passage_keys",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(512), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("stop", sa.Integer, nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
    )
    op.create_index("ix_passage_keys_key", "passage_keys", ["key"])
    op.create_index("ix_passage_keys_doc_id", "passage_keys", ["doc_id"])
    op.create_table(
        "names",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("spelling", sa.Text, nullable=False),
        sa.Column("canonical", sa.Text, nullable=False),
        sa.Column("first_doc", sa.String(512), nullable=False),
    )
    with op.batch_alter_table("reconciled") as batch:
        batch.add_column(sa.Column("other_doc", sa.String(512)))
    op.create_index("ix_names_kind_spelling", "names", ["kind", "spelling"])
    op.create_index("ix_reconciled_kind_other", "reconciled", ["kind", "other_doc"])
    op.create_index("ix_claims_metric_country", "claims", ["metric", "country"])
    op.create_index("ix_claims_speaker", "claims", ["speaker"])
    op.create_index("ix_claims_org", "claims", ["org"])
    bind = op.get_bind()
    marked = bind.execute(sa.text("select count(*) from unreconciled where doc_id is null"))
    if bind.execute(sa.text("select count(*) from documents")).scalar() and \
            not marked.scalar():
        op.execute(sa.text("insert into unreconciled (doc_id) values (null)"))


def downgrade() -> None:
    op.drop_index("ix_claims_org", "claims")
    op.drop_index("ix_claims_speaker", "claims")
    op.drop_index("ix_claims_metric_country", "claims")
    op.drop_index("ix_reconciled_kind_other", "reconciled")
    with op.batch_alter_table("reconciled") as batch:
        batch.drop_column("other_doc")
    op.drop_table("names")
    op.drop_table("passage_keys")
