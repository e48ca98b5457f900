"""The place of a claim: where its event happened, as the sentence, the sentences before
it or the article say."""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span, Token

from tally.claims import Place as PlaceField
from tally.nlp import syntax
from tally.nlp.context import DocContext, PlaceFound, countries_named
from tally.nlp.entities import entity_at
from tally.nlp.numbers import Figure
from tally.nlp.place_names import ADMIN_WORDS, ELSEWHERE, LOCATIVE, LONE_WORDS, place_runs
from tally.nlp.places import LANDMARK, SEAT, divisions_named, fold, gazetteer
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
    if not found and NATIONWIDE.search(span.text):  # "across the country"
        ctx.last_place = PlaceField(None, ctx.country, None)
        return ctx.last_place
    if not found and LONG_TOTAL.search(span.text):
        # "the decade-long war has killed thousands", "19 freed last year": a total of the country's,
        # not a figure of the scene the article is in
        return PlaceField(None, ctx.country, None)
    if not found:
        return place_elsewhere(ctx)
    clause = syntax.clause_of(doc[fig.num_start]) if fig is not None else None
    best = min(found, key=lambda f: (not in_scope(f.head, clause), f.rank))
    if best.aside and not own_clause(best.head, clause):
        # "after the raids, which took place in the next province, two were
        # killed": the scene the article is in, not the one beside it
        return place_elsewhere(ctx)
    result = best.place
    beside = division_beside(best, found)
    if beside is not None:  # "El Carmen, Norte de Santander": the province settles it
        result = replace(result, admin1=beside)

    if best.level == "country":
        # "across Afghanistan": the whole country, no province of it; a lead that names
        # only the country tells its event's town further down
        if not ctx.admin1_seen and not nationwide(span, best.head):
            ctx.vague_places.append((ctx.sentence_start, result))
    elif result.admin1 is None:
        # a town without its province: the province named beside it, or the one
        # the article has been about, unless the town is known to lie elsewhere
        same = [f.place.admin1 for f in found
                if f.place.admin1 and f.place.country == result.country]
        # a town the gazetteer knows (Odesa, whose division it cannot map) is not
        # guessed into the scene's province: it has one of its own
        guess = not best.split and not (best.level == "city" and best.rank != UNKNOWN)
        seen = [a for a, _ in ctx.admin1_seen.most_common() + ctx.admin1_named.most_common()
                if a.split("-")[0] == result.country] if guess else []
        result = replace(result, admin1=(same or seen)[0] if same or seen else None)
        if best.level == "part" and not ctx.admin1_seen:  # "in northern Burkina Faso"
            ctx.vague_places.append((ctx.sentence_start, result))
    ctx.last_place = result
    return result


NAMED_AT = {"in", "at", "near", "outside"}
UNKNOWN = 5  # the rank of a place no gazetteer has
# who acts or speaks, not where: "Kyiv said", "a deal with Washington", "talks in Doha"
ACTOR_DEPS = {"nsubj", "agent"}
NOT_WHERE = {"with", "by", "against", "between", "than", "like"}
# "talking to Kabul Now": whom a speaker addresses
ADDRESS_VERBS = {"talk", "speak", "say", "tell", "write", "explain", "report", "confirm"}
LONG_TOTAL = re.compile(r"\b(?:(?:this|last|past|previous)\s+year|since\s+(?:19|20)\d\d|"
                        r"(?:the|this|its)\s+(?:\w+-year|decades?-long)\s+(?:war|conflict|"
                        r"insurgency|rebellion|uprising))\b", re.I)
NATIONWIDE = re.compile(r"\b(?:nationwide|countrywide|(?:across|throughout|all over) the "
                        r"(?:country|nation))\b", re.I)


