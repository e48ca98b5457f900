"""Vega-Lite specifications of the analyst's charts: each figure group's values by source,
a timeline of every source's figure per metric, and a map of events and figure groups.

The specs are built here once, from the records of report.views, so that the workspace
(which draws them with the vendored vega-embed) and the static report (which can render
the very same spec with vl-convert) show the same chart. Every spec carries its data
inline: nothing is fetched when it is drawn, except, in the workspace, the country
outlines of the map, which the server ships (`countries_url`).

Colour always means the source's side, in the same colours in every chart; a figure that
is part of a disagreement has a dark red ring. A value is drawn as it was written: an
exact figure as a dot, a range as a bar from its low to its high end, "at least" as a
triangle pointing up (the figure may be higher), "up to" as one pointing down.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from tally.claims import METRICS, SIDES
from tally.coordinates import locate

Spec = dict[str, Any]
Record = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
SIDE_COLOURS = {"government": "#2f6db5", "insurgent": "#d9822b", "international": "#7b4fa6",
                "independent": "#1f9e89", "media": "#7a7a7a", "unknown": "#b8b8b8"}
DISPUTED = "#b3001b"  # the ring round a figure that is part of a disagreement
CHOSEN = "#111111"  # the ring round what the analyst chose
# How each qualifier is drawn, and the word the legend gives it.
AS_WRITTEN = {"exact": "exact", "about": "about", "range": "range", "vague": "about",
              "at_least": "at least", "more_than": "at least", "up_to": "up to",
              "fewer_than": "up to"}
SHAPES = {"exact": "circle", "about": "diamond", "range": "square", "at least": "triangle-up",
          "up to": "triangle-down", "denied": "cross"}
# where a log axis has its labels: 1, 2, 5, 10, 20, 50… (a symlog scale's own ticks crowd)
LOG_TICKS = [0] + [m * 10 ** e for e in range(7) for m in (1, 2, 5)]
SENTENCE_CHARS = 280  # a tooltip shows this much of the sentence; the evidence view all
COUNTRIES_FILE = ("web", "static", "vendor", "world-atlas", "countries-110m.json")


def side_scale(present: Iterable[str] | None = None) -> Spec:
    """The sides' colours; with `present`, only those sides (a shorter legend), each
    still in its own colour."""
    shown = set(present) if present is not None else set(SIDES)
    sides = [s for s in SIDES if s in shown] or list(SIDES)
    return {"domain": sides, "range": [SIDE_COLOURS[s] for s in sides]}


def _base_side(side: str | None) -> str:
    """"government (UA)" and "government" are one colour."""
    word = (side or "unknown").split(" ")[0]
    return word if word in SIDE_COLOURS else "unknown"


def _short(sentence: str | None) -> str:
    # cut before the whitespace is folded: a long sentence costs only what is kept of it
    s = " ".join((sentence or "")[:SENTENCE_CHARS * 2].split())
    return s if len(s) <= SENTENCE_CHARS else s[:SENTENCE_CHARS - 1].rstrip() + "…"


def _config() -> Spec:
    return {"font": "system-ui, sans-serif", "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 0},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 0},
            "title": {"fontSize": 14, "anchor": "start"}}


# --- one figure group: each source's value ---------------------------------------------------

def group_rows(group: Record) -> list[Record]:
    """A row per value of a figure group (views.figure_groups), with a label that names
    the source whole and says when the figure is a copy of another outlet's."""
    seen: dict[str, int] = {}
    rows = []
    for v in group["values"]:
        low, high = v["value"].get("low"), v["value"].get("high")
        who = v.get("source") or "unattributed"
        seen[who] = seen.get(who, 0) + 1
        label = who if seen[who] == 1 else f"{who} ({seen[who]})"
        if v.get("copy_of"):
            label += " — copy"
        solid = low if low is not None else 0
        reach = high if high is not None else solid
        rows.append({"id": v["id"], "doc": v["doc"], "label": label, "source": who,
                     "side": _base_side(v.get("side")), "text": v["value"]["text"],
                     "solid": solid, "reach": max(reach, solid),
                     "open": high is None and low is not None,
                     "copy": "copy of another outlet" if v.get("copy_of") else "own figure",
                     "sentence": _short(v.get("sentence"))})
    return rows


