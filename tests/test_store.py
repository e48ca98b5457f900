"""The store, run against a SQLite file and the real PostgreSQL server."""
from __future__ import annotations

from datetime import date

import pytest

from tally.documents.model import Document
from tally.errors import NotFound
from tally.store import open_store


def claim(doc: str, metric: str, low: int, **extra) -> dict:
    return {"doc": doc, "metric": metric, "value": {"low": low, "high": low,
                                                    "qualifier": "exact", "text": str(low)},
            "stance": extra.pop("stance", "asserted"),
            "source": {"speaker": None, "org": extra.pop("org", None),
                       "side": extra.pop("side", "media"), "via": None},
            "perpetrator": {"actor": extra.pop("actor", None), "text": None},
            "place": {"text": None, "country": extra.pop("country", None), "admin1": None},
            "period": extra.pop("period", {"text": None, "start": None, "end": None}),
            "victim": {"group": "civilians", "text": None},
            "evidence": {"sentence": "s", "start": 0, "end": 1}}


def test_same_content_is_stored_once(db_url):
    with open_store(db_url) as store:
        d = Document(id="a", text="Ten were killed.", date=date(2020, 1, 2), source="Wire")
        assert store.add_document(d)[0] == "new"
        assert store.add_document(d)[0] == "same"
        assert store.count_documents() == 1


def test_changed_content_is_a_new_version_and_old_kept(db_url):
    with open_store(db_url) as store:
        store.add_document(Document(id="a", text="Ten were killed."), [claim("a", "killed", 10)])
        outcome, _ = store.add_document(Document(id="a", text="Twelve were killed."),
                                        [claim("a", "killed", 12)])
        assert outcome == "version"
        latest = store.document("a")
        assert latest.version == 2 and latest.versions == 2 and latest.text.startswith("Twelve")
        assert store.document("a", version=1).text.startswith("Ten")
        # claims of the latest version only, by default
        assert [c["value"]["low"] for c in store.claims()] == [12]
        assert sorted(c["value"]["low"] for c in store.claims(latest_only=False)) == [10, 12]


def test_reopening_keeps_everything(db_url):
    with open_store(db_url) as store:
        store.add_document(Document(id="a", text="One was wounded.", meta={"k": [1, 2]}))
    with open_store(db_url) as store:  # migrations run again and change nothing
        (d,) = store.documents()
        assert d.meta == {"k": [1, 2]} and store.count_documents() == 1


def test_missing_document(db_url):
    with open_store(db_url) as store, pytest.raises(NotFound, match="tally docs"):
        store.document("nope")


def test_claim_filters(db_url):
    with open_store(db_url) as store:
        store.add_document(Document(id="a", text="x"), [
            claim("a", "killed", 7, actor="Taliban", side="government", country="AF",
                  period={"text": "Monday", "start": "2020-06-22", "end": "2020-06-22"}),
            claim("a", "wounded", 3, stance="denied", side="insurgent"),
        ])
        store.add_document(Document(id="b", text="y"), [claim("b", "killed", 13)])
        assert len(store.claims()) == 3
        assert [c["doc"] for c in store.claims(metric="killed")] == ["a", "b"]
        assert len(store.claims(actor="taliban")) == 1
        assert len(store.claims(stance="denied")) == 1
        assert len(store.claims(side="government")) == 1
        assert len(store.claims(doc="b")) == 1
        assert len(store.claims(country="af")) == 1
        assert len(store.claims(since=date(2020, 6, 22), until=date(2020, 6, 30))) == 1
        assert store.claims(since=date(2020, 7, 1)) == []


def test_a_failing_document_does_not_undo_others(db_url):
    with open_store(db_url) as store:
        store.add_document(Document(id="ok", text="Fine."))
        bad = claim("bad", "killed", 1)
        bad["metric"] = None  # violates NOT NULL: the whole document is rolled back
        with pytest.raises(Exception):
            store.add_document(Document(id="bad", text="Broken."), [bad])
        assert [d.id for d in store.documents()] == ["ok"]


def test_going_back_to_an_earlier_text_is_a_new_latest_version(db_url):
    with open_store(db_url) as store:
        for text, expected in [("Seven were killed.", "new"), ("Thirteen were killed.", "version"),
                               ("Seven were killed.", "version"), ("Seven were killed.", "same")]:
            outcome, _ = store.add_document(Document(id="a", text=text),
                                            [claim("a", "killed", len(text))])
            assert outcome == expected, text
        latest = store.document("a")
        assert latest.version == 3 and latest.text == "Seven were killed."
        assert [c["value"]["low"] for c in store.claims()] == [len("Seven were killed.")]


