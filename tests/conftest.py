"""Shared fixtures: real SQLite files, the real PostgreSQL server, the real spaCy model."""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from typing import Any
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TALLY_SHARED", ROOT.parent / "shared"))
PG_URL = os.environ.get("TALLY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def needs_shared() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not (SHARED / "CLAIMS.md").exists(),
                              reason=f"../shared is absent ({SHARED}): no gold data to measure")


def _pg_reachable() -> str | None:
    try:
        eng = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with eng.connect() as c:
            c.execute(text("select 1"))
        eng.dispose()
        return None
    except Exception as e:  # any failure to connect means: skip, and say why
        return f"no PostgreSQL server reachable at {PG_URL} ({type(e).__name__})"


_PG_PROBLEM = _pg_reachable()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "tally.db")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema in the real PostgreSQL server, dropped afterwards."""
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    schema = f"tally_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as c:
        c.execute(text(f'create schema "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as c:
            c.execute(text(f'drop schema "{schema}" cascade'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each store test runs against a SQLite file and against the real PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture(scope="session")
def extractor():
    from tally.nlp.extractor import Extractor

    return Extractor.default()


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store holding the bundled examples, ingested and reconciled by the CLI."""
    from typer.testing import CliRunner

    from tally.cli import app

    db = str(tmp_path_factory.mktemp("examples") / "examples.db")
    r = CliRunner().invoke(app, ["ingest", str(ROOT / "examples"), "--db", db],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return db


@pytest.fixture(scope="session")
def examples_report(examples_db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML report of the examples' store, written by `tally report` (charts and all:
    some seconds, so once)."""
    from typer.testing import CliRunner

    from tally.cli import app

    out = tmp_path_factory.mktemp("report") / "report.html"
    r = CliRunner().invoke(app, ["report", "--db", examples_db, "--out", str(out)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(autouse=True)
def no_swallowed_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The extractor logs and skips what it cannot read, so that a batch goes on; in the
    tests such a log line is a failure, not something to scroll past."""
    yield
    errors = [r for r in caplog.get_records("call")
              if r.levelno >= logging.ERROR and r.name.startswith("tally")]
    assert not errors, "\n".join(r.getMessage() for r in errors)


@pytest.fixture
def store_copy(examples_db: str, tmp_path: Path) -> str:
    """A copy of the examples' store that a test may write to."""
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(examples_db, db)
    return str(db)


@pytest.fixture
def client(store_copy: str) -> Iterator[Any]:
    """The web app over `store_copy`, called in process from loopback."""
    from starlette.testclient import TestClient

    from tally.web.app import create_app

    with TestClient(create_app(store_copy), base_url="http://127.0.0.1") as c:
        yield c


@contextmanager
def serving(db: str, **options: Any) -> Iterator[int]:
    """The app over the store `db` served by uvicorn on a free loopback port (its
    number), stopped on leaving; `options` go to uvicorn's Config."""
    import uvicorn

    from tally.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                        log_level="warning", **options))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        srv.should_exit = True
        thread.join(10)


@pytest.fixture
def server(store_copy: str) -> Iterator[str]:
    """The app over `store_copy` served by uvicorn on a free loopback port."""
    with serving(store_copy) as port:
        yield f"http://127.0.0.1:{port}"
