"""Periods: the time a figure covers, resolved to ISO dates against a reference day.

The reference day is the day of the statement ("said on Monday": the latest Monday on or
before the document date), else the document date. Without a document date, only the
text is kept. Windows such as "the past week" are the days before the reference day.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "fortnight": 14}
SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "several": 3}

_WD = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = r"(january|february|march|april|may|june|july|august|september|october|november|" \
       r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_N = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("between", re.compile(rf"\bbetween\s+(\d{{1,2}})\s+and\s+(\d{{1,2}})\s+{_MON}(?:,?\s+(\d{{4}}))?", re.I)),
    ("window", re.compile(rf"\b(?:in|over|during|within|for)?\s*the\s+(?:past|last|previous|preceding)\s+(?:{_N}\s+)?(day|week|month|year|fortnight)s?\b", re.I)),
    ("window", re.compile(rf"\b(?:in|within)\s+(?:{_N}\s+)(day|week|month|year)s?\b", re.I)),
    ("prevunit", re.compile(r"\b(?:the\s+)?previous\s+(week|month|year)\b|\blast\s+(week|month|year)\b", re.I)),
    ("thisunit", re.compile(r"\bthis\s+(week|month|year)\b|\bso\s+far\s+this\s+(week|month|year)\b", re.I)),
    ("since_date", re.compile(rf"\bsince\s+(?:the\s+[\w-]+(?:\s+[\w-]+)?\s+on\s+)?{_MON}\s+(\d{{1,2}})\b", re.I)),
    ("since_date2", re.compile(rf"\bsince\s+(?:the\s+[\w-]+(?:\s+[\w-]+)?\s+on\s+)?(\d{{1,2}})\s+{_MON}", re.I)),
    ("since_month", re.compile(rf"\bsince\s+{_MON}(?:\s+(\d{{4}}))?(?!\s*\d)", re.I)),
    ("since_year", re.compile(r"\bsince\s+(\d{4})\b", re.I)),
    ("date", re.compile(rf"\b(?:on\s+)?{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("date2", re.compile(rf"\b(?:on\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON}(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("in_month", re.compile(rf"\b(?:in|during|since|throughout|early|late|mid)\s+(?:early\s+|late\s+|mid-)?{_MON}(?:\s+(\d{{4}}))?(?!\s*\d{{1,2}}\b)", re.I)),
    ("weekend", re.compile(r"\b(?:at|over|during|on)\s+the\s+weekend\b|\blast\s+weekend\b", re.I)),
    ("overnight", re.compile(rf"\bovernight\s+(?:on\s+)?{_WD}\b|\b{_WD}\s+night\s+into\s+\w+day\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b|\blast\s+night\b", re.I)),
    ("today", re.compile(r"\btoday\b|\bearlier\s+today\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?:on|earlier|late|early|last)\s+)?{_WD}(?:\s+(?:night|morning|evening|afternoon))?\b", re.I)),
]
_ONE_DAY = re.compile(rf"^(?:on\s+)?(?:{_WD}|yesterday|today|overnight|tonight)\b", re.I)


_TIME_NAME = re.compile(rf"^(?:{_WD}|{_MON}|ramadan|eid|christmas|easter)\b", re.I)


def names_time(text: str) -> bool:
    """'February', 'Monday night', 'Ramadan': a capitalised name of a time, not a place."""
    return bool(_TIME_NAME.match(text))


def names_one_day(text: str | None) -> bool:
    """'Sunday', 'on Tuesday night', 'yesterday': one day, even without dates."""
    return bool(text and _ONE_DAY.match(text))


CARRY = re.compile(r"\b(?:during|in|over)\s+(?:that|this|the\s+same)\s+(?:time|period|span)\b|"
                   r"\bduring\s+the\s+period\b", re.I)
STATEMENT_DAY = re.compile(rf"\b(?:said|says|told|announced|reported|revealed|added|stated|"
                           rf"claimed|confirmed|charged|condemned|accused|alleged)\b[^.]{{0,40}}?"
                           rf"\b(?:on\s+)?{_WD}\b|\bon\s+{_WD}\s+(?:also\s+)?(?:said|charged|"
                           rf"announced|condemned|accused|claimed|told)\b|\b{_WD}\s+(?:also\s+)?"
                           rf"(?:said|charged|announced)\b", re.I)


@dataclass(frozen=True)
class Period:
    text: str | None
    start: date | None
    end: date | None
    span: tuple[int, int] | None = None  # characters in the sentence

    @property
    def days(self) -> int | None:
        if self.start and self.end:
            return (self.end - self.start).days + 1
        return None


def latest_weekday(ref: date, weekday: int) -> date:
    return ref - timedelta(days=(ref.weekday() - weekday) % 7)


def statement_day(sentence: str, doc_date: date | None) -> date | None:
    """'said on Monday' -> the latest Monday on or before the document date."""
    if doc_date is None:
        return None
    m = STATEMENT_DAY.search(sentence)
    if not m:
        return None
    wd = next(g for g in m.groups() if g)
    return latest_weekday(doc_date, WEEKDAYS[wd.lower()])


def _num(s: str | None) -> int:
    if not s:
        return 1
    return int(s) if s.isdigit() else SMALL.get(s.lower(), 1)


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _past_date(ref: date, month: int, day: int, year: str | None) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        d = date(ref.year, month, day)
        return d if d <= ref + timedelta(days=1) else date(ref.year - 1, month, day)
    except ValueError:
        return None


# every pattern needs one of these words; a bare number is not a time
_ANY_TIME = re.compile(rf"{_WD}|{_MON}|\b(?:past|last|previous|preceding|since|this|"
                       r"yesterday|today|tonight|weeks?|months?|years?|weekend|overnight|night|"
                       r"fortnight|days?)\b", re.I)


def find_period(sentence: str, ref: date | None, exclude: list[tuple[int, int]] | None = None
                ) -> Period | None:
    """The most specific period expression in the sentence, resolved against `ref`."""
    if not _ANY_TIME.search(sentence):
        return None  # most sentences name no time: one scan instead of a dozen
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in PATTERNS:
        for m in pat.finditer(sentence):
            if exclude and any(a <= m.start() < b for a, b in exclude):
                continue
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # inside a longer expression already read ("since May 24")
            if kind == "weekday" and _is_statement_weekday(sentence, m):
                continue
            text = re.sub(r"^(?:in|over|during|within|for|on)\s+", "", m.group(0).strip(),
                          flags=re.I).rstrip(".")  # "since Feb." ends with the sentence
            start, end = _resolve(kind, m, ref) if ref else _resolve_absolute(kind, m)
            found.append(Period(text, start, end, (m.start(), m.end())))
            taken.append((m.start(), m.end()))
    if not found:
        return None
    # the most specific time is the one the figure is about ("in February" over "this year")
    return min(found, key=lambda p: (p.days if p.days is not None else 10**6, p.span))


def _is_statement_weekday(sentence: str, m: re.Match[str]) -> bool:
    """'said on Monday', 'told AFP on Sunday', 'on Saturday also charged': the day of the
    statement, not of the event."""
    before = sentence[max(0, m.start() - 45):m.start()].lower()
    after = sentence[m.end():m.end() + 14].lower()
    return bool(re.search(r"\b(said|says|told|announced|reported|revealed|added|stated|claimed|"
                          r"confirmed|charged|condemned|accused)(\s+(?:afp|reuters|ap|"
                          r"reporters|journalists))?\s+(?:on\s+|late\s+|early\s+)?$", before)) or \
        bool(re.match(r"\s+(also\s+)?(said|charged|announced|condemned|accused|claimed|told)\b",
                      after))


def _resolve_absolute(kind: str, m: re.Match[str]) -> tuple[date | None, date | None]:
    """Without a reference day only expressions that carry their own year resolve."""
    g = m.groups()
    year = {"in_month": 1, "date": 2, "date2": 2, "between": 3}.get(kind)
    if kind == "since_year":
        return date(int(g[0]), 1, 1), None
    if year is not None and g[year]:
        return _resolve(kind, m, date(int(g[year]), 12, 31))
    return None, None


def _resolve(kind: str, m: re.Match[str], ref: date) -> tuple[date | None, date | None]:
    g = m.groups()
    if kind == "window":
        n, unit = _num(g[0]), g[1].lower()
        days = n * UNIT_DAYS[unit]
        return ref - timedelta(days=days), ref - timedelta(days=1)
    if kind == "prevunit":
        unit = (g[0] or g[1]).lower()
        if unit == "week":
            return ref - timedelta(days=7), ref - timedelta(days=1)
        if unit == "month":
            y, mth = (ref.year, ref.month - 1) if ref.month > 1 else (ref.year - 1, 12)
            return _month_range(y, mth)
        return date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31)
    if kind == "thisunit":
        unit = (g[0] or g[1]).lower()
        if unit == "week":
            return ref - timedelta(days=ref.weekday()), ref
        if unit == "month":
            return ref.replace(day=1), ref
        return date(ref.year, 1, 1), ref
    if kind in ("since_date", "since_date2"):
        mon, day = (g[0], g[1]) if kind == "since_date" else (g[1], g[0])
        d = _past_date(ref, MONTHS[mon.lower().rstrip(".")], int(day), None)
        return d, ref
    if kind == "since_month":
        month = MONTHS[g[0].lower().rstrip(".")]
        year = int(g[1]) if g[1] else (ref.year if month <= ref.month else ref.year - 1)
        return date(year, month, 1), ref
    if kind == "since_year":
        return date(int(g[0]), 1, 1), ref
    if kind in ("date", "date2"):
        mon, day = (g[0], g[1]) if kind == "date" else (g[1], g[0])
        d = _past_date(ref, MONTHS[mon.lower().rstrip(".")], int(day), g[2])
        return d, d
    if kind == "between":
        month = MONTHS[g[2].lower().rstrip(".")]
        a = _past_date(ref, month, int(g[0]), g[3])
        b = _past_date(ref, month, int(g[1]), g[3])
        return a, b
    if kind == "in_month":
        month = MONTHS[g[0].lower().rstrip(".")]
        year = int(g[1]) if g[1] else (ref.year if month <= ref.month else ref.year - 1)
        start, end = _month_range(year, month)
        if m.group(0).lower().startswith("since"):
            return start, ref
        return start, min(end, ref) if year == ref.year and month == ref.month else end
    if kind == "weekend":
        sunday = latest_weekday(ref - timedelta(days=1), 6) if ref.weekday() != 6 else ref
        return sunday - timedelta(days=2), sunday
    if kind == "overnight":
        d = latest_weekday(ref, WEEKDAYS[g[0].lower()])
        return d, d + timedelta(days=1)
    if kind == "yesterday":
        d = ref - timedelta(days=1)
        return d, d
    if kind == "today":
        return ref, ref
    if kind == "weekday":
        d = latest_weekday(ref, WEEKDAYS[g[0].lower()])
        return d, d
    return None, None


def is_carry(sentence: str) -> re.Match[str] | None:
    return CARRY.search(sentence)


_LENGTH = re.compile(rf"\b(?:past|last|previous|preceding)\s+(?:{_N}\s+)?(day|week|month|year|fortnight)s?\b",
                     re.I)


def length_days(text: str | None, start: str | None = None, end: str | None = None) -> int | None:
    """How many days a period covers: from its dates, else from its words ('the past one
    week' is 7 even in an undated document)."""
    if start and end:
        return (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    if not text:
        return None
    m = _LENGTH.search(text)
    if m:
        return _num(m.group(1)) * UNIT_DAYS[m.group(2).lower()]
    return None
