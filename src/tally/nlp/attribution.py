"""Who puts a figure forward: speaker, organisation, side, channel, and how it is quoted.

Handles "X said", "said X", "according to X", "X told AFP", "X said on Twitter",
appositions ("Tareq Arian, spokesman for the interior ministry"), titles before names
("interior ministry spokesman Tareq Arian"), "he said" resolved to the last named
speaker, and quotations whose speaker was named before (a quote paragraph after
"Faisal said on Twitter:").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.tokens import Span, Token

from tally.claims import Source as ClaimSource
from tally.nlp import organisations as orgs
from tally.nlp import syntax
from tally.nlp.lexicon import Lexicon

ROLE_WORDS = ("spokesman|spokeswoman|spokesperson|minister|chief|official|governor|commander|"
              "director|head|analyst|leader|president|general|officer|envoy|secretary|"
              "deputy|adviser|advisor|member|mayor|colonel|captain|major|resident|witness|"
              "police|doctor|chairman|coordinator|representative|ambassador|administrator|"
              "fighter|activist|survivor|villager|farmer|teacher|lawmaker|mayor|elder|imam|"
              "researcher|director|owner|principal|founder|proprietor|commissioner|inspector|"
              "superintendent|sergeant|lieutenant|corporal")
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:al-|bin\s|ul\s)?[A-Z][\w'’-]+){1,3}"
_NAME_DESC = re.compile(rf"({_NAME}),\s+(?:the\s+|a\s+|an\s+)?([^,.;“”\"]{{0,90}}?\b(?i:{ROLE_WORDS})s?\b"
                        rf"[^,.;“”\"]{{0,80}}?)(?:[,.]|\s+(?:said|told|added|claimed))")

@dataclass(frozen=True)
class RoleThenName:
    """A role written before a name: the regex starts at the role word, and the words
    before it that belong to the description (at most `words` of them) are read back
    from there; a pattern that tried every word of a sentence as the start of a
    description cost most of `harvest`."""

    tail: re.Pattern[str]  # group 1: the role phrase, group 2: the name
    words: int

    def finditer(self, sent: str) -> list[tuple[int, str, str]]:
        out = []
        for m in self.tail.finditer(sent):
            before = _WORDS_BEFORE[self.words].search(sent, max(0, m.start() - 160), m.start())
            lead = before.group(0) if before else ""
            desc, name = lead + m.group(1), m.group(2).split()
            while len(name) > 2 and _ROLE.fullmatch(name[0]):
                # "spokesman Major Rumman Mahmud": the last role word before the name
                desc, name = f"{desc} {name[0]}", name[1:]
            out.append((m.start() - len(lead), desc, " ".join(name)))
        return out


_WORDS_BEFORE = {n: re.compile(rf"(?<![\w'’-])(?:[\w'’-]+\s+){{0,{n}}}$") for n in (3, 5)}
# "Herat's provincial police chief, Abdul Karim Wardak, told ..."
# "Acting Commissioner of Police, Chinedu Okafor said": the name may end at its verb
_DESC_COMMA_NAME = RoleThenName(re.compile(
    rf"\b((?i:{ROLE_WORDS})),\s+({_NAME})"
    r"(?:,|(?=\s+(?:said|told|added|claimed|stated|confirmed)\b))"), 5)
# "the director of the district health office Dr X said": a role of a body, then the name
_DESC_OF_NAME = RoleThenName(re.compile(
    rf"\b((?i:{ROLE_WORDS})\s+(?:of|for|at)\s+(?:the\s+)?"
    r"(?:[\w'’-]+\s+){0,4}?(?i:department|ministry|office|agency|council|committee|commission|"
    r"police|army|hospital|directorate|authority|administration|service))\s+"
    rf"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?({_NAME})"), 3)
_DESC_NAME = RoleThenName(re.compile(rf"\b((?i:{ROLE_WORDS}))\s+({_NAME})"), 5)
_RANK_AT_END = re.compile(r"\b(?:(?:Dr|Mr|Mrs|Ms|Gen|General|Col|Colonel|Capt|Captain|Maj|Major|"
                          r"Lt|Lieutenant|Sgt|Sergeant|Cpl|Corporal|Prof|Brig|Brigadier|Adm|"
                          r"Admiral|Rev)\.?\s+)+$")
_HONORIFIC = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Gen|Col|Capt|Maj|Lt|Sgt|Prof|Brig|Adm|Rev)\.?\s+)+")
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
GENERIC_HEADS = {"this", "that", "it", "which", "who", "report", "reports"}


@dataclass(frozen=True)
class Source(ClaimSource):
    """The claim's source, and how the text quotes it."""

    attribution: str = "unattributed"


@dataclass
class Memory:
    """What the document has said so far about who is who."""

    people: dict[str, Source] = field(default_factory=dict)  # surname (lower) -> source
    last_person: Source | None = None
    last_quote: Source | None = None
    last_source: Source | None = None  # the last source with an organisation
    last_body: Source | None = None  # the last one a singular noun names ("it" refers to)
    named_orgs: list[str] = field(default_factory=list)  # long names of bodies, in order
    intros: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, name, role)
    bodies: dict[str, str] = field(default_factory=dict)  # "school" -> "Salihu Tanko Islamic School"
    publisher: str | None = None
    main_actor: object | None = None  # the armed group the article is about (an Actor)
    recent: tuple[int, Source] | None = None  # (sentence offset, source) of the last report
    country: str | None = None  # the country the article is about
    cursor: int = 0  # where the sentence being read starts
    # the last report by a role the text does not name yet: (offset, role phrase, source)
    unnamed: tuple[int, str, Source] | None = None
    named_later: list[tuple[int, Source, str]] = field(default_factory=list)  # (offset, source, name)
    text: str = ""  # the document's text

    def learn(self, name: str, org: str | None, side: str) -> Source:
        name = orgs.strip_titles(_HONORIFIC.sub("", name).strip())
        org = org.strip(" ,;:") if org else org
        key = name.split()[-1].lower()
        known = self.people.get(key)
        if known and (known.org or not org):
            return known
        src = Source(speaker=(known.speaker if known else None) or name, org=org, side=side)
        self.people[key] = src
        return src

    def person(self, name: str) -> Source | None:
        words = name.split()
        return self.people.get(words[-1].lower()) if words else None


_ROLE = re.compile(rf"\b(?:{ROLE_WORDS})", re.I)


