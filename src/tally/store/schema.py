"""Tables. Migrations in `migrations/versions` must produce exactly this."""
from __future__ import annotations

from sqlalchemy import (
                        BigInteger,
                        Column,
                        Date,
                        DateTime,
                        ForeignKey,
                        Index,
                        Integer,
                        MetaData,
                        String,
                        Table,
                        Text,
                        UniqueConstraint,
)

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(512), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("date", Date),
    Column("source", Text),
    Column("url", Text),
    Column("title", Text),
    Column("meta", Text, nullable=False, default="{}"),
    Column("origin", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("doc_id", "version", name="uq_documents_doc_version"),
)

claims = Table(
    "claims", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("document_pk", Integer, ForeignKey("documents.pk", ondelete="CASCADE"),
           nullable=False),
    Column("doc_id", String(512), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("metric", String(32), nullable=False),
    Column("value_low", BigInteger),
    Column("value_high", BigInteger),
    Column("qualifier", String(32)),
    Column("stance", String(16), nullable=False),
    Column("victim_group", String(32)),
    Column("actor", Text),
    Column("speaker", Text),
    Column("org", Text),
    Column("side", String(32)),
    Column("country", String(2)),
    Column("admin1", String(16)),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("record", Text, nullable=False),
    Column("pipeline", String(64), nullable=False),
    UniqueConstraint("document_pk", "seq", name="uq_claims_document_seq"),
)

# Results of reconciliation. kind: "group" | "disagreement" | "copy". Records about one
# document carry its id (recomputed when it changes); records across documents carry
# the bucket ("metric|country") they were computed in.
reconciled = Table(
    "reconciled", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("doc_id", String(512)),
    Column("bucket", String(128)),
    Column("record", Text, nullable=False),
    Column("other_doc", String(512)),  # a copy's original
)

# The figures and names (keys) of each comparable sentence of the latest version of each
# document: near-duplicates of a new document are the stored sentences sharing its keys.
passage_keys = Table(
    "passage_keys", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(512), nullable=False),
    Column("start", Integer, nullable=False),
    Column("stop", Integer, nullable=False),
    Column("key", String(128), nullable=False),
)

# Who is who across the store: each spelling of a person ("person") or of an
# organisation as its document names it ("org"), the name of its cluster, and the first
# document (by id) it appears in.
names = Table(
    "names", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),
    Column("spelling", Text, nullable=False),
    Column("canonical", Text, nullable=False),
    Column("first_doc", String(512), nullable=False),
)

# Documents stored whose reconciliation is not stored yet (doc_id None: every document);
# written with the document, deleted with the reconciliation that covers it.
unreconciled = Table(
    "unreconciled", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(512)),
)

Index("ix_documents_doc_id", documents.c.doc_id)
Index("ix_documents_doc_hash", documents.c.doc_id, documents.c.content_hash)
Index("ix_reconciled_kind_doc", reconciled.c.kind, reconciled.c.doc_id)
Index("ix_reconciled_kind_bucket", reconciled.c.kind, reconciled.c.bucket)
Index("ix_claims_doc_id", claims.c.doc_id)
Index("ix_claims_metric", claims.c.metric)
Index("ix_reconciled_kind_other", reconciled.c.kind, reconciled.c.other_doc)
Index("ix_names_kind_spelling", names.c.kind, names.c.spelling)
Index("ix_passage_keys_key", passage_keys.c.key)
Index("ix_passage_keys_doc_id", passage_keys.c.doc_id)
Index("ix_claims_metric_country", claims.c.metric, claims.c.country)
Index("ix_claims_speaker", claims.c.speaker)
Index("ix_claims_org", claims.c.org)
