"""Figures in a parsed sentence: the number as written, its value and its hedge.

"at least 291" -> (291, None, at_least); "15 to 20" -> (15, 20, range); "dozens" ->
(24, None, vague); "two dozen" -> (24, 24, exact). Which figures are claims is decided
later, from what they count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

UNITS = {"zero": 0, "no": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
         "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
         "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
         "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
         "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000,
          "dozen": 12}
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000,
         "tens of thousands": 20000, "hundreds of thousands": 200000, "millions": 2_000_000,
         "several dozen": 24, "a few dozen": 24}
# Hedges before the number, longest first; value is the qualifier.
HEDGES_BEFORE = [
    ("no fewer than", "at_least"), ("no less than", "at_least"), ("at least", "at_least"),
    ("a minimum of", "at_least"), ("more than", "more_than"), ("upwards of", "more_than"),
    ("in excess of", "more_than"), ("over", "more_than"), ("above", "more_than"),
    ("as many as", "up_to"), ("up to", "up_to"), ("at most", "up_to"),
    ("fewer than", "fewer_than"), ("less than", "fewer_than"), ("under", "fewer_than"),
    ("approximately", "about"), ("about", "about"), ("around", "about"),
    ("roughly", "about"), ("nearly", "about"), ("almost", "about"), ("some", "about"),
    ("an estimated", "about"), ("estimated", "about"), ("close to", "about"),
    ("just over", "more_than"), ("just under", "fewer_than"), ("well over", "more_than"),
    # a tally that "exceeded 14,000" is more than 14,000
    ("exceeded", "more_than"), ("exceeds", "more_than"), ("exceeding", "more_than"),
    ("surpassed", "more_than"), ("topped", "more_than"), ("exactly", "exact"),
    ("precisely", "exact"),
]
HEDGES_AFTER = [("or more", "at_least"), ("or so", "about"), ("-plus", "more_than"),
                ("plus", "more_than")]
ARTICLES = {"a", "an", "another"}  # "a dozen", "another hundred"
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$|^\d+\.\d+$")
_RANGE_TOKEN = re.compile(r"^(\d[\d,]*)\s*[-–]\s*(\d[\d,]*)$")


@dataclass(frozen=True)
class Figure:
    start: int  # token index of the first token of the figure text (hedge included)
    end: int  # token index after the last
    num_start: int  # the number itself, without hedge
    num_end: int
    low: int | None
    high: int | None
    qualifier: str
    text: str

    def head(self, sent: Span) -> Token:
        """The token through which the figure attaches to the sentence ("15 and 20": 15)."""
        doc = sent.doc
        for i in range(self.num_start, self.num_end):
            h = doc[i].head.i
            if (h < self.num_start or h >= self.num_end) and doc[i].pos_ in ("NUM", "NOUN",
                                                                            "PROPN", "DET"):
                return doc[i]
        return doc[self.num_end - 1]


def word_value(words: list[str]) -> int | None:
    """'two dozen' -> 24, 'one hundred and five' -> 105, '1.5 million' -> 1500000."""
    total, current, seen = 0, 0, False
    for w in words:
        w = w.lower().replace(",", "")
        if w in ("and", "-") or w in ARTICLES:
            if w in ARTICLES:
                current = current or 1
            continue
        if _DIGITS.match(w):
            current += float(w) if "." in w else int(w)  # type: ignore[assignment]
            seen = True
        elif w in UNITS:
            current += UNITS[w]
            seen = True
        elif w in SCALES:
            scale = SCALES[w]
            current = (current or 1) * scale
            if scale >= 1000:
                total, current = total + current, 0
            seen = True
        else:
            return None
    return int(total + current) if seen else None


def _is_number_word(low: str) -> bool:
    """A token (in lower case) that is a number or starts one."""
    if low in UNITS and low != "no":
        return True
    if low in SCALES:
        return True
    return bool(_DIGITS.match(low)) or bool(_RANGE_TOKEN.match(low))


# Hedges by their number of words, each as a tuple of words, in the order of HEDGES_BEFORE
# (the first that matches wins): compared with the words before a number without slicing
# the Doc for each of them.
_HEDGES_BEFORE = [(tuple(p.split()), q) for p, q in HEDGES_BEFORE]
_HEDGE_LAST = {words[-1] for words, _ in _HEDGES_BEFORE}


def _hedge_before(lows: list[str], i: int, lo: int) -> tuple[str, int]:
    """The hedge ending right before token i, and its first token."""
    if i <= lo or lows[i - 1] not in _HEDGE_LAST:
        return "exact", i
    for words, qual in _HEDGES_BEFORE:
        j = i - len(words)
        if j >= lo and tuple(lows[j:i]) == words:
            return qual, j
    return "exact", i


_HEDGES_AFTER = [(tuple(p.split()), q) for p, q in HEDGES_AFTER]


def _hedge_after(lows: list[str], i: int, hi: int) -> tuple[str | None, int]:
    for words, qual in _HEDGES_AFTER:
        j = i + len(words)
        if j <= hi and tuple(lows[i:j]) == words:
            return qual, j
    return None, i


def find_figures(sent: Span) -> list[Figure]:
    doc = sent.doc
    lo, hi = sent.start, sent.end
    # every token's words read once: a Token object per look costs more than the rules
    lows = [t.lower_ for t in doc]
    texts = [t.text for t in doc]
    out: list[Figure] = []
    i = lo
    while i < hi:
        low = lows[i]
        # Vague quantities: "dozens", "tens of thousands", "scores of".
        vague = _vague_at(lows, i, hi)
        if vague:
            phrase, vague_value, j = vague
            qual, s = _hedge_before(lows, i, lo)
            if low == "scores" and (j >= hi or lows[j] != "of"):
                i += 1
                continue
            out.append(Figure(s if qual != "exact" else i, j, i, j, vague_value, None, "vague",
                              doc[s if qual != "exact" else i:j].text))
            i = j
            continue
        if not _is_number_word(low) or low in SCALES and not (i > lo and lows[i - 1] in ARTICLES):
            i += 1
            continue
        j = _number_end(lows, texts, i, hi)
        # "a dozen", "a hundred", "another hundred": the article is part of the number.
        num_start = i
        if i > lo and lows[i - 1] in ARTICLES and lows[i] in SCALES:
            num_start = i - 1
        words = texts[num_start:j]
        m = _RANGE_TOKEN.match(texts[i]) if j == i + 1 else None
        qual, s = _hedge_before(lows, num_start, lo)
        if m:
            a, b = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
            out.append(Figure(num_start, j, num_start, j, a, b, "range", doc[num_start:j].text))
            i = j
            continue
        value = word_value(words)
        if value is None:
            i = j
            continue
        # Ranges: "15 to 20", "between 15 and 20", "15-20" split by the tokenizer.
        rng = _range_after(lows, texts, j, hi)
        if rng:
            high, k = rng
            start = num_start - 1 if num_start > lo and lows[num_start - 1] == "between" \
                else num_start
            out.append(Figure(start, k, num_start, k, value, high, "range", doc[start:k].text))
            i = k
            continue
        after, e = _hedge_after(lows, j, hi)
        if after:
            qual = after if qual in ("exact", "about") else qual
        low_v, high_v = _bounds(value, qual)
        start = s if s < num_start else num_start
        end = e if after else j
        out.append(Figure(start, end, num_start, j, low_v, high_v, qual, doc[start:end].text))
        i = j
    return out


TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}


def _number_end(lows: list[str], texts: list[str], i: int, hi: int) -> int:
    """End of the number starting at i: "one hundred and five", "twenty-five", "2 million"."""
    j = i + 1
    while j < hi:
        low, prev = lows[j], lows[j - 1]
        if low in SCALES or (prev in TENS and low in UNITS and UNITS[low] < 10 and low != "no"):
            j += 1
        elif (low == "and" and prev in ("hundred", "thousand") and j + 1 < hi
              and lows[j + 1] in UNITS):
            j += 2
        elif (texts[j] == "-" and prev in TENS and j + 1 < hi
              and lows[j + 1] in UNITS and UNITS[lows[j + 1]] < 10):
            j += 2
        else:
            break
    return j


def _bounds(value: int, qual: str) -> tuple[int | None, int | None]:
    if qual in ("at_least", "more_than"):
        return value, None
    if qual in ("up_to", "fewer_than"):
        return None, value
    return value, value


_VAGUE_ORDER = sorted(VAGUE.items(), key=lambda kv: -len(kv[0]))
_VAGUE_FIRST = {p.split()[0] for p in VAGUE}


def _vague_at(lows: list[str], i: int, hi: int) -> tuple[str, int, int] | None:
    if lows[i] not in _VAGUE_FIRST:
        return None
    for phrase, value in _VAGUE_ORDER:
        words = phrase.split()
        j = i + len(words)
        if j <= hi and lows[i:j] == words:
            return phrase, value, j
    return None


def _range_after(lows: list[str], texts: list[str], j: int, hi: int) -> tuple[int, int] | None:
    if j + 1 < hi and lows[j] in ("to", "-", "–", "and") and _is_number_word(lows[j + 1]):
        if lows[j] == "and" and not (j - 2 >= 0 and lows[j - 2] == "between"):
            return None
        k = j + 1
        while k < hi and _is_number_word(lows[k]):
            k += 1
        v = word_value(texts[j + 1:k])
        if v is not None:
            return v, k
    return None
