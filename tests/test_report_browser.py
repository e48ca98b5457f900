"""The report in real Chromium: the examples' report opened as a file, each entry of its
contents scrolling to its section; inside the workspace, where the same links keep the
Report tab; and a report of about 10,000 claims, whose opening time is printed (timing is
measured here, not asserted). Screenshots at 1366×900 under tests/artifacts/."""
from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tally.cli import app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
MANY_CLAIMS = int(os.environ.get("TALLY_REPORT_CLAIMS", "10000"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (Debian package chromium; .ci/run installs it)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # shared machines are slow; nothing here is timed
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    pg = browser.new_page(viewport={"width": 1366, "height": 900})
    pg.set_default_timeout(60_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    pg.close()
    assert not errors, errors


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{name}.png"))


def write_report(db: str, out: Path) -> float:
    started = time.perf_counter()
    r = CliRunner().invoke(app, ["report", "--db", db, "--out", str(out)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return time.perf_counter() - started


def test_each_contents_entry_scrolls_to_its_section_and_nothing_is_fetched(
        examples_report: Path, page: Any):
    out = examples_report
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(out.as_uri())
    shot(page, "top")
    links = page.locator("#contents a")
    assert links.count() >= 8
    for i in range(links.count()):
        link = links.nth(i)
        target = link.get_attribute("href")
        link.click()
        page.wait_for_function("() => Math.abs(document.querySelector("
                               f"'{target}').getBoundingClientRect().top) < 30")
        assert page.locator("#contents").is_visible()  # the contents stay beside
        if target in ("#shared", "#timeline", "#map"):
            shot(page, target[1:])
    assert asked == [out.as_uri()]  # the page alone: no script, font or picture fetched


def test_a_contents_link_in_the_workspace_keeps_the_report_tab(server: str, page: Any):
    from playwright.sync_api import expect

    page.goto(f"{server}/#/report")
    expect(page.locator("#report-view h1")).to_have_text("tally report")
    page.locator("#report-view #contents a[href='#events']").click()
    events = page.locator("#report-view section#events")
    expect(events).to_be_in_viewport()
    expect(page).to_have_url(re.compile(r"#/report$"))
    expect(page.locator("nav a.active")).to_have_text("Report")
    expect(page.locator("#report-view #timeline svg")).to_be_visible()
    shot(page, "in-workspace")


@pytest.fixture(scope="module")
def many(examples_db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int, float]:
    """About 10,000 claims (TALLY_REPORT_CLAIMS): variants of the examples stored without
    extraction (tests/big_store.py), reconciled; the store, its claims, seconds to build."""
    from tests.big_store import build

    db = str(tmp_path_factory.mktemp("many") / "many.db")
    started = time.perf_counter()
    stored = build(examples_db, db, MANY_CLAIMS)
    return db, stored, time.perf_counter() - started


def test_a_report_of_many_claims_opens(many: tuple[str, int, float], tmp_path: Path,
                                       page: Any, capsys: pytest.CaptureFixture[str]):
    db, stored, built = many
    out = tmp_path / "report.html"
    rendered = write_report(db, out)
    started = time.perf_counter()
    page.goto(out.as_uri(), wait_until="load", timeout=120_000)
    opened = time.perf_counter() - started
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    heading = page.locator("#disagreements h2").inner_text()
    assert int(re.search(r"\((\d+)\)", heading).group(1)) > 100
    shot(page, f"{MANY_CLAIMS // 1000}k-claims")
    with capsys.disabled():
        print(f"\nreport of {stored} claims: store built in {built:.0f} s, report written in "
              f"{rendered:.1f} s, {out.stat().st_size / 1e6:.1f} MB; opened in Chromium in "
              f"{opened:.2f} s (load event at {loaded / 1000:.2f} s)")


# Where a figure's dot is on the timeline's canvas, in page pixels: the Vega view's scene
# walked from its origin (past its padding) through each chart's group; a dot of a claim in a disagreement
# that no dot drawn after it covers, so that the mouse finds that one.
LONE_DISPUTED_DOT = """() => {
  const view = shownCharts.timeline.view;
  const box = document.querySelector("#timeline-chart .marks").getBoundingClientRect();
  const dots = [];
  const walk = (node, x, y) => {
    for (const item of node.items || []) {
      if (node.marktype === "group") {
        for (const child of item.items || []) walk(child, x + (item.x || 0), y + (item.y || 0));
      } else if (node.marktype === "symbol" && item.cursor === "pointer" && item.datum) {
        dots.push({ x: x + item.x, y: y + item.y, d: item.datum });
      }
    }
  };
  const [ox, oy] = view.origin();
  const pad = view.padding();
  walk(view.scenegraph().root, ox + (pad.left || 0), oy + (pad.top || 0));
  const lone = dots.find((a, i) => a.d.disagreements.length && dots.every(
    (b, j) => j <= i || Math.hypot(a.x - b.x, a.y - b.y) > 9));
  return lone && { x: box.left + lone.x, y: box.top + lone.y, id: lone.d.id,
                   text: lone.d.text, source: lone.d.source, dots: dots.length };
}"""


def test_the_workspace_timeline_of_many_claims_draws_on_a_canvas_and_leads_to_evidence(
        many: tuple[str, int, float], page: Any, capsys: pytest.CaptureFixture[str]):
    """The workspace over the 10,000 claims: the timeline opened from another view, then
    as a deep link in a new tab; drawn on a canvas, a dot hovered and clicked. How long
    each took to draw is printed (measured here, not asserted)."""
    from playwright.sync_api import expect

    from tests.conftest import serving

    db, stored, _ = many
    with serving(db) as port:
        base = f"http://127.0.0.1:{port}"
        page.goto(f"{base}/#/disagreements")
        expect(page.locator("#summary")).to_contain_text(f"{stored} claims")
        # the server prepares the timeline once it starts (Workspace.prepare): wait for it,
        # as a user reading the disagreements would
        page.wait_for_timeout(6000)
        started = time.perf_counter()
        page.locator("nav [data-tab=timeline]").click()
        page.wait_for_selector("#timeline-chart[data-draw-ms]", timeout=120_000)
        from_tab = time.perf_counter() - started
        vega_ms = int(page.get_attribute("#timeline-chart", "data-draw-ms") or 0)
        drawn = int(page.get_attribute("#timeline-chart", "data-drawn") or 0)
        assert drawn > stored * 0.9
        expect(page.locator("#timeline-chart canvas")).to_be_visible()
        expect(page.locator("#timeline-note")).to_contain_text(f"{drawn} figures drawn")

        dot = page.evaluate(LONE_DISPUTED_DOT)
        assert dot and dot["dots"] == drawn, dot
        page.mouse.move(dot["x"], dot["y"])
        tip = page.locator("#vg-tooltip-element")
        expect(tip).to_be_visible()
        expect(tip).to_contain_text(dot["text"])
        expect(tip).to_contain_text(dot["source"])
        expect(tip).to_contain_text("in a disagreement")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"workspace-timeline-{MANY_CLAIMS // 1000}k.png"))
        page.mouse.click(dot["x"], dot["y"])
        expect(page).to_have_url(re.compile(rf"#/timeline\?claim={dot['id']}$"))
        panel = page.locator(f"#timeline-evidence .evidence[data-kind=claim][data-id='{dot['id']}']")
        expect(panel.locator(".evidence-disagreements")).to_be_visible()

        fresh = page.context.browser.new_page(viewport={"width": 1366, "height": 900})
        started = time.perf_counter()
        fresh.goto(f"{base}/#/timeline")
        fresh.wait_for_selector("#timeline-chart[data-draw-ms]", timeout=120_000)
        deep_link = time.perf_counter() - started
        fresh.close()
    with capsys.disabled():
        print(f"\nworkspace timeline of {drawn} figures ({stored} claims): drawn in "
              f"{from_tab:.2f} s from the Timeline tab "
              f"(Vega drawing {vega_ms} ms), "
              f"{deep_link:.2f} s as a deep link in a new tab")
