"""The workspace over other people's articles (../shared/dev/articles and dev/more), in
real Chromium: every view opens on them, and a disagreement can be followed from the
timeline and from the map to its sentence. Screenshots at 1366×900 under
tests/artifacts/ (workspace-dev-*.png)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import SHARED, serving
from tests.test_workspace_browser import (CHOSEN_RING, DISPUTED_MARK, browser_page, drawn,
                                          shot)

FOLDERS = (SHARED / "dev" / "articles", SHARED / "dev" / "more" / "articles")


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store of dev and dev/more, ingested by the CLI, served on a free loopback port."""
    missing = [str(f) for f in FOLDERS if not f.is_dir()]
    if missing:
        pytest.skip(f"shared articles are absent ({', '.join(missing)}): set TALLY_SHARED")
    from typer.testing import CliRunner

    from tally.cli import app
    from tally.coordinates import locate

    db = str(tmp_path_factory.mktemp("dev") / "dev.db")
    r = CliRunner().invoke(app, ["ingest", *map(str, FOLDERS), "--db", db],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    locate(None, None, None)  # the gazetteer's coordinates, before the map asks
    with serving(db) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def page(dev_server: str) -> Iterator[Any]:
    with browser_page(dev_server) as pg:
        yield pg


def test_every_view_opens_on_the_dev_articles(page):
    from playwright.sync_api import expect

    total = sum(len([p for p in f.iterdir() if p.is_file()]) for f in FOLDERS)
    page.goto("/#/documents")
    expect(page.locator(".pager .count").first).to_have_text(
        re.compile(rf"rows 1–\d+ of {total}$"))
    shot(page, "dev-documents")
    for view, ready in [("disagreements", ".card.disagreement"), ("events", ".card.event"),
                        ("figures", ".card.group .group-chart svg.marks"),
                        ("claims", "#claims-table tbody tr"), ("sources", ".card.source")]:
        page.goto(f"/#/{view}")
        expect(page.locator(ready).first).to_be_visible()
        shot(page, f"dev-{view}")
    for view in ("timeline", "map"):
        page.goto(f"/#/{view}")
        assert drawn(page, view) > 10
        shot(page, f"dev-{view}")


@pytest.mark.parametrize("view, mark", [
    ("timeline", f"#timeline-chart {DISPUTED_MARK}"),
    ("map", '#map-chart path[aria-label*="in a disagreement"]')])
def test_a_disagreement_leads_from_the_chart_to_its_sentence(page, view, mark):
    from playwright.sync_api import expect

    page.goto(f"/#/{view}?metric=killed")
    drawn(page, view)
    page.locator(mark).first.dispatch_event("click")
    expect(page).to_have_url(re.compile(rf"#/{view}\?metric=killed&(claim|event|group)=\w+$"))
    panel = page.locator(f"#{view}-evidence .evidence")
    card = panel.locator(".evidence-disagreements .card.disagreement").first
    expect(card).to_be_visible()
    expect(page.locator(f"#{view}-chart {CHOSEN_RING}").first).to_be_attached()
    shot(page, f"dev-{view}-chosen")
    link = card.locator("li a.doc").first
    claim = (link.get_attribute("href") or "").rsplit("claim=", 1)[-1]
    link.click()
    expect(page.locator(f"#document-claims .card.claim.focus[data-claim='{claim}']")
           ).to_be_visible()
    expect(page.locator("#document-text mark.sentence.focus").first).to_be_visible()
    page.reload()  # the deep link to the claim in its document
    expect(page.locator(f"#document-claims .card.claim.focus[data-claim='{claim}']")
           ).to_be_visible()
    page.go_back()
    expect(panel).to_be_visible()

