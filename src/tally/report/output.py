"""Write a list of flat rows as a Rich table, JSON, JSON lines or CSV."""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import Enum
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text


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
        table = Table(title=title, show_lines=False)
        for c in cols:
            table.add_column(Text(c), overflow="fold")
        for r in flat:
            # Text, not str: a cell is data, and "[/bold]" in a title is not markup.
            table.add_row(*(Text("" if r.get(c) is None else str(r.get(c))) for c in cols))
        console = Console(file=out, soft_wrap=False)
        if not console.is_terminal:
            console = Console(file=out, soft_wrap=False, width=max(160, console.width))
        console.print(table)


def _all_columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k)
    return list(seen)
