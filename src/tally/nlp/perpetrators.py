"""Who did it: the perpetrator the clause that tells the act names, and for the claims
whose sentence names none, the one the article ties the event to.

In the clause: the agent of the casualty verb (active subject, passive by-agent), the
event it happened in ("in an attack by X", "a Russian missile strike", "X's shelling"),
and claims of responsibility ("X claimed responsibility", "attributed to X"). A phrase
names an actor by the lexicon, by nationality + forces ("Eritrean troops"), or by a proper
name for an armed group ("members of the Shining Path"). The victims' side is never the
doer: "Armenian troops were killed" is a claim against the other side.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from spacy.tokens import Span, Token

from tally.claims import Claim, Perpetrator
from tally.nlp import semantics as sem
from tally.nlp import syntax
from tally.nlp.context import DocContext, forces_of
from tally.nlp.entities import entity_at
from tally.nlp.kinds import SEPARATE_EVENT
from tally.nlp.lexicon import Actor, Lexicon
from tally.nlp.sentences import Sentence

EVENT_NOUNS = {"attack", "blast", "bombing", "bomb", "explosion", "airstrike", "strike", "raid",
               "ambush", "assault", "violence", "shelling", "fighting", "clash", "offensive",
               "operation", "onslaught", "fire", "gunfire", "rocket", "missile", "drone", "war",
               "conflict", "insurgency", "battle", "incident", "gunbattle", "attacker", "firefight",
               "gunfight", "encounter", "skirmish", "confrontation", "bombardment", "shell",
               "massacre", "killing", "shooting", "barrage", "ied", "mine", "landmine"}
NO_CLAIM = re.compile(r"\bno (?:\w+ )?(?:group|one|organi[sz]ation)\b[^.]{0,30}\b(?:claimed|"
                      r"has claimed|took|has taken)|\b(?:not (?:immediately |yet )?(?:clear|"
                      r"known)|unclear|unknown) who (?:was|is|were|had been) (?:responsible|"
                      r"behind)", re.I)
FIGHTS = {"firefight", "clash", "battle", "fighting", "gunbattle", "gunfight", "encounter",
          "skirmish", "exchange", "confrontation"}
# Events of two sides: "Yemen's war" names a place, not who fights it.
TWO_SIDED = {"war", "conflict", "insurgency", "violence", "fighting", "crisis", "clash",
             "battle", "exchange", "confrontation"}
# Bodies that speak or govern, not armed groups; a defence ministry speaks for its forces.
BODY_WORDS = re.compile(r"\b(?:ministry|ministries|department|office|council|commission|"
                        r"committee|agency|government|party|court|parliament|nations|"
                        r"organi[sz]ation|hospital|cross|crescent|union|mission|police|"
                        r"authority|authorities|service|bureau|directorate|institute|"
                        r"university|media|news|agency|press|television|radio)\b", re.I)
DEFENCE_BODY = re.compile(r"\b(?:defen[cs]e ministry|ministry of (?:national )?defen[cs]e|"
                          r"mod|general staff|defen[cs]e department)\b", re.I)
# Victims who are fighters of the other side, whatever group the victims module gives.
FIGHTER_VICTIMS = re.compile(r"\b(?:militants?|insurgents?|rebels?|jihadists?|terrorists?|"
                             r"separatists?|secessionists?|fighters?|assailants?|attackers?|"
                             r"gunmen|bandits?|extremists?)\b", re.I)
# Where a victim phrase stops naming who the victims are.
VICTIM_TAIL = re.compile(r"\s(?:in|at|of|from|near|on|during|by|who|which|that|when|after|"
                         r"killed|wounded|kidnapped|abducted|injured)\s|,")
# Attackers the text leaves unnamed: null, unless a claim of responsibility names them.
UNNAMED = {"gunman", "gunmen", "assailant", "attacker", "bandit", "kidnapper", "abductor",
           "perpetrator", "bomber", "unknown", "unidentified", "men", "people", "individual"}
# Heads that name a state's armed men by their nationality: "Eritrean troops".
FORCE_HEADS = {"troops", "troop", "forces", "force", "soldiers", "soldier", "army", "military",
               "servicemen", "serviceman", "police", "jets", "warplanes", "aircraft", "navy",
               "artillery", "units", "unit", "personnel", "guards", "marines"}
# Heads that name the members of an armed group: "Shining Path guerrillas".
MEMBER_HEADS = {"militant", "member", "fighter", "guerrilla", "rebel", "insurgent", "cadre",
                "militia", "militiaman", "jihadist", "combatant", "loyalist", "faction",
                "gunman", "group", "movement", "extremist", "terrorist", "separatist",
                "commander", "operative", "forces", "force", "army", "front"}
ARMY_UNIT = re.compile(r"\b\d+(?:st|nd|rd|th)\s+(?:[A-Z]\w+\s+)*(?:Infantry|Battalion|Brigade|"
                       r"Division|Regiment|Corps|Squadron)\b")
# Words of armed groups' names: "Mountain Lions Front", "Black Eagles Brigade".
GROUP_WORDS = {"front", "army", "brigade", "brigades", "movement", "forces", "group", "militia",
               "battalion", "liberation", "commando", "cells", "jihad", "mujahideen", "ansar",
               "jaish", "lashkar", "tehreek", "jamaat", "harakat", "resistance", "revolutionary",
               "path", "tigers", "eagles", "guard", "guards", "squad", "legion"}
# Air power: states and coalitions have it, insurgent groups rarely do.
AIR_WORDS = re.compile(r"\b(?:air ?strikes?|air ?raids?|air attacks?|warplanes?|fighter jets?|"
                       r"jets?|aerial|bombers|helicopter gunships?|barrel bombs?)\b", re.I)
# Attacks states do not carry out: the doer is an armed group, or no one named.
TERROR_WORDS = re.compile(r"\b(?:suicide|terrorists?|terror|car bomb|ied|improvised explosive|"
                          r"gunmen|assailants?|bomber|hostage|jihadists?|islamists?|militants?|"
                          r"insurgents?|rebels?|extremists?|bandits?)\b", re.I)
# Devices planted or set off on the ground: not how a state's forces kill.
DEVICES = re.compile(r"\b(?:bombs?|explosives?|explosions?|blasts?|ieds?|landmines?|mines?|"
                     r"grenades?)\b", re.I)
DEFINITE_EVENT = re.compile(r"\b(?:the|that|this|Tuesday's|Monday's|Wednesday's|Thursday's|"
                            r"Friday's|Saturday's|Sunday's)\s+(?:[\w-]+\s+)?(attack|strike|"
                            r"airstrike|blast|bombing|explosion|raid|ambush|assault|shelling)s?\b")

# A proper name as written: capitalised words, joined by the particles of group names.
_W = r"(?:[A-Z](?:[\w'’-]|\.(?=\w))*|al-[\w'’-]+)"  # "U.S", not "Friday." ending a sentence
NAME = rf"{_W}(?:[ -](?:(?:of|the|al|el|de|del|la|wal|ul|e|and|for|in)[ -])*{_W})*" \
       r"(?:\s+\([^)]{1,40}\))?"
ANAPHOR = r"(?i:it|they|the (?:same |militant |jihadist |insurgent |rebel |armed )?group|" \
          r"the (?:militants|insurgents|rebels|jihadists)|those groups|these groups)"
NAMED = rf"{NAME}(?:\s+(?:network|group|movement|militia|militants|fighters|rebels|faction))?"
WHO = rf"(?P<n>{NAMED}(?:,?\s+and\s+(?:the\s+)?{NAMED})?|{ANAPHOR})"
# Each pattern with words (case as written) that any text it matches contains: most
# articles have none of a pattern's words, and a pattern that opens with a name is tried
# at every capital letter of the text, the most costly scan of the rules.
RESPONSIBILITY = [(words, re.compile(p)) for words, p in (
    # "The Taliban claimed responsibility", "IS, which claimed responsibility", "it took credit"
    (("responsibility", "credit"),
     WHO + r",?\s+(?:(?:which|who|that|has|have|had|later|reportedly|also|quickly|swiftly|"
           r"subsequently|immediately|since|officially|publicly|already|both|jointly)\s+)*"
           r"(?:claimed|claims|claiming|took|takes|taking|accepted|admitted)\s+(?:the\s+|full\s+)*"
           r"(?:responsibility|credit)"),
    # "The TTP claimed the bombing", "IS claimed the attack"
    (("claimed",),
     WHO + r",?\s+(?:(?:has|have|had|later|also|quickly|swiftly|both|jointly)\s+)*claimed\s+"
           r"(?:the|a|an|this|that|Monday's|Tuesday's|Wednesday's|Thursday's|Friday's|"
           r"Saturday's|Sunday's)\s+(?:\w+\s+)?(?:attack|bombing|blast|killing|killings|"
           r"ambush|assault|raid|strike|explosion|massacre|kidnapping|abduction)s?\b"),
    # "responsibility was claimed by X", "an attack claimed by X"
    (("claimed",), r"\b(?:responsibility|credit|attack|bombing|blast|killing|ambush|assault)\b"
                   r"[^.;]{0,80}?\bclaimed\s+by\s+(?:the\s+)?" + WHO),
    # "sources attributed the attack to X", "was blamed on X", "pinned the blame on X"
    (("attribut", "blam", "pinned", "ascribed"),
     r"\b(?:attribut(?:e|es|ed)|blam(?:e|es|ed)|pinned|ascribed)\s+(?:[^.;]{0,60}?\s+)?"
     r"(?:to|on)\s+(?:the\s+)?(?:suspected\s+|a\s+faction\s+of\s+the\s+)?" + WHO),
    # "blamed the Taliban for the attack", "accused X of carrying out the attack"
    (("blamed",), r"\bblamed\s+(?:the\s+)?" + WHO + r"(?:\s+for\b|\s*[.;,])"),
    # "Islamic State said it carried out the attack"
    (("carried out", "conducted", "staged", "launched", "behind", "killed", "attacked"),
     WHO + r"\s+(?:said|says|announced|claimed|declared)\s+(?:that\s+)?(?:it|they|its fighters)"
          r"\s+(?:had\s+|have\s+)?(?:carried out|conducted|staged|launched|was behind|were "
          r"behind|killed|attacked)\b"),
    (("accused",), r"\baccused\s+(?:the\s+)?" + WHO +
     r"\s+of\s+(?:carrying out|being behind|staging|launching|the)\b"),
    # "suspected the involvement of X"
    (("suspect",), r"\b(?:suspected|suspect|suspects)\s+(?:the\s+)?(?:involvement|hand)\s+of\s+"
                   r"(?:the\s+)?" + WHO),
    # "X is believed to be behind it", "X was responsible for the attack"
    (("behind", "responsible"), WHO + r"\s+(?:was|were|is|are|had been|has been|have been)\s+"
                                 r"(?:\w+\s+){0,3}?(?:behind|responsible\s+for)\b"),
)]
# "blamed for some 300 killings since 2019": a tally over time, no one event's doer.
OVER_TIME = re.compile(r"\b(?:since|so far|to date|over the (?:past|last)|in recent|this year|"
                       r"last year|in the past)\b", re.I)
GENERIC_EVENTS = re.compile(r"\b(?:most|many|some|such|several|the majority of)\s+(?:of\s+the"
                            r"\s+)?(?:\w+\s+)?(?:attacks|killings|bombings|incidents|"
                            r"abductions|kidnappings)\b", re.I)
# Capitalised words that open a sentence or name a body, not a group that attacks.
NOT_NAMES = {"he", "she", "it", "they", "we", "this", "that", "these", "those", "there",
             "sources", "source", "authorities", "officials", "official", "police", "however",
             "also", "but", "and", "the", "a", "an", "no", "reports", "report", "media",
             "government", "army", "military", "security", "witnesses", "residents", "locals",
             "analysts", "investigators", "prosecutors", "ministry", "spokesman", "statement"}
# How far (characters) a claim of responsibility reaches: its paragraph and the next.
NEAR = 600
_PAREN = re.compile(r"\s*\([^)]*\)")


def perpetrator_of(ctx: DocContext, reading: sem.Reading, span: Span, group: str,
                   s: Sentence, nxt_sent: Sentence | None) -> tuple[Actor | None, str | None,
                                                                    bool]:
    """(actor, text, explicit). Not explicit: a guess from the document, settled once
    the whole document has been read (see `settle_perpetrators`)."""
    side = _loser(ctx, reading) or _side_of_phrase(ctx, reading)
    if side is not None:
        ctx.victim_sides[len(ctx.claims)] = side
    actor, text = _in_clause(ctx, reading, span, group)
    if actor is not None or text is not None:
        if actor is not None and reading.metric != "arrested":
            ctx.events.append((ctx.sentence_start, actor))
        return actor, text, True
    if reading.metric == "released":
        return None, None, False  # done by whoever holds them: settled from the kidnapping
    own = [a for off, a, _ in responsibility(ctx) if s.start <= off < s.end]
    if own and group != "militants":
        # a claim of responsibility ties this figure, not the article's other events
        ctx.explicit[own[0]] -= 1
        return own[0], None, True
    nxt_claims = [a for off, a, _ in responsibility(ctx)
                  if nxt_sent is not None and nxt_sent.start <= off < nxt_sent.end]
    if NO_CLAIM.search(s.text) or (nxt_sent and NO_CLAIM.search(nxt_sent.text)
                                   and not nxt_claims):
        return None, None, True
    return None, None, False


def _side_of_phrase(ctx: DocContext, reading: sem.Reading) -> Actor | None:
    """'five Armenian troops', '22 anti-balaka': whose the counted are, by the words from
    the figure to the head of their phrase."""
    noun = reading.noun
    words = [w for w in noun.subtree if w.i <= noun.i]
    nums = [w for w in words if w.like_num]
    if nums:
        words = [w for w in words if w.i > nums[-1].i] or [noun]
    text = noun.doc[words[0].i:noun.i + 1].text
    if noun.i + 2 < len(noun.doc) and noun.nbor(1).text == "-":  # "anti-balaka"
        text = noun.doc[words[0].i:noun.i + 3].text
    actor = named_in(ctx.lex, text)
    if actor is not None:
        return actor
    for w in words:
        if w.text[:1].isupper():
            state = _demonym(ctx.lex, w.text)
            if state is not None:
                return state
    return None


def _in_clause(ctx: DocContext, reading: sem.Reading, span: Span,
               group: str) -> tuple[Actor | None, str | None]:
    lex = ctx.lex
    v = reading.verb
    agent: Token | None = None
    if v is not None:
        agent = syntax.agent(v, reading.passive)
    if agent is None:
        agent = _nominal_agent(reading.noun)  # "the killing of 100 civilians by X"
    if agent is not None and agent.lower_ in ("it", "they", "we"):
        agent = syntax.reporter_subject(agent) or agent
    if v is not None and v.lemma_.lower() in ("lose", "die", "perish", "succumb"):
        # "the army lost 25 soldiers", "12 soldiers died": the subject is the victims' side
        agent = None
    if agent is None and v is not None:
        agent = _when_agent(v)  # "... were killed when gunmen stormed the school"
    if agent is None:
        agent = _acl_agent(reading.noun)  # "guards kidnapped by X were released"
    if agent is not None and v is not None and _reported_by(v, agent, lex):
        agent = None  # "..., the sergeant told AFP, updating the toll": who told it
    if agent is not None:
        if agent.lemma_.lower() in EVENT_NOUNS:
            actor = actor_in_event(ctx, agent)
            if actor:
                return actor, syntax.subtree_text(agent)
        else:
            actor, text = actor_of_phrase(ctx, agent, span)
            if actor:
                return actor, text
            if agent.lower_ in lex.anaphors:
                return None, text  # "the rebels", named nowhere in the article
            if _is_unnamed(agent):
                ctx.unnamed.add(len(ctx.claims))  # "gunmen killed ...": only a claim names them
    # The event the act happened in: first those the verb governs, then any in the sentence
    # ("in Taliban attacks", "an IS-claimed attack").
    events = [t for t in span if t.lemma_.lower() in EVENT_NOUNS]
    if v is not None:
        events.sort(key=lambda t: not syntax.in_clause(t, v))
    for t in events:
        actor = actor_in_event(ctx, t)
        if actor and not (group == "militants" and actor.side == "insurgent"):
            return actor, " ".join(c.text for c in t.lefts) + " " + t.text
    return None, None


def _reported_by(v: Token, agent: Token, lex: Lexicon) -> bool:
    """Whether the agent found is the subject of a report the act's clause modifies."""
    x = v
    while x.i != agent.head.i and x.head.i != x.i:
        if x.dep_ == "advcl" and x.head.lemma_.lower() in lex.reporting_verbs:
            return True
        x = x.head
    return False


