"""The API in process (Starlette's TestClient): strict parameters, the one error shape,
and the guards of the write path (cross-origin, content type, token) and of every answer
(CSP, nosniff, frame-ancestors)."""
from __future__ import annotations


import pytest
from starlette.testclient import TestClient

from tally.web.app import create_app


def error(r) -> str:
    body = r.json()
    assert body["ok"] is False and body["status"] == r.status_code and "\n" not in body["error"]
    return body["error"]


# Strict parameters (issue 11) ---------------------------------------------------------

@pytest.mark.parametrize("path, params, message", [
    ("/api/claims", {"metric": "kiled"}, "metric='kiled' is not one of: killed, wounded"),
    ("/api/claims", {"stance": "denid"}, "stance='denid' is not one of: asserted, denied"),
    ("/api/claims", {"side": "rebels"}, "side='rebels' is not one of: government"),
    ("/api/claims", {"country": "Narnia"}, "country='Narnia' is not a country"),
    ("/api/claims", {"admin1": "XX-1"}, "admin1='XX-1' is not an ISO 3166-2 division code"),
    ("/api/claims", {"since": "2024-03-01", "until": "2024-01-01"},
     "since='2024-03-01' is after until='2024-01-01'"),
    ("/api/claims", {"metirc": "killed"}, "unknown parameter 'metirc': /api/claims takes"),
    ("/api/figures", {"metric": "deaths"}, "metric='deaths' is not one of"),
    ("/api/figures", {"kind": "conflict"}, "unknown parameter 'kind'"),
    ("/api/disagreements", {"kind": "conflicts"}, "(did you mean 'conflict'?)"),
    ("/api/disagreements", {"metric": "killed"}, "unknown parameter 'metric'"),
    ("/api/documents", {"q": "x"}, "unknown parameter 'q': /api/documents takes format"),
    ("/api/summary", {"x": "1"}, "unknown parameter 'x': /api/summary takes none"),
    ("/api/report", {"metric": "kiled"}, "metric='kiled' is not one of"),
    ("/api/claims", {"doc": "a\x00b"}, "doc contains a NUL character"),
    ("/api/claims", {"actor": "\x00"}, "actor contains a NUL character"),
])
def test_unknown_values_and_parameters_are_400(client, path, params, message):
    r = client.get(path, params=params)
    assert r.status_code == 400 and message in error(r)


def test_known_values_still_answer(client):
    assert client.get("/api/claims", params={"country": "Afghanistan"}).json()["total"] > 0
    assert client.get("/api/claims", params={"metric": "KILLED"}).json()["total"] > 0
    r = client.get("/api/claims", params={"since": "1990-01-01"}).json()
    assert r["left_out_undated"] > 0 and r["total"] + r["left_out_undated"] == \
        client.get("/api/claims").json()["total"]


def test_nul_in_a_document_id_is_400(client):
    r = client.get("/api/documents/a%00b")
    assert r.status_code == 400 and "NUL" in error(r)


# Every answer: CSP without inline script, nosniff, no framing ------------------------

ARTICLE = ("Gunmen killed 11 traders at a cattle market near Kano on Thursday, police "
           "spokesman Musa Bello said on Friday.")
JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("GET", "/static/app.js"), ("GET", "/api/summary"),
    ("GET", "/api/claims?metric=kiled"), ("GET", "/api/documents/none"),
    ("GET", "/api/report"), ("POST", "/api/documents"),
])
def test_every_answer_carries_the_security_headers(client, method, path):
    r = client.request(method, path)
    csp = r.headers["content-security-policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_workspace_pages_hold_no_inline_script():
    """What the CSP forbids must not be what the workspace needs."""
    import re

    from tally.web.app import STATIC

    html = (STATIC / "index.html").read_text("utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"\son[a-z]+\s*=", html)  # no onclick= and the like
    assert "javascript:" not in html


# Writes: only from the workspace itself ------------------------------------------------

def count(client) -> int:
    return client.get("/api/summary").json()["documents"]


@pytest.mark.parametrize("headers, status, message", [
    ({"origin": "http://evil.example", **JSON}, 403, "cross-origin write refused"),
    ({"origin": "null", **JSON}, 403, "cross-origin write refused"),
    ({"origin": "http://127.0.0.1:9999", **JSON}, 403, "cross-origin"),
    ({"sec-fetch-site": "cross-site", **JSON}, 403, "cross-site write refused"),
    ({"content-type": "text/plain"}, 415, "writes take a JSON body"),
    ({"content-type": "application/x-www-form-urlencoded"}, 415, "JSON body"),
    ({"content-type": "multipart/form-data; boundary=x"}, 415, "JSON body"),
    ({}, 415, "JSON body"),
])
def test_cross_origin_and_non_json_writes_are_refused(client, headers, status, message):
    before = count(client)
    body = f'{{"id": "evil", "text": "{ARTICLE}"}}'
    r = client.post("/api/documents", content=body, headers=headers)
    assert r.status_code == status and message in error(r)
    assert count(client) == before


def test_same_origin_write_is_stored(client):
    r = client.post("/api/documents", json={"id": "kano", "text": ARTICLE},
                    headers={"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"})
    assert r.status_code == 200 and r.json()["new"] == 1


def test_a_rebinding_host_name_is_refused(client):
    r = client.get("/api/summary", headers={"host": "attacker.example"})
    assert r.status_code == 421 and "is not this server" in error(r)


def test_reachable_server_without_token_does_not_write(store_copy, monkeypatch):
    monkeypatch.delenv("TALLY_TOKEN", raising=False)
    with TestClient(create_app(store_copy, bind="0.0.0.0"), base_url="http://tally.lan") as c:
        assert c.get("/api/summary").status_code == 200  # reads stay open
        r = c.post("/api/documents", json={"text": ARTICLE})
        assert r.status_code == 403 and "writes need TALLY_TOKEN" in error(r)


@pytest.mark.parametrize("headers, status", [
    ({}, 401), ({"authorization": "Bearer wrong"}, 401), ({"x-tally-token": "s3cret-x"}, 401),
    ({"authorization": "Bearer s3cret"}, 200), ({"x-tally-token": "s3cret"}, 200),
])
def test_reachable_server_needs_the_token(store_copy, monkeypatch, headers, status):
    monkeypatch.setenv("TALLY_TOKEN", "s3cret")
    with TestClient(create_app(store_copy, bind="192.168.1.5"),
                    base_url="http://192.168.1.5:8000") as c:
        r = c.post("/api/documents", json={"id": "t", "text": ARTICLE}, headers=headers)
        assert r.status_code == status
        if status == 401:
            assert "writes need the token" in error(r)


def test_token_also_guards_a_loopback_server_when_set(store_copy, monkeypatch):
    monkeypatch.setenv("TALLY_TOKEN", "s3cret")
    with TestClient(create_app(store_copy), base_url="http://127.0.0.1") as c:
        assert c.post("/api/documents", json={"text": ARTICLE}).status_code == 401


# Bodies and paths that used to leave the error shape --------------------------------

def test_declared_huge_body_is_refused_before_reading(client):
    r = client.post("/api/documents", content=b"[]",
                    headers={**JSON, "content-length": str(10 * 1024 ** 3)})
    assert r.status_code == 413 and "too large" in error(r)


def test_deeply_nested_body_is_400(client):
    r = client.post("/api/documents", content=b"[" * 100_000 + b"]" * 100_000, headers=JSON)
    assert r.status_code == 400 and "nested too deeply" in error(r)


def test_nul_in_a_path_is_400(client):
    r = client.get("/static/app%00.js")
    assert r.status_code == 400 and "NUL" in error(r)


def test_nul_in_posted_items_is_removed_and_said(client):
    r = client.post("/api/documents", json=[{"id": "n", "text": "Two\u0000 died."},
                                            {"id": "ok", "text": ARTICLE}])
    body = r.json()
    assert r.status_code == 200 and body["new"] == 2
    assert [p["problem"] for p in body["problems"]] == ["1 NUL characters removed"]


# Exports: no formula runs, no HTML renders ----------------------------------------------

def test_csv_cells_never_start_a_formula():
    import csv
    import io

    from tally.report.output import Format, write

    buf = io.StringIO()
    write([{"a": "=HYPERLINK(\"http://x\",\"y\")", "b": "+1", "c": "-2+3", "d": "@SUM(A1)",
            "e": "\t=1", "f": -5, "g": "plain = text"}], Format.csv, out=buf)
    (row,) = csv.DictReader(io.StringIO(buf.getvalue()))
    assert row == {"a": "'=HYPERLINK(\"http://x\",\"y\")", "b": "'+1", "c": "'-2+3",
                   "d": "'@SUM(A1)", "e": "'\t=1", "f": "-5", "g": "plain = text"}


def test_api_csv_export_neutralises_article_fields(client):
    client.post("/api/documents", json={"id": "=cmd|' /C calc'!A0", "title": "@SUM(1+1)",
                                        "source": "=HYPERLINK(\"http://evil\")",
                                        "text": ARTICLE})
    text = client.get("/api/documents", params={"format": "csv"}).text
    assert "'=cmd" in text and "'@SUM(1+1)" in text and "'=HYPERLINK" in text
    assert "\n=" not in text and ",=" not in text and ",@" not in text


def test_markdown_report_escapes_html(client):
    """Two sources disagree, so the report quotes their sentences, HTML and all."""
    r = client.post("/api/documents", json=[
        {"id": "<script>alert(2)</script>", "date": "2024-03-08", "source": "A Wire",
         "text": "Gunmen killed 11 traders <img src=x onerror=alert(1)> at a cattle market "
                 "near Kano on Thursday, police said."},
        {"id": "b", "date": "2024-03-08", "source": "B Wire",
         "text": "Gunmen killed 19 traders at a cattle market near Kano on Thursday, a local "
                 "official said."}])
    assert r.json()["claims"] == 2
    md = client.get("/api/report", params={"format": "md"}).text
    assert "<img" not in md and "<script" not in md
    assert '"Gunmen killed 11 traders &lt;img src=x onerror=alert(1)&gt; at' in md
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in md


def test_md_text_makes_no_markup():
    from tally.report.render import md_text

    assert md_text("a <b>|[x](javascript:y)\nz & w") == \
        "a &lt;b&gt;\\|\\[x](javascript:y) z &amp; w"
    assert md_text(5) == 5


# A real browser: a page from another origin tries every way to write ----------------

EVIL_PAGE = """<!doctype html><html><body>
<form id="f" method="POST" action="{target}/api/documents" enctype="text/plain">
<input name='{{"id": "evil-form", "text": "Gunmen killed 9 people.", "x": "' value='"}}'></form>
<script>
const body = JSON.stringify({{id: "evil-fetch", text: "Gunmen killed 8 people."}});
Promise.allSettled([
  fetch("{target}/api/documents", {{method: "POST", mode: "no-cors", body,
        headers: {{"content-type": "application/json"}}}}),
  fetch("{target}/api/documents", {{method: "POST", mode: "no-cors", body,
        headers: {{"content-type": "text/plain"}}}}),
  fetch("{target}/api/documents", {{method: "POST", body,
        headers: {{"content-type": "application/json"}}}}),
]).then(() => {{ document.title = "sent"; document.getElementById("f").submit(); }});
</script></body></html>"""


def test_a_page_from_another_origin_cannot_write(server, page, tmp_path):  # noqa: F811
    import http.server
    import json as json_
    import socket
    import threading
    import urllib.error
    import urllib.request

    (tmp_path / "evil.html").write_text(EVIL_PAGE.format(target=server), "utf-8")
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(tmp_path))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{port}/evil.html")
        page.wait_for_url(f"{server}/api/documents", timeout=30_000)  # the form was sent
        assert "write refused" in page.content()
    finally:
        evil.shutdown()
    for doc_id in ("evil-form", "evil-fetch"):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"{server}/api/documents/{doc_id}")
        assert e.value.code == 404
    docs = json_.loads(urllib.request.urlopen(f"{server}/api/documents").read())
    assert not [d for d in docs["items"] if d["id"].startswith("evil")]


from tests.test_web import page  # noqa: E402,F401  (the browser fixture; server is in conftest)