def division_beside(town: PlaceFound, found: list[PlaceFound]) -> str | None:
    """The province named with a town, in its phrase: "Quezon, Bukidnon", "a village in
    Azaz in Aleppo province", "Gidan Bako in Giwa area of Kaduna State"."""
    if town.level not in ("city", "division"):
        return None
    t = town.head
    near: set[int] = set()
    if town.level == "city":
        # "Tibu municipality of Norte de Santander": the type word holds the phrase
        at = t.head if t.dep_ == "compound" and t.head.lemma_.lower() in ADMIN_WORDS else t
        near = {t.i for t in at.subtree} | {a.i for a in list(at.ancestors)[:4]}
    if t.i + 2 < len(t.doc) and t.nbor(1).text == ",":  # however the parser attaches it;
        near |= {t.i + 2, t.i + 3}  # "Quezon, Bukidnon": a town that shares a province's name
    # a village no gazetteer has takes the province of the town named after it too
    levels = ("division",) if town.place.admin1 else ("division", "city")
    for f in found:
        if f.level in levels and f.place.country == town.place.country and \
                f.place.admin1 and f.head.i in near and f.head.i > town.head.i:
            return f.place.admin1
    return None


def places_in(ctx: DocContext, span: Span) -> list[PlaceFound]:
    """Every place a parsed sentence names that could be where its events happened."""
    gaz = gazetteer()
    doc = span.doc
    found: list[PlaceFound] = []
    here: set[str] | None = None  # the countries this sentence names, read when asked
    for run in place_runs(span, ctx.lex):
        text = doc[run[0].i:run[-1].i + 1].text
        head = run[-1]
        if not_a_place(ctx, span, run, text):
            continue
        p = None
        if head.head.lemma_.lower() in ADMIN_WORDS:  # "Kunduz province"
            p = gaz.division(text, ctx.country, named_as_division=True)
        elif len(run) > 1 and head.lower_ in ADMIN_WORDS:  # "Niger State"
            p = gaz.division(text, ctx.country, named_as_division=True)
        p = p or gaz.resolve(text, ctx.country)
        if not p.country and ctx.country and located(run):
            # a province spelt otherwise than the gazetteer does: "Norte del Santander"
            p = gaz.division(text, ctx.country) or p
        if not p.country:
            at = head.head if head.dep_ == "compound" and \
                head.head.lemma_.lower() in ADMIN_WORDS else head
            if ctx.country and at.dep_ == "pobj" and (at.head.lower_ in NAMED_AT or
                                                      type_of(at)) and not names_time(text):
                # "at the school in Jangebe": a place no gazetteer has stays as written,
                # in the article's country, with no province guessed for it unless the
                # article named one beside it before; "in Dashti Archi district" is a
                # part of the province the article is about
                known = ctx.town_admin1.get(fold(text))
                country = demonym_of(ctx, at) or ctx.country
                found.append(PlaceFound(UNKNOWN, head,
                                        known is None and at is head and not type_of(at),
                                        PlaceField(text, country, known)))
            continue
        is_country = p.level == "country"
        if ctx.country and p.country != ctx.country and not is_country:
            # a town or province abroad needs its own country named beside it:
            # "Geneva" where a UN office speaks is not where a Haitian gang struck
            if here is None:
                here = set(countries_named(span.text, ctx.lex.actors_in(span.text), ctx.lex))
            if p.country not in here and p.country not in ctx.countries:
                continue
        if run[-1].dep_ in ("compound", "amod", "nmod") and is_country:
            continue  # "US soldiers", "Afghan forces": people, not the place
        if any(a.lemma_.lower() in ELSEWHERE and not takes_place(a)
               for a in list(run[-1].ancestors)[:4]):
            continue  # "taken to a clinic in Takhar": where the wounded went
        if named_otherwise(span, run) or origin_of_people(run):
            continue
        # "Aleppo province", "his home province Kandahar": the province word stands where the name would
        at = head.head if head.dep_ in ("compound", "appos") and head.head.lemma_.lower() in ADMIN_WORDS \
            else head
        rank = 0 if at.dep_ == "pobj" and at.head.lower_ in LOCATIVE else 1
        rank += 2 if is_country else 0  # a city or province says more than a country
        if any(a.lemma_.lower() in ROLE_NOUNS for a in list(head.ancestors)[:2]) and \
                head.dep_ == "compound":
            rank += 2  # "Kabul police chief", "the Kandahar governor": a title, not a scene
        level = "part" if is_country and part_of_country(run) else p.level
        found.append(PlaceFound(rank, head, p.split, PlaceField(text, p.country, p.admin1),
                                level, neighbouring(run)))
    place_unknown_towns(ctx, span, found)
    scenes = [f for f in found if not f.aside]
    if scenes:
        # the sentence's own place sets the scene for the sentences after it;
        # the main clause tells the event, a relative or participle clause ("a convoy
        # returning from X", "a town besieged in Y") describes a thing
        scene = min(scenes, key=lambda f: (describes(f.head), f.rank,
                                          f.place.admin1 is None)).place
        if scene.admin1 is None and scene.country:  # "in X village, in Patikul town"
            same = [f.place.admin1 for f in sorted(scenes, key=lambda f: describes(f.head))
                    if f.place.admin1 and f.rank < 2 + UNKNOWN
                    and f.place.country == scene.country]
            scene = replace(scene, admin1=same[0]) if same else scene
        if scene.admin1:
            ctx.admin1_seen[scene.admin1] += 1
        ctx.last_place = scene
        ctx.scenes[ctx.sentence_start] = scene
    else:
        ctx.scenes[ctx.sentence_start] = None
    return found


