"""`tally_attribute_ruler_v1`: the model's attribute ruler, applied by lookup.

The English model's `attribute_ruler` maps fine-grained tags to parts of speech and
morphology through spaCy's Matcher: 179 patterns tried at every token cost about as much
CPU as the parser on the sentences tally reads. Nearly all of them test one token for
equal tags, words or dependencies, so this component indexes the same patterns by tag
and by word and applies them in the same order (a later pattern wins, as in spaCy),
giving the same annotations for a fraction of the cost. `tests/test_attribute_map.py`
checks the equality token by token against the stock component.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from spacy import attrs as spacy_attrs
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

Test = Callable[[Token], bool]
_READ: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
}


@Language.factory("tally_attribute_ruler_v1", default_config={"source": "attribute_ruler"})
def make_attribute_map(nlp: Language, name: str, source: str) -> AttributeMap:
    ruler = nlp.get_pipe(source)
    if not isinstance(ruler, AttributeRuler):
        raise ValueError(f"{source!r} is not an attribute ruler")
    return AttributeMap(ruler)


def _condition(key: str, want: Any) -> Test:
    if key not in _READ:
        raise ValueError(f"attribute pattern key {key!r} is not supported")
    read = _READ[key]
    if not isinstance(want, dict):
        return lambda t: read(t) == want
    (op, arg), = want.items()
    if op == "IN":
        values = set(arg)
        return lambda t: read(t) in values
    if op == "NOT_IN":
        values = set(arg)
        return lambda t: read(t) not in values
    if op == "REGEX":
        rx = re.compile(arg)
        return lambda t: rx.search(read(t)) is not None
    raise ValueError(f"attribute pattern operator {op!r} is not supported")


def _keys(token_pattern: dict[str, Any], key: str) -> list[str] | None:
    """The values of `key` this token pattern can only match, or None if not that narrow."""
    want = token_pattern.get(key)
    if isinstance(want, str):
        return [want]
    if isinstance(want, dict) and set(want) == {"IN"}:
        return list(want["IN"])
    return None


_READS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the order of `_READ`, LOWER second
_WRITES = ("POS", "TAG", "MORPH", "LEMMA")


class AttributeMap:
    """Doc -> Doc: sets the attributes the source ruler's patterns set."""

    def __init__(self, ruler: AttributeRuler) -> None:
        vocab = ruler.vocab
        # Single-token patterns depend only on what `_READS` reads of that token: the
        # attributes they set together are worked out once per distinct token and cached.
        self.single: list[tuple[int, list[Test], dict]] = []
        # Longer patterns ("gon na") are few: tried only where their first word appears.
        self.multi: dict[int, list[tuple[int, list[list[Test]], int, dict[int, int], int]]] = \
            defaultdict(list)
        singles: list[tuple[int, dict[str, Any]]] = []
        patterns = cast(list[dict[str, Any]], ruler.patterns)  # spaCy types them loosely
        for attr_id, pattern in enumerate(patterns):
            attrs = {(_WRITES.index(k) if k in _WRITES else k): self._value(vocab, k, v)
                     for k, v in pattern["attrs"].items()}
            for token_patterns in pattern["patterns"]:
                tests = [[_condition(k, v) for k, v in tp.items()] for tp in token_patterns]
                if len(tests) == 1:
                    self.single.append((attr_id, tests[0], attrs))
                    singles.append((attr_id, token_patterns[0]))
                    continue
                # indexed by the first of its tokens that names its words
                at = next((k for k, tp in enumerate(token_patterns)
                           if _keys(tp, "LOWER") is not None), None)
                if at is None:
                    raise ValueError("a pattern of several tokens must name a word")
                for word in _keys(token_patterns[at], "LOWER") or ():
                    self.multi[vocab.strings.add(word)].append(
                        (attr_id, tests, pattern.get("index", 0), attrs, at))
        self.ids = [getattr(spacy_attrs, k) for k in _READS]
        # A value no single-token pattern names behaves like any other such value that the
        # patterns' regular expressions answer alike, so the cache key keeps named values
        # (as hashes) and, for the others, only those answers: few distinct keys, few misses.
        named: list[set[int]] = [set() for _ in _READS]
        self.regexes: list[list[re.Pattern[str]]] = [[] for _ in _READS]
        for _, token_pattern in singles:
            for k, want in token_pattern.items():
                col = _READS.index(k)
                if isinstance(want, dict) and "REGEX" in want:
                    self.regexes[col].append(re.compile(want["REGEX"]))
                    continue
                items = [want] if not isinstance(want, dict) else [*want.get("IN", ()),
                                                                    *want.get("NOT_IN", ())]
                named[col] |= {v if isinstance(v, bool) else vocab.strings.add(v) for v in items}
        # so that a key shows where a longer pattern may start
        named[_READS.index("LOWER")] |= set(self.multi)
        self.named = named
        self.strings = vocab.strings
        self.unnamed: list[dict[int, Any]] = [{} for _ in _READS]  # value -> its key part
        self.write_ids = [getattr(spacy_attrs, k) for k in _WRITES]
        self.cache: dict[tuple, list[tuple[int, dict[Any, int]]]] = {}

    @staticmethod
    def _value(vocab: Any, key: str, value: str) -> int:
        if key not in (*_WRITES, "DEP"):
            raise ValueError(f"attribute {key!r} is not supported")
        if key == "POS":
            return int(POS_IDS[value])
        if key == "MORPH":
            return int(vocab.morphology.add(value))
        return int(vocab.strings.add(value))

    def _unnamed(self, col: int, value: int) -> Any:
        part = self.unnamed[col].get(value)
        if part is None:
            rxs = self.regexes[col]
            text = self.strings[value] if rxs else ""
            part = tuple(rx.search(text) is not None for rx in rxs)
            if len(self.unnamed[col]) < 200_000:
                self.unnamed[col][value] = part
        return part

    def _singles(self, key: tuple, tok: Token) -> list[tuple[int, dict[int, int]]]:
        found = [(a, attrs) for a, tests, attrs in self.single if all(t(tok) for t in tests)]
        if len(self.cache) < 100_000:
            self.cache[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        keys = [tuple(v if v in names else self._unnamed(col, v)
                      for col, (v, names) in enumerate(zip(row, self.named)))
                for row in doc.to_array(self.ids).tolist()]
        lowers = doc.to_array(spacy_attrs.LOWER).tolist()
        out = doc.to_array(self.write_ids)
        cache, multi = self.cache, self.multi
        later: dict[int, list[tuple[int, dict[int, int]]]] = defaultdict(list)
        per_token = []
        deps: list[tuple[int, int]] = []
        for i, key in enumerate(keys):
            hits = cache.get(key)
            if hits is None:
                hits = self._singles(key, doc[i])
            per_token.append(hits)
            if multi and (rules := multi.get(lowers[i])):
                for attr_id, tests, index, attrs, at in rules:
                    start = i - at
                    if 0 <= start and start + len(tests) <= n and all(
                            all(t(doc[start + k]) for t in tt) for k, tt in enumerate(tests)):
                        later[start + (index if index >= 0 else len(tests) + index)].append(
                            (attr_id, attrs))
        # Every pattern is matched on the tokens as the tagger left them, then applied in
        # pattern order, so that a later pattern wins: what spaCy's ruler does.
        for i, hits in enumerate(per_token):
            if i in later:
                hits = sorted([*hits, *later[i]], key=lambda h: h[0])
            for _, attrs in hits:
                for col, value in attrs.items():
                    if col == "DEP":
                        deps.append((i, value))
                    else:
                        out[i, col] = value
        doc.from_array(self.write_ids, cast(Any, out))
        # A label is set on its own: writing DEP through from_array would rebuild the tree.
        for i, value in deps:
            set_token_attrs(doc[i], {spacy_attrs.DEP: value})
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def use_attribute_map(nlp: Language) -> None:
    """Swap the stock ruler (kept, disabled) for the lookup one, in the same place."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    nlp.add_pipe("tally_attribute_ruler_v1", after="attribute_ruler")
    nlp.disable_pipe("attribute_ruler")
