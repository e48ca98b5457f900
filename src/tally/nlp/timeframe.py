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

from tally.nlp.places import DATELINE

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
    # "since the siege began in May 2024"
    ("since_month", re.compile(rf"\bsince\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,6}}?in\s+{_MON}(?:\s+(\d{{4}}))?(?!\s*\d{{1,2}}\b)", re.I)),
    # "since the fall of the Taliban in 2001", "since the beginning of 2005"
    ("since_year", re.compile(r"\bsince\s+(?:the\s+)?(?:[\w'’-]+\s+){0,6}?(?:in\s+|of\s+)((?:19|20)\d\d)\b", re.I)),
    # "between mid-Tuesday and mid-Wednesday"
    ("between_days", re.compile(rf"\bbetween\s+(?:mid-|early\s+|late\s+)?{_WD}(?:\s+(?:night|morning|evening|afternoon))?\s+and\s+(?:mid-|early\s+|late\s+)?{_WD}\b", re.I)),
    ("prev_day", re.compile(r"\bthe\s+(?:previous|preceding)\s+day\b|\bthe\s+day\s+before\b", re.I)),
    ("first_units", re.compile(rf"\b(?:over|in|during)?\s*the\s+first\s+{_N}\s+(month|week)s\s+of\s+(?:this\s+year|(\d{{4}}))\b", re.I)),
    ("since_ago", re.compile(rf"\bsince\s+(?:[\w'’-]+\s+){{1,8}}?{_N}\s+(day|week|month|year)s?\s+ago\b", re.I)),
    ("window", re.compile(rf"\b(?:in|over|during|within|for)?\s*the\s+(?:past|last|previous|preceding)\s+(?:{_N}\s+)?(day|week|month|year|fortnight)s?\b", re.I)),
    # "over past 27 days": headline English drops the article
    ("window", re.compile(rf"\b(?:in|over|during|within|for)\s+(?:past|last|previous|preceding)\s+(?:{_N}\s+)(day|week|month|year|fortnight)s\b", re.I)),
    ("window", re.compile(rf"\b(?:in|within)\s+(?:{_N}\s+)(day|week|month|year)s?\b", re.I)),
    # "in these two years": the years up to the day of the statement
    ("window", re.compile(rf"\b(?:in|over|during)\s+these\s+(?:past\s+|last\s+)?(?:{_N}\s+)(day|week|month|year)s\b", re.I)),
    ("prevunit", re.compile(r"\b(?:the\s+)?previous\s+(week|month|year)\b|\blast\s+(week|month|year)\b", re.I)),
    ("thisunit", re.compile(r"\bthis\s+(week|month|year)\b|\bso\s+far\s+this\s+(week|month|year)\b", re.I)),
    ("since_date", re.compile(rf"\bsince\s+(?:the\s+[\w-]+(?:\s+[\w-]+)?\s+on\s+)?{_MON}\s+(\d{{1,2}})\b", re.I)),
    ("since_date2", re.compile(rf"\bsince\s+(?:the\s+[\w-]+(?:\s+[\w-]+)?\s+on\s+)?(\d{{1,2}})\s+{_MON}", re.I)),
    ("since_month", re.compile(rf"\bsince\s+{_MON}(?:\s+(\d{{4}}))?(?!\s*\d)", re.I)),
    ("since_year", re.compile(r"\bsince\s+(\d{4})\b", re.I)),
    ("date", re.compile(rf"\b(?:on\s+)?{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("date2", re.compile(rf"\b(?:on\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON}(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("last_month_name", re.compile(rf"\blast\s+{_MON}(?!\s*\d)", re.I)),
    ("in_month", re.compile(rf"\b(?:in|during|since|throughout|early|late|mid)\s+(?:early\s+|late\s+|mid-)?{_MON}(?:\s+(\d{{4}}))?(?!\s*\d{{1,2}}\b)", re.I)),
    ("in_year", re.compile(r"\b(?:in|during|throughout)\s+((?:19|20)\d\d)\b(?!\s*[-–]\d)", re.I)),
    ("weekend", re.compile(r"\b(?:at|over|during|on)\s+the\s+weekend\b|\blast\s+weekend\b", re.I)),
    ("overnight", re.compile(rf"\bovernight\s+(?:on\s+)?{_WD}\b|\b{_WD}\s+night\s+into\s+\w+day\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b|\blast\s+night\b", re.I)),
    ("today", re.compile(r"\btoday\b|\bearlier\s+today\b|\bthis\s+(?:morning|afternoon|evening)\b|"
                         r"\btonight\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?:on|earlier|late|early|last)\s+)?{_WD}(?:\s+(?:night|morning|evening|afternoon))?\b", re.I)),
    # a clock time names the day of the report, but only when nothing else names a day
    ("clock", re.compile(r"\bat\s+(?:around\s+|about\s+|approximately\s+)?\d{1,2}(?:[:.]\d\d)?\s*"
                         r"(?:a\.m\.|p\.m\.|am\b|pm\b)", re.I)),
]
# What a sentence must contain for each of PATTERNS to match it, in the same order: every
# one of these groups, one word of each (in lower case; DIGIT: a digit). Trying only the
# patterns whose words are there gives the same periods for a fraction of the scans.
DIGIT = "<digit>"
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                "dec")
_WINDOW = ("past", "last", "previous", "preceding")
_UNITS = ("day", "week", "month", "year")
_NEEDS: dict[str, list[tuple[str, ...]]] = {
    "between": [("between",)], "between_days": [("between",)],
    "since_month": [("since",), _MONTH_STEMS], "since_year": [("since",)],
    "since_ago": [("since",), ("ago",)], "since_date": [("since",), (DIGIT,), _MONTH_STEMS],
    "since_date2": [("since",), (DIGIT,), _MONTH_STEMS],
    "prev_day": [("previous", "preceding", "before")], "first_units": [("first",)],
    "prevunit": [("previous", "last")], "thisunit": [("this",)],
    "date": [(DIGIT,), _MONTH_STEMS], "date2": [(DIGIT,), _MONTH_STEMS],
    "last_month_name": [("last",), _MONTH_STEMS], "in_month": [_MONTH_STEMS],
    "in_year": [(DIGIT,)], "weekend": [("weekend",)], "overnight": [("night",)],
    "yesterday": [("yesterday", "night")], "today": [("today", "this", "tonight")],
    "weekday": [("day",)], "clock": [(DIGIT,)],
}
# the window patterns, one by one
_WINDOW_NEEDS = [[_WINDOW, _UNITS + ("fortnight",)], [_WINDOW, _UNITS + ("fortnight",)],
                 [("in", "within"), _UNITS], [("these",), _UNITS]]
PATTERN_NEEDS = [[frozenset(group) for group in (_WINDOW_NEEDS.pop(0) if kind == "window"
                                                  else _NEEDS[kind])]
                 for kind, _ in PATTERNS]
_NEEDED_WORDS = sorted({w for needs in PATTERN_NEEDS for group in needs for w in group} - {DIGIT})
# Characters outside ASCII that IGNORECASE matches to an ASCII letter ('ſ' to 's', the
# Kelvin sign to 'k', dotted and dotless I): in a sentence with one, every pattern is tried.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
_DIGIT = re.compile(r"\d")


def _patterns_for(sentence: str) -> list[tuple[str, re.Pattern[str]]]:
    """The PATTERNS whose words the sentence has."""
    if _FOLDS_TO_ASCII.search(sentence):
        return PATTERNS
    low = sentence.lower()
    present = {w for w in _NEEDED_WORDS if w in low}
    if _DIGIT.search(sentence):
        present.add(DIGIT)
    key = frozenset(present)
    found = _patterns_by_words.get(key)
    if found is None:  # few sentences bring a set of these words not seen before
        found = [p for p, needs in zip(PATTERNS, PATTERN_NEEDS)
                 if all(not group.isdisjoint(present) for group in needs)]
        if len(_patterns_by_words) < 20_000:
            _patterns_by_words[key] = found
    return found


_patterns_by_words: dict[frozenset[str], list[tuple[str, re.Pattern[str]]]] = {}


# "KABUL [Afghanistan], May 8 (Wire): ...": the day of the dispatch, before the story
_DATELINE_DATE = re.compile(rf"^[^.()]{{0,60}}?,\s*(?:{_MON}\s+\d{{1,2}}|\d{{1,2}}\s+{_MON})(?:,?\s+\d{{4}})?"
                            rf"\s*(?:\([^)]*\)\s*)?[-\u2014\u2013:]", re.I)
_ONE_DAY = re.compile(rf"^(?:on\s+)?(?:{_WD}|yesterday|today|overnight|tonight)\b", re.I)


_TIME_NAME = re.compile(rf"^(?:{_WD}|{_MON}|ramadan|eid|christmas|easter)\b", re.I)


def names_time(text: str) -> bool:
    """'February', 'Monday night', 'Ramadan': a capitalised name of a time, not a place."""
    return bool(_TIME_NAME.match(text))


def names_one_day(text: str | None) -> bool:
    """'Sunday', 'on Tuesday night', 'yesterday': one day, even without dates."""
    return bool(text and _ONE_DAY.match(text))


CARRY = re.compile(r"\b(?:during|in|over)\s+(?:that|this|the\s+same)\s+(?:time|period|span)\b|"
                   r"\bduring\s+the\s+period\b|\bthe\s+period\s+in\s+question\b", re.I)
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
                       r"fortnight|days?|morning|afternoon|evening|ago|[ap]\.m)\b|\b(?:19|20)\d\d\b", re.I)


