"""`tally.Store`: a store from Python, with the same checks as the command line."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date as Date
from typing import Any

from tally import validate
from tally.claims import (Claim, Evidence, Perpetrator, Period, Place, Source, Value,
                          Victim)
from tally.documents.model import Document
from tally.events import Event
from tally.pipeline import IngestResult


class Store:
    """Documents in; claims, events, figure groups and disagreements out.

        with tally.Store("tally.db") as store:   # a SQLite file or a SQLAlchemy URL
            store.add("Gunmen killed 12 ...", id="a", date="2024-03-06")
            store.events(country="Nigeria")

    `add` extracts, stores and reconciles, as `tally ingest` does. A filter that tally
    does not know (`metric="kiled"`) raises `tally.BadValue`; `create=False` refuses a
    store that does not exist yet instead of making one.
    """

    def __init__(self, url: str = "tally.db", *, create: bool = True) -> None:
        from tally.store import open_store

        self.url = url
        self._store = open_store(url, must_exist=not create, upgrade=create)
        self._extractor: Any = None

    def add(self, documents: str | Document | Iterable[Document], *, id: str | None = None,
            date: str | Date | None = None, source: str | None = None,
            url: str | None = None, title: str | None = None) -> IngestResult:
        """Store a text (with its id, date and publisher) or documents, extract their
        claims and update the reconciliation. Same text as the latest version: kept once."""
        from tally import _day, pipeline
        from tally.documents.model import content_hash

        if isinstance(documents, str):
            docs: list[Document] = [Document(id=id or content_hash(documents)[:16], text=documents,
                                             date=_day(date), source=source, url=url,
                                             title=title)]
        elif isinstance(documents, Document):
            docs = [documents]
        else:
            docs = list(documents)
        if self._extractor is None:
            from tally.nlp.extractor import Extractor

            self._extractor = Extractor.default()
        return pipeline.ingest(self._store, docs, extractor=self._extractor)

    def claims(self, *, metric: str | None = None, actor: str | None = None,
               side: str | None = None, stance: str | None = None, doc: str | None = None,
               since: str | Date | None = None, until: str | Date | None = None,
               country: str | None = None, admin1: str | None = None) -> list[Claim]:
        """Stored claims of the latest version of each document, filtered as `tally claims`."""
        from tally.report import views

        first, last = _date("since", since), _date("until", until)
        validate.period(("since=", first), ("until=", last))
        rows = views.claims(self._store, metric=validate.metric("metric=", metric),
                            actor=validate.text("actor=", actor),
                            side=validate.side("side=", side),
                            stance=validate.stance("stance=", stance),
                            doc=validate.text("doc=", doc),
                            country=validate.country("country=", country),
                            admin1=validate.admin1("admin1=", admin1), since=first, until=last)
        return [claim_of(r) for r in rows]

    def events(self, *, metric: str | None = None, actor: str | None = None,
               doc: str | None = None, country: str | None = None, admin1: str | None = None,
               since: str | Date | None = None, until: str | Date | None = None,
               min_sources: int = 1) -> list[Event]:
        """Incidents (see `tally.events`), filtered as `tally events`."""
        from tally.report import views

        first, last = _date("since", since), _date("until", until)
        validate.period(("since=", first), ("until=", last))
        found, _ = views.events(self._store, metric=validate.metric("metric=", metric),
                                actor=validate.text("actor=", actor),
                                doc=validate.text("doc=", doc),
                                country=validate.country("country=", country),
                                admin1=validate.admin1("admin1=", admin1),
                                since=first, until=last, min_sources=min_sources)
        return found

    def disagreements(self, *, kind: str | None = None,
                      doc: str | None = None) -> list[dict[str, Any]]:
        """Where sources disagree, each record naming its claims by id."""
        from tally.report import views

        kind = validate.kind("kind=", kind)
        return views.disagreements(self._store, {kind} if kind else None,
                                   validate.text("doc=", doc))

    def figures(self, *, metric: str | None = None, doc: str | None = None,
                min_sources: int = 1) -> list[dict[str, Any]]:
        """Figure groups: one quantity as each source gives it."""
        from tally.report import views

        return views.figure_groups(self._store, validate.metric("metric=", metric),
                                   validate.text("doc=", doc), min_sources)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _date(name: str, value: str | Date | None) -> Date | None:
    if value is None or isinstance(value, Date):
        return value
    return validate.day(f"{name}=", value)


def claim_of(r: dict[str, Any]) -> Claim:
    """The Claim record of a stored claim (its CLAIMS.md dictionary)."""
    def part(cls: Any, key: str) -> Any:
        return cls(**r[key]) if r.get(key) else cls()

    return Claim(doc=r["doc"], metric=r["metric"], value=Value(**r["value"]),
                 evidence=Evidence(**r["evidence"]), rate=r.get("rate"),
                 victim=part(Victim, "victim"), perpetrator=part(Perpetrator, "perpetrator"),
                 place=part(Place, "place"), period=part(Period, "period"),
                 kind=r.get("kind", "incident"), source=part(Source, "source"),
                 attribution=r.get("attribution", "unattributed"),
                 stance=r.get("stance", "asserted"), pipeline=r.get("pipeline", ""),
                 id=r.get("id", ""))
