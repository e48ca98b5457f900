"""The workspace as an analyst moves through it, in real Chromium over the bundled
examples: every place has a URL (reload, back and forward keep it), lists page and count,
an empty answer names its filters, and a document shows its figures and claims. Each test
saves what the analyst saw at 1366×900 under tests/artifacts/."""
from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"


@contextlib.contextmanager
def browser_page(base_url: str) -> Iterator[Any]:
    """A Chromium page at 1366×900 on `base_url`; a script error on it fails the test."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (Debian package chromium; .ci/run installs it)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # shared machines are slow; nothing here is timed
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        pg = browser.new_page(viewport={"width": 1366, "height": 900}, base_url=base_url)
        pg.set_default_timeout(30_000)
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
        browser.close()
        assert not errors, errors


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    with browser_page(server) as pg:
        yield pg


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


@pytest.mark.parametrize("view", ["disagreements", "timeline", "map", "events", "figures",
                                  "add"])
def test_each_tab_opens_from_its_link(page, view):
    from playwright.sync_api import expect

    page.goto(f"/#/{view}")
    expect(page.locator(f"#tab-{view}")).to_be_visible()
    expect(page.locator("nav a.active")).to_have_attribute("data-tab", view)
    page.wait_for_load_state("networkidle")
    if view in ("timeline", "map"):
        drawn(page, view)
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


# --- charts: the timeline, the map, each figure group's values -----------------------------

DISPUTED_MARK = 'path[aria-roledescription=point][aria-label*="in a disagreement"]'
CHOSEN_RING = '[aria-label="chosen"]'


@pytest.fixture(scope="module", autouse=True)
def places_loaded() -> None:
    """The gazetteer's coordinates, read once per process (the map's first answer would
    otherwise wait for them while the browser waits for the map)."""
    from tally.coordinates import locate

    locate(None, None, None)


def drawn(page: Any, view: str) -> int:
    """Wait for the view's chart to be drawn by Vega; how many figures or places it has."""
    box = page.locator(f"#{view}-chart[data-draw-ms]")
    box.wait_for(timeout=120_000)
    return int(box.get_attribute("data-drawn") or 0)


def test_the_timeline_draws_every_figure_and_leads_from_a_disagreement_to_its_sentence(page):
    from playwright.sync_api import expect

    page.goto("/#/timeline?metric=killed")
    n = drawn(page, "timeline")
    expected = page.evaluate("fetch('/api/claims?metric=killed').then(r => r.json())"
                             ".then(b => b.total)")
    assert n == expected  # every killed figure of the examples has a day
    points = page.locator('#timeline-chart path[aria-roledescription=point][aria-label^="killed "]')
    expect(points).to_have_count(n)
    expect(page.locator("#timeline-note")).to_contain_text(f"{n} figures drawn")
    shot(page, "timeline-killed")
    # a figure in a disagreement: its ring, and a click that shows why
    page.locator(f"#timeline-chart {DISPUTED_MARK}").first.dispatch_event("click")
    expect(page).to_have_url(re.compile(r"#/timeline\?metric=killed&claim=\w+$"))
    panel = page.locator("#timeline-evidence .evidence[data-kind=claim]")
    expect(panel.locator(".evidence-disagreements .card.disagreement").first).to_be_visible()
    expect(page.locator(f"#timeline-chart {CHOSEN_RING}").first).to_be_attached()
    shot(page, "timeline-chosen")
    claim = page.url.rsplit("claim=", 1)[1]
    panel.locator(f".evidence-claims li[data-claim='{claim}'] a.doc").click()
    expect(page).to_have_url(re.compile(rf"#/document\?id=.+&claim={claim}$"))
    expect(page.locator("#document-claims .card.claim.focus")).to_be_visible()
    expect(page.locator("#document-text mark.sentence.focus")).to_be_visible()
    page.go_back()
    expect(page.locator("#timeline-evidence .evidence[data-kind=claim]")).to_be_visible()


