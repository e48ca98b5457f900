"""How long the HTML report takes to write, what its pictures cost, and its size.

    python bench/report_speed.py --db tally.db [--out report.html]
    python bench/report_speed.py --examples-variants 10000   # a store of ~10,000 claims

Prints vl-convert's import time and its start-up (the first chart), then per kind of
picture (card bar charts, timeline, map) how many, their time and their bytes, and the
whole report's time and size. With --examples-variants it first builds a store of that
many claims from the bundled examples (tests/big_store.py) in a temporary folder.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="a store (default: the examples, ingested afresh)")
    ap.add_argument("--examples-variants", type=int, metavar="CLAIMS",
                    help="build a store of about this many claims from the examples")
    ap.add_argument("--out", type=Path, help="write the report here too")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="report-speed-"))
    db = a.db
    if db is None:
        from typer.testing import CliRunner

        from tally.cli import app

        db = str(tmp / "examples.db")
        CliRunner().invoke(app, ["ingest", str(ROOT / "examples"), "--db", db],
                           catch_exceptions=False)
    if a.examples_variants:
        from tests.big_store import build

        started = time.perf_counter()
        many = str(tmp / "many.db")
        n = build(db, many, a.examples_variants)
        print(f"store of {n} claims built in {time.perf_counter() - started:.1f} s")
        db = many

    started = time.perf_counter()
    import vl_convert
    print(f"vl_convert import: {time.perf_counter() - started:.3f} s")
    started = time.perf_counter()
    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"x": 1}]},
                                "encoding": {"x": {"field": "x", "type": "quantitative"}}})
    print(f"vl_convert first chart (start-up): {time.perf_counter() - started:.2f} s")

    from tally.report import pictures
    from tally.report.render import render
    from tally.store import open_store

    drawn: dict[str, list[float]] = {}
    plain = pictures.svg

    def timed(spec, name, label):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        out = plain(spec, name, label)
        kind = name if name in ("timeline", "map") else "card bar charts"
        drawn.setdefault(kind, [0, 0.0, 0])
        drawn[kind][0] += 1
        drawn[kind][1] += time.perf_counter() - started
        drawn[kind][2] += len(out.encode())
        return out

    pictures.svg = timed  # type: ignore[assignment]
    with open_store(db, must_exist=True, upgrade=False) as store:
        started = time.perf_counter()
        html = render(store, "html")
        took = time.perf_counter() - started
    for kind, (n, seconds, size) in drawn.items():
        print(f"{kind}: {n:.0f}, {seconds:.1f} s, {size / 1e6:.2f} MB")
    print(f"report: {took:.1f} s, {len(html.encode()) / 1e6:.2f} MB")
    if a.out:
        a.out.write_text(html, encoding="utf-8")


if __name__ == "__main__":
    main()