_BODY = re.compile(r"\b((?:[A-Z][\w'’-]+\s+){1,5}(School|University|Hospital|College|Council|"
                   r"Commission|Committee|Agency|Command|Department|Office|Cell|Ministry))\b")


_ACRONYM = re.compile(r"((?:[A-Z][\w'’.-]*\s+(?:(?:of|for|the|and|in|on)\s+)*){2,9})"
                      r"\((?:the\s+)?([A-Z][A-Za-z]{1,7})\)")


def harvest(text: str, lex: Lexicon, memory: Memory,
            sentences: list[tuple[int, str]] | None = None) -> None:
    """Learn 'Name, role of Org' from any sentence, parsed or not (cheap regexes, run only
    on the sentences that hold a role word), and the named bodies a later "the school"
    refers to."""
    memory.text = text
    for m in _BODY.finditer(text):
        name = re.sub(r"^(?:The|A|An|But|And)\s+", "", m.group(1))
        if len(name.split()) > 1:
            memory.bodies.setdefault(m.group(2).lower(), name)
    for m in _ACRONYM.finditer(text):
        # "the Peoples' Democratic Party (HDP)": a later "the HDP" is that party
        name = re.sub(r"^(?:(?:The|A|An|But|And|In|On)\s+)+", "", m.group(1).strip())
        acronym = m.group(2)
        if len(name.split()) > 1 and not lex.org_in(acronym) and not lex.actor_in(acronym):
            memory.bodies.setdefault(acronym.lower(), name)
    for start, sent in sentences if sentences is not None else [(0, text)]:
        if not _ROLE.search(sent):
            continue
        for m in _NAME_DESC.finditer(sent):
            _learn_from_desc(m.group(1), m.group(2), lex, memory)
            memory.intros.append((start + m.start(), m.group(1).strip(), m.group(2).lower()))
        for pattern in (_DESC_NAME, _DESC_COMMA_NAME, _DESC_OF_NAME):
            for at, desc, name in pattern.finditer(sent):
                _learn_from_desc(name, desc, lex, memory)
                memory.intros.append((start + at, name.strip(), desc.lower()))
    memory.intros.sort()


def introduced_after(memory: Memory, role: str | None, start: int, org: str | None = None,
                     window: int = 600) -> Source | None:
    """'..., an army spokesman said. Omar Haidari, a deputy spokesman at the Interior
    Ministry, said ...': the unnamed spokesman (or the body: 'according to the
    ministry') is named right after, by the same role or as speaking for the same body."""
    for off, name, desc in memory.intros:
        if not start < off < start + window:
            continue
        person = memory.person(name)
        if role and re.search(rf"\b{re.escape(role)}", desc) or \
                org and person is not None and person.org and same_body(person.org, org):
            return person
    return None


def introduced_before(memory: Memory, role: str, start: int, window: int = 3000) -> Source | None:
    """'Lebanon's Health Minister, X, announced ... the minister stated': the person the
    article last named in that role."""
    for off, name, desc in reversed(memory.intros):
        if start - window < off < start and re.search(rf"\b{re.escape(role)}", desc):
            return memory.person(name)
    return None


def described_as(memory: Memory, org: str, noun: str, reach: int = 400) -> bool:
    """Whether the text just named a body by that noun: 'X, a volunteer medical group,'."""
    at = memory.text.rfind(org, max(0, memory.cursor - reach), memory.cursor)
    if at < 0:
        return False
    after = memory.text[at + len(org):at + len(org) + 80]
    return re.match(rf",\s+(?:a|an|the)\s+[^,.;]{{0,50}}?\b{re.escape(noun)}\b", after) is not None


def same_body(a: str, b: str) -> bool:
    """Two names of one body: the same words, or one's words inside the other's."""
    wa = {w for w in a.lower().split() if w not in ("the", "of", "and")}
    wb = {w for w in b.lower().split() if w not in ("the", "of", "and")}
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def spokesman_of(memory: Memory, org: str) -> Source | None:
    """'the group's spokesman', 'the ministry spokesman': the one person the article has
    named as speaking for that body."""
    people = {p.speaker: p for p in memory.people.values()
              if p.speaker and p.org and same_body(p.org, org)}
    return next(iter(people.values())) if len(people) == 1 else None


def _learn_from_desc(name: str, desc: str, lex: Lexicon, memory: Memory) -> None:
    if lex.org_in(name) or lex.actor_in(name) or lex.outlet_in(name):
        return
    org, side = describe(desc, lex)
    memory.learn(name.strip(), org, side)


def describe(desc: str, lex: Lexicon, as_written: str | None = None) -> tuple[str | None, str]:
    """(org, side) from a role description like 'spokesman for the interior ministry'.

    A generic body ("local officials", "the general staff", "medical sources") keeps the
    words the text used (`as_written`, the phrase up to its head noun)."""
    # "the health minister" speaks for the health ministry
    if re.search(r"\w\s+minister\b", desc, re.I):
        desc = re.sub(r"(?<!prime )(?<!deputy )\b(m)inister\b(?!\s+of\b)",
                      lambda m: f"{m.group(1)}inistry", desc, flags=re.I)
    # "the presidential spokesman" speaks for the presidency
    desc = re.sub(rf"\b(p)residential\s+(?=(?:{ROLE_WORDS})s?\b)", lambda m: f"{m.group(1)}residency ",
                  desc, flags=re.I)
    # Specific bodies first ("interior ministry"), then armed groups ("the Taliban's
    # spokesman"), then generic government words ("a top government official").
    org = lex.org_in(desc)
    actor = lex.actor_in(desc)
    if org and as_written:
        # "the UN Human Rights Monitoring Mission": a body of the one the lexicon knows
        # ("UN") is named as written, with its side
        alias = lex.org_pattern.search(desc)
        # ("UN officials" are the UN's: people, not a body of their own)
        heads = [w for w in re.findall(r"[\w'’-]+", as_written) if orgs.is_body_head(w)
                 and not _ROLE.fullmatch(w) and w.lower() not in PEOPLE]
        if alias is not None and heads and heads[-1].lower() not in alias.group(0).lower():
            return as_written, org[1]
    if org and org[0] not in ("government", "military", "police", "hospital", "monitors"):
        # "Azerbaijan's Defense Ministry" is not Armenia's: a state's body keeps its state
        alias = lex.org_pattern.search(desc)
        before = re.search(r"([A-Z][\w-]+)(?:[’']s)?\s+$", desc[:alias.start()]) if alias else None
        if alias is not None and before is not None and \
                lex.state_names.get(before.group(1).lower()) and \
                not lex.state_names.get(alias.group(0).split()[0].lower()):
            return f"{desc[before.start():alias.start()]}{alias.group(0)}", org[1]
        return (as_spelled(alias.group(0), org[0]) if alias else org[0]), org[1]
    if actor:
        return actor.name, actor.side
    if org:
        name = org[0]
        if name == "government":
            state = lex.actor_in(f"{desc} forces")
            if state and state.kind == "state" and state.country in lex.governments:
                return lex.governments[state.country].name, "government"
        if as_written:
            # "the ministry spokesman" speaks for "the ministry"; "local officials" stay
            return _clean_org(as_written) or as_written, org[1]
        cleaned = _clean_org(_segment(desc, lex.org_pattern))
        if name == "government" and cleaned in (None, "government", "officials", "official"):
            return None, org[1]
        return cleaned or name, org[1]
    # A body the lexicon does not know: the words of its name tell its side
    # ("commanding officer of the 3rd Infantry Battalion").
    side = orgs.body_side(desc)
    head = next((w for w in re.findall(r"[\w'’-]+", desc)[::-1] if orgs.is_body_head(w)), None)
    if head is None:
        named = _named_before_role(desc)
        if named is not None:  # "RAB spokesman", "the Kremlin's spokesman"
            return named, orgs.body_side(named) or side or "unknown"
        if as_written and as_written[:1].isupper() and side:
            # "the Civil Defence": a name whose own words tell its side
            return as_written, orgs.body_side(as_written) or side or "unknown"
        return None, side or "unknown"
    seg = _segment(desc, re.compile(rf"\b{re.escape(head)}\b"))
    own = orgs.body_side(as_written) if as_written else None  # its name's words come first
    return (as_written or _clean_org(seg)), own or side or "unknown"


