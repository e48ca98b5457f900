"""Read articles from a list of URLs: `http(s)://` pages and feeds, `file://` URLs and paths.

A URL list is a text file (`.urls`), one URL or path per line; blank lines and lines
starting with `#` are skipped. Every line is read as `tally ingest` reads a file of that
kind (by the answer's Content-Type, else the URL's suffix, else what it starts with), and
every line that cannot be read is one notice naming the line, so one dead link never stops
the list. A page fetched over HTTP keeps its URL as id and url, so reading the same list
again stores a new version of a page that changed, not a second document.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from tally.documents.model import Document
from tally.documents.readers import Item, Notice, _kind_of, _read_bytes, read_file

TIMEOUT_S = 20.0
# Content-Type → reader; the URL's suffix decides when the server names none of these.
_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text",
          "application/rss+xml": "feed", "application/atom+xml": "feed",
          "application/rdf+xml": "feed", "application/json": "json",
          "application/x-ndjson": "jsonl", "application/jsonl": "jsonl", "text/csv": "csv"}


def url_lines(text: str) -> list[tuple[int, str]]:
    """(line number, URL or path) of each line that names something to read."""
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")]


def read_url_list(name: str, text: str, max_bytes: int, base: Path | None = None,
                  local: bool = True) -> Iterator[Item]:
    """Every line of the list `name`; paths are relative to `base` (the list's folder).
    With local=False only http(s) URLs are read: a server must not open its own files
    for whoever sends it a list."""
    lines = url_lines(text)
    if not lines:
        yield Notice(name, "URL list names no URL (one per line; # starts a comment)")
        return
    for n, target in lines:
        yield from read_url(target, max_bytes, where=f"{name}:{n}", base=base, local=local)


def read_urls(urls: Iterable[str], max_bytes: int, local: bool = True) -> Iterator[Item]:
    for i, target in enumerate(urls):
        yield from read_url(target, max_bytes, where=f"url {i}", local=local)


def read_url(target: str, max_bytes: int, where: str, base: Path | None = None,
             local: bool = True) -> Iterator[Item]:
    parts = urllib.parse.urlsplit(target)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        yield from _fetch(target, max_bytes, where)
        return
    if not local:
        yield Notice(f"{where} ({target})", "only http:// and https:// URLs are read here; "
                     "add local files by uploading them")
        return
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            yield Notice(f"{where} ({target})", f"file URL names another host "
                                               f"({parts.netloc}); only local files are read")
            return
        path = Path(urllib.parse.unquote(parts.path))
    elif scheme and len(scheme) > 1:  # a one-letter scheme is a Windows drive
        yield Notice(f"{where} ({target})", f"unsupported URL scheme {scheme!r} "
                                           "(http, https, file or a path)")
        return
    else:
        path = Path(target)
    if base is not None and not path.is_absolute():
        path = base / path
    if not path.is_file():
        yield Notice(f"{where} ({path})", "no such file" if not path.exists()
                     else "not a file (a URL list names files, not folders)")
        return
    yield from read_file(path, max_bytes)


def _fetch(url: str, max_bytes: int, where: str) -> Iterator[Item]:
    label = f"{where} ({url})"
    from tally import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"tally/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
            data = answer.read(max_bytes + 1)
            ctype = (answer.headers.get_content_type() or "").lower()
            final = answer.geturl() or url
    except urllib.error.HTTPError as e:
        yield Notice(label, f"the server answered {e.code} {e.reason}")
        return
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", None) or e
        yield Notice(label, f"cannot be fetched ({reason})")
        return
    suffix = Path(urllib.parse.urlsplit(final).path).suffix.lower()
    kind = _TYPES.get(ctype) or _kind_of(suffix, data)
    for item in _read_bytes(label, data, kind, stem=None, max_bytes=max_bytes):
        # One page is one document known by its URL; a feed's or a table's rows keep
        # their own ids and links.
        if isinstance(item, Document) and kind in ("html", "text"):
            item = replace(item, id=final, url=item.url or final, origin=label)
        yield item
