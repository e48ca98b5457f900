"""Turn paths (files, folders, `-`) into Documents, reporting every unreadable input.

Every reader yields `Document` or `Notice`; a fatal notice means the input (or row) was
skipped, a non-fatal one that it came through with a caveat. Nothing here raises for a
bad input, so one bad file never stops a batch.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tally.documents.dateline import dateline_date
from tally.documents.headers import BadDate, parse_iso_date, split_headers
from tally.documents.model import Document, content_hash

log = logging.getLogger(__name__)

TEXT_EXT = {".txt", ".md", ".text"}
HTML_EXT = {".html", ".htm", ".xhtml"}
TABLE_EXT = {".jsonl", ".ndjson", ".json", ".csv"}
FEED_EXT = {".rss", ".atom", ".xml"}
KNOWN_EXT = TEXT_EXT | HTML_EXT | TABLE_EXT | FEED_EXT
ROW_FIELDS = ("id", "text", "date", "source", "url", "title")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Notice:
    """One line for the user about one input."""

    source: str
    problem: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


Item = Document | Notice


def read_inputs(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES,
                stdin: io.BufferedReader | None = None) -> Iterator[Item]:
    """Read every path; folders recursively (known extensions only), `-` from stdin."""
    for p in paths:
        if p == "-":
            data = (stdin or sys.stdin.buffer).read(max_bytes + 1)
            yield from _read_bytes("-", data, _sniff(data), stem=None, max_bytes=max_bytes)
            continue
        path = Path(p)
        if not path.exists():
            yield Notice(p, "no such file or directory")
        elif path.is_dir():
            files = sorted(f for f in path.rglob("*")
                           if f.is_file() and f.suffix.lower() in KNOWN_EXT
                           and not any(part.startswith(".") for part in f.relative_to(path).parts))
            if not files:
                yield Notice(p, "directory holds no readable documents "
                                f"(looked for {', '.join(sorted(KNOWN_EXT))})")
            for f in files:
                yield from read_file(f, max_bytes)
        else:
            yield from read_file(path, max_bytes)


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Notice(name, f"too large ({size:,} bytes, limit {max_bytes:,}; "
                               "raise it with --max-bytes)")
            return
        data = path.read_bytes()
    except OSError as e:
        yield Notice(name, f"cannot be read ({e.strerror or e})")
        return
    kind = _kind_of(path.suffix.lower(), data)
    yield from _read_bytes(name, data, kind, stem=path.stem, max_bytes=max_bytes)


def _kind_of(ext: str, data: bytes) -> str:
    if ext in TEXT_EXT:
        return "text"
    if ext in HTML_EXT:
        return "html"
    if ext in (".jsonl", ".ndjson"):
        return "jsonl"
    if ext == ".json":
        return "json"
    if ext == ".csv":
        return "csv"
    if ext in FEED_EXT:
        return "feed"
    return _sniff(data)


def _sniff(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return "feed" if (b"<rss" in head or b"<feed" in head or b"<rdf" in head) else "html"
    if head.startswith(b"<"):
        return "html"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def decode(name: str, data: bytes) -> tuple[str | None, Notice | None]:
    """UTF-8 text, or Windows-1252 with a warning; binary data is refused."""
    if b"\x00" in data[:8192]:
        return None, Notice(name, "binary file (contains NUL bytes), not a text document")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        # cp1252 covers the usual culprit (Word and old web pages); latin-1 never fails.
        for enc in ("cp1252", "latin-1"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            return text, Notice(name, f"not valid UTF-8 (bad byte at offset {e.start}); "
                                      f"read as {enc}", fatal=False)
    raise AssertionError("latin-1 decodes every byte string")


def _read_bytes(name: str, data: bytes, kind: str, stem: str | None,
                max_bytes: int) -> Iterator[Item]:
    if len(data) > max_bytes:
        yield Notice(name, f"too large (over {max_bytes:,} bytes; raise it with --max-bytes)")
        return
    text, notice = decode(name, data)
    if notice:
        yield notice
    if text is None:
        return
    if not text.strip():
        yield Notice(name, "empty document")
        return
    if kind == "text":
        yield from _text_document(name, text, stem)
    elif kind == "html":
        yield from _html_document(name, text, stem)
    elif kind == "feed":
        yield from _feed_documents(name, data)
    else:
        yield from _table_documents(name, text, kind, max_bytes)


def _text_document(name: str, text: str, stem: str | None) -> Iterator[Item]:
    headers, body = split_headers(text)
    if not body.strip():
        yield Notice(name, "empty document (header lines but no text)")
        return
    day = None
    if "date" in headers:
        try:
            day = parse_iso_date(headers["date"])
        except BadDate as e:
            yield Notice(name, f"{e}; stored without a date", fatal=False)
    else:
        day = dateline_date(body, headers.get("url"))
    yield Document(id=stem or content_hash(body)[:16], text=body, date=day,
                   source=headers.get("source"), url=headers.get("url"),
                   title=headers.get("title"), origin=name)


def _html_document(name: str, html: str, stem: str | None) -> Iterator[Item]:
    import trafilatura  # imported here: slow to import and only HTML needs it

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                            include_tables=False)
    got = extracted if isinstance(extracted, dict) or extracted is None else extracted.as_dict()
    body = (got or {}).get("text") or ""
    if not body.strip():
        yield Notice(name, "HTML page has no main text that could be extracted")
        return
    day = None
    if got and got.get("date"):
        try:
            day = parse_iso_date(str(got["date"]))
        except BadDate as e:
            yield Notice(name, f"page metadata has an {e}; stored without a date", fatal=False)
    meta = {k: got[k] for k in ("author", "sitename", "hostname", "description")
            if got and got.get(k)}
    yield Document(id=stem or content_hash(body)[:16], text=body, date=day,
                   source=(got or {}).get("sitename"), url=(got or {}).get("url"),
                   title=(got or {}).get("title"), meta=meta, origin=name)


def _feed_documents(name: str, data: bytes) -> Iterator[Item]:
    import feedparser

    from tally.documents.html import html_to_text

    feed = feedparser.parse(data)
    if not feed.entries:
        why = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield Notice(name, f"feed has no entries{why}")
        return
    outlet = feed.feed.get("title")
    for n, e in enumerate(feed.entries, 1):
        where = f"{name}#{n}"
        raw = (e.get("content") or [{}])[0].get("value") or e.get("summary") or ""
        body = html_to_text(raw)
        if not body.strip():
            yield Notice(where, "feed entry has no text")
            continue
        day = None
        parsed = e.get("published_parsed") or e.get("updated_parsed")
        if parsed:
            from datetime import date
            day = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        elif e.get("published") or e.get("updated"):
            # feedparser drops dates it cannot read without a word: say so.
            yield Notice(where, f"unparsable date {e.get('published') or e.get('updated')!r}; "
                                "stored without a date", fatal=False)
        doc_id = e.get("id") or e.get("link") or content_hash(body)[:16]
        yield Document(id=str(doc_id), text=body, date=day, source=outlet,
                       url=e.get("link"), title=e.get("title"), origin=where)


def _table_documents(name: str, text: str, kind: str, max_bytes: int) -> Iterator[Item]:
    rows: Iterator[tuple[str, Any]]
    if kind == "jsonl":
        rows = _jsonl_rows(name, text)
    elif kind == "json":
        rows = _json_rows(name, text)
    else:
        rows = _csv_rows(name, text)
    for where, row in rows:
        if isinstance(row, Notice):
            yield row
        else:
            yield from row_document(where, row, max_bytes)


def _jsonl_rows(name: str, text: str) -> Iterator[tuple[str, Any]]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}:{n}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as e:
            yield where, Notice(where, f"malformed JSON ({e.msg} at column {e.colno})")


def _json_rows(name: str, text: str) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        # A .json file holding one object per line is common enough to accept.
        if e.msg == "Extra data":
            yield from _jsonl_rows(name, text)
            return
        yield name, Notice(name, f"malformed JSON ({e.msg} at line {e.lineno} column {e.colno})")
        return
    items = data if isinstance(data, list) else [data]
    for n, row in enumerate(items, 1):
        yield f"{name}[{n}]", row


def _csv_rows(name: str, text: str) -> Iterator[tuple[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            where = f"{name}:{reader.line_num}"
            if None in row:
                yield where, Notice(where, f"malformed CSV row ({len(row[None]) + len(row) - 1} "
                                           f"fields, header has {len(reader.fieldnames or [])})")
                continue
            yield where, row
    except csv.Error as e:
        yield name, Notice(f"{name}:{reader.line_num}", f"malformed CSV ({e})")


def row_document(where: str, row: Any, max_bytes: int) -> Iterator[Item]:
    if not isinstance(row, dict):
        yield Notice(where, f"row is a JSON {type(row).__name__}, expected an object with 'text'")
        return
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        yield Notice(where, "row has no 'text'" if text is None else "row has an empty 'text'")
        return
    if len(text.encode("utf-8")) > max_bytes:
        yield Notice(where, f"row text too large (limit {max_bytes:,} bytes)")
        return
    day = None
    raw_date = row.get("date")
    if raw_date not in (None, ""):
        try:
            day = parse_iso_date(str(raw_date))
        except BadDate as e:
            yield Notice(where, f"{e}; stored without a date", fatal=False)
    else:
        day = dateline_date(text, _str(row.get("url")))
    meta = {k: v for k, v in row.items() if k not in ROW_FIELDS}
    doc_id = row.get("id")
    yield Document(id=str(doc_id) if doc_id not in (None, "") else content_hash(text)[:16],
                   text=text, date=day, source=_str(row.get("source")), url=_str(row.get("url")),
                   title=_str(row.get("title")), meta=meta, origin=where)


def _str(v: Any) -> str | None:
    return None if v in (None, "") else str(v)
