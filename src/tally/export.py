"""Flat, typed tables of claims, events, figure groups and disagreements, for analysts'
tools: CSV (lists as JSON text), JSON lines and Parquet (real lists, dates as dates).

The CLI (`tally export`, and `--format csv` of the listing commands) and the API
(`format=csv`) write these same columns.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

from tally.claims import METRICS
from tally.errors import BadValue
from tally.events import Event
from tally.report.output import jsonl_line, neutral

ColumnType = Literal["str", "int", "bool", "date", "list"]
Columns = tuple[tuple[str, ColumnType], ...]
Row = dict[str, Any]
TABLES = ("claims", "events", "figures", "disagreements")
FORMATS = ("csv", "jsonl", "parquet")

def _metric_columns() -> Columns:
    """Each metric's lowest, highest and best figure, whether open-ended, its sources."""
    parts: Columns = (("lowest", "int"), ("highest", "int"), ("best", "int"),
                      ("open_ended", "bool"), ("sources", "int"))
    return tuple((f"{m}_{part}", kind) for m in METRICS for part, kind in parts)


CLAIM_COLUMNS: Columns = (
    ("id", "str"), ("doc", "str"), ("metric", "str"), ("value_low", "int"),
    ("value_high", "int"), ("qualifier", "str"), ("value_text", "str"), ("rate_per", "str"),
    ("victim_group", "str"), ("victim_text", "str"), ("perpetrator", "str"),
    ("perpetrator_text", "str"), ("place_text", "str"), ("country", "str"), ("admin1", "str"),
    ("period_text", "str"), ("period_start", "date"), ("period_end", "date"), ("kind", "str"),
    ("source_name", "str"), ("speaker", "str"), ("org", "str"), ("side", "str"), ("via", "str"),
    ("attribution", "str"), ("stance", "str"), ("sentence", "str"), ("sentence_start", "int"),
    ("sentence_end", "int"), ("pipeline", "str"))

EVENT_COLUMNS: Columns = (
    ("id", "str"), ("date", "date"), ("time_precision", "int"), ("country", "str"),
    ("admin1", "str"), ("place", "str"), ("perpetrators", "list"), ("victims", "list"),
    *_metric_columns(),
    ("sources", "list"), ("sides", "list"), ("docs", "list"), ("claim_ids", "list"),
    ("disagreement_ids", "list"), ("disagreement_kinds", "list"))

FIGURE_COLUMNS: Columns = (
    ("id", "str"), ("metric", "str"), ("victim", "str"), ("perpetrator", "str"),
    ("place_text", "str"), ("country", "str"), ("admin1", "str"), ("period_text", "str"),
    ("period_start", "date"), ("period_end", "date"), ("lowest", "int"), ("highest", "int"),
    ("independent_sources", "int"), ("sides", "list"), ("docs", "list"), ("claim_ids", "list"),
    ("sources", "list"), ("copies", "list"))

DISAGREEMENT_COLUMNS: Columns = (
    ("id", "str"), ("kind", "str"), ("doc", "str"), ("why", "str"), ("metrics", "list"),
    ("sources", "list"), ("docs", "list"), ("claim_ids", "list"))

COLUMNS: dict[str, Columns] = {"claims": CLAIM_COLUMNS, "events": EVENT_COLUMNS,
                               "figures": FIGURE_COLUMNS, "disagreements": DISAGREEMENT_COLUMNS}


def claim_row(c: Row) -> Row:
    v, s = c.get("value") or {}, c.get("source") or {}
    pl, pe, ev = c.get("place") or {}, c.get("period") or {}, c.get("evidence") or {}
    return {"id": c.get("id"), "doc": c["doc"], "metric": c["metric"],
            "value_low": v.get("low"), "value_high": v.get("high"),
            "qualifier": v.get("qualifier"), "value_text": v.get("text"),
            "rate_per": (c.get("rate") or {}).get("per"),
            "victim_group": (c.get("victim") or {}).get("group"),
            "victim_text": (c.get("victim") or {}).get("text"),
            "perpetrator": (c.get("perpetrator") or {}).get("actor"),
            "perpetrator_text": (c.get("perpetrator") or {}).get("text"),
            "place_text": pl.get("text"), "country": pl.get("country"),
            "admin1": pl.get("admin1"), "period_text": pe.get("text"),
            "period_start": _date(pe.get("start")), "period_end": _date(pe.get("end")),
            "kind": c.get("kind"), "source_name": c.get("source_name"),
            "speaker": s.get("speaker"), "org": s.get("org"), "side": s.get("side"),
            "via": s.get("via"), "attribution": c.get("attribution"), "stance": c.get("stance"),
            "sentence": ev.get("sentence"), "sentence_start": ev.get("start"),
            "sentence_end": ev.get("end"), "pipeline": c.get("pipeline")}


