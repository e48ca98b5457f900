"""The JSON API (Starlette's TestClient) and the workspace in a real browser (Debian's
chromium driven by Playwright), both over a real SQLite store of the bundled examples."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tally.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTICLE = ("KANO, Nigeria — Gunmen killed 11 traders at a cattle market near Kano on "
           "Thursday, police spokesman Musa Bello said on Friday.")


def test_summary_and_filters(client):
    s = client.get("/api/summary").json()
    assert s["documents"] == 14 and s["claims"] > 30 and s["disagreements"]["denial"] >= 1
    killed = client.get("/api/claims", params={"metric": "killed"}).json()
    assert killed["total"] > 0 and {c["metric"] for c in killed["items"]} == {"killed"}
    page = client.get("/api/claims", params={"limit": 2, "offset": 1}).json()
    assert len(page["items"]) == 2 and page["total"] == s["claims"]
    denials = client.get("/api/disagreements", params={"kind": "denial"}).json()["items"]
    assert denials and {d["kind"] for d in denials} == {"denial"}
    assert all(c["sentence"] for d in denials for c in d["claims"])
    shared = client.get("/api/figures", params={"min_sources": 2}).json()["items"]
    assert all(g["independent_sources"] >= 2 for g in shared)


@pytest.mark.parametrize("path, params, message", [
    ("/api/claims", {"since": "2024-02-30"}, "since='2024-02-30' is not a date"),
    ("/api/claims", {"limit": "many"}, "limit='many' is not a whole number"),
    ("/api/disagreements", {"kind": "quarrel"}, "kind='quarrel' is not one of"),
    ("/api/report", {"format": "pdf"}, "format must be html or md"),
])
def test_bad_parameters_get_one_clear_message(client, path, params, message):
    r = client.get(path, params=params)
    assert r.status_code == 400 and message in r.json()["error"]
    assert r.json()["ok"] is False and r.json()["status"] == 400  # the one error shape


def test_unknown_document_is_404(client):
    r = client.get("/api/documents/no-such-doc")
    assert r.status_code == 404 and "no-such-doc" in r.json()["error"]


def test_document_with_its_claims(client):
    d = client.get("/api/documents/03_shabelle_base_attack").json()
    assert d["text"].startswith("MOGADISHU")
    for c in d["claims"]:
        ev = c["evidence"]
        assert d["text"][ev["start"]:ev["end"]] == ev["sentence"]


def test_post_documents_stores_good_items_and_names_bad_ones(client):
    before = client.get("/api/summary").json()
    r = client.post("/api/documents", json=[
        {"id": "kano-1", "date": "2024-03-08", "source": "Test Wire", "text": ARTICLE},
        {"id": "empty", "text": "   "},
        "not an object",
        {"id": "late", "date": "2024-13-01", "text": "Police arrested 6 suspects in Kano."},
    ])
    body = r.json()
    assert r.status_code == 200
    assert body["new"] == 2 and body["documents"] == ["kano-1", "late"]
    problems = {p["input"]: p["problem"] for p in body["problems"]}
    assert problems["item 1"] == "row has an empty 'text'"
    assert "expected an object" in problems["item 2"]
    assert "unparsable date '2024-13-01'" in problems["item 3"]
    claims = client.get("/api/claims", params={"doc": "kano-1"}).json()["items"]
    assert [(c["metric"], c["value"]["low"]) for c in claims] == [("killed", 11)]
    assert claims[0]["period"]["start"] == "2024-03-07"
    # the same content again is kept once
    again = client.post("/api/documents", json={"id": "kano-1", "date": "2024-03-08",
                                                "source": "Test Wire", "text": ARTICLE}).json()
    assert again["same"] == 1 and again["new"] == 0
    after = client.get("/api/summary").json()
    assert after["documents"] == before["documents"] + 2


@pytest.mark.parametrize("body, message", [
    (b"{not json", "request body is not valid JSON"),
    (b"[]", "request body holds no document"),
    (b'{"id": "x"}', None),
])
def test_post_bad_bodies(client, body, message):
    r = client.post("/api/documents", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400
    if message:
        assert message in r.json()["error"]
    else:
        assert r.json()["problems"][0]["problem"] == "row has no 'text'"


def test_report_endpoint(client):
    r = client.get("/api/report", params={"format": "md"})
    assert r.status_code == 200 and r.text.startswith("# tally report")


# A real browser --------------------------------------------------------------------------

# Each browser test leaves the page as it ended, for a person to look at.
SCREENSHOTS = Path(os.environ.get("TALLY_SCREENSHOTS", Path(tempfile.gettempdir()) /
                                  "tally-screenshots"))


@pytest.fixture
def page(server, request):
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (Debian package chromium; .ci/run installs it)")
    from playwright.sync_api import expect, sync_playwright

    # generous waits: CI machines are shared, and the first posted article loads the model
    expect.set_options(timeout=30_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        pg = browser.new_page()
        pg.set_default_timeout(30_000)
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(server)
        yield pg
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
        browser.close()
        assert not errors, errors


def test_workspace_shows_disagreements_and_filters_them(page):
    from playwright.sync_api import expect

    expect(page.locator("#summary")).to_contain_text("14 documents")
    cards = page.locator(".card.disagreement")
    expect(cards.first).to_be_visible()
    conflict = cards.filter(has_text="Amina Warsame").filter(has_text="seven killed")
    expect(conflict).to_contain_text("bodies of 13 soldiers")
    page.select_option("#f-disagreements select[name=kind]", "denial")
    expect(page.locator(".card.disagreement[data-kind=conflict]")).to_have_count(0)
    expect(page.locator(".card.disagreement[data-kind=denial]").first).to_be_visible()


def test_workspace_opens_a_document_with_its_evidence_marked(page):
    from playwright.sync_api import expect

    page.locator(".card.disagreement a.doc[data-doc='03_shabelle_base_attack']").first.click()
    expect(page.locator("#tab-documents")).to_be_visible()
    marks = page.locator("#document-text mark.sentence")
    expect(marks.first).to_contain_text("killing seven soldiers")
    # the document opens on the sentence the link came from
    page.click("nav a[data-tab=disagreements]")
    card = page.locator(".card.disagreement", has_text="Amina Warsame").first
    card.locator("li", has_text="killed 13").locator("a.doc").click()
    expect(page.locator("#document-text mark.sentence.focus")).to_contain_text(
        "bodies of 13 soldiers")


def test_workspace_figures_draw_each_sources_value(page):
    from playwright.sync_api import expect

    page.click("nav a[data-tab=figures]")
    card = page.locator(".card.group", has_text="Amina Warsame").first
    bars = card.locator(".group-chart svg.marks path[aria-roledescription=bar]")
    expect(bars).to_have_count(3)
    widths = bars.evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert widths[2] > widths[1] > widths[0] > 0  # 52 > 13 > 7, on one scale


def test_workspace_claims_filter_and_bad_date(page):
    from playwright.sync_api import expect

    page.click("nav a[data-tab=claims]")
    page.fill("#f-claims input[name=metric]", "wounded")
    page.press("#f-claims input[name=metric]", "Enter")
    # the tab first shows every claim; wait for the filtered answer to replace them
    page.wait_for_function(
        "() => { const cells = [...document.querySelectorAll("
        "'#claims-table tbody tr td:nth-child(2)')];"
        " return cells.length > 0 && cells.every(c => c.textContent.trim() === 'wounded'); }")
    page.fill("#f-claims input[name=since]", "2024-02-30")
    page.press("#f-claims input[name=since]", "Enter")
    expect(page.locator("#claims-error")).to_contain_text("is not a date")


def test_workspace_adds_an_article(page):
    from playwright.sync_api import expect

    page.click("nav a[data-tab=add]")
    page.fill("#add-form input[name=date]", "2024-03-08")
    page.fill("#add-form textarea[name=text]", ARTICLE)
    page.click("#add-form button[type=submit]")
    expect(page.locator("#add-result")).to_contain_text("1 new")
    expect(page.locator("#add-result .added-counts")).to_contain_text("1 claim")
    expect(page.locator("#summary")).to_contain_text("15 documents")
    # the answer leads to the new document, its figure marked in its sentence
    page.locator("#add-result .card.added h3 a.doc").click()
    expect(page.locator("#document-text mark.sentence mark.figure")).to_have_text("11")
    expect(page.locator("#document-claims .card.claim")).to_contain_text("Musa Bello")


def test_api_over_postgresql(pg_url):
    """Teams run the workspace over PostgreSQL: the same API, a real server."""
    with TestClient(create_app(pg_url), base_url="http://127.0.0.1") as c:
        r = c.post("/api/documents", json={"id": "kano-pg", "date": "2024-03-08", "text": ARTICLE})
        assert r.status_code == 200 and r.json()["new"] == 1
        claims = c.get("/api/claims", params={"doc": "kano-pg"}).json()["items"]
        assert [(x["metric"], x["value"]["low"]) for x in claims] == [("killed", 11)]
        assert c.get("/api/summary").json()["documents"] == 1
        doc = c.get("/api/documents/kano-pg").json()
        assert doc["text"] == ARTICLE and len(doc["claims"]) == 1


def test_post_too_large_is_refused_and_nothing_is_stored(client, monkeypatch):
    monkeypatch.setenv("TALLY_MAX_BYTES", "1000")  # so the limit is 20,000 bytes
    before = client.get("/api/summary").json()["documents"]
    r = client.post("/api/documents", json=[{"text": "Gunmen killed 3 people. " * 100}] * 10)
    assert r.status_code == 413 and "request body too large" in r.json()["error"]
    small = client.post("/api/documents", json={"id": "ok", "text": "Gunmen killed 3 people."})
    assert small.status_code == 200
    big_item = client.post("/api/documents", json={"id": "big", "text": "x " * 600})
    assert "row text too large" in big_item.json()["problems"][0]["problem"]
    assert client.get("/api/summary").json()["documents"] == before + 1


def test_lists_download_as_csv_with_the_same_filters(client):
    import csv
    import io

    r = client.get("/api/claims", params={"metric": "killed", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="tally-claims.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    total = client.get("/api/claims", params={"metric": "killed"}).json()["total"]
    assert len(rows) == total > 0 and {row["metric"] for row in rows} == {"killed"}
    assert {"value_low", "speaker", "sentence", "period_start"} <= set(rows[0])  # export columns
    bad = client.get("/api/claims", params={"format": "xls"})
    assert bad.status_code == 400 and "not json or csv" in bad.json()["error"]


def test_workspace_events_show_each_incident_and_filter(page):
    from playwright.sync_api import expect

    page.click("nav a[data-tab=events]")
    mali = page.locator(".card.event", has_text="Djenne").first
    expect(mali).to_contain_text("killed:")
    expect(mali.locator("a.doc")).to_have_count(2)  # the wire story and its reprint
    page.fill("#f-events input[name=country]", "Somalia")
    page.press("#f-events input[name=country]", "Enter")
    page.wait_for_function(
        "() => { const cards = [...document.querySelectorAll('.card.event')];"
        " return cards.length > 0 && cards.every(c => c.textContent.includes('SO')); }")
    assert "country=Somalia" in page.get_attribute("#events-csv", "href")
    page.fill("#f-events input[name=country]", "Narnia")
    page.press("#f-events input[name=country]", "Enter")
    expect(page.locator("#events-error")).to_contain_text("is not a country")


def test_workspace_csv_link_follows_the_filters(page):
    page.click("nav a[data-tab=claims]")
    page.fill("#f-claims input[name=metric]", "wounded")
    page.press("#f-claims input[name=metric]", "Enter")
    page.wait_for_function(
        "document.getElementById('claims-csv').href.includes('metric=wounded')")
    href = page.get_attribute("#claims-csv", "href")
    assert href.startswith("/api/claims?format=csv&") and "metric=wounded" in href


def test_events_and_their_filters(client):
    found = client.get("/api/events").json()
    assert found["total"] > 0 and all(e["claim_ids"] for e in found["items"])
    mali = client.get("/api/events", params={"country": "ML"}).json()["items"]
    assert mali and {e["country"] for e in mali} == {"ML"}
    dated = client.get("/api/events", params={"since": "2024-01-01"}).json()
    assert "left_out_undated" in dated
    r = client.get("/api/events", params={"metric": "kiled"})
    assert r.status_code == 400 and "metric='kiled' is not one of" in r.json()["error"]


def test_api_csv_and_exports_have_the_cli_columns(client, store_copy, tmp_path):
    import csv as csv_
    import io as io_

    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from tally.cli import app

    for table, path in (("claims", "/api/claims"), ("figures", "/api/figures"),
                        ("disagreements", "/api/disagreements"), ("events", "/api/events")):
        api = client.get(path, params={"format": "csv"}).text
        exported = client.get(f"/api/export/{table}", params={"format": "csv"}).text
        out = tmp_path / f"{table}.csv"
        CliRunner().invoke(app, ["export", table, "--db", store_copy, "--out", str(out)])
        cli = out.read_bytes().decode("utf-8")  # as written: CRLF rows
        assert api == exported == cli, table
        assert next(csv_.reader(io_.StringIO(api)))[0] == "id"
    r = client.get("/api/export/events", params={"format": "parquet"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    (tmp_path / "e.parquet").write_bytes(r.content)
    assert pq.read_table(tmp_path / "e.parquet").num_rows > 0
    acled = client.get("/api/export/events", params={"format": "acled"}).text
    assert acled.startswith("event_id_cnty,event_date,year,")
    for params, message in (({"format": "xls"}, "format='xls' is not one of"),):
        bad = client.get("/api/export/claims", params=params)
        assert bad.status_code == 400 and message in bad.json()["error"]
    assert client.get("/api/export/claim").json()["error"].startswith("table 'claim'")
    assert client.get("/api/export/claims", params={"format": "acled"}).status_code == 400


def test_no_internal_fields_in_answers(client):
    d = client.get("/api/documents/03_shabelle_base_attack").json()
    assert not {"pk", "origin"} & set(d)  # no database key, no server path
    groups = client.get("/api/figures").json()["items"]
    found = client.get("/api/disagreements").json()["items"]
    assert groups and found
    assert all("key" not in g and all("key" not in v for v in g["values"]) for g in groups)
    assert all(c["id"] and "key" not in c for r in found for c in r["claims"])
