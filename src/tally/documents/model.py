"""The Document record: one article's body and metadata, as read."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any


# Every claim id names its document's hash: hashed once per text, not once per claim
# (a long document with thousands of claims hashed itself thousands of times).
@lru_cache(maxsize=64)
def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    date: date | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    # Extra columns of a table row, feed fields and the like; kept, never interpreted.
    meta: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # where it was read from, for messages

    @property
    def hash(self) -> str:
        return content_hash(self.text)

    def short_id(self) -> str:
        return self.hash[:16]
