"""Grouping and checking 100,000 claims (target: under a minute on this machine).

    python bench/group_speed.py [--claims 100000] [--per-doc 25]

The claims are generated (seeded, so every run is the same): documents of --per-doc
claims over 12 countries, 8 metrics and two years of dated periods, with victims,
perpetrators and sources drawn from small pools so that many claims do meet.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tally.reconcile.core import reconcile  # noqa: E402

METRICS = ["killed", "wounded", "casualties", "missing", "kidnapped", "arrested", "released",
           "attacks"]
COUNTRIES = ["AF", "IQ", "SY", "YE", "NG", "ML", "BF", "SO", "CD", "MM", "UA", "CO"]
GROUPS = ["civilians", "security_forces", "militants", "unknown"]
ACTORS = ["Taliban", "Islamic State", "al-Shabab", None, None]


def make_claims(n: int, per_doc: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    start = date(2020, 1, 1)
    for i in range(n):
        doc = f"doc{i // per_doc:06d}"
        day = start + timedelta(days=rnd.randrange(730))
        low = rnd.randrange(1, 400)
        q = rnd.choice(["exact", "exact", "at_least", "about"])
        out.append({
            "key": f"{doc}#{i % per_doc}", "doc": doc, "metric": rnd.choice(METRICS),
            "value": {"low": low, "high": None if q == "at_least" else low, "qualifier": q,
                      "text": str(low)},
            "rate": None, "victim": {"group": rnd.choice(GROUPS), "text": None},
            "perpetrator": {"actor": rnd.choice(ACTORS), "text": None},
            "place": {"text": None, "country": rnd.choice(COUNTRIES), "admin1": None},
            "period": {"text": "on that day", "start": day.isoformat(), "end": day.isoformat()},
            "kind": "incident",
            "source": {"speaker": None, "org": f"org{rnd.randrange(40)}",
                       "side": rnd.choice(["government", "insurgent", "independent"]),
                       "via": None},
            "attribution": "indirect", "stance": "asserted",
            "evidence": {"sentence": f"sentence {i}", "start": (i % per_doc) * 100,
                         "end": (i % per_doc) * 100 + 90},
        })
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--per-doc", type=int, default=25)
    a = ap.parse_args()
    claims = make_claims(a.claims, a.per_doc)
    t0 = time.perf_counter()
    rec = reconcile(claims)
    took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"claims: {len(claims)}; groups: {len(rec.groups)}; "
          f"disagreements: {len(rec.disagreements)}")
    print(f"reconcile: {took:.1f} s ({len(claims) / took:,.0f} claims/s); "
          f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
