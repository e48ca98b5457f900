"""Denials as constructions, read from the dependency parse.

Shapes (word classes in data/denials.yaml):
- a denial verb with a noun object: the claim ("rejected the figures", "the Taliban claim"),
  the act ("denied involvement", "denied the attack") or losses ("denied any casualties");
- with a that-clause or a gerund: "denied that its forces fired on the crowd", "denied
  shelling the market", "denied being behind the massacre";
- an evaluation: "said it was fake news", "called the figures false", "the report is not
  true", "dismissed them as propaganda";
- a counter-statement: "only 137 and not 287 were taken", "insisted none of its soldiers
  died", "said the strike hit only fighters";
- an evaluation whose figure only the denial gives ("what the army said about 107 girls is
  not true"): what that claim said happened is taken from where the article spells it out.

`read_denial` reads a sentence's constructions into `Denial`s (what the parse says, and who
denies); `denied_records`, once the whole article is read, decides which figures each one
points at and copies them (what, whom, where, when) as denied records with the denier as
source and the denial as evidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

from tally.claims import Claim, Evidence, Value, Victim
from tally.claims import Source as SourceField
from tally.nlp import attribution as attr
from tally.nlp import syntax
from tally.nlp.context import DocContext
from tally.nlp.figures import figures_of, find_claim_figures
from tally.nlp.lexicon import Actor, Lexicon
from tally.nlp.numbers import Figure
from tally.nlp.semantics import counted_head, victim_of
from tally.nlp.sentences import Sentence
from tally.nlp.sources import source_of
from tally.nlp.version import PIPELINE

DATA = Path(__file__).parent / "data" / "denials.yaml"
VIOLENCE = frozenset({"killed", "wounded", "casualties", "attacks", "kidnapped", "missing"})
DEATHS = frozenset({"killed", "casualties"})
LOSSES = frozenset({"killed", "wounded", "casualties", "missing"})
PRONOUNS = {"it", "this", "that", "they", "them", "these", "those"}
NAME_STOP = {"the", "of", "and", "in", "a", "an", "for", "on", "to", "'s", "’s", "by",
             "spokesman", "spokeswoman", "spokesperson", "official", "officials", "source",
             "sources", "said"}


@dataclass(frozen=True)
class Words:
    verbs: frozenset[str]
    claim_nouns: frozenset[str]
    figure_nouns: frozenset[str]
    act_nouns: frozenset[str]
    loss_nouns: frozenset[str]
    act_verbs: frozenset[str]
    false_words: frozenset[str]
    true_words: frozenset[str]
    calling_verbs: frozenset[str]
    demonstratives: frozenset[str]
    adversaries: frozenset[str]
    event_nouns: frozenset[str]
    counter: tuple[str, ...]
    hit_verbs: frozenset[str]


@lru_cache(maxsize=1)
def words() -> Words:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    sets = {k: frozenset(str(w).lower() for w in raw[k]) for k in Words.__dataclass_fields__
            if k != "counter"}
    return Words(counter=tuple(str(w) for w in raw["counter"]), **sets)


# What the parse says ---------------------------------------------------------------------


@dataclass
class Construction:
    """One denial in a sentence, before the article is consulted."""

    trigger: Token  # the denial verb, or the word of the evaluation
    denier: Token | None  # head of the denier's phrase
    shape: str  # "claim" (someone's statement of figures), "act", "losses", "none"
    scope: list[Token]  # what is denied, as written: the figures in it are denied
    noun: Token | None = None  # the claim, act or loss noun
    claimant: Token | None = None  # whose claim: "the Taliban claim", "the claim by the HDP"
    adversary: bool = False  # "the enemy's claim": the other side's
    plural: bool = False
    points_back: bool = False  # "that toll", "it was fake news"
    agent: Token | None = None  # who is said to have done the act ("that its forces fired")
    victim: str | None = None  # "civilian casualties", "violence against civilians"
    metrics: frozenset[str] = VIOLENCE
    one_event: bool = False  # "reports of the attack"
    whole_sentence: bool = False  # "..., a claim denied by Kigali": the sentence's figures
    victims: Token | None = None  # "none": who is said not to have died
    # "the report that nearly every hostage had been released": what the claim says happened
    content_metric: str | None = None
    reported: bool = False  # "contradicted X, who said ...": the scope is what X said


def constructions(span: Span, lex: Lexicon) -> list[Construction]:
    w = words()
    out: list[Construction] = []
    for t in span:
        lem = t.lemma_.lower()
        c: Construction | None = None
        if t.pos_ == "VERB" and lem in w.verbs:
            c = _verb_denial(t, lex)
        elif lem in w.false_words or t.lower_ in w.false_words or \
                (lem in w.true_words and _negated(t)):
            c = _evaluation(t, lex)
        elif t.pos_ == "VERB" and lem in lex.verb_metric:
            c = _none_died(t, lex) or _only_these(t, lex)
        elif t.pos_ == "VERB" and lem in w.hit_verbs:
            c = _only_these(t, lex)
        if c is not None:
            out.append(c)
    return out


def _negated(t: Token) -> bool:
    if any(c.dep_ == "neg" for c in t.children):
        return True
    return t.dep_ in ("acomp", "attr") and any(c.dep_ == "neg" for c in t.head.children)


def _hedged(v: Token) -> bool:
    """'did not deny', 'could deny', 'if they deny': not a denial."""
    return any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in
                                   ("could", "would", "might", "may", "will", "should"))
               or (c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless"))
               for c in v.children)


def _verb_denial(v: Token, lex: Lexicon) -> Construction | None:
    w = words()
    if _hedged(v):
        return None
    agent = next((p for c in v.children if c.dep_ == "agent" for p in c.children
                  if p.dep_ == "pobj"), None)
    if v.dep_ in ("acl", "relcl") and agent is not None and _lemma(v.head) in w.claim_nouns:
        # "..., a claim denied by Kigali": the claim is what the sentence reports
        return Construction(v, agent, "claim", [], noun=v.head, whole_sentence=True)
    passive = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
    if passive is not None:  # "the report was rejected by the army"
        if agent is None:
            return None
        return _noun_denial(v, agent, passive, lex)
    denier = syntax.subject(v)
    if denier is None and v.dep_ == "relcl":
        denier = v.head  # "the Taliban, who rejected ..."
    for comp in v.children:
        if comp.i < v.i:
            continue
        if comp.dep_ in ("dobj", "obj"):
            if comp.pos_ == "PRON":
                continue  # "rejected it": what "it" is, an evaluation says
            if comp.pos_ == "PROPN" and comp.i + 1 < len(v.doc) and \
                    _lemma(v.doc[comp.i + 1]) in w.claim_nouns and v.doc[comp.i + 1].head != comp:
                # "rejected the Defence Ministry report" parsed with the name as object
                c = _noun_denial(v, denier, v.doc[comp.i + 1], lex)
                if c is not None:
                    c.claimant, c.scope = comp, list(comp.subtree) + c.scope
                    return c
            c = _noun_denial(v, denier, comp, lex)
            if c is not None:
                return c
            # (the clause may hang on an apposition: "X, the ministry's spokesman, who said")
            said = [r for r in comp.subtree if r.dep_ in ("relcl", "acl")
                    and (r.head == comp or r.head.dep_ == "appos" and r.head.head == comp)
                    and _lemma(r) in lex.reporting_verbs and _has_figure(list(r.subtree))]
            if said:  # "contradicted the police chief, who had said 14 died": what was said
                return Construction(v, denier, "claim", list(said[0].subtree), claimant=comp,
                                    reported=True)
        elif comp.dep_ == "ccomp":
            subj = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and _lemma(subj) in w.claim_nouns:
                # "denied the claim (of the rebels) 13 soldiers were killed"
                c = _noun_denial(v, denier, subj, lex)
                if c is not None:
                    c.scope = list(comp.subtree)
                    return c
            scope = list(comp.subtree)
            if _has_figure(scope) or (_act_in(scope) and not _habitual(v)):
                # "denied that its forces fired": its forces; "that civilians were killed": -
                doer = subj if subj is not None and subj.dep_ == "nsubj" else None
                return Construction(v, denier, "act", scope, agent=doer,
                                    victim=_victim(scope))
        elif comp.dep_ in ("xcomp", "pcomp"):
            scope = list(comp.subtree)
            if _act_in(scope) and not _habitual(v):
                # "denied shelling the market": the denier did not
                return Construction(v, denier, "act", scope, victim=_victim(scope))
    return None


def _habitual(v: Token) -> bool:
    """'Russia denies targeting civilians', 'has continued to deny ...': a standing
    denial of a policy, not of a figure the article gives."""
    if v.tag_ in ("VBZ", "VBP"):
        return True
    return v.dep_ == "xcomp" and v.head.lemma_.lower() in ("continue", "keep")


def _noun_denial(v: Token, denier: Token | None, noun: Token,
                 lex: Lexicon) -> Construction | None:
    w = words()
    lem = _lemma(noun)
    scope = list(noun.subtree)
    # "denied any role in the killing of civilians": the parse may hang the phrase on the verb
    tail = [t for c in v.children if c.dep_ == "prep" and c.i > noun.i for t in c.subtree]
    victim = _victim(scope + tail)
    if lem == "number" and any(c.dep_ == "det" and c.lower_ == "a" for c in noun.children):
        return None  # "rejected a number of proposals": a quantity
    if lem in w.claim_nouns:
        claimant, adversary = _claimant(noun, lex)
        of_act = [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                  for p in c.children if p.dep_ in ("pobj", "pcomp")
                  and (_lemma(p) in w.act_nouns or _lemma(p) in w.act_verbs)]
        if of_act and claimant is None and not _has_figure(scope):
            # "denied allegations of abuse against villagers": the act itself
            if _habitual(v):
                return None
            return Construction(v, denier, "act", scope, noun=of_act[0], victim=victim,
                                metrics=_metrics(scope + tail))
        content = [c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl")
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if content and claimant is None and not _has_figure(scope):
            return None  # "refuted reports that there were countless deaths": no figure
        content_metric = next((m for cl in content for m in [_metric_word(cl, lex)] if m), None)
        if _lemma(noun) in w.act_nouns or lem in ("allegation", "accusation", "charge"):
            if _habitual(v) and not _has_figure(scope):
                return None
        return Construction(v, denier, "claim", scope, noun=noun, claimant=claimant,
                            adversary=adversary, plural=noun.tag_ in ("NNS", "NNPS"),
                            points_back=_points_back(noun), victim=victim,
                            metrics=_metrics(scope), one_event=_one_event(noun),
                            content_metric=content_metric)
    if lem in w.act_nouns:
        if _habitual(v):
            return None
        return Construction(v, denier, "act", scope, noun=noun, victim=victim,
                            metrics=_metrics(scope + tail))
    if lem in w.loss_nouns:
        if victim is not None:  # "denied civilian casualties": that it caused them
            return Construction(v, denier, "act", scope, noun=noun, victim=victim,
                                metrics=_metrics(scope + tail))
        return Construction(v, denier, "losses", scope, noun=noun, metrics=LOSSES)
    return None  # "denied entry", "rejected the appeal"


def _evaluation(t: Token, lex: Lexicon) -> Construction | None:
    """'X said it was fake news', 'called the figures false', 'the report is not true'."""
    w = words()
    if t.lemma_.lower() in w.false_words and _negated(t):
        return None  # "the figures are not false"
    p = t
    if t.dep_ in ("amod", "compound") and t.head.dep_ in ("attr", "acomp", "oprd", "pobj",
                                                           "dobj"):
        p = t.head  # "fake news", "a baseless claim"
    subject: Token | None = None
    scope: list[Token] = []
    reporter: Token | None = None
    if p.dep_ == "pobj" and p.head.lower_ == "as" and _lemma(p.head.head) in w.calling_verbs:
        caller = p.head.head  # "dismissed them as propaganda", "describing 150 as an invention"
        subject = next((c for c in caller.children if c.dep_ in ("dobj", "obj")), None)
        reporter = caller
    elif p.dep_ in ("oprd", "acomp", "ccomp", "xcomp") and _lemma(p.head) in w.calling_verbs \
            or p.dep_ == "advcl" and _lemma(p.head) in w.calling_verbs and \
            any(c.dep_ == "mark" and c.lower_ == "as" for c in p.children):
        caller = p.head  # "called the figures false", "described the figures as fabricated"
        subject = next((c for c in caller.children if c.dep_ in ("dobj", "obj")), None)
        reporter = caller
    elif p.dep_ in ("dobj", "obj") and _lemma(p.head) in w.calling_verbs:
        # "branded the claim propaganda", parsed as one noun phrase
        subject = next((c for c in p.children if c.dep_ == "compound"
                        and _lemma(c) in w.claim_nouns), None)
        reporter = p.head
    elif p.dep_ in ("attr", "acomp"):
        cop = p.head
        # "the report is not true", "what the army said is not true"
        subject = next((c for c in cop.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")),
                       None)
        if any(c.dep_ in ("xcomp", "ccomp") and c.i > p.i for c in cop.children) or \
                any(c.dep_ in ("xcomp", "ccomp") for c in p.children):
            return None  # "it was wrong to blame them": 'it' stands for what follows
        reporter = next((a for a in cop.ancestors if a.pos_ == "VERB"), None)
        if reporter is not None and reporter.i < cop.i:
            # the parse may cut "the casualty figure of 500 ... was wrong" short: what lies
            # between the reporting verb and the copula is what is called wrong
            between = list(t.doc[reporter.i + 1:cop.i])
            scope = between if (_has_figure(between) or _claim_noun_in(between)) else scope
    if subject is None and not scope:
        return None
    if not scope and subject is not None:
        scope = list(subject.subtree)
    if reporter is not None and _hedged(reporter):
        return None
    denier = syntax.subject(reporter) if reporter is not None else None
    if denier is not None and any(denier.i == s.i for s in scope):
        denier = None
    if _has_figure(scope):
        return Construction(t, denier, "claim", scope, victim=_victim(scope))
    if subject is not None and subject.lower_ in PRONOUNS and len(scope) == 1:
        return Construction(t, denier, "claim", scope, points_back=True,
                            plural=subject.lower_ in ("they", "them", "these", "those"))
    noun = _claim_noun_in(scope)
    if noun is not None:
        claimant, adversary = _claimant(noun, lex)
        return Construction(t, denier, "claim", scope, noun=noun, claimant=claimant,
                            adversary=adversary, plural=noun.tag_ in ("NNS", "NNPS"),
                            points_back=_points_back(noun), victim=_victim(scope),
                            metrics=_metrics(scope), one_event=_one_event(noun))
    return None


def _none_died(v: Token, lex: Lexicon) -> Construction | None:
    """'insisted none of its soldiers died', 'said no civilians were killed': a count of
    nought, said by someone, against the figures others give."""
    subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    victims: Token | None = None
    if subj.lower_ in ("none", "nobody") or (subj.lower_ == "one" and any(
            c.lower_ == "no" for c in subj.children)):
        victims = next((p for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"
                        for p in c.children if p.dep_ == "pobj"), None)
        victims = victims or subj
    elif any(c.dep_ == "det" and c.lower_ == "no" for c in subj.children):
        victims = subj
    if victims is None:
        return None
    reporter = next((a for a in v.ancestors if a.pos_ == "VERB"
                     and (_lemma(a) in lex.reporting_verbs or _lemma(a) == "insist")), None)
    denier = syntax.subject(reporter) if reporter is not None else None
    return Construction(v, denier, "none", [], victims=victims,
                        metrics=frozenset({lex.verb_metric[_lemma(v)]}))


def _only_these(v: Token, lex: Lexicon) -> Construction | None:
    """'insisted only fighters were killed', 'said the strike hit only militants': the
    dead were of one group alone, against the figures others give of another group."""
    for c in v.children:
        if c.dep_ in ("nsubjpass", "dobj", "obj", "nsubj") and any(
                m.lower_ == "only" and m.dep_ in ("amod", "advmod") for m in c.children) and \
                not any(m.dep_ == "nummod" for m in c.children):  # "only 14 fighters": a count
            if c.dep_ == "nsubj" and _lemma(v) in lex.verb_metric and \
                    lex.verb_metric[_lemma(v)] != "killed":
                continue
            reporter = next((a for a in v.ancestors if a.pos_ == "VERB" and (
                _lemma(a) in lex.reporting_verbs or _lemma(a) == "insist")), None)
            if reporter is None:
                return None  # in the reporter's voice: a fact, not a counter-statement
            metric = lex.verb_metric.get(_lemma(v), "killed")
            return Construction(v, syntax.subject(reporter), "only", [], victims=c,
                                metrics=frozenset({metric} | ({"casualties"} if metric in
                                                              DEATHS else set())))
    return None


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def _metric_word(clause: Token, lex: Lexicon) -> str | None:
    """What a content clause says happened: its verb's metric ('that the pupils had been
    freed': released), or its predicate word ('that they were missing')."""
    if _lemma(clause) in lex.verb_metric:
        return lex.verb_metric[_lemma(clause)]
    return next((lex.predicate[c.lower_] for c in clause.children
                 if c.dep_ in ("acomp", "attr") and c.lower_ in lex.predicate), None)


