"""Reading documents: headers, formats, and one clear line for each bad input."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from tally.documents.headers import split_headers
from tally.documents.model import Document
from tally.documents.readers import Notice, read_inputs


def read(*paths: str | Path, **kw) -> tuple[list[Document], list[Notice]]:
    docs, notes = [], []
    for item in read_inputs([str(p) for p in paths], **kw):
        (notes if isinstance(item, Notice) else docs).append(item)
    return docs, notes


@pytest.mark.parametrize("raw, headers, body_start", [
    ("date 2020-06-23 The group said ten were killed.", {"date": "2020-06-23"}, "The group"),
    (" date 2020-06-23 Leading space before the key.", {"date": "2020-06-23"}, "Leading"),
    ("date 2021-10-10\nsource Some Paper\n\nBody here.", {"date": "2021-10-10",
                                                          "source": "Some Paper"}, "Body"),
    ("title: A headline\nurl: https://x.org/a\n\nText.", {"title": "A headline",
                                                          "url": "https://x.org/a"}, "Text."),
    ("Police said four people died.\nMore text.", {}, "Police said"),
])
def test_headers_split_from_body(raw, headers, body_start):
    got, body = split_headers(raw)
    assert got == headers
    assert body.startswith(body_start)


def test_text_file_with_inline_date(tmp_path):
    p = tmp_path / "inline.txt"
    p.write_text("date 2020-06-23 Gunmen killed three guards on Monday.\n\nMore.", "utf-8")
    (doc,), notes = read(p)
    assert notes == []
    assert doc.id == "inline" and doc.date == date(2020, 6, 23)
    assert doc.text.startswith("Gunmen")


def test_missing_path_is_one_line(tmp_path):
    docs, notes = read(tmp_path / "nope.txt")
    assert docs == [] and len(notes) == 1
    assert "nope.txt" in str(notes[0]) and "no such file" in notes[0].problem


def test_directory_without_documents(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    docs, notes = read(tmp_path)
    assert docs == [] and "no readable documents" in notes[0].problem


def test_binary_file_refused_rest_of_batch_read(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "b.txt").write_text("Two soldiers were wounded.", "utf-8")
    docs, notes = read(tmp_path)
    assert [d.id for d in docs] == ["b"]
    assert len(notes) == 1 and "binary" in notes[0].problem and "a.txt" in notes[0].source


def test_invalid_utf8_read_as_cp1252_with_warning(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Caf\u00e9 bombing killed 3 people.".encode("cp1252"))
    (doc,), (note,) = read(p)
    assert not note.fatal and "not valid UTF-8" in note.problem and "cp1252" in note.problem
    assert doc.text.startswith("Café")


def test_empty_document(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n\n", "utf-8")
    (tmp_path / "headers_only.txt").write_text("date 2020-01-01\nsource X\n", "utf-8")
    docs, notes = read(tmp_path / "empty.txt", tmp_path / "headers_only.txt")
    assert docs == [] and len(notes) == 2
    assert all("empty" in n.problem for n in notes)


def test_document_over_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("x" * 2000, "utf-8")
    docs, notes = read(p, max_bytes=1000)
    assert docs == [] and "too large" in notes[0].problem and "--max-bytes" in notes[0].problem


def test_malformed_json_rows_skip_only_that_row(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text('{"id": "r1", "text": "Five were killed."}\n{"id": "r2", "text": \n'
                 '{"id": "r3", "text": "Nine were wounded.", "extra": 7}\n', "utf-8")
    docs, notes = read(p)
    assert [d.id for d in docs] == ["r1", "r3"]
    assert docs[1].meta == {"extra": 7}
    assert len(notes) == 1 and notes[0].source.endswith("rows.jsonl:2")
    assert "malformed JSON" in notes[0].problem


def test_malformed_csv_row(tmp_path):
    p = tmp_path / "rows.csv"
    p.write_text('id,text,date\nc1,"Ten died.",2021-01-02\nc2,"Too","many",fields\n', "utf-8")
    docs, notes = read(p)
    assert [d.id for d in docs] == ["c1"] and docs[0].date == date(2021, 1, 2)
    assert "malformed CSV" in notes[0].problem and notes[0].source.endswith(":3")


def test_unparsable_date_kept_undated(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text('{"id": "d1", "text": "Four were killed.", "date": "yesterday-ish"}\n', "utf-8")
    (doc,), (note,) = read(p)
    assert doc.date is None and "unparsable date" in note.problem and not note.fatal


def test_row_without_text(tmp_path):
    p = tmp_path / "rows.json"
    p.write_text('[{"id": "n1"}, {"id": "n2", "text": "Three were wounded."}]', "utf-8")
    docs, notes = read(p)
    assert [d.id for d in docs] == ["n2"] and "no 'text'" in notes[0].problem


def test_row_without_id_gets_content_hash(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text('{"text": "Seven were killed."}\n', "utf-8")
    (doc,), _ = read(p)
    assert len(doc.id) == 16 and doc.id == doc.hash[:16]


def test_html_page_main_text_title_date(tmp_path):
    p = tmp_path / "page.html"
    p.write_text("""<html><head><title>Blast kills five | Paper</title>
      <meta property="article:published_time" content="2023-04-05T10:00:00Z"></head>
      <body><nav>Home | Sport | Weather</nav><article><h1>Blast kills five</h1>
      <p>A roadside bomb killed five police officers in the north of the country on Tuesday,
      officials said, and wounded three passers-by who were taken to hospital.</p>
      <p>No group said it was behind the blast, the second in the province this month.</p>
      </article><footer>Copyright Paper</footer></body></html>""", "utf-8")
    (doc,), notes = read(p)
    assert doc.date == date(2023, 4, 5)
    assert "roadside bomb killed five" in doc.text and "Copyright" not in doc.text
    assert doc.title and "Blast kills five" in doc.title


def test_feed_entries_become_documents(tmp_path):
    p = tmp_path / "feed.rss"
    p.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Brief</title>
      <item><title>One</title><guid>e1</guid><pubDate>Mon, 03 Jun 2024 10:00:00 GMT</pubDate>
      <description>&lt;p&gt;Six soldiers were killed.&lt;/p&gt;</description></item>
      <item><title>Two</title><guid>e2</guid><pubDate>not a date</pubDate>
      <description>Two civilians were wounded.</description></item>
      </channel></rss>""", "utf-8")
    docs, notes = read(p)
    assert [d.id for d in docs] == ["e1", "e2"]
    assert docs[0].date == date(2024, 6, 3) and docs[0].text == "Six soldiers were killed."
    assert docs[0].source == "Brief"
    assert docs[1].date is None and "unparsable date" in notes[0].problem


