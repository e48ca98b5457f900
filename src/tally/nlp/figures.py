"""The spaCy component that finds figures: `tally_figures_v1`.

It sets `doc._.tally_figures` (Figure fields as plain tuples, so that Docs coming back
from `nlp.pipe(n_process=N)` carry them; read them with `figures_of`) and `doc.spans["tally_figures"]` (the figures as spans, labelled with
their qualifier), for every number, vague quantity or single person that can be a claim.
What a figure counts is read later (`semantics`), with the document's context.
"""
from __future__ import annotations

from dataclasses import astuple

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tally.nlp import attribution as attr
from tally.nlp import semantics as sem
from tally.nlp.lexicon import Lexicon, load
from tally.nlp.numbers import Figure, find_figures
from tally.nlp.timeframe import MONTHS

if not Doc.has_extension("tally_figures"):
    Doc.set_extension("tally_figures", default=None)

CLOCK = {"a.m.", "p.m.", "am", "pm", "o'clock", "gmt", "utc", "hrs", "hours"}
SINGLE_METRICS = ("killed", "wounded", "kidnapped", "arrested", "released")


@Language.factory("tally_figures_v1", default_config={"lexicon": ""})
def make_figures(nlp: Language, name: str, lexicon: str) -> "FigureFinder":
    return FigureFinder(load(lexicon or None))


def figures_of(doc: Doc) -> list[Figure] | None:
    """The figures `tally_figures_v1` found in `doc`, or None if it did not run."""
    stored = doc._.tally_figures
    return None if stored is None else [Figure(*t) for t in stored]


