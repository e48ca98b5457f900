"""A test seam for crash tests: no effect unless TALLY_FAULT_POINT is set.

`TALLY_FAULT_POINT=stored@3` makes the process kill itself with SIGKILL the third time
it reaches the point named "stored", as `kill -9` would at that moment; the fault tests
(tests/test_crashes.py) then check that the next command leaves the store as a clean run
would. The points are the moments between two writes that crash safety is about.
"""
from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "TALLY_FAULT_POINT"
POINTS = {
    "stored",             # a document and its claims committed (once per document)
    "reconciling",        # reconciliation computed, nothing of it written yet
    "reconcile-writing",  # inside the transaction that writes it, before the commit
    "reconciled",         # that transaction committed
    "worker-read",        # a `-j N` worker process about to read a batch (once per batch)
}
_reached: Counter[str] = Counter()


def reached(point: str) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition("@")
    if name != point:
        return
    _reached[point] += 1
    if _reached[point] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
