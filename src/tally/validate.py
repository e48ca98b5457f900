"""Checks of the values a user gives (CLI options, API parameters), shared by both so that
a typo gets the same one line everywhere instead of a silent, empty answer.

Each check takes the name to show (`--metric` on the command line, `metric=` in the API)
and raises BadValue naming the value and what is accepted.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from datetime import date

from tally.claims import METRICS, SIDES, STANCES
from tally.errors import BadValue
from tally.report.views import DISAGREEMENT_KINDS
_ADMIN1 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


def choice(name: str, value: str | None, accepted: Sequence[str]) -> str | None:
    """`value` if it is one of `accepted` (case folded), None when not given."""
    if value is None or value == "":
        return None
    _no_nul(name, value)
    if value.lower() in accepted:
        return value.lower()
    near = difflib.get_close_matches(value.lower(), accepted, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise BadValue(f"{_label(name, value)} is not one of: {', '.join(accepted)}{hint}")


def metric(name: str, value: str | None) -> str | None:
    return choice(name, value, METRICS)


def stance(name: str, value: str | None) -> str | None:
    return choice(name, value, STANCES)


def side(name: str, value: str | None) -> str | None:
    return choice(name, value, SIDES)


def kind(name: str, value: str | None) -> str | None:
    return choice(name, value, DISAGREEMENT_KINDS)


def country(name: str, value: str | None) -> str | None:
    """An ISO 3166-1 code (alpha-2 or alpha-3) or a country's name, as the alpha-2 code
    claims carry."""
    if value is None or not value.strip():
        return None
    _no_nul(name, value)
    import pycountry

    v = value.strip()
    if len(v) in (2, 3) and v.isalpha():
        found = (pycountry.countries.get(alpha_2=v.upper()) if len(v) == 2
                 else pycountry.countries.get(alpha_3=v.upper()))
        if found:
            return str(found.alpha_2)
    from tally.nlp.places import gazetteer  # the names and aliases extraction knows

    code = gazetteer().country(v)
    if code:
        return code
    raise BadValue(f"{_label(name, value)} is not a country: give an ISO 3166-1 code (AF, AFG) "
                   "or a country's name (Afghanistan)")


def admin1(name: str, value: str | None) -> str | None:
    """An ISO 3166-2 code of a first-level division, such as AF-KAB."""
    if value is None or not value.strip():
        return None
    _no_nul(name, value)
    import pycountry

    v = value.strip().upper()
    if _ADMIN1.match(v) and pycountry.subdivisions.get(code=v):
        return v
    raise BadValue(f"{_label(name, value)} is not an ISO 3166-2 division code (such as AF-KAB)")


def day(name: str, value: str | None) -> date | None:
    if value is None or value == "":
        return None
    _no_nul(name, value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadValue(f"{_label(name, value)} is not a date (YYYY-MM-DD)") from None


def period(since: tuple[str, date | None], until: tuple[str, date | None]) -> None:
    """since ≤ until, or the filter can only answer nothing."""
    (s_name, s), (u_name, u) = since, until
    if s and u and s > u:
        raise BadValue(f"{_label(s_name, s.isoformat())} is after "
                       f"{_label(u_name, u.isoformat())}")


def text(name: str, value: str | None) -> str | None:
    """A free text filter (actor, doc): anything but NUL, which no store can compare."""
    if value is None or value == "":
        return None
    _no_nul(name, value)
    return value


def _no_nul(name: str, value: str) -> None:
    if "\x00" in value:
        raise BadValue(f"{name.rstrip('=')} contains a NUL character")


def _label(name: str, value: str) -> str:
    """`--metric 'kiled'` on the command line, `metric='kiled'` in the API."""
    return f"{name}{value!r}" if name.endswith("=") else f"{name} {value!r}"