def _has_figure(toks: list[Token]) -> bool:
    return any(t.like_num or t.pos_ == "NUM" for t in toks)


def _act_in(toks: list[Token]) -> bool:
    w = words()
    return any((t.pos_ in ("VERB", "AUX", "ADP") and _lemma(t) in w.act_verbs)
               or (t.pos_ == "NOUN" and _lemma(t) in w.act_nouns)
               or (_lemma(t) == "open" and any(c.dep_ in ("dobj", "obj") and _lemma(c) == "fire"
                                               for c in t.children))  # "opened fire"
               for t in toks)


def _claim_noun_in(toks: list[Token]) -> Token | None:
    w = words()
    return next((t for t in toks if t.pos_ in ("NOUN", "PROPN") and _lemma(t) in w.claim_nouns),
                None)


def _victim(toks: list[Token]) -> str | None:
    return "civilians" if any(_lemma(t) in ("civilian", "civilians") for t in toks) else None


def _metrics(toks: list[Token]) -> frozenset[str]:
    lemmas = {_lemma(t) for t in toks}
    if lemmas & {"casualty", "loss"}:
        return LOSSES
    if lemmas & {"death", "toll", "killing", "dead", "massacre", "fatality"}:
        return DEATHS
    return VIOLENCE


def _points_back(noun: Token) -> bool:
    w = words()
    return any(c.dep_ in ("det", "amod") and c.lower_ in w.demonstratives for c in noun.children)


