"""The API described: /openapi.json and the docs page, generated from the routes' own
parameter tables and the models of their answers, checked against real answers."""
from __future__ import annotations

import pytest
from starlette.routing import Route

from tally.web import openapi


def test_schema_lists_every_api_route_and_its_methods(client):
    s = client.get("/openapi.json").json()
    assert s["openapi"] == "3.1.0" and s["info"]["title"] == "tally"
    routes = {(r.path.replace(":path", ""), m.lower()) for r in client.app.routes
              if isinstance(r, Route) and r.path.startswith("/api/") and r.path != "/api/docs"
              for m in (r.methods or ()) if m != "HEAD"}
    described = {(p, m) for p, ops in s["paths"].items() for m in ops}
    assert routes == described
    for ops in s["paths"].values():
        for op in ops.values():
            assert "400" in op["responses"]
            for p in op["parameters"]:
                assert p["description"] and p["schema"]["type"] in ("string", "integer")


@pytest.mark.parametrize("endpoint", [e for e in openapi.ENDPOINTS if e.method == "get"
                                      and "{" not in e.path], ids=lambda e: e.path)
def test_routes_take_exactly_the_documented_parameters(client, endpoint):
    for p in endpoint.params:
        r = client.get(endpoint.path, params={p.name: ""})
        assert "unknown parameter" not in r.text, p.name
    r = client.get(endpoint.path, params={"bogus": "1"})
    assert r.status_code == 400 and "unknown parameter 'bogus'" in r.json()["error"]


def test_answers_are_what_the_schema_says(client):
    checks = [("/api/summary", {}, openapi.Summary),
              ("/api/claims", {}, openapi.ClaimPage),
              ("/api/claims", {"since": "2020-01-01"}, openapi.ClaimPage),
              ("/api/figures", {}, openapi.FigurePage),
              ("/api/disagreements", {}, openapi.DisagreementPage),
              ("/api/events", {}, openapi.EventPage),
              ("/api/documents", {}, openapi.DocumentPage),
              ("/api/documents/03_shabelle_base_attack", {}, openapi.Document),
              ("/api/claims", {"metric": "kiled"}, openapi.Error)]
    for path, params, model in checks:
        answer = client.get(path, params=params).json()
        model.model_validate(answer)  # unknown fields are refused: nothing undocumented
    posted = client.post("/api/documents", json={"text": "Police arrested 9 men in Gao.",
                                                 "id": "gao"})
    openapi.Ingested.model_validate(posted.json())


def test_docs_page_works_offline(client):
    r = client.get("/api/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<script" not in page and "http://" not in page and "https://" not in page
    for path in client.get("/openapi.json").json()["paths"]:
        assert path in page
    assert "id=schema-Event" in page and "lower median" in page