def _acl_agent(noun: Token) -> Token | None:
    for c in noun.children:
        if c.dep_ in ("acl", "relcl"):
            for a in c.children:
                if a.dep_ == "agent":
                    return next((p for p in a.children if p.dep_ == "pobj"), None)
    return None


def _when_agent(v: Token) -> Token | None:
    """The doer of the act a casualty clause is timed by: 'were killed when militants
    stormed the post', 'were wounded after their bus was hit by a rocket fired by X'."""
    for c in v.children:
        if c.dep_ != "advcl" or not any(m.dep_ in ("mark", "advmod") and m.lower_ in (
                "when", "after", "as", "while") for m in c.children):
            continue
        passive = any(x.dep_ in ("nsubjpass", "auxpass") for x in c.children)
        a = syntax.agent(c, passive)
        if a is not None and a.lower_ not in ("they", "he", "she", "we", "it", "who"):
            return a
    return None


def _is_unnamed(t: Token) -> bool:
    """'gunmen', 'unidentified attackers', 'armed men', 'terrorist armed groups'."""
    return t.lemma_.lower() in UNNAMED or t.lower_ in UNNAMED or any(
        c.lower_ in ("unidentified", "unknown", "armed", "terrorist", "suspected")
        for c in t.children)


def _nominal_agent(noun: Token) -> Token | None:
    """'the shooting of at least 40 miners ... by private guards' (the parser may hang
    the by-phrase on the verb whose object the killing is)."""
    head = noun.head
    if noun.dep_ != "pobj" or head.lower_ != "of" or head.head.lemma_.lower() not in (
            "killing", "massacre", "death", "murder", "abduction", "kidnapping", "execution"):
        return None
    act = head.head
    holders = [act] + ([act.head] if act.dep_ in ("dobj", "obj") else [])
    for h in holders:
        for c in h.children:
            if c.dep_ in ("prep", "agent") and c.lower_ == "by" and c.i > noun.i:
                return next((p for p in c.children if p.dep_ == "pobj"), None)
    return None