def test_the_map_places_events_and_leads_from_a_disagreement_to_its_sentence(page):
    from playwright.sync_api import expect

    page.goto("/#/map")
    assert drawn(page, "map") > 3
    events = page.locator('#map-chart path[aria-label^="event at"]')
    expect(events.first).to_be_attached()
    groups = page.locator('#map-chart path[aria-label^="figure group at"]')
    expect(groups.first).to_be_attached()
    page.locator('#map-chart path[aria-label^="event at"][aria-label*="in a disagreement"]'
                 ).first.dispatch_event("click")
    expect(page).to_have_url(re.compile(r"#/map\?event=\w+$"))
    panel = page.locator("#map-evidence .evidence[data-kind=event]")
    card = panel.locator(".evidence-disagreements .card.disagreement").first
    expect(card).to_be_visible()
    expect(page.locator(f"#map-chart {CHOSEN_RING}").first).to_be_attached()
    shot(page, "map-chosen")
    card.locator("li a.doc").first.click()
    expect(page.locator("#document-claims .card.claim.focus")).to_be_visible()
    page.go_back()
    expect(page.locator("#map-evidence .evidence[data-kind=event]")).to_be_visible()


def test_chart_filters_and_the_chosen_item_live_in_the_url(page, client):
    from playwright.sync_api import expect

    conflict = client.get("/api/disagreements", params={"kind": "conflict"}).json()["items"][0]
    page.goto(f"/#/timeline?metric=killed&disagreement={conflict['id']}")
    drawn(page, "timeline")
    panel = page.locator("#timeline-evidence .evidence[data-kind=disagreement]")
    expect(panel).to_contain_text(conflict["why"])
    page.reload()
    expect(page.locator("#f-timeline select[name=metric]")).to_have_value("killed")
    expect(panel).to_contain_text(conflict["why"])
    expect(page.locator(f"#timeline-chart {CHOSEN_RING}").first).to_be_attached()
    # a filter is a new place: what was chosen goes, back brings it again
    page.select_option("#f-timeline select[name=side]", "insurgent")
    expect(page).to_have_url(re.compile(r"#/timeline\?metric=killed&side=insurgent$"))
    drawn(page, "timeline")
    labels = page.locator('#timeline-chart path[aria-label^="killed "]').evaluate_all(
        "ns => ns.map(n => n.getAttribute('aria-label'))")
    assert labels and all("(insurgent)" in t for t in labels)
    page.go_back()
    expect(page.locator("#f-timeline select[name=side]")).to_have_value("")
    expect(panel).to_contain_text(conflict["why"])
    page.go_forward()
    expect(page.locator("#f-timeline select[name=side]")).to_have_value("insurgent")


def test_each_figure_group_is_a_chart_with_an_axis_and_whole_labels(page):
    from playwright.sync_api import expect

    page.goto("/#/figures?metric=killed")
    card = page.locator(".card.group", has_text="Djenne").first
    chart = card.locator(".group-chart svg.marks")
    expect(chart).to_be_visible()
    texts = chart.locator("text").evaluate_all("ns => ns.map(n => n.textContent)")
    assert "killed (security forces)" in texts  # the axis says what is counted
    assert {"military", "JNIM", "local official", "military (2) — copy"} <= set(texts)
    assert {"at least 12", "31", "19"} <= set(texts)  # each value as written
    assert not any(t.endswith("…") for t in texts)  # no label is cut
    assert {"government", "insurgent"} <= set(texts)  # the legend of sides
    card.scroll_into_view_if_needed()
    shot(page, "figures-charts")


def test_an_item_has_a_page_that_leads_to_the_timeline_and_the_map(page):
    from playwright.sync_api import expect

    page.goto("/#/disagreements?kind=conflict")
    page.locator(".card.disagreement a.permalink").first.click()
    expect(page).to_have_url(re.compile(r"#/disagreement\?id=\w+$"))
    expect(page.locator("#item-view .evidence[data-kind=disagreement]")).to_be_visible()
    expect(page.locator("#item-view .evidence-claims li").first).to_be_visible()
    shot(page, "disagreement-item")
    page.locator("#item-view > p a.on-map").click()
    expect(page).to_have_url(re.compile(r"#/map\?metric=\w+&disagreement=\w+$"))
    drawn(page, "map")
    expect(page.locator("#map-evidence .evidence[data-kind=disagreement]")).to_be_visible()
    page.go_back()
    page.locator("#item-view > p a.on-timeline").click()
    drawn(page, "timeline")
    expect(page.locator(f"#timeline-chart {CHOSEN_RING}").first).to_be_attached()