class FigureFinder:
    """Doc -> Doc: marks the figures of the Doc."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    def __call__(self, doc: Doc) -> Doc:
        # tally hands the model one sentence at a time: the whole Doc is the sentence
        figures = find_claim_figures(doc[:], self.lex)
        # plain tuples: Docs cross process boundaries as msgpack (nlp.pipe(n_process=N))
        doc._.tally_figures = [astuple(f) for f in figures]
        doc.spans["tally_figures"] = [Span(doc, f.start, f.end, label=f.qualifier)
                                      for f in figures]
        return doc


def find_claim_figures(span: Span, lex: Lexicon) -> list[Figure]:
    """Figures that can be claims: not dates, clock times, ages, money or percentages."""
    out = []
    doc = span.doc
    for f in find_figures(span):
        nxt = doc[f.num_end] if f.num_end < len(doc) else None
        prev = doc[f.start - 1] if f.start > 0 else None
        if f.text.lower() == "one" and prev is not None and prev.lower_ in ("no", "no-", "-",
                                                                             "not"):
            continue  # "no one", "No-one was injured", "Not one of our fighters"
        if f.text.lower() == "one" and prev is not None and prev.pos_ == "ADJ" and \
                f.start >= 2 and doc[f.start - 2].pos_ == "DET":
            continue  # "a deadly one", "the first one": a pronoun, not a count
        # "May 24", "5 May 2020", "10 a.m.": calendar and clock numbers
        if (prev is not None and prev.lower_.rstrip(".") in MONTHS) or \
                (nxt is not None and (nxt.lower_.rstrip(".") in MONTHS or nxt.lower_ in CLOCK)):
            continue
        if nxt is not None and nxt.text in ("%", "percent", "per", "-year", "year", "years"):
            continue
        if nxt is not None and nxt.text == "-" and f.num_end + 1 < len(doc):
            # "three-day ceasefire", "20-year-old": a compound modifier, not a count
            continue
        if prev is not None and prev.text in ("$", "€", "£", "#", "No.", "no.", "aged", "age"):
            continue
        # "Mechanised Brigade 33", "Route 1", "Resolution 2334": a name, not a count
        if prev is not None and prev.text[:1].isupper() and prev.lower_ in NAMED_BY_NUMBER and \
                f.start == f.num_start:
            continue
        # "Rosa Quintero, 37, a nurse at ...", "Javed (24)": an age after a name
        if prev is not None and prev.text in (",", "(") and f.start >= 2 and \
                doc[f.start - 2].pos_ == "PROPN" and nxt is not None and nxt.text in (",", ")"):
            continue
        if f.qualifier == "exact" and f.low is not None and 1900 <= f.low <= 2100 and \
                "," not in f.text and (nxt is None or nxt.pos_ != "NOUN"):
            continue
        out.append(f)
    out.extend(_single_victims(span, lex, out))
    out.extend(_pronoun_victims(span, lex, out))
    return out


BODY_NOUNS = {"body", "corpse", "remains"}
NAMED_BY_NUMBER = {"brigade", "battalion", "division", "regiment", "corps", "squadron", "unit",
                   "company", "platoon", "route", "highway", "road", "flight", "resolution",
                   "article", "sector", "block", "camp", "checkpoint", "gate", "zone", "base",
                   "station", "district", "ward", "precinct", "lot", "room", "building"}


def _single_victims(span: Span, lex: Lexicon, figures: list[Figure]) -> list[Figure]:
    """People counted without a number: 'killing a prayer leader', 'the hostage was
    executed', 'Hanafi, a judge, was killed', 'both victims were killed' (2)."""
    out = []
    taken = {i for f in figures for i in range(f.start, f.end)}
    for noun in span:
        if noun.i in taken or noun.pos_ not in ("NOUN", "PROPN"):
            continue
        # "a vigil for a guard shot in a robbery": a participle of its own
        own_participle = noun.dep_ == "pobj" and any(
            c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in lex.verb_metric
            for c in noun.children)
        if noun.dep_ not in ("nsubjpass", "dobj", "obj", "nsubj") and not (
                noun.dep_ == "conj" and noun.head.dep_ in ("nsubjpass", "dobj")) and \
                not own_participle:
            continue
        if any(c.dep_ == "nummod" or c.i in taken for c in noun.children):
            continue
        if noun.dep_ in ("dobj", "obj") and any(
                c.dep_ in ("dobj", "obj") and c.i != noun.i and
                (c.i in taken or any(g.i in taken for g in c.children))
                for c in noun.head.children):
            continue  # a verb has one object: "killed four people ..., a local chief, said"
        count, first = _single_count(noun, lex)
        unknown_noun = False
        if not count:
            count, first = _someone(noun, lex)
            unknown_noun = True
        if not count:
            continue
        if noun.dep_ == "pobj" and noun.head.lower_ in sem.INCLUDING:
            continue
        reading = sem.read_metric(Figure(noun.i, noun.i + 1, noun.i, noun.i + 1, count, count,
                                         "exact", noun.text), span, lex)
        if reading is None or reading.metric not in SINGLE_METRICS:
            continue
        if noun.dep_ == "nsubj" and noun.head.lemma_.lower() in lex.verb_metric and \
                any(c.dep_ in ("dobj", "obj") for c in noun.head.children):
            continue  # "the army killed 11 fishermen": who kills is not who is killed
        # a noun the lexicon does not know is a person only when a verb kills or
        # wounds it: "a grocer was gunned down", not "a truck was seized"
        if unknown_noun and (reading.metric not in ("killed", "wounded") or reading.verb is None
                             or reading.verb.lemma_.lower() not in lex.verb_metric
                             and reading.verb.lemma_.lower() not in sem.MANNER_OF_DEATH):
            continue
        start = first.i
        out.append(Figure(start, noun.i + 1, noun.i, noun.i + 1, count, count, "exact",
                          span.doc[start:noun.i + 1].text if first.lower_ not in ("a", "an")
                          else first.text))
    return out


