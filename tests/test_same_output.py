"""The claims, figure groups, disagreements and events that tally makes of seeds, dev and
dev/more are those of the snapshot (tests/shared_output.py): work on speed and scale must
not change what an analyst is shown. A change meant to alter them rewrites the snapshot."""
from __future__ import annotations

import json

import pytest

from tests.conftest import needs_shared
from tests.shared_output import SETS, SNAPSHOT, fingerprints


@needs_shared()
@pytest.mark.parametrize("name", list(SETS))
def test_output_is_the_snapshot(extractor, name):
    want = json.loads(SNAPSHOT.read_text())[name]
    got = fingerprints(SETS[name], extractor)
    changed = sorted(d for d in set(want["claims"]) | set(got["claims"])
                     if want["claims"].get(d) != got["claims"].get(d))
    assert not changed, f"claims changed in {len(changed)} documents: {changed[:5]}"
    for kind in ("groups", "disagreements", "events"):
        lost = [x for x in want[kind] if x not in got[kind]]
        new = [x for x in got[kind] if x not in want[kind]]
        assert not lost and not new, (f"{name} {kind}: {len(lost)} no longer made, "
                                      f"{len(new)} new; first lost {lost[:2]}, new {new[:2]}")
