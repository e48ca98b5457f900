"""Scoring claims against gold with the matching rules of CLAIMS.md.

Must give the same numbers as ../shared/tools/score_claims.py; a test holds the two together.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

_MISSING = object()
_NAME_STOPWORDS = {"the", "of", "and", "affairs"}
# State forces are named by nationality plus any of these: they count as one word.
_FORCE_WORDS = {"military", "army", "troops", "forces", "force", "armed", "soldiers"}


def load_jsonl(path: Path | str) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise ValueError(f"{path}:{n}: malformed JSON ({e.msg})") from None
    return rows


def _at(record: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(record, dict) or part not in record:
            return _MISSING
        record = record[part]
    return record


def _name_words(s: Any) -> set[str]:
    words = set()
    for w in str(s).lower().replace("-", " ").split():
        if w not in _NAME_STOPWORDS:
            words.add("forces" if w in _FORCE_WORDS else w)
    return words


def same_name(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    wa, wb = _name_words(a), _name_words(b)
    union = wa | wb
    return bool(union) and 2 * len(wa & wb) >= len(union)


def same_speaker(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    la, lb = str(a).lower().split(), str(b).lower().split()
    return bool(la and lb) and (la[-1] in lb or lb[-1] in la)


def same_plain(a: Any, b: Any) -> bool:
    def norm(x: Any) -> Any:
        return x.strip().lower() if isinstance(x, str) else x
    return norm(a) == norm(b)


def _day(s: Any) -> date | None:
    try:
        return date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def same_period(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    gs, ge = _at(gold, "period.start"), _at(gold, "period.end")
    ps, pe = (None if v is _MISSING else v
              for v in (_at(pred, "period.start"), _at(pred, "period.end")))
    if gs is None and ge is None:
        return ps is None and pe is None
    days = [_day(x) for x in (gs, ge, ps, pe)]
    if any(d is None for d in days):
        return False
    a0, a1, b0, b1 = (d for d in days if d is not None)
    inter = (min(a1, b1) - max(a0, b0)).days + 1
    union = (max(a1, b1) - min(a0, b0)).days + 1
    return inter > 0 and 2 * inter >= union


FIELDS: dict[str, Callable[[Any, Any], bool]] = {
    "value.qualifier": same_plain, "rate": same_plain, "kind": same_plain,
    "victim.group": same_plain, "perpetrator.actor": same_name,
    "place.country": same_plain, "place.admin1": same_plain,
    "source.speaker": same_speaker, "source.org": same_name, "source.side": same_plain,
    "source.via": same_name, "attribution": same_plain,
}


def match_key(c: dict[str, Any]) -> tuple[Any, ...]:
    v = c.get("value") or {}
    return (c.get("doc"), c.get("metric"), c.get("stance", "asserted"), v.get("low"),
            v.get("high"))


@dataclass
class Score:
    tp: int
    fp: int
    fn: int
    fields: dict[str, tuple[int, int]]
    misses: list[dict[str, Any]] = field(default_factory=list)
    extra: list[dict[str, Any]] = field(default_factory=list)
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1,
                "fields": {k: ok / n for k, (ok, n) in self.fields.items()}}

    def miss_lines(self) -> list[str]:
        lines = [f"MISS {g['doc']} {g['metric']} {g.get('stance')} {g['value']} "
                 f"{(g.get('evidence') or {}).get('anchor')}" for g in self.misses]
        lines += [f"EXTRA {p.get('doc')} {p.get('metric')} {p.get('stance')} {p.get('value')} "
                  f"{((p.get('evidence') or {}).get('sentence') or '')[:100]}" for p in self.extra]
        for g, p in self.pairs:
            for name, same in FIELDS.items():
                gv = _at(g, name)
                if gv is _MISSING:
                    continue
                pv = _at(p, name)
                pv = None if pv is _MISSING else pv
                if not same(gv, pv):
                    lines.append(f"FIELD {g['doc']} {g['metric']} {g['value'].get('low')} {name} "
                                 f"gold {gv!r} got {pv!r}")
        return lines


def score(gold: list[dict[str, Any]], pred: list[dict[str, Any]],
          only_gold_docs: bool = False) -> Score:
    if only_gold_docs:
        gold_docs = {g["doc"] for g in gold}
        pred = [p for p in pred if p.get("doc") in gold_docs]
    pool: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for p in pred:
        pool[match_key(p)].append(p)
    pairs, misses = [], []
    # Required gold first, so an optional one never takes the prediction a required one needs.
    for g in sorted(gold, key=lambda g: bool(g.get("optional", False))):
        candidates = pool.get(match_key(g))
        if candidates:
            pairs.append((g, candidates.pop(0)))
        elif not g.get("optional"):
            misses.append(g)
    extra = [p for ps in pool.values() for p in ps]
    tp = sum(1 for g, _ in pairs if not g.get("optional"))
    fields: dict[str, tuple[int, int]] = {}
    for name, same in FIELDS.items():
        n = ok = 0
        for g, p in pairs:
            gv = _at(g, name)
            if gv is _MISSING:
                continue
            pv = _at(p, name)
            n += 1
            ok += bool(same(gv, None if pv is _MISSING else pv))
        if n:
            fields[name] = (ok, n)
    n = ok = 0
    for g, p in pairs:
        if _at(g, "period") is not _MISSING and _at(g, "period.start") is not _MISSING:
            n += 1
            ok += same_period(g, p)
    if n:
        fields["period"] = (ok, n)
    return Score(tp=tp, fp=len(extra), fn=len(misses), fields=fields, misses=misses,
                 extra=extra, pairs=pairs)
