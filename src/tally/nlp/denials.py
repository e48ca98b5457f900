"""Denials: "the Taliban rejected the figures" becomes a denied claim for each figure the
denier is accused of, with the denier as its source."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc, Span

from tally.claims import Claim, Evidence, Perpetrator, Value
from tally.claims import Period as PeriodField
from tally.claims import Place as PlaceField
from tally.claims import Source as SourceField
from tally.nlp import attribution as attr
from tally.nlp import syntax
from tally.nlp.context import DocContext
from tally.nlp.lexicon import Actor
from tally.nlp.sentences import Sentence
from tally.nlp.version import PIPELINE


def read_denial(ctx: DocContext, span: Span, s: Sentence, nxt: Doc | None, text: str,
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


def denied_records(ctx: DocContext) -> list[Claim]:
    """The denials read in a document, as records of the figures they reject, once per
    figure."""
    out: list[Claim] = []
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