def group_spec(group: Record, width: int = 420) -> Spec:
    """A bar per source: solid up to the value (the low end of a range), lighter up to a
    range's high end, a triangle pointing on for "at least"; the value as written at its
    end; an axis of the metric; copies pale."""
    rows = group_rows(group)
    what = group["metric"] + (f" ({group['victim'].replace('_', ' ')})"
                              if group.get("victim") and group["victim"] != "unknown" else "")
    y = {"field": "label", "type": "nominal", "sort": None, "title": None,
         "axis": {"labelLimit": 0, "labelFontSize": 12}}
    tooltip = [{"field": "source", "title": "source"}, {"field": "side", "title": "side"},
               {"field": "text", "title": "as written"}, {"field": "doc", "title": "document"},
               {"field": "sentence", "title": "sentence"}]
    colour = {"field": "side", "type": "nominal",
              "scale": side_scale(r["side"] for r in rows),
              "legend": {"title": "side", "orient": "right", "symbolOpacity": 1}}
    opacity = {"field": "copy", "type": "ordinal", "title": None,
               "scale": {"domain": ["own figure", "copy of another outlet"],
                         "range": [1, 0.35]},
               "legend": {"orient": "right", "symbolType": "square",
                          "symbolFillColor": "#2f6db5"}
               if any(r["copy"] != "own figure" for r in rows) else None}
    top = max([r["reach"] for r in rows] or [1]) or 1
    x = {"field": "solid", "type": "quantitative", "title": what,
         "scale": {"domainMin": 0, "domainMax": top * 1.18, "nice": False},
         "axis": {"format": ",d", "tickMinStep": 1, "tickCount": 8}}
    return {
        "$schema": SCHEMA, "config": _config(), "width": width,
        "height": {"step": 24},
        "data": {"values": rows},
        "encoding": {"y": y, "tooltip": tooltip},
        "layer": _group_layers(rows, x, colour, opacity),
    }


def _group_layers(rows: list[Record], x: Spec, colour: Spec, opacity: Spec) -> list[Spec]:
    pairs: list[tuple[Spec, bool]] = [
            ({"mark": {"type": "bar", "cornerRadiusEnd": 2, "height": 14, "cursor": "pointer"},
             "encoding": {"x": {**x, "field": "solid"}, "x2": {"datum": 0}, "color": colour,
                          "opacity": opacity}}, True),
            ({"transform": [{"filter": "datum.reach > datum.solid"}],
             "mark": {"type": "bar", "height": 14, "opacity": 0.35, "cursor": "pointer"},
             "encoding": {"x": {"field": "solid", "type": "quantitative"},
                          "x2": {"field": "reach"}, "color": colour}},
             any(r["reach"] > r["solid"] for r in rows)),
            ({"transform": [{"filter": "datum.open"}],
             "mark": {"type": "point", "shape": "triangle-right", "filled": True, "size": 110,
                      "xOffset": 7, "cursor": "pointer"},
             "encoding": {"x": {"field": "solid", "type": "quantitative"}, "color": colour}},
             any(r["open"] for r in rows)),
            ({"mark": {"type": "text", "align": "left", "dx": 16, "fontSize": 12},
              "encoding": {"x": {"field": "reach", "type": "quantitative"},
                           "text": {"field": "text"}}}, True),
    ]
    return [layer for layer, wanted in pairs if wanted]


# --- the timeline ------------------------------------------------------------------------

def _as_written(claim: Record) -> str:
    if claim.get("stance") == "denied":
        return "denied"
    value = claim["value"]
    kind = AS_WRITTEN.get(value.get("qualifier") or "exact", "exact")
    if kind == "exact" and value.get("low") is not None and value.get("high") is not None \
            and value["low"] != value["high"]:
        return "range"
    return kind


