"""What a figure counts (metric), who the victims are, and who did it, from the parse.

Works on one sentence of a parsed Doc. Each rule names a construction:
active ("killed 74 civilians"), passive ("143 civilians were killed"), participial
("killing 205 ... and wounding 410 others"), nominal ("the death and injury of 318",
"a death toll of 32", "175 attacks"), bare subjects ("380 more were wounded"),
reduced relatives ("the seven killed"), resultatives ("left 12 soldiers dead").
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from tally.nlp.lexicon import Actor, Lexicon
from tally.nlp.numbers import Figure

SUBJ = {"nsubj", "nsubjpass", "csubj"}
OBJ = {"dobj", "obj", "attr", "oprd"}
GOVERNMENT_WORDS = {"government", "authority", "administration", "regime", "junta", "state",
                    "kabul", "cabinet"}
INCLUDING = {"including", "includes", "include", "among"}


@dataclass(frozen=True)
class Reading:
    metric: str
    verb: Token | None  # the predicate that counts the figure, if any
    noun: Token  # the phrase head of what is counted
    passive: bool = False
    extra_metrics: tuple[str, ...] = ()  # "150 boys were abducted and later released"


def counted_head(fig_tok: Token) -> Token:
    """The noun a number counts: '291 [personnel]'; a bare number counts itself."""
    t = fig_tok
    if t.dep_ == "det":  # "killing a prayer leader": the article is the figure
        return t.head
    if t.pos_ == "NUM" and t.dep_ in SUBJ | OBJ:
        # "only 137 and not 287 pupils were taken": a bare number counts the noun of the
        # number conjoined with it
        shared = next((c for c in t.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")
                       and any(g.dep_ == "nummod" for g in c.children)), None)
        if shared is not None:
            return shared
    # "79 and 77 people, respectively": numbers in a conjunction count the same noun
    while t.dep_ == "conj" and t.head.pos_ == "NUM" and t.head.dep_ in ("nummod", "quantmod"):
        t = t.head
    # "more than 60" : the number may hang under quantmod/advmod chains; climb to nummod.
    if t.dep_ in ("nummod", "quantmod", "compound", "amod") and t.head.pos_ in ("NOUN", "PROPN",
                                                                               "NUM", "ADJ"):
        head = t.head
        if head.pos_ == "NUM" and head.dep_ == "nummod":
            head = head.head
        # "291 security force personnel": the number hangs on a compound modifier.
        while head.dep_ in ("compound", "nmod") and head.head.pos_ in ("NOUN", "PROPN") \
                and head.head.i > head.i:
            head = head.head
        return head
    return t


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


PARTITIVE_HEADS = {"one", "some", "many", "all", "most", "none", "each", "both", "several"}


def partitive(t: Token) -> Token | None:
    """'88 of the attacks', 'two of them', 'eight of whom': the whole a number is part of."""
    if t.pos_ != "NUM" and t.lower_ not in PARTITIVE_HEADS:
        return None
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


MANNER_OF_DEATH = {"shoot", "stab", "beat", "burn", "hack", "torture", "stone", "club", "bludgeon",
                   "hang", "starve", "crush", "gun", "strangle", "behead", "choke", "drown"}


def _verb_metric(v: Token, lex: Lexicon) -> str | None:
    lem = _lemma(v)
    if lem in lex.verb_metric:
        return lex.verb_metric[lem]
    if lem in MANNER_OF_DEATH and _to_death(v):
        return "killed"
    # particle verbs: "carry out", "gun down", "round up"
    for c in v.children:
        if c.dep_ == "prt":
            m = lex.verb_metric.get(f"{lem} {c.lower_}")
            if m:
                return m
    return None


def _to_death(v: Token) -> bool:
    """'shot dead', 'shot a militant dead', 'beaten to death', 'burnt alive'."""
    for c in v.children:
        if c.lower_ in ("dead", "alive") and c.dep_ in ("acomp", "oprd", "advmod", "xcomp",
                                                        "ccomp", "dep", "amod", "conj"):
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(p.lower_ == "death" for p in c.children):
            return True
        if c.dep_ in ("dobj", "obj"):
            if any(g.lower_ == "dead" for g in c.children):
                return True
    return False


def _is_passive(v: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children) or (
        v.tag_ == "VBN" and v.dep_ in ("acl", "amod", "relcl"))


ATTACK_VERBS = {"attack", "strike", "hit", "target", "bomb", "shell", "raid", "ambush", "storm"}
OWN_COUNT = {"another", "others", "several", "many", "dozens", "scores", "hundreds"}


def _combined(v: Token, metric: str, passive: bool, lex: Lexicon, arg: Token) -> str:
    """'killed or wounded 400', '900 were killed or wounded': one figure, casualties.

    Conjoined verbs share the figure only when the partner has no figure of its own in
    the same role ("killed 89 and wounded 150", "1 person died" after "3 were injured",
    "killed two and another injured", "injuring 7-10" are two figures)."""
    role = {"nsubjpass", "nsubj"} if passive or arg.dep_ in SUBJ else OBJ
    partners = [c for c in v.children if c.dep_ == "conj"]
    if v.dep_ == "conj":
        partners.append(v.head)
    for p in partners:
        if {metric, _verb_metric(p, lex)} != {"killed", "wounded"}:
            continue
        # A following conjunct with a subject, or an auxiliary, of its own is a clause of
        # its own ("..., and an additional 12 people were injured").
        if p != v.head and any(c.dep_ in SUBJ | {"aux", "auxpass"} for c in p.children):
            continue
        if any(c.like_num or c.lower_ in OWN_COUNT for c in p.children):
            continue  # "and another injured", "and injuring 7-10": a figure of its own
        if not any(c.dep_ in role for c in p.children):
            return "casualties"
    return metric


def read_metric(fig: Figure, sent: Span, lex: Lexicon) -> Reading | None:
    num = fig.head(sent)
    if _all_but(fig, sent):
        return _exception_reading(num)
    noun = counted_head(num)
    # "..., a dozen guards wounded and three dead, ...": a number followed by a predicate
    # word and no noun counts the dead themselves, however the parser attached it
    nxt = sent.doc[fig.end] if fig.end < sent.end else None
    if nxt is not None and nxt.lower_ in lex.predicate and nxt.pos_ == "ADJ" and \
            fig.num_end == fig.end and (nxt.i + 1 >= sent.end
                                        or sent.doc[nxt.i + 1].pos_ not in ("NOUN", "PROPN")):
        return Reading(lex.predicate[nxt.lower_], None, num, passive=True)
    nlemma = _lemma(noun)
    noun_metric = None
    # a counted noun, or one counted without a number ("a man's body was found")
    if noun != num or num.pos_ == "NOUN":
        if nlemma == "time" and noun.head.pos_ == "VERB" and \
                _lemma(noun.head) in ATTACK_VERBS and noun.dep_ in ("npadvmod", "dobj", "advmod"):
            return Reading("attacks", noun.head, noun)  # "has been attacked three times"
        if nlemma in lex.not_counted or noun.lower_ in lex.not_counted:
            return None
        compound = " ".join(_lemma(c) for c in noun.lefts if c.dep_ == "compound")
        key = f"{compound} {nlemma}".strip()
        noun_metric = lex.counted_noun.get(key) or lex.counted_noun.get(nlemma)
        people = nlemma in lex.victim_group or key in lex.victim_group
        if noun_metric and not people:
            if noun_metric == "attacks" and _is_setting(noun, lex):
                return None
            if noun_metric == "casualties":
                # "18 casualties privately buried": the participle right after says which
                own = _own_participle(noun, lex)
                if own is not None and own.metric == "killed" and own.verb is not None and \
                        own.verb.i - noun.i <= 3:
                    return own
            return Reading(noun_metric, _governor(noun), noun)
    # People nouns that are also counts ("three hostages were killed"): the predicate
    # decides, the noun only when there is none.
    reading = _predicate_reading(noun, num, lex)
    if reading is not None:
        # a conjunct or apposition was read through its head: the victims are its own
        x = noun
        while x != reading.noun and x.dep_ in ("conj", "appos") and x.head != x:
            x = x.head
        return replace(reading, noun=noun) if x == reading.noun else reading
    if noun_metric:
        return Reading(noun_metric, None, noun)
    return _own_predicate(fig, num, noun, sent, lex)


def _all_but(fig: Figure, sent: Span) -> bool:
    """'all but five of the hostages': a number said as the exception to 'all'. (The
    parser hangs 'but' as a conjunction or a preposition, so the words decide.)"""
    doc = sent.doc
    return fig.start - 2 >= sent.start and \
        doc[fig.start - 2].lower_ == "all" and doc[fig.start - 1].lower_ == "but"


def _exception_reading(num: Token) -> Reading | None:
    """'All but N have been accounted for': the N are the ones not accounted for, missing.
    With any other predicate the N are the ones it does not hold of ('all but two were
    freed'): they are not what the predicate counts, and the figure is no claim."""
    v = next((a for a in num.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if v is not None and _lemma(v) == "account" and \
            any(c.lower_ == "for" for c in v.children) and \
            not any(c.dep_ == "neg" for c in v.children):
        return Reading("missing", v, partitive(num) or num, passive=True)
    return None


def _own_predicate(fig: Figure, num: Token, noun: Token, sent: Span,
                   lex: Lexicon) -> Reading | None:
    """A figure whose clause counts nothing may carry its own predicate word: '21 dead
    civilians', '39 missing people', 'including 8,430 dead and 15,210 injured', 'a dozen
    guards wounded and three dead'."""
    given = any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in noun.lefts)
    # the modifiers of the noun, or of the compound the number hangs on when the parser
    # made the counted noun a compound ("39 missing people conflicts with ...")
    modified = [noun] + [c for c in noun.lefts if c.dep_ == "compound" and c.i > num.i]
    for t in modified:
        for c in t.lefts:
            # "a list of the 9 wounded guards" speaks of people already counted
            if c.dep_ in ("amod", "compound") and c.lower_ in lex.predicate and not given:
                return Reading(lex.predicate[c.lower_], None, noun)
    doc = sent.doc
    after = noun.i + 1 if noun.i >= fig.num_end - 1 else fig.end
    if after >= sent.end:
        return None
    t = doc[after]
    if t.lower_ in lex.predicate and t.pos_ in ("ADJ", "VERB", "NOUN"):
        return Reading(lex.predicate[t.lower_], None, noun, passive=True)
    if t.tag_ == "VBN" and not any(c.dep_ in OBJ | {"aux", "auxpass"} for c in t.children):
        m = _verb_metric(t, lex)
        if m and m != "attacks":
            return Reading(m, t, noun, passive=True)
    return None


def _predicate_reading(noun: Token, num: Token, lex: Lexicon) -> Reading | None:
    # "bodies of 11 guards and six wounded": a conjunct with its own participle
    if noun.dep_ == "conj":
        nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
        # "..., and six others who died in hospital"
        followers = [c for c in noun.children if c.dep_ in ("acl", "amod") and c.i > noun.i
                     or c.dep_ == "relcl" and _relative_of(c, noun)]
        if nxt is not None and (nxt.tag_ == "VBN" and nxt.dep_ in ("acl", "amod", "conj")
                                or nxt.lower_ in lex.predicate):
            followers.append(nxt)  # the parser often hangs it on the first conjunct
        for c in followers:
            m = _verb_metric(c, lex) or lex.predicate.get(c.lower_)
            if m:
                return Reading(m, c, noun, passive=True)
        if any(c.pos_ == "VERB" for c in followers):
            return None  # "left 20,000 dead and two million others displaced"
    # Climb from the phrase to the predicate that counts it.
    x = noun
    # "9 women and 14 children": a conjunct shares the first conjunct's predicate.
    while x.dep_ == "conj" and x.head.pos_ in ("NOUN", "PROPN", "NUM"):
        x = x.head
    if x.dep_ == "appos":
        x = x.head
        # "the largest number of deaths -- 1,460 -- was recorded in ..."
        m = tally_metric(x, lex) if noun == num else None
        if m:
            return Reading(m, _governor(x), noun)
    head = x.head
    # Subsets ("including two generals") are parts of a figure already counted.
    if x.dep_ == "pobj" and _lemma(head) in INCLUDING:
        return None
    # A verb that counts nothing ("the figures include 207 people killed in ...") leaves
    # the phrase to its own participle, below.
    if x.dep_ in OBJ | {"dative"} and head.pos_ in ("VERB", "AUX"):
        r = _from_verb(head, x, passive=False, lex=lex)
        if r is not None:
            return r
    elif x.dep_ in SUBJ and head.pos_ in ("VERB", "AUX", "ADJ"):
        r = _from_verb(head, x, passive=x.dep_ == "nsubjpass" or _is_passive(head), lex=lex)
        if r is not None:
            return r
    if x.dep_ == "pobj" and head.dep_ == "prep":
        gov = head.head
        if head.lower_ == "of":
            m = _of_metric(gov, lex)
            if m:
                return Reading(m, _governor(gov), noun)
            # "members of the group were killed": the of-phrase shares its head's predicate
            if gov.pos_ in ("NOUN", "PRON", "NUM"):
                r = read_from_phrase(gov, lex)
                if r:
                    return Reading(r.metric, r.verb, noun, r.passive, r.extra_metrics)
        # "the death toll rose to 32", "stands at four", "up from 45"
        if head.lower_ in ("to", "at", "from"):
            # "in addition to 8 that were buried": the figure's own clause first
            own = _own_participle(noun, lex)
            if own is not None:
                return own
            # "the toll rose to 32", "stands at four", "put the number ... at 700"
            for verb in (a for a in head.ancestors if a.pos_ in ("VERB", "AUX")):
                r = _toll_reading(verb, noun, lex)
                if r is not None:
                    return r
        if head.lower_ == "with" and gov.pos_ == "ADP":
            pass
    # "the seven killed", "nine wounded in the attack", "14 students abducted"
    own = _own_participle(noun, lex, [x] if x != noun else [])
    if own is not None:
        return own
    if x.dep_ in ("npadvmod", "appos", "ROOT", "conj", "dep") and x.head.pos_ in ("VERB",):
        m = _verb_metric(x.head, lex)
        if m:
            return Reading(m, x.head, noun)
    return None


TALLY_NOUNS = {"number", "figure", "tally", "count", "total"}
# Verbs that give a tally its value: "the toll reached 55", "deaths exceeded 14,000",
# "the corpses counted were 70", "the number of injured rose to 1,835".
TOLL_VERBS = {"reach", "exceed", "surpass", "top", "hit", "pass", "total", "stand", "rise",
              "climb", "increase", "jump", "grow", "mount", "soar", "be", "put", "raise",
              "bring", "update", "revise", "number", "near", "approach"}


def tally_metric(t: Token, lex: Lexicon) -> str | None:
    """What a tally phrase counts: 'the death toll', 'deaths', 'the number of injured',
    'the number of people killed', 'the death count'."""
    m = _of_metric(t, lex)
    if m:
        return m
    lem = _lemma(t)
    if lem in lex.counted_noun and lex.counted_noun[lem] != "attacks":
        return lex.counted_noun[lem]
    if t.lower_ in lex.predicate:  # "the dead", "the injured"
        return lex.predicate[t.lower_]
    if lem not in TALLY_NOUNS:
        return None
    for c in t.children:
        if c.dep_ == "compound":
            m = tally_metric(c, lex)
            if m:
                return m
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                m = tally_metric(p, lex)
                if m:
                    return m
                for a in p.children:  # "the number of people killed"
                    if a.dep_ in ("acl", "amod", "relcl") and a.tag_ == "VBN":
                        m = _verb_metric(a, lex)
                        if m:
                            return _combined(a, m, True, lex, p)
    return None


def _relative_of(clause: Token, noun: Token) -> bool:
    """Whether a relative clause is about the noun ('8 that were buried') rather than a
    clause of its own hung on it ('a bloody one: at least a dozen were killed')."""
    subj = [c for c in clause.children if c.dep_ in SUBJ]
    return not subj or all(c.tag_ in ("WP", "WDT") or c.lower_ == "that" for c in subj)


def _own_participle(noun: Token, lex: Lexicon, extra: list[Token] | None = None
                    ) -> Reading | None:
    for c in list(noun.children) + (extra or []):
        if c.dep_ in ("acl", "amod", "relcl") and c.i > noun.i:
            if c.dep_ == "relcl" and not _relative_of(c, noun):
                continue
            m = _verb_metric(c, lex) or lex.predicate.get(c.lower_)
            if m:
                return Reading(m, c, noun, passive=True)
    return None


def _toll_reading(gov: Token, noun: Token, lex: Lexicon) -> Reading | None:
    for c in gov.children:
        if c.dep_ in SUBJ | OBJ and c.i != noun.i and (_of_metric(c, lex) or _lemma(c) == "toll"):
            return Reading(_of_metric(c, lex) or "killed", gov, noun)
        if c.dep_ in SUBJ | OBJ and c.i != noun.i and _lemma(c) in TALLY_NOUNS:
            for t in c.subtree:
                if t.dep_ in ("acl", "amod", "relcl") and t.tag_ == "VBN":
                    m = _verb_metric(t, lex)
                    if m:
                        # the people counted are the ones the participle describes
                        who = t.head if t.head.pos_ in ("NOUN", "PROPN") else noun
                        return Reading(_combined(t, m, True, lex, who), gov, who)
        if c.dep_ in SUBJ | OBJ and c.i != noun.i and c.i not in [t.i for t in noun.subtree]:
            m = tally_metric(c, lex)
            if m:
                return Reading(m, gov, noun)
    if _lemma(gov) in TOLL_VERBS - {"be", "put"} and not any(c.dep_ in SUBJ for c in gov.children):
        # "the toll in the region since the blockade began has now passed 9,000": the parser
        # gave the tally to the clause in between; it is the subject before the verb
        for t in gov.doc[gov.sent.start:gov.i]:
            if t.dep_ in SUBJ and (_lemma(t) == "toll" or tally_metric(t, lex)):
                return Reading(_of_metric(t, lex) or tally_metric(t, lex) or "killed", gov, noun)
    return None


def read_from_phrase(x: Token, lex: Lexicon) -> Reading | None:
    head = x.head
    if x.dep_ in OBJ and head.pos_ in ("VERB", "AUX"):
        return _from_verb(head, x, passive=False, lex=lex)
    if x.dep_ in SUBJ and head.pos_ in ("VERB", "AUX", "ADJ"):
        return _from_verb(head, x, passive=x.dep_ == "nsubjpass" or _is_passive(head), lex=lex)
    return None


def _from_verb(v: Token, arg: Token, passive: bool, lex: Lexicon) -> Reading | None:
    m = _verb_metric(v, lex)
    lem = _lemma(v)
    if m is None and passive:
        # "was shot and killed", "were beaten and later released": the metric is the
        # conjoined verb's, the subject shared
        for c in v.children:
            if c.dep_ == "conj" and c.pos_ == "VERB" and c.tag_ == "VBN":
                m2 = _verb_metric(c, lex)
                if m2:
                    return Reading(m2, c, arg, passive=True)
    if m is None and lem in TOLL_VERBS and arg.i > v.i:
        r = _toll_reading(v, arg, lex)  # "the number of injured reached 2,140"
        if r is not None:
            return r
    if m is None and arg.dep_ in SUBJ and not passive:
        # "Four guards kidnapped two months ago ... have been released": the parser makes
        # the participle the subject's verb; the passive conjunct is what happened to them
        for c in v.children:
            if c.dep_ == "conj" and any(g.dep_ == "auxpass" for g in c.children) and \
                    not any(g.dep_ in SUBJ for g in c.children):
                m2 = _verb_metric(c, lex)
                if m2:
                    return Reading(m2, c, arg, passive=True)
    if m is None:
        # "left 12 soldiers dead", "left two others in serious condition"
        if lem == "leave":
            if any(c.dep_ in ("acl", "amod") and c.pos_ == "VERB" and c.i > arg.i
                   and not (_verb_metric(c, lex) or c.lower_ in lex.predicate)
                   for c in arg.children):
                return None  # "left 9,000 dead and a million others displaced"
            for c in list(v.children) + list(arg.children) + [t for t in v.subtree
                                                            if t.dep_ in ("oprd", "acomp", "amod",
                                                                          "ccomp", "xcomp")]:
                if c.lower_ in lex.predicate:
                    return Reading(lex.predicate[c.lower_], v, arg)
                if c.dep_ == "prep" and any(g.lower_ == "condition" for g in c.subtree):
                    return Reading("wounded", v, arg)
            return None
        # "lost 25 members"
        if lem == "lose" and not passive and _victim_like(arg, lex):
            return Reading("killed", v, arg)
        # "were taken prisoner / hostage"
        if lem == "take":
            for c in v.children:
                if c.lower_ in ("prisoner", "prisoners", "captive"):
                    return Reading("arrested", v, arg)
                if c.lower_ in ("hostage", "hostages"):
                    return Reading("kidnapped", v, arg)
        # "received various wounds", "sustained injuries", "were receiving treatment"
        if lem in ("receive", "sustain", "suffer", "undergo"):
            for c in v.children:
                if c.dep_ in OBJ and _lemma(c) in ("wound", "injury", "treatment"):
                    return Reading("wounded", v, arg)
        # "were killed" parsed with AUX head; "eight wounded" as ADJ
        if lem in ("be", "remain", "go") or v.pos_ == "ADJ":
            for c in v.children:
                if c.dep_ in ("acomp", "attr", "oprd") and c.lower_ in lex.predicate:
                    return Reading(lex.predicate[c.lower_], v, arg)
            if v.pos_ == "ADJ" and v.lower_ in lex.predicate:
                return Reading(lex.predicate[v.lower_], v, arg)
        return None
    # Active voice: the figure is the object and the subject is the perpetrator; passive:
    # the figure is the subject. Intransitive "die" and bare participles ("and eight
    # wounded") take the figure as subject too.
    if arg.dep_ in SUBJ and not passive:
        # "20 people are missing": the progressive of "miss" is a state of the subject
        intransitive = lem in ("die", "perish", "succumb") or m == "missing" and v.tag_ == "VBG"
        # "and 13 injured"; headlines: "4 militants killed in air strikes"
        bare = v.tag_ == "VBN" and (v.dep_ == "conj" or not any(
            c.dep_ in ("aux", "auxpass") or c.dep_ in OBJ for c in v.children))
        # "... were wounded and 60 others kidnapped": a gapped passive the tagger reads as
        # a past tense
        bare = bare or (v.tag_ == "VBD" and v.dep_ == "conj" and _is_passive(v.head)
                        and not any(c.dep_ in OBJ | {"aux", "auxpass"} for c in v.children))
        # "Four guards kidnapped by militants have been released": a participle with an
        # agent is a reduced relative; the passive conjunct is the clause's own verb
        reduced = v.tag_ in ("VBD", "VBN") and any(c.dep_ == "agent" for c in v.children) \
            and not any(c.dep_ in OBJ | {"aux", "auxpass"} for c in v.children)
        if reduced:
            for c in v.children:
                if c.dep_ == "conj" and any(g.dep_ == "auxpass" for g in c.children) and \
                        not any(g.dep_ in SUBJ for g in c.children):
                    m2 = _verb_metric(c, lex)
                    if m2 and m2 != m:
                        return Reading(m2, c, arg, passive=True, extra_metrics=(m,))
        if not (intransitive or bare or reduced):
            return None
        passive = bare or reduced  # "and 13 injured": a reduced passive
    counted = partitive(arg) or arg  # "60 of the raids were carried out"
    if m == "attacks" and not (_lemma(counted) in lex.counted_noun
                               and lex.counted_noun[_lemma(counted)] == "attacks"):
        return None
    extra = tuple(
        em for c in v.children if c.dep_ == "conj"
        and not any(g.dep_ in SUBJ | OBJ | {"aux", "auxpass"} or g.like_num
                    or g.lower_ in OWN_COUNT for g in c.children)
        for em in [_verb_metric(c, lex)] if em and em != m)
    metric = _combined(v, m, passive, lex, arg)
    if metric == "casualties":
        extra = ()
    return Reading(metric, v, arg, passive, extra)


def _of_metric(gov: Token, lex: Lexicon) -> str | None:
    lem = _lemma(gov)
    compound = " ".join(_lemma(c) for c in gov.lefts if c.dep_ == "compound")
    key = f"{compound} {lem}".strip()
    m = lex.of_noun.get(key) or lex.of_noun.get(lem) or lex.of_noun.get(gov.lower_)
    if not m:
        return None
    conj = [c for c in gov.children if c.dep_ == "conj"]
    for c in conj:
        cm = lex.of_noun.get(_lemma(c))
        if {m, cm} == {"killed", "wounded"}:
            return "casualties"
    return m


def _governor(t: Token) -> Token | None:
    x = t
    for _ in range(4):
        if x.pos_ in ("VERB", "AUX"):
            return x
        if x.head == x:
            return None
        x = x.head
    return None


def _is_setting(noun: Token, lex: Lexicon) -> bool:
    """'killed 9 insurgents in three raids': the attacks are the setting, not a claim."""
    if noun.dep_ == "pobj" and noun.head.lower_ in ("in", "during", "across", "over"):
        gov = _governor(noun)
        return gov is not None and _verb_metric(gov, lex) not in (None, "attacks")
    return False


def _victim_like(t: Token, lex: Lexicon) -> bool:
    return _lemma(t) in lex.victim_group or t.lower_ in ("members", "men", "people", "lives")


def target_of(noun: Token, sent: Span, lex: Lexicon) -> tuple[str, str] | None:
    """'175 attacks against the Iraqi security forces': whom the attacks were on."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("against", "on", "targeting", "at"):
            for p in c.children:
                if p.dep_ == "pobj":
                    group, text = victim_of(p, sent, lex)
                    if group != "unknown":
                        return group, text
    return None


def victim_of(noun: Token, sent: Span, lex: Lexicon) -> tuple[str, str]:
    """(group, text) of the counted phrase."""
    words = [t for t in noun.subtree if t.i >= sent.start and t.i < sent.end]
    text = sent.doc[words[0].i:words[-1].i + 1].text if words else noun.text
    # "members of the Taliban", "members of Iraqi security forces": the of-object decides.
    target = noun
    if _lemma(noun) in ("member", "rank", "one", "some", "many", "dozen", "dozens", "score",
                        "scores", "hundred", "hundreds", "thousand", "thousands", "number",
                        "lot", "tens") or noun.pos_ == "NUM":
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj":
                        target = p
    lemma = _lemma(target)
    comp = [_lemma(c) for c in target.lefts if c.dep_ in ("compound", "amod")]
    phrase = " ".join(comp + [lemma])
    for n in range(len(comp), -1, -1):
        key = " ".join(comp[len(comp) - n:] + [lemma])
        if key in lex.victim_group:
            group = lex.victim_group[key]
            break
    else:
        group = lex.victim_group.get(target.lower_, "")
    # "Taliban fighters", "76 Taliban bodies": an armed group's people are militants.
    mod_text = " ".join(c.text for c in target.lefts) + " " + target.text
    actor = lex.actor_in(mod_text)
    if actor and actor.kind == "group" and actor.side == "insurgent" and group in (
            "", "civilians", "militants") and lemma not in ("civilian",):
        group = "militants"
    if actor and actor.kind == "state" and group in ("", "security_forces"):
        group = "security_forces"
    if not group and actor:
        group = "militants" if actor.side == "insurgent" else "security_forces"
    if not group:
        if "security" in phrase or "force" in phrase:
            group = "security_forces"
    if not group:
        # "77 civilian deaths", "police casualties": a counted noun's modifier names them
        group = next((lex.victim_group[c] for c in comp if c in lex.victim_group), "")
    return group or "unknown", text


def actor_of_phrase(t: Token, lex: Lexicon, main: Actor | None,
                    country_forces: Actor | None) -> tuple[Actor | None, str]:
    """Resolve an agent phrase to an actor: named group, state forces or the article's actor."""
    words = list(t.subtree)
    text = t.doc[words[0].i:words[-1].i + 1].text
    if len(words) > 12:
        text = t.doc[max(words[0].i, t.i - 4):t.i + 1].text
    actor = lex.actor_in(text)
    if actor:
        return actor, text
    low = " ".join(w.lower_ for w in words if w.dep_ != "det")
    head = t.lower_
    if head in lex.anaphors or low in lex.anaphors:
        return main, text
    if head in lex.state_force_words or low in lex.state_force_words:
        return country_forces, text
    if t.lemma_.lower() in GOVERNMENT_WORDS:
        country = None
        for w in words:
            state = lex.actor_in(f"{w.text} forces")
            if state and state.kind == "state":
                country = state.country
        country = country or (country_forces.country if country_forces else None)
        if country and country in lex.governments:
            return lex.governments[country], text
    return None, text