def actor_in_event(ctx: DocContext, event: Token) -> Actor | None:
    """'Taliban attack', 'Israeli raid', 'military airstrike', 'attack by ISIS',
    'an IED planted by al-Shabab'."""
    lex = ctx.lex
    mods = [c for c in event.lefts if c.dep_ in ("compound", "amod", "nmod", "poss",
                                                 "npadvmod")]
    text = " ".join(syntax.subtree_text(c) for c in mods) + " " + event.text
    actor = named_in(lex, text)
    if actor is None:
        # "an attack by ISIS", "a firefight with Abu Sayyaf members", "bombs dropped by X"
        preps = ("by", "with") if event.lemma_.lower() in FIGHTS else ("by",)
        holders = [event] + [c for c in event.children if c.dep_ == "acl"]
        by = [p for h in holders for c in h.children
              if c.dep_ in ("prep", "agent") and c.lower_ in preps
              for p in c.children if p.dep_ == "pobj"]
        if by:
            actor, _ = actor_of_phrase(ctx, by[0], None)
            if actor is None and _is_unnamed(by[0]):
                ctx.unnamed.add(len(ctx.claims))  # "an attack by unidentified gunmen"
    if actor is None and event.lemma_.lower() not in TWO_SIDED:
        for c in mods:
            country = lex.state_names.get(c.lower_)
            if country:
                actor = forces_of(country, lex)
                break
            if c.lower_ in lex.state_force_words or c.lower_ == "junta":
                actor = ctx.country_forces
                break
            named = _demonym_forces(ctx, c, None)
            if named is not None:
                actor = named
                break
    if actor is not None:
        ctx.explicit[actor] += 1
    return actor


