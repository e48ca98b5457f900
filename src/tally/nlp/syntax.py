"""Reading the dependency parse: who did it, who said it, and what a phrase spans."""
from __future__ import annotations

from typing import cast

from spacy.tokens import Doc, Span, Token

from tally.nlp.places import DATELINE


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per sentence: spaCy joins every token's text at each call."""
    text = doc.user_data.get("tally_text")
    if text is None:
        text = doc.user_data["tally_text"] = doc.text
    return cast(str, text)


def in_dateline(t: Token) -> bool:
    """'KABUL, Afghanistan (AP) —' opens a sentence, and the parser may make it a subject."""
    end = t.doc.user_data.get("tally_dateline_end")
    if end is None:  # read once per sentence: every subject of it asks
        m = DATELINE.match(doc_text(t.doc))
        end = t.doc.user_data["tally_dateline_end"] = m.end() if m else 0
    return t.idx < end


def agent(v: Token, passive: bool) -> Token | None:
    if passive:
        for c in v.children:
            if c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return p
        return None
    x = v
    for _ in range(3):
        for c in x.children:
            if c.dep_ in ("nsubj",) and not in_dateline(c):
                return c
        if x.dep_ in ("advcl", "xcomp", "conj", "acl", "relcl") and x.head != x:
            if x.dep_ == "relcl":
                return x.head
            x = x.head
        else:
            break
    return None


def report_subject(v: Token, fig_tok: Token) -> Token | None:
    """Who reports: the subject, or the object of an inverted report placed after the
    figure ('..., reported the Security Media Cell')."""
    own = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")
                and not in_dateline(c)), None)
    if own is not None:
        return own
    if v.i > fig_tok.i:
        after = next((c for c in v.children if c.dep_ in ("dobj", "attr") and c.i > v.i), None)
        if after is not None:
            return after
    return subject(v)


def reporter_subject(pron: Token) -> Token | None:
    """'The government said that it released ...': 'it' is the one who said it."""
    for a in pron.ancestors:
        if a.pos_ == "VERB" and a.lemma_.lower() in ("say", "announce", "state", "claim", "add"):
            subj = subject(a)
            if subj is not None and subj.lower_ not in ("it", "they", "we", "he", "she"):
                return subj
    return None


def subject(v: Token) -> Token | None:
    x = v
    for _ in range(3):
        for c in x.children:
            if c.dep_ in ("nsubj", "nsubjpass") and not in_dateline(c):
                return c
        if x.dep_ in ("advcl", "xcomp", "conj") and x.head != x:
            x = x.head
        else:
            break
    return None


def refers_back(v: Token, span: Span) -> bool:
    """'..., a top official revealed this on Monday' / '..., he said.': a report of the
    previous sentence rather than a new statement."""
    objs = [c for c in v.children if c.dep_ in ("dobj", "ccomp")]
    if not objs:
        return True
    return any(c.lower_ in ("this", "that", "it", "so") for c in objs)


def subtree_text(t: Token) -> str:
    words = list(t.subtree)
    return t.doc[words[0].i:words[-1].i + 1].text


def clause_of(t: Token) -> Token:
    """The verb whose clause holds a token ("killing" in "..., killing 84 people")."""
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def in_clause(t: Token, clause: Token | None) -> bool:
    """Whether a token lies in a clause, or is the noun the clause describes ("Kidal,
    where the rebels staged four raids")."""
    if clause is None:
        return False
    if clause.dep_ == "relcl" and clause.head.i == t.i:
        return True
    return t.i == clause.i or any(a.i == clause.i for a in t.ancestors)
