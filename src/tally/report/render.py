"""The analyst's report: one file, HTML or Markdown, with a table of contents, the
disagreements first (each with the sentences it comes from, by kind), then the figures
several independent sources give, the events, and the figures of one source."""
from __future__ import annotations

import html
from datetime import date, datetime, timezone
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from tally.report import views
from tally.report.charts import SIDE_COLOURS
from tally.report.contents import Section, sections
from tally.store.store import Store

_env = Environment(loader=PackageLoader("tally.report", "templates"),
                   autoescape=select_autoescape(["html", "html.j2"]), trim_blocks=True,
                   lstrip_blocks=True, keep_trailing_newline=True)


def value_text(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "?"
    if high is None:
        return f"{low:,} or more"
    if low is None:
        return f"up to {high:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


_env.filters["value"] = lambda c: value_text(c.get("low", c.get("min")), c.get("high", c.get("max")))


def range_text(f: Any) -> str:
    """An event's lowest to highest figure of one metric ("12–31"; "12 or more" when the
    only figure is a floor)."""
    return value_text(f.lowest, None if f.open_ended and f.lowest == f.highest else f.highest)


_env.filters["value_range"] = range_text


def side_class(side: str | None) -> str:
    """The CSS class that colours a side ("government (UA)" is a government)."""
    return (side or "unknown").split(" ")[0]


_env.filters["side_class"] = side_class


def md_text(value: Any) -> Any:
    """Article text as Markdown text: HTML in it shown, never run, by a viewer that renders
    HTML; no link, table cell or line break made from it."""
    if not isinstance(value, str):
        return value
    value = html.escape(value, quote=False).replace("|", "\\|").replace("[", "\\[")
    return " ".join(value.splitlines())


# Every {{ }} of the Markdown report passes through md_text (the HTML one is autoescaped).
_md_env = _env.overlay(finalize=md_text)


def report_data(store: Store, metric: str | None = None, doc: str | None = None,
                pictures: bool = False) -> dict[str, Any]:
    found = views.disagreements(store, doc=doc)
    if metric:
        found = [r for r in found if any(c["metric"] == metric for c in r["claims"])]
    found.sort(key=lambda r: r["doc"] or "")  # by_kind keeps this order within a kind
    groups = views.figure_groups(store, metric=metric, doc=doc)
    events, _ = views.events(store, metric=metric, doc=doc)
    events.sort(key=lambda e: (e.date is None, e.date or date.min, e.country or "", e.place or ""))
    parts = sections(found, groups, events, pictures)
    return {"summary": views.summary(store), "sections": parts,
            "side_colours": SIDE_COLOURS,
            "pictures": drawn(store, parts, groups, found, events, metric, doc)
            if pictures else {},
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "scope": {"metric": metric, "doc": doc}}


def drawn(store: Store, parts: tuple[Section, ...], groups: list[dict[str, Any]],
          found: list[dict[str, Any]], events: list[Any], metric: str | None,
          doc: str | None) -> dict[str, Any]:
    """The pictures of the HTML report: a bar chart on the first cards of each section
    that has figures of one quantity (by card id), the timeline and the map."""
    from tally.report import pictures

    out: dict[str, Any] = {"pictured_cards": pictures.PICTURED_CARDS}
    disagreements, shared = parts[0], parts[1]
    comparable = [(r["id"], g) for part in disagreements.parts for r in part.items
                  if (g := pictures.disagreement_as_group(r))]
    for card_id, g in comparable[:pictures.PICTURED_CARDS]:
        out[card_id] = pictures.group(g, f"d{card_id}")
    for g in shared.items[:pictures.PICTURED_CARDS]:
        out[g["id"]] = pictures.group(g, f"g{g['id']}")
    records = [e.to_dict() for e in events]
    claims = views.claims(store, metric=metric, doc=doc)
    dates = {d.id: d.date.isoformat() if d.date else None for d in store.documents()}
    out["timeline"] = pictures.timeline(claims, groups, found, records, dates)
    out["map"] = pictures.world_map(records, groups, found)
    return out


def render(store: Store, fmt: str = "html", metric: str | None = None,
           doc: str | None = None) -> str:
    template = (_env.get_template("report.html.j2") if fmt == "html"
                else _md_env.get_template("report.md.j2"))
    return template.render(**report_data(store, metric, doc, pictures=fmt == "html"))
