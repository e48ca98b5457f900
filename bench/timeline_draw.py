"""How long the workspace's timeline takes for a store of 10,000 claims: the server's
answer (/api/charts/timeline) and the drawing in real Chromium, from opening the view to
the marks on screen.

    python bench/timeline_draw.py [--claims 10000] [--metric killed] [--db FILE] [--shot PNG]

The claims are group_speed.py's (seeded, the same every run), stored with
store.add_document without extraction, then reconciled (untimed) so that the timeline
has figure groups and disagreements to draw.
"""
from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from group_speed import make_claims  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def build(db: str, n: int, per_doc: int = 25) -> None:
    from tally import pipeline
    from tally.documents.model import Document
    from tally.store import open_store

    store = open_store(db)
    claims = make_claims(n, per_doc)
    by_doc: dict[str, list[dict]] = {}
    for i, c in enumerate(claims):
        c.pop("key")
        c["id"] = f"{i:016x}"  # as ingest gives every claim its id
        by_doc.setdefault(c["doc"], []).append(c)
    for doc_id, mine in by_doc.items():
        text = "\n".join(c["evidence"]["sentence"].ljust(89) for c in mine)
        store.add_document(Document(id=doc_id, text=text), mine, pipeline="bench")
    pipeline.refresh(store, None)  # figure groups and disagreements, as `tally reconcile`
    store.close()


def serve(db: str) -> tuple[str, object]:
    import uvicorn

    from tally.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                        log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", srv


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=10_000)
    ap.add_argument("--metric", default="", help="one metric's timeline (default: all)")
    ap.add_argument("--db", help="reuse this store (built when missing)")
    ap.add_argument("--shot", type=Path, help="save a screenshot of the drawn view here")
    a = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = a.db or str(Path(tmp.name) / "timeline.db")
    if not Path(db).exists():
        t0 = time.perf_counter()
        build(db, a.claims)
        print(f"store of {a.claims:,} claims built and reconciled in "
              f"{time.perf_counter() - t0:.1f} s (not timed below)")
    base, _ = serve(db)
    import urllib.request

    query = f"?metric={a.metric}" if a.metric else ""
    t0 = time.perf_counter()
    body = urllib.request.urlopen(f"{base}/api/charts/timeline{query}", timeout=600).read()
    print(f"server: /api/charts/timeline{query} answered {len(body) / 1e6:.1f} MB in "
          f"{time.perf_counter() - t0:.1f} s")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(600_000)
        t0 = time.perf_counter()
        page.goto(f"{base}/#/timeline{query}")
        page.wait_for_selector("#timeline-chart[data-draw-ms]")
        took = time.perf_counter() - t0
        draw_ms = int(page.get_attribute("#timeline-chart", "data-draw-ms") or 0)
        drawn = page.get_attribute("#timeline-chart", "data-drawn")
        canvas = page.locator("#timeline-chart canvas").count() > 0
        marks = "drawn on a canvas" if canvas else \
            f"{page.locator('#timeline-chart path[aria-roledescription=point]').count():,} " \
            "point marks (SVG)"
        print(f"browser: {drawn} figures, {marks}; view opened to marks drawn "
              f"in {took:.1f} s, of which vega-embed drawing {draw_ms / 1000:.1f} s")
        if a.shot:
            page.screenshot(path=str(a.shot))
        browser.close()


if __name__ == "__main__":
    main()
