"""`-j N`: whole documents read in spaCy's worker processes (scale.local) give the claims
one process gives; a document that fails is refused alone; a worker that dies costs
nothing; the "tally" component also runs in a user's own `nlp.pipe(n_process=2)`."""
from __future__ import annotations

import logging

import pytest

from tally.documents.model import Document
from tally.pipeline import ingest, with_claims
from tally.store import open_store
from tests.own_texts import own_documents


def claims_of(docs, extractor, **how) -> list[tuple[str, list[dict]]]:
    return [(d.id, records) for d, records, _ in with_claims(docs, extractor=extractor, **how)]


def test_two_processes_give_the_claims_one_process_gives(extractor):
    docs = own_documents(copies=2)
    one = claims_of(docs, extractor)
    assert claims_of(docs, extractor, processes=2) == one
    assert [d for d, _ in one] == [d.id for d in docs]  # input order
    assert sum(len(r) for _, r in one) >= 20
    ids = [c["id"] for _, records in one for c in records]
    assert len(set(ids)) == len(ids)


def test_a_document_spacy_refuses_in_a_worker_is_refused_alone(sqlite_url, extractor,
                                                               monkeypatch):
    """The workers are forked with the extractor as it is, here with spaCy's length limit
    lowered so that one sentence passes it."""
    monkeypatch.setattr(extractor.nlp, "max_length", 80)
    docs = [Document(id="a", text="Gunmen killed four guards, police said."),
            Document(id="long", text="Gunmen killed four guards at a checkpoint on the "
                     "eastern road on Saturday evening, police said."),
            *own_documents()[:1],
            Document(id="z", text="Militants killed 4 soldiers, the army said.")]
    with open_store(sqlite_url) as store:
        result = ingest(store, docs, processes=2, extractor=extractor)
        assert [d for d, _ in result.refused] == ["long"]
        (_, problem), = result.refused
        assert "extraction failed (ValueError: [E088]" in problem and "\n" not in problem
        assert {c["doc"] for c in store.claims()} == {"a", "own0-0", "z"}


def test_a_worker_killed_costs_no_document(extractor, monkeypatch, caplog):
    """Each worker kills itself (SIGKILL) at its second batch: the documents it held are
    read in this process, the rest in new workers, and nothing is lost or doubled."""
    docs = own_documents(copies=3)
    one = claims_of(docs, extractor)
    monkeypatch.setenv("TALLY_FAULT_POINT", "worker-read@2")
    with caplog.at_level(logging.WARNING, logger="tally"), pytest.warns(UserWarning):
        assert claims_of(docs, extractor, processes=2) == one
    assert "a worker process was lost" in caplog.text


def test_the_component_runs_in_a_users_own_worker_processes(extractor):
    """`doc._.claim_records` is plain data, which spaCy carries back from its workers;
    `doc._.claims` gives them as Claim records."""
    import spacy

    from tally.claims import Claim

    nlp = spacy.blank("en")
    nlp.add_pipe("tally")
    texts = [d.text for d in own_documents()]
    one = [doc._.claim_records for doc in nlp.pipe(texts)]
    two = [doc._.claim_records for doc in nlp.pipe(texts, n_process=2, batch_size=3)]
    assert two == one and sum(map(len, one)) >= 10
    doc = nlp(texts[0])
    assert all(isinstance(c, Claim) for c in doc._.claims)
    assert [c.to_dict() for c in doc._.claims] == one[0]


def test_the_component_raises_unless_told_to_keep_going(extractor, monkeypatch):
    import spacy

    monkeypatch.setattr(extractor.nlp, "max_length", 80)
    long = ("Gunmen killed four guards at a checkpoint on the eastern road on Saturday "
            "evening, police said.")  # one sentence, longer than 80 characters
    nlp = spacy.blank("en")
    nlp.add_pipe("tally")
    with pytest.raises(ValueError, match="E088"):
        nlp(long)
    going = spacy.blank("en")
    going.add_pipe("tally", config={"keep_going": True})
    bad, good = going.pipe([long, "Police arrested 15 suspects."])
    assert bad._.claim_records is None and "E088" in bad._.tally_problem
    assert good._.tally_problem is None and good._.claims[0].value.low == 15
