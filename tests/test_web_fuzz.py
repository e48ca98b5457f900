"""Property: whatever mix of good and bad items a client POSTs to /api/documents, each
bad item gets one problem of one line naming it, and every good item is stored."""
from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st



# (A body nested beyond the depth limit is refused whole, before any item is read:
# tests/test_web_security.py.)
BAD_ITEMS = {
    "a number": 5,
    "a list": ["text"],
    "no text": {"id": "x"},
    "text a number": {"text": 5},
    "text an object": {"text": {"a": 1}},
    "empty text": {"text": " \n "},
    "only NULs": {"text": "\u0000\u0000"},
}
# arbitrary text for the good items: markup, quotes, NULs, any unicode but surrogates
free_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(sorted(BAD_ITEMS)), free_text),
                min_size=1, max_size=8))
def test_any_mix_of_posted_items(client, items):
    batch = uuid.uuid4().hex[:8]  # one store for every example: ids of their own
    body, good = [], []
    for i, item in enumerate(items):
        if item in BAD_ITEMS:
            body.append(BAD_ITEMS[item])
        else:
            doc_id = f"{batch}-{i}"
            body.append({"id": doc_id, "text": f"Two died in a raid. {item}",
                         "source": item, "title": item})
            good.append(doc_id)
    r = client.post("/api/documents", json=body)
    answer = r.json()
    bad = [f"item {i}" for i, item in enumerate(items) if item in BAD_ITEMS]
    fatal = [p for p in answer["problems"] if p["fatal"]]
    assert [p["input"] for p in fatal] == bad, answer
    assert all("\n" not in p["problem"] and p["problem"] for p in answer["problems"])
    assert r.status_code == (400 if not good else 200)
    if good:
        assert answer["new"] == len(good) and answer["documents"] == good
        for doc_id in good:
            assert client.get(f"/api/documents/{doc_id}").status_code == 200
