"""Reconciliation's own precision and recall: the GOLD claims of each set as its input.

    python bench/reconcile_gold.py [--out DIR] [--show] [seeds|dev|more ...]

End to end (bench/accuracy.py) a disagreement can be missed because a claim was not
extracted; here every claim is the annotators' own, so what is scored is reconciliation
alone. Gold evidence gives the figure's anchor; the claim gets the sentence around it,
as the extractor writes it, so that "same sentence" means the same thing in both runs.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from gold_sets import SETS, SHARED  # noqa: E402

from tally.documents import Document, read_inputs  # noqa: E402
from tally.nlp.sentences import split  # noqa: E402
from tally.reconcile.core import reconcile  # noqa: E402


def gold_input(shared: Path, gold: str, articles: str
               ) -> tuple[list[dict[str, Any]], list[tuple[str, str, Any]]]:
    """Gold claims keyed and given their sentences, and the documents (id, text, date)."""
    docs = {d.id: d for d in read_inputs([str(shared / articles)]) if isinstance(d, Document)}
    sentences = {i: split(d.text) for i, d in docs.items()}
    claims = []
    with open(shared / gold, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for i, c in enumerate(rows):
        ev = dict(c.get("evidence") or {})
        at = ev.get("start", 0)
        s = next((s for s in sentences.get(c["doc"], []) if s.start <= at < s.end), None)
        if s is not None:
            ev = {**ev, "sentence": s.text, "start": s.start, "end": s.end}
        claims.append({**c, "evidence": ev, "key": f"{c['doc']}#{i}"})
    return claims, [(d.id, d.text, d.date) for d in docs.values()]


def score(shared: Path, conflicts: str, pred: Path, show: bool = False) -> dict[str, Any]:
    args = [sys.executable, str(shared / "tools" / "score_conflicts.py"), str(shared / conflicts),
            str(pred)]
    if show:
        shown = subprocess.run(args + ["--show"], capture_output=True, text=True, check=True)
        print("".join(line + "\n" for line in shown.stdout.splitlines()
                      if not line.startswith("disagreements:")), end="")
    return json.loads(subprocess.run(args + ["--json"], capture_output=True, text=True,
                                     check=True).stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", choices=[*SETS, []], default=[])
    ap.add_argument("--out", type=Path, default=Path("/tmp/tally-reconcile-gold"))
    ap.add_argument("--show", action="store_true", help="list missed and extra records")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for name in a.sets or list(SETS):
        gold, articles, conflicts = SETS[name]
        claims, documents = gold_input(SHARED, gold, articles)
        rec = reconcile(claims, documents)
        pred = a.out / f"{name}.conflicts.jsonl"
        pred.write_text("".join(json.dumps(r) + "\n" for r in rec.disagreements), "utf-8")
        print(f"=== {name} (gold claims in)")
        r = score(SHARED, conflicts, pred, a.show)
        print(f"disagreements: tp {r['tp']} fp {r['fp']} fn {r['fn']}  "
              f"precision {r['precision']:.3f}  recall {r['recall']:.3f}")


if __name__ == "__main__":
    main()
