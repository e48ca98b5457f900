"""What the report holds, section by section, in the order it shows them: the table of
contents and each section's heading are made from the same list, so that a count in the
contents is the count in the heading is the number of cards under it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tally.report.views import DISAGREEMENT_KINDS

# A heading names what its count counts: "Conflicts (6)" holds six conflict cards.
KIND_TITLES = {
    "conflict": "Conflicts: figures that cannot both be true",
    "divergence": "Divergences: figures both possible but far apart",
    "denial": "Denials: a figure one side rejects",
    "arithmetic": "Arithmetic: parts that do not add up to the whole",
    "revision": "Revisions: a figure changed by its own source",
}


@dataclass(frozen=True)
class Section:
    id: str  # the anchor the contents link to
    title: str
    count: int | None  # how many cards (or table rows) it holds; None: a picture
    parts: tuple[Section, ...] = field(default=())
    items: tuple[Any, ...] = field(default=(), repr=False)


def by_kind(found: list[dict[str, Any]]) -> tuple[Section, ...]:
    """The disagreements, one part per kind in DISAGREEMENT_KINDS order (a kind the store
    holds and that order lacks comes last, not lost)."""
    kinds = list(DISAGREEMENT_KINDS) + sorted({r["kind"] for r in found} - set(DISAGREEMENT_KINDS))
    parts = []
    for kind in kinds:
        mine = tuple(r for r in found if r["kind"] == kind)
        if mine:
            parts.append(Section(f"disagreements-{kind}", KIND_TITLES.get(kind) or kind,
                                 len(mine), items=mine))
    return tuple(parts)


def sections(found: list[dict[str, Any]], groups: list[dict[str, Any]],
             events: list[Any], pictures: bool = False) -> tuple[Section, ...]:
    """Disagreements first (what an analyst must look at), then the figures that several
    independent sources give, the events they make, and last the figures only one
    independent source gives. A group of two reports from one source (a reprint, or one
    source quoted twice) is a figure from one independent source: it is counted, and
    shown, with those. With `pictures` the events have two parts, the timeline and the map,
    which count nothing (the pictures say what they draw)."""
    shared = tuple(g for g in groups if g["independent_sources"] > 1)
    single = tuple(g for g in groups if g["independent_sources"] <= 1)
    parts = by_kind(found)
    return (
        Section("disagreements", "Where the sources disagree", len(found), parts),
        Section("shared", "Figures given by several independent sources", len(shared),
                items=shared),
        Section("events", "Events", len(events), items=tuple(events),
                parts=(Section("timeline", "Timeline", None), Section("map", "Map", None))
                if pictures else ()),
        Section("single", "Figures from one independent source", len(single), items=single),
    )
