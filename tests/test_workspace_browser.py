"""The workspace as an analyst moves through it, in real Chromium over the bundled
examples: every place has a URL (reload, back and forward keep it), lists page and count,
an empty answer names its filters, and a document shows its figures and claims. Each test
saves what the analyst saw at 1366×900 under tests/artifacts/."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def page(server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (Debian package chromium; .ci/run installs it)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # shared machines are slow; nothing here is timed
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        pg = browser.new_page(viewport={"width": 1366, "height": 900}, base_url=server)
        pg.set_default_timeout(30_000)
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
        browser.close()
        assert not errors, errors


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"workspace-{name}.png"))


def first_column(page: Any, n: int) -> list[str]:
    return page.locator(f"#claims-table tbody td:nth-child({n})").all_inner_texts()


def test_tabs_and_filters_live_in_the_url_through_reload_back_and_forward(page):
    from playwright.sync_api import expect

    page.goto("/")
    expect(page.locator(".card.disagreement").first).to_be_visible()
    page.click("nav a[data-tab=claims]")
    expect(page).to_have_url(re.compile(r"#/claims$"))
    page.fill("#f-claims input[name=metric]", "wounded")
    page.press("#f-claims input[name=metric]", "Enter")
    expect(page).to_have_url(re.compile(r"#/claims\?metric=wounded$"))
    expect(page.locator(".pager .count").first).to_have_text(re.compile(r"rows 1–\d+ of \d+"))
    page.reload()
    expect(page.locator("#f-claims input[name=metric]")).to_have_value("wounded")
    expect(page.locator("#claims-table tbody tr").first).to_be_visible()
    assert set(first_column(page, 2)) == {"wounded"}
    shot(page, "claims-filtered")
    page.go_back()
    expect(page).to_have_url(re.compile(r"#/claims$"))
    expect(page.locator("#f-claims input[name=metric]")).to_have_value("")
    page.go_back()
    expect(page.locator("nav a.active")).to_have_text("Disagreements")
    page.go_forward()
    page.go_forward()
    expect(page.locator("#f-claims input[name=metric]")).to_have_value("wounded")


def test_lists_page_past_the_limit_and_count_every_row(page):
    from playwright.sync_api import expect

    page.goto("/#/claims")
    total = page.evaluate("fetch('/api/claims').then(r => r.json()).then(b => b.total)")
    assert total > 50  # the examples hold more claims than one page
    expect(page.locator(".pager .count").first).to_have_text(f"rows 1–50 of {total}")
    expect(page.locator("#claims-table tbody tr")).to_have_count(50)
    page.locator(".pager a.next").first.click()
    expect(page).to_have_url(re.compile(r"offset=50"))
    expect(page.locator(".pager .count").first).to_have_text(f"rows 51–{total} of {total}")
    expect(page.locator("#claims-table tbody tr")).to_have_count(total - 50)
    expect(page.locator(".pager a.next")).to_have_count(0)
    shot(page, "claims-page-2")
    page.go_back()
    expect(page.locator(".pager .count").first).to_have_text(f"rows 1–50 of {total}")


def test_a_filter_matching_nothing_says_so_and_names_its_filters(page):
    from playwright.sync_api import expect

    page.goto("/#/claims?metric=kidnapped&country=ML")
    empty = page.locator("#claims-list .empty")
    expect(empty).to_contain_text("No claims match")
    expect(empty).to_contain_text("metric=kidnapped")
    expect(empty).to_contain_text("country=ML")
    shot(page, "claims-empty")
    empty.locator("a", has_text="clear filters").click()
    expect(page.locator("#claims-table tbody tr").first).to_be_visible()
    page.goto("/#/events?metric=kidnapped&country=ML")
    expect(page.locator("#events-list .empty")).to_contain_text("No events match")


def test_documents_are_listed_by_title_and_date(page):
    from playwright.sync_api import expect

    page.goto("/#/documents")
    row = page.locator("#documents-list li", has_text="Lower Shabelle").first
    expect(row.locator("a.doc")).to_have_text(
        "Conflicting tolls after al-Shabab storms base in Lower Shabelle")
    expect(row).to_contain_text("2023-09-14 · Horn Observer · 03_shabelle_base_attack · 7 claims")
    expect(page.locator(".pager .count").first).to_have_text("rows 1–14 of 14")
    shot(page, "documents")
    # links elsewhere name documents by title too
    page.goto("/#/disagreements")
    expect(page.locator(".card.disagreement a.doc[data-doc='03_shabelle_base_attack']").first
           ).to_contain_text("Conflicting tolls")


def test_a_document_marks_each_figure_in_its_sentence_beside_its_claims(page):
    from playwright.sync_api import expect

    page.goto("/#/document?id=03_shabelle_base_attack")
    figures = page.locator("#document-text mark.sentence mark.figure")
    expect(figures.first).to_be_visible()
    assert {"seven", "13", "52"} <= set(figures.all_inner_texts())
    cards = page.locator("#document-claims .card.claim")
    expect(cards).to_have_count(7)
    expect(page.locator("#document-disagreements .card.disagreement").first).to_be_visible()
    shot(page, "document")
    # choosing a figure selects its claim: the card lights up, and the URL names it
    figures.filter(has_text=re.compile(r"^13$")).click()
    expect(page).to_have_url(re.compile(r"claim=\w+"))
    focused = page.locator("#document-claims .card.claim.focus")
    expect(focused).to_contain_text("Amina Warsame")
    expect(focused).to_contain_text("killed 13")
    page.reload()
    expect(page.locator("#document-claims .card.claim.focus")).to_contain_text("Amina Warsame")
    expect(page.locator("#document-text mark.sentence.focus")).to_contain_text("13 soldiers")
    shot(page, "document-claim")
    page.click("a.back")
    expect(page.locator("#documents-list li").first).to_be_visible()


def test_a_disagreement_leads_to_its_claim_in_the_document(page):
    from playwright.sync_api import expect

    page.goto("/#/disagreements?kind=conflict")
    card = page.locator(".card.disagreement", has_text="Amina Warsame").first
    card.locator("li", has_text="killed 13").locator("a.doc").click()
    expect(page.locator("#document-claims .card.claim.focus")).to_contain_text("killed 13")
    page.go_back()
    expect(page.locator("#f-disagreements select[name=kind]")).to_have_value("conflict")
    shot(page, "disagreements-conflict")


def test_the_report_opens_inside_the_workspace(page):
    from playwright.sync_api import expect

    page.goto("/#/figures")
    page.click("nav a[data-tab=report]")
    expect(page).to_have_url(re.compile(r"#/report$"))
    expect(page.locator("#report-view h1")).to_have_text("tally report")
    expect(page.locator("nav a.active")).to_have_text("Report")
    shot(page, "report")
    page.go_back()
    expect(page.locator(".card.group").first).to_be_visible()


@pytest.mark.parametrize("view", ["disagreements", "events", "figures", "add"])
def test_each_tab_opens_from_its_link(page, view):
    from playwright.sync_api import expect

    page.goto(f"/#/{view}")
    expect(page.locator(f"#tab-{view}")).to_be_visible()
    expect(page.locator("nav a.active")).to_have_attribute("data-tab", view)
    page.wait_for_load_state("networkidle")
    shot(page, view)


def test_sources_view_lists_each_source_with_its_side_claims_and_disagreements(page):
    from playwright.sync_api import expect

    page.goto("/#/sources?side=independent")
    card = page.locator(".card.source", has_text="Amina Warsame")
    expect(card).to_contain_text("independent")
    expect(card).to_contain_text("2 claims in 1 document")
    expect(card).to_contain_text("part of 2 disagreements: 2 conflict")
    expect(page.locator(".card.source .side.government")).to_have_count(0)
    shot(page, "sources")
    card.locator("a.source").click()
    expect(page).to_have_url(re.compile(r"#/source\?name=Amina\+Warsame$"))
    expect(page.locator("#source-view h2")).to_have_text("Amina Warsame")
    expect(page.locator("#source-claims tbody tr")).to_have_count(2)
    expect(page.locator("#source-disagreements .card.disagreement")).to_have_count(2)
    expect(page.locator("#f-sources")).to_be_hidden()
    shot(page, "source")
    # a disagreement's source leads to the source; back returns to the list as filtered
    page.goto("/#/disagreements")
    page.locator("#disagreements-list a.source", has_text="Abdullahi Roble").first.click()
    expect(page.locator("#source-view h2")).to_have_text("Abdullahi Roble")
    page.go_back()
    expect(page.locator("nav a.active")).to_have_text("Disagreements")


def test_sources_api_answers_as_described(client):
    from tally.web import openapi

    listed = client.get("/api/sources").json()
    openapi.SourcePage.model_validate(listed)
    counts = [s["claims"] for s in listed["items"]]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == client.get("/api/summary").json()["claims"]  # every claim once
    found = client.get("/api/sources", params={"name": "warsame"}).json()["items"]
    assert [s["name"] for s in found] == ["Amina Warsame"]
    one = client.get("/api/sources/Amina Warsame").json()
    openapi.SourceDetail.model_validate(one)
    assert {c["metric"] for c in one["items"]} == {"killed", "wounded"}
    assert all(any(c["id"] in d["claim_ids"] for c in one["items"])
               for d in one["disagreement_items"])
    missing = client.get("/api/sources/nobody at all")
    assert missing.status_code == 404 and "no source named" in missing.json()["error"]
    bad = client.get("/api/sources", params={"side": "rebels"})
    assert bad.status_code == 400
