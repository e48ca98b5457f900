"""The `tally` command: parse arguments, call the library, print. No logic of its own."""
from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tally import settings, validate
from tally.documents.model import Document
from tally.documents.readers import Notice, read_inputs
from tally.errors import TallyError
from tally.report.output import Format, jsonl_line, write

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Source-attributed conflict figures from news text, and where sources "
                       "disagree.")
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOpt = Annotated[str, typer.Option("--db", envvar="TALLY_DB",
                                    help="SQLite file or SQLAlchemy URL of the store.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
PathsArg = Annotated[list[str], typer.Argument(
    help="Files, folders (searched recursively), .urls lists (one URL or path per line) "
         "or - for standard input.")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", envvar="TALLY_MAX_BYTES",
                                          help="Refuse documents larger than this many bytes.")]
ProcOpt = Annotated[int, typer.Option("--processes", "-j",
                                      help="spaCy worker processes (nlp.pipe n_process).")]


SchedulerOpt = Annotated[Optional[str], typer.Option(
    "--scheduler", envvar="TALLY_SCHEDULER",
    help="Dask scheduler address (tcp://host:8786): extract on that cluster.")]


def _max_bytes() -> int:
    return int(settings.get("max_bytes"))


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True,
                    disable=not err.is_terminal)


class _Inputs:
    """Reads inputs, prints a line per notice, and remembers whether any was fatal."""

    def __init__(self, paths: list[str], max_bytes: int, day: date | None = None) -> None:
        self.paths, self.max_bytes, self.day = paths, max_bytes, day
        self.failed = 0
        self.warned = 0

    def __iter__(self) -> Iterator[Document]:
        for item in read_inputs(self.paths, self.max_bytes):
            if isinstance(item, Notice):
                if item.fatal:
                    self.failed += 1
                    err.print(f"[red]error[/red] {escape(str(item))}", highlight=False)
                else:
                    self.warned += 1
                    err.print(f"[yellow]warning[/yellow] {escape(str(item))}", highlight=False)
                continue
            if self.day and item.date is None:
                item = Document(**{**item.__dict__, "date": self.day})
            yield item


def _parse_day(value: Optional[str], name: str) -> Optional[date]:
    return validate.day(name, value)


@app.command()
def ingest(paths: PathsArg, db: DbOpt = "tally.db",
           extract: Annotated[bool, typer.Option(help="Also extract and store claims.")] = True,
           max_bytes: MaxBytesOpt = 5 * 1024 * 1024,
           day: Annotated[Optional[str], typer.Option(
               "--date", help="Date (YYYY-MM-DD) for documents that carry none.")] = None,
           processes: ProcOpt = 1,
           scheduler: SchedulerOpt = None,
           reconcile: Annotated[bool, typer.Option(
               help="Update figure groups and disagreements for the new documents.")] = True,
           ) -> None:
    """Read documents into the store (and extract their claims); same content is not stored twice."""
    from tally import pipeline
    from tally.store import open_store

    inputs = _Inputs(paths, max_bytes, _parse_day(day, "--date"))
    with open_store(db) as store:
        with _progress() as progress:
            task = progress.add_task("ingesting", total=None)
            result = pipeline.ingest(store, inputs, extract=extract, processes=processes,
                                     scheduler=scheduler, reconcile=False,
                                     progress=lambda: progress.advance(task))
        for doc_id, problem in result.refused:
            inputs.failed += 1
            err.print(f"error {doc_id}: {problem}", markup=False)
        if extract and reconcile and pipeline.needs_refresh(store, result):
            _refresh(store, result.changed)
    counts = result.counts
    err.print(f"{counts['new']} new documents, {counts['version']} new versions, "
              f"{counts['same']} already stored; {result.claims} claims stored "
              f"({inputs.failed} inputs failed, {inputs.warned} warnings) in {db}",
              markup=False)
    if inputs.failed:
        raise typer.Exit(1)


def _refresh(store, changed: list[str] | None) -> None:
    from tally import pipeline

    with err.status("reconciling figures across documents"):
        rec = pipeline.refresh(store, changed)
    err.print(f"reconciled: {len(rec.groups)} figure groups and {len(rec.disagreements)} "
              f"disagreements updated, {len(rec.copies)} syndicated passages")


