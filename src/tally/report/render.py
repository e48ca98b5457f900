"""The analyst's report: one file, HTML or Markdown, that puts the disagreements first,
each with the sentences it comes from, then the figures several sources give."""
from __future__ import annotations

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
    template = _env.get_template("report.html.j2" if fmt == "html" else "report.md.j2")
    return template.render(**report_data(store, metric, doc))