def place_unknown_towns(ctx: DocContext, span: Span, found: list[PlaceFound]) -> None:
    """Towns no gazetteer has: in the country of the towns named with them (or of the
    scene), not the country most named ("Russian forces" shelling a Ukrainian town),
    and in the province named beside them or, with its type word, in their sentence."""
    countries = {f.place.country for f in found
                 if f.rank != UNKNOWN and f.level in ("city", "division")}
    if not countries and ctx.last_place is not None and ctx.last_place.admin1:
        countries = {ctx.last_place.country}
    for i, f in enumerate(found):
        if f.rank != UNKNOWN or not f.place.text:
            continue
        if len(countries) == 1 and f.place.country not in countries and \
                f.place.country == ctx.country:  # not where a demonym put it
            f = found[i] = replace(f, place=replace(f.place, country=next(iter(countries)),
                                                    admin1=ctx.town_admin1.get(fold(f.place.text))))
        if f.place.admin1 is None:
            beside = division_beside(f, found) or divisions_named(span.text, f.place.country)
            if beside is not None:  # "Patikul, Sulu", and later "in Patikul town"
                ctx.town_admin1[fold(f.place.text)] = beside
                found[i] = replace(f, split=False, place=replace(f.place, admin1=beside))


def not_a_place(ctx: DocContext, span: Span, run: list[Token], text: str) -> bool:
    """Names that look like places but stand for people, times or governments."""
    head = run[-1]
    low = text.lower()
    if names_time(text) or (len(run) == 1 and (head.is_stop or low in LONE_WORDS)):
        return True  # "March", "Most", "West", "State"
    if low in ctx.lex.state_names and fold(text) not in gazetteer().countries:
        return True  # "Somali", "Iraqi": people of a country
    nxt = head.nbor(1) if head.i + 1 < len(head.doc) else None
    if nxt is not None and nxt.text == "-" and head.i + 2 < len(head.doc) and \
            head.nbor(2).lower_ in ("based", "led", "backed", "born", "run"):
        return True  # "the Britain-based Observatory"
    before = syntax.doc_text(span.doc)[max(0, run[0].idx - 60):run[0].idx]
    if SEAT.search(before[-30:]):
        return True  # "the government in Kinshasa": the capital, not where it happened
    if LANDMARK.search(before):
        return True  # "40 km west of Gao": somewhere else
    if (head.dep_ in ACTOR_DEPS and head.head.lemma_ != "be") or \
            (head.dep_ == "pobj" and head.head.lower_ in NOT_WHERE):
        return True  # "Baku says", "a deal with Washington"; "Diyala was" is the place
    if head.dep_ == "poss" and head.head.lemma_.lower() in METONYM_HEADS:
        return True  # "Baghdad's forces", "Kabul's government": who acts, not where
    if head.dep_ == "pobj" and head.head.lower_ == "to" and \
            head.head.head.lemma_.lower() in ADDRESS_VERBS:
        return True  # "speaking to Kabul Now": an outlet or a person, whoever it is
    return False


