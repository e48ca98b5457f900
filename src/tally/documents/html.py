"""Plain text from small HTML fragments (feed entries)."""
from __future__ import annotations

import re

import lxml.html

_BLOCK = re.compile(r"(?i)</?(p|br|div|li|h[1-6]|blockquote)\b[^>]*>")


def html_to_text(fragment: str) -> str:
    if "<" not in fragment:
        return fragment.strip()
    # Block tags become paragraph breaks so sentences from different paragraphs stay apart.
    marked = _BLOCK.sub("\n\n", fragment)
    try:
        text = lxml.html.fragment_fromstring(marked, create_parent="div").text_content()
    except Exception:  # lxml raises several types on junk; plain stripping is the fallback
        text = re.sub(r"<[^>]+>", " ", marked)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()