def find_period(sentence: str, ref: date | None, exclude: list[tuple[int, int]] | None = None
                ) -> Period | None:
    """The most specific period expression in the sentence, resolved against `ref`."""
    found = find_periods(sentence, ref, exclude)
    # the most specific time is the one the figure is about ("in February" over "this year")
    return most_specific(found)


def most_specific(found: list[Period]) -> Period | None:
    if not found:
        return None
    return min(found, key=lambda p: (p.days if p.days is not None else 10**6, p.span))


def find_periods(sentence: str, ref: date | None, exclude: list[tuple[int, int]] | None = None
                 ) -> list[Period]:
    """Every period expression of the sentence that is not the time of a statement, in
    order, resolved against `ref`."""
    patterns = _patterns_for(sentence)
    if not patterns or not _ANY_TIME.search(sentence):
        return []  # most sentences name no time: a few scans instead of dozens
    found: list[Period] = []
    matches: list[tuple[str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    dateline = DATELINE.match(sentence) or _DATELINE_DATE.match(sentence)
    for kind, pat in patterns:
        for m in pat.finditer(sentence):
            if exclude and any(a <= m.start() < b for a, b in exclude):
                continue
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # inside a longer expression already read ("since May 24")
            if dateline and m.start() < dateline.end():
                continue  # "DUBAI, Aug 8 (Reuters) -": the day of the dispatch
            if _is_statement_time(sentence, m):
                continue
            text = re.sub(r"^(?:in|over|during|within|for|on|throughout)\s+", "",
                          m.group(0).strip(), flags=re.I).rstrip(".")  # "since Feb." ends a sentence
            if kind == "clock":
                text = m.group(0).strip()  # "at around 9 a.m." keeps its full stop
            start, end = _resolve(kind, m, ref) if ref else _resolve_absolute(kind, m)
            found.append(Period(text, start, end, (m.start(), m.end())))
            matches.append((kind, m))
            taken.append((m.start(), m.end()))
    pairs = sorted(zip(found, matches), key=lambda x: x[0].span or (0, 0))
    if len(pairs) > 1:  # "at 9 a.m. on Saturday": the clock gives way to the day named
        pairs = [x for x in pairs if x[1][0] != "clock"]
    return _relative_to_siblings(pairs)


_YEAR_GROUP = {"in_month": 1, "date": 2, "date2": 2, "between": 3, "in_year": 0}


def _relative_to_siblings(found: list[tuple[Period, tuple[str, re.Match[str]]]]) -> list[Period]:
    """Times a sentence gives relative to each other: '4,289 in March 2022, 840 in April'
    (April of 2022), 'On Thursday a ranger was killed, and a grocer the previous day'."""
    out: list[Period] = []
    year: int | None = None
    day: date | None = None
    for p, (kind, m) in found:
        g = m.groups()
        own_year = _YEAR_GROUP.get(kind)
        if own_year is not None and g[own_year]:
            year = int(g[own_year])
        elif kind in ("in_month", "date", "date2") and year is not None:
            start, end = _resolve(kind, m, date(year, 12, 31))
            p = Period(p.text, start, end, p.span)
        if kind == "prev_day" and day is not None:
            d = day - timedelta(days=1)
            p = Period(p.text, d, d, p.span)
        if p.days == 1 and p.start is not None:
            day = p.start
        out.append(p)
    return out


_REPORTED = (r"said|says|told|announced|reported|revealed|added|stated|claimed|confirmed|"
             r"charged|condemned|accused|alleged|denied|rejected|dismissed|insisted|wrote|tweeted|posted")
# "said on Monday", "told AFP on Sunday", "told Aljazeera.net on Thursday", "said
# yesterday", "said on Tuesday, October 20"
_STATED_BEFORE = re.compile(rf"\b(?:{_REPORTED})(?:\s+(?:(?-i:[A-Z])[\w.]*|reporters|journalists|"
                            rf"the\s+press|media))?(?:\s+(?:in\s+a\s+statement|on\s+\w+))?"
                            rf"\s+(?:on\s+|late\s+|early\s+|last\s+)?$"
                            rf"|\b(?:{_REPORTED})\s+(?:on\s+)?{_WD},?\s+(?:on\s+)?$", re.I)
_STATED_AFTER = re.compile(rf"^\s*,?\s+(?:also\s+)?(?:{_REPORTED})\b", re.I)
# "said in a Saturday statement", "at a Monday news conference": the day names the statement
_STATEMENT_NOUN = re.compile(r"^\s+(?:(?:news|press|televised|written)\s+)?(?:statement|"
                             r"announcement|briefing|conference|communiqu[eé]|interview|"
                             r"address|bulletin)\b", re.I)


def _is_statement_time(sentence: str, m: re.Match[str]) -> bool:
    """The day of a statement, not of the event: 'said on Monday', 'on Saturday also
    charged', 'said on Tuesday, October 20', 'the Red Cross said yesterday'."""
    before = sentence[max(0, m.start() - 60):m.start()]
    if re.search(r"^(?:on\s+|late\s+|early\s+|last\s+)", m.group(0), re.I):
        before = before + m.group(0).split()[0] + " "
    after = sentence[m.end():m.end() + 40]
    return bool(_STATED_BEFORE.search(before)) or bool(_STATED_AFTER.match(after)) or bool(
        _STATEMENT_NOUN.match(after))


def _resolve_absolute(kind: str, m: re.Match[str]) -> tuple[date | None, date | None]:
    """Without a reference day only expressions that carry their own year resolve."""
    g = m.groups()
    year = {"in_month": 1, "date": 2, "date2": 2, "between": 3, "in_year": 0}.get(kind)
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
    if kind == "since_month" and m.string[m.end():m.end() + 7].startswith(", when"):
        # "the deadliest since September, when 10 were killed": the when is in September
        month = MONTHS[g[0].lower().rstrip(".")]
        year = int(g[1]) if g[1] else (ref.year if month <= ref.month else ref.year - 1)
        return _month_range(year, month)
    if kind == "since_month":
        month = MONTHS[g[0].lower().rstrip(".")]
        year = int(g[1]) if g[1] else (ref.year if month <= ref.month else ref.year - 1)
        return date(year, month, 1), ref
    if kind == "since_year":
        return date(int(g[0]), 1, 1), ref
    if kind == "prev_day":  # without a day named before it: the day before the reference
        d = ref - timedelta(days=1)
        return d, d
    if kind == "first_units":  # "the first four months of this year"
        year = int(g[2]) if g[2] else ref.year
        if g[1].lower() == "month":
            return _month_range(year, 1)[0], _month_range(year, min(_num(g[0]), 12))[1]
        return date(year, 1, 1), date(year, 1, 1) + timedelta(days=7 * _num(g[0]) - 1)
    if kind == "since_ago":  # "since the insurgency started a year ago"
        return ref - timedelta(days=_num(g[0]) * UNIT_DAYS[g[1].lower()]), ref
    if kind == "in_year":
        year = int(g[0])
        return date(year, 1, 1), min(date(year, 12, 31), ref) if year == ref.year else \
            date(year, 12, 31)
    if kind == "last_month_name":  # "last October": the latest October before this month
        month = MONTHS[g[0].lower().rstrip(".")]
        return _month_range(ref.year if month < ref.month else ref.year - 1, month)
    if kind in ("date", "date2"):
        mon, day = (g[0], g[1]) if kind == "date" else (g[1], g[0])
        d = _past_date(ref, MONTHS[mon.lower().rstrip(".")], int(day), g[2])
        return d, d
    if kind == "between_days":  # the later day the latest on or before ref, the other before it
        end = latest_weekday(ref, WEEKDAYS[g[1].lower()])
        return latest_weekday(end, WEEKDAYS[g[0].lower()]), end
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
    if kind in ("today", "clock"):
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
