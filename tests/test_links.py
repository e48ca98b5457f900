"""Articles read from a list of URLs: a real HTTP server on loopback (http.server) serving
pages and a feed written for these tests, URL-list files with paths and file:// URLs, and
every line that cannot be read named alone."""
from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tally.cli import app
from tally.documents.links import read_url_list, read_urls
from tally.documents.model import Document
from tally.documents.readers import Notice, read_inputs, read_upload
from tally.store import open_store

PAGE = b"""<html><head><title>Checkpoint attack in Baidoa</title>
<meta property="article:published_time" content="2024-03-05"></head><body><article>
<h1>Checkpoint attack in Baidoa</h1>
<p>Gunmen attacked a police checkpoint outside Baidoa on Monday night, the regional
police commander said.</p>
<p>Four policemen died in the raid and two more were wounded, the commander,
Colonel Aden Warsame, told reporters on Tuesday.</p>
<p>Residents said the fighting lasted for more than an hour before the attackers fled
towards the villages west of the town.</p></article></body></html>"""

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Lakeside Wire</title>
<item><title>Market blast</title><link>http://example.test/market</link>
<guid>lakeside-market-1</guid><pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate>
<description>A bomb hidden in a cart exploded at a market in Maiduguri on Monday, killing
nine traders, a hospital official said.</description></item>
</channel></rss>"""

NOTE = b"Three soldiers were wounded near Gao on Sunday, the army said in a statement.\n"


class _Pages(http.server.BaseHTTPRequestHandler):
    routes = {"/news/baidoa": ("text/html; charset=utf-8", PAGE),
              "/feed": ("application/rss+xml", FEED),
              "/note.txt": ("application/octet-stream", NOTE)}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/news/baidoa")
            self.end_headers()
            return
        if self.path not in self.routes:
            self.send_error(404, "Not Found")
            return
        ctype, body = self.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def _split(items):
    items = list(items)
    return ([i for i in items if isinstance(i, Document)],
            [i for i in items if isinstance(i, Notice)])


def test_pages_feeds_and_files_in_one_list(site: str, tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "gao.txt").write_text(
        "date 2024-03-03\n\nThree soldiers were wounded near Gao on Sunday, the army said.\n")
    (tmp_path / "kidal.md").write_text("Two civilians were killed in Kidal, a local "
                                       "official said on Friday.\n")
    listing = tmp_path / "reading.urls"
    listing.write_text(f"# this week\n{site}/news/baidoa\n\n{site}/feed\n"
                       f"notes/gao.txt\nfile://{tmp_path / 'kidal.md'}\n")
    docs, notices = _split(read_inputs([str(listing)]))
    assert not notices
    by_id = {d.id: d for d in docs}
    page = by_id[f"{site}/news/baidoa"]
    assert page.url == f"{site}/news/baidoa" and page.title == "Checkpoint attack in Baidoa"
    assert "Colonel Aden Warsame" in page.text
    assert by_id["lakeside-market-1"].source == "Lakeside Wire"
    assert str(by_id["gao"].date) == "2024-03-03"
    assert "Kidal" in by_id["kidal"].text
    assert len(docs) == 4


def test_each_bad_line_is_named_and_the_rest_read(site: str, tmp_path: Path) -> None:
    listing = tmp_path / "mixed.urls"
    listing.write_text(f"{site}/gone\nhttp://127.0.0.1:9/closed\nftp://example.test/a\n"
                       f"missing.txt\nnotes\n{site}/moved\n")
    (tmp_path / "notes").mkdir()
    docs, notices = _split(read_inputs([str(listing)]))
    assert [d.id for d in docs] == [f"{site}/news/baidoa"]  # the redirect's target
    lines = {n.source.split(" ")[0]: n.problem for n in notices}
    assert set(lines) == {f"{listing}:{n}" for n in range(1, 6)}
    assert "404" in lines[f"{listing}:1"]
    assert "cannot be fetched" in lines[f"{listing}:2"]
    assert "unsupported URL scheme 'ftp'" in lines[f"{listing}:3"]
    assert lines[f"{listing}:4"] == "no such file"
    assert "not a file" in lines[f"{listing}:5"]


def test_an_empty_list_and_a_type_by_suffix(site: str) -> None:
    docs, notices = _split(read_url_list("empty.urls", "# nothing yet\n\n", 10_000))
    assert not docs and "names no URL" in notices[0].problem
    # application/octet-stream says nothing: the .txt suffix makes it a text article.
    docs, notices = _split(read_urls([f"{site}/note.txt"], 10_000))
    assert not notices and docs[0].text.startswith("Three soldiers")
    docs, notices = _split(read_urls([f"{site}/news/baidoa"], 100))
    assert not docs and "too large" in notices[0].problem


def test_an_uploaded_list_reads_no_local_file(site: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Five people were killed in a raid, a witness said.\n")
    docs, notices = _split(read_upload(
        "list.urls", f"{site}/news/baidoa\n{secret}\nfile://{secret}\n".encode(), 100_000))
    assert [d.id for d in docs] == [f"{site}/news/baidoa"]
    assert len(notices) == 2 and all("only http" in n.problem for n in notices)


def test_cli_ingests_a_list_and_a_second_read_adds_nothing(site: str, tmp_path: Path) -> None:
    listing = tmp_path / "today.urls"
    listing.write_text(f"{site}/news/baidoa\n{site}/feed\n{site}/gone\n")
    db = str(tmp_path / "t.db")
    first = CliRunner().invoke(app, ["ingest", str(listing), "--db", db])
    assert first.exit_code == 1, first.output  # as for any batch with a failed input
    assert "today.urls:3" in first.output and "404" in first.output
    store = open_store(db)
    assert {d.id for d in store.documents()} == {f"{site}/news/baidoa", "lakeside-market-1"}
    killed = {(c["value"]["low"], c["doc"]) for c in store.claims() if c["metric"] == "killed"}
    assert (4, f"{site}/news/baidoa") in killed and (9, "lakeside-market-1") in killed
    again = CliRunner().invoke(app, ["ingest", str(listing), "--db", db])
    assert again.exit_code == 1 and "2 already stored" in again.output, again.output
    assert len(open_store(db).documents()) == 2


def test_api_reads_urls_and_refuses_local_files(client, site: str) -> None:
    r = client.post("/api/urls", json={"urls": [f"{site}/news/baidoa", "/etc/hostname",
                                                f"{site}/gone"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["new"] == 1 and body["documents"] == [f"{site}/news/baidoa"]
    problems = {p["input"].split(" (")[0]: p["problem"] for p in body["problems"]}
    assert "only http" in problems["url 1"] and "404" in problems["url 2"]
    assert body["claims"] >= 1
    bad = client.post("/api/urls", json={"urls": []})
    assert bad.status_code == 400 and "no URL" in bad.json()["error"]
    nothing = client.post("/api/urls", json={"urls": ["file:///etc/passwd"]})
    assert nothing.status_code == 400
