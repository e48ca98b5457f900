"""Who did it: the perpetrator a sentence names, and for the claims whose sentence names
none, the one the article names as the doer of its attacks."""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span, Token

from tally.claims import Perpetrator
from tally.nlp import semantics as sem
from tally.nlp import syntax
from tally.nlp.context import DocContext, forces_of
from tally.nlp.lexicon import Actor
from tally.nlp.sentences import Sentence

EVENT_NOUNS = {"attack", "blast", "bombing", "bomb", "explosion", "airstrike", "strike", "raid",
               "ambush", "assault", "violence", "shelling", "fighting", "clash", "offensive",
               "operation", "onslaught", "fire", "gunfire", "rocket", "missile", "drone", "war",
               "conflict", "insurgency", "battle", "incident", "gunbattle", "attacker", "firefight",
               "gunfight", "encounter", "skirmish", "confrontation"}
NO_CLAIM = re.compile(r"\bno (?:\w+ )?(?:group|one|organi[sz]ation)\b[^.]{0,30}\b(?:claimed|"
                      r"has claimed|took|has taken)", re.I)
FIGHTS = {"firefight", "clash", "battle", "fighting", "gunbattle", "gunfight", "encounter",
          "skirmish", "exchange", "confrontation"}


def perpetrator_of(ctx: DocContext, reading: sem.Reading, span: Span, group: str,
                 s: Sentence, nxt_sent: Sentence | None) -> tuple[Actor | None, str | None,
                                                                  bool]:
    """(actor, text, explicit). Not explicit: a guess from the document, settled once
    the whole document has been read (see `_settle_perpetrators`)."""
    lex = ctx.lex
    v = reading.verb
    agent: Token | None = None
    if v is not None:
        agent = syntax.agent(v, reading.passive)
    if agent is not None and agent.lower_ in ("it", "they", "we"):
        agent = syntax.reporter_subject(agent) or agent
    if v is not None and v.lemma_.lower() in ("lose", "die", "perish", "succumb"):
        # "the army lost 25 soldiers", "12 soldiers died": the subject is the victims' side
        agent = None
    if agent is not None:
        if agent.lemma_.lower() in EVENT_NOUNS:
            actor = actor_in_event(ctx, agent)
            if actor:
                return actor, syntax.subtree_text(agent), True
        else:
            actor, text = sem.actor_of_phrase(agent, lex, ctx.main_actor, ctx.country_forces)
            if actor:
                return actor, text, True
            if agent.lower_ in lex.anaphors:
                return None, text, True  # "the rebels", named nowhere in the article
    # Event nouns anywhere near the predicate: "in Taliban attacks", "an IS-claimed attack".
    for t in span:
        if t.lemma_.lower() in EVENT_NOUNS:
            actor = actor_in_event(ctx, t)
            if actor and not (group == "militants" and actor.side == "insurgent"):
                return actor, " ".join(c.text for c in t.lefts) + " " + t.text, True
    if reading.metric in ("released", "arrested"):
        return None, None, True  # done by whoever holds them: the text must say who
    if NO_CLAIM.search(s.text) or (nxt_sent and NO_CLAIM.search(nxt_sent.text)
                                   and "blame" not in nxt_sent.text):
        return None, None, True
    return None, None, False


def actor_in_event(ctx: DocContext, event: Token) -> Actor | None:
    """'Taliban attack', 'Israeli raid', 'military airstrike', 'attack by ISIS'."""
    lex = ctx.lex
    mods = [c for c in event.lefts if c.dep_ in ("compound", "amod", "nmod", "poss",
                                                 "npadvmod")]
    text = " ".join(syntax.subtree_text(c) for c in mods) + " " + event.text
    actor = lex.actor_in(text)
    if actor is None:
        # "an attack by ISIS", "a firefight with Abu Sayyaf members"
        preps = ("by", "with") if event.lemma_.lower() in FIGHTS else ("by",)
        by = [p for c in event.children if c.dep_ in ("prep", "agent") and c.lower_ in preps
              for p in c.children if p.dep_ == "pobj"]
        if by:
            actor = lex.actor_in(syntax.subtree_text(by[0]))
    if actor is None:
        for c in mods:
            country = lex.state_names.get(c.lower_)
            if country:
                return forces_of(country, lex)
            if c.lower_ in lex.state_force_words or c.lower_ == "junta":
                return ctx.country_forces
    if actor is not None:
        ctx.explicit[actor] += 1
    return actor


def settle_perpetrators(ctx: DocContext) -> None:
    """Claims whose sentence names no perpetrator take the one the article names most
    often as the doer of its attacks; killed militants take the state forces fighting them."""
    named = [a for a, _ in ctx.explicit.most_common()]
    state = next((a for a in named if a.kind == "state"), None) or ctx.country_forces
    doer = named[0] if named else None
    if doer is None and ctx.main_actor and ctx.mentions[ctx.main_actor] >= 2:
        doer = ctx.main_actor
    for i, group in ctx.guessed:
        c = ctx.claims[i]
        if group == "militants":
            actor = state
        elif doer is not None and not (doer.kind == "state" and group == "security_forces"):
            actor = doer
        else:
            actor = None
        if actor is not None:
            ctx.claims[i] = replace(c, perpetrator=Perpetrator(actor.name, None))
