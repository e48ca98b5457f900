"""Reconciliation: who is who, syndication, groups, disagreements. Texts are ours."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tally.cli import app
from tally.documents.model import Document
from tally.reconcile.core import group_claims, reconcile
from tally.reconcile.identity import Names, same_person
from tally.reconcile.syndication import find_copies
from tally.reconcile.values import compatible, far_apart
from tests.conftest import ROOT, SHARED, needs_shared


@pytest.mark.parametrize("a, b, same", [
    ("Tareq Arian", "Tariq Arian", True),      # ratio 91: a transliteration
    ("Zalmay Khalilzad", "Khalizad", True),     # surname alone, ratio 94
    ("Arian", "Tariq Arian", True),
    ("Ahmad Shah", "Ahmad Wali", False),        # ratio 70, surnames differ
    ("Javid Faisal", "Javed Fazli", False),     # surname ratio 60
    ("Mohammad Radmanish", "Mohammad Radmanesh", True),
])
def test_person_thresholds(a, b, same):
    assert same_person(a, b) is same


def test_names_cluster_keeps_fullest_spelling():
    n = Names()
    assert n.person("Arian") == "Arian"
    assert n.person("Tareq Arian") == "Tareq Arian"
    assert n.person("Tariq Arian") == "Tareq Arian"


def test_org_aliases_and_no_subset_merge():
    n = Names({"interior ministry": "Ministry of Interior", "moi": "Ministry of Interior"})
    assert n.org("MoI") == n.org("Interior Ministry") == "Ministry of Interior"
    assert n.org("National Security Council") != n.org("Security Council")


@pytest.mark.parametrize("a, b, ok", [
    (("at_least", 291, None), ("exact", 291, 291), True),
    (("more_than", 400, None), ("exact", 422, 422), True),
    (("exact", 7, 7), ("exact", 13, 13), False),
    (("up_to", None, 2000), ("exact", 2500, 2500), False),
    (("about", 3000, 3000), ("exact", 3100, 3100), True),
    (("range", 15, 20), ("exact", 21, 21), False),
])
def test_hedges(a, b, ok):
    def c(q, lo, hi):
        return {"value": {"qualifier": q, "low": lo, "high": hi}}
    assert compatible(c(*a), c(*b)) is ok


def test_far_apart():
    def c(lo, hi):
        return {"value": {"low": lo, "high": hi}}
    assert far_apart(c(4, None), c(18, 18)) and not far_apart(c(10, 10), c(9, 9))


def test_syndicated_wire_copy_in_examples():
    docs = [(d, (ROOT / "examples" / f"{d}.txt").read_text("utf-8"), None)
            for d in ("01_sahel_ambush_wire", "02_sahel_ambush_reprint", "03_shabelle_base_attack")]
    copies = find_copies(docs)
    assert copies and all(c.original.doc == "01_sahel_ambush_wire" for c in copies)
    assert all(c.copy.doc == "02_sahel_ambush_reprint" for c in copies)


def test_short_sentence_inside_long_one_is_not_a_copy():
    long = ("The ministry said 14 soldiers were killed and 30 wounded when militants attacked "
            "a base near the border town late on Monday, in the deadliest attack this year.")
    short = "14 soldiers were killed and 30 wounded, a spokesman said on Tuesday at the base."
    assert find_copies([("a", long, None), ("b", short, None)]) == []


def keyed(extractor, docs):
    out = []
    for d, cs in extractor.extract(docs):
        for i, c in enumerate(cs):
            out.append({**c.to_dict(), "key": f"{d.id}#{i}"})
    return out


def kinds(rec):
    return sorted(r["kind"] for r in rec.disagreements)


def test_conflict_between_army_and_hospital(extractor):
    text = ("Militants stormed an army post in the north on Tuesday, killing seven soldiers, "
            "army spokesman Ali Noor said. The director of the regional hospital, Dr. Sara "
            "Haddad, said the bodies of 13 soldiers had been brought in.")
    rec = reconcile(keyed(extractor, [Document(id="d", text=text)]))
    (r,) = [r for r in rec.disagreements if r["kind"] == "conflict"]
    assert sorted(c["low"] for c in r["claims"]) == [7, 13]
    assert {c["speaker_or_org"] for c in r["claims"]} == {"Ali Noor", "Sara Haddad"}


def test_killed_plus_wounded_against_total(extractor):
    text = ("The interior ministry said 120 civilians were killed and 300 were wounded in "
            "rebel attacks over the past month. In the same statement, the ministry said at "
            "least 500 civilians were killed or wounded in that period.")
    rec = reconcile(keyed(extractor, [Document(id="d", text=text)]))
    assert kinds(rec) == ["arithmetic"]
    assert sorted(c["metric"] for c in rec.disagreements[0]["claims"]) == [
        "casualties", "killed", "wounded"]


def test_the_sum_is_checked_on_exact_figures(extractor):
    text = ("A bomb killed at least two policemen and wounded six others on Monday, the "
            "interior ministry said. \"The blast killed two policemen and wounded six,\" the "
            "ministry's statement read. The rebels said they had killed or wounded nine "
            "policemen.")
    rec = reconcile(keyed(extractor, [Document(id="d", text=text)]))
    sums = [r for r in rec.disagreements if "killed +" in r["why"]]
    assert sums and "2 killed + 6 wounded = 8" in sums[0]["why"]


def test_rate_against_weekly_total(extractor):
    text = ("Interior Minister Omar Said said the rebels were carrying out more than 50 attacks "
            "every 24 hours. The ministry said the rebels had carried out 200 attacks in the "
            "past week.")
    rec = reconcile(keyed(extractor, [Document(id="d", text=text)]))
    (r,) = rec.disagreements
    assert r["kind"] == "arithmetic" and sorted(c["low"] for c in r["claims"]) == [50, 200]


def test_denial_is_linked_to_the_figure(extractor):
    text = ("The defence ministry said the rebels killed 30 soldiers this week. "
            "The rebels rejected the figures.")
    rec = reconcile(keyed(extractor, [Document(id="d", text=text)]))
    (r,) = rec.disagreements
    assert r["kind"] == "denial"
    assert [c["stance"] for c in r["claims"]] == ["asserted", "denied"]


def test_revision(extractor):
    text = ("Health official Nadia Karim said an airstrike killed five people on Sunday. "
            "Later, the toll rose to nine, health official Nadia Karim said.")
    rec = reconcile(keyed(extractor, [Document(id="d", text=text)]))
    assert kinds(rec) == ["revision"]


def test_parts_do_not_contradict_the_whole(extractor):
    text = ("Police said they arrested eight suspects in raids on Saturday. A police "
            "statement from the provincial police chief said five were arrested in the city "
            "and three in the villages.")
    rec = reconcile(keyed(extractor, [Document(id="d", text=text)]))
    assert [r for r in rec.disagreements if r["kind"] == "conflict"] == []


def test_a_night_within_the_weekend_is_a_part_not_a_contradiction(extractor):
    from datetime import date

    text = ("Militiamen raided farms around the north-eastern Congolese town of Butembo over "
            "the weekend, killing at least nine people, local officials said. Joseph Muhindo, "
            "a village head, said the militiamen first struck two hamlets overnight Friday, "
            "where five people were killed.")
    rec = reconcile(keyed(extractor, [Document(id="d", text=text, date=date(2021, 10, 11))]))
    assert [r for r in rec.disagreements if r["kind"] == "conflict"] == []


def test_cross_document_group_and_independent_sources(extractor):
    a = Document(id="a", text="Gunmen killed 12 villagers in Djibo, Burkina Faso, on Monday, "
                 "a regional official said.", date=__import__("datetime").date(2024, 6, 12))
    b = Document(id="b", text="Residents said more than 30 villagers were killed in Djibo, "
                 "Burkina Faso, on Monday.", date=__import__("datetime").date(2024, 6, 12))
    rec = reconcile(keyed(extractor, [a, b]), [(d.id, d.text, d.date) for d in (a, b)])
    (g,) = [g for g in rec.groups if len(g["docs"]) == 2]
    assert g["independent_sources"] == 2 and g["min"] == 12
    (r,) = [r for r in rec.disagreements if r["doc"] is None]
    assert r["kind"] == "conflict"


claim_st = st.builds(
    lambda i, doc, metric, low, group, day: {
        "key": f"{doc}#{i}", "doc": doc, "metric": metric,
        "value": {"low": low, "high": low, "qualifier": "exact", "text": str(low)},
        "victim": {"group": group}, "perpetrator": {"actor": None}, "kind": "incident",
        "place": {"country": "AF", "admin1": None},
        "period": {"text": "x", "start": f"2020-06-{day:02d}", "end": f"2020-06-{day:02d}"},
        "source": {"speaker": None, "org": f"org{i % 3}", "side": "government"},
        "attribution": "indirect", "stance": "asserted",
        "evidence": {"sentence": f"s{i}", "start": i * 10, "end": i * 10 + 5}},
    st.integers(0, 10**6), st.sampled_from(["a", "b", "c"]),
    st.sampled_from(["killed", "wounded"]), st.integers(0, 50),
    st.sampled_from(["civilians", "security_forces", "unknown"]), st.integers(1, 5))


@settings(max_examples=60, deadline=None)
@given(st.lists(claim_st, min_size=1, max_size=25, unique_by=lambda c: c["key"]),
       st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_arrival_order(claims, rnd):
    shuffled = list(claims)
    rnd.shuffle(shuffled)
    def canon(groups):
        return sorted(sorted(c["key"] for c in g) for g in groups)
    assert canon(group_claims(claims)) == canon(group_claims(shuffled))
    assert reconcile(claims).disagreements == reconcile(shuffled).disagreements


def test_incremental_refresh_in_store(db_url):
    runner = CliRunner()
    ex = ROOT / "examples"
    r = runner.invoke(app, ["ingest", str(ex / "03_shabelle_base_attack.txt"), "--db", db_url],
                      catch_exceptions=False)
    assert r.exit_code == 0, r.output
    first = runner.invoke(app, ["conflicts", "--db", db_url, "--format", "json"]).stdout
    records = [json.loads(line) for line in first.splitlines()]
    assert any(r["kind"] == "conflict" and r["doc"] == "03_shabelle_base_attack"
               for r in records)
    # a second document leaves the first one's records as they were
    runner.invoke(app, ["ingest", str(ex / "04_group_denies_toll.md"), "--db", db_url],
                  catch_exceptions=False)
    again = runner.invoke(app, ["conflicts", "--db", db_url, "--format", "json",
                                "--doc", "03_shabelle_base_attack"]).stdout
    assert [json.loads(x) for x in again.splitlines()] == [
        r for r in records if r["doc"] == "03_shabelle_base_attack"]
    full = runner.invoke(app, ["figures", "--db", db_url, "--format", "json"]).stdout
    assert json.loads(full)
    checks = runner.invoke(app, ["checks", "--db", db_url]).stdout
    assert "disagreements" in checks


@needs_shared()
def test_seeds_acceptance(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "s.db")
    runner.invoke(app, ["ingest", str(SHARED / "seeds"), "--db", db], catch_exceptions=False)
    out = runner.invoke(app, ["conflicts", "--db", db, "--format", "json"]).stdout
    pred = tmp_path / "pred.jsonl"
    pred.write_text(out, "utf-8")
    arithmetic = [json.loads(x) for x in out.splitlines() if '"arithmetic"' in x]
    assert {r["doc"][:3] for r in arithmetic} == {"001", "003"}
    report = json.loads(subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_conflicts.py"),
         str(SHARED / "gold" / "seeds.conflicts.jsonl"), str(pred), "--json"],
        capture_output=True, text=True, check=True).stdout)
    assert report["recall"] >= 0.85 and report["precision"] >= 0.8
    from tally.store import open_store
    with open_store(db) as store:
        copies = store.reconciled("copy")
        speakers = {c["source"]["speaker"] for c in store.keyed_claims()}
    assert any({c["original"]["doc"][:3], c["copy"]["doc"][:3]} == {"000", "001"} for c in copies)
    assert {"Tareq Arian", "Tariq Arian"} <= speakers
    names = Names()
    assert names.person("Tareq Arian") == names.person("Tariq Arian")


def test_one_by_one_ingest_equals_a_full_recompute(tmp_path, extractor):
    """Copies, groups and disagreements kept up to date document by document are what a
    full recompute finds, even when the reprint arrives before the wire story it copies."""
    from tally import pipeline
    from tally.documents.readers import read_inputs
    from tally.store import open_store

    files = sorted((ROOT / "examples").iterdir(), key=lambda p: p.name != "02_sahel_ambush_reprint.txt")
    db = str(tmp_path / "inc.db")

    def snapshot(store):
        return {kind: sorted(json.dumps(r, sort_keys=True) for r in store.reconciled(kind))
                for kind in ("group", "disagreement", "copy")}

    with open_store(db) as store:
        for f in files:
            docs = [d for d in read_inputs([str(f)]) if not hasattr(d, "problem")]
            pipeline.ingest(store, docs, extractor=extractor)
        one_by_one = snapshot(store)
        pipeline.refresh(store, None)
        full = snapshot(store)
    assert one_by_one["copy"], "the wire story and its reprint are a syndicated pair"
    original = json.loads(one_by_one["copy"][0])["original"]["doc"]
    assert original == "01_sahel_ambush_wire"  # the earlier story, though it came second
    assert one_by_one == full


def test_a_stored_disagreement_names_its_claims_as_the_claim_views_do(db_url, tmp_path):
    """The workspace, the API and the exports read claims through report.views: each
    claim there carries the same source name and id that the disagreements give it."""
    from tally.report import views
    from tally.store import open_store

    doc = tmp_path / "ambush.txt"
    doc.write_text("date 2024-04-02\n\nThe Ukrainian defence ministry said nine soldiers were "
                   "killed in the ambush on Monday. The Ukrainian border guard service said 15 "
                   "soldiers were killed in the ambush on Monday.\n", "utf-8")
    r = CliRunner().invoke(app, ["ingest", str(doc), "--db", db_url], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    with open_store(db_url) as store:
        records = views.disagreements(store)
        shown = {c["id"]: c for c in views.claims(store)}
    assert records
    for rec in records:
        for c in rec["claims"]:
            assert shown[c["id"]]["source_name"] == c["speaker_or_org"]
            assert shown[c["id"]]["source_side"] == c["side"]
    assert "government (UA)" in {c["side"] for rec in records for c in rec["claims"]}
