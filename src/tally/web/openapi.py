"""The API described: an OpenAPI 3.1 schema and its docs page, generated from the tables
the routes check their parameters against and from pydantic models of their answers.

The routes (web/app.py) refuse any parameter that ENDPOINTS does not list for them, and
the tests validate real answers against these models (which forbid unknown fields), so
the description cannot drift from what the server does.
"""
from __future__ import annotations

import html
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.json_schema import models_json_schema

from tally.claims import METRICS, SIDES, STANCES


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Error(Strict):
    """The one error shape of the API."""

    ok: Literal[False]
    error: str = Field(description="one line naming the input and what is wrong")
    status: int


class Value(Strict):
    low: int | None
    high: int | None
    qualifier: str
    text: str


class Victim(Strict):
    group: str
    text: str | None


class Perpetrator(Strict):
    actor: str | None
    text: str | None


class Place(Strict):
    text: str | None
    country: str | None = Field(description="ISO 3166-1 alpha-2")
    admin1: str | None = Field(description="ISO 3166-2 first-level division")


class Period(Strict):
    text: str | None
    start: str | None = Field(description="YYYY-MM-DD")
    end: str | None = Field(description="YYYY-MM-DD")


class Source(Strict):
    speaker: str | None
    org: str | None
    side: str
    via: str | None


class Evidence(Strict):
    sentence: str
    start: int
    end: int


class Claim(Strict):
    """A claim as CLAIMS.md describes it, with its id and the name its source goes by."""

    id: str
    doc: str
    metric: str
    value: Value
    rate: dict[str, str] | None
    victim: Victim
    perpetrator: Perpetrator
    place: Place
    period: Period
    kind: str
    source: Source
    attribution: str
    stance: str
    evidence: Evidence
    pipeline: str
    source_name: str | None = None
    source_side: str | None = None


class FigureValue(Strict):
    id: str = Field(description="the claim's id")
    doc: str
    value: Value
    source: str
    side: str
    copy_of: str | None = Field(description="claim id of the figure this one copies")
    sentence: str | None


class FigureGroup(Strict):
    """One quantity as each source gives it."""

    id: str
    metric: str
    victim: str | None
    perpetrator: str | None
    place: dict[str, str | None]
    period: dict[str, str | None]
    docs: list[str]
    min: int | None
    max: int | None
    independent_sources: int
    sides: list[str]
    values: list[FigureValue]
    claim_ids: list[str]


class DisagreementClaim(Strict):
    id: str = Field(description="the claim's id")
    doc: str
    metric: str
    low: int | None
    high: int | None
    stance: str
    speaker_or_org: str
    side: str
    sentence: str | None
    start: int | None = Field(description="where the sentence starts in the document")
    end: int | None


class Disagreement(Strict):
    id: str
    doc: str | None
    kind: str
    why: str
    claims: list[DisagreementClaim]
    claim_ids: list[str]


class Figures(Strict):
    lowest: int | None
    highest: int | None
    best: int | None = Field(description="lower median of each source's latest figure")
    open_ended: bool
    sources: int


class Event(Strict):
    """The claims about one incident, across metrics, sources and articles."""

    id: str
    date: str | None
    time_precision: int | None
    country: str | None
    admin1: str | None
    place: str | None
    perpetrators: list[str]
    victims: list[str]
    metrics: dict[str, Figures]
    sources: list[str]
    sides: list[str]
    docs: list[str]
    claim_ids: list[str]
    disagreement_ids: list[str]
    disagreement_kinds: list[str]


class DocumentListed(Strict):
    id: str
    date: str | None
    source: str | None
    title: str | None
    url: str | None
    version: int
    claims: int


class Document(Strict):
    id: str
    version: int
    versions: int
    text: str
    date: str | None
    source: str | None
    url: str | None
    title: str | None
    meta: dict[str, Any]
    ingested_at: str
    claims: list[Claim]


class Summary(Strict):
    documents: int
    claims: int
    denied: int
    metrics: dict[str, int]
    figure_groups: int
    multi_source_groups: int
    disagreements: dict[str, int]


class SourceListed(Strict):
    name: str = Field(description="as disagreements and figure groups name the source")
    side: str
    speakers: list[str]
    orgs: list[str]
    claims: int
    denied: int
    metrics: dict[str, int]
    docs: list[str]
    disagreements: int
    disagreement_kinds: dict[str, int]


