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
    assert "denial: Zabihullah Mujahid rejected what" in r.output  # the spokesman named
    assert "Abdullahi Roble" not in r.output  # another document's quarrel


def test_report_escapes_html(examples_db, tmp_path):
    from tally.report.render import _env

    html = _env.get_template("report.html.j2").render(
        summary={"documents": 0, "claims": 0, "denied": 0, "figure_groups": 0,
                 "multi_source_groups": 0},
        disagreements=[{"kind": "conflict", "why": "<script>x</script>", "doc": "d",
                        "claims": []}], shared=[], single=[], generated="now", scope={})
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_bars_put_every_source_on_one_scale():
    from tally.report.render import BAR_WIDTH, bars

    group = {"values": [
        {"source": "army", "value": {"low": 7, "high": 7, "text": "seven"}, "copy_of": None},
        {"source": "hospital", "value": {"low": 13, "high": 13, "text": "13"}, "copy_of": None},
        {"source": "group", "value": {"low": 20, "high": None, "text": "at least 20"},
         "copy_of": None},
        {"source": "wire", "value": {"low": 7, "high": 7, "text": "seven"}, "copy_of": "d#0"},
    ]}
    army, hospital, group_bar, wire = bars(group)
    assert group_bar["solid"] == BAR_WIDTH and group_bar["open"]  # the largest, open upwards
    assert army["solid"] == round(7 / 20 * BAR_WIDTH, 1) and not army["open"]
    assert hospital["solid"] > army["solid"]
    assert wire["copied"] and not army["copied"]
    assert bars({"values": [{"source": None, "value": {"low": None, "high": None, "text": "?"},
                             "copy_of": None}]}) == []


def test_html_report_draws_a_chart_per_shared_figure(examples_db, tmp_path):
    out = tmp_path / "r.html"
    run("report", "--db", examples_db, "--out", str(out))
    html = out.read_text("utf-8")
    shared = html[html.index('id="shared"'):html.index('id="single"')]
    assert shared.count('<svg class="bars"') == shared.count('<div class="card group">') > 0
    assert 'class="copy"' in shared  # the reprint's figure is drawn as a copy
