"""The date in a wire dateline: "KABUL, June 14 (Reuters) -", "Kabul, Feb 1 (Xinhua) --".

A dateline gives day and month; the year is taken only where the document states it
for certain (a /YYYY/ path in its URL, or a year written in the dateline itself).
"""
from __future__ import annotations

import calendar
import re
from datetime import date

MONTHS = {m.lower()[:3]: i for i, m in enumerate(calendar.month_name) if m}

_MON = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    rf"^\s*[A-Z][A-Za-z .'’-]{{1,40}},\s*(?:[A-Z][A-Za-z .'’-]{{1,30}},\s*)?"
    rf"(?:{_MON}\s+(\d{{1,2}})|(\d{{1,2}})\s+{_MON})(?:,?\s+(\d{{4}}))?\s*\(([^)]{{2,40}})\)\s*[-–—:]")
_URL_YEAR = re.compile(r"/((?:19|20)\d\d)/(?:(\d\d)/)?")


def dateline_date(text: str, url: str | None = None) -> date | None:
    m = _DATELINE.match(text)
    if not m:
        return None
    month_name, day1, day2, month2, year = m.group(1), m.group(2), m.group(3), m.group(4), \
        m.group(5)
    month = MONTHS.get((month_name or month2 or "").lower().rstrip(".")[:3])
    day = int(day1 or day2)
    if year is None and url:
        u = _URL_YEAR.search(url)
        if u and (u.group(2) is None or int(u.group(2)) == month):
            year = u.group(1)
    if not (month and year):
        return None  # a dateline without a certain year gives no date
    try:
        return date(int(year), month, day)
    except ValueError:
        return None
