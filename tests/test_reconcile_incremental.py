"""A store reconciled change by change holds what a full recompute of it holds, whatever
order and batches the documents (and their new versions) arrive in: groups,
disagreements, copies, the passage keys and the names they were computed with.

Documents are made of sentences of our own, each with the claim an extractor would read
from it, so that documents sharing sentences are syndicated copies of each other and
spellings of one speaker or body meet in different documents."""
from __future__ import annotations

import json
import random
import tempfile
from datetime import date
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from tally.documents.model import Document
from tally.reconcile.persist import refresh
from tally.store import open_store
from tally.store.schema import names as names_t
from tally.store.schema import passage_keys as keys_t

# (sentence, metric, figure, speaker, organisation, country, day)
SENTENCES = [
    ("Gunmen killed 14 farmers near the river crossing at Dalvari on Monday, said Tareq "
     "Arian.", "killed", 14, "Tareq Arian", None, "AF", 3),
    ("Tariq Arian said that gunmen killed 19 farmers near the Dalvari river crossing on "
     "Monday.", "killed", 19, "Tariq Arian", None, "AF", 3),
    ("The ministry said 6 police officers were wounded when a mine struck their truck "
     "outside Koronel.", "wounded", 6, None, "the ministry", "AF", 4),
    ("The Interior Ministry said 9 police officers were wounded when a mine struck their "
     "truck outside Koronel.", "wounded", 9, None, "Interior Ministry", "AF", 4),
    ("Arian told reporters that 30 people had been killed across Velmora province during "
     "the week.", "killed", 30, "Arian", None, "AF", 5),
    ("The Velmora Health Office counted 41 wounded patients arriving at the clinic after "
     "the shelling.", "wounded", 41, None, "Velmora Health Office", "SO", 5),
    ("Officials at Velmora Health Office counted 44 wounded patients at the clinic after "
     "the shelling ended.", "wounded", 44, None, "Velmora Health Office", "SO", 5),
    ("The militia denied killing 14 farmers and said its fighters were far from Dalvari "
     "that day.", "killed", 14, None, "the militia", "AF", 3),
]


def _doc(doc_id: str, picks: list[int], day: int | None) -> tuple[Document, list[dict]]:
    text, claims = "", []
    for seq, i in enumerate(picks):
        sentence, metric, n, speaker, org, country, d = SENTENCES[i]
        start = len(text) + (1 if text else 0)
        text = f"{text} {sentence}" if text else sentence
        at = sentence.index(str(n))
        claims.append({
            "doc": doc_id, "metric": metric,
            "value": {"low": n, "high": n, "qualifier": "exact", "text": str(n)},
            "victim": {"group": "civilians"}, "perpetrator": {"actor": None},
            "kind": "incident", "place": {"country": country, "admin1": None},
            "period": {"text": "on Monday", "start": f"2024-03-0{d}", "end": f"2024-03-0{d}"},
            "source": {"speaker": speaker, "org": org, "side": "government"},
            "attribution": "direct", "stance": "denied" if "denied" in sentence else "asserted",
            "evidence": {"sentence": sentence, "start": start, "end": start + len(sentence),
                         "figure": at},
            "id": f"{doc_id}-{seq}-{n}"})
    return Document(id=doc_id, text=text, date=date(2024, 3, day) if day else None), claims


def _state(store: Any) -> dict[str, list[str]]:
    out = {kind: sorted(json.dumps(r, sort_keys=True) for r in store.reconciled(kind))
           for kind in ("group", "disagreement", "copy")}
    with store.engine.connect() as conn:
        out["keys"] = sorted(map(str, conn.execute(
            select(keys_t.c.doc_id, keys_t.c.start, keys_t.c.stop, keys_t.c.key))))
        out["names"] = sorted(map(str, conn.execute(
            select(names_t.c.kind, names_t.c.spelling, names_t.c.canonical,
                   names_t.c.first_doc))))
    return out


def _arrive(db: str, arrivals: list[tuple[str, list[int], int | None]],
            batches: list[int]) -> tuple[dict, dict]:
    with open_store(db) as store:
        return _arrive_in(store, arrivals, batches)