def actor_of_phrase(ctx: DocContext, t: Token, span: Span | None) -> tuple[Actor | None, str]:
    """Resolve an agent phrase: a named group, a state's forces by nationality, a group's
    proper name, the article's group ("the insurgents"), the country's forces ("the army")."""
    lex = ctx.lex
    words = list(t.subtree)
    text = t.doc[words[0].i:words[-1].i + 1].text
    if len(words) > 12:
        text = t.doc[max(words[0].i, t.i - 4):t.i + 1].text
    actor = named_in(lex, text)
    if actor is None and t.pos_ == "PROPN":
        # "al - Shabab" parsed as three subjects: the name is the run of proper nouns
        i, j = t.i, t.i
        while i > t.sent.start and (t.doc[i - 1].pos_ == "PROPN" or t.doc[i - 1].text == "-"):
            i -= 1
        while j + 1 < t.sent.end and (t.doc[j + 1].pos_ == "PROPN" or t.doc[j + 1].text == "-"):
            j += 1
        actor = named_in(lex, t.doc[i:j + 1].text)
    if actor is not None:
        return actor, text
    if t.lower_.endswith("s") and t.lower_[:-1] in lex.state_names and t.pos_ == "PROPN":
        return forces_of(lex.state_names[t.lower_[:-1]], lex), text  # "the Americans"
    if t.lower_ in FORCE_HEADS:
        for c in t.lefts:
            if c.dep_ in ("amod", "compound", "nmod", "poss"):  # "the junta's air force"
                found = _demonym_forces(ctx, c, span)
                if found is not None:
                    return found, text
    group = _group_name(ctx, t, span)
    if group is not None:
        return group, text
    if DEFENCE_BODY.search(text):
        return ctx.country_forces, text  # "the defence ministry said it had killed"
    # "the insurgents", "the army", "the government": the article's own
    actor, text = sem.actor_of_phrase(t, lex, ctx.main_actor, ctx.country_forces)
    return actor, text


