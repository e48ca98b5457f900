"""The lists of the web API paged and counted by the database, and the summary counted by
it, give what filtering every stored claim in Python gave (the code they replace, kept
here as the reference), over a real SQLite file and the real PostgreSQL. The store holds
the bundled examples' claims, copied under edited ids, and a second version of one
document that drops a claim."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tally.documents.model import Document
from tally.reconcile.core import source_names
from tally.reconcile.persist import org_aliases, refresh
from tally.reconcile.sides import side_label
from tally.store import open_store
from tally.store.store import Store
from tally.web.app import create_app

COPIES = 3


def _moved(claim: dict[str, Any], doc_id: str, k: int) -> dict[str, Any]:
    def day(s: str | None) -> str | None:
        return (date.fromisoformat(s) + timedelta(days=k)).isoformat() if s else None

    v, p = claim["value"], claim["period"]
    return {**claim, "id": f"{claim['id'][:12]}{k:04x}", "doc": doc_id,
            "value": {**v, "low": None if v["low"] is None else v["low"] + k,
                      "high": None if v["high"] is None else v["high"] + k},
            "period": {**p, "start": day(p["start"]), "end": day(p["end"])}}


def _fill(examples_db: str, db: str) -> None:
    with open_store(examples_db) as src, open_store(db) as store:
        docs = [(d, src.claims(doc=d.id)) for d in src.documents()]
        for k in range(COPIES):
            for d, found in docs:
                doc_id = d.id if k == 0 else f"{d.id}~{k}"
                doc = Document(id=doc_id, text=d.text + ("" if k == 0 else f" ({k})"),
                               date=d.date, source=d.source, url=d.url, title=d.title)
                store.add_document(doc, [_moved(c, doc_id, k) for c in found], "test")
        # a second version that drops the first claim: only its other claims are listed
        d, found = next((d, f) for d, f in docs if len(f) > 2)
        again = Document(id=d.id, text=d.text + " (revised)", date=d.date, source=d.source)
        store.add_document(again, [_moved(c, d.id, 0) for c in found[1:]], "test")
        refresh(store)


@pytest.fixture
def filled(examples_db: str, db_url: str) -> str:
    _fill(examples_db, db_url)
    return db_url


def _old_claims(store: Store, metric: str | None = None, actor: str | None = None,
                side: str | None = None, stance: str | None = None, doc: str | None = None,
                since: str | None = None, until: str | None = None,
                country: str | None = None, admin1: str | None = None) -> list[dict[str, Any]]:
    """Every claim filtered in Python and named as the old views.claims named them."""
    keyed = store.keyed_claims()

    def passes(c: dict[str, Any]) -> bool:
        actor_ = (c.get("perpetrator") or {}).get("actor")
        period, place = c.get("period") or {}, c.get("place") or {}
        return ((not doc or c["doc"] == doc) and (not metric or c["metric"] == metric)
                and (not actor or (actor_ is not None and actor_.lower() == actor.lower()))
                and (not side or c["source"]["side"] == side)
                and (not stance or c["stance"] == stance)
                and (not country or place.get("country") == country)
                and (not admin1 or place.get("admin1") == admin1)
                and (not since or (bool(period.get("end")) and period["end"] >= since))
                and (not until or (bool(period.get("start")) and period["start"] <= until)))

    name = source_names(keyed, org_aliases())
    return [{**{k: v for k, v in c.items() if k != "key"}, "source_name": name(c),
             "source_side": side_label(c)} for c in keyed if passes(c)]


CLAIM_FILTERS = [{}, {"metric": "killed"}, {"actor": "taliban"}, {"side": "insurgent"},
                 {"stance": "denied"}, {"country": "ML"}, {"admin1": "BF-12"},
                 {"doc": "01_sahel_ambush_wire~2"}, {"since": "2024-05-03"},
                 {"until": "2024-05-02", "metric": "killed"},
                 {"since": "2021-07-01", "until": "2021-07-26", "country": "AF"},
                 {"metric": "wounded", "side": "government", "stance": "asserted"}]
PAGES = [{}, {"limit": 7}, {"offset": 5, "limit": 7}, {"offset": 140, "limit": 50},
         {"offset": 10_000}, {"limit": 0}]


def test_claim_pages_are_the_old_list_sliced(filled):
    with open_store(filled) as store, \
            TestClient(create_app(filled), base_url="http://127.0.0.1") as c:
        assert store.count_latest_claims() == len(store.keyed_claims()) > 100
        for filters in CLAIM_FILTERS:
            everything = _old_claims(store, **filters)
            assert everything, filters
            for page in PAGES:
                got = c.get("/api/claims", params={**filters, **page}).json()
                offset = page.get("offset", 0)
                want = everything[offset:offset + page.get("limit", 500)]
                assert (got["total"], got["offset"]) == (len(everything), offset), filters
                assert got["items"] == want, (filters, page)
                if "since" in filters or "until" in filters:
                    undated = [x for x in _old_claims(store, **{
                        k: v for k, v in filters.items() if k not in ("since", "until")})
                        if ("since" in filters and not x["period"]["end"])
                        or ("until" in filters and not x["period"]["start"])]
                    assert undated and got["left_out_undated"] == len(undated)
            whole = c.get("/api/claims", params={**filters, "format": "csv"})
            assert whole.text.count("\r\n") == len(everything) + 1


def test_summary_counts_are_the_old_ones(filled):
    with open_store(filled) as store, \
            TestClient(create_app(filled), base_url="http://127.0.0.1") as c:
        latest = store.keyed_claims()
        found, groups = store.reconciled("disagreement"), store.reconciled("group")
        want = {
            "documents": len({x["doc"] for x in latest} | {d.id for d in store.documents()}),
            "claims": len(latest),
            "denied": sum(1 for x in latest if x["stance"] == "denied"),
            "metrics": dict(Counter(x["metric"] for x in latest).most_common()),
            "figure_groups": len(groups),
            "multi_source_groups": sum(1 for g in groups if g["independent_sources"] > 1),
            "disagreements": dict(Counter(r["kind"] for r in found).most_common())}
        got = c.get("/api/summary").json()
        assert got == want and want["multi_source_groups"] and want["disagreements"]
        # the same order too: a tie goes to what appears first, as Counter had it
        assert list(got["metrics"]) == list(want["metrics"])
        assert list(got["disagreements"]) == list(want["disagreements"])


def test_document_pages_are_the_old_list_sliced(filled):
    with open_store(filled) as store, \
            TestClient(create_app(filled), base_url="http://127.0.0.1") as c:
        counts = Counter(x["doc"] for x in store.keyed_claims())
        everything = [{"id": d.id, "date": d.date.isoformat() if d.date else None,
                       "source": d.source, "title": d.title, "url": d.url,
                       "version": d.version, "claims": counts[d.id]}
                      for d in store.documents()]
        assert any(d["version"] == 2 for d in everything)
        for page in PAGES:
            got = c.get("/api/documents", params=page).json()
            offset = page.get("offset", 0)
            assert got["total"] == len(everything)
            assert got["items"] == everything[offset:offset + page.get("limit", 500)], page


LISTS = ["/api/summary", "/api/claims", "/api/figures", "/api/disagreements", "/api/events",
         "/api/sources", "/api/documents"]


def test_a_server_keeps_no_answer_past_a_change_to_the_store(filled):
    """What a server keeps between requests (names, events, sources) follows the store:
    after a document and its reconciliation come in from elsewhere, each list is what
    a server started afresh gives."""
    with TestClient(create_app(filled), base_url="http://127.0.0.1") as c:
        before = {u: c.get(u).json() for u in LISTS}
        with open_store(filled) as store:
            d = store.document("01_sahel_ambush_wire")
            claims = [_moved(x, "late-arrival", 40) for x in store.claims(doc=d.id)]
            # a new speaker: the names of every claim are made again
            claims[0] = {**claims[0], "source": {**claims[0]["source"],
                                                 "speaker": "Idrissa Maiga"}}
            store.add_document(replace(Document(id="late-arrival", text=d.text + " (late)"),
                                       date=d.date, source=d.source), claims, "test")
            refresh(store)
        after = {u: c.get(u).json() for u in LISTS}
        with TestClient(create_app(filled), base_url="http://127.0.0.1") as fresh:
            assert after == {u: fresh.get(u).json() for u in LISTS}
        assert all(after[u] != before[u] for u in LISTS)


def test_postgresql_writes_a_document_in_one_statement(examples_db, pg_url, sqlite_url):
    """On PostgreSQL a document, its claims and its mark for reconciliation go in one
    statement after the writer's lock; what is stored is what SQLite stores, row by row."""
    from sqlalchemy import event, select

    from tally.store.schema import claims as claims_t
    from tally.store.schema import documents as docs_t
    from tally.store.schema import unreconciled

    with open_store(examples_db) as src:
        docs = [(d, src.claims(doc=d.id)) for d in src.documents()]
    stored = {}
    for db in (sqlite_url, pg_url):
        with open_store(db) as store:
            statements: list[str] = []
            event.listen(store.engine, "before_cursor_execute",
                         lambda *a: statements.append(a[2]))
            outcomes = []
            for d, found in docs + docs[:2]:  # the last two: already stored, same text
                doc = Document(id=d.id, text=d.text, date=d.date, source=d.source,
                               url=d.url, title=d.title, meta={"k": [1, "é"]})
                outcomes.append(store.add_document(doc, found, "test")[0])
            d, found = docs[-1]
            changed = Document(id=d.id, text=d.text + " (2)", date=None)
            outcomes.append(store.add_document(changed, found[:1], "test")[0])
            if db == pg_url:
                assert len(statements) == 2 * len(outcomes), statements[:4]
            with store.engine.connect() as conn:
                stored[db] = (
                    outcomes,
                    [tuple(r) for r in conn.execute(
                        select(*[c for c in docs_t.c if c.name not in ("pk", "ingested_at")])
                        .order_by(docs_t.c.doc_id, docs_t.c.version))],
                    [tuple(r) for r in conn.execute(
                        select(*[c for c in claims_t.c if c.name not in ("pk", "document_pk")])
                        .order_by(claims_t.c.doc_id, claims_t.c.document_pk, claims_t.c.seq))],
                    list(conn.execute(select(unreconciled.c.doc_id)
                                      .order_by(unreconciled.c.pk)).scalars()))
    assert stored[pg_url] == stored[sqlite_url]
    assert stored[pg_url][0][-3:] == ["same", "same", "version"]
