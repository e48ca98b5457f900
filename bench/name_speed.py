"""Clustering speakers' names: 5,000 claims over 625 or 2,500 distinct names (target:
under 2 s each).

    python bench/name_speed.py [--claims 5000] [--names 625 2500] [--pairwise]

The names are generated (seeded): given names and surnames from syllables, each person
spelt a few ways (a letter changed, an accent, the surname alone), so that clusters form.
The claims are bench/group_speed.py's, with these speakers. Timed: `Names.clusters` over
every claim's speaker, and `reconcile` of the claims, which resolves each source many
times. `--pairwise` times the scan of every known name that blocking replaced (the
oracle in tests/reconcile_oracle.py), for a before/after.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from group_speed import make_claims, use_pairwise  # noqa: E402

from tally.reconcile import core  # noqa: E402

SYLLABLES = ["ka", "ri", "mo", "ha", "za", "li", "an", "ta", "req", "sha", "wal", "fa", "zi",
             "nu", "dra", "bek", "sol", "mir", "ul", "od"]


def make_names(n: int, seed: int = 11) -> list[str]:
    """n distinct spellings, about four to a person."""
    rnd = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        given = "".join(rnd.choice(SYLLABLES) for _ in range(2)).title()
        surname = "".join(rnd.choice(SYLLABLES) for _ in range(3)).title()
        for spelling in (f"{given} {surname}", surname,
                         f"{given} {surname[:-1]}{rnd.choice('aeiou')}",
                         f"{given[0]}é{given[2:]} {surname}"):
            if spelling not in seen and len(out) < n:
                seen.add(spelling)
                out.append(spelling)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=5000)
    ap.add_argument("--names", type=int, nargs="+", default=[625, 2500])
    ap.add_argument("--pairwise", action="store_true", help="time the code before blocking")
    a = ap.parse_args()
    if a.pairwise:
        use_pairwise()
    for n in a.names:
        pool = make_names(n)
        rnd = random.Random(n)
        claims = make_claims(a.claims, 25)
        for c in claims:
            c["source"]["speaker"] = rnd.choice(pool)
            c["source"]["org"] = rnd.choice([None, None, c["source"]["org"]])
        t0 = time.perf_counter()
        clusters = core.Names().clusters(c["source"]["speaker"] for c in claims)
        took = time.perf_counter() - t0
        t0 = time.perf_counter()
        rec = core.reconcile(claims)
        rec_took = time.perf_counter() - t0
        print(f"{a.claims} claims, {n} names: {len(set(clusters.values()))} people; "
              f"clusters {took:.2f} s; reconcile {rec_took:.2f} s "
              f"({len(rec.groups)} groups, {len(rec.disagreements)} disagreements)")


if __name__ == "__main__":
    main()