def timeline_rows(claims: Sequence[Record], groups: Sequence[Record],
                  disagreements: Sequence[Record], events: Sequence[Record],
                  doc_dates: dict[str, str | None]) -> tuple[list[Record], int]:
    """A row per claim (views.claims) that has a figure and a day: the start of its period,
    else its article's date. Each names its figure group, its event and its disagreements
    (views' records, events as Event.to_dict). The second answer: how many claims had no
    day and no figure to draw."""
    group_of = {i: g["id"] for g in groups if len(g["values"]) > 1 for i in g["claim_ids"]}
    event_of = {i: e["id"] for e in events for i in e["claim_ids"]}
    disputed: dict[str, list[str]] = {}
    for d in disagreements:
        for i in d["claim_ids"]:
            disputed.setdefault(i, []).append(d["id"])
    rows, left_out = [], 0
    for c in claims:
        value, period = c["value"], c.get("period") or {}
        low, high = value.get("low"), value.get("high")
        y = low if low is not None else high
        start = period.get("start")
        day = start or doc_dates.get(c["doc"])
        if y is None or not day:
            left_out += 1
            continue
        place, cid = c.get("place") or {}, c["id"]
        found = disputed.get(cid, [])
        rows.append({
            "id": cid, "doc": c["doc"], "metric": c["metric"], "date": day,
            "end": period.get("end") or day,
            "dated_by": "period" if start else "article's date", "y": y,
            "high": high if high is not None else y, "kind": _as_written(c),
            "text": value.get("text") or str(y),
            "source": c.get("source_name") or "unattributed",
            "side": _base_side((c.get("source") or {}).get("side")),
            "place": place.get("text") or place.get("country"), "period": period.get("text"),
            "sentence": _short((c.get("evidence") or {}).get("sentence")),
            "group": group_of.get(cid), "event": event_of.get(cid), "disagreements": found,
            "disputed": "in a disagreement" if found else "no disagreement"})
    rows.sort(key=lambda r: (r["metric"], r["date"], r["id"]))
    _nudge(rows)
    return rows, left_out


NUDGE_PX = 9  # sideways step between figures that would fall on one spot


def _nudge(rows: list[Record]) -> None:
    """Figures of one metric on one day with one value would be drawn on top of each other
    (ten outlets reprinting one figure): each gets a sideways offset, centred on the day,
    so that every source's mark can be seen and hovered."""
    spots: dict[tuple[str, str, int], list[Record]] = {}
    for r in rows:
        spots.setdefault((r["metric"], r["date"], r["y"]), []).append(r)
    for same in spots.values():
        for k, r in enumerate(same):
            r["nudge"] = (k - (len(same) - 1) / 2) * NUDGE_PX


def _spreads(rows: Sequence[Record]) -> list[Record]:
    """A figure group's spread on one day: from its lowest figure to its highest."""
    by_group: dict[str, list[Record]] = {}
    for r in rows:
        if r["group"]:
            by_group.setdefault(r["group"], []).append(r)
    out = []
    for gid, members in by_group.items():
        if len(members) < 2:
            continue
        out.append({"group": gid, "date": min(r["date"] for r in members),
                    "low": min(r["y"] for r in members),
                    "high": max(max(r["y"], r["high"]) for r in members),
                    "disputed": any(r["disagreements"] for r in members)})
    return out


