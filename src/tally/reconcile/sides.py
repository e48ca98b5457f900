"""Whose dead a figure counts, and for which party a source speaks.

"Russian servicemen" and "Ukrainian soldiers" are security forces both, but two different
quantities; the Russian and the Ukrainian defence ministries are both "government", but
two sides of one war. The nation is read from the words themselves (the lexicon's state
names: "Russian", "Kyiv", "Afghan"), never guessed from the article's country.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from tally.nlp.lexicon import load

# the two parties to a fight; the UN, monitors, hospitals and the press are neither
FIGHTING = {"government", "insurgent"}


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern[str], dict[str, str]]:
    names = load().state_names
    words = sorted(names, key=len, reverse=True)
    # short names ("us") only in capitals, as the lexicon does for actors
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words if len(w) > 3) + r")\b",
                         re.I)
    return pattern, names


# Grouping asks this of the same few phrases for every pair of claims in a bucket: cached,
# since the answer depends on the phrase alone.
@lru_cache(maxsize=1 << 16)
def nation_of(text: str | None) -> str | None:
    """The country a phrase names ("Ukrainian army units" -> UA), if it names one."""
    if not text:
        return None
    pattern, names = _names()
    m = pattern.search(text)
    if m:
        return names[m.group(1).lower()]
    if re.search(r"\bU\.?S\.?\b", text):
        return names.get("us")
    return None


# the victims' own words end where a place, a time or the attack begins: "two wounded in
# an Israeli strike" says who struck, not whose people were hit
_PHRASE_END = re.compile(r"\s(?:in|on|at|by|near|during|after|from|when|as|while|inside|outside)\s",
                         re.I)


def victim_nation(c: dict[str, Any]) -> str | None:
    text = (c.get("victim") or {}).get("text") or ""
    return nation_of(_PHRASE_END.split(text, maxsplit=1)[0])


def victims_of(c: dict[str, Any]) -> tuple[str, bool] | None:
    """Whose dead a figure counts, as (state, True) for that state's own people or (state,
    False) for those its forces killed: "Ukrainian soldiers" -> (UA, True); killed by
    "Russian forces" -> (RU, False); a government's count of security forces with no one
    named as the killer is of its own ranks (a ministry telling its own losses)."""
    nation = victim_nation(c)
    if nation:
        return nation, True
    killer = nation_of((c.get("perpetrator") or {}).get("actor"))
    if killer:
        return killer, False
    own = source_nation(c)
    if own and (c.get("victim") or {}).get("group") == "security_forces":
        return own, True
    return None


def same_victims(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Could the two figures count the dead of the same side? Russian losses and the
    Ukrainians that Russian forces killed cannot be one quantity."""
    va, vb = victims_of(a), victims_of(b)
    if va is None or vb is None:
        return True
    (na, own_a), (nb, own_b) = va, vb
    return na != nb if own_a != own_b else na == nb or not own_a


def source_nation(c: dict[str, Any]) -> str | None:
    """The state a government source speaks for, when its name says so."""
    s = c.get("source") or {}
    if s.get("side") != "government":
        return None
    return nation_of(s.get("org")) or nation_of(s.get("speaker")) or _owner_named(c)


def _owner_named(c: dict[str, Any]) -> str | None:
    """'Russia's military claimed': the state the sentence puts right before a body the
    source names only by its kind ("military", "Defence Ministry")."""
    org = (c.get("source") or {}).get("org")
    sentence = (c.get("evidence") or {}).get("sentence") or ""
    if not org or not sentence:
        return None
    return _owner_in(org, sentence)


@lru_cache(maxsize=1 << 14)
def _owner_in(org: str, sentence: str) -> str | None:
    m = re.search(r"([\w-]+)(?:['’]s)?\s+(?:the\s+)?" + re.escape(org) + r"\b", sentence, re.I)
    return nation_of(m.group(1)) if m else None


def side_label(c: dict[str, Any]) -> str:
    """The source's side, with the state for a government: two governments at war are two
    sides ("government (RU)", "government (UA)")."""
    side = (c.get("source") or {}).get("side") or "unknown"
    nation = source_nation(c)
    return f"{side} ({nation})" if nation else side


def one_party(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Sources that may stand for one count: not two sides of the fight, and not a party
    and an outside body. A hospital's or the press's toll may update a ministry's; a UN
    inquiry's figure after a government's is a second account, not its toll updated."""
    sa, sb = (a.get("source") or {}).get("side"), (b.get("source") or {}).get("side")
    outside = {sa, sb} & {"international"}
    return not opposed(a, b) and not (outside and sa != sb and {sa, sb} & FIGHTING)


def opposed(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Sources on two sides of a fight: a government and an insurgency, or two states."""
    sa, sb = (a.get("source") or {}).get("side"), (b.get("source") or {}).get("side")
    if sa in FIGHTING and sb in FIGHTING and sa != sb:
        return True
    na, nb = source_nation(a), source_nation(b)
    return sa == sb == "government" and bool(na and nb and na != nb)