_NAME_ROLE = re.compile(rf"(?<![\w'’-])((?:[A-Z][\w'’&.-]*\s+){{1,4}}?)(?:[’']s\s+)?"
                        rf"(?i:{ROLE_WORDS})s?\b")
_NOT_BODY_WORDS = {"the", "a", "an", "acting", "deputy", "senior", "top", "chief", "former",
                   "local", "but", "and", "however", "meanwhile", "its", "his", "her", "their"}


def _named_before_role(desc: str) -> str | None:
    """The body a role is written after: 'RAB spokesman', 'Hezbollah's spokesman'."""
    m = _NAME_ROLE.search(desc)
    if m is None:
        return None
    words = m.group(1).split()
    while words and (words[0].lower() in _NOT_BODY_WORDS or _ROLE.fullmatch(words[0])):
        words.pop(0)
    if not words or any(_ROLE.fullmatch(w) or w.lower() in _NOT_BODY_WORDS for w in words):
        return None
    name = orgs.strip_titles(" ".join(words))
    return name if name[:1].isupper() and name == " ".join(words) else None


_SPELLINGS = {"defence": "defense", "ministry": "ministry", "organisation": "organization"}


def as_spelled(alias: str, canonical: str) -> str:
    """The lexicon's name in the article's own spelling and order ('defence ministry' for
    'Ministry of Defense'), when the words are the same; its canonical name when the
    article calls it otherwise ('MoD', 'the Pentagon')."""
    def words(s: str) -> set[str]:
        return {_SPELLINGS.get(w, w) for w in re.findall(r"[\w'’-]+", s.lower())
                if w not in ("the", "of", "and", "affairs")}
    wa = words(alias)
    if len(wa) == 1 and orgs.is_body_head(alias) and alias.lower() not in PEOPLE:
        return alias  # "the presidency" as the text calls it, not "Office of the President"
    return alias if len(wa) > 1 and wa == words(canonical) else canonical


def _segment(desc: str, pattern: re.Pattern[str]) -> str:
    """The comma-separated part of a description that holds what `pattern` finds:
    'the Northern region, army spokesman' -> 'army spokesman'."""
    parts = desc.split(",")
    return next((p for p in parts if pattern.search(p)), desc)


def _clean_org(desc: str) -> str | None:
    desc = re.sub(r"\([^)]*\)", " ", desc)  # "(AFP)", "(MoI)"
    desc = re.sub(r"\s+chief\s+of\s+staff\b.*$", "", desc, flags=re.I)
    # "a police official in the capital": where the person works is not the body's name
    desc = re.sub(rf"\b((?:{ROLE_WORDS})s?)\s+(?:in|at|from|on)\b.*$", r"\1", desc, flags=re.I)
    words = [w for w in re.sub(r"[’']s\b", "", desc).split()
             if w.lower() not in ("the", "a", "an", "local", "top", "senior", "deputy", "but",
                                  "and", "however", "meanwhile", "one", "another", "acting")]
    # role words name the person; "police" names the body and stays
    role = re.compile(rf"^(?!police$)(?:{ROLE_WORDS})s?$", re.I)
    while words and role.match(words[-1]):
        words.pop()
    # "chair of a farmers' union" -> "farmers' union"
    while len(words) > 1 and (role.match(words[0]) or
                              words[0].lower() in ("for", "of", "at", "to", "from", "with")):
        words.pop(0)
    text = " ".join(words).strip(" ,;:")
    return text or None


def quote_fragment(text: str, pos: int, sent: Span, sent_start: int, most: int = 4) -> bool:
    """Whether the quotation around `pos` is a few words without a verb ('"about 30"
    troops'), a fragment the reporter quotes inside his own report, not the speaker's
    statement ('"We killed 12 soldiers," he said' is one)."""
    opened = max(text.rfind(q, 0, pos) for q in ("“", '"'))
    close = [c for c in (text.find("”", pos), text.find('"', pos)) if c >= 0]
    if opened < 0 or not close or len(text[opened + 1:min(close)].split()) > most:
        return False
    inside = [t for t in sent if opened < sent_start + t.idx < min(close)]
    return not any(t.pos_ in ("VERB", "AUX") for t in inside)


def quote_depth(text: str, start: int, pos: int) -> int:
    """How many quotations are open at `pos`, counting from a paragraph start."""
    return _quote_marks(text).depth(start, pos)