@app.command()
def extract(paths: PathsArg, fmt: FormatOpt = Format.table,
            max_bytes: MaxBytesOpt = 5 * 1024 * 1024, processes: ProcOpt = 1,
            scheduler: SchedulerOpt = None) -> None:
    """Extract claims from documents and print them, without a store."""
    from tally.pipeline import with_claims

    inputs = _Inputs(paths, max_bytes)
    rows: list[dict] = []
    with _progress() as progress:
        task = progress.add_task("extracting", total=None)
        for _doc, claims, _ in with_claims(inputs, processes=processes, scheduler=scheduler):
            for record in claims:
                if fmt is Format.jsonl:
                    sys.stdout.write(jsonl_line(record))
                else:
                    rows.append(record)
            progress.advance(task)
    if fmt is Format.csv:
        _export_csv("claims", rows)
    elif fmt is not Format.jsonl:
        write(rows if fmt is Format.json else [_claim_row(r) for r in rows], fmt)
    if inputs.failed:
        raise typer.Exit(1)


def _claim_row(c: dict) -> dict:
    """The columns an analyst scans first; --format json gives the whole record, csv the
    columns of `tally export claims`."""
    v, s = c["value"], c["source"]
    return {"doc": c["doc"], "metric": c["metric"], "value": v["text"],
            "victims": c["victim"]["group"], "perpetrator": c["perpetrator"]["actor"],
            "source": c.get("source_name") or s.get("speaker") or s.get("org"),
            "side": s.get("side"),
            "stance": c["stance"],
            "period": (c.get("period") or {}).get("text"),
            "place": (c.get("place") or {}).get("text")}


@app.command()
def claims(db: DbOpt = "tally.db", fmt: FormatOpt = Format.table,
           metric: Annotated[Optional[str], typer.Option(help="killed, wounded, ...")] = None,
           actor: Annotated[Optional[str], typer.Option(help="Perpetrator, e.g. Taliban.")] = None,
           side: Annotated[Optional[str], typer.Option(help="Source side, e.g. government.")] = None,
           stance: Annotated[Optional[str], typer.Option(help="asserted or denied.")] = None,
           doc: Annotated[Optional[str], typer.Option(help="Only this document id.")] = None,
           since: Annotated[Optional[str], typer.Option(help="Period ends on or after (YYYY-MM-DD).")] = None,
           until: Annotated[Optional[str], typer.Option(help="Period starts on or before (YYYY-MM-DD).")] = None,
           country: Annotated[Optional[str], typer.Option(help="ISO 3166-1 alpha-2 code.")] = None,
           admin1: Annotated[Optional[str], typer.Option(help="ISO 3166-2 code, e.g. AF-KAB.")] = None,
           ) -> None:
    """List stored claims, with filters."""
    from tally.store import open_store

    filters: dict[str, Any] = dict(doc=validate.text("--doc", doc), metric=validate.metric("--metric", metric),
                   actor=validate.text("--actor", actor), side=validate.side("--side", side),
                   stance=validate.stance("--stance", stance),
                   country=validate.country("--country", country),
                   admin1=validate.admin1("--admin1", admin1))
    first, last = _parse_day(since, "--since"), _parse_day(until, "--until")
    validate.period(("--since", first), ("--until", last))
    with open_store(db, must_exist=True, upgrade=False) as store:
        from tally.report import views

        rows = views.claims(store, **filters, since=first, until=last)
        if first or last:
            undated = store.count_undated_claims(bool(first), bool(last), **filters)
            if undated:
                err.print(f"{undated} claims without a period were left out by "
                          "--since/--until", markup=False)
    if fmt in (Format.json, Format.jsonl):
        write(rows, fmt)
    elif fmt is Format.csv:
        _export_csv("claims", rows)
    else:
        write([_claim_row(r) for r in rows], fmt, title=f"{len(rows)} claims")


def _export_csv(table: str, records: list) -> None:
    """The columns `tally export` writes (and the API's format=csv), to standard output."""
    from tally import export

    export.write_csv(export.rows_of(table, records), export.COLUMNS[table], sys.stdout)


@app.command()
def docs(db: DbOpt = "tally.db", fmt: FormatOpt = Format.table) -> None:
    """List stored documents (latest version of each)."""
    from tally.store import open_store

    with open_store(db, must_exist=True, upgrade=False) as store:
        rows = [{"id": d.id, "date": d.date.isoformat() if d.date else None, "source": d.source,
                 "title": d.title, "length": len(d.text), "versions": d.versions}
                for d in store.documents()]
    write(rows, fmt, columns=["id", "date", "source", "title", "length", "versions"],
          title=f"{len(rows)} documents")


