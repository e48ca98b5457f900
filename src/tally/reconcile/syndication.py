"""Passages one outlet took from another: wire copy reprinted and lightly rewritten.

Only sentences that share a figure or a name are compared (an inverted index on those
keys keeps the cost near-linear); a pair counts when rapidfuzz's token_set_ratio reaches
SET_RATIO and the shorter sentence is at least LENGTH_RATIO of the longer, so that a
short sentence contained in a long one does not pass for a copy.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from tally.nlp.sentences import split_cached

SET_RATIO = 80
LENGTH_RATIO = 0.5
OVERLAP = 0.5  # share of the longer sentence's content words found in both
MIN_SHARED_WORDS = 6
MIN_WORDS = 6  # shorter sentences are not compared
MIN_SHARED_KEYS = 2
MAX_KEY_PASSAGES = 200  # a key in more passages than this is no evidence of copying
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
    text: str = ""


@dataclass(frozen=True)
class Copy:
    original: Passage
    copy: Passage
    score: float

    @classmethod
    def from_dict(cls, d: dict) -> Copy:
        o, c = d["original"], d["copy"]
        return cls(Passage(o["doc"], o["start"], o["end"]),
                   Passage(c["doc"], c["start"], c["end"]), d["score"])

    def to_dict(self) -> dict:
        # where the passages are, not their sentences: the texts are in the documents,
        # and a record per pair must stay small when a story is reprinted many times
        return {"original": {"doc": self.original.doc, "start": self.original.start,
                             "end": self.original.end},
                "copy": {"doc": self.copy.doc, "start": self.copy.start, "end": self.copy.end},
                "score": round(self.score, 1)}

    def order(self) -> tuple[str, int, float, str, int]:
        """The order copies are taken in: by copy passage, best first, then by original
        (a total order, so that equal scores link the same figures whatever arrived
        first)."""
        return (self.copy.doc, self.copy.start, -round(self.score, 1), self.original.doc,
                self.original.start)


def _keys(text: str) -> set[str]:
    return {k for k in _KEY.findall(text) if k not in _COMMON}


def _content(text: str) -> frozenset[str]:
    # crude stemming is enough: "killed"/"killing", "soldiers"/"soldier"
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP)


def _stem(word: str) -> str:
    for end in ("ing", "ed", "s"):
        if word.endswith(end):
            return word[:-len(end)]
    return word


@dataclass(frozen=True)
class Features:
    """What comparing a passage needs, computed once per passage, not once per pair."""
    words: int
    numbers: frozenset[str]
    content: frozenset[str]


def features(text: str) -> Features:
    return Features(len(text.split()), frozenset(_NUMBER.findall(text)), _content(text))


def _overlap(a: Features, b: Features) -> float:
    """Paraphrased wire copy keeps most content words of the shorter sentence."""
    shared = len(a.content & b.content)
    if shared < MIN_SHARED_WORDS:
        return 0.0
    # over the longer sentence: a short sentence inside a long one is not a copy of it
    share = shared / max(len(a.content), len(b.content))
    return 100 * share if share >= OVERLAP else 0.0


def passages(doc_id: str, text: str) -> list[tuple[Passage, set[str]]]:
    """The sentences of a document long enough to be compared, with their keys (figures
    and names): only passages sharing two keys are compared."""
    return [(Passage(doc_id, s.start, s.end, s.text), _keys(s.text))
            for s in split_cached(text)  # a stored text is not split again
            if len(s.text.split()) >= MIN_WORDS]


def copy_of_pair(pa: Passage, pb: Passage, fa: Features, fb: Features,
                 order: dict[str, tuple[date, str]]) -> Copy | None:
    """The copy one passage is of the other, or None. The earlier document (by date,
    then id) is the original."""
    wa, wb = fa.words, fb.words
    if min(wa, wb) / max(wa, wb) < LENGTH_RATIO:
        return None
    if (fa.numbers or fb.numbers) and not (fa.numbers & fb.numbers):
        return None  # copies keep their figures; different figures, different statements
    ratio, overlap = fuzz.token_set_ratio(pa.text, pb.text), _overlap(fa, fb)
    if ratio < SET_RATIO and overlap < 100 * OVERLAP:
        return None
    score = max(ratio, overlap)
    first, second = (pa, pb) if order[pa.doc] <= order[pb.doc] else (pb, pa)
    return Copy(first, second, score)


def date_order(day: date | None, doc_id: str) -> tuple[date, str]:
    return (day or date.max, doc_id)


def find_copies(docs: Sequence[tuple[str, str, date | None]],
                focus: set[str] | None = None) -> list[Copy]:
    """docs: (id, text, date). The earlier document (by date, then id) is the original.
    With `focus`, only pairs with a passage of those documents are compared: the copies
    an update adds, when the others are already known."""
    order = {d: date_order(day, d) for d, _, day in docs}
    found: list[Passage] = []
    index: dict[str, list[int]] = defaultdict(list)
    for doc_id, text, _ in docs:
        for p, keys in passages(doc_id, text):
            p_i = len(found)
            found.append(p)
            for k in keys:
                index[k].append(p_i)
    # per passage, the later passages sharing each of its keys, counted in C (Counter)
    # rather than pair by pair
    usable = {k: m for k, m in index.items() if len(m) <= MAX_KEY_PASSAGES}
    keys_of: list[list[str]] = [[] for _ in found]
    for k, members in usable.items():
        for m in members:
            keys_of[m].append(k)
    pairs: list[tuple[int, int]] = []
    for a, shared_keys in enumerate(keys_of):
        if len(shared_keys) < MIN_SHARED_KEYS or (focus is not None and found[a].doc not in focus):
            continue
        counts: Counter[int] = Counter()
        for k in shared_keys:
            members = usable[k]
            if focus is None:
                counts.update(members[bisect_right(members, a):])
            else:  # pairs of two focus passages are counted from the first of them
                counts.update(m for m in members if found[m].doc not in focus or m > a)
        doc = found[a].doc
        pairs.extend((min(a, b), max(a, b)) for b, n in counts.items()
                     if n >= MIN_SHARED_KEYS and found[b].doc != doc)
    feats: dict[int, Features] = {}
    out = []
    for a, b in pairs:
        fa = feats.get(a) or feats.setdefault(a, features(found[a].text))
        fb = feats.get(b) or feats.setdefault(b, features(found[b].text))
        cp = copy_of_pair(found[a], found[b], fa, fb, order)
        if cp is not None:
            out.append(cp)
    return sorted(out, key=Copy.order)
