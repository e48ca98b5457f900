"""What the extractor knows about the document it is reading: the article's actors,
countries and places, and the claims and scenes read so far."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.tokens import Token

from tally.claims import Claim
from tally.claims import Period as PeriodField
from tally.claims import Place as PlaceField
from tally.documents.model import Document
from tally.nlp import attribution as attr
from tally.nlp import places
from tally.nlp.lexicon import Actor, Lexicon
from tally.nlp.timeframe import Period

_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")


@dataclass(frozen=True)
class PlaceFound:
    rank: int  # 0: after "in", "near", "at"; +2 for a country
    head: Token
    split: bool  # see places.Place.split
    place: PlaceField
    level: str = "city"  # see places.Place.level
    aside: bool = False  # "in neighbouring Zamfara State": beside the scene, not the scene


@dataclass
class DocContext:
    document: Document
    lex: Lexicon
    memory: attr.Memory
    main_actor: Actor | None
    mentions: Counter[Actor]
    country: str | None
    country_forces: Actor | None
    ref_day: date | None
    countries: set[str] = field(default_factory=set)  # the countries it is about
    last_period: Period | None = None
    last_place: PlaceField | None = None
    admin1_seen: Counter[str] = field(default_factory=Counter)
    admin1_named: Counter[str] = field(default_factory=Counter)  # in the whole text
    place_cache: dict[int, list[PlaceFound]] = field(default_factory=dict)
    # towns no gazetteer places, by the province the article named beside them
    town_admin1: dict[str, str] = field(default_factory=dict)
    named_places: list[tuple[int, Any]] = field(default_factory=list)  # (offset, Place)
    sentence_starts: list[int] = field(default_factory=list)
    scenes: dict[int, PlaceField | None] = field(default_factory=dict)  # parsed sentence -> scene
    # places given before the article named any province ("in northern Iraq" in the lead):
    # (sentence start, place), for the town the next sentences name (event_place.settle)
    vague_places: list[tuple[int, PlaceField]] = field(default_factory=list)
    sentence_start: int = 0
    last_victim: str | None = None
    claims: list[Claim] = field(default_factory=list)
    explicit: Counter[Actor] = field(default_factory=Counter)  # perpetrators the text names
    guessed: list[tuple[int, str]] = field(default_factory=list)  # claims without one
    events: list[tuple[int, Actor]] = field(default_factory=list)  # (offset, doer) named
    responsible: list[tuple[int, Actor, bool]] | None = None  # claims of responsibility
    victim_sides: dict[int, Actor] = field(default_factory=dict)  # claim index -> side hit
    unnamed: set[int] = field(default_factory=set)  # claims whose doers the text leaves unnamed
    periods: list[tuple[int, Period]] = field(default_factory=list)  # (offset, period) found
    denials: list[Any] = field(default_factory=list)  # nlp.denials.Denial, read so far


def period_field(p: Period | None) -> PeriodField:
    if p is None:
        return PeriodField(None, None, None)
    return PeriodField(p.text, p.start.isoformat() if p.start else None,
                       p.end.isoformat() if p.end else None)


def main_actor(named: list[Actor]) -> Actor | None:
    """The armed group an article is about; a government body (Pakistan's CTD) is not one."""
    counts = Counter(a for a in named if a.kind == "group" and a.side != "government")
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def countries_named(text: str, named: list[Actor], lex: Lexicon) -> Counter[str]:
    """The countries an article is about, by how often they or their forces are named."""
    counts: Counter[str] = Counter()
    for a in named:
        if a.country:  # state forces, and groups that fight in one country
            counts[a.country] += 1
    for m in _CAPITALISED.finditer(text):
        c = lex.state_names.get(m.group(0).lower())
        # "Niger State", "Punjab province": a division, not the country of that name
        if c and not re.match(r"\s+(?:State|Province|province|state|Region)\b",
                              text[m.end():m.end() + 10]):
            counts[c] += 1
    # countries the lexicon has no forces for ("Haiti", "Chad"), the dateline's town and
    # the divisions named with their type word ("Kaduna State")
    counts.update(places.countries_in(text, skip=lex.state_names))
    counts.update(places.geography(text))
    return counts


def main_countries(counts: Counter[str]) -> set[str]:
    """The countries an article is about, not only mentions: the most named, and those
    named nearly as often (an Israeli strike in Gaza is about both)."""
    if not counts:
        return set()
    top = counts.most_common(1)[0][1]
    return {c for c, n in counts.items() if n == top or (n >= 2 and 4 * n >= top)}


def forces_of(country: str | None, lex: Lexicon) -> Actor | None:
    if not country:
        return None
    for a in lex.actors.values():
        if a.kind == "state" and a.country == country:
            return a
    return None
