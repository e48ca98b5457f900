"""Events: the claims about one incident, across metrics, sources and articles.

An event is derived when it is read, from what the store already keeps: the claims,
the figure groups and the syndicated copies that reconciliation maintains. Nothing is
stored, so an event can never disagree with the groups it is made of, and a store needs
no migration to have events.

Two claims are about one incident when
- reconciliation put them in one figure group (the same quantity, across sources and
  articles: same metric, compatible victims, perpetrator, overlapping period, place), or
- one article gives them for the same place and the same period (its killed and its
  wounded); a figure of that article with no place joins the one incident of its period
  when the article gives exactly one.
Only incident figures count (`kind` "incident", not a rate); totals over a period
(`aggregate`) are not an event.

Per metric an event has the lowest and the highest figure any independent source gives,
and a best estimate: each source counts once, by its latest figure (a revised toll
replaces the earlier one; articles in publication order, then text order), and the best
is the lower median of those figures (the middle one, or of the two in the middle the
lower: of one source's 12 and another's 15, 12). A syndicated copy is not a source.
Figures of one metric about different victims (soldiers and civilians), or given in one
sentence ("9 women and 14 children"), are parts: the event's figure is their sum, or a
figure given for everyone when that is larger. Figure groups about the same victims that
share no sentence are accounts of one count that reconciliation kept apart: their lowest,
highest and the lower median of their best estimates.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tally.claims import METRICS

Record = dict[str, Any]


@dataclass(frozen=True)
class Figures:
    """One metric of one event."""

    lowest: int | None
    highest: int | None
    best: int | None
    open_ended: bool  # some source gave only a floor ("at least 12")
    sources: int  # independent sources giving this metric


@dataclass(frozen=True)
class Event:
    id: str
    date: date | None
    time_precision: int | None  # ACLED's: 1 the day, 2 within a week, 3 within a month
    country: str | None
    admin1: str | None
    place: str | None
    perpetrators: tuple[str, ...]
    victims: tuple[str, ...]
    metrics: dict[str, Figures]
    sources: tuple[str, ...]
    sides: tuple[str, ...]
    docs: tuple[str, ...]
    claim_ids: tuple[str, ...]
    disagreement_ids: tuple[str, ...] = ()
    disagreement_kinds: tuple[str, ...] = ()
    sentences: tuple[str, ...] = field(default=(), repr=False)

    def to_dict(self) -> Record:
        return {"id": self.id, "date": self.date.isoformat() if self.date else None,
                "time_precision": self.time_precision, "country": self.country,
                "admin1": self.admin1, "place": self.place,
                "perpetrators": list(self.perpetrators), "victims": list(self.victims),
                "metrics": {m: vars(f) for m, f in self.metrics.items()},
                "sources": list(self.sources), "sides": list(self.sides),
                "docs": list(self.docs), "claim_ids": list(self.claim_ids),
                "disagreement_ids": list(self.disagreement_ids),
                "disagreement_kinds": list(self.disagreement_kinds)}


def derive(claims: Sequence[Record], groups: Sequence[Record],
           disagreements: Sequence[Record], copies: Iterable[str],
           doc_dates: dict[str, date | None],
           source_name: Callable[[Record], str]) -> list[Event]:
    """Events from keyed claims (each with `key` "doc#seq" and `id`), figure groups and
    disagreements as reconciliation stores them, the keys of claims read from a copied
    passage, the documents' dates, and the name each claim's source goes by."""
    incident = {c["key"]: c for c in claims if _incident(c)}
    copied = set(copies) | {v["key"] for g in groups for v in g["values"] if v.get("copy_of")}
    parent = {k: k for k in incident}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            parent[hi] = lo

    members_of: list[list[str]] = []
    for g in groups:
        keys = [v["key"] for v in g["values"] if v["key"] in incident]
        for k in keys[1:]:
            union(keys[0], k)
        if keys:
            members_of.append(keys)
    for keys in _same_article_incident(incident.values()):
        for k in keys[1:]:
            union(keys[0], k)
    by_root: dict[str, list[str]] = defaultdict(list)
    for k in incident:
        by_root[find(k)].append(k)
    groups_of: dict[str, list[list[str]]] = defaultdict(list)
    for keys in members_of:
        groups_of[find(keys[0])].append(keys)
    by_key_all = {c["key"]: c for c in claims}
    touching: dict[str, list[Record]] = defaultdict(list)
    for d in disagreements:
        roots = {find(c["key"]) for c in d["claims"] if c["key"] in incident}
        for r in roots:
            touching[r].append(d)
    events = []
    for root, keys in by_root.items():
        ev_claims = [incident[k] for k in sorted(keys)]
        found = touching.get(root, [])
        # a denied figure is no incident figure of its own, but belongs to the event whose
        # figure it rejects
        denied = [by_key_all[c["key"]] for d in found for c in d["claims"]
                  if c["key"] in by_key_all and c["key"] not in incident]
        events.append(_event(ev_claims, denied, groups_of.get(root, [[k] for k in keys]),
                             incident, copied, found, doc_dates, source_name))
    return sorted(events, key=lambda e: (e.date or date.max, e.country or "", e.id))


def _incident(c: Record) -> bool:
    return (c.get("stance", "asserted") == "asserted" and c.get("kind", "incident") == "incident"
            and not c.get("rate"))


def _same_article_incident(claims: Iterable[Record]) -> list[list[str]]:
    """Keys of one article's figures that share a period and a place. A figure placed
    only in a country or a division ("in Mexico", "in Durango state"), or not at all, is
    about the one incident of that period the article places more precisely inside it,
    when there is exactly one."""
    exact: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    coarse: dict[tuple[Any, ...], list[Record]] = defaultdict(list)
    for c in claims:
        pl, pe = c.get("place") or {}, c.get("period") or {}
        when = (c["doc"], pe.get("start"), pe.get("end"))
        if _town(pl):
            exact[(*when, pl.get("country"), pl.get("admin1"), _fold(pl.get("text")))].append(
                c["key"])
        else:
            coarse[when].append(c)
    out = list(exact.values())
    placed: dict[tuple[Any, ...], list[tuple[tuple[Any, ...], list[str]]]] = defaultdict(list)
    for w, ks in exact.items():
        placed[w[:3]].append((w, ks))
    for when, cs in coarse.items():
        for c in cs:
            pl = c.get("place") or {}
            inside = [ks for w, ks in placed.get(when, ())
                      if (not pl.get("country") or w[3] == pl["country"])
                      and (not pl.get("admin1") or w[4] == pl["admin1"])]
            out.append([c["key"], *inside[0][:1]] if len(inside) == 1 else [c["key"]])
        # coarse figures of one period and one place are one incident among themselves
        same: dict[tuple[Any, ...], list[str]] = defaultdict(list)
        for c in cs:
            pl = c.get("place") or {}
            same[(pl.get("country"), pl.get("admin1"))].append(c["key"])
        out.extend(same.values())
    return out


def _town(place: Record) -> bool:
    """A place finer than a country or a first-level division."""
    if not place.get("text"):
        return False
    from tally.nlp.places import gazetteer

    return gazetteer().resolve(place["text"], place.get("country")).level == "city"


def _fold(s: str | None) -> str:
    return " ".join((s or "").lower().split())


def _event(claims: list[Record], denied: list[Record], groups: list[list[str]],
           incident: dict[str, Record], copied: set[str], found: list[Record],
           doc_dates: dict[str, date | None], source_name: Callable[[Record], str]) -> Event:
    def order(c: Record) -> tuple[Any, ...]:
        return (doc_dates.get(c["doc"]) or date.min, c["doc"], int(c["key"].rsplit("#", 1)[1]))

    by_metric: dict[str, list[list[Record]]] = defaultdict(list)
    for keys in groups:  # a figure group counts one metric
        by_metric[incident[keys[0]]["metric"]].append([incident[k] for k in keys])
    metrics: dict[str, Figures] = {}
    for metric in METRICS:
        parts: dict[str, list[tuple[Figures, set[tuple[str, int]]]]] = defaultdict(list)
        for g in by_metric.get(metric, ()):
            if g:
                victim = next((c["victim"]["group"] for c in g
                               if (c.get("victim") or {}).get("group") not in (None, "unknown")),
                              "unknown")
                figures = _figures(sorted(g, key=order), copied, source_name)
                if figures:
                    parts[victim].append((figures, {(c["doc"], c["evidence"]["start"])
                                                    for c in g}))
        if parts:
            metrics[metric] = _combined({v: _one_count(fs) for v, fs in parts.items()})
    originals = [c for c in claims if c["key"] not in copied] or claims
    ids = sorted({c.get("id") or c["key"] for c in claims + denied})
    day, precision = _when(claims, doc_dates)
    country = _most_common((c.get("place") or {}).get("country") for c in claims)
    return Event(
        id=hashlib.sha256(("event\x1f" + ids[0]).encode()).hexdigest()[:16],
        date=day, time_precision=precision, country=country,
        admin1=_most_common((c.get("place") or {}).get("admin1") for c in claims
                            if (c.get("place") or {}).get("country") == country),
        place=_most_common(pl["text"] for c in claims if _town(pl := c.get("place") or {}))
        or _most_common((c.get("place") or {}).get("text") for c in claims),
        perpetrators=tuple(sorted({a for c in claims
                                   if (a := (c.get("perpetrator") or {}).get("actor"))})),
        victims=tuple(sorted({(c.get("victim") or {}).get("group") or "unknown"
                              for c in claims})),
        metrics=metrics,
        sources=tuple(sorted({source_name(c) for c in originals})),
        sides=tuple(sorted({(c.get("source") or {}).get("side") or "unknown"
                            for c in originals})),
        docs=tuple(sorted({c["doc"] for c in claims})),
        claim_ids=tuple(ids),
        disagreement_ids=tuple(sorted({d["id"] for d in found if d.get("id")})),
        disagreement_kinds=tuple(sorted({d["kind"] for d in found})),
        sentences=tuple(dict.fromkeys(c["evidence"]["sentence"] for c in claims)))


def _figures(g: list[Record], copied: set[str],
             source_name: Callable[[Record], str]) -> Figures | None:
    """One figure group's range and best estimate (claims in publication order)."""
    originals = [c for c in g if c["key"] not in copied] or g
    numbered = [(c, lo, hi) for c in originals
                if (lo := _low(c["value"])) is not None
                for hi in [c["value"].get("high")]]
    if not numbered:
        return None
    latest: dict[str, int] = {}
    for c, lo, _ in numbered:
        latest[source_name(c)] = lo  # later figures of a source replace its earlier ones
    values = sorted(latest.values())
    return Figures(lowest=min(lo for _, lo, _ in numbered),
                   highest=max(hi if hi is not None else lo for _, lo, hi in numbered),
                   best=values[(len(values) - 1) // 2],
                   open_ended=any(hi is None for _, _, hi in numbered),
                   sources=len(latest))


def _low(value: Record) -> int | None:
    return value.get("low") if value.get("low") is not None else value.get("high")


def _one_count(groups: list[tuple[Figures, set[tuple[str, int]]]]) -> Figures:
    """The figure groups of one metric and one kind of victim in one event. Groups given in
    one sentence are parts ("9 women and 14 children") and add up; groups that share no
    sentence are accounts of the same count that reconciliation kept apart (a reprint
    that dates the figure differently) and give a range."""
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, (_, si) in enumerate(groups):
        for j in range(i):
            if si & groups[j][1]:
                parent[root(i)] = root(j)
    summed: dict[int, list[Figures]] = defaultdict(list)
    for i, (f, _) in enumerate(groups):
        summed[root(i)].append(f)
    accounts = [_added(fs) for fs in summed.values()]
    bests = sorted(f.best for f in accounts if f.best is not None)
    return Figures(lowest=_min(f.lowest for f in accounts), highest=_max(f.highest for f in accounts),
                   best=bests[(len(bests) - 1) // 2] if bests else None,
                   open_ended=any(f.open_ended for f in accounts),
                   sources=max(f.sources for f in accounts))


def _added(fs: list[Figures]) -> Figures:
    def total(attr: str) -> int | None:
        values = [getattr(f, attr) for f in fs if getattr(f, attr) is not None]
        return sum(values) if values else None

    return Figures(lowest=total("lowest"), highest=total("highest"), best=total("best"),
                   open_ended=any(f.open_ended for f in fs), sources=max(f.sources for f in fs))


def _min(values: Iterable[int | None]) -> int | None:
    return min((v for v in values if v is not None), default=None)


def _max(values: Iterable[int | None]) -> int | None:
    return max((v for v in values if v is not None), default=None)


def _combined(counts: dict[str, Figures]) -> Figures:
    """Figures about different victims add up; one for everyone stands if larger."""
    general = counts.pop("unknown", None)
    whole = _added(list(counts.values())) if counts else None
    every = [f for f in (general, whole) if f is not None]

    def pick(attr: str) -> int | None:
        return _max(getattr(f, attr) for f in every)

    return Figures(lowest=pick("lowest"), highest=pick("highest"), best=pick("best"),
                   open_ended=any(f.open_ended for f in every),
                   sources=max(f.sources for f in every))


def _when(claims: list[Record], doc_dates: dict[str, date | None]
          ) -> tuple[date | None, int | None]:
    """The incident's day: the day its figures name most often; else the start of the
    shortest period named (precision by its length); else the day of the earliest
    article (within a week of it)."""
    days = Counter(p["start"] for c in claims if (p := c.get("period") or {}).get("start")
                   and p.get("start") == p.get("end"))
    if days:
        top = max(days.values())
        return date.fromisoformat(min(d for d, n in days.items() if n == top)), 1
    spans = [(date.fromisoformat(p["end"]) - date.fromisoformat(p["start"]),
              date.fromisoformat(p["start"]))
             for c in claims if (p := c.get("period") or {}).get("start") and p.get("end")]
    if spans:
        length, start = min(spans)
        return start, 2 if length.days <= 7 else 3
    dated = [d for c in claims if (d := doc_dates.get(c["doc"]))]
    return (min(dated), 2) if dated else (None, None)


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    top = max(counts.values())
    return min(v for v, n in counts.items() if n == top)
