"""What the analyst looks at, read from the store: figure groups, disagreements, claims,
documents and a summary. The CLI, the report and the web API all show these, so the
filters live here once."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import date
from typing import Any

from tally.reconcile.core import source_names
from tally.reconcile.persist import org_aliases
from tally.reconcile.sides import side_label
from tally.store.store import Store

DISAGREEMENT_KINDS = ("conflict", "divergence", "denial", "arithmetic", "revision")


def figure_groups(store: Store, metric: str | None = None, doc: str | None = None,
                  min_sources: int = 1) -> list[dict[str, Any]]:
    """The same quantity as each source gives it, most independent sources first."""
    groups = [g for g in store.reconciled("group")
              if (not metric or g["metric"] == metric) and (not doc or doc in g["docs"])
              and g["independent_sources"] >= min_sources]
    return sorted(groups, key=lambda g: (-g["independent_sources"], g["metric"], g["key"]))


def disagreements(store: Store, kinds: set[str] | None = None,
                  doc: str | None = None) -> list[dict[str, Any]]:
    return [r for r in store.reconciled("disagreement")
            if (kinds is None or r["kind"] in kinds)
            and (not doc or doc == r["doc"] or any(c["doc"] == doc for c in r["claims"]))]


def claims(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Stored claims; filters as Store.claims (metric, actor, side, stance, doc, since,
    until, country, admin1). Each carries `source_name` and `source_side`, the name and the
    side (with the state for a government: "government (UA)") that the disagreements and
    figure groups give its source."""
    rows = store.claims(**{k: v for k, v in filters.items() if v not in (None, "")})
    if rows:
        name = source_names(store.keyed_claims(), org_aliases())
        rows = [{**r, "source_name": name(r), "source_side": side_label(r)} for r in rows]
    return rows


def documents(store: Store) -> list[dict[str, Any]]:
    counts = Counter(c["doc"] for c in store.claims())
    return [{"id": d.id, "date": d.date.isoformat() if d.date else None, "source": d.source,
             "title": d.title, "url": d.url, "version": d.version, "claims": counts[d.id]}
            for d in store.documents()]


def document(store: Store, doc_id: str) -> dict[str, Any]:
    """One document with its text and claims (raises KeyError-like TallyError if unknown)."""
    d = store.document(doc_id)
    record = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(d).items()}
    record["claims"] = store.claims(doc=doc_id)
    return record


def summary(store: Store) -> dict[str, Any]:
    claims_ = store.claims()
    found = store.reconciled("disagreement")
    groups = store.reconciled("group")
    return {
        "documents": store.count_documents(),
        "claims": len(claims_),
        "denied": sum(1 for c in claims_ if c["stance"] == "denied"),
        "metrics": dict(Counter(c["metric"] for c in claims_).most_common()),
        "figure_groups": len(groups),
        "multi_source_groups": sum(1 for g in groups if g["independent_sources"] > 1),
        "disagreements": dict(Counter(r["kind"] for r in found).most_common()),
    }
