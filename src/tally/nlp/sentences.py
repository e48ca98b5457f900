"""Cheap sentence splitting and the choice of sentences worth a full parse.

Most sentences of a news article carry no figure. Splitting with a regular expression and
parsing only the sentences that can hold a claim (a number, a vague quantity, a victim
word next to a casualty verb, a denial) keeps tally faster than parsing everything.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {"mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "pvt",
           "gov", "sen", "rep", "rev", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
           "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc", "u.s", "u.n", "u.k", "e.g",
           "i.e", "inc", "ltd", "co", "corp", "brig", "adm", "cmdr", "prof", "jr", "sr", "a.m",
           "p.m", "mt", "ft"}
# A run of stops is tried from its first mark only: tried from each, a long run of them
# would cost its length squared.
_END = re.compile(r"""(?<![.!?])[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*["“])""")
_SPACE = re.compile(r"\S")

NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
                r"fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|"
                r"dozen|dozens|scores|million|millions")
_CANDIDATE = re.compile(
    rf"\d|\b(?:{NUMBER_WORDS})\b|"
    # a single victim: "killing a prayer leader", "the governor was killed"
    r"\b(?:kill|killing|killed|kills|wound|wounded|wounding|injur\w*|dead|died|die|dies|"
    r"abduct\w*|kidnap\w*|arrest\w*|detain\w*|releas\w*|freed|lost|martyr\w*|bod(?:y|ies)|"
    r"murder\w*|slain|slay\w*|execut\w*|behead\w*|assassinat\w*|lynch\w*|massacr\w*|"
    r"deaths?|corpses?|fatalit\w*|casualt\w*|hostages?|gunned|shot|succumb\w*)\b|"
    # a denial (see denials: the words of data/denials.yaml that can open one)
    r"\b(?:den(?:y|ies|ied|ying)|reject\w*|dismiss\w*|refut\w*|disown\w*|disput\w*|"
    r"contest\w*|contradict\w*|rebuff\w*|repudiat\w*|debunk\w*|fake|false|baseless|"
    r"fabricat\w*|propaganda|untrue|not\s+true|figment|unfounded|groundless|exaggerat\w*)\b",
    re.I)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split(text: str) -> list[Sentence]:
    """Sentences with their character offsets into `text` (whitespace trimmed)."""
    out: list[Sentence] = []
    pos = 0
    for m in _END.finditer(text):
        cut = m.end() if m.group(0).strip() else m.start()
        if m.group(0).strip() and m.group(0)[0] == ".":
            word = _word_before(text, pos, m.start())
            if word and (word.lower() in _ABBREV or len(word) == 1):
                continue
        _add(out, text, pos, cut)
        pos = m.end()
    _add(out, text, pos, len(text))
    return out


# Texts already split in this process, up to this many characters in all: reconciliation
# compares the passages of every stored document whenever one arrives, and a server
# (or a batch) would otherwise split the same stored texts again each time.
SPLIT_CACHE_CHARS = 32_000_000
_split_cache: OrderedDict[str, tuple[Sentence, ...]] = OrderedDict()
_split_cache_chars = 0
_split_lock = threading.Lock()  # the web server reconciles from several threads


def split_cached(text: str) -> tuple[Sentence, ...]:
    """`split`, remembered for the texts split lately."""
    global _split_cache_chars
    with _split_lock:
        found = _split_cache.get(text)
        if found is not None:
            _split_cache.move_to_end(text)
            return found
    found = tuple(split(text))
    with _split_lock:
        if len(text) <= SPLIT_CACHE_CHARS and text not in _split_cache:
            _split_cache[text] = found
            _split_cache_chars += len(text)
            while _split_cache_chars > SPLIT_CACHE_CHARS:
                old, _ = _split_cache.popitem(last=False)
                _split_cache_chars -= len(old)
    return found


def _word_before(text: str, start: int, end: int) -> str:
    """The run of word characters and dots ending at `end` (not before `start`). Read
    backwards from the stop: searching the text since the last cut instead cost the
    length of that text at every abbreviation, quadratic over many of them."""
    i = end
    while i > start and (text[i - 1].isalnum() or text[i - 1] in "._"):
        i -= 1
    return text[i:end]


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    m = _SPACE.search(text, start, end)
    if not m:
        return
    start = m.start()
    while end > start and text[end - 1].isspace():
        end -= 1
    out.append(Sentence(start, end, text[start:end]))


def is_candidate(sentence: str) -> bool:
    return _CANDIDATE.search(sentence) is not None
