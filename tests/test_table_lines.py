"""The tables the CLI prints are drawn without Rich's Table (too slow for thousands of
rows) but must look as Rich draws them: Rich itself, rendered here, is the reference."""
from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tally.report.output import table_lines


def _rich(header: list[str], rows: list[list[str]], title: str | None, width: int) -> str:
    table = Table(title=title, show_lines=False)
    for h in header:
        table.add_column(Text(h), overflow="fold")
    for r in rows:
        table.add_row(*(Text(c) for c in r))
    out = io.StringIO()
    Console(file=out, soft_wrap=False, width=width).print(table)
    return out.getvalue()


def _ours(header: list[str], rows: list[list[str]], title: str | None, width: int) -> str:
    return "".join(line + "\n" for line in table_lines(header, rows, title, width))


WORDS = ["killed", "at least 12 (military, copy)", "government (UA)", "", "Djenne",
         "Ministry of Interior", "a" * 70, "Lower Shabelle", "1,351 or more",
         "Kämpfer wurden getötet", "戦闘員", "x"]


def test_a_figures_like_table_is_drawn_as_rich_draws_it():
    header = ["metric", "victims", "place", "range", "sources", "values"]
    rows = [[WORDS[(i * 7 + j) % len(WORDS)] * (1 + (i + j) % 3) for j in range(6)]
            for i in range(40)]
    for width in (160, 100, 60, 30):
        assert _ours(header, rows, "40 figure groups", width) == \
            _rich(header, rows, "40 figure groups", width), width


cell = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=40)


@settings(max_examples=150, deadline=None)
@given(header=st.lists(st.text("abcdefgh.", min_size=1, max_size=12), min_size=1,
                       max_size=6),
       data=st.data(), width=st.integers(40, 200),
       title=st.one_of(st.none(), st.lists(st.text("abc0123", min_size=1, max_size=9),
                                           max_size=8).map(" ".join)))
def test_any_table_is_drawn_as_rich_draws_it(header, data, width, title):
    rows = data.draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)),
                              max_size=6))
    assert _ours(header, rows, title or None, width) == \
        _rich(header, rows, title or None, width)
