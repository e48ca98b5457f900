"""What the analyst looks at, read from the store: figure groups, disagreements, claims,
documents and a summary. The CLI, the report and the web API all show these, so the
filters live here once."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import asdict
from datetime import date
from typing import Any

from tally import events as events_
from tally.errors import NotFound

from tally.reconcile.core import source_names
from tally.reconcile.persist import org_aliases
from tally.reconcile.sides import side_label
from tally.store.store import Store

INTERNAL_DOCUMENT_FIELDS = ("pk", "origin")
DISAGREEMENT_KINDS = ("conflict", "divergence", "denial", "arithmetic", "revision")


def figure_groups(store: Store, metric: str | None = None, doc: str | None = None,
                  min_sources: int = 1) -> list[dict[str, Any]]:
    """The same quantity as each source gives it, most independent sources first."""
    # filtering after a stable sort keeps the order sorting the kept ones gives
    return [g for g in store.derived("figure_groups", lambda: _all_figure_groups(store))
            if (not metric or g["metric"] == metric) and (not doc or doc in g["docs"])
            and g["independent_sources"] >= min_sources]


def _all_figure_groups(store: Store) -> list[dict[str, Any]]:
    groups = store.reconciled("group")
    groups.sort(key=lambda g: (-g["independent_sources"], g["metric"], g["key"]))
    if groups:
        ids = claim_ids(store)
        groups = [_group_with_ids(g, ids) for g in groups]
    return groups


def disagreements(store: Store, kinds: set[str] | None = None,
                  doc: str | None = None) -> list[dict[str, Any]]:
    return [r for r in store.derived("disagreements", lambda: _all_disagreements(store))
            if (kinds is None or r["kind"] in kinds)
            and (not doc or doc == r["doc"] or any(c["doc"] == doc for c in r["claims"]))]


def _all_disagreements(store: Store) -> list[dict[str, Any]]:
    found = store.reconciled("disagreement")
    if found:
        ids = claim_ids(store)
        found = [_disagreement_with_ids(r, ids) for r in found]
    return found


def claim_ids(store: Store) -> dict[str, str]:
    """Reconciliation names claims by their place in the store ("doc#3"); what is shown
    names them by claim id, which an export can be joined on."""
    return store.derived("claim_ids", lambda: {k: i or k
                                               for k, i in store.claim_keys().items()})


def _source_names(store: Store) -> dict[str, str]:
    """The name each claim's source goes by, by key ("doc#3"): computed once for every
    claim of the store as it is now, so that a page of claims (or one source) names its
    sources as the whole list does."""
    def names() -> dict[str, str]:
        keyed = store.keyed_claims()
        name = source_names(keyed, org_aliases()) if keyed else None
        return {c["key"]: name(c) for c in keyed} if name else {}

    return store.derived("source_names", names)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _group_with_ids(g: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    values = [{**{k: x for k, x in v.items() if k != "key"},
               "id": v.get("id") or ids.get(v["key"], v["key"]),
               "copy_of": ids.get(v["copy_of"], v["copy_of"]) if v.get("copy_of") else None}
              for v in g["values"]]
    members = sorted(v["id"] for v in values)
    return {**{k: x for k, x in g.items() if k != "key"}, "id": _digest("group", *members),
            "claim_ids": members, "values": values}


def _disagreement_with_ids(r: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """The record with its claims named by claim id only (the store's own "doc#3" keys
    stay inside: they change when a document gets a new version)."""
    named = [{**{k: x for k, x in c.items() if k != "key"},
              "id": c.get("id") or ids.get(c["key"], c["key"])} for c in r["claims"]]
    members = [c["id"] for c in named]
    return {"id": _digest("disagreement", r["kind"], *sorted(members)), **r,
            "claim_ids": members, "claims": named}


def events(store: Store, *, metric: str | None = None, actor: str | None = None,
           doc: str | None = None, country: str | None = None, admin1: str | None = None,
           since: date | None = None, until: date | None = None,
           min_sources: int = 1) -> tuple[list[events_.Event], int]:
    """Events (see tally.events) passing the filters, and how many undated events a
    since/until filter left out."""
    found = store.derived("events", lambda: all_events(store))
    undated = sum(1 for e in found if e.date is None) if (since or until) else 0
    actor_ = actor.lower() if actor else None
    kept = [e for e in found
            if (not metric or metric in e.metrics)
            and (not actor_ or actor_ in {a.lower() for a in e.perpetrators})
            and (not doc or doc in e.docs)
            and (not country or e.country == country)
            and (not admin1 or e.admin1 == admin1)
            and (not since or (e.date is not None and e.date >= since))
            and (not until or (e.date is not None and e.date <= until))
            and len(e.sources) >= min_sources]
    return kept, undated


def all_events(store: Store) -> list[events_.Event]:
    keyed = store.keyed_claims()
    if not keyed:
        return []
    ids = {c["key"]: c.get("id") or c["key"] for c in keyed}
    name = source_names(keyed, org_aliases())
    copies = [k for r in store.reconciled("copy") for k in r.get("claims", [])]
    found = [{**r, "id": _disagreement_with_ids(r, ids)["id"]}
             for r in store.reconciled("disagreement")]
    return events_.derive(keyed, store.reconciled("group"), found, copies,
                          {d.id: d.date for d in store.documents()}, name)


def claims(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Stored claims; filters as Store.claims (metric, actor, side, stance, doc, since,
    until, country, admin1). Each carries `source_name` and `source_side`, the name and the
    side (with the state for a government: "government (UA)") that the disagreements and
    figure groups give its source."""
    return claims_page(store, **filters)[0]