class SourceDetail(SourceListed):
    items: list[Claim]
    disagreement_items: list[Disagreement]


class DocumentIn(Strict):
    text: str
    id: str | None = None
    date: str | None = Field(None, description="YYYY-MM-DD")
    source: str | None = None
    url: str | None = None
    title: str | None = None


class FileIn(Strict):
    name: str = Field(description="the file's name; its suffix says how to read it, as "
                                  "`tally ingest` reads files (.txt, .md, .html, .jsonl, "
                                  ".json, .csv, .rss, .atom, .xml)")
    data_base64: str = Field(description="the file's bytes, base64")


class UrlsIn(Strict):
    urls: list[str] = Field(description="web addresses (http or https) of pages or feeds, each "
                                        "read by its Content-Type (HTML, text, JSON lines, "
                                        "CSV, RSS/Atom)")


class Problem(Strict):
    input: str
    problem: str
    fatal: bool


class Ingested(Strict):
    new: int
    version: int
    same: int
    claims: int
    documents: list[str]
    problems: list[Problem]


class Chart(Strict):
    """A chart of the workspace as a Vega-Lite specification (report/charts.py)."""

    spec: dict[str, Any] = Field(description="Vega-Lite, its data inline (the map's "
                                              "country outlines from /static/vendor/)")
    drawn: int = Field(description="the figures (timeline) or places (map) drawn")
    left_out: int = Field(description="those the filters kept but the chart cannot draw: "
                                      "no figure or no day (timeline), no known place (map)")
    renderer: Literal["svg", "canvas"] = Field(
        description="how the workspace draws it: on a canvas from 2,000 marks, whose marks "
                    "then carry no labels for screen readers")


class GroupChart(Strict):
    id: str = Field(description="the figure group's id")
    spec: dict[str, Any] = Field(description="Vega-Lite: each source's value")


class GroupCharts(Strict):
    items: list[GroupChart]


class EvidenceOf(Strict):
    """One item with its claims and what they are part of."""

    kind: Literal["claim", "group", "event", "disagreement"]
    id: str
    claims: list[Claim] = Field(description="the item's claims, each with its sentence")
    groups: list[FigureGroup]
    events: list[Event]
    disagreements: list[Disagreement]


def _page(item: type[BaseModel], undated: bool = False) -> type[BaseModel]:
    fields: dict[str, Any] = {"total": (int, ...), "offset": (int, ...),
                              "items": (list[item], ...)}  # type: ignore[valid-type]
    if undated:
        fields["left_out_undated"] = (int | None, Field(
            None, description="with since/until: the items without a date left out"))
    return create_model(f"{item.__name__}Page", __base__=Strict, **fields)


ClaimPage = _page(Claim, undated=True)
FigurePage = _page(FigureGroup)
DisagreementPage = _page(Disagreement)
EventPage = _page(Event, undated=True)
DocumentPage = _page(DocumentListed)
SourcePage = _page(SourceListed)


class Param(NamedTuple):
    name: str
    help: str
    type: str = "string"  # the JSON schema type
    enum: tuple[str, ...] | None = None
    format: str | None = None


def _choices(name: str, values: tuple[str, ...], help: str) -> Param:
    return Param(name, help, enum=values)


DISAGREEMENT_KINDS = ("conflict", "divergence", "denial", "arithmetic", "revision")
TABLES = ("claims", "events", "figures", "disagreements")
PAGE = (_choices("format", ("json", "csv"), "csv: every row, in `tally export`'s columns"),
        Param("offset", "skip this many items", "integer"),
        Param("limit", "at most this many items (default 500)", "integer"))
METRIC = _choices("metric", METRICS, "what is counted")
DOC = Param("doc", "a document id")
COUNTRY = Param("country", "ISO 3166-1 code (AF, AFG) or a country's name")
ADMIN1 = Param("admin1", "ISO 3166-2 code, e.g. AF-KAB")
SINCE = Param("since", "on or after this day (YYYY-MM-DD)", format="date")
UNTIL = Param("until", "on or before this day (YYYY-MM-DD)", format="date")
ACTOR = Param("actor", "perpetrator, e.g. Taliban")
MIN_SOURCES = Param("min_sources", "at least this many independent sources", "integer")
SIDE = _choices("side", SIDES, "the source's side")
CHART_FILTERS = (METRIC, COUNTRY, ADMIN1, ACTOR, SIDE, DOC, SINCE, UNTIL)


