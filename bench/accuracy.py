"""Claim and disagreement scores on the shared gold sets, end to end, in one run.

    python bench/accuracy.py [--out DIR] [seeds|dev|more ...]

For each set: extract its articles, score the claims with `tools/score_claims.py`, feed
the claims into reconciliation and score the disagreements with
`tools/score_conflicts.py`. The predictions are left in DIR (default /tmp/tally-accuracy)
for `--show` runs of the scorers.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from gold_sets import SETS, SHARED  # noqa: E402

from tally.documents import Document, read_inputs  # noqa: E402
from tally.nlp import entities  # noqa: E402
from tally.nlp.extractor import Extractor  # noqa: E402
from tally.reconcile.core import reconcile  # noqa: E402


def scorer(tool: str, gold: str, pred: Path) -> str:
    return subprocess.run([sys.executable, str(SHARED / "tools" / tool), str(SHARED / gold),
                           str(pred)], capture_output=True, text=True, check=True).stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", help=f"some of {', '.join(SETS)} (default: all)")
    ap.add_argument("--out", type=Path, default=Path("/tmp/tally-accuracy"))
    ap.add_argument("--no-ner", action="store_true",
                    help="no entities: what NER adds to accuracy (its cost: extract_speed.py)")
    a = ap.parse_args()
    if unknown := [s for s in a.sets if s not in SETS]:
        ap.error(f"unknown set {', '.join(unknown)}: choose from {', '.join(SETS)}")
    a.out.mkdir(parents=True, exist_ok=True)
    ex = Extractor.default()
    if a.no_ner:
        entities.disable()
    for name in a.sets or list(SETS):
        gold, articles, conflicts = SETS[name]
        docs = [d for d in read_inputs([str(SHARED / articles)]) if isinstance(d, Document)]
        claims = [(d, i, c.to_dict()) for d, cs in ex.extract(docs) for i, c in enumerate(cs)]
        pred = a.out / f"{name}.claims.jsonl"
        pred.write_text("".join(json.dumps(c) + "\n" for _, _, c in claims), "utf-8")
        print(f"=== {name}")
        print(scorer("score_claims.py", gold, pred), end="")
        rec = reconcile([{**c, "key": f"{d.id}#{i}"} for d, i, c in claims],
                        [(d.id, d.text, d.date) for d in docs])
        found = a.out / f"{name}.conflicts.jsonl"
        found.write_text("".join(json.dumps(r) + "\n" for r in rec.disagreements), "utf-8")
        print(scorer("score_conflicts.py", conflicts, found), end="")


if __name__ == "__main__":
    main()