def _pronoun_victims(span: Span, lex: Lexicon, figures: list[Figure]) -> list[Figure]:
    """'seized three herders and shot them': the pronoun counts what the first verb's
    object counted."""
    out = []
    for t in span:
        if t.lower_ not in ("them", "him", "her") or t.dep_ not in ("dobj", "obj"):
            continue
        v = t.head
        if v.dep_ != "conj" or v.head.pos_ != "VERB":
            continue
        first = v.head
        antecedent = next((f for f in figures if f.head(span).dep_ in ("dobj", "obj")
                           and f.head(span).head.i == first.i
                           or sem.counted_head(f.head(span)).head.i == first.i
                           and sem.counted_head(f.head(span)).dep_ in ("dobj", "obj")), None)
        if antecedent is None:
            continue
        low, high = (antecedent.low, antecedent.high) if t.lower_ == "them" else (1, 1)
        fig = Figure(t.i, t.i + 1, t.i, t.i + 1, low, high, antecedent.qualifier
                     if t.lower_ == "them" else "exact", t.text)
        reading = sem.read_metric(fig, span, lex)
        if reading is not None and reading.metric in SINGLE_METRICS:
            out.append(fig)
    return out


def _single_count(noun: Token, lex: Lexicon) -> tuple[int, Token]:
    dets = [c for c in noun.lefts if c.dep_ in ("det", "predet", "poss")]
    det = dets[0] if dets else None
    lemma = noun.lemma_.lower()
    if any(c.lower_ == "both" for c in noun.lefts) and noun.tag_ == "NNS" and \
            not any(c.dep_ == "cc" for c in noun.children):  # "both police and civilians"
        return 2, next(c for c in noun.lefts if c.lower_ == "both")
    if lemma in BODY_NOUNS and any(c.dep_ in ("compound", "amod") for c in noun.lefts):
        return 0, noun  # "the world body", "the governing body": not a corpse
    compound = " ".join([c.lemma_.lower() for c in noun.lefts if c.dep_ == "compound"] + [lemma])
    if noun.tag_ == "NN" and (lemma in lex.victim_group or lemma in lex.single_people
                              or compound in lex.victim_group) and \
            det is not None and det.lower_ in ("a", "an", "the", "his", "her", "their", "its",
                                               "another") \
            and lemma not in ("number", "group", "couple", "lot", "dozen", "family"):
        return 1, det
    if lemma in BODY_NOUNS and noun.tag_ == "NN" and det is not None and det.dep_ == "poss" \
            and det.tag_ in ("NN", "NNP"):
        return 1, min(det.subtree, key=lambda t: t.i)  # "a man's body was found"
    if noun.tag_ == "NNP" and noun.dep_ != "compound" and _looks_like_person(noun, lex):
        first = min((c for c in noun.lefts if c.dep_ == "compound" and c.tag_ == "NNP"),
                    key=lambda c: c.i, default=noun)
        return 1, first
    return 0, noun


def _someone(noun: Token, lex: Lexicon) -> tuple[int, Token]:
    """'a law enforcer', 'a Buddhist grocer': one of something the lexicon does not list,
    with an indefinite article (a definite one was most often counted before)."""
    if noun.tag_ != "NN" or noun.pos_ != "NOUN":
        return 0, noun
    lemma = noun.lemma_.lower()
    if lemma in lex.not_counted or lemma in lex.counted_noun or lemma in lex.of_noun:
        return 0, noun
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children):
        return 0, noun  # "a number of civilians", "a handful of guards": a quantity
    det = next((c for c in noun.lefts if c.dep_ == "det"), None)
    if det is None or det.lower_ not in ("a", "an"):
        return 0, noun
    return 1, det


def _looks_like_person(noun: Token, lex: Lexicon) -> bool:
    words = [c for c in noun.lefts if c.dep_ == "compound" and c.tag_ == "NNP"] + [noun]
    name = " ".join(w.text for w in words)
    if lex.actor_in(name) or lex.org_in(name) or lex.outlet_in(name):
        return False
    if attr._is_place_or_time(name):
        return False
    # a person named with an apposition ("Hanafi, a judge"), or a two-word name
    return len(words) >= 2 or any(c.dep_ == "appos" for c in noun.children) or \
        noun.dep_ in ("nsubjpass", "dobj")
