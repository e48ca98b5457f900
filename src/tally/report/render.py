"""The analyst's report: one file, HTML or Markdown, that puts the disagreements first,
each with the sentences it comes from, then the figures several sources give."""
from __future__ import annotations

import html
from datetime import datetime, timezone
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from tally.report import views
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


def md_text(value: Any) -> Any:
    """Article text as Markdown text: HTML in it shown, never run, by a viewer that renders
    HTML; no link, table cell or line break made from it."""
    if not isinstance(value, str):
        return value
    value = html.escape(value, quote=False).replace("|", "\\|").replace("[", "\\[")
    return " ".join(value.splitlines())


# Every {{ }} of the Markdown report passes through md_text (the HTML one is autoescaped).
_md_env = _env.overlay(finalize=md_text)


BAR_WIDTH = 360  # pixels for the largest value of a group


def bars(group: dict[str, Any]) -> list[dict[str, Any]]:
    """One bar per source's value, on one scale per group, so that "7" against "13"
    and "at least 291" against "291" can be seen at a glance. A value open upwards
    ("at least", "more than") is drawn to its low end with an open edge; a range
    ("15 to 20", "up to 30") as a lighter stretch past its low end."""
    values = [v["value"] for v in group["values"]]
    top = max([x for v in values for x in (v.get("low"), v.get("high")) if x is not None],
              default=0)
    if not top:
        return []
    scale = BAR_WIDTH / top
    out = []
    for v in group["values"]:
        low, high = v["value"].get("low"), v["value"].get("high")
        solid = (low if low is not None else 0) * scale
        reach = (high if high is not None else low or 0) * scale
        out.append({"label": f"{v['source'] or 'unattributed'}: {v['value']['text']}",
                    "solid": round(solid, 1), "reach": round(max(reach, solid), 1),
                    "open": high is None, "copied": bool(v.get("copy_of"))})
    return out


_env.globals["bars"] = bars


def report_data(store: Store, metric: str | None = None, doc: str | None = None
                ) -> dict[str, Any]:
    found = views.disagreements(store, doc=doc)
    if metric:
        found = [r for r in found if any(c["metric"] == metric for c in r["claims"])]
    order = {k: i for i, k in enumerate(views.DISAGREEMENT_KINDS)}
    found.sort(key=lambda r: (order.get(r["kind"], 99), r["doc"] or ""))
    groups = views.figure_groups(store, metric=metric, doc=doc)
    return {"summary": views.summary(store), "disagreements": found,
            "shared": [g for g in groups if len(g["values"]) > 1],
            "single": [g for g in groups if len(g["values"]) == 1],
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "scope": {"metric": metric, "doc": doc}}


def render(store: Store, fmt: str = "html", metric: str | None = None,
           doc: str | None = None) -> str:
    template = (_env.get_template("report.html.j2") if fmt == "html"
                else _md_env.get_template("report.md.j2"))
    return template.render(**report_data(store, metric, doc))