class _QuoteMarks:
    """The quotation marks of one text, found once; the depth after each mark is worked
    out once per paragraph start, as far as it was asked for. Counting from the start
    for every claim made one long paragraph cost its length times its claims."""

    def __init__(self, text: str) -> None:
        self.at = [m.start() for m in _QUOTE_MARK.finditer(text)]
        self.marks = [text[i] for i in self.at]
        self.walks: dict[int, tuple[int, list[int]]] = {}  # start -> (first mark, depths)

    def depth(self, start: int, pos: int) -> int:
        first, depths = self.walks.setdefault(start, (bisect_left(self.at, start), [0]))
        upto = bisect_left(self.at, pos, lo=first)  # marks before pos: first .. upto-1
        # a depth is kept as 2 * curly + straight parity
        while first + len(depths) - 1 < upto:
            d, ch = depths[-1], self.marks[first + len(depths) - 1]
            curly, straight = d >> 1, d & 1
            if ch == "“":
                curly += 1
            elif ch == "”":
                curly = max(0, curly - 1)
            else:
                straight ^= 1
            depths.append(curly << 1 | straight)
        d = depths[max(0, upto - first)]
        return (d >> 1) + (d & 1)


_QUOTE_MARK = re.compile('[“”"]')


@lru_cache(maxsize=8)
def _quote_marks(text: str) -> _QuoteMarks:
    return _QuoteMarks(text)


def trailing_subject(v: Token) -> Token | None:
    """'..., the head of the Red Cross said yesterday.': a report closing the sentence whose
    subject the parser lost; the noun phrase between the last comma and the verb."""
    if v.i == v.sent.start or any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        return None
    toks = []
    for i in range(v.i - 1, v.sent.start - 1, -1):
        t = v.doc[i]
        if t.text in (",", "—", "–", ";"):
            break
        toks.append(t)
    else:
        return None
    if not toks or len(toks) > 12 or any(t.pos_ in ("VERB", "AUX") for t in toks):
        return None
    if not any(t.pos_ in ("NOUN", "PROPN") for t in toks) or \
            any(t.i > v.i for t in v.subtree if t.pos_ in ("NOUN", "PROPN", "NUM")
                and t.dep_ in ("dobj", "ccomp")):
        return None
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids and t.pos_ in ("NOUN", "PROPN")]
    return roots[0] if roots else None


def reporting_verbs(sent: Span, lex: Lexicon) -> list[Token]:
    """Verbs that report: 'X said', 'adding that', and inverted ', reported the ministry'."""
    out = []
    for t in sent:
        if t.pos_ == "VERB" and t.lemma_.lower() == "give" and any(
                c.dep_ == "dobj" and c.lemma_.lower() in ("figure", "toll", "tally", "number",
                                                          "estimate", "count", "breakdown")
                for c in t.children) and any(c.dep_ == "nsubj" for c in t.children):
            out.append(t)  # "the monitors gave a toll of 65 dead"
            continue
        if t.pos_ != "VERB" or t.lemma_.lower() not in lex.reporting_verbs:
            continue
        if t.lemma_.lower() == "claim" and any(
                c.lemma_.lower() in ("responsibility", "credit") for c in t.subtree):
            continue  # claiming an attack is not reporting a figure
        if any(c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless") for c in t.children):
            continue  # "If the Americans say ...": a hypothetical report
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) or \
                t.i + 3 >= sent.end and trailing_subject(t) is not None or \
                t.dep_ in ("advcl", "xcomp") and t.lower_.endswith("ing") or \
                t.i > sent.start and t.nbor(-1).text == "," and \
                any(c.dep_ in ("dobj", "attr") and c.i > t.i for c in t.children):
            out.append(t)
    return out


def according_to(sent: Span, lex: Lexicon) -> Token | None:
    for t in sent:
        if t.lower_ in ("according", "citing") or (t.lower_ == "quoted" and t.nbor(1).lower_ == "by"
                                                   if t.i + 1 < len(t.doc) else False):
            for c in t.children:
                if c.dep_ == "pobj":
                    return c
                if c.dep_ == "prep":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return p
            if t.i + 2 < sent.end and t.nbor(1).lower_ == "to":
                return t.nbor(2) if t.nbor(2).pos_ in ("PROPN", "NOUN") else _np_head(t.nbor(2))
    return None


def _np_head(t: Token) -> Token:
    x = t
    while x.dep_ in ("det", "amod", "compound", "poss") and x.head != x:
        x = x.head
    return x


def choose_verb(fig_tok: Token, verbs: list[Token]) -> Token | None:
    """The reporting verb that governs the figure's clause; else the main one."""
    if not verbs:
        return None
    ancestors = set(a.i for a in fig_tok.ancestors)
    governing = [v for v in verbs if v.i in ancestors and not _in_object(fig_tok, v)]
    if governing:
        return max(governing, key=lambda v: v.i in ancestors and -abs(v.i - fig_tok.i))
    free = [v for v in verbs if not _in_object(fig_tok, v)]
    return free[0] if free else None


def _in_object(fig_tok: Token, v: Token) -> bool:
    """'claimed the lives of 37 people': the figure is the verb's object, not its report."""
    for c in v.children:
        # "told AFP", "put the number ... at 700": the object is not the figure's report
        if c.dep_ in ("dobj", "obj") and v.lemma_ not in OBJECT_REPORTS:
            if fig_tok.i in {t.i for t in c.subtree}:
                return True
    return False


DOCUMENT_WORDS = {"statement", "report", "communique", "release", "bulletin", "post",
                  "message", "tweet", "figure", "data", "datum", "toll", "tally", "estimate",
                  "document", "study", "survey", "finding", "count", "assessment", "update",
                  "record", "statistic", "communiqué", "reports", "figures", "tallies"}
# Verbs whose object is the report itself: "the monitor reported 100 deaths", "a report
# cited 492 deaths" (unlike "the attack claimed 84 lives").
PEOPLE = {"officials", "official", "sources", "source", "residents", "witnesses", "locals",
          "activists", "medics", "doctors", "officers", "troops", "soldiers", "fighters"}
OBJECT_REPORTS = {"tell", "put", "report", "cite", "record", "confirm", "count", "document",
                  "register", "give", "announce", "estimate", "list", "tally", "acknowledge",
                  "admit", "describe"}
BODY_WORDS = {"ministry", "council", "department", "army", "military", "police", "office",
              "agency", "group", "cell", "command", "government", "authority", "authorities",
              "committee", "commission", "movement", "organisation", "organization"}


