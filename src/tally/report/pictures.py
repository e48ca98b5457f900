"""The report's charts as pictures: the workspace's own Vega-Lite specs (report.charts),
drawn offline by vl-convert (Vega in an embedded JavaScript engine, no network) into SVG
that sits inside the HTML. The file then needs no script and fetches nothing, and a
chart reads the same in a browser, a mail client or a printout.

Drawing costs about a tenth of a second a chart after a second's start-up, so the cards
that get one are the first PICTURED_CARDS of a section (the cards come most-sourced
first); the timeline and the map are one picture each whatever the store holds.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from tally.report import charts

PICTURED_CARDS = 30
# A timeline of 10,000 figures is 6 MB of SVG; past this many it draws every figure in a
# disagreement and an even share of the others (the caption says how many).
TIMELINE_FIGURES = 2500
# vl-convert measures text with the fonts it finds; a browser draws "system-ui" with
# others, wider or narrower, and labels overrun the picture. Liberation Sans (which
# vl-convert finds here) has the widths of Arial and Helvetica, which browsers have.
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"


def _for_the_page(spec: dict[str, Any]) -> dict[str, Any]:
    """The workspace's spec with the report's font."""
    return {**spec, "config": {**spec.get("config", {}), "font": FONT}}


def svg(spec: dict[str, Any], name: str, label: str) -> Markup:
    """The spec drawn as an <svg> element for the page: its ids (clip paths, which every
    chart numbers from 1) made its own, so that one chart never clips by another's (`name`, unique in the page, leads them); no
    namespace declarations (HTML gives inline SVG its namespace), so the file names no
    address at all; `label` read out by screen readers."""
    import vl_convert  # a second of start-up, paid only by an HTML report

    drawn = vl_convert.vegalite_to_svg(_for_the_page(spec), allowed_base_urls=[])
    prefix = f"{name}-"
    drawn = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', drawn)
    drawn = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m[1]})", drawn)
    drawn = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m[1]}"', drawn)
    drawn = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", drawn)
    # the label is the report's own text: escaped here, as the template would
    drawn = drawn.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" ', 1)
    return Markup(drawn)  # noqa: S704 -- Vega's SVG renderer escapes the data it draws


def group(g: dict[str, Any], name: str) -> Markup:
    """A figure group's values, a bar per source (views.figure_groups record)."""
    return svg(charts.group_spec(g), name, f"{g['metric']}: each source's figure")


def disagreement_as_group(r: dict[str, Any]) -> dict[str, Any] | None:
    """A conflict's or divergence's figures in the shape of a figure group, for the same
    bar chart; None for other kinds (a denial, a sum: not figures of one quantity)."""
    if r["kind"] not in ("conflict", "divergence"):
        return None
    from tally.report.render import value_text

    metrics = {c["metric"] for c in r["claims"]}
    return {"metric": "/".join(sorted(metrics)), "victim": None, "values": [
        {"id": c["id"], "doc": c["doc"], "source": c.get("speaker_or_org"),
         "side": c.get("side"), "copy_of": None, "sentence": c.get("sentence"),
         "value": {"low": c.get("low"), "high": c.get("high"),
                   "text": value_text(c.get("low"), c.get("high"))}}
        for c in r["claims"]]}


def timeline(claims: Sequence[dict[str, Any]], groups: Sequence[dict[str, Any]],
             found: Sequence[dict[str, Any]], events: Sequence[dict[str, Any]],
             doc_dates: dict[str, str | None]) -> tuple[Markup | None, int, int]:
    """The timeline per metric; with how many figures it draws and how many it leaves
    out (no figure or no day, or past TIMELINE_FIGURES)."""
    rows, left_out = charts.timeline_rows(claims, groups, found, events, doc_dates)
    if not rows:
        return None, 0, left_out
    kept = fewer(rows, TIMELINE_FIGURES)
    return (svg(charts.timeline_spec(kept, width=760, height=130), "timeline",
                "timeline: each source's figure at its day, per metric"),
            len(kept), left_out + len(rows) - len(kept))


def fewer(rows: list[dict[str, Any]], most: int) -> list[dict[str, Any]]:
    """At most `most` rows, in their order: every one in a disagreement (as many as fit),
    then every k-th of the others, so that the drawn ones span the same days."""
    if len(rows) <= most:
        return rows
    disputed = [i for i, r in enumerate(rows) if r["disagreements"]][:most]
    others = [i for i, r in enumerate(rows) if not r["disagreements"]]
    room = most - len(disputed)
    step = len(others) / room if room > 0 else 0
    sampled = [others[int(k * step)] for k in range(room)] if room > 0 else []
    return [rows[i] for i in sorted(disputed + sampled)]


def world_map(events: Sequence[dict[str, Any]], groups: Sequence[dict[str, Any]],
              found: Sequence[dict[str, Any]]) -> tuple[Markup | None, int, int]:
    """The map of events and figure groups; with how many it places and how many not."""
    rows, unplaced = charts.map_rows(events, groups, found)
    if not rows:
        return None, 0, unplaced
    return (svg(charts.map_spec(rows, width=760, height=440), "map",
                "map: events and figure groups at their place"), len(rows), unplaced)
