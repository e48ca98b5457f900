"""Events in the columns of ACLED's data export, for analysts who already work with it.

What tally cannot know as ACLED's coders do is filled from what the event says:
- `event_type` / `sub_event_type` from the words of its sentences (a suicide bomber, an
  airstrike, shelling, a bomb, a clash), else from its metrics (abductions, arrests) and
  victims (civilians attacked);
- `fatalities` is the lowest figure killed any independent source gives (ACLED codes the
  lowest credible figure; a denial does not lower it), 0 when no death is reported;
- `notes` name every source and the range of each figure, and the disagreements;
- coordinates come from tally's gazetteer (see tally.coordinates).
"""
from __future__ import annotations

import re
from typing import Any

from tally.coordinates import locate
from tally.events import Event

COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "event_type",
           "sub_event_type", "actor1", "actor2", "country", "admin1", "location", "latitude",
           "longitude", "geo_precision", "source", "notes", "fatalities")

# (words in a sentence, event type, sub-event type): the first that matches decides, so
# the more specific come first.
EVENT_WORDS: tuple[tuple[str, str, str], ...] = (
    (r"suicide (?:bomb|attack|car)", "Explosions/Remote violence", "Suicide bomb"),
    (r"air ?strikes?|drone|warplanes?|bombing raids?|aerial bombardment",
     "Explosions/Remote violence", "Air/drone strike"),
    (r"shell(?:ing|ed|s)\b|artillery|rockets?|mortars?|missiles?",
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    (r"\bbombs?\b|blast|explosion|explosive|\bIEDs?\b|landmine|\bmines?\b",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    (r"clash(?:es|ed)?|gun ?battle|fighting|firefight|battle",
     "Battles", "Armed clash"),
)
VICTIMS = {"civilians": "Civilians", "security_forces": "Security forces",
           "militants": "Militants", "officials": "Officials", "prisoners": "Prisoners",
           "religious_figures": "Religious figures", "aid_workers": "Aid workers",
           "journalists": "Journalists"}


def event_type(e: Event) -> tuple[str, str]:
    text = " ".join(e.sentences)
    for pattern, kind, sub in EVENT_WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            return kind, sub
    if "kidnapped" in e.metrics:
        return "Violence against civilians", "Abduction/forced disappearance"
    if "arrested" in e.metrics:
        return "Strategic developments", "Arrests"
    if "released" in e.metrics and len(e.metrics) == 1:
        return "Strategic developments", "Other"
    if e.victims == ("civilians",):
        return "Violence against civilians", "Attack"
    return "Battles", "Armed clash"


def row(e: Event, publishers: dict[str, str | None]) -> dict[str, Any]:
    """One ACLED row; `publishers` names each document's outlet (its `source`)."""
    country, admin1 = _country_name(e.country), _division_name(e.admin1)
    point = locate(e.place, e.country, e.admin1)
    kind, sub = event_type(e)
    killed = e.metrics.get("killed")
    victims = [VICTIMS[v] for v in e.victims if v in VICTIMS]
    return {
        "event_id_cnty": f"{_alpha3(e.country)}{e.id}",
        "event_date": e.date.isoformat() if e.date else "",
        "year": e.date.year if e.date else "",
        "time_precision": e.time_precision or "",
        "event_type": kind, "sub_event_type": sub,
        "actor1": "; ".join(e.perpetrators),
        "actor2": "; ".join(f"{v} ({country})" if country else v for v in victims),
        "country": country or "", "admin1": admin1 or "",
        "location": (point.name if point and point.precision == 1 else e.place) or admin1
        or country or "",
        "latitude": point.latitude if point else "",
        "longitude": point.longitude if point else "",
        "geo_precision": point.precision if point else "",
        "source": "; ".join(dict.fromkeys(publishers.get(d) or d for d in e.docs)),
        "notes": notes(e),
        "fatalities": killed.lowest if killed and killed.lowest is not None else 0,
    }


def notes(e: Event) -> str:
    parts = []
    for metric, f in e.metrics.items():
        if f.lowest is None:
            continue
        span = (f"{f.lowest}" if f.lowest == f.highest else f"{f.lowest}-{f.highest}")
        parts.append(f"{metric} {span}{' or more' if f.open_ended else ''} (best estimate "
                     f"{f.best}, {f.sources} source{'s' if f.sources != 1 else ''})")
    text = "; ".join(parts) + f". Sources: {', '.join(e.sources)}."
    if e.disagreement_kinds:
        text += f" Sources disagree: {', '.join(e.disagreement_kinds)}."
    return text[0].upper() + text[1:] if text else text


def _alpha3(code: str | None) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_2=code) if code else None
    return str(found.alpha_3) if found else "XXX"


def _country_name(code: str | None) -> str | None:
    import pycountry

    found = pycountry.countries.get(alpha_2=code) if code else None
    if not found:
        return None
    return str(getattr(found, "common_name", None) or found.name)


def _division_name(code: str | None) -> str | None:
    import pycountry

    found = pycountry.subdivisions.get(code=code) if code else None
    return str(found.name) if found else None
