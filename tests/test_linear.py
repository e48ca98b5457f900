"""Paths that read a text must cost its length, not its length squared: counted in
characters read (a subclass of str counts what its slices and indexes hand out), and
on inputs large enough that a quadratic path would run for hours."""
from __future__ import annotations

from tally.documents.model import Document
from tally.nlp import sentences
from tally.nlp.attribution import quote_depth
from tally.nlp.sentences import split


class Counted(str):
    """A text that counts the characters its slices and indexes return."""

    read = 0

    def __getitem__(self, key):  # type: ignore[override]
        part = str.__getitem__(self, key)
        Counted.read += len(part)
        return part


def counted(text: str) -> Counted:
    Counted.read = 0
    return Counted(text)


def test_many_abbreviation_like_stops_split_in_linear_reads():
    for repeats in (20_000, 40_000):
        text = counted("x. A " * repeats)
        found = split(text)
        # one sentence: every "x." is a lone letter before its stop
        assert [(s.start, s.end) for s in found] == [(0, len(text) - 1)]
        assert Counted.read <= 3 * len(text), Counted.read


def test_abbreviations_still_do_not_end_sentences():
    text = "Gen. Musa said Mr. Ali left at 9 a.m. Monday. Two died. U.S. officials agreed."
    assert [s.text for s in split(text)] == [
        "Gen. Musa said Mr. Ali left at 9 a.m. Monday.", "Two died.",
        "U.S. officials agreed."]


def test_a_megabyte_of_stops_and_of_abbreviations_is_split():
    """Quadratic, either took hours (the issue measured 217 s for 200 KB)."""
    assert len(split("!" * 1_000_000 + " done")) == 1
    text = "Dr. A " * 200_000 + "said. Then two died."
    assert [s.text for s in split(text)][-1] == "Then two died."


def _depths_by_walking(text: str, positions: list[int]) -> list[int]:
    out, curly, straight, at = [], 0, 0, 0
    for pos in positions:
        for ch in text[at:pos]:
            if ch == "“":
                curly += 1
            elif ch == "”":
                curly = max(0, curly - 1)
            elif ch == '"':
                straight ^= 1
        at = pos
        out.append(curly + straight)
    return out


def test_quote_depth_on_one_long_line_reads_it_once():
    unit = 'Gunmen killed 4 guards, police said, and “we will not stop,” a commander said. '
    plain = (unit * 3 + 'A "loose" quote and an open “one ') * 800
    positions = list(range(0, len(plain), 97))
    want = _depths_by_walking(plain, positions)
    text = counted(plain)
    got = [quote_depth(text, 0, p) for p in positions]  # one claim every 97 characters
    assert got == want
    assert Counted.read <= len(text), (Counted.read, len(text))


def test_quote_depth_from_each_paragraph_start():
    text = 'He said “two died.\n“Three,” she said "and more.\nNone “here” now.'
    starts = [0, text.index("\n") + 1, text.rindex("\n") + 1]
    for start in starts:
        for pos in range(start, len(text) + 1):
            assert quote_depth(text, start, pos) == _depths_by_walking(
                text[start:], [pos - start])[0], (start, pos)


def test_reconciling_a_new_document_does_not_split_stored_ones_again(sqlite_url, monkeypatch):
    from tally import pipeline
    from tally.store import open_store

    calls: list[str] = []
    real = sentences.split

    def counting(text: str) -> list[sentences.Sentence]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(sentences, "split", counting)
    stored = [Document(id=f"d{i}", text=f"Gunmen killed {i + 3} guards near the border "
                       f"post on Monday, the provincial police chief said.") for i in range(5)]
    new = Document(id="new", text="Gunmen killed 9 guards near the border post on "
                   "Monday, the provincial police chief said in a statement.")
    with open_store(sqlite_url) as store:
        pipeline.ingest(store, stored, extract=False)
        pipeline.refresh(store, [])
        calls.clear()
        pipeline.ingest(store, [new], extract=False)
        pipeline.refresh(store, ["new"])
    assert calls == [new.text]