class Endpoint(NamedTuple):
    path: str
    method: str
    summary: str
    params: tuple[Param, ...]
    answer: type[BaseModel] | None  # None: not JSON (a file or a page)
    media_type: str = "application/json"
    body: type[BaseModel] | None = None


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/api/summary", "get", "Counts of documents, claims, groups and disagreements",
             (), Summary),
    Endpoint("/api/claims", "get", "Stored claims, filtered",
             (METRIC, ACTOR, _choices("side", SIDES, "the source's side"),
              _choices("stance", STANCES, "asserted or denied"), DOC, SINCE, UNTIL, COUNTRY,
              ADMIN1, *PAGE), ClaimPage),
    Endpoint("/api/figures", "get", "Figure groups, most independent sources first",
             (METRIC, DOC, MIN_SOURCES, *PAGE), FigurePage),
    Endpoint("/api/disagreements", "get", "Where sources disagree",
             (_choices("kind", DISAGREEMENT_KINDS, "kind of disagreement"), DOC, *PAGE),
             DisagreementPage),
    Endpoint("/api/events", "get", "Incidents, each metric's lowest, highest and best figure",
             (METRIC, ACTOR, DOC, COUNTRY, ADMIN1, SINCE, UNTIL, MIN_SOURCES, *PAGE),
             EventPage),
    Endpoint("/api/sources", "get", "Each source with its side, claims and disagreements",
             (_choices("side", SIDES, "the source's side"),
              Param("name", "a part of the source's name, any case"), *PAGE), SourcePage),
    Endpoint("/api/sources/{name}", "get", "One source with its claims and disagreements",
             (), SourceDetail),
    Endpoint("/api/export/{table}", "get", "One table as the file `tally export` writes",
             (_choices("format", ("csv", "jsonl", "parquet", "acled"),
                       "file format (acled: events only)"),), None,
             "application/octet-stream"),
    Endpoint("/api/documents", "get", "Stored documents (latest versions)", PAGE,
             DocumentPage),
    Endpoint("/api/documents", "post", "Extract, store and reconcile documents", (),
             Ingested, body=DocumentIn),
    Endpoint("/api/files", "post", "Read files as `tally ingest` does (an RSS feed too), "
             "then extract, store and reconcile their documents", (), Ingested, body=FileIn),
    Endpoint("/api/urls", "post", "Fetch pages and feeds by URL, read them as `tally "
             "ingest` reads a URL list, then extract, store and reconcile their documents",
             (), Ingested, body=UrlsIn),
    Endpoint("/api/documents/{doc_id}", "get", "One document with its text and claims", (),
             Document),
    Endpoint("/api/report", "get", "The analyst's report",
             (_choices("format", ("html", "md"), "HTML or Markdown"), METRIC, DOC), None,
             "text/html"),
    Endpoint("/api/charts/timeline", "get", "Each source's figure per metric over time, "
             "as a Vega-Lite spec", CHART_FILTERS, Chart),
    Endpoint("/api/charts/map", "get", "Events and figure groups at their place, as a "
             "Vega-Lite spec", CHART_FILTERS, Chart),
    Endpoint("/api/charts/groups", "get", "Each named figure group's values by source, as "
             "Vega-Lite specs", (Param("ids", "figure group ids, separated by commas"),),
             GroupCharts),
    Endpoint("/api/evidence", "get", "One claim, figure group, event or disagreement with "
             "its sentences and what it is part of",
             tuple(Param(k, f"a {k} id (name exactly one)")
                   for k in ("claim", "group", "event", "disagreement")), EvidenceOf),
)
PATH_PARAMS = {"/api/export/{table}": Param("table", "which table", enum=TABLES),
               "/api/documents/{doc_id}": Param("doc_id", "a document id"),
               "/api/sources/{name}": Param("name", "a source's name, as /api/sources gives it")}


def params_of(path: str, method: str = "get") -> tuple[str, ...]:
    """The query parameters an endpoint takes: what its route accepts."""
    for e in ENDPOINTS:
        if e.path == path and e.method == method:
            return tuple(p.name for p in e.params)
    raise KeyError(f"{method.upper()} {path} is not described")


