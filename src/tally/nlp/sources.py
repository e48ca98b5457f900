"""Who said it: the source of a figure, from the reporting verb of its sentence, the
claim it belongs to, "according to", the next sentence, or the quotation it sits in."""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from tally.claims import Claim
from tally.nlp import attribution as attr
from tally.nlp import organisations as orgs
from tally.nlp import syntax
from tally.nlp.context import DocContext
from tally.nlp.lexicon import Lexicon


FIRST_PERSON = {"we", "our", "us", "i", "my", "me"}
RECENT = 400  # characters before a paragraph that its passive reports may still belong to
CONTINUES = 250  # characters from a report's sentence to an unattributed one it goes on in


def _passive(v: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)


def source_of(ctx: DocContext, num_tok: Token, span: Span, verbs: list[Token],
            nxt: Doc | None, text: str, para_start: int, sent_start: int) -> attr.Source:
    lex, memory = ctx.lex, ctx.memory
    pos = sent_start + num_tok.idx
    in_quote = attr.quote_depth(text, para_start, pos) > 0
    # 'said "about 30" troops were killed': a quoted fragment inside a report is indirect
    kind = "direct_quote" if in_quote and not attr.quote_fragment(text, pos, span, sent_start) else "indirect"
    memory.cursor = sent_start
    v = attr.choose_verb(num_tok, verbs)
    src: attr.Source | None = None
    role: str | None = None  # the words of an unnamed speaker's role ("the defence minister")
    passive = False
    if v is not None and _passive(v):
        # "deaths were reported", "they are confirmed": what is reported is the subject;
        # the reporter is the agent, or the report the clause sits in
        outer = next((a for a in v.ancestors if a in verbs and not _passive(a)), None)
        if syntax.agent(v, True) is None and outer is not None:
            v = outer
        passive = syntax.agent(v, True) is None and _passive(v)
    acc_first = attr.according_to(span, lex) if v is not None and v.dep_ == "advcl" and \
        v.lower_.endswith("ing") else None
    if v is not None:
        subj = syntax.agent(v, True) if _passive(v) else \
            attr.trailing_subject(v) or syntax.report_subject(v, num_tok)
        if acc_first is not None and acc_first.i < v.i:
            subj = acc_first  # "According to a resident, ..., estimating that 30 died"
        if subj is not None and in_quote and any(t.lower_ in FIRST_PERSON for t in subj.subtree):
            # '"Our forces have counted 76 bodies," he said': the quote's speaker
            other = next((o for o in verbs if o.i != v.i), None)
            subj = syntax.report_subject(other, num_tok) if other is not None else None
            if subj is not None and any(t.lower_ in FIRST_PERSON for t in subj.subtree):
                subj = None
        if subj is not None:
            src = attr.source_from_phrase(subj, lex, memory)
            if src is not None and src.speaker is None:
                src = _named(src, subj, memory, sent_start)
            role = _role_phrase(subj)
    if src is None:
        src = claim_owner(num_tok, lex, memory)
    if src is None and v is None:
        src = document_subject(num_tok, lex, memory)
    if src is None:
        acc = attr.according_to(span, lex)
        if acc is not None and not lex.outlet_in(syntax.subtree_text(acc)):
            src = attr.source_from_phrase(acc, lex, memory)
            if src is not None and src.speaker is None:
                src = _named(src, acc, memory, sent_start)
        elif acc is not None:
            src = _channel_owner(syntax.subtree_text(acc), lex)
    if src is None and nxt is not None:
        nspan = nxt[:]
        nverbs = attr.reporting_verbs(nspan, lex)
        if nverbs and len(nxt) < 45 and syntax.refers_back(nverbs[0], nspan) and \
                not _clause_of_its_own(nverbs[0]):
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
    if src is None and passive and memory.recent is not None and \
            memory.recent[0] >= para_start - RECENT:
        # "Three more deaths were reported": the account of the speaker just before, and
        # the channel it names ("..., as reported by Sputnik")
        recent = memory.recent[1]
        return replace(recent, attribution="indirect",
                       via=attr.via_of(v, span, lex, memory) or recent.via)
    subject = next((c for c in span.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if src is None and v is None and subject is not None and memory.last_source and \
            memory.last_source.org and subject.pos_ in ("PROPN", "NOUN") and \
            names_org(span.doc[subject.left_edge.i:subject.i + 1].text,
                      memory.last_source.org, lex):
        # "During this week, the CTD conducted 382 operations": the body that spoke
        # before goes on reporting its own work
        return replace(memory.last_source, speaker=None, attribution="indirect")
    if src is None and v is None and memory.recent is not None and \
            para_start <= memory.recent[0] < sent_start and \
            sent_start - memory.recent[0] <= CONTINUES and not _someone_acts(subject):
        # "According to X, the toll rose to 20. As many as 44 were injured.": the
        # paragraph goes on with the account it just gave (unless the sentence has an
        # actor of its own: "The ministry called the figures exaggerated")
        return replace(memory.recent[1], attribution="indirect")
    if src is None and _by_some_counts(span, num_tok):
        # "over 200,000 by some counts": attributed, to no one named
        return attr.Source(side="unknown", attribution="indirect")
    if src is None:
        via = attr.via_of(v, span, lex, memory)
        owner = lex.actors.get(lex.outlet_owners.get(via or "", "").lower())
        if owner is not None:
            # "according to al-Naba": the group's own newsletter speaks for it
            return attr.Source(org=owner.name, side=owner.side, via=via,
                               attribution="indirect")
        if v is not None:
            # '"19 were killed," said the man': quoted, by someone the text does not name
            return attr.Source(side="unknown", attribution=kind, via=via)
        return attr.Source(side="media", attribution="unattributed",
                           via=attr.via_of(None, span, lex, memory))
    via = attr.via_of(v, span, lex, memory) if v is not None else None
    if via is None and src.speaker and nxt is not None:
        via = _via_next(src.speaker, nxt, lex, memory)
    src = replace(src, via=via or src.via, attribution=kind)
    src = _name_the_role(src, role, memory, sent_start, para_start)
    if src.speaker or src.org:
        memory.recent = (sent_start, replace(src, attribution="indirect"))
    if src.speaker:
        # a channel named for this statement goes on for the speaker's next ("he added")
        memory.last_person = replace(src, attribution="indirect")
    if in_quote:
        memory.last_quote = src
    return src


SOME_COUNTS = re.compile(r"\bby (?:some|other|several|many|most|one|independent) "
                         r"(?:counts|estimates|accounts|tallies|reckonings)\b", re.I)


def _someone_acts(subject: Token | None) -> bool:
    """Whether a sentence's subject is a body or a person, not what is counted."""
    if subject is None:
        return False
    return subject.pos_ == "PROPN" or subject.lower_ in attr.PRONOUNS or \
        orgs.is_body_head(subject.lemma_) and subject.lemma_.lower() not in attr.PEOPLE or \
        attr._ROLE.fullmatch(subject.text) is not None


def _channel_owner(phrase: str, lex: Lexicon) -> attr.Source | None:
    """'according to 112 Telegram channel', 'the ministry's Telegram account': whose channel
    on a platform it is (a named channel of no known body is a news outlet)."""
    platform = lex.outlet_in(phrase)
    if platform not in attr.PLATFORMS:
        return None
    rest = re.sub(rf"\b{re.escape(platform or '')}\b|\b(?:channel|account|page|feed)s?\b|[’']s\b",
                  " ", phrase)
    rest = re.sub(r"^\s*(?:the|its|their|an?)\s+", "", rest.strip(), flags=re.I).strip(" ,")
    if not rest or not (rest[:1].isupper() or rest[:1].isdigit()):
        return None
    org, side = attr.describe(rest, lex, as_written=rest)
    return attr.Source(org=org or rest, side="media" if side == "unknown" else side,
                       via=platform)


def _clause_of_its_own(v: Token) -> bool:
    """'Government reports on the toll have been confusing': a 'report' with a clause of
    its own hanging on it is a misparsed noun, not a report of the sentence before."""
    return any(c.dep_ in ("advcl", "conj") and any(a.dep_ == "aux" for a in c.children)
               for c in v.children)


def _role_phrase(subj: Token) -> str | None:
    """The words of a subject that is a role and no name: 'the defence minister'."""
    words = [t for t in subj.subtree if t.i <= subj.i]
    if not attr._ROLE.fullmatch(subj.text) or any(t.pos_ == "PROPN" for t in words):
        return None
    return " ".join(t.text for t in words)


def _name_the_role(src: attr.Source, role: str | None, memory: attr.Memory, start: int,
                   para_start: int) -> attr.Source:
    """'..., the defence minister said. "...," X said on national radio.': a person named
    with no role of his own right after a report by an unnamed role is that role."""
    if src.speaker is None and src.org and role:
        memory.unnamed = (start, role.lower(), src)
        return src
    unnamed, memory.unnamed = memory.unnamed, None
    if unnamed is None or src.speaker is None or src.org or src.side != "unknown" or \
            memory.recent is None or memory.recent[0] != unnamed[0] or \
            unnamed[0] < para_start - RECENT:
        return src
    off, words, body = unnamed
    memory.learn(src.speaker, body.org, body.side)
    memory.intros.append((start, src.speaker, words))
    memory.intros.sort()
    memory.named_later.append((off, body, src.speaker))
    return replace(src, org=body.org, side=body.side)


def settle_sources(claims: list[Claim], memory: attr.Memory, lex: Lexicon) -> list[Claim]:
    """What only the whole document tells: the claims of a role named in a later sentence
    take that name, and a body the lexicon knows keeps the one spelling the document
    first gave it ('Ministry of Interior Affairs', later 'Interior Affairs Ministry')."""
    out = []
    first: dict[str, str] = {}
    claims = _same_figure_same_statement(claims)
    # "the Red Cross" and "the Kenyan Red Cross" in one document: one body, its full name
    long_names = {c.source.org for c in claims if c.source.org and len(c.source.org.split()) > 2}
    memory.named_orgs.extend(sorted(long_names - set(memory.named_orgs)))
    for c in claims:
        for off, body, name in memory.named_later:
            if c.evidence.start == off and c.source.speaker is None and c.source.org == body.org:
                c = replace(c, source=replace(c.source, speaker=name))
        org = c.source.org
        full = attr.named_in_full(org, memory) if org else None
        if full is not None:
            c = replace(c, source=replace(c.source, org=full))
            org = full
        known = lex.org_in(org) if org else None
        if org and known and (org == known[0] or attr.as_spelled(org, known[0]) == org):
            c = replace(c, source=replace(c.source, org=first.setdefault(known[0], org)))
        out.append(c)
    return out


def _same_figure_same_statement(claims: list[Claim]) -> list[Claim]:
    """'Three civilians were killed, the governor said ... Writing on Telegram, the
    governor said three civilians were killed': a figure the same source gives again with
    a name or a channel is one statement, and the bare telling takes them. The same
    source is the same speaker, or an unnamed one of the same body."""
    told: dict[tuple[str, int | None, int | None], list[Claim]] = {}
    for c in claims:
        if c.stance == "asserted" and (c.source.speaker or c.source.via):
            told.setdefault((c.metric, c.value.low, c.value.high), []).append(c)
    out = []
    for c in claims:
        src = c.source
        for o in told.get((c.metric, c.value.low, c.value.high), []) if c.stance == "asserted" else []:
            s = o.source
            if o is c or s.side != src.side:
                continue
            if src.speaker and s.speaker == src.speaker and s.via and not src.via:
                src = replace(src, via=s.via)
            elif not src.speaker and s.speaker and src.org and s.org and \
                    attr.same_body(src.org, s.org):
                src = replace(src, speaker=s.speaker, via=src.via or s.via)
        out.append(replace(c, source=src) if src is not c.source else c)
    return out


def _by_some_counts(span: Span, num_tok: Token) -> bool:
    """'over 200,000 by some counts': the hedge holds for the figure of its own
    stretch of the sentence, not for one a dash or comma sets apart ('tens of thousands –
    over 200,000 by some counts –')."""
    m = SOME_COUNTS.search(span.text)
    if m is None:
        return False
    at = num_tok.idx - span.start_char
    lo, hi = (at + len(num_tok.text), m.start()) if at < m.start() else (m.end(), at)
    return not re.search(r"[,;–—()]", span.text[lo:hi])


def _via_next(speaker: str, nxt: Doc, lex: Lexicon, memory: attr.Memory) -> str | None:
    """'Governor X has said only 137 were abducted. X spoke on Channels Television's
    programme': the channel the next sentence names for the same speaker."""
    surname = speaker.split()[-1]
    if not re.search(rf"\b{re.escape(surname)}\b", nxt.text):
        return None
    for t in nxt:
        if t.text == surname and t.dep_ in ("nsubj", "nsubjpass"):
            via = attr.via_of(t.head, nxt[:], lex, memory)
            if via:
                return via
    return None


def _named(src: attr.Source, subj: Token, memory: attr.Memory, start: int) -> attr.Source:
    """The person behind an unnamed speaker: 'a government official said ... Mumtaz Khan,
    the official, said', 'according to the ministry ... its spokesman Tariq Arian', 'the
    group's spokesman' when the article names one spokesman for the group."""
    role = subj.lemma_.lower() if attr._ROLE.fullmatch(subj.text) else None
    if role and src.org:
        known = attr.spokesman_of(memory, src.org)
        if known is not None:
            return replace(known, via=src.via)
    if role is None and not src.org:
        return src
    if role and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in subj.children):
        # "the minister stated": the one named in that role before
        before = attr.introduced_before(memory, role, start)
        if before is not None and before.speaker:
            return replace(before, via=src.via)
    named = attr.introduced_after(memory, role, start, org=src.org)
    if named is None or named.speaker is None:
        return src
    # "a health official" named as "the director of the provincial health office": the fuller
    # name of the same body
    fuller = named.org if named.org and src.org and attr.same_body(named.org, src.org) and \
        len(named.org.split()) > len(src.org.split()) else None
    return replace(src, speaker=named.speaker, org=fuller or src.org or named.org,
                   side=src.side if src.side != "unknown" else named.side)


def names_org(text: str, org: str, lex: Lexicon) -> bool:
    if org.lower() in text.lower():
        return True
    found = lex.org_in(text) or (lambda a: (a.name, a.side) if a else None)(lex.actor_in(text))
    return bool(found and found[0] == org)


def claim_owner(fig_tok: Token, lex: Lexicon, memory: attr.Memory) -> attr.Source | None:
    """'claims made by US forces that 76 fighters were killed': whose claim it is."""
    for a in fig_tok.ancestors:
        if a.pos_ == "NOUN" and a.lemma_.lower() in ("claim", "report", "allegation", "estimate",
                                                      "assertion", "figure", "statement"):
            for c in a.subtree:
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("by", "from")):
                    pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
                    if pobj is not None and pobj.i < fig_tok.i:
                        return attr.source_from_phrase(pobj, lex, memory)
            # "the Red Cross's report of 39 missing": its owner
            poss = next((c for c in a.children if c.dep_ in ("poss", "nmod") and
                         (c.pos_ == "PROPN" or c.text.isupper()) and c.i < fig_tok.i), None)
            if poss is not None:
                return attr.source_from_phrase(poss, lex, memory)
    return None


# What a document says is its author's, even with a verb that reports nothing ("the
# figures include", "the commission's report described"); a toll or a tally is not one.
SPEAKING_DOCUMENTS = {"figure", "report", "statement", "data", "datum", "study", "survey",
                      "finding", "document", "bulletin", "communique", "communiqué",
                      "assessment", "statistic", "record"}


def document_subject(num_tok: Token, lex: Lexicon, memory: attr.Memory) -> attr.Source | None:
    """'The figures include at least 140 killed', 'The commission's report described the
    killing of at least 60': the figure's clause has a document for its subject."""
    clause = syntax.clause_of(num_tok)
    subj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lemma_.lower() not in SPEAKING_DOCUMENTS or subj.i > num_tok.i:
        return None
    if not any(c.dep_ == "poss" or c.dep_ == "det" and c.lower_ == "the"
               for c in subj.children):
        return None  # "a report said" names no one the text knows
    return attr.source_from_phrase(subj, lex, memory)


def paragraph_start(text: str, pos: int) -> int:
    cut = text.rfind("\n", 0, pos)
    return cut + 1 if cut >= 0 else 0
