"""The store: documents (every version) and their claims, in SQLite or PostgreSQL."""
from tally.store.store import Store, StoredDocument, open_store

__all__ = ["Store", "StoredDocument", "open_store"]