@app.command()
def show(doc_id: Annotated[str, typer.Argument(help="Document id (see `tally docs`).")],
         db: DbOpt = "tally.db", fmt: FormatOpt = Format.table,
         version: Annotated[Optional[int], typer.Option(help="An older version.")] = None) -> None:
    """Show one document: metadata and text."""
    from tally.store import open_store

    with open_store(db, must_exist=True, upgrade=False) as store:
        d = store.document(doc_id, version)
    record = {"id": d.id, "version": d.version, "versions": d.versions,
              "date": d.date.isoformat() if d.date else None, "source": d.source, "url": d.url,
              "title": d.title, "origin": d.origin, "meta": d.meta, "text": d.text}
    if fmt is Format.table:
        out = Console(highlight=False)
        for k, v in record.items():
            if k != "text" and v not in (None, {}, ""):
                out.print(f"[bold]{k}[/bold]: {escape(str(v))}")
        out.print()
        out.print(d.text, markup=False)
    else:
        write([record], fmt)


@app.command()
def figures(db: DbOpt = "tally.db", fmt: FormatOpt = Format.table,
            metric: Annotated[Optional[str], typer.Option(help="killed, wounded, ...")] = None,
            doc: Annotated[Optional[str], typer.Option(help="Groups with this document.")] = None,
            min_sources: Annotated[int, typer.Option(
                help="Only groups with at least this many independent sources.")] = 1,
            ) -> None:
    """Figure groups: the same quantity as each source gives it, with range and sources."""
    from tally.report import views
    from tally.store import open_store

    metric = validate.metric("--metric", metric)
    with open_store(db, must_exist=True, upgrade=False) as store:
        groups = views.figure_groups(store, metric, doc, min_sources)
    if fmt is Format.csv:
        _export_csv("figures", groups)
        return
    if fmt is not Format.table:
        write(groups, fmt)
        return
    rows = [{"metric": g["metric"], "victims": g["victim"], "perpetrator": g["perpetrator"],
             "place": (g["place"] or {}).get("text") or (g["place"] or {}).get("country"),
             "period": (g["period"] or {}).get("text"),
             "range": _range(g), "sources": g["independent_sources"],
             "sides": ", ".join(g["sides"]),
             "values": "; ".join(f"{v['value']['text']} ({v['source']}"
                                 f"{', copy' if v['copy_of'] else ''})" for v in g["values"])}
            for g in groups]
    write(rows, fmt, title=f"{len(rows)} figure groups")


def _range(g: dict) -> str:
    lo, hi = g["min"], g["max"]
    lo_s = f"{lo}" if lo is not None else "?"
    if hi is None:
        return f"{lo_s} or more"
    return lo_s if lo == hi else f"{lo_s}–{hi}"


@app.command()
def conflicts(db: DbOpt = "tally.db", fmt: FormatOpt = Format.table,
              kind: Annotated[Optional[str], typer.Option(
                  help="conflict, divergence, denial, arithmetic or revision.")] = None,
              doc: Annotated[Optional[str], typer.Option(help="Only this document.")] = None,
              ) -> None:
    """Where sources disagree: conflicts, divergences, denials, arithmetic, revisions.

    --format json writes one JSON record per line, the shape of shared/dev/conflicts.jsonl."""
    kind = validate.kind("--kind", kind)
    _disagreements(db, fmt, {kind} if kind else None, doc)


@app.command()
def checks(db: DbOpt = "tally.db", fmt: FormatOpt = Format.table,
           doc: Annotated[Optional[str], typer.Option(help="Only this document.")] = None,
           ) -> None:
    """Consistency checks: totals, parts and rates that do not add up, and revised figures."""
    _disagreements(db, fmt, {"arithmetic", "revision"}, doc)


def _disagreements(db: str, fmt: Format, kinds: set[str] | None, doc: str | None) -> None:
    from tally.report import views
    from tally.store import open_store

    with open_store(db, must_exist=True, upgrade=False) as store:
        records = views.disagreements(store, kinds, doc)
    if fmt in (Format.json, Format.jsonl):
        write(records, Format.jsonl)
        return
    if fmt is Format.csv:
        _export_csv("disagreements", records)
        return
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"[bold]{len(records)} disagreements[/bold]")
    for r in records:
        out.print(f"\n[bold]{escape(r['kind'])}[/bold] "
                  f"{escape(r['doc'] or '(across documents)')}: {escape(r['why'])}")
        for c in r["claims"]:
            value = c["low"] if c["high"] == c["low"] else f"{c['low']}–{c['high'] or ''}"
            out.print(f"  {c['metric']} {value} ({c['stance']}, {c['speaker_or_org']}, "
                      f"{c['doc']}): {c.get('sentence') or ''}", markup=False)