def _demonym_forces(ctx: DocContext, t: Token, span: Span | None) -> Actor | None:
    """'Eritrean' in 'Eritrean troops': the forces of that nation, in or beyond the lexicon."""
    lex = ctx.lex
    country = lex.state_names.get(t.lower_)
    if country:
        return forces_of(country, lex)
    if not t.text[:1].isupper() or not re.search(r"(?:an|ese|i|ish|ch|ic)$", t.lower_):
        return None
    sent = span if span is not None else t.sent
    ent = entity_at(sent, t.i, t.i + 1, {"NORP"})
    if ent is None or ent.text != t.text:
        return None
    return Actor(name=f"{t.text} forces", side="government", kind="state")


def _group_name(ctx: DocContext, t: Token, span: Span | None) -> Actor | None:
    """'Shining Path guerrillas', 'members of the Shining Path', 'the Mountain Lions Front':
    an armed group the lexicon does not know, by the proper name the text gives it. A name
    led by a state's ('Kenya Defence Forces') or an army unit's ('the 13th Infantry
    Battalion') is that state's forces."""
    if t.lemma_.lower() not in MEMBER_HEADS and t.pos_ != "PROPN":
        return None
    words: list[Token] = []
    if t.pos_ == "PROPN":
        words = _propn_run(t)
    else:
        words = [c for c in t.lefts if c.pos_ == "PROPN" and c.dep_ in ("compound", "nmod")]
        if not words:
            of = next((p for c in t.children if c.lower_ == "of" for p in c.children
                       if p.dep_ == "pobj" and p.pos_ == "PROPN"), None)
            if of is not None:
                words = _propn_run(of)
    words = [w for w in words if not syntax.in_dateline(w)]
    if not words:
        return None
    if ARMY_UNIT.search(t.doc[words[0].i:t.i + 1].text):
        return ctx.country_forces
    country = ctx.lex.state_names.get(words[0].lower_)
    if country and any(w.lower_ in GROUP_WORDS | FORCE_HEADS | {"rangers", "defence", "defense"}
                       for w in words + [t]):
        return forces_of(country, ctx.lex)
    if t.pos_ == "PROPN" and not any(w.lower_ in GROUP_WORDS for w in words):
        return None  # a bare proper name acting is a person or a place as often as a group
    sent = span if span is not None else t.sent
    first, last = words[0], words[-1]
    ent = entity_at(sent, first.i, last.i + 1, {"ORG", "NORP", "PERSON", "GPE", "LOC", "FAC"})
    if ent is None or ent.label_ not in ("ORG",):
        return None  # a place, a nationality or a person is not a group
    name = _PAREN.sub("", ent.text).strip()
    name = re.sub(r"^(?:the|The)\s+|['’]s$", "", name).strip()
    if not name or name.lower() in NOT_NAMES or not name[:1].isupper() \
            or BODY_WORDS.search(name):
        return None
    return Actor(name=name, side="insurgent", kind="group")