def _one_event(noun: Token) -> bool:
    w = words()
    return any(c.dep_ == "prep" and c.lower_ in ("of", "about", "on") and
               any(p.dep_ == "pobj" and _lemma(p) in w.event_nouns for p in c.children)
               for c in noun.children)


def _claimant(noun: Token, lex: Lexicon) -> tuple[Token | None, bool]:
    """Whose claim the noun is: a possessor, a name before it, 'by X', 'made by X'."""
    w = words()
    cands: list[Token] = []
    for c in noun.children:
        if c.dep_ == "poss" and c.pos_ != "PRON":
            cands.append(c)
        elif c.dep_ in ("compound", "amod", "nmod") and (
                c.pos_ == "PROPN" or lex.actor_in(c.text) or lex.org_in(c.text)
                or c.lower_ in lex.state_names or c.lower_ in w.adversaries):
            cands.append(c)
        elif c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
            cands.extend(p for p in c.children if p.dep_ == "pobj" and (
                p.pos_ == "PROPN" or lex.actor_in(syntax.subtree_text(p))
                or lex.org_in(syntax.subtree_text(p))))
        elif c.dep_ == "acl":  # "claims made by US forces"
            cands.extend(p for a in c.children if a.dep_ == "agent" for p in a.children
                         if p.dep_ == "pobj")
    if not cands:
        return None, False
    if any(c.lower_ in w.adversaries for c in cands):
        return None, True
    return cands[0], False