def _timeline_layers(rows: list[Record], sides: set[str], labelled: bool) -> list[Spec]:
    colour = {"field": "side", "type": "nominal", "scale": side_scale(sides),
              "legend": {"title": "side of the source", "orient": "right",
                         "symbolOpacity": 1}}
    x = {"field": "date", "type": "temporal", "title": None, "scale": {"padding": 18},
         "axis": {"format": "%Y-%m-%d", "labelAngle": 0, "tickCount": 8}}
    top = max(max(r["y"], r["high"]) for r in rows)
    y = {"field": "y", "type": "quantitative", "scale": {"type": "symlog"},
         "title": "figure (log scale)",
         "axis": {"format": ",d", "values": [
             t for t in LOG_TICKS if t <= top * 1.5 and (top < 1000 or str(t)[0] in "01")]}}
    tooltip = [{"field": "text", "title": "as written"}, {"field": "source", "title": "source"},
               {"field": "side", "title": "side"},
               {"field": "date", "type": "temporal", "format": "%Y-%m-%d", "title": "day"},
               {"field": "dated_by", "title": "dated by"}, {"field": "place", "title": "place"},
               {"field": "disputed", "title": "disagreement"},
               {"field": "sentence", "title": "sentence"}]
    shape = {"field": "kind", "type": "nominal", "title": "as written",
             "scale": {"domain": list(SHAPES), "range": list(SHAPES.values())},
             "legend": {"orient": "right"}}
    spreads = _spreads(rows)
    # a figure's marks stand at its day, moved sideways by its nudge in pixels
    nudged = {"xOffset": {"expr": "datum.nudge"}}
    chosen_test = "indexof(chosen, datum.id) >= 0 || indexof(chosen, datum.group) >= 0 " \
                  "|| indexof(chosen, datum.event) >= 0"
    layers: list[Spec] = []
    if spreads:
        layers.append({
            "data": {"values": spreads},
            "mark": {"type": "rule", "strokeDash": [3, 3], "strokeWidth": 1.5},
            "encoding": {"x": {**x, "field": "date"}, "y": {**y, "field": "low"},
                         "y2": {"field": "high"},
                         "color": {"condition": {"test": "datum.disputed",
                                                 "value": DISPUTED}, "value": "#999999"}}})
    longer = any(r["end"] > r["date"] for r in rows)
    ranges = any(r["high"] > r["y"] for r in rows)
    disputed = any(r["disagreements"] for r in rows)
    pairs: list[tuple[Spec, bool]] = [
        # a period longer than a day: a line along it at the figure
        ({"transform": [{"filter": "datum.end > datum.date"}],
         "mark": {"type": "rule", "strokeWidth": 2, "opacity": 0.6},
         "encoding": {"x": x, "x2": {"field": "end"}, "y": y, "color": colour}}, longer),
        # a range: a bar from its low end to its high end
        ({"transform": [{"filter": "datum.high > datum.y"}],
         "mark": {"type": "rule", "strokeWidth": 4, "strokeCap": "round", **nudged},
         "encoding": {"x": x, "y": y, "y2": {"field": "high"},
                      "color": colour}}, ranges),
        # a figure in a disagreement: a ring round it
        ({"transform": [{"filter": "datum.disagreements.length > 0"}],
         "mark": {"type": "point", "filled": False, "size": 420, "strokeWidth": 2.5,
                  "color": DISPUTED, **nudged},
         "encoding": {"x": x, "y": y, "stroke": {
             "datum": "in a disagreement", "type": "nominal", "title": None,
             "scale": {"domain": ["in a disagreement"], "range": [DISPUTED]},
             "legend": {"orient": "right", "symbolType": "circle"}}}}, disputed),
        ({"mark": {"type": "point", "filled": True, "size": 110, "opacity": 0.9,
                  "strokeWidth": 2, "cursor": "pointer", **nudged},
         "encoding": {"x": x, "y": y, "color": colour, "shape": shape, "tooltip": tooltip,
                      **({"description": {"field": "label"}} if labelled else {})}}, True),
        # what the analyst chose: a black ring, moved without redrawing (signal `chosen`)
        ({"transform": [{"filter": chosen_test}],
         "mark": {"type": "point", "filled": False, "size": 700, "strokeWidth": 2.5,
                  "color": CHOSEN, **nudged},
         "encoding": {"x": x, "y": y,
                      "description": {"value": "chosen"}}}, True),
    ]
    return layers + [layer for layer, wanted in pairs if wanted]