def _propn_run(t: Token) -> list[Token]:
    """The proper name ending at `t`: its compounds and the words joined into it."""
    run = [t]
    i = t.i - 1
    while i >= t.sent.start and (t.doc[i].pos_ == "PROPN" or (
            t.doc[i].lower_ in ("of", "the", "al", "de") and i > t.sent.start
            and t.doc[i - 1].pos_ == "PROPN")):
        run.insert(0, t.doc[i])
        i -= 1
    while run and run[0].pos_ != "PROPN":
        run.pop(0)
    return run


def named_in(lex: Lexicon, text: str) -> Actor | None:
    """The actor the lexicon finds in a phrase; a name spelled out that only shares its
    bracketed initials with a known one ("Ambazonia Defence Forces (ADF)") is not it."""
    bare = _PAREN.sub("", text)
    actor = lex.actor_in(bare)
    if actor is None and bare != text and re.search(r"[A-Z][a-z]+\s+[A-Z]", bare):
        return None
    return actor or lex.actor_in(text)


def responsibility(ctx: DocContext) -> list[tuple[int, Actor, bool]]:
    """Every claim of responsibility and attribution in the text, read once: (offset,
    actor, whether it is about one event rather than a tally over time)."""
    if ctx.responsible is not None:
        return ctx.responsible
    found: list[tuple[int, Actor, bool]] = []
    text = ctx.document.text
    for words, pat in RESPONSIBILITY:
        if not any(w in text for w in words):
            continue
        for m in pat.finditer(text):
            lead = text[max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start()))
                        + 1:m.start()]
            if GENERIC_EVENTS.search(lead):
                continue  # "most attacks are attributed to X" is no one event's doer
            actor = _who(ctx, m.group("n"))
            end = text.find(".", m.end())
            tally = OVER_TIME.search(text[m.end():end if end > 0 else None])
            if actor is not None:
                found.append((m.start(), actor, tally is None))
    # "No group claimed responsibility" has no name; an anaphor is the article's group
    ctx.responsible = sorted(found, key=lambda x: x[0])
    return ctx.responsible


def _who(ctx: DocContext, name: str) -> Actor | None:
    lex = ctx.lex
    if re.fullmatch(ANAPHOR, name):  # "the group", "those groups": the article's group
        return ctx.main_actor
    actor = named_in(lex, name)
    if actor is not None:
        return actor
    first_named = re.split(r",?\s+and\s+", _PAREN.sub("", name).strip())[0]
    bare = re.sub(r"^(?:The|the)\s+|['’]s$|\s+(?:network|group|movement|militia|militants|"
                  r"fighters|rebels|faction)$", "", first_named).strip()
    if bare.lower() in lex.state_names:
        return forces_of(lex.state_names[bare.lower()], lex)
    first = bare.split()[0].lower() if bare.split() else ""
    if not bare or first in NOT_NAMES or bare.lower() in lex.state_force_words:
        return None
    if len(bare.split()) == 1 and len(bare) <= 3 and not bare.isupper():
        return None
    return Actor(name=bare, side="insurgent", kind="group")


def _loser(ctx: DocContext, reading: sem.Reading) -> Actor | None:
    """'Ukrainian army units have lost 2,870 soldiers': the subject lost them."""
    v = reading.verb
    if v is None or v.lemma_.lower() != "lose":
        return None
    subj = syntax.subject(v)
    if subj is None:
        return None
    actor, _ = actor_of_phrase(ctx, subj, None)
    return actor


