"""Which figure of a sentence is an earlier toll, and which the update that replaced it.

A revision is a figure said to be earlier ("had earlier said 40", "an earlier report cited
310", "up from an initial count of 27", "updating the toll from four") or said to be the
new one ("has risen to 415", "the toll reached 20"). The cue must govern the figure: an
update verb counts only in the words just before its figure (since the figure before it),
so that "rose to 20 - 17 of them police" does not make the 17 an update; an "earlier
report" governs the whole sentence when the sentence has no update of its own. Cues are
about reports ("previously reported"), not events ("previously, a bomb killed ...").
"""
from __future__ import annotations

import re
from typing import Any, Literal

from tally.nlp.sentences import NUMBER_WORDS

Mark = Literal["earlier", "later"] | None

_NUMBER = re.compile(rf"\d[\d,.]*|\b(?:{NUMBER_WORDS})\b", re.I)
_EARLIER = re.compile(
    r"\b(?:initially|intially)\b|"  # "the blast had initially killed two guards"
    r"\b(?:previously|earlier|first|originally|at first)\s+(?:had\s+)?"
    r"(?:said|reported|announced|put|gave|cited|stated|claimed|estimated|given)\b|"
    r"\b(?:an?|the|its|their)\s+(?:earlier|previous|initial|original|first)\s+(?:death\s+)?"
    r"(?:toll|report|tally|figure|count|estimate)s?\b|\b(?:had|has)\s+earlier\b|"
    r"\bsaid earlier\b|\bprevious(?:ly)?\s+(?:toll|tally|figure)\b", re.I)
# an update verb right before its figure: "has risen to 415", "the toll reached 20"
_LATER = re.compile(
    r"\b(?:rose|risen|climbed|increased|jumped|reached|revised|updated|raised|raising|bringing|"
    r"gone up|went up|grown|grew)(?:\s+(?:now|to|at|by|up|over))*\s+(?:(?:more than|over|"
    r"nearly|about|some|around|almost|at least)\s+)?$", re.I)
_UPDATE = re.compile(r"\b(?:rose|risen|climbed|increased|jumped|revised|updated|updating|"
                     r"raised|raising|up|bringing)\b", re.I)
_FROM = re.compile(r"\bfrom\s*$", re.I)
_TO = re.compile(r"^\s*to\s*$", re.I)


def figure_at(c: dict[str, Any]) -> int | None:
    """Where the claim's figure is written in its sentence (first occurrence), if found."""
    sentence = (c.get("evidence") or {}).get("sentence") or ""
    text = ((c.get("value") or {}).get("text") or "").strip()
    if not sentence or not text:
        return None
    at = sentence.lower().find(text.lower())
    if at < 0:
        # "some 498" written as "Some 498 servicemen": the number alone
        m = _NUMBER.search(text)
        at = sentence.lower().find(m.group(0).lower()) if m else -1
    return at if at >= 0 else None


def mark(c: dict[str, Any]) -> Mark:
    """'earlier', 'later' or None for the claim's figure."""
    sentence = (c.get("evidence") or {}).get("sentence") or ""
    at = figure_at(c)
    if at is None:
        return None
    before = sentence[:at]
    numbers = list(_NUMBER.finditer(before))
    span = before[numbers[-1].end():] if numbers else before
    if _FROM.search(span) and (_UPDATE.search(sentence) or _EARLIER.search(span)):
        return "earlier"  # "up from 45", "updating the toll from four"
    if numbers and _TO.match(span) and _FROM.search(before[:numbers[-1].start()]):
        return "later"  # "from 45 to 55": the second figure
    if _EARLIER.search(span):
        return "earlier"
    if _LATER.search(span):
        return "later"
    if _EARLIER.search(before) and not any(_LATER.search(sentence[:m.start()])
                                           for m in _NUMBER.finditer(sentence)):
        return "earlier"  # "An earlier report on Friday cited 310 deaths and 900 injuries"
    return None
