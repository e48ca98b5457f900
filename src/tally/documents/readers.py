"""Turn paths (files, folders, `-`) into Documents, reporting every unreadable input.

Every reader yields `Document` or `Notice`; a fatal notice means the input (or row) was
skipped, a non-fatal one that it came through with a caveat. Nothing here raises for a
bad input, so one bad file never stops a batch.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
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
URL_LIST_EXT = ".urls"  # one URL or path per line: documents/links.py
KNOWN_EXT = TEXT_EXT | HTML_EXT | TABLE_EXT | FEED_EXT | {URL_LIST_EXT}
ROW_FIELDS = ("id", "text", "date", "source", "url", "title")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Deeper JSON is no article: refused before it can exhaust the stack of whatever reads it.
MAX_JSON_DEPTH = 64
# News about conflicts tally reads; an earlier date is a placeholder (1900-01-01, 1970-01-01)
# more often than an archive, and a later one than tomorrow cannot be a publication date.
EARLIEST_DATE = date(1946, 1, 1)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


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
        if path.is_symlink() and not path.exists():
            yield Notice(p, "broken or looping symbolic link")
        elif not path.exists():
            yield Notice(p, "no such file or directory")
        elif path.is_dir():
            files: list[Path] = []
            for item in _walk(path):
                if isinstance(item, Notice):
                    yield item
                else:
                    files.append(item)
            if not files:
                yield Notice(p, "directory holds no readable documents "
                                f"(looked for {', '.join(sorted(KNOWN_EXT))})")
            for f in sorted(files):
                yield from read_file(f, max_bytes)
        else:
            yield from read_file(path, max_bytes)


def _walk(root: Path) -> Iterator[Path | Notice]:
    """Files with a known extension under `root`, hidden ones left out; a folder that
    cannot be listed, a link that goes nowhere and a link back up the tree are each
    named, and the walk goes on."""
    seen: set[tuple[int, int]] = set()

    def unreadable(e: OSError) -> None:
        problems.append(Notice(str(e.filename or root),
                               f"folder cannot be read ({e.strerror or e}); skipped"))

    problems: list[Notice] = []
    for top, dirs, names in os.walk(root, onerror=unreadable, followlinks=True):
        yield from problems
        problems.clear()
        here = os.stat(top)
        seen.add((here.st_dev, here.st_ino))
        keep = []
        for d in sorted(dirs):
            full = os.path.join(top, d)
            if d.startswith("."):
                continue
            try:
                st = os.stat(full)
            except OSError:
                yield Notice(full, "broken or looping symbolic link; skipped")
                continue
            if (st.st_dev, st.st_ino) in seen:
                yield Notice(full, "symbolic link back to a folder already read; skipped")
                continue
            seen.add((st.st_dev, st.st_ino))
            keep.append(d)
        dirs[:] = keep
        for n in sorted(names):
            full = os.path.join(top, n)
            if n.startswith(".") or Path(n).suffix.lower() not in KNOWN_EXT:
                continue
            if not os.path.exists(full):
                yield Notice(full, "broken or looping symbolic link; skipped")
                continue
            yield Path(full)
    yield from problems


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
    if path.suffix.lower() == URL_LIST_EXT:
        yield from _url_list(name, data, max_bytes, base=path.parent, local=True)
        return
    kind = _kind_of(path.suffix.lower(), data)
    yield from _read_bytes(name, data, kind, stem=path.stem, max_bytes=max_bytes)


def read_upload(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """A file sent by its name and content (the workspace's upload), read as read_file
    reads a file of that name: by its suffix, else by what it starts with."""
    path = Path(name)
    if path.suffix.lower() == URL_LIST_EXT:
        yield from _url_list(name, data, max_bytes, base=None, local=False)
        return
    yield from _read_bytes(name, data, _kind_of(path.suffix.lower(), data), stem=path.stem,
                           max_bytes=max_bytes)


def _url_list(name: str, data: bytes, max_bytes: int, base: Path | None,
              local: bool) -> Iterator[Item]:
    from tally.documents.links import read_url_list  # it reads files with read_file

    text, notice = decode(name, data)
    if notice:
        yield notice
    if text is not None:
        yield from read_url_list(name, text, max_bytes, base=base, local=local)


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
    """UTF-8, or UTF-16/32 with their byte-order mark, or Windows-1252 with a warning;
    binary data is refused. NUL characters are removed, with a warning: no store keeps
    them (PostgreSQL refuses the write)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _without_nul(name, data.decode(encoding))
            except UnicodeDecodeError as e:
                return None, Notice(name, f"starts with a {encoding.upper()} byte-order mark "
                                          f"but is not valid {encoding.upper()} "
                                          f"(bad byte at offset {e.start})")
    if b"\x00" in data[:8192]:
        return None, Notice(name, "binary file (contains NUL bytes), not a text document; "
                                  "UTF-16 text needs its byte-order mark")
    try:
        return _without_nul(name, data.decode("utf-8"))
    except UnicodeDecodeError as e:
        # cp1252 covers the usual culprit (Word and old web pages); latin-1 never fails.
        for enc in ("cp1252", "latin-1"):
            try:
                text = data.decode(enc).replace("\x00", "")
            except UnicodeDecodeError:
                continue
            return text, Notice(name, f"not valid UTF-8 (bad byte at offset {e.start}); "
                                      f"read as {enc}", fatal=False)
    raise AssertionError("latin-1 decodes every byte string")


def _without_nul(name: str, text: str) -> tuple[str, Notice | None]:
    n = text.count("\x00")
    if not n:
        return text, None
    return text.replace("\x00", ""), Notice(name, f"{n:,} NUL characters removed", fatal=False)


def check_day(where: str, day: date | None, what: str = "date"
              ) -> tuple[date | None, Notice | None]:
    """The day, or None and a warning when no news article can carry it."""
    if day is None:
        return None, None
    if day < EARLIEST_DATE:
        return None, Notice(where, f"{what} {day.isoformat()} is before {EARLIEST_DATE.year}, "
                                   "likely a placeholder; stored without a date", fatal=False)
    if day > date.today() + timedelta(days=1):
        return None, Notice(where, f"{what} {day.isoformat()} is in the future; stored "
                                   "without a date", fatal=False)
    return day, None


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
    day, late = check_day(name, day)
    if late:
        yield late
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
    day, late = check_day(name, day, "page date")
    if late:
        yield late
    meta = {k: got[k] for k in ("author", "sitename", "hostname", "description")
            if got and got.get(k)}
    yield Document(id=stem or content_hash(body)[:16], text=body, date=day,
                   source=(got or {}).get("sitename"), url=(got or {}).get("url"),
                   title=(got or {}).get("title"), meta=meta, origin=name)


def _feed_documents(name: str, data: bytes) -> Iterator[Item]:
    import feedparser

    from tally.documents.html import html_to_text

    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.replace(b"\x00", b"")  # decode() has said so already
    feed = feedparser.parse(data)
    broken = f"feed is malformed ({feed.bozo_exception})" if feed.get("bozo") else ""
    if not feed.entries:
        yield Notice(name, broken or "feed has no entries")
        return
    outlet = feed.feed.get("title")
    for n, e in enumerate(feed.entries, 1):
        where = f"{name}#{n}"
        raw = (e.get("content") or [{}])[0].get("value") or e.get("summary") or ""
        body = html_to_text(raw)
        if not body.strip():
            yield Notice(where, f"{broken}: this entry has no text that could be read"
                         if broken else "feed entry has no text")
            continue
        day = None
        parsed = e.get("published_parsed") or e.get("updated_parsed")
        if parsed:
            day = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        elif e.get("published") or e.get("updated"):
            # feedparser drops dates it cannot read without a word: say so.
            yield Notice(where, f"unparsable date {e.get('published') or e.get('updated')!r}; "
                                "stored without a date", fatal=False)
        day, late = check_day(where, day)
        if late:
            yield late
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
        rows = _csv_rows(name, text, max_bytes)
    for where, row in rows:
        if isinstance(row, Notice):
            yield row
        else:
            yield from row_document(where, row, max_bytes)


def load_json(where: str, text: str) -> Any:
    """json.loads, with nesting deeper than MAX_JSON_DEPTH refused as a Notice."""
    try:
        value = json.loads(text)
    except RecursionError:
        return Notice(where, f"JSON nested too deeply (limit {MAX_JSON_DEPTH} levels)")
    if _too_deep(value):
        return Notice(where, f"JSON nested too deeply (limit {MAX_JSON_DEPTH} levels)")
    return value


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        if isinstance(v, dict):
            stack.extend((x, depth + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, depth + 1) for x in v)
    return False


def _jsonl_rows(name: str, text: str) -> Iterator[tuple[str, Any]]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}:{n}"
        try:
            yield where, load_json(where, line)
        except json.JSONDecodeError as e:
            yield where, Notice(where, f"malformed JSON ({e.msg} at column {e.colno})")


