"""Places given where the gold gives none, on predictions already written by accuracy.py.

    python bench/places_overreach.py [--pred DIR] [--show] [seeds|dev|more ...]

The claim scorer counts a wrong admin1 but not a province given where the gold has
null; analysts do. For each set this prints, over the matched claim pairs, how often
a gold place with no admin1 ("across Afghanistan") got one all the same
(over-placement), next to how often a
given one was right, and with --show every pair whose place differs.
"""
from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = {"seeds": "gold/seeds.claims.jsonl", "dev": "dev/gold.claims.jsonl",
        "more": "dev/more/gold.claims.jsonl"}


def _scorer():  # the shared scorer's own matching, so pairs are the ones it scores
    spec = importlib.util.spec_from_file_location("score_claims",
                                                  SHARED / "tools" / "score_claims.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def pairs(sc, gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    pool: dict[tuple, list[dict]] = {}
    for p in pred:
        pool.setdefault(sc.key(p), []).append(p)
    out = []
    for g in sorted(gold, key=lambda g: g.get("optional", False)):
        cands = pool.get(sc.key(g))
        if cands:
            out.append((g, cands.pop(0)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", default=None)
    ap.add_argument("--pred", type=Path, default=Path("/tmp/tally-accuracy"))
    ap.add_argument("--show", action="store_true")
    a = ap.parse_args()
    sc = _scorer()
    for name in a.sets or list(SETS):
        gold = sc.load(SHARED / SETS[name])
        pred = sc.load(a.pred / f"{name}.claims.jsonl")
        print(f"=== {name}")
        for f in ("country", "admin1"):
            null = over = given = right = 0
            for g, p in pairs(sc, gold, pred):
                gp, pp = g.get("place") or {}, p.get("place") or {}
                if not gp:
                    continue  # the gold gives no place at all: not annotated, not scored
                if gp.get(f) is None:  # a place the gold gives no admin1 ("across Iraq")
                    null += 1
                    over += pp.get(f) is not None
                else:
                    given += 1
                    right += sc.plain(gp[f], pp.get(f))
            print(f"  place.{f:8} gold none {null:4}  over-placed {over:4} "
                  f"({over / null if null else 0:.3f})   gold given {given:4}  right {right:4}")
        if a.show:
            for g, p in pairs(sc, gold, pred):
                gp, pp = g.get("place") or {}, p.get("place") or {}
                bad = [f for f in ("country", "admin1") if gp and
                       not sc.plain(gp.get(f), pp.get(f))]
                if bad:
                    print(f"  {g['doc']} {g['metric']} {g['value'].get('low')}: gold "
                          f"{gp.get('text')!r} {gp.get('country')} {gp.get('admin1')} | got "
                          f"{pp.get('text')!r} {pp.get('country')} {pp.get('admin1')}\n"
                          f"      {p['evidence']['sentence'][:160]}")


if __name__ == "__main__":
    main()
