"""Grouping and checking 100,000 claims (target: under a minute on this machine).

    python bench/group_speed.py [--claims 100000] [--per-doc 25] [--days 730] [--pairwise]

The claims are generated (seeded, so every run is the same): documents of --per-doc
claims over 12 countries, 8 metrics and two years of dated periods, with victims,
perpetrators and sources drawn from small pools so that many claims do meet. `--days 1`
puts every claim on one day (issue 13: 10,000 and 80,000 claims, target under 5 s for
80,000). `--pairwise` runs the code blocking replaced (tests/reconcile_oracle.py: every
name against every claim, every overlapping pair of a day, every pair of a group), for a
before/after.
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
sys.path.insert(0, str(ROOT))

from tally.reconcile import core  # noqa: E402

METRICS = ["killed", "wounded", "casualties", "missing", "kidnapped", "arrested", "released",
           "attacks"]
COUNTRIES = ["AF", "IQ", "SY", "YE", "NG", "ML", "BF", "SO", "CD", "MM", "UA", "CO"]
GROUPS = ["civilians", "security_forces", "militants", "unknown"]
ACTORS = ["Taliban", "Islamic State", "al-Shabab", None, None]


def make_claims(n: int, per_doc: int, seed: int = 7, days: int = 730) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    start = date(2020, 1, 1)
    for i in range(n):
        doc = f"doc{i // per_doc:06d}"
        day = start + timedelta(days=rnd.randrange(days))
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


def _buckets(claims: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for c in claims:
        out.setdefault(core.bucket_of(c), []).append(c)
    return out


def use_pairwise() -> None:
    """Reconcile with the pairwise code that blocking replaced."""
    from tests import reconcile_oracle as oracle
    core.Names = oracle.OracleNames  # type: ignore[misc]
    core.group_claims = oracle.group_claims
    core._cross_document = oracle.cross_document


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--per-doc", type=int, default=25)
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--pairwise", action="store_true", help="time the code before blocking")
    a = ap.parse_args()
    if a.pairwise:
        use_pairwise()
    claims = make_claims(a.claims, a.per_doc, days=a.days)
    t0 = time.perf_counter()
    rec = core.reconcile(claims)
    took = time.perf_counter() - t0
    t0 = time.perf_counter()
    grouped = sum(len(core.group_claims(members)) for members in _buckets(claims).values())
    group_took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"claims: {len(claims)}; groups: {len(rec.groups)}; "
          f"disagreements: {len(rec.disagreements)}")
    print(f"group_claims alone: {group_took:.2f} s ({grouped} groups)")
    print(f"reconcile: {took:.1f} s ({len(claims) / took:,.0f} claims/s); "
          f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