# The sentence in the article ---------------------------------------------------------------


@dataclass
class Denial:
    """A denial read in a sentence: who denies, and what the parse says it points at."""

    c: Construction
    source: attr.Source
    actor: Actor | None  # the denier as an actor the lexicon knows
    agent: Actor | None  # who the act is pinned on (the denier unless the clause names one)
    names: set[str]  # lower-case words that name the denier's people ("armenian", "yerevan")
    claimant: set[str] | None  # words that name whose claim it is
    claimant_side: str | None
    evidence: Evidence
    para: tuple[int, int]
    quote_speaker: bool = False  # "I/we reject ...": the quotation's speaker
    victim_group: str | None = None  # "none": the group of the people said not to have died
    own: list[tuple[int | None, int | None]] = field(default_factory=list)
    claimant_source: attr.Source | None = None  # "contradicted X, who said": X
    numbers: list[tuple[int | None, int | None]] = field(default_factory=list)
    # the figures of `numbers` as written, with the people they count
    written: dict[tuple[int | None, int | None], tuple[Value, Victim]] = \
        field(default_factory=dict)
    scope_words: set[str] = field(default_factory=set)  # the words of what is denied
    others_here: list[tuple[int | None, int | None]] = field(default_factory=list)


def read_denial(ctx: DocContext, span: Span, s: Sentence, nxt: Doc | None, text: str,
                para_start: int) -> None:
    if not s.text.rstrip().endswith((".", "”", '"', "’", "'", "!")):
        return  # headlines and captions are not statements
    _counter_statement(ctx, span, s)
    found = constructions(span, ctx.lex)
    if not found:
        return
    figures = figures_of(span.doc)
    if figures is None:
        figures = find_claim_figures(span, ctx.lex)
    mine_here = {(c.value.low, c.value.high) for c in ctx.claims if c.evidence.start == s.start}
    para_end = text.find("\n", s.end)
    for c in found:
        d = _denial(ctx, c, span, s, nxt, text, (para_start, para_end if para_end >= 0
                                                   else len(text)))
        if d is None:
            continue
        scope = {t.i for t in c.scope}
        for f in figures:
            value = (f.low, f.high)
            if f.head(span).i in scope or any(i in scope for i in range(f.num_start, f.num_end)):
                if value in mine_here:
                    d.own.append(value)
                elif c.shape == "claim":  # "the toll of 500 was wrong": the 500 given before
                    d.numbers.append(value)
                    counted = counted_head(f.head(span))
                    group, vtext = victim_of(counted, span, ctx.lex)
                    d.written[value] = (Value(f.low, f.high, f.qualifier, f.text),
                                        Victim(group, vtext))
            elif c.denier is not None and _reported_by_other(f, span, c):
                d.others_here.append(value)
        # whose claim it is may be named anywhere before the evaluation ("what the army
        # told the press about 45 workers is not true")
        d.scope_words = _name_words(" ".join(t.text for t in c.scope) + " " +
                                    span.doc[:c.trigger.i].text)
        ctx.denials.append(d)