def _victim_side(ctx: DocContext, c: Claim) -> Actor | None:
    """The side the victims belong to, when their phrase says it: 'Armenian troops',
    'Taliban fighters', 'group members' (the article's group). Only the words before the
    phrase's first preposition or clause: 'peacekeepers in Sudan' are not Sudanese."""
    vtext = c.victim.text or ""
    if c.value.text and c.value.text in vtext:  # "the NPA 13 soldiers": a misread phrase
        vtext = vtext[vtext.index(c.value.text):]
    if re.search(r"\b(?:our|us)\b", c.victim.text or "", re.I):
        # "one of our men was killed": the side of who says it
        own = named_in(ctx.lex, c.source.org or "") if c.source.org else None
        if own is not None:
            return own
        m = re.search(r"([\w-]+)['’]s?\s+(?:spokes(?:man|woman|person)|commander|leader)",
                      c.evidence.sentence)
        if m is not None:  # "the group's spokesman said"
            named = named_in(ctx.lex, m.group(1))
            if named is not None or m.group(1).lower() in ctx.lex.anaphors:
                return named or ctx.main_actor
        if c.source.side == "insurgent":
            return ctx.main_actor
        if c.source.side == "government":
            return ctx.country_forces
    vtext = VICTIM_TAIL.split(vtext, maxsplit=1)[0]
    if not vtext:
        return None
    actor = named_in(ctx.lex, vtext)
    if actor is not None:
        return actor
    for w in re.findall(r"[A-Z][a-z]+", vtext):
        state = _demonym(ctx.lex, w)
        if state is not None:
            return state
    if re.search(r"\b(?:group|insurgents?|militants?|rebels?)\b", vtext) and ctx.main_actor:
        return ctx.main_actor
    return None


def _demonym(lex: Lexicon, word: str) -> Actor | None:
    """'Malian' names the Malian army; 'Mali' names a place."""
    country = lex.state_names.get(word.lower())
    forces = forces_of(country, lex) if country else None
    if forces is not None and forces.name.split()[0].lower() == word.lower():
        return forces
    return None


