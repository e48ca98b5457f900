"""What a body is: whether a name is a person's or an organisation's, the organisation's
name as written, and the side its words put it on when the lexicon does not know it.

The words are data (data/bodies.yaml); the names come from the parse and, where a phrase
holds proper nouns, from spaCy's recogniser (`entities`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from tally.nlp.entities import entities
from tally.nlp.lexicon import DATA, _load_yaml, _mixed_pattern

SIDES = ("international", "media", "insurgent", "independent", "government")
BODY_LABELS = {"ORG", "NORP", "GPE", "FAC", "LOC", "PRODUCT"}
# Words that end a body's name as written: "authorities in Kinshasa" keeps its place,
# "the ministry, which said" does not keep its clause.
_NAME_PREPS = {"of", "for", "in", "at"}


@dataclass(frozen=True)
class Bodies:
    sides: tuple[tuple[str, re.Pattern[str]], ...]
    heads: frozenset[str]
    titles: re.Pattern[str]


@lru_cache(maxsize=1)
def bodies() -> Bodies:
    raw = _load_yaml(DATA / "bodies.yaml")
    sides = []
    for side in SIDES:
        words = [str(w) for w in raw[side]]
        # short words ("UN", "WHO") count only in capitals: "who" is a pronoun
        sides.append((side, _mixed_pattern([w for w in words if len(w) > 3],
                                           [w.upper() for w in words if len(w) <= 3])))
    titles = "|".join(re.escape(str(t)) for t in sorted(raw["titles"], key=len, reverse=True))
    return Bodies(sides=tuple(sides), heads=frozenset(str(h) for h in raw["heads"]),
                  titles=re.compile(rf"^(?:(?:{titles})\.?\s+)+", re.I))


def body_side(text: str) -> str | None:
    """The side a body's words put it on: 'the Britain-based observatory' -> independent,
    'the district administration' -> government; None when no word tells."""
    for side, pattern in bodies().sides:
        if pattern.search(text):
            return side
    return None


def is_body_head(word: str) -> bool:
    """Whether a noun can head the name of a body that speaks (or a group of people)."""
    w = word.lower()
    return w in bodies().heads or w.rstrip("s") in bodies().heads


def strip_titles(name: str) -> str:
    """'Lt. Col. Randy Remonte' -> 'Randy Remonte': ranks and titles are not names."""
    out = bodies().titles.sub("", name).strip()
    return out if out else name


def is_title(word: str) -> bool:
    """Whether a word is a rank or title ('Col.', 'Commissioner'), never a name."""
    return bodies().titles.fullmatch(word + " ") is not None


def body_entity(t: Token) -> Span | None:
    """The organisation, nationality or place entity a token belongs to, if any."""
    for e in entities(t.doc):
        if e.start <= t.i < e.end:
            return e if e.label_ in BODY_LABELS else None
    return None


def person_entities(toks: list[Token]) -> list[Span]:
    """The PERSON entities that lie inside a phrase."""
    if not toks or not any(t.pos_ == "PROPN" for t in toks):
        return []  # no proper noun, no name: the recogniser is not asked
    lo, hi = min(t.i for t in toks), max(t.i for t in toks)
    return [e for e in entities(toks[0].doc) if e.label_ == "PERSON" and e.start >= lo
            and e.end <= hi + 1]


def is_body_name(run: list[Token]) -> bool:
    """A run of proper nouns that names a body rather than a person: its last word is a
    body's head ('Defence Headquarters'), it is a lone acronym ('HDP'), or the recogniser
    calls it an organisation, a nationality or a place."""
    if is_body_head(run[-1].text):
        return True
    if len(run) == 1 and run[0].text.isupper() and len(run[0].text) > 1:
        return True
    # the whole run in one entity: "Ikechukwu Aduba" read as NORP + ORG is no body
    ent = body_entity(run[-1])
    return ent is not None and ent.start <= run[0].i


def name_as_written(head: Token) -> str:
    """A body's name as the text writes it, without determiners and clauses: the entity
    the head is part of, else the head with its modifiers and its 'of/for/in' names."""
    ent = body_entity(head)
    if ent is not None and ent.label_ == "ORG":
        toks = list(ent)
        # "the UN Assistance Mission in Afghanistan": the place goes with it
        nxt = ent.end
        doc = head.doc
        while nxt + 1 < len(doc) and doc[nxt].lower_ in _NAME_PREPS and \
                doc[nxt + 1].pos_ == "PROPN" and doc[nxt].head.i in {t.i for t in toks}:
            p = doc[nxt + 1]
            end = max(t.i for t in p.subtree if t.pos_ == "PROPN" or t.i == p.i)
            toks = list(doc[toks[0].i:end + 1])
            nxt = end + 1
        return _strip_det(" ".join(t.text for t in toks))
    # "the Geneva-based observatory": where it sits is not its name
    left = [t for c in head.lefts if c.dep_ in ("compound", "amod", "nmod", "poss")
            and not any(x.tag_ == "VBN" for x in c.subtree) for t in c.subtree]
    right: list[Token] = []
    for c in head.rights:
        if c.dep_ == "prep" and c.lower_ in _NAME_PREPS:
            pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
            if pobj is not None and (pobj.pos_ == "PROPN" or head.pos_ == "PROPN"):
                right.extend(t for t in c.subtree if t.dep_ not in ("relcl", "acl")
                             and t.pos_ != "PUNCT")
    toks = sorted(set(left + [head] + right), key=lambda t: t.i)
    return _strip_det(head.doc[toks[0].i:toks[-1].i + 1].text)


def _strip_det(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    text = re.sub(r"^(?:the|a|an|its|their|his|her)\s+", "", text, flags=re.I)
    return re.sub(r"\s+\((?:[A-Z][\w.-]*)\)$", "", text)
