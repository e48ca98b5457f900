"""What the workspace's charts and its evidence panel show, read from the store: the
timeline, the map and the figure groups' charts as Vega-Lite specs (built by
report.charts, which the static report shares), and everything one chosen item (a claim,
a figure group, an event, a disagreement) is part of. Filters as `tally claims`."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tally.errors import NotFound
from tally.report import charts, views
from tally.store.store import Store

COUNTRIES_URL = "/static/vendor/world-atlas/countries-110m.json"
# From this many marks a chart is drawn on a canvas: SVG spends seconds building one
# element per mark (4.5 s for 10,000 figures, 1.6 s on a canvas). A canvas loses the
# marks' labels for screen readers, so they are not sent.
CANVAS_FROM = 2000
KEPT = 16  # chart answers kept per chart while the store is unchanged
Record = dict[str, Any]


@dataclass(frozen=True)
class Filters:
    """The filters every chart takes (None: any)."""

    metric: str | None = None
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    side: str | None = None
    doc: str | None = None
    since: date | None = None
    until: date | None = None

    def of_claims(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


def _doc_dates(store: Store) -> dict[str, str | None]:
    return {d.id: d.date.isoformat() if d.date else None for d in store.documents()}


def _overlaps(start: str | None, end: str | None, f: Filters) -> bool:
    if not (f.since or f.until):
        return True
    if not start:
        return False
    first, last = date.fromisoformat(start), date.fromisoformat(end or start)
    return (not f.since or last >= f.since) and (not f.until or first <= f.until)


def _group_passes(g: Record, f: Filters, sides: dict[str, str | None]) -> bool:
    """A figure group passes when its place, period, perpetrator and one of its sources'
    sides do."""
    place, period = g.get("place") or {}, g.get("period") or {}
    return ((not f.country or place.get("country") == f.country)
            and (not f.admin1 or place.get("admin1") == f.admin1)
            and (not f.actor or (g.get("perpetrator") or "").lower() == f.actor.lower())
            and (not f.side or any(sides.get(i) == f.side for i in g["claim_ids"]))
            and _overlaps(period.get("start"), period.get("end"), f))


def _event_passes(e: Record, f: Filters) -> bool:
    return ((not f.side or f.side in e["sides"])
            and (not f.since or (e["date"] is not None and e["date"] >= f.since.isoformat()))
            and (not f.until or (e["date"] is not None and e["date"] <= f.until.isoformat())))


def timeline(store: Store, f: Filters) -> bytes:
    """The timeline spec of the claims passing the filters, how many it draws and how
    many it could not (no figure, or no day), and how to draw it: as JSON, kept until the
    store changes (the back button, or a filter tried and dropped, redraws at once)."""
    return _kept(store, "timelines", f, lambda: _json(_timeline(store, f)))


def _timeline(store: Store, f: Filters) -> Record:
    found = views.claims(store, **f.of_claims())
    groups = views.figure_groups(store, metric=f.metric, doc=f.doc) if found else []
    found_dis = views.disagreements(store) if found else []
    # No events: deriving them costs more than the rest together (40 s of 10,000 claims),
    # and a chosen event is ringed by its claims.
    rows, left_out = charts.timeline_rows(found, groups, found_dis, [], _doc_dates(store))
    renderer = _renderer(len(rows))
    return {"spec": charts.timeline_spec(rows, labels=renderer == "svg"), "drawn": len(rows),
            "left_out": left_out, "renderer": renderer}


def map_view(store: Store, f: Filters) -> bytes:
    """The map spec of the events and figure groups passing the filters, as JSON, kept
    until the store changes."""
    return _kept(store, "maps", f, lambda: _json(_map(store, f)))


def _map(store: Store, f: Filters) -> Record:
    events, _ = views.events(store, metric=f.metric, actor=f.actor, doc=f.doc,
                             country=f.country, admin1=f.admin1, since=f.since, until=f.until)
    kept = [d for e in events if _event_passes(d := e.to_dict(), f)]
    sides = {c["id"]: (c.get("source") or {}).get("side") for c in store.claims()} \
        if f.side else {}
    groups = [g for g in views.figure_groups(store, metric=f.metric, doc=f.doc)
              if _group_passes(g, f, sides)]
    rows, unplaced = charts.map_rows(kept, groups, views.disagreements(store), f.metric)
    return {"spec": charts.map_spec(rows, COUNTRIES_URL), "drawn": len(rows),
            "left_out": unplaced, "renderer": _renderer(len(rows))}


def _renderer(marks: int) -> str:
    return "canvas" if marks >= CANVAS_FROM else "svg"


def _kept(store: Store, name: str, f: Filters, compute: Callable[[], bytes]) -> bytes:
    """compute(), kept for these filters while the store stays as it is (the last KEPT
    filter sets of each chart)."""
    kept: dict[Filters, bytes] = store.derived(name, dict)
    answer = kept.get(f)
    if answer is None:
        answer = kept[f] = compute()
        while len(kept) > KEPT:
            kept.pop(next(iter(kept)))
    return answer


def _json(record: Record) -> bytes:
    # as Starlette's JSONResponse writes it
    return json.dumps(record, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


def group_charts(groups: list[Record]) -> list[Record]:
    """A chart of each figure group that several sources give (one value needs none)."""
    return [{"id": g["id"], "spec": charts.group_spec(g)} for g in groups
            if len(g["values"]) > 1]


KINDS = ("claim", "group", "event", "disagreement")


def evidence(store: Store, kind: str, item_id: str) -> Record:
    """One chosen item with what it is part of and made of: its claims (each with its
    sentence and document), the figure groups, events and disagreements they are in."""
    claims = views.claims(store)
    groups = views.figure_groups(store)
    found = views.disagreements(store)
    events = [e.to_dict() for e in views.all_events(store)]
    pools: dict[str, list[Record]] = {"claim": claims, "group": groups, "event": events,
                                      "disagreement": found}
    item = next((r for r in pools[kind] if r["id"] == item_id), None)
    if item is None:
        raise NotFound(f"no {kind} with id {item_id!r}")
    ids = {item_id} if kind == "claim" else set(item["claim_ids"])
    event_dis = set(item["disagreement_ids"]) if kind == "event" else set()
    return {
        "kind": kind, "id": item_id,
        "claims": [c for c in claims if c["id"] in ids],
        "groups": [g for g in groups if ids & set(g["claim_ids"])],
        "events": [e for e in events if ids & set(e["claim_ids"])],
        "disagreements": [d for d in found if ids & set(d["claim_ids"])
                          or d["id"] in event_dis]}
