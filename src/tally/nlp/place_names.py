"""Candidate place names in a parsed sentence: runs of proper nouns, with their connectors."""
from __future__ import annotations

from spacy.tokens import Span, Token

from tally.nlp.lexicon import Lexicon
from tally.nlp.places import DATELINE, fold, gazetteer

CONNECTORS = {"al", "el", "ad", "ar", "as", "ash", "az", "ez", "ed", "esh", "-", "de", "del", "da", "do", "dos", "bin",
              "ibn", "of"}
ELSEWHERE = {"hospital", "clinic", "morgue", "bring", "take", "transfer", "evacuate", "airlift",
             "rush", "fly", "flee"}
ADMIN_WORDS = {"province", "state", "region", "governorate", "district", "department",
               "county", "prefecture", "city", "town", "village", "area", "territory",
               "municipality", "oblast"}
# what a town lends its name to: "Peshawar Police Lines", "Kabul University"
FACILITIES = {"police", "lines", "mosque", "hospital", "school", "university", "airport", "base",
              "prison", "jail", "market", "camp", "station", "checkpoint", "headquarters",
              "compound", "bridge", "road", "highway", "cantonment", "stadium", "hotel",
              "church", "academy", "college", "barracks", "airbase", "port"}
# capitalised words that alone are no place, however a gazetteer lists them
LONE_WORDS = ADMIN_WORDS | {"north", "south", "east", "west", "northern", "southern", "eastern",
                            "western", "central", "upper", "lower", "new", "capital", "border"}
LOCATIVE = {"in", "near", "at", "outside", "inside", "across", "around", "from", "of", "into",
            "on", "throughout", "to", "toward", "towards"}


def known_name(text: str) -> bool:
    key = fold(text)
    gaz = gazetteer()
    return key in gaz.cities or key in gaz.admin1


def place_runs(span: Span, lex: Lexicon) -> list[list[Token]]:
    """Runs of proper nouns that may name a place, without the dateline and without
    modifiers of people ("US soldiers", "Afghan forces")."""
    m = DATELINE.match(span.text)
    skip_to = span.start_char + m.end() if m else -1
    runs: list[list[Token]] = []
    for t in span:
        if t.idx < skip_to:
            continue
        # the tagger calls some places nouns or adjectives ("the northern Sagaing region")
        proper = t.pos_ == "PROPN" or (t.pos_ in ("NOUN", "ADJ", "VERB") and t.i > span.start
                                       and not t.is_sent_start)  # "Sagaing" as a verb
        if runs and runs[-1][-1].i == t.i - 1 and runs[-1][-1].text == "-" and t.is_alpha \
                and not t.doc[t.i - 1].whitespace_:
            runs[-1].append(t)  # "Centre-nord", "Nord-Ouest": one name, hyphenated
        elif proper and t.text[:1].isupper() and (t.is_alpha or "-" in t.text):
            if runs and runs[-1][-1].i == t.i - 1:
                runs[-1].append(t)
            else:
                runs.append([t])
        elif t.lower_ in CONNECTORS and runs and runs[-1][-1].i == t.i - 1 and \
                t.i + 1 < span.end and t.nbor(1).text[:1].isupper() | (t.nbor(1).text == "-"):
            runs[-1].append(t)  # "Deir al-Balah", "Dera Ismail Khan", "Rio de Janeiro"
        elif t.text == "-" and runs and runs[-1][-1].i == t.i - 1 and t.i + 1 < span.end and \
                not t.doc[t.i - 1].whitespace_ and not t.whitespace_ and t.nbor(1).is_alpha:
            runs[-1].append(t)
    out = []
    for run in runs:
        text = " ".join(t.text for t in run)
        if len(run) > 1 and known_name(text):
            out.append(run)  # "Port-au-Prince", "Port Harcourt": a town, not a port
            continue
        if len(run) > 1 and run[-1].lower_ in FACILITIES:  # "Peshawar Police Lines"
            first = next(i for i, t in enumerate(run) if t.lower_ in FACILITIES)
            if first:
                out.append(run[:first])
            continue
        last = max((i for i, t in enumerate(run) if t.lower_ in FACILITIES), default=None)
        if last is not None and last + 1 < len(run):
            out.append(run[last + 1:])  # "Government Secondary School Kuryar"
            continue
        if lex.actor_in(text) or lex.outlet_in(text) or lex.org_in(text):
            continue
        # "US soldiers" name people (dropped once resolved as a country, see _place);
        # "Punjab police", "Baghdad lookout", "Kabul mosques" name places
        out.append(run)
        if len(run) > 1 and run[-1].lower_ in ADMIN_WORDS:  # "Kunduz Province": "Kunduz"
            out.append(run[:-1])
    return out
