"""Extraction on a real Dask cluster (a LocalCluster of two worker processes) gives the
claims one process and `-j 2` give, in input order; a document a worker cannot read is
refused alone; a wrong address is one clear error."""
from __future__ import annotations

import pytest

from tally.documents.model import Document
from tally.errors import TallyError
from tally.pipeline import ingest, with_claims
from tally.store import open_store
from tests.conftest import SHARED
from tests.own_texts import own_documents


def claims_of(docs, **how) -> list[tuple[str, list[dict]]]:
    return [(d.id, records) for d, records, _ in with_claims(docs, **how)]


def dev_articles() -> list[Document]:
    from tally.documents import read_inputs

    path = SHARED / "dev" / "articles"
    return [d for d in read_inputs([str(path)]) if isinstance(d, Document)] \
        if path.exists() else []


@pytest.fixture(scope="module")
def local_claims(extractor):
    """One process and two, read before the cluster starts: spaCy's workers are forked,
    and a fork beside the cluster's threads is one risk the tests need not take."""
    corpora = {"own": own_documents(copies=2), "dev": dev_articles()}
    return {name: (docs, claims_of(docs, extractor=extractor),
                   claims_of(docs, extractor=extractor, processes=2))
            for name, docs in corpora.items()}


@pytest.fixture(scope="module")
def cluster(local_claims):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as c:
        yield c


@pytest.mark.parametrize("corpus", ["own", "dev"])
def test_one_process_two_and_the_cluster_give_the_same_claims(local_claims, cluster, corpus):
    from tally.scale import cluster as on_cluster

    docs, one, two = local_claims[corpus]
    if not docs:
        pytest.skip(f"../shared is absent ({SHARED})")
    # batches of three: several tasks on each worker, results reassembled in input order
    on_dask = [(d.id, r) for d, (r, _) in on_cluster.extract_on_cluster(
        iter(docs), cluster.scheduler_address, batch_size=3)]
    assert [d for d, _ in one] == [d.id for d in docs]
    assert two == one and on_dask == one
    assert sum(len(r) for _, r in one) >= 20


def test_a_document_a_worker_cannot_read_is_refused_alone(cluster, sqlite_url):
    """spaCy's length limit lowered on every worker's extractor, so that one sentence
    passes it: that document is refused, the others of its batch are stored."""
    from distributed import Client

    docs = [Document(id="a", text="Gunmen killed four guards, police said."),
            Document(id="long", text="Gunmen killed four guards at a checkpoint on the "
                     "eastern road on Saturday evening, police said."),
            Document(id="z", text="Militants killed 4 soldiers, the army said.")]
    with Client(cluster.scheduler_address) as client:
        client.run(_set_max_length, 80)
        try:
            with open_store(sqlite_url) as store:
                result = ingest(store, docs, scheduler=cluster.scheduler_address)
                assert {c["doc"] for c in store.claims()} == {"a", "z"}
        finally:
            client.run(_set_max_length, 1_000_000)
    assert [d for d, _ in result.refused] == ["long"]
    assert "extraction failed (ValueError: [E088]" in result.refused[0][1]


def _set_max_length(n: int) -> None:
    from tally.scale.cluster import _worker_extractor

    _worker_extractor().nlp.max_length = n


def test_cli_ingest_through_the_scheduler(cluster, tmp_path):
    from typer.testing import CliRunner

    from tally.cli import app

    src = tmp_path / "in.txt"
    src.write_text("date 2023-05-08\n\n" + own_documents()[0].text, "utf-8")
    db = str(tmp_path / "t.db")
    r = CliRunner().invoke(app, ["ingest", str(src), "--db", db, "--scheduler",
                                 cluster.scheduler_address], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "1 claims stored" in r.output


def test_unreachable_scheduler_is_one_clear_error():
    from tally.scale.cluster import extract_on_cluster

    with pytest.raises(TallyError, match="no Dask scheduler reachable at tcp://127.0.0.1:9"):
        list(extract_on_cluster([Document(id="x", text="Gunmen killed 3 people.")],
                                "tcp://127.0.0.1:9", connect_timeout="1s"))
