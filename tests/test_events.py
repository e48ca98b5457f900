"""Events: claims about one incident, across metrics, sources and articles (tally.events),
from records written here, and `tally events` over the bundled examples."""
from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from tally.cli import app
from tally.events import derive
from tests.test_cli import tally


def claim(key: str, metric: str, low: int | None, high: int | None = None, *,
          speaker: str = "police", victim: str = "unknown", place: str | None = "Djenne",
          country: str | None = "ML", day: str | None = "2024-05-02",
          kind: str = "incident", stance: str = "asserted", start: int = 0) -> dict:
    doc = key.split("#")[0]
    return {"key": key, "id": f"id-{key}", "doc": doc, "metric": metric,
            "value": {"low": low, "high": low if high is None else high,
                      "qualifier": "exact", "text": str(low)},
            "victim": {"group": victim}, "perpetrator": {"actor": None},
            "place": {"text": place, "country": country, "admin1": None},
            "period": {"text": "Thursday", "start": day, "end": day} if day else {},
            "kind": kind, "rate": None, "stance": stance,
            "source": {"speaker": speaker, "org": None, "side": "government"},
            "evidence": {"sentence": f"sentence {key} {start}", "start": start, "end": 1}}


def group(*claims: dict, copies: dict[str, str] | None = None) -> dict:
    return {"values": [{"key": c["key"], "copy_of": (copies or {}).get(c["key"])}
                       for c in claims]}


def events(claims, groups, disagreements=(), copies=(), dates=None):
    return derive(claims, groups, list(disagreements), copies,
                  dates or {}, lambda c: c["source"]["speaker"])


def test_one_incident_across_metrics_sources_and_articles():
    a0 = claim("a#0", "killed", 12, speaker="army")
    a1 = claim("a#1", "wounded", 4, speaker="army", start=10)
    b0 = claim("b#0", "killed", 15, speaker="residents")
    c0 = claim("c#0", "killed", 12, speaker="army")  # a reprint of a#0
    found = events([a0, a1, b0, c0], [group(a0, b0, c0, copies={"c#0": "a#0"}), group(a1)])
    assert len(found) == 1
    e = found[0]
    assert e.docs == ("a", "b", "c") and e.date == date(2024, 5, 2) and e.time_precision == 1
    assert set(e.claim_ids) == {"id-a#0", "id-a#1", "id-b#0", "id-c#0"}
    killed = e.metrics["killed"]
    # the copy is no source: army 12, residents 15; the lower median is 12
    assert (killed.lowest, killed.highest, killed.best, killed.sources) == (12, 15, 12, 2)
    assert e.metrics["wounded"].best == 4 and e.sources == ("army", "residents")


def test_a_later_figure_of_a_source_replaces_its_earlier_one():
    early = claim("a#0", "killed", 9, speaker="army")
    late = claim("b#0", "killed", 20, speaker="army")
    other = claim("c#0", "killed", 11, speaker="clinic")
    dates = {"a": date(2024, 5, 3), "b": date(2024, 5, 5), "c": date(2024, 5, 4)}
    (e,) = events([early, late, other], [group(early, late, other)], dates=dates)
    f = e.metrics["killed"]
    assert (f.lowest, f.highest, f.sources) == (9, 20, 2)
    assert f.best == 11  # army's latest 20 and the clinic's 11: the lower of the two


def test_different_victims_add_up_and_a_figure_for_everyone_stands_if_larger():
    soldiers = claim("a#0", "killed", 7, victim="security_forces")
    civilians = claim("a#1", "killed", 3, victim="civilians", start=10)
    (e,) = events([soldiers, civilians], [group(soldiers), group(civilians)])
    assert e.metrics["killed"].lowest == 10
    everyone = claim("a#2", "killed", 14, start=20)
    (e,) = events([soldiers, civilians, everyone],
                  [group(soldiers), group(civilians), group(everyone)])
    assert e.metrics["killed"].lowest == 14


