"""Passages one outlet took from another: wire copy reprinted and lightly rewritten.

Only sentences that share a figure or a name are compared (an inverted index on those
keys keeps the cost near-linear); a pair counts when rapidfuzz's token_set_ratio reaches
SET_RATIO and the shorter sentence is at least LENGTH_RATIO of the longer, so that a
short sentence contained in a long one does not pass for a copy.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from tally.nlp.sentences import split_cached

SET_RATIO = 80
LENGTH_RATIO = 0.5
OVERLAP = 0.5  # share of the longer sentence's content words found in both
MIN_SHARED_WORDS = 6
_STOP = set("""a an the of to in on at for by with from and or but as is was were are be been
has have had that this these those it its their they he she his her which who whom after
before over under about into than then also said says told says would will could not no
more most some such there here while when where""".split())
_NUMBER = re.compile(r"\b\d[\d,]*\b")
_WORD = re.compile(r"[a-z][a-z'-]+|\d[\d,.]*")
_KEY = re.compile(r"\b\d[\d,.]*\b|\b[A-Z][a-z]{2,}\b")
_COMMON = {"The", "This", "That", "They", "There", "Their", "But", "And", "After", "When",
           "While", "Meanwhile", "However", "President", "Monday", "Tuesday", "Wednesday",
           "Thursday", "Friday", "Saturday", "Sunday", "According"}


@dataclass(frozen=True)
class Passage:
    doc: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Copy:
    original: Passage
    copy: Passage
    score: float

    @classmethod
    def from_dict(cls, d: dict) -> Copy:
        o, c = d["original"], d["copy"]
        return cls(Passage(o["doc"], o["start"], o["end"], o["sentence"]),
                   Passage(c["doc"], c["start"], c["end"], c["sentence"]), d["score"])

    def to_dict(self) -> dict:
        return {"original": {"doc": self.original.doc, "start": self.original.start,
                             "end": self.original.end, "sentence": self.original.text},
                "copy": {"doc": self.copy.doc, "start": self.copy.start, "end": self.copy.end,
                         "sentence": self.copy.text},
                "score": round(self.score, 1)}


def _keys(text: str) -> set[str]:
    return {k for k in _KEY.findall(text) if k not in _COMMON}


def _content(text: str) -> set[str]:
    # crude stemming is enough: "killed"/"killing", "soldiers"/"soldier"
    return {re.sub(r"(ing|ed|s)$", "", w) for w in _WORD.findall(text.lower()) if w not in _STOP}


def _overlap(a: str, b: str) -> float:
    """Paraphrased wire copy keeps most content words of the shorter sentence."""
    ca, cb = _content(a), _content(b)
    shared = ca & cb
    if len(shared) < MIN_SHARED_WORDS:
        return 0.0
    # over the longer sentence: a short sentence inside a long one is not a copy of it
    share = len(shared) / max(len(ca), len(cb))
    return 100 * share if share >= OVERLAP else 0.0


def find_copies(docs: Sequence[tuple[str, str, date | None]],
                focus: set[str] | None = None) -> list[Copy]:
    """docs: (id, text, date). The earlier document (by date, then id) is the original.
    With `focus`, only pairs with a passage of those documents are compared: the copies
    an update adds, when the others are already known."""
    order = {d: (day or date.max, d) for d, _, day in docs}
    passages: list[Passage] = []
    index: dict[str, list[int]] = defaultdict(list)
    for doc_id, text, _ in docs:
        for s in split_cached(text):  # a stored text is not split again
            if len(s.text.split()) < 6:
                continue
            p_i = len(passages)
            passages.append(Passage(doc_id, s.start, s.end, s.text))
            for k in _keys(s.text):
                index[k].append(p_i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in index.values():
        if len(members) > 200:
            continue  # a key in everything ("Afghanistan") says nothing
        if focus is not None:
            mine = [m for m in members if passages[m].doc in focus]
            for a in mine:
                for b in members:
                    if passages[a].doc != passages[b].doc and \
                            (passages[b].doc not in focus or a < b):
                        shared[(min(a, b), max(a, b))] += 1
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if passages[a].doc != passages[b].doc:
                    shared[(min(a, b), max(a, b))] += 1
    out = []
    for (a, b), n in shared.items():
        if n < 2:
            continue
        pa, pb = passages[a], passages[b]
        wa, wb = len(pa.text.split()), len(pb.text.split())
        if min(wa, wb) / max(wa, wb) < LENGTH_RATIO:
            continue
        na, nb = set(_NUMBER.findall(pa.text)), set(_NUMBER.findall(pb.text))
        if (na or nb) and not (na & nb):
            continue  # copies keep their figures; different figures, different statements
        ratio, overlap = fuzz.token_set_ratio(pa.text, pb.text), _overlap(pa.text, pb.text)
        if ratio < SET_RATIO and overlap < 100 * OVERLAP:
            continue
        score = max(ratio, overlap)
        first, second = (pa, pb) if order[pa.doc] <= order[pb.doc] else (pb, pa)
        out.append(Copy(first, second, score))
    return sorted(out, key=lambda c: (c.copy.doc, c.copy.start, -c.score))
