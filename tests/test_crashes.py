"""kill -9 at chosen moments of a real `tally ingest`, on a SQLite file and on the real
PostgreSQL; then the same ingest again. The store must then be exactly what one clean
run leaves: documents, claims, figure groups, disagreements and copies.

The moments are test seams (tally.faultpoint, TALLY_FAULT_POINT): after the n-th
document is stored, when reconciliation is computed but not written, inside the
transaction that writes it, and after it.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from tally.cli import app
from tally.store.store import to_url
from tests.conftest import ROOT
from tests.corpus import documents, write_jsonl

INCIDENTS = range(4)
FIRST = documents(INCIDENTS)
SECOND = documents(INCIDENTS, revised=True) + documents(range(4, 6))


def tally_cli(*args: str) -> None:
    r = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output


def killed_ingest(path: Path, db: str, point: str) -> None:
    """`tally ingest` in its own process, killed (SIGKILL) at `point`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TALLY_FAULT_POINT": point}
    r = subprocess.run([sys.executable, "-m", "tally.cli", "ingest", str(path), "--db", db],
                       env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == -signal.SIGKILL, (point, r.returncode, r.stderr[-2000:])


def store_state(db: str, origin: bool = True) -> dict[str, Any]:
    """Everything a user can see of the store, in an order that does not depend on the
    order rows were written in (`origin`: with the file and line each document came from)."""
    engine = create_engine(to_url(db))
    try:
        with engine.connect() as c:
            docs = sorted(tuple(str(v) for v in r) for r in c.execute(text(
                "select doc_id, version, content_hash, text, date, source, url, title, meta, "
                f"{'origin' if origin else 'null'} from documents")))
            claims = sorted((r.doc_id, r.version, r.seq, r.record, r.pipeline)
                            for r in c.execute(text(
                                "select c.doc_id, d.version, c.seq, c.record, c.pipeline "
                                "from claims c join documents d on d.pk = c.document_pk")))
            rec: dict[str, list] = {"group": [], "disagreement": [], "copy": []}
            for r in c.execute(text("select kind, doc_id, bucket, record from reconciled")):
                rec[r.kind].append((r.doc_id, r.bucket,
                                    json.dumps(json.loads(r.record), sort_keys=True)))
            pending = c.execute(text("select count(*) from unreconciled")).scalar()
    finally:
        engine.dispose()
    return {"documents": docs, "claims": claims, "pending": pending,
            **{k: sorted(v, key=str) for k, v in rec.items()}}


def assert_same(got: dict[str, Any], want: dict[str, Any]) -> None:
    for part in want:
        assert got[part] == want[part], f"{part} differ from a clean run"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The two batches, and what clean runs leave (on a SQLite file)."""
    folder = tmp_path_factory.mktemp("crash-corpus")
    first = write_jsonl(folder / "first.jsonl", FIRST)
    second = write_jsonl(folder / "second.jsonl", SECOND)
    one, two = str(folder / "clean-one.db"), str(folder / "clean-two.db")
    tally_cli("ingest", str(first), "--db", one)
    tally_cli("ingest", str(first), "--db", two)
    tally_cli("ingest", str(second), "--db", two)
    clean_one, clean_two = store_state(one), store_state(two)
    assert clean_one["pending"] == 0 and clean_one["group"] and clean_one["disagreement"]
    assert clean_one["copy"] and clean_two["documents"] != clean_one["documents"]
    return {"first": first, "second": second, "one": clean_one, "two": clean_two}


N = len(FIRST)


@pytest.mark.parametrize("point", [
    "stored@1", f"stored@{N // 2}",  # between documents
    f"stored@{N}",                   # all stored, nothing reconciled
    "reconciling@1",                 # reconciliation computed, not written
    "reconcile-writing@1",           # mid-way through writing it
    "reconciled@1",                  # written, the process not yet done
])
def test_killed_first_ingest_then_again_is_a_clean_run(corpus, db_url, point):
    killed_ingest(corpus["first"], db_url, point)
    tally_cli("ingest", str(corpus["first"]), "--db", db_url)
    assert_same(store_state(db_url), corpus["one"])


@pytest.mark.parametrize("point", ["stored@2", "reconcile-writing@1"])
def test_killed_update_of_a_reconciled_store_then_again(corpus, db_url, point):
    """New versions and new documents into a store reconciled before."""
    tally_cli("ingest", str(corpus["first"]), "--db", db_url)
    killed_ingest(corpus["second"], db_url, point)
    tally_cli("ingest", str(corpus["second"]), "--db", db_url)
    assert_same(store_state(db_url), corpus["two"])


def test_killed_ingest_is_finished_by_tally_reconcile(corpus, sqlite_url):
    """Any later writing command finishes what the killed one left: `tally reconcile`."""
    killed_ingest(corpus["first"], sqlite_url, f"stored@{N}")
    assert store_state(sqlite_url)["group"] == []
    tally_cli("reconcile", "--db", sqlite_url)
    assert_same(store_state(sqlite_url), corpus["one"])


def test_a_killed_no_reconcile_ingest_is_reconciled_by_the_next_ingest(corpus, sqlite_url):
    tally_cli("ingest", str(corpus["first"]), "--db", sqlite_url, "--no-reconcile")
    assert store_state(sqlite_url)["pending"] == N
    tally_cli("ingest", str(corpus["first"]), "--db", sqlite_url)
    assert_same(store_state(sqlite_url), corpus["one"])


def test_reading_a_store_a_killed_ingest_left_says_so(corpus, sqlite_url, caplog):
    killed_ingest(corpus["first"], sqlite_url, f"stored@{N // 2}")
    with caplog.at_level(logging.WARNING, "tally"):
        tally_cli("figures", "--db", sqlite_url)
    (line,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert line.startswith(f"figure groups and disagreements do not yet take in {N // 2} "
                           "documents stored lately") and "`tally reconcile`" in line
    caplog.clear()
    tally_cli("reconcile", "--db", sqlite_url)
    with caplog.at_level(logging.WARNING, "tally"):
        tally_cli("figures", "--db", sqlite_url)
    assert not caplog.records
