"""The JSON API and the web workspace (`tally serve`). Thin: every answer comes from
report.views, every write goes through pipeline.ingest."""
from __future__ import annotations

import base64
import binascii
import contextlib
import gc
import io
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (FileResponse, HTMLResponse, JSONResponse, PlainTextResponse,
                                 Response)
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tally import export, pipeline, settings, validate
from tally.documents.links import read_urls, url_lines
from tally.documents.readers import Notice, load_json, read_upload, row_document
from tally.errors import NotFound, TallyError
from tally.events import Event
from tally.reconcile.persist import org_aliases
from tally.report import views
from tally.report.output import Format, write
from tally.report.render import render
from tally.store import open_store
from tally.store.store import Store
from tally.web import visual
from tally.web.openapi import docs_page, params_of, schema
from tally.web.security import Guard

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
PAGE_LIMIT = 500  # items in one page of a list when the request gives no limit
BODY_LIMIT_DOCUMENTS = 20  # a posted batch may hold this many documents of the largest size
# The check of each filter parameter: one table for every route that takes it.
FILTER_CHECKS = {"metric": validate.metric, "side": validate.side, "stance": validate.stance,
                 "country": validate.country, "admin1": validate.admin1,
                 "actor": validate.text, "doc": validate.text}


def _filters(q: Any, *names: str) -> dict[str, Any]:
    return {n: FILTER_CHECKS[n](f"{n}=", q.get(n)) for n in names}