def test_migrating_an_older_store_keeps_its_claims(tmp_path):
    """0003 rebuilds the documents table on SQLite; the claims must survive it."""
    from sqlalchemy import text

    db = tmp_path / "old.db"
    engine = _store_at(db, "0002")
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(text(
            "insert into documents (doc_id, version, content_hash, text, meta, ingested_at) "
            "values ('a', 1, 'h', 'Ten were killed.', '{}', '2024-01-01 00:00:00')"))
        conn.execute(text(
            "insert into claims (document_pk, doc_id, seq, metric, stance, record, pipeline) "
            "values (1, 'a', 0, 'killed', 'asserted', '{\"metric\": \"killed\"}', 'p')"))
    engine.dispose()
    with open_store(str(db)) as store:
        assert store.count_claims() == 1
        assert store.add_document(Document(id="a", text="Ten were killed."))[0] == "version"


def test_reading_never_creates_a_store(db_url):
    from tally.errors import StoreError

    with pytest.raises(StoreError, match="(no store at|holds no tally store)"):
        open_store(db_url, must_exist=True)
    with open_store(db_url) as store:  # a writer creates it
        store.add_document(Document(id="a", text="One died."))
    with open_store(db_url, must_exist=True) as store:
        assert store.count_documents() == 1


@pytest.mark.parametrize("setup, message", [
    ("update alembic_version set version_num = '0099'",
     "was written by a newer tally (schema 0099, this tally knows up to"),
    ("drop table alembic_version", "holds tables named like tally's but no schema version"),
])
def test_a_store_this_tally_cannot_read_is_one_line(db_url, setup, message):
    from sqlalchemy import text

    from tally.errors import StoreError

    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(text(setup))
    with pytest.raises(StoreError) as e:
        open_store(db_url)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_an_older_store_is_migrated_only_when_asked(tmp_path, monkeypatch, capsys):
    """Reading commands name `tally migrate`; it backs the file up, then upgrades."""
    from tests.test_cli import tally as run

    db = tmp_path / "old.db"
    _store_at(db, "0002").dispose()

    def tally(*args: str) -> tuple[int, str]:
        code, _out, err = run(monkeypatch, capsys, *args)
        return code, err

    code, err = tally("claims", "--db", str(db))
    assert code == 3 and err.strip().splitlines() == [
        f"error: the store sqlite:///{db} has schema 0002, this tally needs "
        f"{_head()}: run `tally migrate` on it (a SQLite file is backed up first)"]
    code, err = tally("migrate", "--db", str(db))
    backup = tmp_path / "old.db.schema-0002.bak"
    assert code == 0 and backup.is_file() and "upgraded from schema 0002" in err
    assert tally("claims", "--db", str(db), "-f", "json")[0] == 0
    assert "already at this tally's schema" in tally("migrate", "--db", str(db))[1]


def test_reconciliation_from_before_the_marks_is_redone_in_full(db_url):
    """A store from before 0004 may hold reconciliation a crash left stale: migrating it
    marks every document, and the next reconciliation recomputes all of it."""
    from sqlalchemy import text

    from tally import pipeline

    engine = _store_at(db_url, "0003")
    with engine.begin() as conn:
        conn.execute(text(
            "insert into documents (doc_id, version, content_hash, text, meta, ingested_at) "
            "values ('a', 1, 'h', 'Ten were killed.', '{}', '2024-01-01 00:00:00')"))
        conn.execute(text("insert into reconciled (kind, doc_id, bucket, record) "
                          "values ('group', null, 'killed|-', '{\"stale\": true}')"))
    engine.dispose()
    with open_store(db_url) as store:
        assert store.unreconciled() == [(1, None)]
        result = pipeline.ingest(store, [], extract=True)
        assert result.reconciled is not None
        assert store.unreconciled() == [] and store.reconciled("group") == []


def _store_at(db, revision: str):
    """A store as an older tally left it: migrated up to `revision` only."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from tally.store.store import MIGRATIONS, to_url

    engine = create_engine(to_url(str(db)))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return engine


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from tally.store.store import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return str(ScriptDirectory.from_config(cfg).get_current_head())


def test_a_store_locked_while_another_command_sets_it_up_is_opened_on_a_later_try(
        tmp_path, monkeypatch):
    # two commands creating one SQLite file at once: "database is locked" while the other
    # sets it up is worth another try; any other failure is reported at once
    from sqlalchemy.exc import OperationalError

    from tally.errors import StoreError
    from tally.store import store as store_module

    real, calls = store_module.Store.migrate, []

    def locked_twice(self, create=True, upgrade=True):
        calls.append(1)
        if len(calls) <= 2:
            raise StoreError("cannot open the store: database is locked") from \
                OperationalError("PRAGMA journal_mode=WAL", {}, Exception("database is locked"))
        return real(self, create, upgrade)

    monkeypatch.setattr(store_module.Store, "migrate", locked_twice)
    with open_store(str(tmp_path / "new.db")) as store:
        assert store.count_documents() == 0
    assert len(calls) == 3

    def broken(self, create=True, upgrade=True):
        calls.append(1)
        raise StoreError("cannot open the store: disk I/O error") from \
            OperationalError("select 1", {}, Exception("disk I/O error"))

    calls.clear()
    monkeypatch.setattr(store_module.Store, "migrate", broken)
    with pytest.raises(StoreError, match="disk I/O"):
        open_store(str(tmp_path / "other.db"))
    assert len(calls) == 1
