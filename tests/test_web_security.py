"""The API in process (Starlette's TestClient): strict parameters, the one error shape,
and the guards of the write path (cross-origin, content type, token) and of every answer
(CSP, nosniff, frame-ancestors)."""
from __future__ import annotations

import shutil

import pytest
from starlette.testclient import TestClient

from tally.web.app import create_app


@pytest.fixture
def store_copy(examples_db, tmp_path) -> str:
    db = tmp_path / "copy.db"
    shutil.copy(examples_db, db)
    return str(db)


@pytest.fixture
def client(store_copy):
    with TestClient(create_app(store_copy)) as c:
        yield c


def error(r) -> str:
    body = r.json()
    assert body["ok"] is False and body["status"] == r.status_code and "\n" not in body["error"]
    return body["error"]


# Strict parameters (issue 11) ---------------------------------------------------------

@pytest.mark.parametrize("path, params, message", [
    ("/api/claims", {"metric": "kiled"}, "metric='kiled' is not one of: killed, wounded"),
    ("/api/claims", {"stance": "denid"}, "stance='denid' is not one of: asserted, denied"),
    ("/api/claims", {"side": "rebels"}, "side='rebels' is not one of: government"),
    ("/api/claims", {"country": "Narnia"}, "country='Narnia' is not a country"),
    ("/api/claims", {"admin1": "XX-1"}, "admin1='XX-1' is not an ISO 3166-2 division code"),
    ("/api/claims", {"since": "2024-03-01", "until": "2024-01-01"},
     "since='2024-03-01' is after until='2024-01-01'"),
    ("/api/claims", {"metirc": "killed"}, "unknown parameter 'metirc': /api/claims takes"),
    ("/api/figures", {"metric": "deaths"}, "metric='deaths' is not one of"),
    ("/api/figures", {"kind": "conflict"}, "unknown parameter 'kind'"),
    ("/api/disagreements", {"kind": "conflicts"}, "(did you mean 'conflict'?)"),
    ("/api/disagreements", {"metric": "killed"}, "unknown parameter 'metric'"),
    ("/api/documents", {"q": "x"}, "unknown parameter 'q': /api/documents takes format"),
    ("/api/summary", {"x": "1"}, "unknown parameter 'x': /api/summary takes none"),
    ("/api/report", {"metric": "kiled"}, "metric='kiled' is not one of"),
    ("/api/claims", {"doc": "a\x00b"}, "doc contains a NUL character"),
    ("/api/claims", {"actor": "\x00"}, "actor contains a NUL character"),
])
def test_unknown_values_and_parameters_are_400(client, path, params, message):
    r = client.get(path, params=params)
    assert r.status_code == 400 and message in error(r)


def test_known_values_still_answer(client):
    assert client.get("/api/claims", params={"country": "Afghanistan"}).json()["total"] > 0
    assert client.get("/api/claims", params={"metric": "KILLED"}).json()["total"] > 0
    r = client.get("/api/claims", params={"since": "1990-01-01"}).json()
    assert r["left_out_undated"] > 0 and r["total"] + r["left_out_undated"] == \
        client.get("/api/claims").json()["total"]


def test_nul_in_a_document_id_is_400(client):
    r = client.get("/api/documents/a%00b")
    assert r.status_code == 400 and "NUL" in error(r)
