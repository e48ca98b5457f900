"""The project's text is our own: no run of RUN consecutive words in a string literal, comment,
docstring or document of the project may occur verbatim in an article of ../shared.

The shared articles are other people's writing, read at test time only. Figures and facts in
our examples may be real; the wording must not be theirs. RUN is long enough that ordinary
phrases ('in the first half of the year') do not trip it.
"""
from __future__ import annotations

import io
import json
import re
import tokenize
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED, needs_shared

RUN = 8
# Apostrophes and quotes come in several shapes; a copy may have swapped one for another.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2032": "'", "`": "'"})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
_ESCAPE = re.compile(r"\\[nrt]")
_STRING_BODY = re.compile(r"^[a-zA-Z]*('''|\"\"\"|'|\")(.*)\1$", re.S)

# Project text to scan, under ROOT: code, its data and the example inputs. The gazetteer
# (.tsv) is place names from GeoNames, not prose.
SCANNED = ("src", "tests", "bench", "tools", "examples")
PROSE_SUFFIXES = (".yaml", ".md", ".j2", ".html", ".js", ".txt", ".jsonl", ".csv", ".rss")
THIS_FILE = Path(__file__).resolve()

Word = tuple[str, int]  # a normalised word and the line it is on


def words(text: str, first_line: int = 1) -> list[Word]:
    """The words of `text`, lower-cased, with punctuation and quote shapes dropped."""
    text = _ESCAPE.sub(" ", text.translate(_QUOTES).lower())
    out, line, pos = [], first_line, 0
    for m in _WORD.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        out.append((m.group(), line))
    return out


def runs(ws: list[str], n: int = RUN) -> Iterator[str]:
    for i in range(len(ws) - n + 1):
        yield " ".join(ws[i:i + n])


def corpus_runs(texts: Iterable[str], n: int = RUN) -> set[int]:
    """Hashes of every run of `n` words in `texts` (hashes keep the set small)."""
    return {hash(r) for t in texts for r in runs([w for w, _ in words(t)], n)}


def article_texts(shared: Path) -> Iterator[str]:
    """The other people's text in ../shared: the articles and the rows of the incident tables."""
    for path in sorted(shared.rglob("*")):
        if "tools" in path.relative_to(shared).parts or not path.is_file():
            continue
        if path.suffix == ".txt":
            yield path.read_text(encoding="utf-8", errors="ignore")
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line) if line.strip() else {}
                if isinstance(row.get("text"), str):
                    yield row["text"]


def python_pieces(source: str) -> Iterator[list[Word]]:
    """The prose of a Python file: each string literal (adjacent ones joined, as Python joins
    them) and each block of comments on consecutive lines."""
    strings: list[Word] = []
    comments: list[Word] = []
    last_comment_line = -2
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING:
            m = _STRING_BODY.match(tok.string)
            strings += words(m.group(2) if m else tok.string, tok.start[0])
            continue
        if tok.type == tokenize.COMMENT:
            if tok.start[0] != last_comment_line + 1 and comments:
                yield comments
                comments = []
            comments += words(tok.string.lstrip("#"), tok.start[0])
            last_comment_line = tok.start[0]
        if tok.type not in (tokenize.NL, tokenize.COMMENT) and strings:
            yield strings
            strings = []
    for piece in (strings, comments):
        if piece:
            yield piece


def project_pieces(root: Path) -> Iterator[tuple[str, list[Word]]]:
    for top in SCANNED:
        for path in sorted((root / top).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.resolve() == THIS_FILE or "__pycache__" in rel:
                continue
            if path.suffix == ".py":
                for piece in python_pieces(path.read_text(encoding="utf-8")):
                    yield rel, piece
            elif path.suffix in PROSE_SUFFIXES:
                yield rel, words(path.read_text(encoding="utf-8"))
    yield "README.md", words((root / "README.md").read_text(encoding="utf-8"))


def copied(pieces: Iterable[tuple[str, list[Word]]], corpus: set[int],
           n: int = RUN) -> list[str]:
    """'file:line: words' for each longest stretch of a piece whose every `n`-word run is in
    `corpus`."""
    found = []
    for name, piece in pieces:
        ws = [w for w, _ in piece]
        i = 0
        while i <= len(ws) - n:
            if hash(" ".join(ws[i:i + n])) not in corpus:
                i += 1
                continue
            end = i + n
            while end < len(ws) and hash(" ".join(ws[end - n + 1:end + 1])) in corpus:
                end += 1
            found.append(f"{name}:{piece[i][1]}: {' '.join(ws[i:end])}")
            i = end
    return found


def test_a_copied_run_is_found_and_reported_where_it_is():
    corpus = corpus_runs(["Heavy rain flooded the lower market of Tessaoua overnight and "
                          "washed away two footbridges, the district office said."])
    source = ('"""Handles lines like:\n'
              '    "Rain flooded the lower market of Tessaoua overnight and washed away."\n'
              '"""\n'
              '# the lower market of Tessaoua overnight and washed\n'
              'x = 1  # a sentence of our own about a market that stays open at night\n'
              "SAMPLE = ('The storm flooded the lower market of Tessaoua '\n"
              "          '\u201covernight\u201d and washed nothing else')\n")
    found = copied([("m.py", p) for p in python_pieces(source)], corpus)
    assert found == ["m.py:2: rain flooded the lower market of tessaoua overnight and washed away",
                     "m.py:6: flooded the lower market of tessaoua overnight and washed",
                     "m.py:4: the lower market of tessaoua overnight and washed"]


def test_runs_shorter_than_the_limit_and_our_own_sentences_pass():
    corpus = corpus_runs(["Heavy rain flooded the lower market of Tessaoua overnight."])
    source = ('# Rain flooded the lower market of Tessaoua.\n'
              'NOTE = "Snow closed the upper market of Tessaoua overnight."\n')
    assert copied([("m.py", p) for p in python_pieces(source)], corpus) == []


def test_the_corpus_is_the_articles_and_the_table_rows(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("An article's own words.", "utf-8")
    (tmp_path / "rows.jsonl").write_text('{"id": 1, "text": "A row of a table."}\n\n'
                                         '{"id": 2, "fatalities": 3}\n', "utf-8")
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "notes.txt").write_text("The scorer's notes.", "utf-8")
    assert list(article_texts(tmp_path)) == ["An article's own words.", "A row of a table."]


@needs_shared()
def test_no_project_text_repeats_a_shared_article():
    corpus = corpus_runs(article_texts(SHARED))
    if not corpus:
        pytest.skip(f"no articles found under {SHARED}")
    found = copied(project_pieces(ROOT), corpus)
    assert not found, (f"{len(found)} runs of {RUN} words copied from a shared article; "
                       "write these in our own words:\n" + "\n".join(found))
