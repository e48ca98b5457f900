"""Deriving events from 100,000 reconciled claims (they are derived on every read, so this
is what `tally events` and `tally export events` pay over reconciliation's own cost).

    python bench/event_speed.py [--claims 100000] [--per-doc 25]

The claims are group_speed.py's (seeded, the same every run), with a town named for half
of them; reconciliation runs first, untimed, to give the figure groups events are made of.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from group_speed import make_claims  # noqa: E402

from tally.events import derive  # noqa: E402
from tally.nlp.places import gazetteer  # noqa: E402
from tally.reconcile.core import reconcile  # noqa: E402

TOWNS = {"AF": "Kunduz", "IQ": "Mosul", "SY": "Douma", "YE": "Taiz", "NG": "Maiduguri",
         "ML": "Djenne", "BF": "Djibo", "SO": "Baidoa", "CD": "Beni", "MM": "Lashio",
         "UA": "Bakhmut", "CO": "Cali"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--per-doc", type=int, default=25)
    a = ap.parse_args()
    claims = make_claims(a.claims, a.per_doc)
    rnd = random.Random(11)
    for i, c in enumerate(claims):
        c["id"] = f"{i:016x}"
        if rnd.random() < 0.5:
            c["place"]["text"] = TOWNS[c["place"]["country"]]
    rec = reconcile(claims)
    gazetteer()  # built or read once per process, as in the CLI: not the events' cost
    t0 = time.perf_counter()
    events = derive(claims, rec.groups, rec.disagreements, (), {},
                    lambda c: c["source"]["org"] or "")
    took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"claims: {len(claims)}; groups: {len(rec.groups)}; events: {len(events)}")
    print(f"events: {took:.1f} s ({len(claims) / took:,.0f} claims/s); peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