def source_from_phrase(head: Token, lex: Lexicon, memory: Memory) -> Source | None:
    """Speaker/org/side of a subject such as 'Tareq Arian, spokesman for the ministry'."""
    src = _source_from_phrase(head, lex, memory)
    if src is not None and src.org and src.org.lower() in lex.outlets:
        named = _named_outlet(lex.outlets[src.org.lower()], head.sent, lex)
        src = replace(src, org=named) if named else src
    if src is not None and src.org and src.org.isupper() and 1 < len(src.org) < 7 and \
            src.org.lower() not in memory.bodies:
        full = _spelled_out(src.org, memory.text)
        if full:  # "the LCC" after "the Local Coordination Committees"
            memory.bodies[src.org.lower()] = full
    if src is not None and src.org and src.org.lower() in memory.bodies:
        # "the owner of the school", "the Observatory", "the HDP": the body the article
        # named in full before
        full = memory.bodies[src.org.lower()]
        src = replace(src, org=full, side=src.side if src.side != "unknown"
                      else orgs.body_side(full) or "unknown")
    if src is not None and src.org:
        org = src.org
        full = named_in_full(org, memory)
        if full is not None:
            # "the Red Cross" after "the International Committee of the Red Cross"
            known = lex.org_in(full)
            org = full
            src = replace(src, org=full, side=known[1] if known else src.side)
        elif len(org.split()) > 2:
            memory.named_orgs.append(org)
        memory.last_source = src
        if not _plural(org):
            memory.last_body = src
        words = org.split()
        if len(words) > 1:
            for w in words:
                if w[:1].isupper() and orgs.is_body_head(w):
                    memory.bodies.setdefault(w.lower(), org)
    return src


def _source_from_phrase(head: Token, lex: Lexicon, memory: Memory) -> Source | None:
    if head.lower_ in ("which", "who", "that") and head.head.dep_ == "relcl":
        head = head.head.head  # "Kiev, which said ...": the antecedent
    if head.dep_ == "nsubj":
        # several subjects of one verb ("Gaza: Gaza's Health Ministry says"): a misparse;
        # the one next to the verb heads the phrase
        closer = [c for c in head.head.children if c.dep_ == "nsubj" and head.i < c.i < head.head.i]
        if closer:
            head = closer[-1]
    person = next((t for t in [head, *(c for c in head.children if c.dep_ == "conj")]
                   if t.lemma_.lower() in PERSON_NOUNS and
                   any(c.lower_ == "the" for c in t.children)), None)
    if person is not None:
        # "said the man" after "two drivers - a man and a youth - spoke to Reuters": the one
        # introduced before, as what he was introduced as ("He and the youth": both)
        met = _introduced_as(person, lex, memory)
        if met is not None:
            noun, via = met
            one = person is head and not any(c.dep_ == "conj" for c in head.children)
            return Source(org=_singular(noun) if one else noun,
                          side=orgs.body_side(noun) or "unknown", via=via)
    if head.lower_ in ("it", "they"):
        # "the army issued a statement in which it said": the statement's author
        verb = head.head
        while verb.dep_ == "conj" and verb.head is not verb:
            verb = verb.head
        if verb.dep_ == "relcl" and verb.head.lemma_.lower() in DOCUMENT_WORDS:
            author = syntax.subject(verb.head.head)
            if author is not None and author.lower_ not in PRONOUNS:
                return _source_from_phrase(author, lex, memory)
    if head.lower_ in PRONOUNS:
        outer = syntax.reporter_subject(head)
        if outer is not None and outer.i != head.i and outer.lower_ not in PRONOUNS:
            return _source_from_phrase(outer, lex, memory)  # "X says it has confirmed"
        if head.lower_ in ("he", "she", "i") and memory.last_person:
            return memory.last_person
        if head.lower_ in ("he", "she"):
            # no one has spoken yet: the person the article last introduced
            before = [name for off, name, _ in memory.intros if off < memory.cursor]
            return memory.person(before[-1]) if before else None
        if head.lower_ == "it" and memory.last_source and _plural(memory.last_source.org):
            # "security sources told AFP ... it added": "it" is the body named before them
            return memory.last_body
        if head.lower_ in ("it", "they") and memory.last_source:
            return memory.last_source
        return None
    lemma = head.lemma_.lower()
    if head.lower_ in GENERIC_HEADS and not (lemma in DOCUMENT_WORDS and _owner(head)):
        return None
    last = memory.last_source
    if lemma in lex.anaphors and last is not None and last.org and \
            described_as(memory, last.org, lemma):
        # "The Doctors Network, a medical group, reported ... The group estimated": the
        # body the text just called a group, not the armed group the article is about
        return replace(last, speaker=None)
    if (lemma in lex.anaphors or head.lower_ in lex.anaphors) and memory.main_actor is not None \
            and not lex.actor_in(head.doc[head.left_edge.i:head.i + 1].text):
        actor = memory.main_actor  # "the jihadist group said": the group the article is about
        return Source(org=actor.name, side=actor.side)  # type: ignore[attr-defined]
    if lemma in DOCUMENT_WORDS or head.lower_ in DOCUMENT_WORDS:
        # "the statement noted", "a statement from the ministry", "data collected by the
        # mission", "the ministry's figures": whose document it is
        by = _owner(head)
        if by:
            return _source_from_phrase(by[0], lex, memory)
        nat = next((c for c in head.children if c.dep_ == "amod"
                    and lex.state_names.get(c.lower_) in lex.governments), None)
        if nat is not None:  # "according to Israeli tallies": that state's
            return Source(org=lex.governments[lex.state_names[nat.lower_]].name,
                          side="government")
        return memory.last_source
    state = lex.state_names.get(head.lower_) if head.pos_ == "PROPN" else None
    if state and state in lex.governments and \
            not any(c.dep_ not in ("relcl", "punct", "appos") for c in head.children):
        return Source(org=lex.governments[state].name, side="government")
    if lemma in BODY_WORDS and memory.last_source and memory.last_source.org and \
            lemma in memory.last_source.org.lower() and \
            all(c.dep_ in ("det", "punct") for c in head.lefts):
        # "the ministry added"; not "Sergeant X of Y police", which names its own
        return replace(memory.last_source, speaker=None)
    words = [t for t in _phrase_tokens(head) if not syntax.in_dateline(t)]
    if not words:
        return None
    phrase = "".join(t.text_with_ws for t in words).strip()
    name_toks = [t for t in words if (t.pos_ == "PROPN" or _acronym(t)) and
                 (t == head or t.head == head and t.dep_ in ("compound", "appos", "flat", "nmod")
                  or t.head.head == head and t.head.pos_ == "PROPN" and t.dep_ == "compound")]
    name = _speaker_name(words, name_toks, lex, memory)
    desc = phrase
    if name and name in phrase:
        # "Corporal X of Yala police": the rank before the name goes with it
        at = phrase.index(name)
        desc = _RANK_AT_END.sub(" ", phrase[:at]) + " " + phrase[at + len(name):]
    elif name:
        desc = phrase.replace(name, " ")
    outlet = lex.outlet_in(phrase)
    body = head.pos_ == "PROPN" or _acronym(head) or orgs.body_entity(head) is not None \
        if name_toks else False
    # "the head of the Sudanese Red Crescent" speaks for it; "a resident of Shwe Pyi" for no
    # place: people of a place are the body
    of = next((p for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "at")
               for p in c.children if p.dep_ == "pobj"), None) \
        if _ROLE.fullmatch(head.text) and head.lemma_.lower() not in PEOPLE_OF_PLACES else None
    if body and not name:
        written = orgs.name_as_written(head)
    elif of is not None and not name:
        written = orgs.name_as_written(of)  # "the head of the Sudanese Red Crescent"
    else:
        left = [t for t in head.lefts for t in t.subtree] + [head]
        written = " ".join(t.text for t in sorted(left, key=lambda t: t.i)
                           if t.dep_ not in ("det", "poss", "case") and t.pos_ != "PUNCT")
        if orgs.is_body_head(head.text) and head.lemma_.lower() not in PEOPLE_OF_PLACES and \
                any(c.dep_ == "prep" and c.lower_ in ("in", "of") and
                    any(p.dep_ == "pobj" and p.pos_ == "PROPN" for p in c.children)
                    for c in head.rights):
            written = orgs.name_as_written(head)  # "authorities in Kinshasa"
    org, side = describe(desc, lex, as_written=None if name else written or None)
    if name and org is None and memory.main_actor is not None:
        # "the group's spokesman, X", "X, who speaks for the militants": the armed group
        # the article is about
        whole = syntax.subtree_text(head).lower()
        if re.search(rf"\b(?:{ROLE_WORDS}|speak)", whole) and any(
                re.search(rf"\b{re.escape(a)}\b", whole) for a in lex.anaphors):
            actor = memory.main_actor
            org, side = actor.name, actor.side  # type: ignore[attr-defined]
    if name:
        known = memory.person(name)
        if known and not org:
            org, side = known.org, known.side
        src = memory.learn(name, org, side)
        return Source(speaker=src.speaker, org=org or src.org, side=side if org else src.side)
    if outlet and (not org or head.text in outlet.split() or head.lower_ in ("tv", "television",
                                                                            "channel", "agency")):
        return Source(org=outlet, side=_media_side(phrase, lex, memory))
    if org is None and side == "unknown":
        # A body the lexicon does not know: its name as written, its side from its words.
        if body:
            ent = orgs.body_entity(head)
            if ent is not None and ent.label_ == "GPE" and len(ent) == 1 or \
                    len(words) == 1 and _is_place_or_time(head.text):
                return Source(org=written, side="government")  # "Baku says": its government
            side = orgs.body_side(written) or "unknown"
            return Source(org=written, side=_media_side(phrase, lex, memory)
                          if side == "media" else side)
        if not (orgs.is_body_head(head.text) or orgs.is_body_head(head.lemma_)
                or _ROLE.fullmatch(head.text)):
            return None  # "the document", "the information we are getting": no body
        text = _clean_org(phrase)
        return Source(org=text, side=orgs.body_side(text) or _side_of_common(head)) \
            if text else None
    return Source(org=org, side=_media_side(phrase, lex, memory) if side == "media" else side)


