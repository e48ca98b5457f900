"""What tally makes of the shared articles, reduced to fingerprints, so that a change meant
to make it faster can be shown to change nothing.

Each set (seeds, dev, dev/more) is ingested into its own SQLite store as a user would;
then each document's claim records, each figure group, each disagreement and each derived
event is hashed. Only hashes, kinds and claim ids are kept: the snapshot holds no article
text. A change that is meant to alter the output regenerates it, and says so:

    python -m tests.shared_output --write
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, SHARED

SETS = {"seeds": "seeds", "dev": "dev/articles", "more": "dev/more/articles"}
SNAPSHOT = ROOT / "tests" / "snapshots" / "shared_output.json"


def _digest(record: Any) -> str:
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:20]


def _claim_ids(record: dict[str, Any]) -> list[str]:
    return sorted(c.get("id") or c.get("key") or "" for c in record.get("claims", []))


def fingerprints(folder: str, extractor: Any = None) -> dict[str, Any]:
    from tally.documents import Document, read_inputs
    from tally.pipeline import ingest
    from tally.report import views
    from tally.store.store import open_store

    docs = [d for d in read_inputs([str(SHARED / folder)]) if isinstance(d, Document)]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "set.db"))
        try:
            ingest(store, docs, extractor=extractor)
            claims: dict[str, list[str]] = {}
            for c in store.claims(latest_only=True):
                claims.setdefault(c["doc"], []).append(_digest(c))
            groups = sorted(_digest(g) for g in store.reconciled("group"))
            disagreements = sorted(
                [d["kind"], _claim_ids(d), _digest(d)] for d in store.reconciled("disagreement"))
            events, _undated = views.events(store)
            event_digests = sorted(_digest(e.to_dict()) for e in events)
        finally:
            store.close()
    return {"claims": {doc: sorted(ds) for doc, ds in sorted(claims.items())},
            "groups": groups, "disagreements": disagreements, "events": event_digests}


def all_fingerprints(extractor: Any = None) -> dict[str, Any]:
    return {name: fingerprints(folder, extractor) for name, folder in SETS.items()}


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.shared_output --write")
    SNAPSHOT.write_text(json.dumps(all_fingerprints(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {SNAPSHOT}")