def timeline_spec(rows: list[Record], chosen: Sequence[str] = (), width: int = 900,
                  height: int | None = None, labels: bool = True) -> Spec:
    """One timeline per metric: each source's figure at its day (a line along a longer
    period), figure groups' spreads as dashed lines (dark red where sources disagree).
    `chosen` names claims, figure groups or events to ring (the signal of that name moves
    the ring in a drawn view). `labels`: each figure's mark carries a sentence saying what
    it is (an SVG's aria-label, read by screen readers); a canvas has no use for them."""
    if labels:
        rows = [{**r, "label": f"{r['metric']} {r['text']} by {r['source']} ({r['side']}) "
                               f"on {r['date']}" + (" · in a disagreement"
                                                   if r["disagreements"] else "")}
                for r in rows]
    by_metric: dict[str, list[Record]] = {}
    for r in rows:
        by_metric.setdefault(r["metric"], []).append(r)
    metrics = [m for m in METRICS if m in by_metric]
    sides = {r["side"] for r in rows}  # one legend for every metric: the same sides
    height = height or (320 if len(metrics) == 1 else 170)
    charts = []
    for m in metrics:
        mine = by_metric[m]
        charts.append({"title": f"{m} ({len(mine)} figure{'s' if len(mine) != 1 else ''})",
                       "width": width, "height": height, "data": {"values": mine},
                       "layer": _timeline_layers(mine, sides, labels)})
    # Without labels (a canvas), no mark, axis or legend gets the description Vega-Lite
    # would otherwise format for each one: a third of 10,000 figures' drawing time.
    spec: Spec = {"$schema": SCHEMA, "config": {**_config(), **({} if labels else {"aria": False})},
                  "params": [{"name": "chosen", "value": list(chosen)}],
                  "vconcat": charts or [{"width": width, "height": 40, "data": {"values": []},
                                         "mark": "point"}],
                  "resolve": {"scale": {"x": "shared", "y": "independent"}}}
    return spec


# --- the map -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def countries_topology() -> Record:
    """The country outlines tally ships (world-atlas countries-110m, TopoJSON)."""
    path = resources.files("tally").joinpath(*COUNTRIES_FILE)
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def country_centres() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 code -> (latitude, longitude): the centre of the country's largest
    polygon, for a figure placed only in a country."""
    import pycountry

    topo = countries_topology()
    scale, shift = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + shift[0], y * scale[1] + shift[1]))
        arcs.append(points)

    def ring(indices: Iterable[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indices:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts[1:] if out else pts)
        return out

    by_numeric = {c.numeric: c.alpha_2 for c in pycountry.countries}
    centres = {}
    for g in topo["objects"]["countries"]["geometries"]:
        code = by_numeric.get(str(g.get("id") or ""))
        if not code or not g.get("arcs"):
            continue
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        best = max((_area_centre(ring(p[0])) for p in polygons), key=lambda t: abs(t[0]))
        centres[code] = (best[2], best[1])
    return centres


def _area_centre(pts: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(signed area, x, y) of a ring: the shoelace formula."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        f = x0 * y1 - x1 * y0
        a, cx, cy = a + f, cx + (x0 + x1) * f, cy + (y0 + y1) * f
    if not a:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a / 2, cx / (3 * a), cy / (3 * a)


PRECISION = {1: "town", 3: "division (its largest town)", 4: "country (its centre)"}


def place_point(place: str | None, country: str | None,
                admin1: str | None) -> tuple[float, float, str] | None:
    """(latitude, longitude, how precise) of a place: the town, else its division's largest
    town, else the country's centre; None when not even the country is known."""
    found = locate(place, country, admin1)
    if found:
        return found.latitude, found.longitude, PRECISION[found.precision]
    if country and country in country_centres():
        lat, lon = country_centres()[country]
        return lat, lon, PRECISION[4]
    return None


def _figure(metrics: dict[str, Record], metric: str | None) -> tuple[str, int] | None:
    """The figure an event is drawn by: the chosen metric's best estimate, else its
    largest best estimate of any metric."""
    found = [(m, f["best"]) for m, f in metrics.items()
             if f.get("best") is not None and (not metric or m == metric)]
    return max(found, key=lambda t: t[1]) if found else None


