"""Pinned quality floors on the shared gold sets: CI fails when extraction gets worse.

Raise a floor when the measured number rises; never lower one to make a change pass.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tally.documents import Document, read_inputs
from tally.evaluation import load_jsonl, score
from tests.conftest import SHARED, needs_shared

CLAIM_FLOORS = {
    # gold, documents: (claim F1 floor, per-field floor)
    ("gold/seeds.claims.jsonl", "seeds"): (0.95, {"value.qualifier": 0.95, "kind": 0.95,
                                                  "victim.group": 0.90, "perpetrator.actor": 0.95,
                                                  "source.speaker": 0.95, "source.side": 0.95,
                                                  "source.via": 0.95, "period": 0.95,
                                                  "place.country": 0.95, "place.admin1": 0.95}),
    ("dev/gold.claims.jsonl", "dev/articles"): (0.95, {"value.qualifier": 0.95,
                                                       "victim.group": 0.93, "kind": 0.92,
                                                       "perpetrator.actor": 0.96,
                                                       "place.country": 0.98, "period": 0.96,
                                                       "place.admin1": 0.90,
                                                       "source.speaker": 0.88,
                                                       "source.org": 0.81,
                                                       "source.via": 0.95,
                                                       "source.side": 0.93,
                                                       "attribution": 0.93}),
    ("dev/more/gold.claims.jsonl", "dev/more/articles"): (0.92, {"perpetrator.actor": 0.93,
                                                                 "kind": 0.90,
                                                                 "victim.group": 0.91,
                                                                 "period": 0.88,
                                                                 "place.country": 0.97,
                                                                 "place.admin1": 0.86,
                                                                 "source.speaker": 0.86,
                                                                 "source.org": 0.83,
                                                                 "source.side": 0.90,
                                                                 "source.via": 0.85,
                                                                 "attribution": 0.88}),
}
INCIDENT_FLOORS = {
    "dev/gtd.dev.jsonl": {"killed.all": 0.86, "wounded.all": 0.90},
    "dev/acled.dev.jsonl": {"killed.all": 0.91},
}


def extract(extractor, path):
    docs = [d for d in read_inputs([str(SHARED / path)]) if isinstance(d, Document)]
    return [c.to_dict() for _d, cs in extractor.extract(docs) for c in cs]


@needs_shared()
@pytest.mark.parametrize("gold, docs", list(CLAIM_FLOORS))
def test_claim_floors(extractor, gold, docs):
    f1_floor, field_floors = CLAIM_FLOORS[(gold, docs)]
    r = score(load_jsonl(SHARED / gold), extract(extractor, docs))
    assert r.f1 >= f1_floor, f"claim F1 {r.f1:.3f} fell below {f1_floor}"
    for name, floor in field_floors.items():
        ok, n = r.fields[name]
        assert ok / n >= floor, f"{name} {ok}/{n} fell below {floor}"


# Sets on which every required denied claim must be found (the target, met).
ALL_DENIALS = [("dev/more/gold.claims.jsonl", "dev/more/articles"),
               ("dev/gold.claims.jsonl", "dev/articles"),
               ("gold/seeds.claims.jsonl", "seeds")]


@needs_shared()
@pytest.mark.parametrize("gold, docs", ALL_DENIALS)
def test_every_required_denial_is_found(extractor, gold, docs):
    def key(c):
        return c["doc"], c["metric"], c["value"]["low"], c["value"]["high"]
    got = {key(c) for c in extract(extractor, docs) if c["stance"] == "denied"}
    required = {key(g) for g in load_jsonl(SHARED / gold)
                if g.get("stance") == "denied" and not g.get("optional")}
    assert required <= got, f"denials not found: {sorted(required - got)}"


@needs_shared()
@pytest.mark.parametrize("gold", list(INCIDENT_FLOORS))
def test_incident_floors(extractor, tmp_path, gold):
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for c in extract(extractor, gold):
            f.write(json.dumps(c) + "\n")
    report = json.loads(subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_incidents.py"), str(SHARED / gold),
         str(pred), "--json"], capture_output=True, text=True, check=True).stdout)
    for key, floor in INCIDENT_FLOORS[gold].items():
        assert report[key]["exact"] >= floor, f"{gold} {key} {report[key]['exact']:.3f} < {floor}"


CONFLICT_FLOORS = {
    # gold, documents: (recall floor, precision floor)
    ("gold/seeds.conflicts.jsonl", "seeds"): (1.0, 1.0),
    ("dev/conflicts.jsonl", "dev/articles"): (0.9, 0.9),
    ("dev/more/conflicts.jsonl", "dev/more/articles"): (0.86, 0.95),
}


@needs_shared()
@pytest.mark.parametrize("gold, docs", list(CONFLICT_FLOORS))
def test_disagreement_floors(extractor, tmp_path, gold, docs):
    from tally.reconcile.core import reconcile

    documents = [d for d in read_inputs([str(SHARED / docs)]) if isinstance(d, Document)]
    claims = [{**c.to_dict(), "key": f"{d.id}#{i}"}
              for d, cs in extractor.extract(documents) for i, c in enumerate(cs)]
    rec = reconcile(claims, [(d.id, d.text, d.date) for d in documents])
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(r) + "\n" for r in rec.disagreements), "utf-8")
    report = json.loads(subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_conflicts.py"), str(SHARED / gold),
         str(pred), "--json"], capture_output=True, text=True, check=True).stdout)
    recall_floor, precision_floor = CONFLICT_FLOORS[(gold, docs)]
    assert report["recall"] >= recall_floor and report["precision"] >= precision_floor, report


GOLD_INPUT_CONFLICT_FLOORS = {
    # reconciliation alone, fed the gold claims (bench/reconcile_gold.py): (recall, precision)
    "seeds": (1.0, 1.0),
    "dev": (0.9, 0.9),
    "more": (0.97, 0.97),
}


@needs_shared()
@pytest.mark.parametrize("name", list(GOLD_INPUT_CONFLICT_FLOORS))
def test_disagreement_floors_on_gold_claims(tmp_path, name):
    from bench.reconcile_gold import SETS, gold_input, score
    from tally.reconcile.core import reconcile

    gold, articles, conflicts = SETS[name]
    rec = reconcile(*gold_input(SHARED, gold, articles))
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(r) + "\n" for r in rec.disagreements), "utf-8")
    report = score(SHARED, conflicts, pred)
    recall_floor, precision_floor = GOLD_INPUT_CONFLICT_FLOORS[name]
    assert report["recall"] >= recall_floor and report["precision"] >= precision_floor, report