@app.command()
def events(db: DbOpt = "tally.db", fmt: FormatOpt = Format.table,
           metric: Annotated[Optional[str], typer.Option(help="Events with this metric.")] = None,
           actor: Annotated[Optional[str], typer.Option(help="Perpetrator, e.g. Taliban.")] = None,
           doc: Annotated[Optional[str], typer.Option(help="Events this document reports.")] = None,
           since: Annotated[Optional[str], typer.Option(help="On or after (YYYY-MM-DD).")] = None,
           until: Annotated[Optional[str], typer.Option(help="On or before (YYYY-MM-DD).")] = None,
           country: Annotated[Optional[str], typer.Option(
               help="ISO 3166-1 code (AF, AFG) or a country's name.")] = None,
           admin1: Annotated[Optional[str], typer.Option(help="ISO 3166-2 code, e.g. AF-KAB.")] = None,
           min_sources: Annotated[int, typer.Option(
               help="Only events with at least this many independent sources.")] = 1,
           ) -> None:
    """Incidents: the claims about one attack across metrics, sources and articles, with
    each metric's lowest, highest and best figure."""
    from tally.report import views
    from tally.store import open_store

    filters: dict[str, Any] = dict(
        metric=validate.metric("--metric", metric), actor=validate.text("--actor", actor),
        doc=validate.text("--doc", doc), country=validate.country("--country", country),
        admin1=validate.admin1("--admin1", admin1), min_sources=min_sources)
    first, last = _parse_day(since, "--since"), _parse_day(until, "--until")
    validate.period(("--since", first), ("--until", last))
    with open_store(db, must_exist=True, upgrade=False) as store:
        found, undated = views.events(store, **filters, since=first, until=last)
    if undated:
        err.print(f"{undated} events without a date were left out by --since/--until",
                  markup=False)
    if fmt in (Format.json, Format.jsonl):
        write([e.to_dict() for e in found], fmt)
        return
    if fmt is Format.csv:
        _export_csv("events", found)
        return
    rows = [{"id": e.id, "date": e.date.isoformat() if e.date else None,
             "place": ", ".join(p for p in (e.place, e.admin1, e.country) if p),
             "figures": "; ".join(f"{m} {_span(f.lowest, f.highest, f.open_ended)} "
                                  f"(best {f.best})" for m, f in e.metrics.items()),
             "perpetrators": ", ".join(e.perpetrators), "sources": len(e.sources),
             "disagreements": ", ".join(e.disagreement_kinds), "docs": ", ".join(e.docs)}
            for e in found]
    write(rows, fmt, title=f"{len(rows)} events")


def _span(lo: int | None, hi: int | None, open_ended: bool) -> str:
    text = "?" if lo is None else str(lo) if lo == hi else f"{lo}–{hi}"
    return text + (" or more" if open_ended else "")


class ExportTable(str, Enum):
    claims = "claims"
    events = "events"
    figures = "figures"
    disagreements = "disagreements"


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    acled = "acled"


@app.command("export")
def export_table(
        table: Annotated[ExportTable, typer.Argument(
            help="claims, events, figures or disagreements.")],
        out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
        fmt: Annotated[ExportFormat, typer.Option(
            "--format", "-f", help="csv, jsonl, parquet, or acled (events only: ACLED's "
                                   "columns, as CSV).")] = ExportFormat.csv,
        db: DbOpt = "tally.db") -> None:
    """Write one table as flat, typed columns: CSV (lists as JSON text), JSON lines or
    Parquet; events also in ACLED's columns."""
    from tally import export
    from tally.errors import BadValue
    from tally.store import open_store

    if fmt is ExportFormat.acled and table is not ExportTable.events:
        raise BadValue("--format acled is for events: `tally export events --format acled`")
    with open_store(db, must_exist=True, upgrade=False) as store:
        if fmt is ExportFormat.acled:
            rows = export.acled_rows(store)
            try:
                with out.open("w", encoding="utf-8", newline="") as f:
                    export.write_acled(rows, f)
            except OSError as e:
                raise BadValue(f"cannot write {out}: {e.strerror or e}") from None
        else:
            rows = export.table_rows(store, table.value)
            export.write(table.value, rows, fmt.value, out)
    err.print(f"{len(rows)} {table.value} written to {out}", markup=False)