def test_stdin_text():
    data = io.BytesIO(b"Gunmen killed 12 villagers on Sunday.")
    (doc,) = [d for d in read_inputs(["-"], stdin=data) if isinstance(d, Document)]
    assert doc.text.startswith("Gunmen") and len(doc.id) == 16


@pytest.mark.parametrize("text, url, expected", [
    ("KABUL, June 14 (Reuters) - Gunmen killed four.", "https://x.org/2019/06/14/story", date(2019, 6, 14)),
    ("Kabul, Feb 1 (Xinhua) -- Nine were wounded.", "https://x.org/world/2021/02/a", date(2021, 2, 1)),
    ("BAMAKO, May 3, 2024 (Sahel Wire) - Soldiers were killed.", None, date(2024, 5, 3)),
    ("KABUL, June 14 (Reuters) - No year anywhere.", None, None),
    ("KABUL, June 14 (Reuters) - URL month differs.", "https://x.org/2019/07/01/a", None),
    ("Gunmen killed four people on June 14.", "https://x.org/2019/06/14/a", None),
])
def test_dateline_date(text, url, expected):
    from tally.documents.dateline import dateline_date

    assert dateline_date(text, url) == expected


def test_text_without_date_header_takes_dateline(tmp_path):
    p = tmp_path / "wire.txt"
    p.write_text("url https://x.org/2019/06/14/a\n\nKABUL, June 14 (Reuters) - Four died.", "utf-8")
    (doc,), _ = read(p)
    assert doc.date == date(2019, 6, 14)
