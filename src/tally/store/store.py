"""One interface over SQLite and PostgreSQL: documents in versions, claims per version."""
from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (Connection, Engine, and_, create_engine, event, func, inspect, select,
                        text)
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, SQLAlchemyError

from tally import faultpoint
from tally.documents.model import Document
from tally.errors import DocumentRefused, NotFound, StoreError
from tally.store.schema import claims as claims_t
from tally.store.schema import documents as docs_t
from tally.store.schema import reconciled as rec_t
from tally.store.schema import unreconciled as pending_t

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger(__name__)
Outcome = Literal["new", "version", "same"]
# One kind of reconciled record to swap: (kind, rows (doc, bucket, record), the docs and
# buckets whose old records go, or everything of that kind).
Swap = tuple[str, Sequence[tuple[str | None, str | None, dict[str, Any]]], Iterable[str],
             Iterable[str], bool]


class StaleReconciliation(Exception):
    """Another command stored reconciliation for some of the same documents since this
    one read them: what this one computed may be older than what is stored."""


@dataclass(frozen=True)
class StoredDocument:
    pk: int
    id: str
    version: int
    text: str
    date: date | None
    source: str | None
    url: str | None
    title: str | None
    meta: dict[str, Any]
    origin: str | None
    ingested_at: datetime
    versions: int = 1


