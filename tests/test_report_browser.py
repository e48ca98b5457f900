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


def test_a_report_of_many_claims_opens(examples_db: str, tmp_path: Path, page: Any,
                                       capsys: pytest.CaptureFixture[str]):
    """About 10,000 claims (TALLY_REPORT_CLAIMS): variants of the examples stored without
    extraction (tests/big_store.py), reconciled, the report written and opened."""
    from tests.big_store import build

    db = str(tmp_path / "many.db")
    started = time.perf_counter()
    stored = build(examples_db, db, MANY_CLAIMS)
    built = time.perf_counter() - started
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
