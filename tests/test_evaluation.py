"""`tally eval` must agree exactly with ../shared/tools/score_claims.py."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tally.cli import app
from tally.evaluation import same_name, same_period, same_speaker, score
from tests.conftest import SHARED, needs_shared


@needs_shared()
@pytest.mark.parametrize("gold, docs", [
    ("gold/seeds.claims.jsonl", "seeds"),
    ("dev/gold.claims.jsonl", "dev/articles"),
])
def test_eval_agrees_with_reference_scorer(tmp_path, gold, docs):
    runner = CliRunner()
    pred = tmp_path / "pred.jsonl"
    out = runner.invoke(app, ["extract", str(SHARED / docs), "--format", "jsonl"],
                        catch_exceptions=False)
    pred.write_text(out.stdout, "utf-8")
    ref = json.loads(subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_claims.py"), str(SHARED / gold),
         str(pred), "--json"], capture_output=True, text=True, check=True).stdout)
    ours = json.loads(runner.invoke(app, ["eval", str(SHARED / gold), str(SHARED / docs),
                                          "--format", "json"]).stdout)[0]
    assert ours == ref


def test_name_rules():
    assert same_name("Interior Ministry", "Ministry of Interior Affairs")
    assert same_name("Israeli army", "Israeli military")
    assert not same_name("Taliban", "Islamic State")
    assert same_name(None, None) and not same_name("x", None)
    assert same_speaker("Arian", "Tariq Arian") and not same_speaker("Tareq Arian", "Tariq Aryan")


def test_period_overlap_rule():
    g = {"period": {"start": "2020-06-15", "end": "2020-06-21"}}
    assert same_period(g, {"period": {"start": "2020-06-16", "end": "2020-06-22"}})
    assert not same_period(g, {"period": {"start": "2020-06-20", "end": "2020-06-30"}})
    assert same_period({"period": {"start": None, "end": None}}, {})


def test_optional_gold_neither_helps_nor_hurts():
    gold = [{"doc": "d", "metric": "killed", "value": {"low": 1, "high": 1}},
            {"doc": "d", "metric": "killed", "value": {"low": 2, "high": 2}, "optional": True}]
    pred = [{"doc": "d", "metric": "killed", "value": {"low": 2, "high": 2}}]
    r = score(gold, pred)
    assert (r.tp, r.fp, r.fn) == (0, 0, 1)
