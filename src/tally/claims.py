"""The Claim record of ../shared/CLAIMS.md: typed, immutable, and its JSON form."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

METRICS = ("killed", "wounded", "casualties", "missing", "kidnapped", "arrested", "released",
           "attacks")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "up_to", "fewer_than", "range", "vague")
VICTIM_GROUPS = ("security_forces", "civilians", "militants", "officials", "prisoners",
                 "religious_figures", "aid_workers", "journalists", "unknown")
SIDES = ("government", "insurgent", "international", "independent", "media", "unknown")
ATTRIBUTIONS = ("direct_quote", "indirect", "unattributed")
STANCES = ("asserted", "denied")


@dataclass(frozen=True)
class Value:
    low: int | None
    high: int | None
    qualifier: str
    text: str


@dataclass(frozen=True)
class Victim:
    group: str = "unknown"
    text: str | None = None


@dataclass(frozen=True)
class Perpetrator:
    actor: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Place:
    text: str | None = None
    country: str | None = None
    admin1: str | None = None


@dataclass(frozen=True)
class Period:
    text: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Source:
    speaker: str | None = None
    org: str | None = None
    side: str = "unknown"
    via: str | None = None


@dataclass(frozen=True)
class Evidence:
    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Claim:
    doc: str
    metric: str
    value: Value
    evidence: Evidence
    rate: dict[str, str] | None = None
    victim: Victim = field(default_factory=Victim)
    perpetrator: Perpetrator = field(default_factory=Perpetrator)
    place: Place = field(default_factory=Place)
    period: Period = field(default_factory=Period)
    kind: str = "incident"
    source: Source = field(default_factory=Source)
    attribution: str = "unattributed"
    stance: str = "asserted"
    pipeline: str = ""
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The CLAIMS.md record, fields in the contract's order (`id` first)."""
        d = asdict(self)
        return {k: d[k] for k in ("id", "doc", "metric", "value", "rate", "victim", "perpetrator",
                                  "place", "period", "kind", "source", "attribution", "stance",
                                  "evidence", "pipeline")}


def claim_id(doc_id: str, content_hash: str, pipeline: str, seq: int) -> str:
    """The id of the `seq`-th claim a pipeline reads in one version of a document: the
    same whenever that version is read again by that pipeline, so that exports, figure
    groups and disagreements can be joined on it; a new text or pipeline gives new ids."""
    key = "\x1f".join((doc_id, content_hash, pipeline, str(seq)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
