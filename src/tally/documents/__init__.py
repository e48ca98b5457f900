"""Reading documents: text with headers, HTML pages, feeds and tables of rows."""
from tally.documents.model import Document
from tally.documents.readers import read_inputs

__all__ = ["Document", "read_inputs"]