def _reported_by_other(f: Figure, span: Span, c: Construction) -> bool:
    """'... denied it, after a hospital doctor said seven were killed': a figure of the same
    sentence that another subject reports."""
    tok = f.head(span)
    for a in tok.ancestors:
        if a.i == c.trigger.i:
            return False
        subj = next((x for x in a.children if x.dep_ in ("nsubj",)), None)
        if a.pos_ == "VERB" and subj is not None and a.lemma_.lower() in (
                "say", "announce", "report", "claim", "tell", "state", "add", "allege"):
            return c.denier is None or subj.i != c.denier.i
    return False


def _denial(ctx: DocContext, c: Construction, span: Span, s: Sentence, nxt: Doc | None,
            text: str, para: tuple[int, int]) -> Denial | None:
    lex = ctx.lex
    subj = c.denier
    quote_speaker = False
    src: attr.Source | None = None
    actor: Actor | None = None
    evaluation = _lemma(c.trigger) not in words().verbs  # found as a figure's source is
    if evaluation:
        # "X said it was fake news", "'... is not true,' the principal said": the one who
        # says it, found as a figure's source is
        found = source_of(ctx, c.trigger, span, attr.reporting_verbs(span, lex), nxt, text,
                          para[0], s.start)
        if found.speaker or found.org:
            src = found
        elif subj is None:
            return None
    if subj is None and src is not None:
        subj = c.trigger
    elif subj is None or not _can_deny(subj, lex):
        return None
    if src is not None:
        actor = lex.actor_in(src.org or "")
    elif subj.lower_ in ("i", "we") and attr.quote_depth(text, para[0], s.start + subj.idx) > 0:
        quote_speaker = True  # resolved when the quotation's speaker is known
        src = attr.Source(attribution="direct_quote")
        actor = None
    else:
        phrase = _subject_phrase(subj)
        actor = _actor_named(phrase, lex)
        if subj.lower_ in lex.anaphors or subj.lemma_.lower() in lex.anaphors:
            actor = actor or ctx.main_actor
        kept = ctx.memory.last_source  # who denies is not who speaks on for the figures
        src = attr.source_from_phrase(subj, lex, ctx.memory)
        ctx.memory.last_source = kept
        if actor is not None and subj.lower_ not in lex.anaphors and (
                src is None or src.org is None or lex.actor_in(src.org) not in (None, actor)
                or (actor.kind == "state" and src.org == actor.name)):
            # "the Pakistan military", "the X Front, a bloc that takes in the RSF":
            # the body as written, on the side of the actor it names
            src = attr.Source(speaker=src.speaker if src else None, org=_written(subj),
                              side=actor.side)
        if src is None and actor is not None:
            src = attr.Source(org=actor.name, side=actor.side)
        if src is None and subj.pos_ in ("NOUN", "PROPN"):
            # a denier the lexicon does not know ("the air force"): as written
            src = attr.Source(org=re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I),
                              side="unknown")
        if src is None:
            return None
        if actor is None and src.org:
            actor = lex.actor_in(src.org)
        if actor is None:
            country = next((lex.state_names[t.lower_] for t in subj.subtree
                            if t.lower_ in lex.state_names), None)
            if country:
                actor = next((a for a in lex.actors.values()
                              if a.kind == "state" and a.country == country), None)
    if not quote_speaker:
        at = c.denier if c.denier is not None else c.trigger
        kind = "direct_quote" if attr.quote_depth(text, para[0], s.start + at.idx) > 0 \
            else "indirect"
        src = replace(src, attribution=kind)
        src = _named_next(ctx, src, actor, nxt)
        if not src.speaker and c.denier is not None:
            src = _named_role(ctx, c.denier, src, s.start)
    agent = actor
    if c.agent is not None and c.agent.lower_ not in ("it", "they", "we", "its", "their"):
        agent = lex.actor_in(_subject_phrase(c.agent)) or agent
    names: set[str] = set()
    if actor is not None:
        names.add(actor.name.lower())
        names |= {k for k, a in lex.actors.items() if a == actor}
        if actor.country:
            names |= {n for n, cc in lex.state_names.items() if cc == actor.country}
    claimant: set[str] | None = None
    claimant_side: str | None = None
    if c.claimant is not None:
        ctext = syntax.subtree_text(c.claimant)
        claimant = _name_words(ctext) | _name_words(_expansion(text, ctext))
        a = lex.actor_in(ctext)
        o = lex.org_in(ctext)
        state = next((lex.state_names[t.lower_] for t in c.claimant.subtree
                      if t.lower_ in lex.state_names), None)
        claimant_side = a.side if a else o[1] if o else "government" if state else None
    group = None
    if c.victims is not None:
        found_group, _ = victim_of(c.victims, span, lex)
        group = found_group if found_group not in ("", "unknown") else None
    claimant_source = None
    if c.reported and c.claimant is not None:
        kept = ctx.memory.last_source
        claimant_source = attr.source_from_phrase(c.claimant, lex, ctx.memory)
        ctx.memory.last_source = kept
    return Denial(c=c, source=src, actor=actor, agent=agent, names=names, claimant=claimant,
                  claimant_side=claimant_side, evidence=Evidence(s.text, s.start, s.end),
                  para=para, quote_speaker=quote_speaker, victim_group=group,
                  claimant_source=claimant_source)


def _can_deny(subj: Token, lex: Lexicon) -> bool:
    """Someone who can deny: not 'the high casualties disprove ...'."""
    w = words()
    lem = _lemma(subj)
    return not (subj.like_num or lem in w.claim_nouns or lem in w.act_nouns
                or lem in w.loss_nouns or lem in lex.counted_noun or lem in lex.verb_metric)


def _actor_named(phrase: str, lex: Lexicon) -> Actor | None:
    """The actor a phrase names, a proper name before a common word ('a bloc that
    takes in the RSF': the RSF)."""
    found = [m.group(0) for m in lex.actor_pattern.finditer(phrase)]
    named = [f for f in found if f[:1].isupper()]
    pick = (named or found)[:1]
    return lex.actors[pick[0].lower()] if pick else None