def claims_page(store: Store, offset: int = 0, limit: int | None = None,
                **filters: Any) -> tuple[list[dict[str, Any]], int]:
    """One page of `claims` (all of them without a limit) and how many there are in all,
    counted by the database."""
    given = {k: v for k, v in filters.items() if v not in (None, "")}
    with store.snapshot():  # the page, its count and the names of one moment
        rows = store.claims(**given, offset=offset, limit=limit, keyed=True)
        total = (store.count_latest_claims(**given) if offset or limit is not None
                 else len(rows))
        names = _source_names(store) if rows else {}
    for r in rows:  # in place: a copy of each record costs a fifth of the read
        r["source_name"], r["source_side"] = names[r.pop("key")], side_label(r)
    return rows, total


def documents(store: Store) -> list[dict[str, Any]]:
    return documents_page(store)[0]


def documents_page(store: Store, offset: int = 0,
                   limit: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of the latest versions (all of them without a limit), by id, with how
    many claims each holds; and how many documents there are."""
    with store.snapshot():
        listed = store.document_list(offset, limit)
        total = store.count_documents() if offset or limit is not None else len(listed)
    return [{"id": d["id"], "date": d["date"].isoformat() if d["date"] else None,
             "source": d["source"], "title": d["title"], "url": d["url"],
             "version": d["version"], "claims": d["claims"]} for d in listed], total


def document(store: Store, doc_id: str) -> dict[str, Any]:
    """One document with its text and claims (raises KeyError-like TallyError if unknown)."""
    d = store.document(doc_id)
    # the row's key and the path it was read from are the server's business
    record = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(d).items()
              if k not in INTERNAL_DOCUMENT_FIELDS}
    record["claims"] = store.claims(doc=doc_id)
    return record


def sources(store: Store, side: str | None = None,
            name: str | None = None) -> list[dict[str, Any]]:
    """Each source (an organisation or speaker, named as the disagreements name it) with
    its side, how many claims it gives and the disagreements it is part of; most claims
    first. `name` keeps the sources whose name holds it (any case)."""
    needle = name.lower() if name else None
    return [s for s in store.derived("sources", lambda: _all_sources(store))
            if (not side or s["side"].split(" ")[0] == side)
            and (not needle or needle in s["name"].lower())]


def _all_sources(store: Store) -> list[dict[str, Any]]:
    rows = claims(store)
    found = disagreements(store)
    by_claim = {r["id"]: r["source_name"] or "unattributed" for r in rows}
    kinds: dict[str, Counter[str]] = {}
    for d in found:
        for who in {by_claim.get(i, "unattributed") for i in d["claim_ids"]}:
            kinds.setdefault(who, Counter())[d["kind"]] += 1
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        grouped.setdefault(r["source_name"] or "unattributed", []).append(r)
    out = []
    for who, mine in grouped.items():
        sides = Counter(r["source_side"] for r in mine)
        out.append({
            "name": who, "side": sides.most_common(1)[0][0],
            "speakers": sorted({r["source"]["speaker"] for r in mine if r["source"]["speaker"]}),
            "orgs": sorted({r["source"]["org"] for r in mine if r["source"]["org"]}),
            "claims": len(mine), "denied": sum(1 for r in mine if r["stance"] == "denied"),
            "metrics": dict(Counter(r["metric"] for r in mine).most_common()),
            "docs": sorted({r["doc"] for r in mine}),
            "disagreements": sum(kinds.get(who, Counter()).values()),
            "disagreement_kinds": dict(kinds.get(who, Counter()).most_common())})
    out.sort(key=lambda s: (-s["claims"], s["name"].lower()))
    return out


def source(store: Store, name: str) -> dict[str, Any]:
    """One source as `sources` gives it, with its claims and its disagreements."""
    found = [s for s in sources(store) if s["name"] == name]
    if not found:
        raise NotFound(f"no source named {name!r}")
    mine = [r for r in claims(store) if (r["source_name"] or "unattributed") == name]
    ids = {r["id"] for r in mine}
    return {**found[0], "items": mine,
            "disagreement_items": [d for d in disagreements(store) if ids & set(d["claim_ids"])]}


def summary(store: Store) -> dict[str, Any]:
    """Counts, each by a counting query (kept while the store stays as it is)."""
    def count() -> dict[str, Any]:
        n, denied, metrics = store.claim_tally()
        groups, multi = store.count_groups()
        return {
            "documents": store.count_documents(),
            "claims": n,
            "denied": denied,
            "metrics": dict(metrics),
            "figure_groups": groups,
            "multi_source_groups": multi,
            "disagreements": dict(store.count_disagreements()),
        }

    return dict(store.derived("summary", count))