def test_parts_in_one_sentence_add_up_accounts_in_two_articles_do_not():
    women = claim("a#0", "killed", 10, victim="civilians")
    children = claim("a#1", "killed", 12, victim="civilians")  # the same sentence
    (e,) = events([women, children], [group(women), group(children)])
    assert e.metrics["killed"].lowest == 22
    wire = claim("a#0", "wounded", 4, victim="security_forces")
    reprint = claim("b#0", "wounded", 4, victim="security_forces")
    dead = [claim(f"{d}#1", "killed", 2, victim="security_forces", start=5) for d in "ab"]
    (e,) = events([wire, reprint, *dead], [group(wire), group(reprint), group(*dead)])
    assert e.metrics["wounded"].lowest == 4 and e.metrics["wounded"].highest == 4


def test_separate_places_days_and_totals_are_separate_or_no_events():
    here = claim("a#0", "killed", 5, place="Djenne")
    there = claim("a#1", "killed", 6, place="Timbuktu", start=10)
    later = claim("a#2", "killed", 2, day="2024-05-09", start=20)
    total = claim("a#3", "killed", 300, kind="aggregate", start=30)
    found = events([here, there, later, total],
                   [group(here), group(there), group(later), group(total)])
    assert len(found) == 3
    assert all("id-a#3" not in e.claim_ids for e in found)


def test_a_country_wide_figure_joins_the_one_placed_incident_of_its_day():
    town = claim("a#0", "killed", 5, place="Djenne")
    country = claim("a#1", "wounded", 8, place="Mali", start=10)
    (e,) = events([town, country], [group(town), group(country)])
    assert e.place == "Djenne" and set(e.metrics) == {"killed", "wounded"}


def test_a_denied_figure_and_the_disagreement_belong_to_the_event():
    said = claim("a#0", "killed", 30, speaker="army")
    denied = claim("a#1", "killed", 30, speaker="rebels", stance="denied", start=10)
    record = {"id": "d1", "kind": "denial", "claims": [{"key": "a#0"}, {"key": "a#1"}]}
    (e,) = events([said, denied], [group(said)], [record])
    assert e.disagreement_ids == ("d1",) and e.disagreement_kinds == ("denial",)
    assert "id-a#1" in e.claim_ids and e.metrics["killed"].sources == 1


runner = CliRunner()


def test_events_command_over_the_examples(examples_db):
    r = runner.invoke(app, ["events", "--db", examples_db, "--format", "json"])
    assert r.exit_code == 0, r.output
    found = json.loads(r.stdout)
    assert found and all(e["claim_ids"] for e in found)
    claim_ids = {c["id"] for c in json.loads(runner.invoke(
        app, ["claims", "--db", examples_db, "-f", "json"]).stdout)}
    assert all(set(e["claim_ids"]) <= claim_ids for e in found)
    # the wire story and its reprint are one event, the reprint's copy no extra source
    mali = next(e for e in found if "01_sahel_ambush_wire" in e["docs"])
    assert "02_sahel_ambush_reprint" in mali["docs"]
    ml = json.loads(runner.invoke(app, ["events", "--db", examples_db, "--country", "Mali",
                                        "-f", "json"]).stdout)
    assert ml and {e["country"] for e in ml} == {"ML"}
    killed = json.loads(runner.invoke(app, ["events", "--db", examples_db, "--metric",
                                            "released", "-f", "json"]).stdout)
    assert killed and all("released" in e["metrics"] for e in killed)


@pytest.mark.parametrize("args, message", [
    (["--metric", "kiled"], "--metric 'kiled' is not one of"),
    (["--country", "Atlantis"], "--country 'Atlantis' is not a country"),
    (["--since", "2024-13-01"], "--since '2024-13-01' is not a date"),
])
def test_events_options_are_checked(monkeypatch, capsys, examples_db, args, message):
    code, _, err = tally(monkeypatch, capsys, "events", "--db", examples_db, *args)
    assert code == 2 and message in err


def test_events_never_create_a_store(monkeypatch, capsys, tmp_path):
    code, _, err = tally(monkeypatch, capsys, "events", "--db", str(tmp_path / "typo.db"))
    assert code == 3 and "no store at" in err and not (tmp_path / "typo.db").exists()
