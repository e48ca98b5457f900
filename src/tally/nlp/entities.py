"""Named entities, computed only for the sentences whose claims ask for them.

spaCy's NER in the small English model has its own tok2vec and costs about as much as
the rest of the pipeline together, so the pipe runs without it and a rule that needs
names (a speaker, an organisation, an outlet, a place) calls `entities(sdoc)`, which
runs the recogniser on that one sentence the first time and caches the result on it.
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

_DONE = "tally_ner_done"
_ner: Callable[[Doc], Doc] | None = None
# How many sentences NER ran on since start: the benchmark reports it beside the cost.
runs = 0


def use(nlp: Language) -> None:
    """Take the recogniser from `nlp` (loaded, enabled or not); without one, no entities."""
    global _ner
    _ner = nlp.get_pipe("ner") if "ner" in nlp.component_names else None


def disable() -> None:
    """No entities from now on: what the benchmark compares tally with NER against."""
    global _ner
    _ner = None


def entities(doc: Doc | Span) -> tuple[Span, ...]:
    """The entities of the sentence `doc` is (or is part of), running NER once for it."""
    whole = doc.doc if isinstance(doc, Span) else doc
    global runs
    if not whole.user_data.get(_DONE):
        if _ner is not None and not whole.ents:
            _ner(whole)
            runs += 1
        whole.user_data[_DONE] = True
    if isinstance(doc, Span):
        return tuple(e for e in whole.ents if e.start >= doc.start and e.end <= doc.end)
    return tuple(whole.ents)


def entity_at(doc: Doc | Span, start: int, end: int, labels: set[str] | None = None) -> Span | None:
    """The entity overlapping tokens [start, end) of the sentence, of one of `labels`."""
    for e in entities(doc):
        if e.start < end and start < e.end and (labels is None or e.label_ in labels):
            return e
    return None
