"""The place of a claim: where its event happened, as the sentence, the sentences before
it or the article say."""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span

from tally.claims import Place as PlaceField
from tally.nlp import syntax
from tally.nlp.context import DocContext, PlaceFound
from tally.nlp.numbers import Figure
from tally.nlp.place_names import ADMIN_WORDS, ELSEWHERE, LOCATIVE, place_runs
from tally.nlp.places import gazetteer
from tally.nlp.timeframe import names_time


def place_of(ctx: DocContext, span: Span, fig: Figure | None) -> PlaceField:
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
        ctx.place_cache[key] = places_in(ctx, span)
    found = ctx.place_cache[key]
    if not found:
        return place_elsewhere(ctx)
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
        result = replace(result, admin1=(same or seen)[0] if same or seen else None)
    ctx.last_place = result
    return result


NAMED_AT = {"in", "at", "near", "outside"}


def places_in(ctx: DocContext, span: Span) -> list[PlaceFound]:
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
            if ctx.country and head.dep_ == "pobj" and head.head.lower_ in NAMED_AT and \
                    not names_time(text):
                # "at the school in Jangebe": a place no gazetteer has stays as written,
                # in the article's country, with no province guessed for it
                found.append(PlaceFound(5, head, True, PlaceField(text, ctx.country, None)))
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


def place_elsewhere(ctx: DocContext) -> PlaceField:
    """A sentence that names no place: the last one named, else the one the article
    names further down (a lead), else the article's country."""
    if ctx.last_place:
        return ctx.last_place
    later = [p for off, p in ctx.named_places if off > ctx.sentence_start]
    if later:
        return PlaceField(None, later[0].country, later[0].admin1)
    top = [a for a, _ in ctx.admin1_named.most_common(1)]
    return PlaceField(None, ctx.country, top[0] if top else None)