class Workspace:
    """The store and, once a document is posted, the model: loaded once per server."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.store: Store = open_store(db)
        self._extractor = None
        self._write = threading.Lock()  # one ingest at a time: SQLite has one writer

    def extractor(self):
        if self._extractor is None:
            from tally.nlp.extractor import Extractor

            self._extractor = Extractor.default()
            settle()
        return self._extractor

    def prepare(self) -> None:
        """Computes, in the background, what the first visit to the timeline needs (the
        sources' names, figure groups, disagreements and the unfiltered timeline), so
        that it draws at once: after the server starts and after each ingest it makes.
        A request meanwhile waits for the same computation rather than repeating it."""
        def run() -> None:
            try:
                visual.timeline(self.store, visual.Filters())
            except Exception:  # noqa: BLE001 -- a request will compute it and say why
                log.debug("preparing the timeline failed", exc_info=True)

        threading.Thread(target=run, name="tally-prepare", daemon=True).start()


def settle() -> None:
    """What the server keeps for its lifetime (the lexicon every view names sources with,
    the model once loaded) is set aside from the garbage collector, which otherwise walks
    all of it again and again while a view is computed: a third of the timeline's first
    answer at 10,000 claims."""
    org_aliases()
    gc.collect()
    gc.freeze()


def _bad(message: str, status: int = 400) -> JSONResponse:
    """The one error shape of the API."""
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def _day(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise HTTPException(400, f"{name}={raw!r} is not a date (YYYY-MM-DD)")




def _only(request: Request, *allowed: str) -> None:
    """Refuse a parameter this request does not take: a typo must not answer everything."""
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        raise HTTPException(400, f"unknown parameter {unknown[0]!r}: "
                                 f"{request.url.path} takes {', '.join(allowed) or 'none'}")


def _int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise HTTPException(400, f"{name}={raw!r} is not a whole number")
    if value < 0:
        raise HTTPException(400, f"{name} must not be negative")
    return value


async def _paged(request: Request, fetch: Callable[[int, int | None], tuple[list[Any], int]],
                 name: str, extra: dict[str, Any] | None = None) -> Response:
    """As _page, for a list the store pages itself: fetch(offset, limit) gives one page
    and how many rows there are in all (a limit of None: every row)."""
    if request.query_params.get("format", "json") == "csv":
        rows, _ = await run_in_threadpool(fetch, 0, None)
        return _page(request, rows, name, extra)
    _format(request)
    offset, limit = _int(request, "offset", 0), _int(request, "limit", PAGE_LIMIT)
    rows, total = await run_in_threadpool(fetch, offset, limit)
    return JSONResponse({"total": total, "offset": offset, **(extra or {}), "items": rows})


def _format(request: Request) -> str:
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "csv"):
        raise HTTPException(400, f"format={fmt!r} is not json or csv")
    return fmt


def _page(request: Request, rows: list[Any], name: str,
          extra: dict[str, Any] | None = None) -> Response:
    """A page of rows as JSON, or with format=csv every row as a spreadsheet download (in
    the columns of `tally export` for the tables it exports)."""
    fmt = _format(request)
    if fmt == "csv":
        buf = io.StringIO()
        if name in export.TABLES:
            export.write_csv(export.rows_of(name, rows), export.COLUMNS[name], buf)
        else:
            write(rows, Format.csv, out=buf)
        return _download(buf.getvalue().encode("utf-8"), f"tally-{name}.csv",
                         "text/csv; charset=utf-8")
    offset, limit = _int(request, "offset", 0), _int(request, "limit", PAGE_LIMIT)
    items = [r.to_dict() if isinstance(r, Event) else r for r in rows[offset:offset + limit]]
    return JSONResponse({"total": len(rows), "offset": offset, **(extra or {}),
                         "items": items})


def _download(body: bytes, filename: str, media_type: str) -> Response:
    return Response(body, media_type=media_type, headers={
        "content-disposition": f'attachment; filename="{filename}"'})


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
                "parquet": "application/vnd.apache.parquet", "acled": "text/csv; charset=utf-8"}


def _export_file(table: str, fmt: str, store: Store) -> bytes:
    """One table in an export format, as `tally export` writes it to a file."""
    if fmt == "parquet":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.parquet"
            export.write_parquet(export.table_rows(store, table), export.COLUMNS[table], path)
            return path.read_bytes()
    buf = io.StringIO()
    if fmt == "acled":
        export.write_acled(export.acled_rows(store), buf)
    elif fmt == "csv":
        export.write_csv(export.table_rows(store, table), export.COLUMNS[table], buf)
    else:
        export.write_jsonl(export.table_rows(store, table), export.COLUMNS[table], buf)
    return buf.getvalue().encode("utf-8")


def _documents_and_problems(items: Iterable[Any]) -> tuple[list[Any], list[dict[str, Any]]]:
    """What a reader yielded, as documents to ingest and the problems the answer lists."""
    docs: list[Any] = []
    problems: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, Notice):
            problems.append({"input": item.source, "problem": item.problem,
                             "fatal": item.fatal})
        else:
            docs.append(item)
    return docs, problems


def create_app(db: str, bind: str = "127.0.0.1") -> Starlette:
    """The app over the store `db`, for a server listening on `bind` (which decides
    whether writes need TALLY_TOKEN: see web.security)."""
    ws = Workspace(db)

    async def summary(request: Request) -> JSONResponse:
        _only(request)
        return JSONResponse(await run_in_threadpool(views.summary, ws.store))

    async def claims(request: Request) -> Response:
        _only(request, *params_of("/api/claims"))
        q = request.query_params
        filters: dict[str, Any] = _filters(q, "metric", "side", "stance", "country", "admin1",
                                           "actor", "doc")
        dates = {"since": _day(request, "since"), "until": _day(request, "until")}
        validate.period(("since=", dates["since"]), ("until=", dates["until"]))
        def found(offset: int, limit: int | None) -> tuple[list[dict[str, Any]], int]:
            return views.claims_page(ws.store, offset, limit, **filters, **dates)

        extra = {}
        if dates["since"] or dates["until"]:
            # Claims without a period cannot pass a date filter: say how many there were.
            extra["left_out_undated"] = await run_in_threadpool(
                lambda: ws.store.count_undated_claims(
                    bool(dates["since"]), bool(dates["until"]),
                    **{k: v for k, v in filters.items() if v is not None}))
        return await _paged(request, found, "claims", extra)

    async def figures(request: Request) -> Response:
        _only(request, *params_of("/api/figures"))
        q = request.query_params
        rows = await run_in_threadpool(views.figure_groups, ws.store,
                                       validate.metric("metric=", q.get("metric")),
                                       validate.text("doc=", q.get("doc")),
                                       _int(request, "min_sources", 1))
        return _page(request, rows, "figures")

    async def disagreements(request: Request) -> Response:
        _only(request, *params_of("/api/disagreements"))
        q = request.query_params
        kind = validate.kind("kind=", q.get("kind"))
        rows = await run_in_threadpool(views.disagreements, ws.store,
                                       {kind} if kind else None,
                                       validate.text("doc=", q.get("doc")))
        return _page(request, rows, "disagreements")

    async def events(request: Request) -> Response:
        _only(request, *params_of("/api/events"))
        q = request.query_params
        filters: dict[str, Any] = {
            **_filters(q, "metric", "actor", "doc", "country", "admin1"),
            "since": _day(request, "since"), "until": _day(request, "until"),
            "min_sources": _int(request, "min_sources", 1)}
        validate.period(("since=", filters["since"]), ("until=", filters["until"]))
        found, undated = await run_in_threadpool(lambda: views.events(ws.store, **filters))
        extra = {"left_out_undated": undated} if filters["since"] or filters["until"] else {}
        return _page(request, found, "events", extra)

    async def sources(request: Request) -> Response:
        _only(request, *params_of("/api/sources"))
        q = request.query_params
        rows = await run_in_threadpool(views.sources, ws.store,
                                       validate.side("side=", q.get("side")),
                                       validate.text("name=", q.get("name")))
        return _page(request, rows, "sources")

    async def source(request: Request) -> JSONResponse:
        _only(request)
        name = validate.text("source name=", request.path_params["name"]) or ""
        return JSONResponse(await run_in_threadpool(views.source, ws.store, name))

    async def export_table(request: Request) -> Response:
        _only(request, *params_of("/api/export/{table}"))
        table = validate.choice("table", request.path_params["table"], export.TABLES) or ""
        fmt = validate.choice("format=", request.query_params.get("format", "csv"),
                              tuple(EXPORT_TYPES)) or "csv"
        if fmt == "acled" and table != "events":
            raise HTTPException(400, "format=acled is for events: /api/export/events?format=acled")
        body = await run_in_threadpool(_export_file, table, fmt, ws.store)
        suffix = "csv" if fmt == "acled" else fmt
        name = f"tally-{table}{'-acled' if fmt == 'acled' else ''}.{suffix}"
        return _download(body, name, EXPORT_TYPES[fmt])

    async def documents(request: Request) -> Response:
        _only(request, *params_of("/api/documents"))
        return await _paged(request, lambda offset, limit: views.documents_page(
            ws.store, offset, limit), "documents")

    async def document(request: Request) -> JSONResponse:
        _only(request)
        doc_id = validate.text("document id=", request.path_params["doc_id"]) or ""
        return JSONResponse(await run_in_threadpool(views.document, ws.store, doc_id))

    async def add_documents(request: Request) -> Response:
        """Body: one document object or a list of them ({"text", "id", "date", "source",
        "url", "title"}). Each bad item is reported and skipped; the rest are stored."""
        _only(request)
        body = await read_body(request)
        if isinstance(body, Response):
            return body
        rows = body if isinstance(body, list) else [body]
        if not rows or body is None:
            return _bad("request body holds no document: send an object with 'text' or a list")
        max_bytes = int(settings.get("max_bytes"))
        return await ingested(*_documents_and_problems(
            item for i, row in enumerate(rows) for item in row_document(f"item {i}", row,
                                                                        max_bytes)))

    async def read_body(request: Request) -> Any:
        """The JSON body, read no further than the limit (an error answer instead)."""
        limit = BODY_LIMIT_DOCUMENTS * int(settings.get("max_bytes"))
        raw = bytearray()
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > limit:
                return _bad(f"request body too large (limit {limit:,} bytes): send fewer "
                            "documents per request", 413)
        try:
            body = load_json("request body", bytes(raw).decode("utf-8") or "null")
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            return _bad(f"request body is not valid JSON: {e}")
        if isinstance(body, Notice):
            return _bad(f"request body: {body.problem}")
        return body

    async def add_files(request: Request) -> Response:
        """Body: one file or a list ({"name", "data_base64"}), each read as `tally ingest`
        reads a file of that name (text, HTML, JSON lines, CSV, an RSS or Atom feed)."""
        _only(request)
        body = await read_body(request)
        if isinstance(body, Response):
            return body
        files = body if isinstance(body, list) else [body]
        if not files or body is None:
            return _bad("request body holds no file: send {\"name\", \"data_base64\"} or a list")
        docs, problems = [], []
        for i, f in enumerate(files):
            name = f.get("name") if isinstance(f, dict) else None
            try:
                if not isinstance(name, str) or not name.strip():
                    raise ValueError("has no 'name'")
                data = base64.b64decode(f.get("data_base64") or "", validate=True)
            except (ValueError, binascii.Error) as e:
                problems.append({"input": f"file {i}", "problem": str(e), "fatal": True})
                continue
            read, refused = _documents_and_problems(
                read_upload(name, data, int(settings.get("max_bytes"))))
            docs += read
            problems += refused
        return await ingested(docs, problems)

    async def add_urls(request: Request) -> Response:
        """Body: {"urls": [...]} or a list of URLs; each http(s) page or feed is fetched
        and read as `tally ingest` reads a URL list. The server opens none of its own
        files for a caller: local files come by upload."""
        _only(request)
        body = await read_body(request)
        if isinstance(body, Response):
            return body
        urls = body.get("urls") if isinstance(body, dict) else body
        if isinstance(urls, str):
            urls = [u for _, u in url_lines(urls)]
        if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
            return _bad('request body holds no URL: send {"urls": ["https://…", …]}')
        items = await run_in_threadpool(
            lambda: list(read_urls(urls, int(settings.get("max_bytes")), local=False)))
        return await ingested(*_documents_and_problems(items))

    async def ingested(docs: list[Any], problems: list[dict[str, Any]]) -> JSONResponse:
        def ingest():
            with ws._write:
                return pipeline.ingest(ws.store, docs, extractor=ws.extractor())

        result = await run_in_threadpool(ingest) if docs else pipeline.IngestResult()
        if result.counts["new"] or result.counts["version"]:
            ws.prepare()
        problems += [{"input": doc_id, "problem": why, "fatal": True}
                     for doc_id, why in result.refused]
        status = 400 if problems and not any(result.counts.values()) else 200
        return JSONResponse({**result.counts, "claims": result.claims,
                             "documents": result.changed, "problems": problems},
                            status_code=status)

    def chart_filters(request: Request) -> visual.Filters:
        since, until = _day(request, "since"), _day(request, "until")
        validate.period(("since=", since), ("until=", until))
        return visual.Filters(**_filters(request.query_params, "metric", "country", "admin1",
                                         "actor", "side", "doc"), since=since, until=until)

    async def chart_timeline(request: Request) -> Response:
        _only(request, *params_of("/api/charts/timeline"))
        f = chart_filters(request)
        return Response(await run_in_threadpool(visual.timeline, ws.store, f),
                        media_type="application/json")

    async def chart_map(request: Request) -> Response:
        _only(request, *params_of("/api/charts/map"))
        f = chart_filters(request)
        return Response(await run_in_threadpool(visual.map_view, ws.store, f),
                        media_type="application/json")

    async def chart_groups(request: Request) -> JSONResponse:
        _only(request, *params_of("/api/charts/groups"))
        ids = {i for i in (validate.text("ids=", request.query_params.get("ids")) or "")
               .split(",") if i}

        def found() -> list[dict[str, Any]]:
            return visual.group_charts([g for g in views.figure_groups(ws.store)
                                        if g["id"] in ids]) if ids else []

        return JSONResponse({"items": await run_in_threadpool(found)})

    async def evidence(request: Request) -> JSONResponse:
        _only(request, *params_of("/api/evidence"))
        q = request.query_params
        given = [(k, q[k]) for k in visual.KINDS if q.get(k)]
        if len(given) != 1:
            raise HTTPException(400, "name one item: claim=, group=, event= or disagreement=")
        kind, item = given[0]
        item = validate.text(f"{kind}=", item) or ""
        return JSONResponse(await run_in_threadpool(visual.evidence, ws.store, kind, item))

    async def report(request: Request):
        _only(request, *params_of("/api/report"))
        fmt = request.query_params.get("format", "html")
        if fmt not in ("html", "md"):
            return _bad("format must be html or md")
        q = request.query_params
        text = await run_in_threadpool(render, ws.store, fmt,
                                       validate.metric("metric=", q.get("metric")),
                                       validate.text("doc=", q.get("doc")))
        return HTMLResponse(text) if fmt == "html" else PlainTextResponse(text)

    async def openapi(request: Request) -> JSONResponse:
        _only(request)
        return JSONResponse(schema())

    async def api_docs(request: Request) -> HTMLResponse:
        _only(request)
        return HTMLResponse(docs_page())

    async def index(request: Request) -> FileResponse:
        return FileResponse(STATIC / "index.html")

    async def not_found(request: Request, exc: Exception) -> JSONResponse:
        return _bad(str(exc), 404)

    async def tally_error(request: Request, exc: Exception) -> JSONResponse:
        return _bad(str(exc), 400)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        return _bad(exc.detail, exc.status_code)

    routes = [
        Route("/", index),
        Route("/openapi.json", openapi),
        Route("/api/docs", api_docs),
        Route("/api/summary", summary),
        Route("/api/claims", claims),
        Route("/api/figures", figures),
        Route("/api/disagreements", disagreements),
        Route("/api/events", events),
        Route("/api/sources", sources),
        Route("/api/sources/{name:path}", source),
        Route("/api/export/{table}", export_table),
        Route("/api/documents", documents, methods=["GET"]),
        Route("/api/documents", add_documents, methods=["POST"]),
        Route("/api/files", add_files, methods=["POST"]),
        Route("/api/urls", add_urls, methods=["POST"]),
        Route("/api/documents/{doc_id:path}", document),
        Route("/api/report", report),
        Route("/api/charts/timeline", chart_timeline),
        Route("/api/charts/map", chart_map),
        Route("/api/charts/groups", chart_groups),
        Route("/api/evidence", evidence),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(settle)
        ws.prepare()
        yield
        ws.store.close()  # the server's connections, returned to PostgreSQL

    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        return _bad(f"internal error ({type(exc).__name__}); the server log has the details",
                    500)

    guard = Middleware(Guard, bind=bind, token=settings.get("token") or None,
                       body_limit=BODY_LIMIT_DOCUMENTS * int(settings.get("max_bytes")))
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[guard], exception_handlers={
        NotFound: not_found, TallyError: tally_error, HTTPException: http_error,
        Exception: server_error})
    app.state.workspace = ws
    return app
