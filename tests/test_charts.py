"""The Vega-Lite specs of report.charts over the bundled examples: what each chart draws
(rows, their sides, their disagreements, their places) and that every spec carries its
data. The specs are drawn by real Vega in tests/test_workspace_browser.py."""
from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tally.report import charts, views
from tally.store import open_store


@pytest.fixture(scope="module")
def records(examples_db: str) -> dict[str, Any]:
    store = open_store(examples_db)
    try:
        return {"claims": views.claims(store), "groups": views.figure_groups(store),
                "disagreements": views.disagreements(store),
                "events": [e.to_dict() for e in views.all_events(store)],
                "dates": {d.id: d.date.isoformat() if d.date else None
                          for d in store.documents()}}
    finally:
        store.close()


def _timeline(r: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    return charts.timeline_rows(r["claims"], r["groups"], r["disagreements"], r["events"],
                                r["dates"])


def test_timeline_has_a_row_per_dated_claim_marked_with_its_disagreements(records):
    rows, left_out = _timeline(records)
    assert len(rows) + left_out == len(records["claims"])
    disputed = {i for d in records["disagreements"] for i in d["claim_ids"]}
    by_id = {r["id"]: r for r in rows}
    assert disputed & set(by_id)
    for i in disputed & set(by_id):
        assert by_id[i]["disputed"] == "in a disagreement" and by_id[i]["disagreements"]
    # the Djenne ambush: "at least 12" from the army, 31 from JNIM, in one figure group
    djenne = [r for r in rows if r["metric"] == "killed" and r["place"] == "Djenne"]
    assert {(r["kind"], r["y"], r["side"]) for r in djenne} >= {
        ("at least", 12, "government"), ("exact", 31, "insurgent")}
    army = next(r for r in djenne if r["y"] == 12 and r["side"] == "government")
    jnim = next(r for r in djenne if r["y"] == 31)
    assert army["group"] and army["group"] == jnim["group"]


def test_timeline_spec_draws_one_chart_per_metric_with_its_rows_inline(records):
    rows, _ = _timeline(records)
    spec = charts.timeline_spec(rows, chosen=[rows[0]["id"]])
    metrics = {r["metric"] for r in rows}
    assert len(spec["vconcat"]) == len(metrics)
    drawn = [v for c in spec["vconcat"] for v in c["data"]["values"]]
    assert sorted(r["id"] for r in drawn) == sorted(r["id"] for r in rows)
    assert spec["params"] == [{"name": "chosen", "value": [rows[0]["id"]]}]
    json.dumps(spec)  # plain JSON, nothing to fetch


def test_figures_on_one_spot_stand_side_by_side_centred_on_their_day():
    def claim(i: str, day: str, y: int) -> dict[str, Any]:
        return {"id": i, "doc": "d", "metric": "killed", "stance": "asserted",
                "value": {"low": y, "high": y, "text": str(y)}, "period": {"start": day},
                "source_name": f"source {i}", "source": {"side": "government"}}

    rows, _ = charts.timeline_rows(
        [claim("a", "2024-03-04", 7), claim("b", "2024-03-04", 7), claim("c", "2024-03-04", 7),
         claim("d", "2024-03-04", 9), claim("e", "2024-06-04", 7)], [], [], [], {})
    assert [r["nudge"] for r in rows] == [-charts.NUDGE_PX, 0, charts.NUDGE_PX, 0, 0]
    assert {r["date"] for r in rows if r["id"] in "abc"} == {"2024-03-04"}  # as hovered
    import vl_convert

    for width in (420, 900):  # the nudge is in pixels: the same at any width
        drawn = vl_convert.vegalite_to_svg(charts.timeline_spec(rows, width=width))
        x = {m[1]: float(m[2]) for m in re.finditer(
            r'aria-label="killed \d+ by source (\w)[^"]*"[^>]*transform="translate\(([\d.]+),',
            drawn)}
        assert x["b"] - x["a"] == pytest.approx(charts.NUDGE_PX, abs=0.5)
        assert x["c"] - x["b"] == pytest.approx(charts.NUDGE_PX, abs=0.5)
        assert x["b"] == pytest.approx(x["d"], abs=0.5) and x["e"] > x["c"] + 100


def test_a_group_chart_names_every_source_whole_with_its_value_as_written(records):
    group = next(g for g in records["groups"] if len(g["values"]) > 3)
    spec = charts.group_spec(group)
    rows = spec["data"]["values"]
    assert [r["text"] for r in rows] == [v["value"]["text"] for v in group["values"]]
    assert len({r["label"] for r in rows}) == len(rows)  # one row each on the axis
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == 0  # labels never cut
    assert any(r["open"] for r in rows) and any(r["copy"] != "own figure" for r in rows)
    assert spec["layer"][0]["encoding"]["x"]["title"].startswith(group["metric"])


def test_country_centres_lie_inside_the_country():
    centres = charts.country_centres()
    lat, lon = centres["ML"]
    assert 11 < lat < 25 and -12 < lon < 4  # Mali
    lat, lon = centres["AF"]
    assert 29 < lat < 39 and 60 < lon < 75  # Afghanistan
    assert len(centres) > 150


def test_map_places_events_and_groups_and_says_how_precisely(records):
    rows, unplaced = charts.map_rows(records["events"], records["groups"],
                                     records["disagreements"])
    multi = [g for g in records["groups"] if len(g["values"]) > 1]
    assert len(rows) + unplaced == len(records["events"]) + len(multi)
    assert {r["what"] for r in rows} == {"event", "figure group"}
    assert {r["precision"] for r in rows} <= set(charts.PRECISION.values())
    assert any(r["disputed"] == "in a disagreement" for r in rows)
    assert [r["figure"] for r in rows] == sorted((r["figure"] for r in rows), reverse=True)
    killed = charts.map_rows(records["events"], records["groups"], records["disagreements"],
                             metric="killed")[0]
    assert killed and all(r["metric"] == "killed" for r in killed)
    spec = charts.map_spec(rows, countries_url="/static/vendor/world-atlas/countries-110m.json")
    assert spec["layer"][0]["data"]["url"].endswith("countries-110m.json")
    inline = charts.map_spec(rows)
    assert inline["layer"][0]["data"]["values"]["type"] == "Topology"


# --- the routes that serve them ----------------------------------------------------------

def test_chart_routes_answer_as_described(client):
    from tally.web import openapi

    timeline = client.get("/api/charts/timeline", params={"metric": "killed"}).json()
    openapi.Chart.model_validate(timeline)
    total = client.get("/api/claims", params={"metric": "killed"}).json()["total"]
    assert timeline["drawn"] + timeline["left_out"] == total
    assert [c["title"].split(" ")[0] for c in timeline["spec"]["vconcat"]] == ["killed"]
    one_side = client.get("/api/charts/timeline", params={"side": "insurgent"}).json()
    rows = [r for c in one_side["spec"]["vconcat"] for r in c["data"]["values"]]
    assert rows and {r["side"] for r in rows} == {"insurgent"}
    world = client.get("/api/charts/map").json()
    openapi.Chart.model_validate(world)
    assert world["spec"]["layer"][0]["data"]["url"] == "/static/vendor/world-atlas/countries-110m.json"
    assert client.get(world["spec"]["layer"][0]["data"]["url"]).json()["type"] == "Topology"
    mali = client.get("/api/charts/map", params={"country": "Mali"}).json()
    places = mali["spec"]["layer"][1]["data"]["values"]
    assert places and all(p["place"].endswith("ML") for p in places)
    ids = [g["id"] for g in client.get("/api/figures").json()["items"][:3]]
    groups = client.get("/api/charts/groups", params={"ids": ",".join(ids)}).json()
    openapi.GroupCharts.model_validate(groups)
    assert {g["id"] for g in groups["items"]} <= set(ids) and groups["items"]
    bad = client.get("/api/charts/timeline", params={"since": "2024-13-01"})
    assert bad.status_code == 400 and "since" in bad.json()["error"]


def test_evidence_names_what_an_item_is_part_of(client):
    from tally.web import openapi

    conflict = client.get("/api/disagreements", params={"kind": "conflict"}).json()["items"][0]
    ev = client.get("/api/evidence", params={"disagreement": conflict["id"]}).json()
    openapi.EvidenceOf.model_validate(ev)
    assert {c["id"] for c in ev["claims"]} == set(conflict["claim_ids"])
    assert conflict["id"] in {d["id"] for d in ev["disagreements"]}
    claim = conflict["claim_ids"][0]
    one = client.get("/api/evidence", params={"claim": claim}).json()
    assert [c["id"] for c in one["claims"]] == [claim]
    assert conflict["id"] in {d["id"] for d in one["disagreements"]}
    for kind, items in (("group", one["groups"]), ("event", one["events"])):
        assert items, kind
        again = client.get("/api/evidence", params={kind: items[0]["id"]}).json()
        openapi.EvidenceOf.model_validate(again)
        assert claim in {c["id"] for c in again["claims"]}
    assert client.get("/api/evidence", params={"claim": "0" * 16}).status_code == 404
    both = client.get("/api/evidence", params={"claim": claim, "group": "x"})
    assert both.status_code == 400 and "name one item" in both.json()["error"]


def test_files_are_read_by_their_names_and_stored(client):
    import base64

    from tally.web import openapi

    text = "Police in Kunduz said a bomb under a bridge killed 4 labourers on Monday."
    page = (b"<html><head><title>Checkpoint raid</title></head><body><p>The governor's office "
            b"said 6 guards were wounded in a raid near Herat on Tuesday.</p></body></html>")
    files = [{"name": "bridge.txt", "data_base64": base64.b64encode(text.encode()).decode()},
             {"name": "raid.html", "data_base64": base64.b64encode(page).decode()},
             {"name": "broken.txt", "data_base64": "not base64!"}]
    r = client.post("/api/files", json=files)
    openapi.Ingested.model_validate(r.json())
    body = r.json()
    assert r.status_code == 200 and body["new"] == 2 and sorted(body["documents"]) == [
        "bridge", "raid"]
    assert [p["input"] for p in body["problems"]] == ["file 2"]
    raid = client.get("/api/documents/raid").json()
    assert raid["title"] == "Checkpoint raid" and "<p>" not in raid["text"]
    assert {c["metric"] for c in raid["claims"]} == {"wounded"}
    refused = client.post("/api/files", content=b"{}", headers={"content-type": "text/plain"})
    assert refused.status_code == 415


def test_places_half_a_world_apart_are_fitted_on_the_globe_not_across_the_antimeridian():
    from tally.report.charts import _bounds

    near = _bounds([{"latitude": 34.5, "longitude": 69.2}, {"latitude": 9.1, "longitude": 7.4}])
    assert near["geometry"]["type"] == "MultiPoint"
    far = _bounds([{"latitude": 19.4, "longitude": -99.1}, {"latitude": 34.5, "longitude": 69.2}])
    assert far["geometry"]["type"] == "Sphere"