def demonym_of(ctx: DocContext, t: Token) -> str | None:
    """'the southern Malian village of Dioura': the country its type word is given."""
    noun = t.head.head if type_of(t) else t
    for c in noun.children:
        if c.dep_ in ("amod", "compound", "nmod") and c.lower_ in ctx.lex.state_names:
            return ctx.lex.state_names[c.lower_]
    return None


def takes_place(v: Token) -> bool:
    """'the attack took place in Gayeri': the event's place, not where someone was taken."""
    return v.lemma_.lower() == "take" and any(c.dep_ == "dobj" and c.lower_ == "place"
                                              for c in v.children)


PART_WORDS = {"village", "town", "city", "section", "neighbourhood", "neighborhood", "suburb",
              "quarter", "district", "area", "municipality", "province", "region", "state"}
NEIGHBOURING = {"neighbouring", "neighboring", "nearby", "adjacent", "adjoining"}


def type_of(t: Token) -> bool:
    """'the village of Noaka', 'the X section of Cite Soleil': a place named after its type."""
    return t.head.lower_ == "of" and t.head.head.lemma_.lower() in PART_WORDS


def neighbouring(run: list[Token]) -> bool:
    """'in neighbouring Zamfara State', 'the nearby town of X': a place told by where it
    lies from the scene."""
    head = run[-1]
    at = head.head if head.dep_ == "compound" else head
    before = run[0].i - 1
    return (before >= 0 and run[0].doc[before].lower_ in NEIGHBOURING) or \
        any(c.lower_ in NEIGHBOURING for t in (head, at) for c in t.children)


def in_scope(t: Token, clause: Token | None) -> bool:
    """Whether a place is told by a figure's clause: in it, or in the clause whose subject
    a conjoined verb shares ("an airstrike on X killed five and wounded 13"), but not in a
    clause of its own subject inside it ("..., while strikes on Y killed two")."""
    if clause is None:
        return False
    if clause.dep_ == "conj" and clause.head.pos_ in ("VERB", "AUX") and \
            not any(c.dep_ in SUBJECTS for c in clause.children):
        clause = clause.head
    if not syntax.in_clause(t, clause):
        return False
    for a in t.ancestors:
        if a.i == clause.i:
            return True
        if a.dep_ in ("advcl", "relcl", "ccomp", "conj") and \
                any(c.dep_ in SUBJECTS for c in a.children) and not setting(a):
            return False
    return True


# what a capital's name stands for when it owns them
METONYM_HEADS = {"force", "troop", "army", "military", "government", "regime", "ally", "envoy",
                 "diplomat", "leadership", "drone", "jet", "warplane", "negotiator"}
ROLE_NOUNS = {"chief", "governor", "commander", "spokesman", "spokeswoman", "spokesperson",
              "official", "mayor", "minister", "head", "deputy", "chairman", "director"}


def setting(v: Token) -> bool:
    """'... killed him when he visited X': a clause that tells the event's circumstances."""
    return v.dep_ == "advcl" and any(c.dep_ in ("advmod", "mark") and c.lower_ in ("when", "as")
                                     for c in v.children)


SUBJECTS = {"nsubj", "nsubjpass", "expl"}


def own_clause(t: Token, clause: Token | None) -> bool:
    """Whether a token is in a clause itself, not in a clause that describes a noun of it."""
    if clause is None or not syntax.in_clause(t, clause):
        return False
    for a in t.ancestors:
        if a.i == clause.i:
            return True
        if a.dep_ in ("relcl", "acl"):
            return False
    return True


def origin_of_people(run: list[Token]) -> bool:
    """'officials from neighbouring Sokoto State', 'troops from Chad': where people
    come from, not where the event is."""
    head = run[-1]
    at = head.head if head.dep_ == "compound" else head
    return at.dep_ == "pobj" and at.head.lower_ == "from" and \
        at.head.head.pos_ in ("NOUN", "PROPN", "PRON")


def describes(t: Token) -> bool:
    """Whether a token lies in a clause that describes a noun (relative or participle
    clause) rather than in the sentence's own clauses."""
    for a in t.ancestors:
        if a.dep_ in ("relcl", "acl"):
            return True
    return False