def _param(p: Param, where: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": p.type}
    if p.enum:
        schema["enum"] = list(p.enum)
    if p.format:
        schema["format"] = p.format
    return {"name": p.name, "in": where, "required": where == "path", "description": p.help,
            "schema": schema}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    from tally import __version__

    models = {m for e in ENDPOINTS for m in (e.answer, e.body) if m} | {Error}
    refs, defs = models_json_schema([(m, "serialization") for m in sorted(
        models, key=lambda m: m.__name__)], ref_template="#/components/schemas/{model}")
    paths: dict[str, dict[str, Any]] = {}
    error = {"description": "a bad parameter or body (404: no such document)",
             "content": {"application/json": {"schema": refs[(Error, "serialization")]}}}
    for e in ENDPOINTS:
        ok: dict[str, Any] = {"description": "OK"}
        ok["content"] = {e.media_type: {"schema": refs[(e.answer, "serialization")]
                                        if e.answer else {"type": "string"}}}
        op: dict[str, Any] = {
            "summary": e.summary,
            "operationId": f"{e.method}_{e.path.strip('/').replace('/', '_')}"
                           .replace("{", "").replace("}", ""),
            "parameters": ([_param(PATH_PARAMS[e.path], "path")] if e.path in PATH_PARAMS
                           else []) + [_param(p, "query") for p in e.params],
            "responses": {"200": ok, "400": error}}
        if e.body:
            body = refs[(e.body, "serialization")]
            op["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"oneOf": [body, {"type": "array", "items": body}]}}}}
        paths.setdefault(e.path, {})[e.method] = op
    return {"openapi": "3.1.0",
            "info": {"title": "tally", "version": __version__,
                     "description": "Source-attributed conflict figures and where sources "
                                    "disagree. Errors: {\"ok\": false, \"error\", \"status\"}."},
            "paths": paths, "components": {"schemas": defs.get("$defs", {})}}


def docs_page() -> str:
    """The schema as one HTML page: no script, nothing fetched from elsewhere."""
    s = schema()
    out = ["<!doctype html><html lang=en><head><meta charset=utf-8><title>tally API</title>"
           "<link rel=stylesheet href=/static/style.css></head><body><main>",
           f"<h1>tally API {html.escape(s['info']['version'])}</h1>",
           f"<p>{html.escape(s['info']['description'])} The schema: "
           "<a href=/openapi.json>/openapi.json</a>.</p>"]
    for path, ops in s["paths"].items():
        for method, op in ops.items():
            out.append(f"<h2 id={html.escape(op['operationId'])}><code>{method.upper()} "
                       f"{html.escape(path)}</code></h2><p>{html.escape(op['summary'])}</p>")
            if op["parameters"]:
                out.append("<table><tr><th>parameter</th><th>in</th><th>type</th>"
                           "<th>meaning</th></tr>")
                for p in op["parameters"]:
                    kind = p["schema"].get("enum") or [p["schema"].get("format")
                                                       or p["schema"]["type"]]
                    out.append(f"<tr><td><code>{html.escape(p['name'])}</code></td>"
                               f"<td>{p['in']}</td><td>{html.escape(' | '.join(kind))}</td>"
                               f"<td>{html.escape(p['description'])}</td></tr>")
                out.append("</table>")
            for media, content in op["responses"]["200"]["content"].items():
                ref = content["schema"].get("$ref", "").rsplit("/", 1)[-1]
                answer = f"<a href=#schema-{ref}>{ref}</a>" if ref else "text"
                out.append(f"<p>Answer: {answer} ({html.escape(media)})</p>")
    out.append("<h2>Schemas</h2>")
    for name, model in s["components"]["schemas"].items():
        out.append(f"<h3 id=schema-{html.escape(name)}>{html.escape(name)}</h3><ul>")
        for field, spec in model.get("properties", {}).items():
            out.append(f"<li><code>{html.escape(field)}</code>: {html.escape(_type(spec))}"
                       f"{' — ' + html.escape(spec['description']) if 'description' in spec else ''}"
                       "</li>")
        out.append("</ul>")
    out.append("</main></body></html>")
    return "\n".join(out)


def _type(spec: dict[str, Any] | bool) -> str:
    if not isinstance(spec, dict):
        return "any"
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in spec:
        return " or ".join(_type(s) for s in spec["anyOf"])
    if spec.get("type") == "array":
        return f"list of {_type(spec.get('items', {}))}"
    if spec.get("type") == "object" and "additionalProperties" in spec:
        return f"object of {_type(spec['additionalProperties'])}"
    return str(spec.get("const", spec.get("type", "any")))
