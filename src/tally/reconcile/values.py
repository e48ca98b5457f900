"""What a figure allows: the interval of values its hedge leaves open."""
from __future__ import annotations

import math
from typing import Any

INF = math.inf


def interval(c: dict[str, Any]) -> tuple[float, float]:
    """'at least 291' -> [291, inf); 'about 3,000' -> [2700, 3300]; 'up to 2,000' -> [0, 2000]."""
    v = c.get("value") or {}
    low, high, q = v.get("low"), v.get("high"), v.get("qualifier")
    lo = float(low) if low is not None else 0.0
    hi = float(high) if high is not None else INF
    if q == "more_than" and low is not None:
        lo = low + 1
    if q == "fewer_than" and high is not None:
        hi = high - 1
    if q == "about" and low is not None and high is not None:
        # "some 498", "nearly 1,600": a tenth either way, at least one
        slack = max(1.0, 0.1 * low)
        lo, hi = low - slack, high + slack
    return lo, hi


def compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Can both figures be true at once, given their hedges?"""
    (a0, a1), (b0, b1) = interval(a), interval(b)
    return a0 <= b1 and b0 <= a1


def point(c: dict[str, Any]) -> float | None:
    v = c.get("value") or {}
    if v.get("low") is not None:
        return float(v["low"])
    return float(v["high"]) if v.get("high") is not None else None


def far_apart(a: dict[str, Any], b: dict[str, Any], ratio: float = 2.5, gap: float = 5) -> bool:
    """Values the hedges allow together but that sit far apart ('at least 4' and '18')."""
    pa, pb = point(a), point(b)
    if pa is None or pb is None:
        return False
    lo, hi = sorted((pa, pb))
    return hi - lo >= gap and (lo == 0 or hi / lo >= ratio)


_LOWER = ("at ", "more ", "up ", "about ", "over ", "some ", "nearly ", "around ", "roughly ",
          "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "eighty",
          "ninety", "hundred", "dozen", "scores", "no ", "none", "exactly ")


def describe(c: dict[str, Any]) -> str:
    """The figure as written, hedge included, in lower case where it opened a sentence
    ("Nineteen" -> "nineteen"; names stay as they are)."""
    v = c.get("value") or {}
    q = v.get("qualifier")
    n = v.get("text") or v.get("low") or v.get("high")
    if isinstance(n, str) and n.lower().startswith(_LOWER):
        n = n[0].lower() + n[1:]
    return f"{n}" if q in ("exact", None) or str(n).lower().startswith(("at", "more", "up", "about",
                                                                         "over", "some", "nearly",
                                                                         "around", "roughly")) \
        else f"{q.replace('_', ' ')} {n}"
