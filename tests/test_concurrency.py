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
