"""Claim ids: stable for one document version and pipeline, new for a new text."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from tally import Document, extract_documents
from tally.cli import app

TEXT = ("Gunmen killed 9 farmers and wounded 4 others near Maiduguri on Sunday, a police "
        "spokesman said. The army said 6 of the attackers were arrested.")


def _ids(text: str, doc_id: str = "a") -> list[str]:
    (_, claims), = extract_documents([Document(id=doc_id, text=text)])
    return [c.id for c in claims]


def test_ids_are_stable_unique_and_change_with_the_text():
    first = _ids(TEXT)
    assert len(first) == 3 and len(set(first)) == 3
    assert all(len(i) == 16 for i in first)
    assert _ids(TEXT) == first  # read again: the same ids
    assert set(_ids(TEXT.replace("9 farmers", "19 farmers"))).isdisjoint(first)
    assert set(_ids(TEXT, doc_id="b")).isdisjoint(first)


def test_ids_in_extract_output_and_in_the_store(tmp_path):
    article = tmp_path / "borno.txt"
    article.write_text(TEXT, "utf-8")
    runner = CliRunner()
    out = runner.invoke(app, ["extract", str(article), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    extracted = [json.loads(line)["id"] for line in out.stdout.splitlines() if line.strip()]
    db = str(tmp_path / "t.db")
    assert runner.invoke(app, ["ingest", str(article), "--db", db]).exit_code == 0
    stored = runner.invoke(app, ["claims", "--db", db, "--format", "json"])
    assert sorted(r["id"] for r in json.loads(stored.stdout)) == sorted(extracted)
    csv_out = runner.invoke(app, ["claims", "--db", db, "--format", "csv"]).stdout
    assert csv_out.splitlines()[0].startswith("id,doc,")
