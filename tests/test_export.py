"""`tally export`: flat, typed tables in CSV, JSON lines and Parquet, and events in ACLED's
columns, over the bundled examples."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pycountry
import pytest
from typer.testing import CliRunner

from tally import export
from tally.acled import COLUMNS as ACLED_COLUMNS
from tally.acled import EVENT_WORDS
from tally.cli import app
from tests.test_cli import tally

runner = CliRunner()


def _export(db: str, table: str, fmt: str, out) -> None:
    r = runner.invoke(app, ["export", table, "--db", db, "--format", fmt, "--out", str(out)])
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("table", export.TABLES)
def test_parquet_has_typed_columns(examples_db, tmp_path, table):
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / f"{table}.parquet"
    _export(examples_db, table, "parquet", out)
    t = pq.read_table(out)
    assert t.num_rows > 0
    assert t.column_names == [name for name, _ in export.COLUMNS[table]]
    expected = {"str": pa.string(), "int": pa.int64(), "bool": pa.bool_(),
                "date": pa.date32(), "list": pa.list_(pa.string())}
    for name, kind in export.COLUMNS[table]:
        assert t.schema.field(name).type == expected[kind], name
    rows = t.to_pylist()
    if table == "claims":
        assert all(isinstance(r["value_low"], int) for r in rows if r["value_low"] is not None)
        assert any(isinstance(r["period_start"], date) for r in rows)
    if table == "events":
        assert all(isinstance(r["claim_ids"], list) and r["claim_ids"] for r in rows)
        assert any(isinstance(r["killed_lowest"], int) for r in rows)


@pytest.mark.parametrize("table", export.TABLES)
def test_csv_and_jsonl_hold_the_same_rows(examples_db, tmp_path, table):
    _export(examples_db, table, "csv", tmp_path / "t.csv")
    _export(examples_db, table, "jsonl", tmp_path / "t.jsonl")
    with open(tmp_path / "t.csv", encoding="utf-8", newline="") as f:
        from_csv = list(csv.DictReader(f))
    from_json = [json.loads(line) for line in (tmp_path / "t.jsonl").read_text().splitlines()]
    assert len(from_csv) == len(from_json) > 0
    assert list(from_csv[0]) == list(from_json[0]) == [n for n, _ in export.COLUMNS[table]]
    kinds = dict(export.COLUMNS[table])
    for c, j in zip(from_csv, from_json):
        for name, kind in kinds.items():
            if j[name] is None:
                assert c[name] == ""
            elif kind == "list":
                assert json.loads(c[name]) == j[name]  # lists as JSON text
            elif kind == "int":
                assert isinstance(j[name], int) and int(c[name]) == j[name]
            elif kind == "bool":
                assert c[name] == ("true" if j[name] else "false")
            elif kind == "date":
                assert date.fromisoformat(c[name]).isoformat() == j[name]


def test_listing_commands_write_the_export_columns_as_csv(examples_db):
    for command, table in (("claims", "claims"), ("figures", "figures"),
                           ("conflicts", "disagreements"), ("events", "events")):
        out = runner.invoke(app, [command, "--db", examples_db, "-f", "csv"]).stdout
        header = next(csv.reader(io.StringIO(out)))
        assert header == [n for n, _ in export.COLUMNS[table]], command


def test_groups_and_disagreements_name_claims_by_id(examples_db, tmp_path):
    ids = {c["id"] for c in json.loads(runner.invoke(
        app, ["claims", "--db", examples_db, "-f", "json"]).stdout)}
    figures = json.loads(runner.invoke(app, ["figures", "--db", examples_db, "-f", "json"]).stdout)
    assert all(v["id"] in ids for g in figures for v in g["values"])
    conflicts = [json.loads(line) for line in runner.invoke(
        app, ["conflicts", "--db", examples_db, "-f", "json"]).stdout.splitlines()]
    assert conflicts and all(set(d["claim_ids"]) <= ids and d["id"] for d in conflicts)


def test_csv_cells_never_start_a_formula():
    buf = io.StringIO()
    export.write_csv([{"id": "=HYPERLINK(1)", "doc": "@SUM(A1)", "metric": "killed",
                       "value_low": -3}], export.CLAIM_COLUMNS, buf)
    row = next(csv.DictReader(io.StringIO(buf.getvalue())))
    assert row["id"] == "'=HYPERLINK(1)" and row["doc"] == "'@SUM(A1)"
    assert row["value_low"] == "-3"  # a number stays a number


EVENT_TYPES = {(k, s) for _, k, s in EVENT_WORDS} | {
    ("Violence against civilians", "Abduction/forced disappearance"),
    ("Strategic developments", "Arrests"), ("Strategic developments", "Other"),
    ("Violence against civilians", "Attack"), ("Battles", "Armed clash")}


def test_acled_csv_round_trips_with_every_column(examples_db, tmp_path):
    _export(examples_db, "events", "acled", tmp_path / "acled.csv")
    _export(examples_db, "events", "jsonl", tmp_path / "events.jsonl")
    events = {e["id"]: e for e in map(json.loads, (tmp_path / "events.jsonl").read_text()
                                      .splitlines())}
    with open(tmp_path / "acled.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == ACLED_COLUMNS
    assert len(rows) == len(events) > 0
    located = 0
    for r in rows:
        m = re.fullmatch(r"([A-Z]{3})([0-9a-f]{16})", r["event_id_cnty"])
        assert m, r["event_id_cnty"]
        e = events[m.group(2)]
        assert r["event_date"] == (e["date"] or "")
        assert r["year"] == (str(date.fromisoformat(e["date"]).year) if e["date"] else "")
        assert r["time_precision"] in {"1", "2", "3", ""}
        assert (r["event_type"], r["sub_event_type"]) in EVENT_TYPES
        assert r["actor1"] == "; ".join(e["perpetrators"])
        assert all(part.split(" (")[0] for part in r["actor2"].split("; ") if part)
        if e["country"]:
            c = pycountry.countries.get(alpha_2=e["country"])
            assert m.group(1) == c.alpha_3
            assert r["country"] in {c.name, getattr(c, "common_name", c.name)}
        assert r["admin1"] == (pycountry.subdivisions.get(code=e["admin1"]).name
                               if e["admin1"] else "")
        assert r["location"] or not e["country"]  # nothing to name when no place is known
        if r["latitude"]:
            located += 1
            assert -90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180
            assert r["geo_precision"] in {"1", "3"}
        else:
            assert r["longitude"] == r["geo_precision"] == ""
        assert r["source"]
        assert all(s in r["notes"] for s in e["sources"])
        low, high = e["killed_lowest"], e["killed_highest"]
        assert int(r["fatalities"]) == (low if low is not None else 0)
        if low is not None and low != high:
            assert f"{low}-{high}" in r["notes"]
    assert located >= len(rows) // 2  # the gazetteer places most of them


@pytest.mark.parametrize("args, message", [
    (["export", "claims", "--format", "acled", "--out", "x.csv"], "--format acled is for events"),
    (["export", "claims", "--format", "xlsx", "--out", "x.csv"], "xlsx"),
    (["export", "claim", "--out", "x.csv"], "claim"),
])
def test_export_refuses_what_it_cannot_write(monkeypatch, capsys, examples_db, args, message):
    code, _, err = tally(monkeypatch, capsys, *args, "--db", examples_db)
    assert code == 2 and message in err


def test_export_to_an_unwritable_place_is_one_line(monkeypatch, capsys, examples_db, tmp_path):
    code, _, err = tally(monkeypatch, capsys, "export", "claims", "--db", examples_db,
                         "--out", str(tmp_path / "no" / "such" / "dir.csv"))
    assert code == 2 and err.startswith("error: cannot write")


def _value(kind: str):
    from hypothesis import strategies as st

    text = st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                          blacklist_characters="\x00"), max_size=12)
    return {"str": text, "int": st.integers(-2**62, 2**62), "bool": st.booleans(),
            "date": st.dates(), "list": st.lists(text, max_size=3)}[kind]


def _rows():
    from hypothesis import strategies as st

    row = st.fixed_dictionaries({name: st.none() | _value(kind)
                                 for name, kind in export.EVENT_COLUMNS})
    return st.lists(row, min_size=1, max_size=4)


def test_every_format_gives_back_what_was_written(tmp_path_factory):
    """Any values of the declared types come back as they went in: Parquet and JSON lines
    exactly, CSV once each cell is read by its column's type."""
    import pyarrow.parquet as pq
    from hypothesis import given, settings

    @settings(max_examples=40, deadline=None)
    @given(_rows())
    def check(rows):
        out = tmp_path_factory.mktemp("rt")
        export.write_parquet(rows, export.EVENT_COLUMNS, out / "t.parquet")
        assert pq.read_table(out / "t.parquet").to_pylist() == rows
        buf = io.StringIO()
        export.write_jsonl(rows, export.EVENT_COLUMNS, buf)
        back = [json.loads(line) for line in buf.getvalue().splitlines()]
        assert back == [{k: v.isoformat() if isinstance(v, date) else v for k, v in r.items()}
                        for r in rows]
        buf = io.StringIO()
        export.write_csv(rows, export.EVENT_COLUMNS, buf)
        read = list(csv.DictReader(io.StringIO(buf.getvalue(), newline="")))
        for r, cells in zip(rows, read):
            for name, kind in export.EVENT_COLUMNS:
                if r[name] is None:
                    assert cells[name] == ""
                    continue
                if kind == "str":  # a formula's first character gets an apostrophe
                    assert cells[name] in (r[name], "'" + r[name])
                    continue
                parsed = {"int": int, "date": date.fromisoformat, "list": json.loads,
                          "bool": lambda s: s == "true"}[kind](cells[name])
                assert parsed == r[name], name

    check()