def nationwide(span: Span, head: Token) -> bool:
    """'across Afghanistan', 'nationwide', 'throughout the country': the whole of it;
    'in Yemen since 2015': the country's total over years."""
    at = head.head if head.dep_ == "pobj" else None
    return (at is not None and at.lower_ in ("across", "throughout")) or \
        bool(NATIONWIDE.search(span.text)) or bool(LONG_TOTAL.search(span.text))


def settle_places(ctx: DocContext, ahead: int = 2) -> None:
    """A lead that places its event only in the country, or a part of it ("in northern
    Iraq"), takes the province of the scene the next sentences tell."""
    if not ctx.vague_places:
        return
    starts = ctx.sentence_starts
    vague = set(ctx.vague_places)
    for i, c in enumerate(ctx.claims):
        if (c.evidence.start, c.place) not in vague or c.evidence.start not in starts or \
                c.kind != "incident":  # a total ("in the past 24 hours") is the country's
            continue
        k = starts.index(c.evidence.start)
        for j in range(k + 1, min(k + 1 + ahead, len(starts))):
            scene = _scene_at(ctx, starts, j)
            if scene is not None and scene.admin1 and scene.country == c.place.country:
                ctx.claims[i] = replace(c, place=replace(c.place, admin1=scene.admin1))
                break


def _scene_at(ctx: DocContext, starts: list[int], j: int) -> PlaceField | None:
    if starts[j] in ctx.scenes:  # parsed: its scene as its clauses tell it
        return ctx.scenes[starts[j]]
    end = starts[j + 1] if j + 1 < len(starts) else len(ctx.document.text)
    here = [p for off, p in ctx.named_places if starts[j] <= off < end]
    return PlaceField(here[0].text, here[0].country, here[0].admin1) if here else None


def named_otherwise(span: Span, run: list[Token]) -> bool:
    """A place's name inside an organisation's ("the Armed Forces of the Philippines"),
    as NER reads it. NER is asked nothing else here: measured, it placed no more names
    right (the small model calls "Niger State" a person, "Jabaliya" an organisation)
    and it costs a parse of its own per sentence."""
    head = run[-1]
    if head.dep_ != "pobj" or head.head.lower_ != "of" or head.head.head.pos_ != "PROPN":
        return False
    ent = entity_at(span, run[0].i, run[-1].i + 1)
    return ent is not None and ent.label_ == "ORG" and ent.start < run[0].i


def located(run: list[Token]) -> bool:
    """Whether a name stands where a place does: after 'in', 'near', 'of' ..., or named
    with its type word ("Kunduz province")."""
    head = run[-1]
    at = head.head if head.dep_ == "compound" and head.head.lemma_.lower() in ADMIN_WORDS \
        else head
    return (at.dep_ == "pobj" and at.head.lower_ in LOCATIVE) or at is not head or \
        (len(run) > 1 and head.lower_ in ADMIN_WORDS)


COMPASS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
           "central", "northeast", "northwest", "southeast", "southwest", "northeastern",
           "northwestern", "southeastern", "southwestern", "far", "upper", "lower"}


def part_of_country(run: list[Token]) -> bool:
    """'northern Yemen', 'Nigeria's north': a part of the country, whose province the
    article may give; 'across Afghanistan' is all of it."""
    doc = run[0].doc
    return any(t.lower_ in COMPASS for t in doc[max(0, run[0].i - 2):run[0].i]) or \
        any(c.lower_ in COMPASS for c in run[-1].children)


def place_elsewhere(ctx: DocContext) -> PlaceField:
    """A sentence that names no place: the last one named, else the one the article
    names further down (a lead), else the article's country."""
    if ctx.last_place:
        return ctx.last_place
    later = [p for off, p in ctx.named_places if off > ctx.sentence_start]
    if later:
        return PlaceField(None, later[0].country, later[0].admin1)
    here = {ctx.country, *ctx.countries}
    top = [a for a, _ in ctx.admin1_named.most_common() if a.split("-")[0] in here][:1]
    return PlaceField(None, ctx.country, top[0] if top else None)
