"""Settings as a table of (name, default, help); environment variables override defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "TALLY_DB", "tally.db",
            "Store: a SQLite file path, or a SQLAlchemy URL such as postgresql+psycopg://user@host/db"),
    Setting("max_bytes", "TALLY_MAX_BYTES", str(5 * 1024 * 1024),
            "Largest document accepted by ingest, in bytes; larger inputs are refused"),
    Setting("lexicon", "TALLY_LEXICON", "",
            "A YAML file of extra actors, organisations and victim words merged over the defaults"),
    Setting("cache", "TALLY_CACHE", "",
            "Folder for the built gazetteer, read instead of rebuilding it (default: "
            "$XDG_CACHE_HOME or ~/.cache); off: no cache"),
    Setting("token", "TALLY_TOKEN", "",
            "Secret that writes to `tally serve` must carry (Authorization: Bearer ...); "
            "needed for writes when the server listens on other than loopback"),
    Setting("scheduler", "TALLY_SCHEDULER", "",
            "Dask scheduler address (tcp://host:8786) for ingest and extract; empty: this machine"),
)


def get(name: str) -> str:
    for s in SETTINGS:
        if s.name == name:
            return os.environ.get(s.env) or s.default
    raise KeyError(name)
