"""Kind of a figure: `incident` (one event: one blast, one ambush) or `aggregate` (a total
over a period, a place, or several events).

The decision reads the figure's own clause, not the whole sentence: in "the deadliest
attack since September, when 10 soldiers were killed during a raid", the 10 are one raid,
and "since" belongs to the main clause.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from tally.nlp.numbers import Figure
from tally.nlp.semantics import Reading
from tally.nlp.timeframe import Period, names_one_day

# Words that make a figure a running total.
AGGREGATE_HINT = re.compile(r"\b(since|so far(?! \w+ing\b)|to date|in total|altogether|"
                            r"cumulative|the war|the conflict|campaign|over the past|in the past|"
                            r"in the last|ongoing|period)\b", re.I)
# Several events, counted: "in two incidents", "several airstrikes", "a series of raids".
_EVENTS = (r"(?:attacks|strikes|airstrikes|air strikes|raids|operations|clashes|bombings|"
           r"offensives|incidents|explosions|blasts|ambushes|assaults|massacres|shellings|"
           r"skirmishes)")
PLURAL_EVENTS = re.compile(rf"\b(?:several|multiple|numerous|two|three|four|five|six|seven|"
                           rf"eight|nine|ten|\d+|a series of|a wave of|dozens of|separate)\s+"
                           rf"(?:[\w-]+\s+){{0,2}}?{_EVENTS}\b|\b{_EVENTS}\s+in\s+(?:different|"
                           rf"several|various|multiple)\b", re.I)
# Another event than the one told before, for the time and the doer of a figure: "in a
# separate attack", "elsewhere", "separately" (not "separately reported": another report
# of the same), and "another" said of the people ("On Tuesday another guard was shot
# dead"), not of a count ("another 10 were wounded", "another hundred").
_OTHER_EVENT = (r"(?:attack|strike|airstrike|blast|bombing|shooting|raid|explosion|ambush|"
                r"incident|clash|assault)")
SEPARATE_EVENT = re.compile(
    rf"\b(?:separately(?!\s+(?:said|says|reported|reports|told|announced|added|stated|"
    rf"confirmed))|elsewhere|(?:separate|unrelated|different|another)\s+(?:[\w-]+\s+)?"
    rf"{_OTHER_EVENT}s?)\b|\banother\s+(?!(?:\d|one\b|two\b|three\b|four\b|five\b|six\b|"
    r"seven\b|eight\b|nine\b|ten\b|dozen|hundred|thousand|score|few\b|several\b|"
    r"couple\b))[a-z]", re.I)
SINGLE_EVENT = re.compile(r"\b(?:an?|the|this|that|\w+day[’']s)\s+(?:[\w-]+\s+){0,3}?(?:attack|blast|bombing|"
                          r"ambush|explosion|raid|strike|airstrike|air strike|firefight|clash|"
                          r"gunbattle|assault|incident|shooting|rampage|massacre|killing|"
                          r"kidnapping|abduction|swap|exchange)\b", re.I)


# A window of time is a total over it ("the past week", "the last 50 days", "since May",
# "this year"); a time named as a point ("last week", "in February") says when an event
# happened and leaves the kind to the rest.
WINDOW = re.compile(r"\b(?:past|preceding|previous)\b|\blast\s+(?:\d+|[a-z]+\s+)?(?:days|weeks|"
                    r"months|years)\b|\bthe\s+last\s+(?:day|week|month|year|fortnight)\b|"
                    r"\bsince\b|\bthis\s+(?:week|month|year)\b|\bso far\b|\bbetween\b|"
                    r"\bthroughout\b|\bperiod\b", re.I)


DEATHS_AND_INJURIES = ("killed", "wounded", "casualties")
ATTACK_VERBS = {"attack", "strike", "storm", "raid", "bomb", "ambush", "shell", "hit"}


def _one_act(reading: Reading) -> bool:
    """'Gunmen attacked the town, killing 200': the figure's verb tells the outcome of one
    act of attacking."""
    v = reading.verb
    return v is not None and v.tag_ == "VBG" and v.dep_ in ("advcl", "xcomp", "conj") and \
        v.head.lemma_.lower() in ATTACK_VERBS and v.head.tag_ in ("VBD", "VBN")


# Doers whose hundreds dead in a day are a day of operations or of a barrage, not one
# attack: a state's forces and their weapons ("the army killed 110 fighters on Sunday",
# "strikes killed 300 across the city"); any other doer named (a group, gunmen, a bomber)
# is one attack.
MANY_ACTS = re.compile(r"\b(?:ministry|army|military|forces|troops|soldiers|police|government|"
                       r"air\s*force|navy|coalition|jets|warplanes|aircraft|drones?|strikes|"
                       r"airstrikes|raids|shelling|bombardments?|bombings|attacks|operations?|"
                       r"offensive|campaign)\b", re.I)


KILLING_VERBS = {"kill", "wound", "injure", "massacre", "slaughter", "murder", "execute", "shoot",
                 "slay", "maim"}


def _by_attackers(reading: Reading) -> bool:
    """The figure's killing verb names a doer that is not a state's forces or a barrage."""
    v = reading.verb
    if v is None or v.lemma_.lower() not in KILLING_VERBS:
        return False
    counted = {t.i for t in reading.noun.subtree}
    doers = [" ".join(t.text for t in c.subtree) for c in v.children
             if c.dep_ in ("nsubj", "agent") and c.i not in counted]
    return any(not MANY_ACTS.search(d) for d in doers)


def clause_text(reading: Reading, fig: Figure, span: Span) -> str:
    """The text of the clause that holds the figure: its predicate's subtree, else the
    sentence."""
    v: Token | None = reading.verb
    if v is None or not (span.start <= v.i < span.end):
        return span.text
    # other clauses hung on the predicate ("..., while several airstrikes killed two") are
    # not the figure's
    inside = set(range(fig.start, fig.end))
    other = {t.i for c in v.children if c.dep_ in ("advcl", "parataxis")
             and c.pos_ in ("VERB", "AUX") and not inside & {t.i for t in c.subtree}
             for t in c.subtree}
    words = sorted({t.i for t in v.subtree} - other | inside)
    return " ".join(span.doc[i].text for i in words)


def kind_of(reading: Reading, fig: Figure, span: Span, metric: str, period: Period | None,
            rate: dict[str, str] | None) -> str:
    """incident (one event) or aggregate (a total over a period or a place)."""
    if rate:
        return "aggregate"
    # a running total is said in the figure's own clause ("..., the deadliest attack since
    # September, when 10 soldiers were killed": "since" is not about the 10)
    clause = clause_text(reading, fig, span)
    if AGGREGATE_HINT.search(clause) or PLURAL_EVENTS.search(clause):
        return "aggregate"
    if metric == "attacks" and (fig.low or 0) > 1:
        return "aggregate"  # several attacks are several events, even on one day
    if metric in DEATHS_AND_INJURIES and (fig.low or fig.high or 0) >= 100 and \
            not SINGLE_EVENT.search(span.text) and not _one_act(reading) and \
            not _by_attackers(reading):
        # "over 100 civilian deaths Tuesday", "killed 110 fighters in the province
        # yesterday": hundreds dead in a day with no one event named are a day's toll
        return "aggregate"
    # one day, or one event named in the sentence: one event, however large
    # ("136 pupils were kidnapped on Sunday"; "an attack in December left 12 dead")
    if period is not None and (period.days == 1 or names_one_day(period.text)):
        return "incident"
    if SINGLE_EVENT.search(span.text):
        return "incident"
    if period is not None and (period.days or 0) >= 365:
        return "aggregate"  # "last year", "in 2019": a year's count, no one event named
    if period is not None and WINDOW.search(period.text or "") and \
            (period.days is None or period.days > 3):
        return "aggregate"  # "over the past 27 days", "since May", "this year"
    if fig.qualifier == "vague":
        return "aggregate"  # "dozens were killed", with no one event named
    size = fig.low or fig.high or 0
    if size >= 100 and (metric not in ("kidnapped", "released") or size >= 1000):
        # tolls in the hundreds are rarely one event; a mass abduction of hundreds, or the
        # freeing of its hostages, often is (thousands are not)
        return "aggregate"
    return "incident"


def period_of(fig: Figure, reading: Reading, periods: list[Period], sdoc: Doc) -> Period | None:
    """Of the periods a sentence names, the one nearest the figure in the parse: '7 on
    Monday, 11 on Sunday', '3,150 deaths in May, 620 in June'. Ties go to the most
    specific."""
    num = fig.head(sdoc[:])
    own = [t.i for t in [num, *num.ancestors]]
    best: tuple[int, int, int] | None = None
    chosen: Period | None = None
    for p in periods:
        if p.span is None:
            continue
        words = sdoc.char_span(p.span[0], p.span[1], alignment_mode="expand")
        if words is None:
            continue
        chain = [t.i for t in [words.root, *words.root.ancestors]]
        meet = next((k for k, i in enumerate(chain) if i in own), len(chain))
        distance = meet + (own.index(chain[meet]) if meet < len(chain) else len(own))
        score = (distance, p.days if p.days is not None else 10**6, abs(p.span[0] - num.idx))
        if best is None or score < best:
            best, chosen = score, p
    return chosen