def map_rows(events: Sequence[Record], groups: Sequence[Record],
             disagreements: Sequence[Record],
             metric: str | None = None) -> tuple[list[Record], int]:
    """A row per event (Event.to_dict) and per figure group several sources give
    (views.figure_groups) that can be placed; the second answer: how many could not."""
    disputed = {i for d in disagreements for i in d["claim_ids"]}
    rows, unplaced = [], 0
    for e in events:
        figure = _figure(e["metrics"], metric)
        where = place_point(e.get("place"), e.get("country"), e.get("admin1"))
        if not figure or not where:
            unplaced += 1
            continue
        rows.append({"id": e["id"], "what": "event", "latitude": where[0],
                     "longitude": where[1], "precision": where[2],
                     "place": ", ".join(p for p in (e.get("place"), e.get("admin1"),
                                                    e.get("country")) if p),
                     "date": e.get("date"), "metric": figure[0], "figure": figure[1],
                     "text": "; ".join(f"{m} {_range(f)}" for m, f in e["metrics"].items()),
                     "sources": ", ".join(e["sources"]),
                     "disputed": "in a disagreement" if e["disagreement_ids"]
                     else "no disagreement"})
    for g in groups:
        if len(g["values"]) < 2 or (metric and g["metric"] != metric):
            continue
        place = g.get("place") or {}
        where = place_point(place.get("text"), place.get("country"), place.get("admin1"))
        figure = g.get("min") if g.get("min") is not None else g.get("max")
        if where is None or figure is None:
            unplaced += 1
            continue
        rows.append({"id": g["id"], "what": "figure group", "latitude": where[0],
                     "longitude": where[1], "precision": where[2],
                     "place": ", ".join(p for p in (place.get("text"), place.get("admin1"),
                                                    place.get("country")) if p),
                     "date": (g.get("period") or {}).get("start"), "metric": g["metric"],
                     "figure": figure,
                     "text": "; ".join(f"{v.get('source') or 'unattributed'}: "
                                       f"{v['value']['text']}" for v in g["values"]),
                     "sources": ", ".join(sorted({v.get("source") or "unattributed"
                                                  for v in g["values"]})),
                     "disputed": "in a disagreement" if disputed & set(g["claim_ids"])
                     else "no disagreement"})
    rows.sort(key=lambda r: -r["figure"])  # small marks drawn last, on top
    return rows, unplaced


def _range(f: Record) -> str:
    lo, hi = f.get("lowest"), f.get("highest")
    text = f"{lo}" if lo == hi else f"{lo}–{hi}"
    return text + (" or more" if f.get("open_ended") else "")


def _bounds(rows: Sequence[Record]) -> Spec:
    """A rectangle round the placed rows (at least 12° across), for the projection to
    fit: the map opens on where the figures are."""
    lats = [r["latitude"] for r in rows] or [0.0]
    lons = [r["longitude"] for r in rows] or [0.0]
    pad = 8.0  # the largest marks stay inside
    s, n = min(lats) - pad, max(lats) + pad
    w, e = min(lons) - pad, max(lons) + pad
    if n - s < 12:
        mid = (n + s) / 2
        s, n = mid - 6, mid + 6
    if e - w < 12:
        mid = (e + w) / 2
        w, e = mid - 6, mid + 6
    s, n = max(s, -80.0), min(n, 84.0)
    if e - w >= 180:
        # Corners half a world apart are fitted the short way round, across the
        # antimeridian, which crops the places out: places that far apart get the globe.
        return {"type": "Feature", "properties": {}, "geometry": {"type": "Sphere"}}
    # corners, not a polygon: a polygon's winding would decide which side is inside
    return {"type": "Feature", "properties": {}, "geometry": {
        "type": "MultiPoint", "coordinates": [[w, s], [e, s], [e, n], [w, n]]}}


def _size_ticks(rows: Sequence[Record]) -> list[int]:
    """The map legend's sizes: 1, 10, 100… up to the largest figure drawn."""
    top = max((r["figure"] for r in rows), default=1)
    return [10 ** e for e in range(7) if 10 ** e <= max(top, 1)]


