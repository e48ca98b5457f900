"""What resolving periods and places adds to extraction, on a corpus of 10,000+ claims.

    python bench/resolve_cost.py [--claims 10000] [--repeat 3]

Extracts the same documents with and without resolution (dates, periods, places), runs
alternating, keeps the best of each, and prints the overhead in percent (target: < 10%).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from extract_speed import corpus  # noqa: E402

from tally.nlp.extractor import Extractor  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    base = corpus([])
    with_res = Extractor.default()
    without = Extractor(with_res.nlp, with_res.lex, resolve=False)
    per_pass = sum(len(cs) for _, cs in with_res.extract(base))
    docs = base * max(1, -(-a.claims // max(per_pass, 1)))
    best = {"with": float("inf"), "without": float("inf")}
    n = 0
    for _ in range(a.repeat):
        for name, ex in (("without", without), ("with", with_res)):
            t0 = time.perf_counter()
            n = sum(len(cs) for _, cs in ex.extract(docs))
            best[name] = min(best[name], time.perf_counter() - t0)
    print(f"corpus: {len(docs)} documents, {n} claims")
    print(f"extraction without resolution: {best['without']:.2f} s")
    print(f"extraction with resolution   : {best['with']:.2f} s")
    print(f"resolution overhead          : {100 * (best['with'] / best['without'] - 1):.1f}%")


if __name__ == "__main__":
    main()