def to_url(db: str) -> str:
    """A bare path means a SQLite file; anything with '://' is a SQLAlchemy URL."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def open_store(db: str, *, must_exist: bool = False, upgrade: bool = True,
               **engine_args: Any) -> Store:
    """The store at `db`. Commands that only read pass must_exist: a typo in --db is then
    an error naming the file, not a new empty store and a silent, empty answer. They also
    pass upgrade=False: an older store is then an error saying to run `tally migrate`,
    never migrated by a command that was asked only to read."""
    url = to_url(db)
    if must_exist and url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_file():
            raise StoreError(f"no store at {path}: check --db or TALLY_DB "
                             "(`tally ingest` creates one)")
    try:
        engine = create_engine(url, **engine_args)
    except ModuleNotFoundError as e:  # the driver of an extra that is not installed
        extra = " (pip install 'tally[postgres]')" if "psycopg" in str(e.name) else ""
        raise StoreError(f"cannot open {db}: its database driver {e.name!r} is not "
                         f"installed{extra}") from None
    store = Store(engine, create=not must_exist, upgrade=upgrade)
    if not upgrade:  # a reading command: say when what it shows lags behind the documents
        pending = store.unreconciled()
        if pending:
            what = ("the documents of an older tally" if any(d is None for _, d in pending)
                    else f"{len({d for _, d in pending})} documents stored lately")
            log.warning("figure groups and disagreements do not yet take in %s (an ingest "
                        "was stopped, is still running, or ran with --no-reconcile): "
                        "`tally reconcile` brings them up to date", what)
    return store


class Store:
    def __init__(self, engine: Engine, create: bool = True, upgrade: bool = True) -> None:
        self.engine = engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        self._writer = engine.execution_options(tally_write=True)
        self._snapshot = threading.local()
        self.migrated: str | None = None  # what migrate() did, in a sentence, if anything
        for attempt in range(WRITE_ATTEMPTS):
            try:
                self.migrate(create, upgrade)
                return
            except StoreError as e:
                # two commands creating one SQLite file at once: before it is in WAL mode
                # a reader's lock can meet a writer's, and SQLite answers "locked" at once
                # rather than wait; the next try finds the file set up
                cause = e.__cause__
                if not (isinstance(cause, OperationalError) and _transient(cause)) or \
                        attempt == WRITE_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * 2 ** attempt)

    def migrate(self, create: bool = True, upgrade: bool = True) -> None:
        """Bring the tables to this tally's schema. A store written by a newer tally, or
        tables tally did not make, are refused with one line saying what to do. An older
        store is upgraded only when `upgrade` (a SQLite file is copied aside first), and
        the upgrade is logged as a warning."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        script = ScriptDirectory.from_config(cfg)
        head = script.get_current_head()
        where = self.engine.url.render_as_string(hide_password=True)
        try:
            with self.engine.connect() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                tables = set(inspect(conn).get_table_names())
                conn.rollback()
                if current is None and tables & {"documents", "claims", "reconciled"}:
                    raise StoreError(
                        f"{where} holds tables named like tally's but no schema version "
                        "(made before tally's migrations, or by another program): move them "
                        "away or use another database")
                if current is None and not create:
                    raise StoreError(f"{where} holds no tally store: check --db or TALLY_DB "
                                     "(`tally ingest` creates one)")
                if current is not None and current not in {r.revision for r in
                                                           script.walk_revisions()}:
                    raise StoreError(
                        f"the store {where} was written by a newer tally (schema {current}, "
                        f"this tally knows up to {head}): upgrade tally to read it")
                if current == head:
                    return
                if current is not None and not upgrade:
                    raise StoreError(
                        f"the store {where} has schema {current}, this tally needs "
                        f"{head}: run `tally migrate` on it (a SQLite file is backed up "
                        "first)")
            self._upgrade(cfg, head, where)
        except OperationalError as e:
            raise StoreError(f"cannot open the store {where}: {_reason(e)}") from e

    def _upgrade(self, cfg: Config, head: str | None, where: str) -> None:
        """Migrate to `head`, one process at a time: two commands opening a new store at
        once must not both create its tables. The revision is read again under the lock
        (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction lock)."""
        with self._writer.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                # A migration that rebuilds a table must not cascade its DROP into
                # the claims; the pragma only takes effect outside a transaction.
                conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
                    "PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    if not sqlite:
                        conn.execute(text("select pg_advisory_xact_lock("
                                          "hashtextextended(:k, 1))"), {"k": "migration"})
                    current = MigrationContext.configure(conn).get_current_revision()
                    if current == head:
                        return  # another command did it meanwhile
                    backup = self._backup(current) if current is not None else None
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
            finally:
                if sqlite:
                    conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
                        "PRAGMA foreign_keys=ON")
        if current is not None:
            self.migrated = (f"store {where} upgraded from schema {current} to {head}"
                             + (f" (the old file is kept as {backup})" if backup else ""))
            log.warning("%s", self.migrated)

    def _backup(self, revision: str) -> Path | None:
        """A consistent copy of a SQLite store beside it, before a migration touches it."""
        if self.engine.dialect.name != "sqlite" or not self.engine.url.database:
            return None
        src = Path(self.engine.url.database)
        if not src.is_file():
            return None
        dst = src.with_name(f"{src.name}.schema-{revision}.bak")
        with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
            a.backup(b)
        return dst

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Documents --------------------------------------------------------------------------

    def add_document(self, doc: Document, claims: Sequence[dict[str, Any]] | None = None,
                     pipeline: str = "") -> tuple[Outcome, int]:
        """Store one document (and its claims) in its own transaction.

        The latest version holds this text already: nothing is written ("same"). Any
        other text under a known id, an earlier one included, becomes the next version
        ("version"). Writers of one id are serialised (see `_writing`), and a clash that
        slips through is retried, so that no version is lost to a concurrent writer.
        """
        digest = doc.hash
        nul = [k for k in ("id", "text", "source", "url", "title", "origin")
               if "\x00" in (getattr(doc, k) or "")]
        if nul:
            raise DocumentRefused(doc.id.replace("\x00", "\\0"),
                                  f"NUL characters in {', '.join(nul)}: no store keeps them")
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self._writing(doc.id) as conn:
                    last = conn.execute(
                        select(docs_t.c.pk, docs_t.c.version, docs_t.c.content_hash)
                        .where(docs_t.c.doc_id == doc.id)
                        .order_by(docs_t.c.version.desc()).limit(1)).first()
                    if last and last.content_hash == digest:
                        return "same", last.pk
                    pk = conn.execute(docs_t.insert().values(
                        doc_id=doc.id, version=(last.version if last else 0) + 1,
                        content_hash=digest, text=doc.text, date=doc.date, source=doc.source,
                        url=doc.url, title=doc.title,
                        meta=json.dumps(doc.meta, default=str, ensure_ascii=False),
                        origin=doc.origin, ingested_at=datetime.now(timezone.utc),
                    ).returning(docs_t.c.pk)).scalar_one()
                    if claims:
                        conn.execute(claims_t.insert(),
                                     _claim_rows(pk, doc.id, claims, pipeline))
                    conn.execute(pending_t.insert().values(doc_id=doc.id))
                    return ("version" if last else "new"), pk
            except SQLAlchemyError as e:
                if _transient(e) and attempt + 1 < WRITE_ATTEMPTS:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                if isinstance(e, (IntegrityError, DataError)):
                    raise DocumentRefused(doc.id, f"refused by the store: {_reason(e)}") from e
                raise StoreError(f"cannot store document {doc.id!r}: {_reason(e)}") from e
        raise AssertionError("unreachable: the last attempt returns or raises")

    @contextlib.contextmanager
    def _writing(self, doc_id: str | None = None) -> Iterator[Connection]:
        """A write transaction. SQLite: BEGIN IMMEDIATE, so that two writers queue on the
        file lock (busy_timeout) instead of one failing when it upgrades a read. PostgreSQL:
        a transaction lock on the document id, so that writers of one id take turns while
        other ids go on in parallel."""
        with self._writer.begin() as conn:
            if doc_id is not None and conn.dialect.name == "postgresql":
                conn.execute(text("select pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                             {"k": doc_id})
            yield conn

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads in this block (this thread) see the store as of one moment: documents,
        claims and reconciliation that belong together, whatever other writers commit
        meanwhile."""
        if getattr(self._snapshot, "conn", None) is not None:
            yield
            return
        engine = (self.engine.execution_options(isolation_level="REPEATABLE READ")
                  if self.engine.dialect.name == "postgresql" else self.engine)
        with engine.connect() as conn, conn.begin():
            self._snapshot.conn = conn
            try:
                yield
            finally:
                self._snapshot.conn = None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Connection]:
        snap = getattr(self._snapshot, "conn", None)
        if snap is not None:
            yield snap
            return
        with self.engine.connect() as conn:
            yield conn

    def replace_claims(self, document_pk: int, claims: Sequence[dict[str, Any]],
                       pipeline: str) -> None:
        """Put a fresh extraction in place of the old one, atomically."""
        with self._writing() as conn:
            doc_id = conn.execute(select(docs_t.c.doc_id)
                                  .where(docs_t.c.pk == document_pk)).scalar_one()
            conn.execute(claims_t.delete().where(claims_t.c.document_pk == document_pk))
            if claims:
                conn.execute(claims_t.insert(), _claim_rows(document_pk, doc_id, claims, pipeline))
            conn.execute(pending_t.insert().values(doc_id=doc_id))

    def documents(self) -> list[StoredDocument]:
        """The latest version of every document, by id."""
        latest = (select(docs_t.c.doc_id, func.max(docs_t.c.version).label("v"),
                         func.count().label("n")).group_by(docs_t.c.doc_id).subquery())
        q = (select(docs_t, latest.c.n).join(latest, and_(docs_t.c.doc_id == latest.c.doc_id,
                                                          docs_t.c.version == latest.c.v))
             .order_by(docs_t.c.doc_id))
        with self._reading() as conn:
            return [_stored(r, r.n) for r in conn.execute(q)]

    def document(self, doc_id: str, version: int | None = None) -> StoredDocument:
        q = select(docs_t).where(docs_t.c.doc_id == doc_id)
        q = q.where(docs_t.c.version == version) if version else q.order_by(
            docs_t.c.version.desc())
        with self._reading() as conn:
            row = conn.execute(q.limit(1)).first()
            n = conn.execute(select(func.count()).where(docs_t.c.doc_id == doc_id)).scalar()
        if not row:
            what = f"version {version} of document {doc_id!r}" if version else f"document {doc_id!r}"
            raise NotFound(f"no {what} in the store (see `tally docs`)")
        return _stored(row, n or 1)

    def count_documents(self) -> int:
        """Distinct documents, whatever their number of versions."""
        with self._reading() as conn:
            return conn.execute(select(func.count(func.distinct(docs_t.c.doc_id)))).scalar_one()

    # Claims -----------------------------------------------------------------------------

    def claims(self, *, doc: str | None = None, metric: str | None = None,
               actor: str | None = None, side: str | None = None, stance: str | None = None,
               since: date | None = None, until: date | None = None,
               country: str | None = None, admin1: str | None = None,
               latest_only: bool = True) -> list[dict[str, Any]]:
        """Claim records (CLAIMS.md shape), of the latest version of each document."""
        q = select(claims_t.c.record).order_by(claims_t.c.doc_id, claims_t.c.seq)
        if latest_only:
            latest = (select(docs_t.c.doc_id, func.max(docs_t.c.version).label("v"))
                      .group_by(docs_t.c.doc_id).subquery())
            q = (q.join(docs_t, docs_t.c.pk == claims_t.c.document_pk)
                 .join(latest, and_(latest.c.doc_id == docs_t.c.doc_id,
                                    latest.c.v == docs_t.c.version)))
        conds = []
        if doc:
            conds.append(claims_t.c.doc_id == doc)
        if metric:
            conds.append(claims_t.c.metric == metric)
        if actor:
            conds.append(func.lower(claims_t.c.actor) == actor.lower())
        if side:
            conds.append(claims_t.c.side == side)
        if stance:
            conds.append(claims_t.c.stance == stance)
        if country:
            conds.append(claims_t.c.country == country.upper())
        if admin1:
            conds.append(claims_t.c.admin1 == admin1.upper())
        if since:
            conds.append(claims_t.c.period_end >= since)
        if until:
            conds.append(claims_t.c.period_start <= until)
        if conds:
            q = q.where(and_(*conds))
        with self._reading() as conn:
            return [json.loads(r.record) for r in conn.execute(q)]

    def count_undated_claims(self, since: bool, until: bool, **filters: Any) -> int:
        """Claims (latest versions, these filters) that a --since (--until) filter cannot
        apply to, having no period end (start): they are left out, and the user is told
        how many."""
        def missing(c: dict[str, Any], end: str) -> bool:
            return not (c.get("period") or {}).get(end)

        return sum(1 for c in self.claims(**filters)
                   if (since and missing(c, "end")) or (until and missing(c, "start")))

    def keyed_claims(self) -> list[dict[str, Any]]:
        """Claims of the latest versions, each with a stable `key` ("doc#seq")."""
        latest = (select(docs_t.c.doc_id, func.max(docs_t.c.version).label("v"))
                  .group_by(docs_t.c.doc_id).subquery())
        q = (select(claims_t.c.doc_id, claims_t.c.seq, claims_t.c.record)
             .join(docs_t, docs_t.c.pk == claims_t.c.document_pk)
             .join(latest, and_(latest.c.doc_id == docs_t.c.doc_id,
                                latest.c.v == docs_t.c.version))
             .order_by(claims_t.c.doc_id, claims_t.c.seq))
        with self._reading() as conn:
            return [{**json.loads(r.record), "key": f"{r.doc_id}#{r.seq}"}
                    for r in conn.execute(q)]

    # Reconciliation ---------------------------------------------------------------------

    def unreconciled(self) -> list[tuple[int, str | None]]:
        """(row, document id) of each stored change that reconciliation has not taken in
        yet; a None id stands for every document."""
        with self._reading() as conn:
            return [(r.pk, r.doc_id) for r in
                    conn.execute(select(pending_t.c.pk, pending_t.c.doc_id)
                                 .order_by(pending_t.c.pk))]

    def store_reconciled(self, swaps: Sequence[Swap], done: Sequence[int]) -> None:
        """Swap reconciled records (groups, disagreements, copies) and mark the changes
        `done` (rows of `unreconciled`) as taken in, all in one transaction: a crash
        leaves either the old records and the changes still to do, or the new ones.
        If another command took in one of those changes meanwhile, nothing is written
        and StaleReconciliation says to compute again from what is stored now."""
        with self._writing() as conn:
            if self.engine.dialect.name == "postgresql":
                # one reconciliation writer at a time: the check below then sees the rows
                # another one deleted
                conn.execute(text("select pg_advisory_xact_lock(hashtextextended(:k, 1))"),
                             {"k": "reconciliation"})
            done = list(done)
            for i in range(0, len(done), 500):
                part = done[i:i + 500]
                gone = conn.execute(pending_t.delete().where(pending_t.c.pk.in_(part)))
                if gone.rowcount != len(part):  # the transaction is rolled back
                    raise StaleReconciliation()
            for n, (kind, rows, docs, buckets, everything) in enumerate(swaps):
                docs, buckets = list(docs), list(buckets)
                base = rec_t.delete().where(rec_t.c.kind == kind)
                if everything:
                    conn.execute(base)
                else:
                    for i in range(0, len(docs), 500):
                        conn.execute(base.where(rec_t.c.doc_id.in_(docs[i:i + 500])))
                    for i in range(0, len(buckets), 500):
                        conn.execute(base.where(rec_t.c.bucket.in_(buckets[i:i + 500])))
                if rows:
                    conn.execute(rec_t.insert(), [
                        {"kind": kind, "doc_id": d, "bucket": b,
                         "record": json.dumps(r, ensure_ascii=False, default=str)}
                        for d, b, r in rows])
                if n == 0:
                    faultpoint.reached("reconcile-writing")
        faultpoint.reached("reconciled")

    def reconciled(self, kind: str, doc: str | None = None) -> list[dict[str, Any]]:
        q = select(rec_t.c.record).where(rec_t.c.kind == kind).order_by(rec_t.c.pk)
        if doc:
            q = q.where(rec_t.c.doc_id == doc)
        with self._reading() as conn:
            return [json.loads(r.record) for r in conn.execute(q)]

    def count_claims(self) -> int:
        with self._reading() as conn:
            return conn.execute(select(func.count()).select_from(claims_t)).scalar_one()


def _claim_rows(document_pk: int, doc_id: str, claims: Iterable[dict[str, Any]],
                pipeline: str) -> list[dict[str, Any]]:
    rows = []
    for seq, c in enumerate(claims):
        v = c.get("value") or {}
        src = c.get("source") or {}
        place = c.get("place") or {}
        period = c.get("period") or {}
        rows.append({
            "document_pk": document_pk, "doc_id": doc_id, "seq": seq,
            "metric": c["metric"], "value_low": v.get("low"), "value_high": v.get("high"),
            "qualifier": v.get("qualifier"), "stance": c.get("stance", "asserted"),
            "victim_group": (c.get("victim") or {}).get("group"),
            "actor": (c.get("perpetrator") or {}).get("actor"),
            "speaker": src.get("speaker"), "org": src.get("org"), "side": src.get("side"),
            "country": place.get("country"), "admin1": place.get("admin1"),
            "period_start": _day(period.get("start")), "period_end": _day(period.get("end")),
            "record": json.dumps(c, ensure_ascii=False), "pipeline": pipeline,
        })
    return rows


def _day(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _stored(row: Any, versions: int) -> StoredDocument:
    return StoredDocument(pk=row.pk, id=row.doc_id, version=row.version, text=row.text,
                          date=row.date, source=row.source, url=row.url, title=row.title,
                          meta=json.loads(row.meta or "{}"), origin=row.origin,
                          ingested_at=row.ingested_at, versions=versions)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # The driver's own transaction handling is off: _sqlite_begin says BEGIN itself.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # the wait first: switching to WAL takes a lock another process may hold
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("tally_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# A clash of two writers (unique version, SQLite busy, PostgreSQL serialisation or
# deadlock) is worth another try; anything else is a real error.
WRITE_ATTEMPTS = 8
_TRANSIENT_STATES = {"40001", "40P01"}


def _transient(e: SQLAlchemyError) -> bool:
    orig = getattr(e, "orig", None)
    msg = str(orig or e)
    if isinstance(e, IntegrityError):
        return "uq_documents_doc_version" in msg or (
            "UNIQUE constraint failed: documents.doc_id, documents.version" in msg)
    if isinstance(e, OperationalError):
        return ("database is locked" in msg or "database is busy" in msg
                or getattr(orig, "sqlstate", None) in _TRANSIENT_STATES)
    return False


def _reason(e: SQLAlchemyError) -> str:
    """The database's own message, first line only: no SQL statement, no parameters."""
    orig = getattr(e, "orig", None)
    return (str(orig or e).strip().splitlines() or ["unknown database error"])[0]
