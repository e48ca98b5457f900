"""One interface over SQLite and PostgreSQL: documents in versions, claims per version."""
from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Literal, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (ColumnElement, Connection, Date, DateTime, Engine, Integer, Select, and_,
                        bindparam, case, cast,
                        create_engine, event, exists, func, inspect, or_, select, text,
                        union_all)
from sqlalchemy.orm import aliased
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, SQLAlchemyError

from tally import faultpoint
from tally.documents.model import Document
from tally.errors import DocumentRefused, NotFound, StoreError
from tally.store.schema import claims as claims_t
from tally.store.schema import documents as docs_t
from tally.store.schema import names as names_t
from tally.store.schema import passage_keys as keys_t
from tally.store.schema import reconciled as rec_t
from tally.store.schema import unreconciled as pending_t

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger(__name__)
Outcome = Literal["new", "version", "same"]
T = TypeVar("T")
# One kind of reconciled record to swap: (kind, rows (doc, bucket, record[, other doc]),
# the docs and buckets whose old records go, or everything of that kind; for copies, the
# "buckets" are the originals' docs whose records go).
Swap = tuple[str, Sequence[tuple[Any, ...]], Iterable[str], Iterable[str], bool]
# The passage keys of some documents to put in place of theirs (or of all documents):
# (docs, rows (doc, start, stop, key), everything).
KeySwap = tuple[Iterable[str], Sequence[tuple[str, int, int, str]], bool]
# Who is who, to put in place of what is stored: rows (kind, spelling, canonical, first doc).
NameRows = Sequence[tuple[str, str, str, str]]
CHUNK = 500  # ids per IN (...) list


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
        # what views computed from the whole store, by name: (state, value); see derived
        self._derived: dict[str, tuple[tuple[Any, ...], Any]] = {}
        self._derived_locks: dict[str, Any] = {}
        self._locks_lock = threading.Lock()
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
                    if conn.dialect.name == "postgresql":
                        return _add_in_one_statement(conn, doc, digest, claims, pipeline)
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

    def document_list(self, offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        """The latest version of each document as the lists show it (no text), by id, with
        how many claims it holds; `offset` and `limit` pick one page."""
        latest = (select(docs_t.c.doc_id, func.max(docs_t.c.version).label("v"))
                  .group_by(docs_t.c.doc_id).subquery())
        held = (select(claims_t.c.document_pk, func.count().label("n"))
                .group_by(claims_t.c.document_pk).subquery())
        q = (select(docs_t.c.doc_id, docs_t.c.date, docs_t.c.source, docs_t.c.title,
                    docs_t.c.url, docs_t.c.version, func.coalesce(held.c.n, 0).label("n"))
             .join(latest, and_(docs_t.c.doc_id == latest.c.doc_id,
                                docs_t.c.version == latest.c.v))
             .outerjoin(held, held.c.document_pk == docs_t.c.pk)
             .order_by(docs_t.c.doc_id).offset(offset))
        if limit is not None:
            q = q.limit(limit)
        with self._reading() as conn:
            return [{"id": r.doc_id, "date": r.date, "source": r.source, "title": r.title,
                     "url": r.url, "version": r.version, "claims": r.n}
                    for r in conn.execute(q)]

    # Claims -----------------------------------------------------------------------------

    def claims(self, *, doc: str | None = None, metric: str | None = None,
               actor: str | None = None, side: str | None = None, stance: str | None = None,
               since: date | None = None, until: date | None = None,
               country: str | None = None, admin1: str | None = None,
               latest_only: bool = True, offset: int = 0, limit: int | None = None,
               keyed: bool = False) -> list[dict[str, Any]]:
        """Claim records (CLAIMS.md shape), of the latest version of each document, by
        document id and place in it; `offset` and `limit` pick one page of them. `keyed`:
        each with its `key` ("doc#seq"), as keyed_claims gives it."""
        q = (select(claims_t.c.doc_id, claims_t.c.seq, claims_t.c.record)
             .order_by(claims_t.c.doc_id, claims_t.c.seq))
        if latest_only:
            q = _of_latest(q)
        conds = _claim_conditions(doc=doc, metric=metric, actor=actor, side=side,
                                  stance=stance, since=since, until=until, country=country,
                                  admin1=admin1)
        if conds:
            q = q.where(and_(*conds))
        if offset:
            q = q.offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with self._reading() as conn:
            if keyed:
                return [{**json.loads(r.record), "key": f"{r.doc_id}#{r.seq}"}
                        for r in conn.execute(q)]
            return [json.loads(r.record) for r in conn.execute(q)]

    def count_latest_claims(self, **filters: Any) -> int:
        """How many claims `claims(**filters)` gives, counted by the database."""
        q = _of_latest(select(func.count()).select_from(claims_t))
        conds = _claim_conditions(**filters)
        if conds:
            q = q.where(and_(*conds))
        with self._reading() as conn:
            return conn.execute(q).scalar_one()

    def count_undated_claims(self, since: bool, until: bool, **filters: Any) -> int:
        """Claims (latest versions, these filters) that a --since (--until) filter cannot
        apply to, having no period end (start): they are left out, and the user is told
        how many."""
        missing = ([claims_t.c.period_end.is_(None)] if since else []) + (
            [claims_t.c.period_start.is_(None)] if until else [])
        if not missing:
            return 0
        q = _of_latest(select(func.count()).select_from(claims_t)).where(or_(*missing))
        conds = _claim_conditions(**filters)
        if conds:
            q = q.where(and_(*conds))
        with self._reading() as conn:
            return conn.execute(q).scalar_one()

    def claim_tally(self) -> tuple[int, int, list[tuple[str, int]]]:
        """Claims of the latest versions: how many, how many denied, and how many of each
        metric, most first (a tie in the order the metrics first appear by document id
        and place, as a Counter over `claims()` orders them)."""
        q = (_of_latest(select(claims_t.c.metric, func.count().label("n"),
                               func.sum(case((claims_t.c.stance == "denied", 1), else_=0))
                               .label("denied")).select_from(claims_t))
             .group_by(claims_t.c.metric))
        with self._reading() as conn:
            found = list(conn.execute(q))
            counts = Counter(r.n for r in found)
            tied = [r.metric for r in found if counts[r.n] > 1]
            order: dict[str, int] = {}
            if tied:  # each tied metric's first claim, put in order by the database
                firsts = [_of_latest(select(claims_t.c.metric, claims_t.c.doc_id,
                                            claims_t.c.seq))
                          .where(claims_t.c.metric == m)
                          .order_by(claims_t.c.doc_id, claims_t.c.seq).limit(1).subquery()
                          for m in tied]
                both = union_all(*(select(f) for f in firsts)).subquery()
                order = {m: i for i, m in enumerate(conn.execute(
                    select(both.c.metric).order_by(both.c.doc_id, both.c.seq)).scalars())}
        found.sort(key=lambda r: (-r.n, order.get(r.metric, 0)))
        return (sum(r.n for r in found), sum(int(r.denied or 0) for r in found),
                [(r.metric, r.n) for r in found])

    def claim_keys(self) -> dict[str, str | None]:
        """The id of each claim of the latest versions by its key ("doc#seq"), read by the
        database out of each record (not every record parsed here)."""
        q = (_of_latest(select(claims_t.c.doc_id, claims_t.c.seq,
                               self._json_field(claims_t.c.record, "id").label("id")))
             .order_by(claims_t.c.doc_id, claims_t.c.seq))
        with self._reading() as conn:
            return {f"{r.doc_id}#{r.seq}": r.id for r in conn.execute(q)}

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

    def store_reconciled(self, swaps: Sequence[Swap], done: Sequence[int],
                         keys: KeySwap | None = None, names: NameRows | None = None) -> None:
        """Swap reconciled records (groups, disagreements, copies, and with them the
        passage keys and names they were computed with) and mark the changes `done`
        (rows of `unreconciled`) as taken in, all in one transaction: a crash leaves
        either the old records and the changes still to do, or the new ones. If another
        command took in one of those changes meanwhile, nothing is written and
        StaleReconciliation says to compute again from what is stored now."""
        with self._writing() as conn:
            if self.engine.dialect.name == "postgresql":
                # one reconciliation writer at a time: the check below then sees the rows
                # another one deleted
                conn.execute(text("select pg_advisory_xact_lock(hashtextextended(:k, 1))"),
                             {"k": "reconciliation"})
            done = list(done)
            for part in _chunks(done):
                gone = conn.execute(pending_t.delete().where(pending_t.c.pk.in_(part)))
                if gone.rowcount != len(part):  # the transaction is rolled back
                    raise StaleReconciliation()
            for n, (kind, rows, docs, buckets, everything) in enumerate(swaps):
                base = rec_t.delete().where(rec_t.c.kind == kind)
                # a copy is found by its original's document, the others by their bucket
                by = rec_t.c.other_doc if kind == "copy" else rec_t.c.bucket
                if everything:
                    conn.execute(base)
                else:
                    for part in _chunks(docs):
                        conn.execute(base.where(rec_t.c.doc_id.in_(part)))
                    for part in _chunks(buckets):
                        conn.execute(base.where(by.in_(part)))
                if rows:
                    conn.execute(rec_t.insert(), [
                        {"kind": kind, "doc_id": r[0], "bucket": r[1],
                         "record": json.dumps(r[2], ensure_ascii=False, default=str),
                         "other_doc": r[3] if len(r) > 3 else None}
                        for r in rows])
                if n == 0:
                    faultpoint.reached("reconcile-writing")
            if keys is not None:
                docs, rows, everything = keys
                if everything:
                    conn.execute(keys_t.delete())
                else:
                    for part in _chunks(docs):
                        conn.execute(keys_t.delete().where(keys_t.c.doc_id.in_(part)))
                if rows:
                    conn.execute(keys_t.insert(), [
                        {"doc_id": d, "start": a, "stop": b, "key": k} for d, a, b, k in rows])
            if names is not None:
                conn.execute(names_t.delete())
                if names:
                    conn.execute(names_t.insert(), [
                        {"kind": k, "spelling": s, "canonical": c, "first_doc": f}
                        for k, s, c, f in names])
        faultpoint.reached("reconciled")

    def reconciled(self, kind: str, doc: str | None = None) -> list[dict[str, Any]]:
        q = select(rec_t.c.record).where(rec_t.c.kind == kind).order_by(rec_t.c.pk)
        if doc:
            q = q.where(rec_t.c.doc_id == doc)
        with self._reading() as conn:
            return [json.loads(r.record) for r in conn.execute(q)]

    # What an incremental reconciliation reads: only the rows a change touches ----------

    def claims_for(self, docs: Iterable[str] = (), buckets: Iterable[str] = ()
                   ) -> list[dict[str, Any]]:
        """Keyed claims (as `keyed_claims`) of the latest versions of these documents and
        of these buckets ("metric|country", "-" for no country)."""
        by_metric: dict[str, set[str]] = {}
        for b in buckets:
            metric, _, country = b.partition("|")
            by_metric.setdefault(metric, set()).add(country)
        conds = []
        for metric, countries in sorted(by_metric.items()):
            named = sorted(c for c in countries if c != "-")
            where: list[Any] = [claims_t.c.country.in_(named)] if named else []
            if "-" in countries:
                where.append(or_(claims_t.c.country.is_(None), claims_t.c.country == ""))
            conds.append(and_(claims_t.c.metric == metric, or_(*where)))
        out: dict[str, dict[str, Any]] = {}
        q = select(claims_t.c.doc_id, claims_t.c.seq, claims_t.c.record)
        with self._reading() as conn:
            for part in _chunks(docs):
                for r in conn.execute(_latest(q).where(claims_t.c.doc_id.in_(part))):
                    out.setdefault(f"{r.doc_id}#{r.seq}", _keyed(r))
            for i in range(0, len(conds), 50):
                for r in conn.execute(_latest(q).where(or_(*conds[i:i + 50]))):
                    out.setdefault(f"{r.doc_id}#{r.seq}", _keyed(r))
        return sorted(out.values(), key=lambda c: (c["doc"], c["evidence"]["start"], c["key"]))

    def buckets_of(self, docs: Iterable[str]) -> set[str]:
        """The buckets of the claims of every version of these documents."""
        out: set[str] = set()
        with self._reading() as conn:
            for part in _chunks(docs):
                for r in conn.execute(select(claims_t.c.metric, claims_t.c.country)
                                      .where(claims_t.c.doc_id.in_(part)).distinct()):
                    out.add(f"{r.metric}|{r.country or '-'}")
        return out

    def orgs_of(self, docs: Iterable[str]) -> list[tuple[str, str]]:
        """(document, organisation as written) of the latest versions' claims."""
        q = select(claims_t.c.doc_id, claims_t.c.org).where(claims_t.c.org.is_not(None))
        out: list[tuple[str, str]] = []
        with self._reading() as conn:
            for part in _chunks(docs):
                out.extend((r.doc_id, r.org) for r in
                           conn.execute(_latest(q).where(claims_t.c.doc_id.in_(part))))
        return out

    def docs_naming(self, people: Iterable[str], orgs: Iterable[str]) -> set[str]:
        """Documents (latest versions) whose claims name one of these speakers or
        organisations as written."""
        out: set[str] = set()
        q = select(claims_t.c.doc_id).distinct()
        with self._reading() as conn:
            for col, values in ((claims_t.c.speaker, people), (claims_t.c.org, orgs)):
                for part in _chunks(values):
                    out.update(r.doc_id for r in conn.execute(_latest(q).where(col.in_(part))))
        return out

    def texts(self, docs: Iterable[str]) -> list[tuple[str, str, date | None]]:
        """(id, text, date) of the latest version of each of these documents, by id."""
        q = select(docs_t.c.doc_id, docs_t.c.text, docs_t.c.date)
        out: list[tuple[str, str, date | None]] = []
        with self._reading() as conn:
            for part in _chunks(docs):
                out.extend((r.doc_id, r.text, r.date) for r in
                           conn.execute(q.where(docs_t.c.doc_id.in_(part), _is_latest(docs_t))))
        return sorted(out)

    def dates(self, docs: Iterable[str]) -> dict[str, date | None]:
        q = select(docs_t.c.doc_id, docs_t.c.date)
        out: dict[str, date | None] = {}
        with self._reading() as conn:
            for part in _chunks(docs):
                out.update((r.doc_id, r.date) for r in
                           conn.execute(q.where(docs_t.c.doc_id.in_(part), _is_latest(docs_t))))
        return out

    def copies_of(self, docs: Iterable[str] = (), originals: Iterable[str] = ()
                  ) -> list[dict[str, Any]]:
        """Stored copy records whose copy is in `docs` or whose original is in
        `originals`, each once."""
        out: dict[int, dict[str, Any]] = {}
        q = select(rec_t.c.pk, rec_t.c.record).where(rec_t.c.kind == "copy")
        with self._reading() as conn:
            for col, values in ((rec_t.c.doc_id, docs), (rec_t.c.other_doc, originals)):
                for part in _chunks(values):
                    for r in conn.execute(q.where(col.in_(part))):
                        out.setdefault(r.pk, json.loads(r.record))
        return [out[pk] for pk in sorted(out)]

    def key_counts(self, keys: Iterable[str], exclude: Iterable[str] = ()) -> dict[str, int]:
        """How many stored passages carry each key, those of `exclude` left out."""
        exclude = list(exclude)
        out: dict[str, int] = {}
        with self._reading() as conn:
            for part in _chunks(keys):
                q = (select(keys_t.c.key, func.count().label("n"))
                     .where(keys_t.c.key.in_(part)).group_by(keys_t.c.key))
                if exclude:
                    q = q.where(keys_t.c.doc_id.not_in(exclude))
                out.update((r.key, r.n) for r in conn.execute(q))
        return out

    def passages_with(self, keys: Iterable[str], exclude: Iterable[str] = ()
                      ) -> list[tuple[str, int, int, str]]:
        """Stored (doc, start, stop, key) rows of these keys, those of `exclude` left out."""
        exclude = list(exclude)
        out: list[tuple[str, int, int, str]] = []
        with self._reading() as conn:
            for part in _chunks(keys):
                q = select(keys_t.c.doc_id, keys_t.c.start, keys_t.c.stop, keys_t.c.key) \
                    .where(keys_t.c.key.in_(part))
                if exclude:
                    q = q.where(keys_t.c.doc_id.not_in(exclude))
                out.extend((r.doc_id, r.start, r.stop, r.key) for r in conn.execute(q))
        return sorted(out)

    def keys_of(self, docs: Iterable[str]) -> list[tuple[str, int, int, str]]:
        """The stored passage keys of these documents."""
        out: list[tuple[str, int, int, str]] = []
        q = select(keys_t.c.doc_id, keys_t.c.start, keys_t.c.stop, keys_t.c.key)
        with self._reading() as conn:
            for part in _chunks(docs):
                out.extend((r.doc_id, r.start, r.stop, r.key) for r in
                           conn.execute(q.where(keys_t.c.doc_id.in_(part))))
        return sorted(out)

    def docs_with_keys(self, keys: Iterable[str]) -> set[str]:
        out: set[str] = set()
        with self._reading() as conn:
            for part in _chunks(keys):
                out.update(r.doc_id for r in conn.execute(
                    select(keys_t.c.doc_id).where(keys_t.c.key.in_(part)).distinct()))
        return out

    def name_uses(self) -> list[tuple[str, int, str, str | None, str | None]]:
        """(document, sentence start, claim key, speaker, organisation) of each claim of
        the latest versions that names a source: what clustering the names of the whole
        store reads, without reading whole claim records."""
        if self.engine.dialect.name == "postgresql":
            start: Any = func.cast(func.cast(claims_t.c.record, JSONB)["evidence"]["start"]
                                   .astext, Integer)
        else:
            start = func.json_extract(claims_t.c.record, "$.evidence.start")
        q = _latest(select(claims_t.c.doc_id, claims_t.c.seq, start.label("start"),
                           claims_t.c.speaker, claims_t.c.org)
                    .where(or_(claims_t.c.speaker.is_not(None), claims_t.c.org.is_not(None))))
        with self._reading() as conn:
            return [(r.doc_id, r.start, f"{r.doc_id}#{r.seq}", r.speaker, r.org)
                    for r in conn.execute(q)]

    def names_first_in(self, docs: Iterable[str]) -> int:
        """How many stored names first appear in one of these documents."""
        n = 0
        with self._reading() as conn:
            for part in _chunks(docs):
                n += conn.execute(select(func.count()).select_from(names_t)
                                  .where(names_t.c.first_doc.in_(part))).scalar_one()
        return n

    def names(self, kind: str, spellings: Iterable[str] | None = None
              ) -> dict[str, tuple[str, str]]:
        """spelling -> (canonical name, first document) of stored names of this kind
        ("person", "org"); all of them without `spellings`."""
        q = select(names_t.c.spelling, names_t.c.canonical, names_t.c.first_doc) \
            .where(names_t.c.kind == kind)
        out: dict[str, tuple[str, str]] = {}
        with self._reading() as conn:
            if spellings is None:
                rows = list(conn.execute(q))
            else:
                rows = [r for part in _chunks(spellings)
                        for r in conn.execute(q.where(names_t.c.spelling.in_(part)))]
            out.update((r.spelling, (r.canonical, r.first_doc)) for r in rows)
        return out

    def count_groups(self) -> tuple[int, int]:
        """Figure groups stored, and how many of them have more than one independent
        source."""
        many = self._json_field(rec_t.c.record, "independent_sources", Integer) > 1
        q = (select(func.count(), func.sum(case((many, 1), else_=0)))
             .where(rec_t.c.kind == "group"))
        with self._reading() as conn:
            n, multi = conn.execute(q).one()
        return n, int(multi or 0)

    def count_disagreements(self) -> list[tuple[str, int]]:
        """How many disagreements of each kind are stored, most first (a tie in the order
        the kinds first appear)."""
        kind = self._json_field(rec_t.c.record, "kind").label("kind")
        q = (select(kind, func.count().label("n"), func.min(rec_t.c.pk).label("first"))
             .where(rec_t.c.kind == "disagreement").group_by(kind))
        with self._reading() as conn:
            return [(r.kind, r.n) for r in sorted(conn.execute(q),
                                                  key=lambda r: (-r.n, r.first))]

    def _json_field(self, column: Any, name: str, as_type: Any = None) -> Any:
        """A top-level field of the JSON text in `column`, in this database's terms."""
        if self.engine.dialect.name == "postgresql":
            value = cast(column, JSONB)[name].astext
            return cast(value, as_type) if as_type is not None else value
        return func.json_extract(column, f"$.{name}")

    def state(self) -> tuple[Any, ...]:
        """A mark of what is stored: it changes when a document, a claim or a
        reconciliation is written (rows counted and the highest row of each table; rows
        are only added to documents, and a table's new rows take numbers above its
        highest), so that what is computed from the store can be kept until it does."""
        cols = []
        for t in (docs_t, claims_t, rec_t, pending_t, names_t, keys_t):
            cols += [select(func.count()).select_from(t).scalar_subquery(),
                     select(func.max(t.c.pk)).scalar_subquery(),
                     select(func.min(t.c.pk)).scalar_subquery()]
        with self._reading() as conn:
            return tuple(conn.execute(select(*cols)).one())

    def derived(self, name: str, compute: Callable[[], T]) -> T:
        """compute(), kept while the store's `state` stays what it was: a server answers
        each request after the first from it instead of reading every claim again."""
        with self.snapshot():
            mark = self.state()
            kept = self._derived.get(name)
            if kept is not None and kept[0] == mark:
                return kept[1]
            # one thread computes it; another asking meanwhile waits for that answer
            # instead of competing for the same CPU to compute it again
            with self._locks_lock:
                lock = self._derived_locks.setdefault(name, threading.RLock())
            with lock:
                kept = self._derived.get(name)
                if kept is not None and kept[0] == mark:
                    return kept[1]
                value = compute()
                self._derived[name] = (mark, value)
                return value

    def count_claims(self) -> int:
        with self._reading() as conn:
            return conn.execute(select(func.count()).select_from(claims_t)).scalar_one()


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    """Ids in lists of CHUNK, for IN (...): databases bound the parameters of a statement."""
    values = sorted(set(values), key=str)
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


def _is_latest(docs: Any) -> Any:
    """The row is its document's latest version (an index lookup per row, not a group-by
    over every document)."""
    newer = docs_t.alias("newer")
    return ~exists().where(newer.c.doc_id == docs.c.doc_id, newer.c.version > docs.c.version)


def _latest(q: Any) -> Any:
    """`q` over claims, kept to the claims of the latest versions."""
    return q.join(docs_t, docs_t.c.pk == claims_t.c.document_pk).where(_is_latest(docs_t))


def _keyed(r: Any) -> dict[str, Any]:
    return {**json.loads(r.record), "key": f"{r.doc_id}#{r.seq}"}


# PostgreSQL: the version, the document, its claims and its row in unreconciled in one
# statement (one round trip to the server instead of four), the claims passed as one
# JSON array of rows typed by jsonb_to_recordset. Every parameter has its type said:
# PostgreSQL refuses a parameter used twice whose type it must guess.
_CLAIM_COLUMNS = ("doc_id text, seq integer, metric text, value_low bigint, value_high bigint, "
                  "qualifier text, stance text, victim_group text, actor text, speaker text, "
                  "org text, side text, country text, admin1 text, period_start date, "
                  "period_end date, record text, pipeline text")
_ADD_DOCUMENT = text(f"""
WITH last AS (
    SELECT pk, version, content_hash FROM documents
    WHERE doc_id = CAST(:doc_id AS varchar) ORDER BY version DESC LIMIT 1),
added AS (
    INSERT INTO documents (doc_id, version, content_hash, text, date, source, url, title,
                           meta, origin, ingested_at)
    SELECT CAST(:doc_id AS varchar), COALESCE((SELECT version FROM last), 0) + 1,
           CAST(:hash AS varchar), CAST(:text AS text), :date, CAST(:source AS text),
           CAST(:url AS text), CAST(:title AS text), CAST(:meta AS text),
           CAST(:origin AS text), :ingested_at
    WHERE NOT EXISTS (SELECT 1 FROM last WHERE content_hash = CAST(:hash AS varchar))
    RETURNING pk),
its_claims AS (
    INSERT INTO claims (document_pk, doc_id, seq, metric, value_low, value_high, qualifier,
                        stance, victim_group, actor, speaker, org, side, country, admin1,
                        period_start, period_end, record, pipeline)
    SELECT added.pk, r.doc_id, r.seq, r.metric, r.value_low, r.value_high, r.qualifier,
           r.stance, r.victim_group, r.actor, r.speaker, r.org, r.side, r.country,
           r.admin1, r.period_start, r.period_end, r.record, r.pipeline
    FROM added, jsonb_to_recordset(CAST(:claims AS jsonb)) AS r({_CLAIM_COLUMNS})),
pending AS (
    INSERT INTO unreconciled (doc_id) SELECT CAST(:doc_id AS varchar) FROM added)
SELECT (SELECT pk FROM added) AS pk, (SELECT pk FROM last) AS last_pk
""").bindparams(bindparam("date", type_=Date), bindparam("ingested_at",
                                                         type_=DateTime(timezone=True)))


def _add_in_one_statement(conn: Connection, doc: Document, digest: str,
                          claims: Sequence[dict[str, Any]] | None,
                          pipeline: str) -> tuple[Outcome, int]:
    rows = [{k: v for k, v in r.items() if k != "document_pk"}
            for r in _claim_rows(0, doc.id, claims or (), pipeline)]
    found = conn.execute(_ADD_DOCUMENT, {
        "doc_id": doc.id, "hash": digest, "text": doc.text, "date": doc.date,
        "source": doc.source, "url": doc.url, "title": doc.title,
        "meta": json.dumps(doc.meta, default=str, ensure_ascii=False), "origin": doc.origin,
        "ingested_at": datetime.now(timezone.utc),
        "claims": json.dumps(rows, default=str, ensure_ascii=False)}).one()
    if found.pk is None:
        return "same", found.last_pk
    return ("version" if found.last_pk is not None else "new"), found.pk


def _of_latest(q: Select[Any]) -> Select[Any]:
    """`q` over claims, narrowed to those of each document's latest version. Said as "no
    newer version exists" (not as a join on each document's highest version) so that a
    page in (doc_id, seq) order reads the claims index in order and stops at the page."""
    newer = aliased(docs_t)
    return (q.join(docs_t, docs_t.c.pk == claims_t.c.document_pk)
            .where(~exists().where(newer.c.doc_id == docs_t.c.doc_id,
                                   newer.c.version > docs_t.c.version)))


def _claim_conditions(doc: str | None = None, metric: str | None = None,
                      actor: str | None = None, side: str | None = None,
                      stance: str | None = None, since: date | None = None,
                      until: date | None = None, country: str | None = None,
                      admin1: str | None = None) -> list[ColumnElement[bool]]:
    """The filters of `Store.claims` as SQL conditions (an empty filter filters nothing)."""
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
    return conds


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
