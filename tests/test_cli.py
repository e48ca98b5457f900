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


def tally(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """The installed command's entry point (main), as a user runs it: exit code, stdout and
    stderr."""
    from tally.cli import main

    monkeypatch.setattr("sys.argv", ["tally", *args])
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    out = capsys.readouterr()
    return code, out.out, out.err


def test_show_unknown_id_is_one_clear_line(monkeypatch, capsys, sqlite_url):
    run("ingest", "-", "--no-extract", "--db", sqlite_url, input="Two died.")
    code, _, err = tally(monkeypatch, capsys, "show", "nope", "--db", sqlite_url)
    assert code == 4 and err.strip().splitlines() == [
        "error: no document 'nope' in the store (see `tally docs`)"]


def test_bad_date_option(monkeypatch, capsys, sqlite_url):
    code, _, err = tally(monkeypatch, capsys, "ingest", "-", "--date", "03/02/2022",
                         "--db", sqlite_url)
    assert code == 2 and err.strip() == "error: --date '03/02/2022' is not a date (YYYY-MM-DD)"


@pytest.mark.parametrize("args, message", [
    (["claims", "--metric", "kiled"], "--metric 'kiled' is not one of: killed, wounded, "
     "casualties, missing, kidnapped, arrested, released, attacks (did you mean 'killed'?)"),
    (["claims", "--stance", "denid"], "--stance 'denid' is not one of: asserted, denied "
     "(did you mean 'denied'?)"),
    (["claims", "--side", "rebels"], "--side 'rebels' is not one of: government, insurgent, "
     "international, independent, media, unknown"),
    (["claims", "--country", "Narnia"], "--country 'Narnia' is not a country: give an ISO "
     "3166-1 code (AF, AFG) or a country's name (Afghanistan)"),
    (["claims", "--admin1", "AF-ZZZ"], "--admin1 'AF-ZZZ' is not an ISO 3166-2 division code"),
    (["claims", "--since", "2024-02-30"], "--since '2024-02-30' is not a date (YYYY-MM-DD)"),
    (["claims", "--since", "2024-03-01", "--until", "2024-02-01"],
     "--since '2024-03-01' is after --until '2024-02-01'"),
    (["conflicts", "--kind", "conflicts"], "--kind 'conflicts' is not one of: conflict, "
     "divergence, denial, arithmetic, revision (did you mean 'conflict'?)"),
    (["figures", "--metric", "deaths"], "--metric 'deaths' is not one of"),
    (["report", "--metric", "kiled"], "--metric 'kiled' is not one of"),
])
def test_unknown_option_values_are_one_line_and_fail(monkeypatch, capsys, examples_db, args,
                                                      message):
    code, out, err = tally(monkeypatch, capsys, *args, "--db", examples_db)
    assert code == 2 and out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith(f"error: {message}")


@pytest.mark.parametrize("value", ["Afghanistan", "af", "AFG", "afghanistan"])
def test_country_by_code_or_name(examples_db, value):
    claims = json.loads(run("claims", "--country", value, "--db", examples_db, "-f", "json").output)
    assert claims and {c["place"]["country"] for c in claims} == {"AF"}


def test_date_filter_says_how_many_undated_claims_it_left_out(monkeypatch, capsys, examples_db):
    code, out, err = tally(monkeypatch, capsys, "claims", "--since", "1990-01-01", "--db",
                           examples_db, "-f", "json")
    every = json.loads(run("claims", "--db", examples_db, "-f", "json").output)
    undated = sum(1 for c in every if not c["period"]["end"])
    assert code == 0 and undated and len(json.loads(out)) == len(every) - undated
    assert err.strip() == f"{undated} claims without a period were left out by --since/--until"


@pytest.mark.parametrize("command", ["claims", "docs", "figures", "conflicts", "checks",
                                     "report", "reconcile"])
def test_reading_commands_never_create_a_store(monkeypatch, capsys, tmp_path, command):
    typo = tmp_path / "typo.db"
    code, _, err = tally(monkeypatch, capsys, command, "--db", str(typo))
    assert code == 3 and not typo.exists()
    assert err.strip() == (f"error: no store at {typo}: check --db or TALLY_DB "
                           "(`tally ingest` creates one)")


def test_show_never_creates_a_store(monkeypatch, capsys, tmp_path):
    code, _, _ = tally(monkeypatch, capsys, "show", "x", "--db", str(tmp_path / "t.db"))
    assert code == 3 and not (tmp_path / "t.db").exists()


COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands
                  if c.callback is not None)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_a_readme_row(command):
    r = run(command, "--help")
    assert r.exit_code == 0
    body = r.output.split("Options")[0]
    assert len(body.split("\n", 2)[-1].strip()) > 20, f"{command} has no help text"
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"| `tally {command}" in readme, f"README's command table has no row for {command}"