def _json_rows(name: str, text: str) -> Iterator[tuple[str, Any]]:
    try:
        data = load_json(name, text)
    except json.JSONDecodeError as e:
        # A .json file holding one object per line is common enough to accept.
        if e.msg == "Extra data":
            yield from _jsonl_rows(name, text)
            return
        yield name, Notice(name, f"malformed JSON ({e.msg} at line {e.lineno} column {e.colno})")
        return
    if isinstance(data, Notice):
        yield name, data
        return
    if data == []:
        yield name, Notice(name, "JSON list is empty: no documents")
        return
    items = data if isinstance(data, list) else [data]
    for n, row in enumerate(items, 1):
        yield f"{name}[{n}]", row


def _csv_rows(name: str, text: str, max_bytes: int) -> Iterator[tuple[str, Any]]:
    """Rows of a CSV file by the header's names. Strict quoting, so that an unbalanced
    quote is an error on its lines rather than two rows silently merged into one; each
    malformed row is named and the reading goes on after it."""
    # The limit is process-wide; raised, never lowered, to what a document may hold.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as e:
        yield name, Notice(f"{name}:1", f"malformed CSV header ({str(e) or 'no header'})")
        return
    last = reader.line_num
    while True:
        first = last + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            last = reader.line_num
            lines = f"{first}" if last <= first else f"{first}-{last}"
            hint = "; an unbalanced quote?" if "expected" in str(e) or "end of data" in str(e) \
                else ""
            yield name, Notice(f"{name}:{lines}", f"malformed CSV ({e}{hint}); skipped")
            continue
        last = reader.line_num
        where = f"{name}:{first}"
        if not any(f.strip() for f in fields):
            continue
        if len(fields) > len(header):
            yield where, Notice(where, f"malformed CSV row ({len(fields)} fields, header has "
                                       f"{len(header)})")
            continue
        yield where, dict(zip(header, fields + [""] * (len(header) - len(fields))))