PERSON_NOUNS = {"man", "woman", "boy", "girl", "youth", "person"}
PEOPLE_OF_PLACES = {"resident", "witness", "villager", "survivor", "farmer", "elder", "local",
                    "teacher"}


def _introduced_as(person: Token, lex: Lexicon, memory: Memory,
                   reach: int = 2000) -> tuple[str, str | None] | None:
    """The group a definite 'the man' was introduced in ('two drivers - a man and a
    youth - spoke to Reuters'), with the channel that sentence names."""
    before = memory.text[max(0, memory.cursor - reach):memory.cursor]
    at = [m for m in re.finditer(rf"\b(?:a|an|one)\s+{re.escape(person.lower_)}\b", before,
                                 re.I)]
    if not at:
        return None
    m = at[-1]
    lo = max(before.rfind(".", 0, m.start()), before.rfind("\n", 0, m.start())) + 1
    ends = [i for i in (before.find(".", m.end()), before.find("\n", m.end())) if i >= 0]
    sent = before[lo:min(ends) if ends else len(before)]
    noun = next((w for w in re.findall(r"[a-z]+", sent[:m.start() - lo])[::-1]
                 if w in PEOPLE or w in ("witnesses", "survivors", "villagers", "relatives")), None)
    if noun is None:
        return None
    via = lex.outlet_in(sent)
    return noun, via if via != memory.publisher else None


def _singular(noun: str) -> str:
    return noun[:-2] if noun.endswith("sses") else noun[:-1] if noun.endswith("s") else noun


def named_in_full(org: str, memory: Memory) -> str | None:
    """The longer name the article gave a body whose last words this one is (a name of
    two words or more: a bare 'police' may be any police)."""
    words = org.lower().split()
    if len(words) < 2:
        return None
    for full in reversed(memory.named_orgs):
        fw = full.lower().split()
        if len(fw) > len(words) and fw[-len(words):] == words and org[:1].isupper():
            return full
    return None


def _acronym(t: Token) -> bool:
    """'the EHRC's report': an acronym the tagger took for a common noun is a name."""
    return t.pos_ == "NOUN" and t.is_alpha and t.text.isupper() and len(t.text) > 1


def _plural(org: str | None) -> bool:
    """Whether a body's name is a plural of people or things ('security sources')."""
    last = (org or "").split()[-1:] or [""]
    return last[0].lower() in PEOPLE or last[0].lower() in ("authorities", "media", "forces")