def _written(t: Token) -> str:
    """A subject's name as written: its head and the words before it that name it."""
    toks = sorted([x for x in t.lefts if x.dep_ in ("compound", "amod", "nmod", "poss")
                   for x in x.subtree if not syntax.in_dateline(x)] + [t], key=lambda x: x.i)
    cut = max((i + 1 for i, x in enumerate(toks) if x.pos_ == "PUNCT"), default=0)
    return " ".join(x.text for x in toks[cut:])  # not "ISLAMABAD - ..." of a dateline


def _subject_phrase(t: Token) -> str:
    """The subject and what it is said to be ('the front, a bloc that takes in the
    RSF')."""
    return syntax.subtree_text(t)


def _named_next(ctx: DocContext, src: attr.Source, actor: Actor | None,
                nxt: Doc | None) -> attr.Source:
    """'The Taliban rejected the figures. "...," their spokesman Zabihullah Mujahid told
    AFP.': the denier's spokesman, named in the next sentence."""
    if nxt is None or src.speaker:
        return src
    nverbs = attr.reporting_verbs(nxt[:], ctx.lex)
    if not nverbs:
        return src
    nsubj = syntax.subject(nverbs[0])
    if nsubj is None:
        return src
    nsrc = attr.source_from_phrase(nsubj, ctx.lex, ctx.memory)
    # a speaker with a body of its own speaks for that body: one on the same side (a
    # ministry's official after the army's denial) is not the denier's spokesman
    if nsrc and nsrc.speaker and (nsrc.org == src.org or (actor is not None and (
            nsrc.org == actor.name or (not nsrc.org and nsrc.side == actor.side)))):
        via = attr.via_of(nverbs[0], nxt[:], ctx.lex, ctx.memory)
        return replace(src, speaker=nsrc.speaker, via=via)
    return src


def _named_role(ctx: DocContext, subj: Token, src: attr.Source, at: int) -> attr.Source:
    """'The principal denied ...' where the article names her elsewhere ('the principal,
    Jane Doe, said'): the person the article gave that role, the nearest mention."""
    definite = any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "their", "its", "his",
                                                              "her", "our")
                   for c in subj.children)
    if subj.pos_ != "NOUN" or not definite:
        return src
    role = subj.lower_
    named = [(abs(off - at), name) for off, name, desc in ctx.memory.intros
             if desc.split()[-1:] == [role]]
    if not named:
        return src
    person = ctx.memory.person(min(named)[1])
    if person is None or (src.org and person.org and person.org != src.org
                          and src.org.lower() != role):
        return src
    return replace(src, speaker=person.speaker, org=person.org if src.org and
                   src.org.lower() == role else src.org or person.org,
                   side=person.side if src.side == "unknown" else src.side)


def _counter_statement(ctx: DocContext, span: Span, s: Sentence) -> None:
    """'only 137 and not 287 were abducted': the figure after 'not' is the one denied."""
    w = words()
    figures = figures_of(span.doc)
    if figures is None or len(figures) < 2:
        return
    doc = span.doc
    for f in figures[1:]:
        before = doc[max(0, f.start - 3):f.start].text.lower()
        if not any(re.search(rf"(?:^|[\s,])(?:and |but |, )?{re.escape(k)}$", before)
                   for k in w.counter):
            continue
        for i, c in enumerate(ctx.claims):
            if c.evidence.start == s.start and c.stance == "asserted" and \
                    (c.value.low, c.value.high) == (f.low, f.high):
                ctx.claims[i] = replace(c, stance="denied")


_ACRONYM = re.compile(r"((?:[A-Z][\w’'-]*\s+){1,6})\(([A-Z]{2,8})\)")


def _expansion(text: str, name: str) -> str:
    """'the Peoples' Democratic Party (HDP)': what an acronym stands for in this article."""
    if not re.fullmatch(r"[A-Z]{2,8}", name.strip()):
        return ""
    for m in _ACRONYM.finditer(text):
        if m.group(2) == name.strip():
            return m.group(1)
    return ""


def _name_words(text: str) -> set[str]:
    words = (re.sub(r"[’']s$", "", x) for x in re.findall(r"[\w’'-]+", text.lower()))
    return {x for x in words if x and x not in NAME_STOP}


# The article: what each denial points at ------------------------------------------------


def denied_records(ctx: DocContext) -> list[Claim]:
    """The denials read in a document, as records of the figures they reject, once per
    figure."""
    out: list[Claim] = []
    _as_given(ctx)
    seen = {(c.metric, c.value.low, c.value.high) for c in ctx.claims if c.stance == "denied"}
    denials = [d for d in (_with_quote_speaker(ctx, d) for d in ctx.denials) if d is not None]
    # A denial whose spokesman is named with it is the better record of it, and one that
    # says what it denies better than '..., a claim denied by X'.
    denials.sort(key=lambda d: (d.source.speaker is None, d.c.whole_sentence))
    denials = [_spokesman(d, denials) for d in denials]
    for d in denials:
        _said_by_the_contradicted(ctx, d)
    pairs = [(d, c) for d in denials for c in _targets(ctx, d)]
    pairs += [(d, c) for d in denials for c in _figures_of_its_own(ctx, d, denials)]
    totals = {(c.metric, c.value.low) for _, c in pairs if c.value.low == c.value.high}
    for d, c in pairs:
        if _part_of(c, [x for _, x in pairs], totals):
            continue
        key = (c.metric, c.value.low, c.value.high)
        if key in seen:
            continue
        seen.add(key)
        out.append(replace(c, stance="denied",
                           source=SourceField(d.source.speaker, d.source.org, d.source.side,
                                              d.source.via),
                           attribution=d.source.attribution, evidence=d.evidence))
    return out