def map_spec(rows: list[Record], countries_url: str | None = None,
             chosen: Sequence[str] = (), width: int = 900, height: int = 520) -> Spec:
    """Events (circles) and figure groups (squares) at their place on the country
    outlines, sized by the figure; a town filled, a division's town half-filled, a
    country's centre only outlined with a dashed line. `countries_url` loads the outlines
    from the server; without it they are inline (for a file that must stand alone)."""
    outlines: Spec = ({"url": countries_url} if countries_url
                      else {"values": countries_topology()})
    outlines["format"] = {"type": "topojson", "feature": "countries"}
    precision = list(PRECISION.values())
    point = {"latitude": {"field": "latitude", "type": "quantitative"},
             "longitude": {"field": "longitude", "type": "quantitative"}}
    tooltip = [{"field": "what", "title": "what"}, {"field": "place", "title": "place"},
               {"field": "precision", "title": "placed at"}, {"field": "date", "title": "day"},
               {"field": "text", "title": "figures"}, {"field": "sources", "title": "sources"},
               {"field": "disputed", "title": "disagreement"}]
    labelled = [{**r, "label": f"{r['what']} at {r['place']}: {r['metric']} {r['figure']}"
                                + (" · in a disagreement" if r["disputed"] ==
                                   "in a disagreement" else "")} for r in rows]
    return {
        "$schema": SCHEMA, "config": _config(), "width": width, "height": height,
        "params": [{"name": "chosen", "value": list(chosen)}],
        "projection": {"type": "equalEarth", "fit": _bounds(rows)},
        "layer": [
            {"data": outlines,
             "mark": {"type": "geoshape", "fill": "#eef0f2", "stroke": "#9aa3ad",
                      "strokeWidth": 0.7, "clip": True}},
            {"data": {"values": labelled},
             "mark": {"type": "point", "filled": True, "strokeWidth": 2, "cursor": "pointer",
                      "clip": True},
             "encoding": {
                 **point,
                 # figures span 1 to tens of thousands: by area in proportion most would
                 # be specks beside one giant (and so would the legend), so on a log scale
                 "size": {"field": "figure", "type": "quantitative",
                          "title": "figure (log scale)",
                          "scale": {"type": "symlog", "range": [40, 1400]},
                          "legend": {"orient": "right", "values": _size_ticks(rows),
                                     "symbolFillColor": "#dddddd",
                                     "symbolStrokeColor": "#555555",
                                     "symbolStrokeWidth": 1, "format": ",d"}},
                 "shape": {"field": "what", "type": "nominal", "title": None,
                           "scale": {"domain": ["event", "figure group"],
                                     "range": ["circle", "square"]},
                           "legend": {"orient": "right"}},
                 "stroke": {"field": "disputed", "type": "nominal", "title": None,
                           "scale": {"domain": ["in a disagreement", "no disagreement"],
                                     "range": [DISPUTED, SIDE_COLOURS["government"]]},
                           "legend": {"orient": "right"}},
                 "fill": {"field": "disputed", "type": "nominal", "title": None,
                          "scale": {"domain": ["in a disagreement", "no disagreement"],
                                    "range": [DISPUTED, SIDE_COLOURS["government"]]}},
                 "fillOpacity": {"field": "precision", "type": "ordinal", "title": "placed at",
                                 "scale": {"domain": precision, "range": [0.55, 0.2, 0.0]},
                                 "legend": None},
                 "strokeDash": {"field": "precision", "type": "nominal", "title": "placed at",
                                "scale": {"domain": precision,
                                          "range": [[1, 0], [6, 2], [3, 3]]},
                                "legend": {"orient": "right", "symbolFillColor": "#ffffff",
                                           "symbolStrokeColor": "#333333", "symbolSize": 220,
                                           "symbolStrokeWidth": 2}},
                 "tooltip": tooltip, "description": {"field": "label"}}},
            {"data": {"values": labelled},
             "transform": [{"filter": "indexof(chosen, datum.id) >= 0"}],
             "mark": {"type": "point", "filled": False, "color": CHOSEN, "strokeWidth": 3,
                      "size": 2600, "clip": True},
             "encoding": {**point, "description": {"value": "chosen"}}},
        ],
    }
