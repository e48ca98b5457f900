"""Two writers at once, on a SQLite file and on the real PostgreSQL: no version is lost,
none is stored twice, and the latest text is what the store shows."""
from __future__ import annotations

import threading
from collections import Counter

import pytest

from tally.documents.model import Document
from tally.store import open_store

IDS = [f"wire-{i}" for i in range(25)]


def _race(db_url: str, texts: dict[str, str]) -> dict[str, list[str]]:
    """Each writer (own engine, own connections) stores its text under every id; all
    start together. Returns the outcomes per writer."""
    stores = {w: open_store(db_url) for w in texts}
    start = threading.Barrier(len(texts))
    outcomes: dict[str, list[str]] = {w: [] for w in texts}
    failures: list[BaseException] = []

    def write(w: str) -> None:
        start.wait()
        try:
            for doc_id in IDS:
                outcome, _ = stores[w].add_document(
                    Document(id=doc_id, text=texts[w].format(doc_id)))
                outcomes[w].append(outcome)
        except BaseException as e:  # the test reports it below
            failures.append(e)

    threads = [threading.Thread(target=write, args=(w,)) for w in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores.values():
        s.close()
    assert not failures, failures
    return outcomes


def test_two_writers_different_texts_keep_both_versions(db_url):
    outcomes = _race(db_url, {"a": "Seven were killed in {}.", "b": "Thirteen were killed in {}."})
    assert Counter(outcomes["a"] + outcomes["b"]) == {"new": len(IDS), "version": len(IDS)}
    with open_store(db_url) as store:
        for doc_id in IDS:
            latest = store.document(doc_id)
            assert latest.versions == 2
            texts = {store.document(doc_id, v).text.split()[0] for v in (1, 2)}
            assert texts == {"Seven", "Thirteen"}
            assert latest.text == store.document(doc_id, 2).text


def test_two_writers_same_text_store_it_once(db_url):
    outcomes = _race(db_url, {"a": "Five were wounded in {}.", "b": "Five were wounded in {}."})
    assert Counter(outcomes["a"] + outcomes["b"]) == {"new": len(IDS), "same": len(IDS)}
    with open_store(db_url) as store:
        assert store.count_documents() == len(IDS)
        assert all(d.versions == 1 for d in store.documents())


@pytest.mark.parametrize("writers", [3])
def test_many_writers_each_version_once(db_url, writers):
    texts = {str(n): f"{n} were killed in {{}}." for n in range(writers)}
    _race(db_url, texts)
    with open_store(db_url) as store:
        for doc_id in IDS[:5]:
            versions = store.document(doc_id).versions
            assert versions == writers
            assert sorted(store.document(doc_id, v).text for v in range(1, versions + 1)) == \
                sorted(t.format(doc_id) for t in texts.values())


# Two `tally ingest` processes at once: reconciliation as a serial run leaves it ---------

def _ingest_process(path, db: str):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("TALLY_FAULT_POINT", None)
    return subprocess.Popen([sys.executable, "-m", "tally.cli", "ingest", str(path), "--db", db],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _together(*jobs: tuple) -> None:
    procs = [_ingest_process(path, db) for path, db in jobs]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-2000:]


@pytest.mark.parametrize("split", ["halves", "same file"])
def test_two_ingests_at_once_reconcile_as_one_run(tmp_path, db_url, split):
    from tests.corpus import documents, write_jsonl
    from tests.test_crashes import assert_same, store_state, tally_cli

    rows = documents(range(6))
    whole = write_jsonl(tmp_path / "all.jsonl", rows)
    clean = str(tmp_path / "clean.db")
    tally_cli("ingest", str(whole), "--db", clean)
    if split == "halves":  # each incident's reports split between the two writers
        a = write_jsonl(tmp_path / "a.jsonl", rows[::2])
        b = write_jsonl(tmp_path / "b.jsonl", rows[1::2])
    else:
        a = b = whole
    _together((a, db_url), (b, db_url))
    assert_same(store_state(db_url, origin=False), store_state(clean, origin=False))


def test_two_ingests_of_different_texts_under_the_same_ids(tmp_path, db_url):
    """Whichever writer comes last gives the latest text; both versions are kept, and the
    reconciliation is that of the store's latest texts, as `tally reconcile` finds it."""
    from tests.corpus import documents, write_jsonl
    from tests.test_crashes import assert_same, store_state, tally_cli

    first = documents(range(4))
    revised = documents(range(4), revised=True)
    a = write_jsonl(tmp_path / "a.jsonl", first)
    b = write_jsonl(tmp_path / "b.jsonl", revised)
    _together((a, db_url), (b, db_url))
    state = store_state(db_url)
    versions = Counter(doc[0] for doc in state["documents"])
    assert {i: versions[i] for i in (r["id"] for r in revised)} == {r["id"]: 2 for r in revised}
    assert len(versions) == len(first) and state["pending"] == 0
    tally_cli("reconcile", "--db", db_url)
    assert_same(store_state(db_url), state)