def _same_side(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None:
        return False
    return a == b or (a.kind == "state" and b.kind == "state" and a.country is not None
                      and a.country == b.country)


def settle_perpetrators(ctx: DocContext) -> None:
    """Claims whose sentence names no perpetrator take the one the text ties their event
    to: the doer of the event told before ("the strike"), a claim of responsibility
    nearby, or the article's main doer; killed fighters and arrests take the state forces
    fighting them. The victims' own side is never the doer."""
    named = [a for a, n in ctx.explicit.most_common() if n > 0 and a.kind in ("group", "state")]
    mentioned = [a for a, _ in ctx.mentions.most_common() if a.kind in ("group", "state")]
    local = [ctx.country_forces] if ctx.country_forces else []
    # the country's own forces fight its insurgents, unless the text names others acting
    states = local + [a for a in named + mentioned if a.kind == "state"] + _nations(ctx)
    groups = [a for a in named if a.kind == "group"] + (
        [ctx.main_actor] if ctx.main_actor else [])
    air_powers = [a for a in named + mentioned if a.side == "government"] + local
    # the article's doer: who the text says did its acts, not who killed the fighters
    acts = Counter(c.perpetrator.actor for c in ctx.claims if c.perpetrator.text
                   and c.perpetrator.actor and c.victim.group != "militants"
                   and c.metric not in ("arrested", "released"))
    doers = [d for d in (_by_name(ctx, n) for n, _ in acts.most_common())
             if d is not None and d.kind in ("group", "state")]
    doer = doers[0] if doers else None
    fought = Counter(c.perpetrator.actor for c in ctx.claims if c.perpetrator.text
                     and c.victim.group == "militants" and c.perpetrator.actor)
    fighting = [d for d in (_by_name(ctx, n) for n, _ in fought.most_common())
                if d is not None and d.kind == "state"]
    if doer is None and ctx.main_actor and ctx.mentions[ctx.main_actor] >= 2:
        doer = ctx.main_actor
    claimed = responsibility(ctx)
    terror = len(TERROR_WORDS.findall(ctx.document.text)) >= 2
    guessed = dict(ctx.guessed)
    scene: tuple[int, str | None] | None = None  # (offset, doer) of the last event's claim
    for i, c in enumerate(ctx.claims):
        if i not in guessed:
            if c.metric in ("killed", "wounded", "casualties", "kidnapped") \
                    and c.victim.group != "militants" and c.perpetrator.text:
                scene = (c.evidence.start, c.perpetrator.actor)
            continue
        group = guessed[i]
        if c.metric == "released":
            # hostages freed without a named releaser: by those the text says took them
            takers = sorted(((abs(k.evidence.start - c.evidence.start), k.perpetrator.actor)
                             for k in ctx.claims if k.metric == "kidnapped"
                             and k.perpetrator.actor and k.perpetrator.text), key=lambda x: x[0])
            if takers and group != "prisoners":
                ctx.claims[i] = replace(c, perpetrator=Perpetrator(takers[0][1], None))
            continue
        side = ctx.victim_sides.get(i) or _victim_side(ctx, c) or _inherited_side(ctx, i)
        sentence = c.evidence.sentence
        actor: Actor | None = None
        fighters = group == "militants" or (group == "unknown" and bool(FIGHTER_VICTIMS.search(
            VICTIM_TAIL.split(c.victim.text or "", maxsplit=1)[0])))
        if fighters or c.metric == "arrested" or (side is not None and side.kind == "group"):
            # the state the text shows fighting them, else one acting from abroad, else
            # the country's own forces
            home = side.country if side is not None else (
                ctx.main_actor.country if ctx.main_actor else None)
            foreign = [a for a in named if a.kind == "state" and home and a.country != home]
            actor = next((a for a in fighting + foreign + states if not _same_side(a, side)),
                         None)
            if actor is not None:
                ctx.claims[i] = replace(c, perpetrator=Perpetrator(actor.name, None))
            continue
        if side is not None and side.kind == "state":
            # one state's soldiers killed: by the group the article is about, else by the
            # other state it names
            # where the text tells of terrorism, a state is the doer only if named acting
            foes = _belligerents(ctx) if terror else set()
            others = [a for a in groups if not _same_side(a, side)] + [
                a for a in states if not _same_side(a, side)
                and (not terror or a in named or a.country in foes)]
            if TERROR_WORDS.search(sentence):
                others = [a for a in others if a.side != "government"]
            actor = None if i in ctx.unnamed else next(iter(others), None)
        else:
            cands: list[Actor | None] = []
            near = [(abs(off - c.evidence.start), a) for off, a, one in claimed
                    if one and c.evidence.start - NEAR <= off <= c.evidence.end + NEAR]
            apart = bool(SEPARATE_EVENT.search(sentence))
            if i in ctx.unnamed or apart:
                pass  # "gunmen", "in a separate attack": only a claim names them
            elif scene is not None and (DEFINITE_EVENT.search(sentence) or c.kind == "incident"
                                        or c.evidence.start - scene[0] <= NEAR // 2):
                cands.append(_by_name(ctx, scene[1]))  # the same event, told on
            if near:
                cands.append(min(near, key=lambda x: x[0])[1])
            if doer is not None and i not in ctx.unnamed and not apart:
                cands.append(doer)
            if AIR_WORDS.search(sentence):
                air = [a for a in cands if a is not None and a.side == "government"]
                cands = list((air or air_powers)[:1])
            for a in cands:
                if a is not None and a.side == "government" and (
                        group == "security_forces" or TERROR_WORDS.search(sentence)
                        or (DEVICES.search(sentence) and not AIR_WORDS.search(sentence))):
                    continue  # a state does not bomb like a terrorist, nor kill its own
                actor = a
                break
        if actor is not None:
            ctx.claims[i] = replace(c, perpetrator=Perpetrator(actor.name, None))
        if c.metric in ("killed", "wounded", "casualties", "kidnapped"):
            scene = (c.evidence.start, actor.name if actor else None)


def _by_name(ctx: DocContext, name: str | None) -> Actor | None:
    if name is None:
        return None
    for a in list(ctx.explicit) + list(ctx.mentions):
        if a.name == name:
            return a
    return Actor(name=name, side="insurgent", kind="group")


def _belligerents(ctx: DocContext) -> set[str | None]:
    """The countries the text sets against each other: 'between Azerbaijani and Armenian
    troops', 'clashes between Russia and Ukraine', 'the Russian invasion of Ukraine'."""
    out: set[str | None] = set()
    text = ctx.document.text
    for m in re.finditer(r"\b(?:between|invasion of|war (?:on|against|with)|attack on|"
                         r"offensive (?:on|against))\s+(?:the\s+)?([A-Z][a-z]+)(?:\s+(?:and|"
                         r"or)\s+(?:the\s+)?([A-Z][a-z]+))?", text):
        for w in m.groups():
            if w and w.lower() in ctx.lex.state_names:
                out.add(ctx.lex.state_names[w.lower()])
        before = text[max(0, m.start() - 30):m.start()].split()
        if m.group(0).startswith(("invasion", "war", "attack", "offensive")) and before:
            w = before[-1].strip(",.;:'’s")
            if w.lower() in ctx.lex.state_names:
                out.add(ctx.lex.state_names[w.lower()])
    return out


def _nations(ctx: DocContext) -> list[Actor]:
    """The state forces of every nation the text names by its demonym, most named first."""
    counts: dict[Actor, int] = {}
    for w in re.findall(r"\b[A-Z][a-z]+\b", ctx.document.text):
        state = _demonym(ctx.lex, w)
        if state is not None:
            counts[state] = counts.get(state, 0) + 1
    return sorted(counts, key=lambda k: -counts[k])


def _inherited_side(ctx: DocContext, i: int) -> Actor | None:
    """'... lost 1,240 troops, while a further 2,100 were wounded': the same side."""
    c = ctx.claims[i]
    if i == 0 or not re.match(r"(?:a )?(?:further|other|more|another|additional)\b|\d",
                              c.victim.text or c.value.text or ""):
        return None
    prev = ctx.claims[i - 1]
    if prev.evidence.start != c.evidence.start:
        return None
    return ctx.victim_sides.get(i - 1) or _victim_side(ctx, prev)