def event_row(e: Event) -> Row:
    row: Row = {"id": e.id, "date": e.date, "time_precision": e.time_precision,
                "country": e.country, "admin1": e.admin1, "place": e.place,
                "perpetrators": list(e.perpetrators), "victims": list(e.victims)}
    for m in METRICS:
        f = e.metrics.get(m)
        row.update({f"{m}_lowest": f and f.lowest, f"{m}_highest": f and f.highest,
                    f"{m}_best": f and f.best, f"{m}_open_ended": f.open_ended if f else None,
                    f"{m}_sources": f.sources if f else None})
    row.update({"sources": list(e.sources), "sides": list(e.sides), "docs": list(e.docs),
                "claim_ids": list(e.claim_ids), "disagreement_ids": list(e.disagreement_ids),
                "disagreement_kinds": list(e.disagreement_kinds)})
    return row


def figure_row(g: Row) -> Row:
    pl, pe = g.get("place") or {}, g.get("period") or {}
    return {"id": g["id"], "metric": g["metric"], "victim": g.get("victim"),
            "perpetrator": g.get("perpetrator"), "place_text": pl.get("text"),
            "country": pl.get("country"), "admin1": pl.get("admin1"),
            "period_text": pe.get("text"), "period_start": _date(pe.get("start")),
            "period_end": _date(pe.get("end")), "lowest": g.get("min"), "highest": g.get("max"),
            "independent_sources": g["independent_sources"], "sides": list(g["sides"]),
            "docs": list(g["docs"]), "claim_ids": list(g["claim_ids"]),
            "sources": list(dict.fromkeys(v["source"] for v in g["values"])),
            "copies": [v["id"] for v in g["values"] if v.get("copy_of")]}


def disagreement_row(d: Row) -> Row:
    return {"id": d["id"], "kind": d["kind"], "doc": d.get("doc"), "why": d.get("why"),
            "metrics": list(dict.fromkeys(c["metric"] for c in d["claims"])),
            "sources": list(dict.fromkeys(c["speaker_or_org"] for c in d["claims"])),
            "docs": list(dict.fromkeys(c["doc"] for c in d["claims"])),
            "claim_ids": list(d["claim_ids"])}


def rows_of(table: str, records: Iterable[Any]) -> list[Row]:
    """The export rows of records as views give them (events as Event objects)."""
    makers: dict[str, Callable[[Any], Row]] = {
        "claims": claim_row, "events": event_row, "figures": figure_row,
        "disagreements": disagreement_row}
    make = makers[table]
    return [make(r) for r in records]


def write_csv(rows: Iterable[Row], columns: Columns, out: IO[str]) -> None:
    """Numbers as numbers, dates as YYYY-MM-DD, booleans as true/false, lists as JSON
    text, nothing as an empty cell; text that a spreadsheet would run as a formula gets
    a leading apostrophe. Rows end in CRLF (RFC 4180): the csv module then also quotes a
    cell holding a lone carriage return, which a reader would otherwise take for the end
    of the row."""
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([name for name, _ in columns])
    for r in rows:
        w.writerow([_cell(r.get(name), kind) for name, kind in columns])


def _cell(value: Any, kind: ColumnType) -> Any:
    if value is None:
        return ""
    if kind == "list":
        return json.dumps(value, ensure_ascii=False)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "date":
        return value.isoformat()
    return neutral(value)


def write_jsonl(rows: Iterable[Row], columns: Columns, out: IO[str]) -> None:
    for r in rows:
        out.write(jsonl_line({name: _json(r.get(name)) for name, _ in columns}))


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def write_parquet(rows: Sequence[Row], columns: Columns, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"str": pa.string(), "int": pa.int64(), "bool": pa.bool_(), "date": pa.date32(),
             "list": pa.list_(pa.string())}
    schema = pa.schema([pa.field(name, types[kind]) for name, kind in columns])
    table = pa.Table.from_pydict({name: [r.get(name) for r in rows] for name, _ in columns},
                                 schema=schema)
    pq.write_table(table, path)


def write(table: str, rows: Sequence[Row], fmt: str, out: Path) -> None:
    """`rows` of `table` to the file `out` in `fmt` (csv, jsonl or parquet)."""
    columns = COLUMNS[table]
    try:
        if fmt == "parquet":
            write_parquet(rows, columns, out)
            return
        with out.open("w", encoding="utf-8", newline="") as f:
            if fmt == "csv":
                write_csv(rows, columns, f)
            else:
                write_jsonl(rows, columns, f)
    except OSError as e:
        raise BadValue(f"cannot write {out}: {e.strerror or e}") from None


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def table_rows(store: Any, table: str) -> list[Row]:
    """Every row of one table of the store (`claims`, `events`, `figures`,
    `disagreements`), as export writes it."""
    from tally.report import views

    if table == "claims":
        return rows_of(table, views.claims(store))
    if table == "events":
        return rows_of(table, views.events(store)[0])
    if table == "figures":
        return rows_of(table, views.figure_groups(store))
    if table == "disagreements":
        return rows_of(table, views.disagreements(store))
    raise BadValue(f"{table!r} is not one of: {', '.join(TABLES)}")


def acled_rows(store: Any, events: Sequence[Event] | None = None) -> list[Row]:
    from tally import acled
    from tally.report import views

    publishers = {d.id: d.source for d in store.documents()}
    return [acled.row(e, publishers)
            for e in (views.events(store)[0] if events is None else events)]


def write_acled(rows: Iterable[Row], out: IO[str]) -> None:
    from tally.acled import COLUMNS as ACLED_COLUMNS

    w = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: neutral(v) for k, v in r.items()})
