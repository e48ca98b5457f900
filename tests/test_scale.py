"""Extraction on a real Dask cluster (a LocalCluster with a worker process) gives the
claims one process gives, in input order; a wrong address is one clear error."""
from __future__ import annotations

from datetime import date

import pytest

from tally.documents.model import Document
from tally.errors import TallyError

TEXTS = [
    "Gunmen killed 12 villagers in Borno State on Friday, police said.",
    "No figure here, only a quiet market day in Kano.",
    "The army said 7 soldiers were wounded when a roadside bomb hit their convoy.",
    "Rebels abducted 30 students from a school in Kaduna, a teacher said on Monday.",
    "Police arrested 15 suspects after the raid, a spokesman said.",
]


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c


def test_cluster_gives_the_claims_one_process_gives(cluster, extractor):
    from tally.scale.cluster import extract_on_cluster

    docs = [Document(id=f"d{i}", text=t, date=date(2023, 5, 8)) for i, t in enumerate(TEXTS)]
    # batches of two: several tasks, results reassembled in input order
    got = list(extract_on_cluster(iter(docs), cluster.scheduler_address, batch_size=2))
    assert [d.id for d, _ in got] == [d.id for d in docs]
    local = {d.id: [c.to_dict() for c in cs] for d, cs in extractor.extract(docs)}
    assert {d.id: claims for d, claims in got} == local
    assert sum(len(c) for _, c in got) >= 4


def test_cli_ingest_through_the_scheduler(cluster, tmp_path):
    from typer.testing import CliRunner

    from tally.cli import app

    src = tmp_path / "in.txt"
    src.write_text("date 2023-05-08\n\n" + TEXTS[0], "utf-8")
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
