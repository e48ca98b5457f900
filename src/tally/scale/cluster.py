"""Extraction on a Dask cluster, for corpora beyond one machine.

Documents go to the workers in batches (one task per document costs more than it saves)
and each worker loads the model once. A batch is read by `scale.batches.read_batch`, as
in one process or in spaCy's workers: the same claims, the same document at fault.
Results come back in input order, with a bounded number of batches in flight, so a long
input streams instead of filling memory. Batches are small next to a corpus (a few
seconds of work each) so that no worker is left idle while another reads the last big one.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

from tally.documents.model import Document
from tally.scale.batches import Read, read_batch


@lru_cache(maxsize=1)
def _worker_extractor():
    from tally.nlp.extractor import Extractor

    return Extractor.default()


def extract_batch(docs: list[Document]) -> list[Read]:
    """Runs on a worker: the claim records of each document of a batch, or why not."""
    return read_batch(_worker_extractor(), docs)


BATCH = 8  # documents per task: about half a second of work


def extract_on_cluster(docs: Iterable[Document], scheduler: str, batch_size: int = BATCH,
                       in_flight: int | None = None, connect_timeout: str = "10s",
                       ) -> Iterator[tuple[Document, Read]]:
    from tally.errors import TallyError

    try:
        from distributed import Client
    except ImportError:
        raise TallyError("--scheduler needs Dask: install tally with the cluster extra "
                         "(pip install 'tally[cluster]')") from None
    try:
        client = Client(scheduler, timeout=connect_timeout)
    except OSError as e:
        raise TallyError(f"no Dask scheduler reachable at {scheduler}: {e}") from e
    try:
        workers = max(1, sum(client.nthreads().values()))
        window = in_flight or 4 * workers  # every worker busy while the oldest is awaited
        pending: deque = deque()
        it = iter(docs)
        while True:
            while len(pending) < window:
                batch = list(islice(it, batch_size))
                if not batch:
                    break
                pending.append((batch, client.submit(extract_batch, batch, pure=False)))
            if not pending:
                return
            batch, future = pending.popleft()
            yield from zip(batch, future.result())
    finally:
        client.close()
