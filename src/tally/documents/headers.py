"""Header lines at the top of a text document (`date`, `source`, `url`, `title`)."""
from __future__ import annotations

import re
from datetime import date

HEADER_KEYS = ("date", "source", "url", "title")
_LINE = re.compile(r"^(date|source|url|title)\s*:?\s+(.*\S)\s*$", re.I)
# "date 2021-03-14 Gunmen ..." on one line: an ISO date right after the key ends the header.
_INLINE_DATE = re.compile(r"^\s*date\s*:?[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+(?=\S)", re.I)


class BadDate(ValueError):
    pass


def parse_iso_date(value: str) -> date:
    """An ISO date (time part ignored); raises BadDate naming the value."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise BadDate(f"unparsable date {value.strip()!r} (expected YYYY-MM-DD)") from None


def split_headers(raw: str) -> tuple[dict[str, str], str]:
    """Return (headers, body). Header values are raw strings; the body starts after them."""
    text = raw.lstrip("\ufeff")
    m = _INLINE_DATE.match(text)
    if m:
        return {"date": m.group(1)}, text[m.end():]
    headers: dict[str, str] = {}
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if not stripped:
            if headers:
                pos += len(line)
            break
        hm = _LINE.match(stripped)
        if not hm or hm.group(1).lower() in headers:
            break
        headers[hm.group(1).lower()] = hm.group(2)
        pos += len(line)
    if not headers:
        return {}, text
    body = text[pos:]
    # Blank lines between the header block and the body are not part of the body.
    return headers, body.lstrip("\r\n")