def _said_by_the_contradicted(ctx: DocContext, d: Denial) -> None:
    """'A contradicted B, who said that N ...': the N are B's, whatever reporting verb
    nests inside what B said; the one who contradicts them is not their source."""
    b = d.claimant_source
    if b is None or not (b.speaker or b.org) or not d.own:
        return
    for i, x in enumerate(ctx.claims):
        if x.evidence.start == d.evidence.start and x.stance == "asserted" and \
                (x.value.low, x.value.high) in d.own:
            ctx.claims[i] = replace(x, source=SourceField(b.speaker, b.org, b.side, b.via))


def _figures_of_its_own(ctx: DocContext, d: Denial, denials: list[Denial]) -> list[Claim]:
    """'All the information the army gave about 107 girls is not true': a figure that only
    the denial gives, with what the claim said happened to them taken from where the
    article spells out that claim ('denied the police report that nearly every hostage
    had been released'); without it, what the figure counts is unknown and nothing is kept."""
    given = {(x.value.low, x.value.high) for x in ctx.claims if x.stance == "asserted"}
    own = [v for v in d.numbers if v not in given and v in d.written]
    if not own:
        return []
    metric = d.c.content_metric or next(
        (e.c.content_metric for e in denials if e.c.content_metric and e.claimant
         and e.claimant & d.scope_words), None)
    if metric is None:
        return []
    out = []
    for v in own:
        value, victim = d.written[v]
        before = [x for x in ctx.claims if x.stance == "asserted"
                  and x.evidence.start < d.evidence.start]
        # the event the figure belongs to: the latest one counted of the same people
        template = next((x for x in reversed(before) if x.victim.group == victim.group),
                        before[-1] if before else None)
        if template is None:  # nothing counted before: the figure alone, where and when unknown
            template = Claim(doc=ctx.document.id, metric=metric, value=value,
                             evidence=d.evidence, pipeline=PIPELINE)
        out.append(replace(template, metric=metric, value=value, victim=victim, rate=None))
    return out


def _part_of(c: Claim, denied: list[Claim], totals: set[tuple[str, int | None]]) -> bool:
    """'three women and six children' when the nine killed are denied: the parts of a total
    denied are not denied one by one."""
    parts = [x.value.low for x in denied if x.evidence.start == c.evidence.start
             and x.metric == c.metric and x.value.low == x.value.high and x.value.low]
    if len(set(parts)) < 2:
        return False
    total = sum(set(parts))
    return (c.metric, total) in totals and c.value.low != total


def _as_given(ctx: DocContext) -> None:
    """'137 and not 287': the 287 denied is the figure others give, one event or a total
    as they give it."""
    for i, c in enumerate(ctx.claims):
        if c.stance != "denied":
            continue
        given = next((x for x in ctx.claims if x.stance == "asserted" and x.metric == c.metric
                      and (x.value.low, x.value.high) == (c.value.low, c.value.high)
                      and x.evidence.start != c.evidence.start), None)
        if given is not None:
            ctx.claims[i] = replace(c, kind=given.kind)


def _spokesman(d: Denial, denials: list[Denial]) -> Denial:
    """'The coalition denied ... Its spokesman Colonel X denied that ...': the body's
    denial, made by the spokesman the article names for it."""
    if d.source.speaker or not d.source.org:
        return d
    org = d.source.org.lower()
    named = next((e.source for e in denials if e.source.speaker and e.source.org
                  and (e.source.org.lower() == org or (d.actor is not None and e.actor == d.actor))),
                 None)
    if named is None:
        return d
    return replace(d, source=replace(d.source, speaker=named.speaker))


def _with_quote_speaker(ctx: DocContext, d: Denial) -> Denial | None:
    """'"I reject the enemy's claim ...," the spokesman told Sputnik': whoever the
    quotation's figures are attributed to."""
    if not d.quote_speaker:
        return d
    quoted = [c for c in ctx.claims if d.para[0] <= c.evidence.start <= d.para[1]
              and c.attribution == "direct_quote" and (c.source.speaker or c.source.org)]
    if not quoted:
        return None
    s = min(quoted, key=lambda c: c.source.speaker is None).source  # "I": a person
    return replace(d, source=attr.Source(speaker=s.speaker, org=s.org, side=s.side, via=s.via,
                                         attribution="direct_quote"),
                   actor=ctx.lex.actor_in(s.org or ""), quote_speaker=False)


def _targets(ctx: DocContext, d: Denial) -> list[Claim]:
    c = d.c
    here = [x for x in ctx.claims if x.evidence.start == d.evidence.start
            and x.stance == "asserted"]
    if c.whole_sentence:
        return [x for x in here if not _mine(ctx, x, d)]
    if d.own:
        return [x for x in here if (x.value.low, x.value.high) in d.own]
    if d.numbers:
        out = []
        for v in d.numbers:
            hit = next((x for x in ctx.claims if x.stance == "asserted" and
                        (x.value.low, x.value.high) == v and not _mine(ctx, x, d)), None)
            if hit is not None:
                out.append(hit)
        return out
    # what the denier itself says in the same breath it does not deny ("disputed the
    # claim, adding that two police were killed and the deputy was hurt")
    own_values = {(x.metric, x.value.low, x.value.high) for x in here if _mine(ctx, x, d)
                  and (x.value.low, x.value.high) not in d.others_here}
    metrics = c.metrics | ({"released", "arrested"} if c.points_back else set())
    pool = [x for x in ctx.claims if x.stance == "asserted" and x.metric in metrics
            and (c.victim is None or x.victim.group == c.victim)
            and (not c.one_event or x.kind == "incident")
            and (x.metric, x.value.low, x.value.high) not in own_values]
    before = [x for x in pool if x.evidence.start < d.evidence.start and not _mine(ctx, x, d)]
    before += [x for x in pool if x.evidence.start == d.evidence.start and
               ((x.value.low, x.value.high) in d.others_here or not _mine(ctx, x, d))]
    if c.shape == "act":
        return [x for x in before if _pinned_on(x, d)]
    if c.shape == "losses":
        return [x for x in before if _about_denier(x, d, victims_only=True)]
    if c.shape == "none":
        return _nought(ctx, d, [x for x in pool if not _mine(ctx, x, d)])
    if c.shape == "only":
        return _of_others(d, [x for x in before if x.evidence.start < d.evidence.start])
    if c.points_back:
        return _last_statement([x for x in before if _compat(ctx, x, d) > 0])
    cands = [x for x in before if _compat(ctx, x, d) > 0]
    about = [x for x in cands if _about_denier(x, d)]
    # "the report", "the allegations" with nobody named: a statement of figures only when
    # the article pins figures on the denier, or names the event
    loose = c.noun is not None and _lemma(c.noun) not in words().figure_nouns and \
        c.claimant is None and not c.adversary and not c.one_event
    if loose:
        cands = about
    if c.plural:
        return about or cands
    nxt = _next_statement(ctx, d, [x for x in pool if not _mine(ctx, x, d)])
    if nxt:
        return nxt  # "We reject the ministry's claim. It said it had killed 110 of us."
    if not cands:
        return []
    best = min(cands, key=lambda x: (-_compat(ctx, x, d), not _about_denier(x, d),
                                     x.evidence.start))
    chosen = [x for x in cands if x.evidence.start == best.evidence.start]
    return _one_per_metric(chosen, cands)


