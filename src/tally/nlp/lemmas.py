"""`tally_lemmatizer_v1`: the model's rule lemmatizer, remembered per word form.

spaCy's English rule lemmatizer reads only a token's text, part of speech and morphology,
but works its rules out in Python at every token (its own cache skips the many base
forms): on the sentences tally reads it cost a quarter of the parser. This component
asks it once per (text, part of speech, morphology) and writes the remembered lemmas in
one array, giving the same lemmas. `tests/test_lemmas.py` checks the equality token by
token against the stock component.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

# Distinct (text, part of speech, morphology) triples remembered, at most: a long-running
# server meets new words without end.
CACHE_SIZE = 200_000


@Language.factory("tally_lemmatizer_v1", default_config={"source": "lemmatizer"})
def make_lemma_cache(nlp: Language, name: str, source: str) -> LemmaCache:
    lemmatizer = nlp.get_pipe(source)
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
        raise ValueError(f"{source!r} is not a rule lemmatizer")
    return LemmaCache(lemmatizer)


class LemmaCache:
    """Doc -> Doc: sets the lemmas the source lemmatizer sets."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.source = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self.overwrite = bool(lemmatizer.overwrite)
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        cache = self.cache
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self.overwrite:
                continue  # set before (the attribute ruler's "n't" -> "not"): kept, as spaCy does
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                found = self.strings.add(self.source.lemmatize(doc[i])[0])
                if len(cache) < CACHE_SIZE:
                    cache[key] = found
            lemmas[i] = found
            changed = True
        if changed:
            doc.from_array([LEMMA], cast(Any, lemmas.reshape(-1, 1)))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def use_lemma_cache(nlp: Language) -> None:
    """Swap the stock lemmatizer (kept, disabled) for the remembering one, in its place."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    nlp.add_pipe("tally_lemmatizer_v1", after="lemmatizer")
    nlp.disable_pipe("lemmatizer")