def row_document(where: str, row: Any, max_bytes: int) -> Iterator[Item]:
    if not isinstance(row, dict):
        yield Notice(where, f"row is a JSON {_json_type(row)}, expected an object with 'text'")
        return
    text = row.get("text")
    if text is not None and not isinstance(text, str):
        yield Notice(where, f"'text' is a JSON {_json_type(text)}, expected a string")
        return
    if text is None or not text.strip("\x00 \t\r\n"):
        yield Notice(where, "row has no 'text'" if text is None else "row has an empty 'text'")
        return
    if len(text.encode("utf-8", "replace")) > max_bytes:
        yield Notice(where, f"row text too large ({len(text.encode('utf-8', 'replace')):,} "
                            f"bytes, limit {max_bytes:,}; raise it with --max-bytes or "
                            "TALLY_MAX_BYTES)")
        return
    fields = {k: _str(row.get(k)) for k in ("id", "source", "url", "title")}
    nul = text.count("\x00") + sum(v.count("\x00") for v in fields.values() if v)
    if nul:
        text = text.replace("\x00", "")
        fields = {k: v.replace("\x00", "") if v else v for k, v in fields.items()}
        yield Notice(where, f"{nul:,} NUL characters removed", fatal=False)
    day = None
    raw_date = row.get("date")
    if raw_date not in (None, ""):
        try:
            day = parse_iso_date(str(raw_date))
        except BadDate as e:
            yield Notice(where, f"{e}; stored without a date", fatal=False)
    else:
        day = dateline_date(text, fields["url"])
    day, late = check_day(where, day)
    if late:
        yield late
    meta = {k: v for k, v in row.items() if k not in ROW_FIELDS}
    yield Document(id=fields["id"] or content_hash(text)[:16], text=text, date=day,
                   source=fields["source"], url=fields["url"], title=fields["title"],
                   meta=meta, origin=where)


def _json_type(v: Any) -> str:
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "list",
             dict: "object", type(None): "null"}
    return names.get(type(v), type(v).__name__)


def _str(v: Any) -> str | None:
    return None if v in (None, "") else str(v)
