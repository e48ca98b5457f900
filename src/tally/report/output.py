"""Write a list of flat rows as a Rich table, JSON, JSON lines or CSV."""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import Enum
from typing import IO, Any

from rich._ratio import ratio_reduce
from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size
from rich.console import Console


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...),
# @SUM(...)); article text is data, so such a cell gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    """A CSV cell that no spreadsheet will evaluate (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# Characters that some readers take for the end of a line (Python's str.splitlines does):
# escaped in JSON lines, so that one record stays one line whatever splits it.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085",
                              "\x0b": "\\u000b", "\x0c": "\\u000c", "\x1c": "\\u001c",
                              "\x1d": "\\u001d", "\x1e": "\\u001e"})


def jsonl_line(record: Any) -> str:
    """One JSON record on one line (with its newline), text as UTF-8."""
    return json.dumps(record, ensure_ascii=False, default=str).translate(_LINE_BREAKS) + "\n"


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{'value': {'low': 1}} -> {'value.low': 1}: one column per leaf, for CSV and tables."""
    out: dict[str, Any] = {}
    for k, v in record.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, name + "."))
        else:
            out[name] = v
    return out


def write(rows: Sequence[dict[str, Any]], fmt: Format, columns: Sequence[str] | None = None,
          title: str | None = None, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    if fmt is Format.json:
        json.dump(list(rows), out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif fmt is Format.jsonl:
        for r in rows:
            out.write(jsonl_line(r))
    elif fmt is Format.csv:
        flat = [flatten(r) for r in rows]
        cols = list(columns or _all_columns(flat))
        # CRLF rows (RFC 4180): a cell holding a lone carriage return is then quoted too
        w = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore", lineterminator="\r\n")
        w.writeheader()
        for r in flat:
            w.writerow({k: "" if r.get(k) is None else neutral(r.get(k)) for k in cols})
    else:
        flat = [flatten(r) for r in rows]
        cols = list(columns or _all_columns(flat))
        console = Console(file=out, soft_wrap=False)
        width = console.width if console.is_terminal else max(160, console.width)
        cells = [[_cell(r.get(c)) for c in cols] for r in flat]
        for line in table_lines(cols, cells, title, width):
            out.write(line + "\n")


def _cell(value: Any) -> str:
    # tabs and other control characters would move the cursor: a cell shows them as spaces
    text = "" if value is None else str(value)
    return text.translate(_CONTROL) if not text.isprintable() else text


_CONTROL = {i: " " for i in (*range(0, 10), *range(11, 32), 127)}


def table_lines(header: Sequence[str], rows: Sequence[Sequence[str]], title: str | None,
                width: int) -> list[str]:
    """The lines of a boxed table as Rich draws one (heavy head, columns shrunk widest
    first to fit `width`, cells wrapped at spaces and long words folded), drawn directly:
    time in proportion to the cells (Rich's Table takes about a millisecond a row, which
    made `tally figures` on a large store wait minutes)."""
    n = len(header)
    if not n:
        return []
    widest = [_cells(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            for part in cell.split("\n"):
                w = _cells(part)
                if w > widest[i]:
                    widest[i] = w
    room = width - (n + 1)
    widths = _fit([min(max(w, 1) + 2, room) for w in widest], room)
    inner = [max(w - 2, 1) for w in widths]
    out = []
    if title:  # centred over the table (wrapped to its width), one spare space right
        total = sum(widths) + n + 1
        for line in (part.strip() for part in _wrap(title, total)):
            left = (total - _cells(line)) // 2
            out.append(" " * left + _pad(line, total - left))
    out.append("┏" + "┳".join("━" * w for w in widths) + "┓")
    out += _row(header, inner, "┃", bottom=True)
    out.append("┡" + "╇".join("━" * w for w in widths) + "┩")
    for row in rows:
        out += _row(row, inner, "│")
    out.append("└" + "┴".join("─" * w for w in widths) + "┘")
    return out


def _fit(widths: list[int], room: int) -> list[int]:
    """Rich's way to narrow columns that are too wide together: the widest first, down
    to the next widest, then all evenly."""
    excess = sum(widths) - room
    while excess > 0:
        top = max(widths)
        second = max((w for w in widths if w != top), default=0)
        if not top - second:
            break
        ratios = [1 if w == top else 0 for w in widths]
        widths = ratio_reduce(excess, ratios, [min(excess, top - second)] * len(widths),
                              widths)
        excess = sum(widths) - room
    if excess > 0:
        widths = ratio_reduce(excess, [1] * len(widths), widths, widths)
    return widths


def _row(cells: Sequence[str], widths: Sequence[int], bar: str,
         bottom: bool = False) -> list[str]:
    """A row's lines; its cells at the top, or (a header) at the bottom."""
    wrapped = [_wrap(c, w) for c, w in zip(cells, widths)]
    height = max(len(w) for w in wrapped)
    if bottom:
        wrapped = [[""] * (height - len(w)) + w for w in wrapped]
    lines = []
    for k in range(height):
        parts = [" " + _pad(w[k] if k < len(w) else "", width) + " "
                 for w, width in zip(wrapped, widths)]
        lines.append(bar + bar.join(parts) + bar)
    return lines


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for part in text.split("\n"):
        if _cells(part) <= width:
            lines.append(part)
            continue
        cuts = [0, *divide_line(part, width, fold=True), len(part)]
        lines += [_rstrip_end(part[a:b], width) for a, b in zip(cuts, cuts[1:])]
    return lines


def _rstrip_end(line: str, size: int) -> str:
    """Trailing white space beyond `size` characters dropped (Rich's Text.rstrip_end)."""
    excess = len(line) - size
    if excess <= 0:
        return line
    trailing = len(line) - len(line.rstrip())
    return line[:len(line) - min(trailing, excess)]


def _cells(text: str) -> int:
    """Terminal cells `text` takes (ASCII: one a character, counted without Rich)."""
    return len(text) if text.isascii() else cell_len(text)


def _pad(text: str, width: int) -> str:
    room = width - _cells(text)
    # a character two cells wide in a column one cell wide: cropped, as Rich crops it
    return text + " " * room if room >= 0 else set_cell_size(text, width)


def _all_columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k)
    return list(seen)