def _nought(ctx: DocContext, d: Denial, pool: list[Claim]) -> list[Claim]:
    """'no soldiers were killed': the nearest figure of the same people, counted by someone
    else for one event."""
    group = d.victim_group
    if group is None:
        return []
    cands = [x for x in pool if x.victim.group == group and x.kind == "incident"
             and x.evidence.start != d.evidence.start]
    if d.c.victims is not None and any(t.lower_ in ("its", "their", "our") for t in
                                       d.c.victims.subtree):
        cands = [x for x in cands if _about_denier(x, d, victims_only=True)] or cands
    if not cands:
        return []
    return [min(cands, key=lambda x: abs(x.evidence.start - d.evidence.start))]


def _of_others(d: Denial, pool: list[Claim]) -> list[Claim]:
    """'only fighters were killed': the latest figure of one event that counts people of
    another group, pinned on the denier where the article names who did it."""
    group = d.victim_group
    if group is None:
        return []
    cands = [x for x in pool if x.kind == "incident" and x.victim.group not in (group, "unknown")]
    if d.actor is not None:
        cands = [x for x in cands if x.perpetrator.actor in (None, d.actor.name)]
    return [max(cands, key=lambda x: x.evidence.start)] if cands else []


def _mine(ctx: DocContext, x: Claim, d: Denial) -> bool:
    """A figure the denier itself puts forward."""
    s, me = x.source, d.source
    if me.speaker and s.speaker and me.speaker.split()[-1].lower() == s.speaker.split()[-1].lower():
        return True
    if me.org and s.org and me.org.lower() == s.org.lower():
        return True
    return d.actor is not None and s.org is not None and ctx.lex.actor_in(s.org) == d.actor


def _compat(ctx: DocContext, x: Claim, d: Denial) -> int:
    """2: the claim's source is the claimant named; 1: it may be; 0: it is someone else."""
    s = x.source
    if d.c.adversary:
        return 1 if d.source.side in (None, "unknown") or s.side != d.source.side else 0
    if d.claimant is None:
        return 1
    if d.claimant & _name_words(f"{s.org or ''} {s.speaker or ''}"):
        return 2
    if d.claimant_side and s.side not in (None, "unknown"):
        return 1 if s.side == d.claimant_side else 0
    return 1


def _about_denier(x: Claim, d: Denial, victims_only: bool = False) -> bool:
    """A figure of what the denier did, or of the denier's own dead."""
    if not victims_only and d.actor is not None and x.perpetrator.actor == d.actor.name:
        return True
    vtext = (x.victim.text or "").lower()
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", vtext) for n in d.names)


def _pinned_on(x: Claim, d: Denial) -> bool:
    """A figure of the act denied: one the article pins on the one who denies it, or one
    that another source reports in the very sentence of the denial."""
    if x.evidence.start == d.evidence.start and (x.value.low, x.value.high) in d.others_here:
        return True
    a = d.agent
    if a is None:
        return False
    return x.perpetrator.actor == a.name or a.name.lower() in (x.perpetrator.text or "").lower()


def _last_statement(cands: list[Claim]) -> list[Claim]:
    """'that toll', 'it was fake news': the figures of the latest statement before."""
    if not cands:
        return []
    last = max(x.evidence.start for x in cands)
    return [x for x in cands if x.evidence.start == last]


def _next_statement(ctx: DocContext, d: Denial, pool: list[Claim]) -> list[Claim]:
    """The claim spelled out in the very next sentence, when that sentence holds one."""
    after = [x for x in pool if x.evidence.start > d.evidence.end]
    if not after:
        return []
    first = min(x.evidence.start for x in after)
    if ctx.document.text[d.evidence.end:first].strip():
        return []  # not the next sentence
    return [x for x in after if x.evidence.start == first and _compat(ctx, x, d) > 0]


def _one_per_metric(chosen: list[Claim], cands: list[Claim]) -> list[Claim]:
    """'the claim' is one figure for each thing counted: the one the claimant repeats,
    else the largest."""
    out: dict[str, Claim] = {}
    for x in chosen:
        cur = out.get(x.metric)
        if cur is None or _weight(x, cands) > _weight(cur, cands):
            out[x.metric] = x
    return list(out.values())


def _weight(x: Claim, cands: list[Claim]) -> tuple[int, int]:
    repeated = sum((y.metric, y.value.low, y.value.high) == (x.metric, x.value.low, x.value.high)
                   for y in cands)
    return repeated, x.value.low or x.value.high or 0
