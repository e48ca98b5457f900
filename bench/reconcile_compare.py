"""The stored reconciliation two tally trees make of the same articles, compared.

    python bench/reconcile_compare.py dump SRC OUT.json [PATH ...]   # run once per tree
    python bench/reconcile_compare.py diff BEFORE.json AFTER.json

`dump` ingests PATH (default ../shared/dev/articles and ../shared/dev/more/articles) one
article at a time with the tally under SRC (its `src` folder), as a user adding articles
would, and keeps the stored groups, disagreements and copies; then recomputes everything
and keeps them again. Copies are compared by where their passages are and which claims
they link, whatever shape their records have. `diff` says, per kind, whether the two
runs stored the same.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def dump(src: str, out: str, paths: list[str]) -> None:
    sys.path.insert(0, src)
    from tally.documents import Document, read_inputs
    from tally.nlp.extractor import Extractor
    from tally.pipeline import ingest, refresh
    from tally.store import open_store

    paths = paths or [str(SHARED / "dev" / "articles"), str(SHARED / "dev" / "more" / "articles")]
    docs = [d for d in read_inputs(paths) if isinstance(d, Document)]
    ex = Extractor.default()

    def stored(store: Any) -> dict[str, list[Any]]:
        copies = store.reconciled("copy")
        return {
            "groups": sorted(json.dumps(g, sort_keys=True) for g in store.reconciled("group")),
            "disagreements": sorted(json.dumps(d, sort_keys=True)
                                    for d in store.reconciled("disagreement")),
            "copies": sorted([c["original"]["doc"], c["original"]["start"], c["copy"]["doc"],
                              c["copy"]["start"], c["score"]] for c in copies),
            "copied_claims": sorted({k for c in copies for k in c.get("claims", [])}),
        }

    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "s.db")) as store:
        for d in docs:
            ingest(store, [d], extractor=ex)
        result = {"one_by_one": stored(store)}
        refresh(store, None)
        result["full"] = stored(store)
    Path(out).write_text(json.dumps(result))
    print({run: {k: len(v) for k, v in kinds.items()} for run, kinds in result.items()})


def diff(before: str, after: str) -> int:
    a, b = json.loads(Path(before).read_text()), json.loads(Path(after).read_text())
    changed = 0
    for run in ("one_by_one", "full"):
        for kind in a[run]:
            x, y = a[run][kind], b[run][kind]
            same = x == y
            changed += not same
            print(f"{run:10} {kind:14} before {len(x):4}  after {len(y):4}  "
                  f"{'identical' if same else 'DIFFERENT'}")
    return 1 if changed else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        sys.exit(diff(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
