"""kill -9 and two writers on real articles: the shared dev corpus (dev + dev/more, and a
lightly reworded reprint of some of them, made at run time, so that copies are found).

    python bench/crash_check.py [--pg URL] [--points stored@1,stored@20,...] [--limit N]

For each backend (a SQLite file; PostgreSQL when --pg is given or reachable) and each
point, a real `tally ingest` is killed there (tally.faultpoint), the same ingest is run
again, and the store is compared with a clean run's: documents, claims, groups,
disagreements, copies. Then two ingests at once (the halves of the corpus; the whole
corpus twice) against the clean run. Prints one line per case and a count.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from tally.documents.readers import Notice, read_inputs  # noqa: E402
from tests.test_crashes import store_state  # noqa: E402

SHARED = Path(os.environ.get("TALLY_SHARED", ROOT.parent / "shared"))
PG = os.environ.get("TALLY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def corpus(folder: Path, limit: int | None = None) -> tuple[Path, int]:
    docs = [d for d in read_inputs([str(SHARED / "dev/articles"), str(SHARED / "dev/more/articles")])
            if not isinstance(d, Notice)][:limit]
    rows = [{"id": d.id, "text": d.text, "date": d.date.isoformat() if d.date else None,
             "source": d.source, "title": d.title} for d in docs]
    for d in docs[:12]:  # a reprint a day later by another outlet, a few words changed
        rows.append({"id": f"{d.id}-reprint", "text": d.text.replace(" said", " stated", 2),
                     "date": ((d.date or date(2020, 1, 1)) + timedelta(days=1)).isoformat(),
                     "source": "Reprint Wire"})
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path, len(rows)


def ingest(path: Path, db: str, point: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("TALLY_FAULT_POINT", None)
    if point:
        env["TALLY_FAULT_POINT"] = point
    return subprocess.Popen([sys.executable, "-m", "tally.cli", "ingest", str(path), "--db", db],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finish(*procs: subprocess.Popen) -> list[int]:
    return [p.wait(timeout=1800) for p in procs]


def differences(got: dict, want: dict) -> list[str]:
    return [part for part in want if got[part] != want[part]]


class Databases:
    """A fresh database per case: a SQLite file, or a PostgreSQL schema."""

    def __init__(self, folder: Path, pg: str | None) -> None:
        self.folder, self.pg, self.schemas = folder, pg, []

    def new(self, backend: str) -> str:
        if backend == "sqlite":
            return str(self.folder / f"{uuid.uuid4().hex[:8]}.db")
        schema = f"tally_bench_{uuid.uuid4().hex[:10]}"
        eng = create_engine(self.pg)
        with eng.begin() as c:
            c.execute(text(f'create schema "{schema}"'))
        eng.dispose()
        self.schemas.append(schema)
        return f"{self.pg}?options=-csearch_path%3D{schema}"

    def drop(self) -> None:
        if not self.schemas:
            return
        eng = create_engine(self.pg)
        with eng.begin() as c:
            for s in self.schemas:
                c.execute(text(f'drop schema "{s}" cascade'))
        eng.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", default=PG)
    ap.add_argument("--points", default="")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, n = corpus(folder, a.limit)
        points = a.points.split(",") if a.points else [
            "stored@1", f"stored@{n // 3}", f"stored@{2 * n // 3}", f"stored@{n}",
            "reconciling@1", "reconcile-writing@1", "reconciled@1"]
        dbs = Databases(folder, a.pg)
        backends = ["sqlite"]
        try:
            create_engine(a.pg).connect().close()
            backends.append("postgresql")
        except Exception as e:  # no server: SQLite only, and say so
            print(f"PostgreSQL not reachable ({type(e).__name__}): SQLite only")
        clean_db = dbs.new("sqlite")
        assert finish(ingest(path, clean_db)) == [0]
        clean = store_state(clean_db)
        print(f"clean run: {n} documents, {len(clean['claims'])} claims, "
              f"{len(clean['group'])} groups, {len(clean['disagreement'])} disagreements, "
              f"{len(clean['copy'])} copies")
        half = [folder / "a.jsonl", folder / "b.jsonl"]
        lines = path.read_text("utf-8").splitlines(keepends=True)
        half[0].write_text("".join(lines[::2]), "utf-8")
        half[1].write_text("".join(lines[1::2]), "utf-8")
        tally = {"kill": [0, 0], "writers": [0, 0]}
        try:
            for backend in backends:
                for point in points:
                    db = dbs.new(backend)
                    killed = finish(ingest(path, db, point))
                    again = finish(ingest(path, db))
                    diff = differences(store_state(db), clean)
                    ok = killed == [-signal.SIGKILL] and again == [0] and not diff
                    tally["kill"][0 if ok else 1] += 1
                    print(f"kill -9 {backend:10s} {point:22s} {'held' if ok else 'FAILED'}"
                          f"{'' if ok else f' (exit {killed} {again}, differ: {diff})'}")
                for name, files in (("halves", half), ("same file", [path, path])):
                    db = dbs.new(backend)
                    codes = finish(*(ingest(f, db) for f in files))
                    diff = differences(store_state(db, origin=False),
                                       store_state(clean_db, origin=False))
                    ok = codes == [0, 0] and not diff
                    tally["writers"][0 if ok else 1] += 1
                    print(f"two writers {backend:10s} {name:18s} {'held' if ok else 'FAILED'}"
                          f"{'' if ok else f' (exit {codes}, differ: {diff})'}")
        finally:
            dbs.drop()
        for k, (held, failed) in tally.items():
            print(f"{k}: {held + failed} cases, {held} held, {failed} failed")


if __name__ == "__main__":
    main()
