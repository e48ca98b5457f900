"""`tally report`: the analyst's report from a real store of the bundled examples."""
from __future__ import annotations

import re

from typer.testing import CliRunner

from tally.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_html_report_puts_disagreements_first_with_their_sentences(examples_db, tmp_path):
    out = tmp_path / "report.html"
    r = run("report", "--db", examples_db, "--out", str(out))
    assert r.exit_code == 0, r.output
    html = out.read_text("utf-8")
    assert html.index('id="disagreements"') < html.index('id="shared"') < html.index('id="single"')
    # the army's seven against the hospital's thirteen, each with its own sentence
    card = next(c for c in html.split('<div class="card disagreement">')
                if "Abdullahi Roble" in c and "Amina Warsame" in c)
    assert 'class="kind conflict"' in card
    assert "killing seven soldiers" in card and "bodies of 13 soldiers" in card
    n = int(re.search(r"Where the sources disagree \((\d+)\)", html).group(1))
    assert n == html.count('<div class="card disagreement">') > 0


def test_markdown_report_to_stdout_and_scoped_to_a_document(examples_db):
    r = run("report", "--db", examples_db, "--format", "md", "--doc",
            "05_weekly_casualty_report")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("# tally report")
    assert "document 05_weekly_casualty_report" in r.output
    assert "denial: Taliban rejects" in r.output
    assert "Abdullahi Roble" not in r.output  # another document's quarrel


def test_report_escapes_html(examples_db, tmp_path):
    from tally.report.render import _env

    html = _env.get_template("report.html.j2").render(
        summary={"documents": 0, "claims": 0, "denied": 0, "figure_groups": 0,
                 "multi_source_groups": 0},
        disagreements=[{"kind": "conflict", "why": "<script>x</script>", "doc": "d",
                        "claims": []}], shared=[], single=[], generated="now", scope={})
    assert "<script>x" not in html and "&lt;script&gt;x" in html