# Sentences written for this test: two accounts of one toll.
MARKET_ARTICLE = ("GAO, March 5 (River Post) - Gunmen opened fire at the cattle market in Gao "
                  "on Monday. The regional governor said 9 people were killed in the shooting. "
                  "A doctor at the town hospital said 15 people were killed and dozens more "
                  "were hurt.")
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Wire</title>
<item><title>Bridge blast in Kunduz</title><link>https://example.org/a</link>
<pubDate>Tue, 04 Jun 2024 08:00:00 GMT</pubDate><description>Police in Kunduz said a
bomb under a bridge killed 4 labourers on Monday.</description></item>
<item><title>Checkpoint raid near Herat</title><link>https://example.org/b</link>
<pubDate>Wed, 05 Jun 2024 08:00:00 GMT</pubDate><description>The governor's office
said 6 guards were wounded when gunmen raided a checkpoint near Herat on Tuesday.
</description></item></channel></rss>"""


def test_adding_articles_leads_to_their_claims_and_new_disagreements(page, tmp_path):
    from playwright.sync_api import expect

    page.goto("/#/add")
    page.fill("#add-form input[name=id]", "gao-market")
    page.fill("#add-form input[name=date]", "2024-03-05")
    page.fill("#add-form textarea[name=text]", MARKET_ARTICLE)
    page.click("#add-form button[type=submit]")
    added = page.locator("#add-result .card.added[data-doc='gao-market']")
    expect(added.locator("li.evidence-claim").first).to_be_visible(timeout=120_000)
    assert {"killed 9", "killed 15"} <= {t.split(" by ")[0] for t in
                                         added.locator("li.evidence-claim strong")
                                         .all_inner_texts()}
    fresh = page.locator("#add-result .added-disagreements .card.disagreement")
    expect(fresh).to_have_count(1)
    expect(fresh).to_contain_text("9")
    expect(fresh).to_contain_text("15")
    shot(page, "add-result")
    feed = tmp_path / "valley.rss"
    feed.write_text(FEED, encoding="utf-8")
    page.set_input_files("#add-files input[name=files]", str(feed))
    page.click("#add-files button[type=submit]")
    expect(page.locator("#add-result .card.added")).to_have_count(2, timeout=120_000)
    expect(page.locator("#add-result")).to_contain_text("Bridge blast in Kunduz")
    expect(page.locator("#add-result .added-disagreements")).to_contain_text(
        "no new disagreement")
    page.locator("#add-result .card.added h3 a.doc", has_text="Bridge blast").click()
    expect(page.locator("#document-claims .card.claim").first).to_contain_text("killed 4")


PAGE = """<html><head><title>Convoy ambush near Mopti</title></head><body><article>
<h1>Convoy ambush near Mopti</h1><p>Gunmen ambushed a supply convoy near Mopti on Sunday,
the regional governor said.</p><p>Seven drivers were killed and three were wounded in
the ambush, the governor told state radio on Monday.</p></article></body></html>"""


def test_adding_articles_by_url(page, tmp_path):
    import functools
    import http.server
    import threading

    from playwright.sync_api import expect

    (tmp_path / "mopti.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{site.server_address[1]}"
    try:
        page.goto("/#/add")
        page.fill("#add-urls textarea[name=urls]", f"# today\n{base}/mopti.html\n{base}/gone.html")
        page.click("#add-urls button[type=submit]")
        added = page.locator("#add-result .card.added")
        expect(added).to_have_count(1, timeout=120_000)
        expect(added).to_contain_text("Convoy ambush near Mopti")
        expect(page.locator("#add-result")).to_contain_text("404")
        shot(page, "add-urls")
        added.locator("h3 a.doc").click()
        expect(page.locator("#document-claims .card.claim").first).to_contain_text("killed Seven")
    finally:
        site.shutdown()
        site.server_close()
