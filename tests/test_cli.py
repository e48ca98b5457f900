"""The CLI end to end: ingest, docs, show, claims, with real files and a real SQLite store."""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from tally.cli import app
from tests.conftest import ROOT, SHARED, needs_shared

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@needs_shared()
def test_ingest_seeds_once(sqlite_url):
    r = run("ingest", str(SHARED / "seeds"), "--db", sqlite_url)
    assert r.exit_code == 0, r.output
    assert "3 new documents" in r.output
    docs = json.loads(run("docs", "--db", sqlite_url, "--format", "json").output)
    assert len(docs) == 3
    first = next(d for d in docs if d["id"].startswith("000_"))
    assert first["date"] == "2020-06-23"
    shown = json.loads(run("show", first["id"], "--db", sqlite_url, "--format", "json").output)
    assert not shown[0]["text"].lower().startswith("date")
    assert shown[0]["text"].startswith("The Taliban")
    again = run("ingest", str(SHARED / "seeds"), "--db", sqlite_url)
    assert again.exit_code == 0 and "0 new documents" in again.output
    assert "3 already stored" in again.output


def test_bad_inputs_one_line_each_rest_stored(tmp_path, sqlite_url):
    good = tmp_path / "good.txt"
    good.write_text("date 2021-05-02 Gunmen killed four guards on Saturday.", "utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x00\x01")
    empty = tmp_path / "empty.md"
    empty.write_text("", "utf-8")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"id": "r1", "text": "Two were wounded.", "date": "2021-13-40"}\n{bad\n',
                    "utf-8")
    r = run("ingest", str(good), str(binary), str(empty), str(rows), str(tmp_path / "missing"),
            "--db", sqlite_url)
    assert r.exit_code == 1
    lines = [ln for ln in r.output.splitlines() if ln.startswith(("error", "warning"))]
    assert len(lines) == 5, r.output
    assert any("bin.txt" in ln and "binary" in ln for ln in lines)
    assert any("empty.md" in ln and "empty" in ln for ln in lines)
    assert any("rows.jsonl:2" in ln and "malformed JSON" in ln for ln in lines)
    assert any("rows.jsonl:1" in ln and "unparsable date" in ln for ln in lines)
    assert any("missing" in ln and "no such file" in ln for ln in lines)
    ids = [d["id"] for d in json.loads(run("docs", "--db", sqlite_url, "-f", "json").output)]
    assert ids == ["good", "r1"]
    # nothing lost or duplicated by a second, partly failing run
    run("ingest", str(good), str(binary), "--db", sqlite_url)
    ids = [d["id"] for d in json.loads(run("docs", "--db", sqlite_url, "-f", "json").output)]
    assert ids == ["good", "r1"]


def test_changed_file_becomes_new_version(tmp_path, sqlite_url):
    p = tmp_path / "story.txt"
    p.write_text("Police said three people were killed.", "utf-8")
    run("ingest", str(p), "--db", sqlite_url)
    p.write_text("Police said five people were killed.", "utf-8")
    r = run("ingest", str(p), "--db", sqlite_url)
    assert "1 new versions" in r.output
    docs = json.loads(run("docs", "--db", sqlite_url, "-f", "json").output)
    assert docs[0]["versions"] == 2
    old = json.loads(run("show", "story", "--version", "1", "--db", sqlite_url, "-f", "json").output)
    assert "three" in old[0]["text"]
    claims = json.loads(run("claims", "--db", sqlite_url, "-f", "json").output)
    assert [c["value"]["low"] for c in claims] == [5]


def test_stdin_and_date_option(sqlite_url):
    r = run("ingest", "-", "--date", "2022-02-03", "--db", sqlite_url,
            input="Militants killed 9 soldiers on Tuesday, the army said.")
    assert r.exit_code == 0, r.output
    (doc,) = json.loads(run("docs", "--db", sqlite_url, "-f", "json").output)
    assert doc["date"] == "2022-02-03"
    (c,) = json.loads(run("claims", "--db", sqlite_url, "-f", "json").output)
    assert c["period"]["start"] == "2022-02-01"


def test_docs_csv_and_table(sqlite_url):
    run("ingest", str(ROOT / "examples"), "--db", sqlite_url)
    rows = list(csv.DictReader(io.StringIO(run("docs", "--db", sqlite_url, "-f", "csv").output)))
    assert len(rows) >= 10 and set(rows[0]) == {"id", "date", "source", "title", "length",
                                                "versions"}
    table = run("docs", "--db", sqlite_url).output
    assert "documents" in table


def test_show_unknown_id_is_one_clear_line(sqlite_url):
    r = runner.invoke(app, ["show", "nope", "--db", sqlite_url])
    assert r.exit_code != 0
    assert "no document 'nope'" in str(r.exception) or "no document" in r.output


def test_bad_date_option():
    r = runner.invoke(app, ["ingest", "-", "--date", "03/02/2022"], input="x")
    assert r.exit_code == 2 and "not a date" in r.output


@pytest.mark.parametrize("command", ["ingest", "extract", "claims", "docs", "show", "eval"])
def test_every_command_has_help(command):
    r = run(command, "--help")
    assert r.exit_code == 0
    body = r.output.split("Options")[0]
    assert len(body.split("\n", 2)[-1].strip()) > 20, f"{command} has no help text"