def _owner(doc_word: Token) -> list[Token]:
    """Whose document: 'a report by X', 'data collected by X', 'X's figures'."""
    # ("a report of 39 missing" tells what it counts, not whose it is)
    by = [p for c in doc_word.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
          for p in c.children if p.dep_ == "pobj" and not any(t.like_num for t in p.subtree)]
    by += [p for a in doc_word.children if a.dep_ == "acl" for c in a.children
           if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    by += [c for c in doc_word.children if c.dep_ in ("poss", "compound")
           and c.pos_ in ("PROPN", "NOUN") and c.lemma_.lower() not in DOCUMENT_WORDS
           or c.dep_ == "amod" and orgs.is_body_head(c.text)]  # "military estimates"
    return by


def _spelled_out(acronym: str, text: str) -> str | None:
    """The capitalised words of the text whose initials an acronym is."""
    words = r"\s+(?:(?:of|for|the|and|in)\s+)?".join(rf"{c}[\w’'-]+" for c in acronym)
    m = re.search(rf"\b{words}\b", text)
    return m.group(0) if m else None


def _phrase_tokens(head: Token) -> list[Token]:
    """The subject phrase without the clauses that describe it ('the woman, who said she
    heard ...')."""
    skip: set[int] = set()
    for t in head.subtree:
        if t.dep_ in ("relcl", "acl", "advcl") and t.i != head.i:
            skip.update(x.i for x in t.subtree)
    toks = [t for t in head.subtree if t.i not in skip]
    if head.dep_ == "nsubj":
        # a misparse splits "the head of the office Dr Karim Said said" into several
        # subjects of one verb: they are one phrase
        for sib in head.head.children:
            if sib.dep_ == "nsubj" and sib.i != head.i:
                toks.extend(t for t in sib.subtree if t.i not in skip)
        toks.sort(key=lambda t: t.i)
    while toks and toks[-1].pos_ == "PUNCT":
        toks.pop()
    return toks


def _speaker_name(words: list[Token], name_toks: list[Token], lex: Lexicon,
                  memory: Memory) -> str | None:
    """The person a subject phrase names: a PERSON the recogniser finds in it, else a run
    of proper nouns that is neither a body nor a known organisation."""
    for e in orgs.person_entities(words):
        text = orgs.strip_titles(e.text)
        if lex.org_in(text) or lex.actor_in(text) or lex.outlet_in(text) or \
                orgs.is_body_head(e[-1].text):
            continue
        if len(e) == 1 and memory.person(text) is None and _is_place_or_time(text):
            continue  # "Tbilisi says": the recogniser took a capital for a person
        return text
    name = _person_name(name_toks, lex)
    if name is None:
        return None
    run = [t for t in name_toks if t.text in name.split()]
    if run and memory.person(name) is None and orgs.is_body_name(run):
        return None
    return orgs.strip_titles(name)


def _named_outlet(outlet: str, sent: Span, lex: Lexicon) -> str | None:
    """'State media said ..., with MRTV saying': the outlet a generic name ('state media',
    'state television') stands for when its sentence names one."""
    if outlet != outlet.lower() and not outlet.lower().startswith("state"):
        return None
    for t in sent:
        # the other outlet speaks too ("with MRTV saying"): not one it cites or is told
        other = lex.outlet_in(syntax.subtree_text(t)) if t.dep_ == "nsubj" else None
        if other and other != other.lower() and not other.lower().startswith("state") and \
                other not in PLATFORMS:
            return other
    return None


PLATFORMS = {"Twitter", "X", "Telegram", "Facebook", "WhatsApp", "Instagram", "YouTube",
             "TikTok"}


_STATE_MEDIA = re.compile(r"\b(?:state|official|state-run|state-owned|government-run|"
                          r"government-owned|government|junta-run|junta)\b", re.I)


def _media_side(phrase: str, lex: Lexicon, memory: Memory) -> str:
    """An outlet speaks for itself, unless it is the state media of the country the article
    is about ('state media said', 'the official news agency'): then for its government.
    Another state's media ('French state radio') reports as media."""
    if not _STATE_MEDIA.search(phrase):
        return "media"
    states = {c for w in re.findall(r"[\w-]+", phrase) for c in [lex.state_names.get(w.lower())]
              if c}
    return "government" if not states or memory.country in states else "media"


def _side_of_common(head: Token) -> str:
    lem = head.lemma_.lower()
    if lem in ("source", "medic", "doctor", "witness", "resident", "local", "villager"):
        return "independent"
    if lem in ("outlet", "media", "report", "newspaper", "channel", "television"):
        return "media"
    return "unknown"


def _person_name(toks: list[Token], lex: Lexicon) -> str | None:
    if not toks:
        return None
    toks = sorted(toks, key=lambda t: t.i)
    # keep the longest run of adjacent proper nouns that is not an organisation or group
    runs: list[list[Token]] = [[toks[0]]]
    for t in toks[1:]:
        if t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    for run in sorted(runs, key=len, reverse=True):
        text = " ".join(t.text for t in run)
        if all(orgs.is_title(t.text) or _ROLE.fullmatch(t.text) for t in run):
            continue  # "Deputy Commissioner": ranks, no name
        if lex.org_in(text) or lex.actor_in(text) or lex.outlet_in(text):
            # "Interior Minister Massoud Andrabi": drop the title words, keep the name
            rest = [t for t in run if not (lex.org_in(t.text) or lex.actor_in(t.text))
                    and t.lower_ not in ("minister", "president", "spokesman", "general")]
            if rest and rest[-1] == run[-1] and len(rest) < len(run):
                return " ".join(t.text for t in rest)
            continue
        if _is_place_or_time(text):
            continue
        # "Ashraf al-Qudra": the tokenizer splits at the hyphen
        doc, end = run[-1].doc, run[-1].i
        while end + 2 < len(doc) and doc[end + 1].text == "-" and not doc[end].whitespace_ \
                and doc[end + 2].text[:1].isupper():
            text += "-" + doc[end + 2].text
            end += 2
        return text
    return None


_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december", "eid", "ramadan"}


def _is_place_or_time(text: str) -> bool:
    from tally.nlp.places import gazetteer

    if any(w.lower() in _CALENDAR for w in text.split()):
        return True
    return gazetteer().resolve(text).country is not None


def via_of(v: Token | None, sent: Span, lex: Lexicon, memory: Memory) -> str | None:
    """The outlet or channel named for the figure: 'told AFP', 'on Twitter', 'according to
    AFP', 'speaking to the Chronicle'. The lexicon gives canonical names; an outlet it does
    not know is found by the construction ('told X', 'speaking to X', 'according to X')
    when its words or the recogniser make X a news organisation."""
    cands: list[tuple[Token, bool]] = []  # (phrase head, named by the construction itself)
    if v is not None:
        verbs = [v] + ([v.head] if v.dep_ in ("advcl", "xcomp", "conj") else [])
        # "speaking to the Reuters news agency, a commander said"; "taking to Telegram, he wrote"
        verbs += [c for verb in list(verbs) for c in verb.children
                  if c.dep_ == "advcl" and c.lemma_.lower() in SPEAK_TO]
        # "a commander, speaking to the Reuters news agency, said": the subject's own clause
        verbs += [a for verb in list(verbs) for c in verb.children if c.dep_ == "nsubj"
                  for a in c.children if a.dep_ == "acl" and a.lemma_.lower() in SPEAK_TO]
        for verb in verbs:
            for c in verb.children:
                if c.dep_ in ("dobj", "dative") and verb.lemma_ == "tell":
                    cands.append((c, True))
                if c.dep_ == "prep" and c.lower_ in ("on", "to", "in", "via", "through"):
                    strong = c.lower_ in ("on", "via", "through") or \
                        c.lower_ == "to" and verb.lemma_.lower() in SPEAK_TO
                    cands.extend((p, strong) for p in c.children if p.dep_ == "pobj")
    acc = according_to(sent, lex)
    if acc is not None:
        cands.append((acc, True))
    # "..., as reported by Sputnik", "quoted by the agency"
    cands.extend((p, True) for t in sent if t.dep_ == "agent" and t.head.lemma_.lower() in
                 ("report", "quote", "cite", "carry", "broadcast", "publish")
                 for p in t.children if p.dep_ == "pobj")
    # "..., in a post on its Telegram channel": a channel named anywhere in the
    # sentence after on/in/via/through
    cands.extend((p, False) for t in sent if t.dep_ == "prep" and t.lower_ in ("on", "via", "through")
                 for p in t.children if p.dep_ == "pobj")
    for c, strong in cands:
        text = syntax.subtree_text(c)
        outlet = lex.outlet_in(text)
        if outlet is None and strong:
            outlet = _outlet_as_written(c, lex)
        if outlet and outlet != memory.publisher:
            return outlet
    return None


SPEAK_TO = {"speak", "talk", "take", "write", "post", "tweet", "say", "tell", "announce"}
_NOT_OUTLETS = {"reporters", "journalists", "media", "press", "reporter", "journalist",
                "correspondents", "newsmen", "us", "him", "her", "them", "me"}


def _outlet_as_written(c: Token, lex: Lexicon) -> str | None:
    """'told the Daily Courier', 'on Channels Television': a proper-noun name whose words
    are an outlet's, or an organisation that a 'told'/'speaking to' addresses."""
    if c.lower_ in _NOT_OUTLETS or c.pos_ != "PROPN" and not any(
            t.pos_ == "PROPN" for t in c.lefts):
        return None
    name = orgs.name_as_written(c)
    if orgs.body_side(name) == "media" or lex.outlet_in(name):
        return name
    if c.head.lemma_ == "tell" or c.head.dep_ == "prep" and c.head.head.lemma_.lower() in SPEAK_TO:
        ent = orgs.body_entity(c)
        # an organisation that is not a known body of some side ("told Amnesty" is no outlet)
        if ent is not None and ent.label_ == "ORG" and orgs.body_side(name) is None and \
                not lex.org_in(name) and not lex.actor_in(name):
            return name
    return None


def with_attribution(src: Source, kind: str) -> Source:
    return replace(src, attribution=kind)


_ONE_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:al-|bin\s|ul\s)?[A-Z][\w'’-]+){0,3}"


_SAID_ROLE = re.compile(rf"\b(?:[Aa]n?|[Tt]he)\s+((?:[\w'’-]+\s+){{0,4}}?(?:{ROLE_WORDS})s?)"
                        rf"(?:,[^,]{{3,90}},)?\s+(?:said|told|added|wrote|stated)\b")
_REPORTS = r"(?:said|told|added|claimed|wrote|posted|tweeted|stated|announced)"
_SAID_NAME = re.compile(rf"\b(?:said|told|added|according\s+to)\s+({_ONE_NAME})|({_ONE_NAME})"
                        rf"(?:,[^,]{{3,90}},)?\s+(?:who\s+)?{_REPORTS}\b")


_SAID_BODY = re.compile(r"\b[Tt]he\s+((?:[\w’'-]+\s+){0,4}?[\w’'-]+)\s+(?:says|said|reported|"
                        r"reports|added|adds|stated|announced)\b")


def note_speaker(text: str, lex: Lexicon, memory: Memory) -> None:
    """Follow the last speaker through sentences that are not parsed: a named one, or one
    known by role ('a police official told Xinhua ...'), with the channel the sentence
    names, for the 'he said' that follows."""
    via = lex.outlet_in(text)
    via = via if via != memory.publisher else None
    names = [n for m in _SAID_NAME.finditer(text)
             for n in [orgs.strip_titles((m.group(1) or m.group(2)).strip())]
             if not (lex.org_in(n) or lex.actor_in(n) or lex.outlet_in(n))]
    for said in _SAID_NAME.finditer(text):
        # '"...," the UN said in a statement.': the body a later "it said" refers to
        body = said.group(2).strip() if said.group(2) else None
        if not body:
            continue
        group = lex.actor_in(body)
        known = lex.org_in(body) or ((group.name, group.side) if group else None)
        if known is not None:
            named = describe(body, lex)[0] if lex.org_in(body) else known[0]
            memory.last_source = Source(org=named or known[0], side=known[1])
    for said in _SAID_BODY.finditer(text):
        # "..., the attorney general's office says.": the body a later "the statement" is
        words = said.group(1)
        if orgs.is_body_head(words.split()[-1]) and words.split()[-1].lower() not in PEOPLE:
            org, side = describe(words, lex, as_written=words)
            memory.last_source = Source(org=org or words, side=side)
    if not names:
        role = _SAID_ROLE.search(text)
        if role is not None:
            org, side = describe(role.group(1), lex)
            if org is not None or side != "unknown":
                memory.last_person = Source(org=org, side=side, via=via)
                if text.rstrip().endswith(":") or re.search(r"[“”\"]", text):
                    memory.last_quote = replace(memory.last_person, attribution="direct_quote")
        return
    for name in names:
        person = memory.person(name)
        if person is None and len(name.split()) < 2:
            continue  # a lone capitalised word is too often not a name
        memory.last_person = replace(person or Source(speaker=name), via=via)
        if text.rstrip().endswith(":") or re.search(r"[“”\"]", text):
            memory.last_quote = replace(memory.last_person, attribution="direct_quote")