class ReportFormat(str, Enum):
    html = "html"
    md = "md"


@app.command()
def report(db: DbOpt = "tally.db",
           out: Annotated[Optional[Path], typer.Option(
               "--out", "-o", help="Write here (default: standard output).")] = None,
           fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="html or md (Markdown).")] = ReportFormat.html,
           metric: Annotated[Optional[str], typer.Option(help="killed, wounded, ...")] = None,
           doc: Annotated[Optional[str], typer.Option(help="Only this document.")] = None,
           ) -> None:
    """The analyst's report: disagreements with their sentences, then figures by source."""
    from tally.report.render import render
    from tally.store import open_store

    metric = validate.metric("--metric", metric)
    with open_store(db, must_exist=True, upgrade=False) as store:
        text = render(store, fmt.value, metric, doc)
    if out is None:
        sys.stdout.write(text)
        return
    out.write_text(text, encoding="utf-8")
    err.print(f"report written to {out}", markup=False)


@app.command()
def serve(db: DbOpt = "tally.db",
          host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8000) -> None:
    """The web workspace and the JSON API (/api/...) over a store."""
    import uvicorn

    from tally.web.app import create_app

    from tally.web.security import SERVER_OPTIONS, is_loopback

    if not is_loopback(host):
        err.print(f"warning: {host} is reachable from other machines: "
                  + ("writes need the token in TALLY_TOKEN" if settings.get("token") else
                     "writes are refused until TALLY_TOKEN is set"), markup=False)
    err.print(f"tally workspace on http://{host}:{port}/ (store {db}); Ctrl-C stops it",
              markup=False)
    # timeouts for idle, slow and half-open clients, and a bound on connections
    uvicorn.run(create_app(db, bind=host), host=host, port=port, log_level="warning",
                **SERVER_OPTIONS)


@app.command("settings")
def show_settings(fmt: FormatOpt = Format.table) -> None:
    """The settings, their environment variables, current values and meaning."""
    rows = [{"name": st.name, "environment": st.env,
             "value": "(set)" if st.name == "token" and settings.get(st.name)
             else settings.get(st.name),
             "default": st.default, "help": st.help} for st in settings.SETTINGS]
    write(rows, fmt, title="settings")


@app.command("migrate")
def migrate(db: DbOpt = "tally.db") -> None:
    """Upgrade a store made by an older tally to this version's schema (a SQLite file is
    copied aside first, as FILE.schema-OLD.bak)."""
    from tally.store import open_store

    with open_store(db, must_exist=True, upgrade=True) as store:
        err.print(store.migrated or f"the store {db} is already at this tally's schema",
                  markup=False)


@app.command("reconcile")
def reconcile_all(db: DbOpt = "tally.db") -> None:
    """Recompute figure groups and disagreements for the whole store."""
    from tally.store import open_store

    with open_store(db, must_exist=True) as store:
        _refresh(store, None)


@app.command("eval")
def evaluate(gold: Annotated[Path, typer.Argument(help="Gold claims, JSON lines.")],
             paths: PathsArg, fmt: FormatOpt = Format.table,
             docs_from_gold: Annotated[bool, typer.Option(
                 help="Ignore predictions for documents the gold does not cover.")] = False,
             show_misses: Annotated[bool, typer.Option(help="List misses and extras.")] = False,
             ) -> None:
    """Extract claims from PATHS and score them against GOLD with the rules of CLAIMS.md."""
    from tally.evaluation import load_jsonl, score
    from tally.nlp.extractor import Extractor

    inputs = _Inputs(paths, _max_bytes())
    pred: list[dict] = []
    with _progress() as progress:
        task = progress.add_task("extracting", total=None)
        for _d, cs in Extractor.default().extract(inputs):
            pred.extend(c.to_dict() for c in cs)
            progress.advance(task)
    result = score(load_jsonl(gold), pred, only_gold_docs=docs_from_gold)
    if fmt is not Format.table:
        write([result.summary()], fmt)
        return
    out = Console(highlight=False)
    for name, (ok, n) in result.fields.items():
        out.print(f"  {name:20s} {ok:4d}/{n:<4d} {ok / n:.3f}")
    if show_misses:
        for line in result.miss_lines():
            out.print(line, markup=False)
    out.print(f"claims: tp {result.tp} fp {result.fp} fn {result.fn}  precision "
              f"{result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except TallyError as e:
        err.print(f"error: {e}", markup=False)
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main()