def _arrive_in(store: Any, arrivals: list[tuple[str, list[int], int | None]],
               batches: list[int]) -> tuple[dict, dict]:
    i = 0
    for size in batches + [len(arrivals)]:
        for doc_id, picks, day in arrivals[i:i + size]:
            store.add_document(*_doc(doc_id, picks, day))
        i += size
        refresh(store)
        if i >= len(arrivals):
            break
    step_by_step = _state(store)
    refresh(store, everything=True)
    return step_by_step, _state(store)


arrival = st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]),
                    st.lists(st.integers(0, len(SENTENCES) - 1), min_size=1, max_size=4),
                    st.one_of(st.none(), st.integers(1, 9)))


@pytest.fixture(scope="module")
def one_store() -> Iterator[Any]:
    """One SQLite store for every example, emptied before each: creating a store per
    example would cost more than the example."""
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "s.db")) as store:
        yield store


def _empty(store: Any) -> None:
    with store.engine.begin() as conn:
        for t in ("reconciled", "unreconciled", "passage_keys", "names", "claims",
                  "documents"):
            conn.execute(text(f"delete from {t}"))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(arrivals=st.lists(arrival, min_size=1, max_size=8),
       batches=st.lists(st.integers(1, 3), max_size=6))
def test_change_by_change_equals_a_full_recompute(one_store, arrivals, batches):
    _empty(one_store)
    step_by_step, full = _arrive_in(one_store, arrivals, batches)
    assert step_by_step == full


def test_change_by_change_equals_a_full_recompute_in_each_store(db_url):
    """One long random history, on SQLite and on PostgreSQL: new documents, new versions,
    copies and their originals arriving in any order."""
    rnd = random.Random(13)
    arrivals = [(rnd.choice("abcdefgh"), rnd.sample(range(len(SENTENCES)), rnd.randint(1, 4)),
                 rnd.choice([None, 2, 5, 8])) for _ in range(14)]
    step_by_step, full = _arrive(db_url, arrivals, [1, 2, 1, 3, 1, 1, 2])
    assert step_by_step == full
    assert full["copy"] and full["names"] and full["keys"]


def test_keys_crossing_the_common_line_change_copies_as_a_full_recompute(sqlite_url,
                                                                        monkeypatch):
    """A key found in more passages than the line allows stops counting, for pairs of
    documents stored long before: with the line at three passages, keys cross it back and
    forth as documents and their versions arrive."""
    from tally.reconcile import persist, syndication

    monkeypatch.setattr(syndication, "MAX_KEY_PASSAGES", 3)
    monkeypatch.setattr(persist, "MAX_KEY_PASSAGES", 3)
    # one sentence reprinted in four documents, then the fourth rewritten without it
    arrivals = [("p1", [5, 0], 2), ("p2", [5], 3), ("p3", [5, 2], 4), ("p4", [5], 5),
                ("p4", [3], 5), ("p5", [6, 0], 6)]
    seen = []
    with open_store(sqlite_url) as store:
        for doc_id, picks, day in arrivals:
            store.add_document(*_doc(doc_id, picks, day))
            refresh(store)
            seen.append(len(store.reconciled("copy")))
        step_by_step = _state(store)
        refresh(store, everything=True)
        assert step_by_step == _state(store)
    # three copies of one passage (p2, p3 of p1; p3 of p2), none while four carry it
    assert seen[2] == 3 and seen[3] == 0 and seen[4] == 3


def test_a_later_fuller_spelling_renames_the_speaker_in_earlier_records(sqlite_url):
    """'Arian' alone, then 'Tareq Arian' in another document: the cluster takes the fuller
    name, and the first document's records say it too, as a full recompute would."""
    with open_store(sqlite_url) as store:
        store.add_document(*_doc("b", [4], 5))
        refresh(store)
        assert "Arian" in json.dumps(store.reconciled("group"))
        store.add_document(*_doc("a", [0], 3))
        refresh(store)
        groups = [g for g in store.reconciled("group") if g["docs"] == ["b"]]
        assert [v["source"] for g in groups for v in g["values"]] == ["Tareq Arian"]
