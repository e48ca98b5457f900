"""Blocked name resolution and figure grouping give exactly what the pairwise code gave
(tests/reconcile_oracle.py), on random names and random claim sets."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from tally.reconcile import core
from tally.reconcile.identity import Names
from tests import reconcile_oracle as oracle

# near spellings on purpose: surnames a letter apart, accents, one-word names, case
GIVEN = ["Tareq", "Tariq", "Ahmad", "Ahmed", "Mohammad", "Muhammad", "Zalmay", "Javid",
         "Javed", "Ana", "Anna", "José", "Jose", "Li", "Ali"]
SURNAMES = ["Arian", "Ariyan", "Khalilzad", "Khalizad", "Shah", "Wali", "Faisal", "Fazli",
            "Radmanish", "Radmanesh", "Khan", "Kahn", "Ramírez", "Ramirez", "Wei", "Abdi"]
ORGS = ["Ministry of Interior", "Interior Ministry", "Ministry of Interiors", "the ministry",
        "Security Council", "National Security Council", "Red Cross", "Red Crescent",
        "police", "Police", "Polis", "MoI", "Ministry of Health", "Ministry of Heath"]
ALIASES = {"interior ministry": "Ministry of Interior", "moi": "Ministry of Interior"}


def _edit(rnd_word: str, at: int, letter: str) -> str:
    at = at % (len(rnd_word) + 1)
    return rnd_word[:at] + letter + rnd_word[at + 1:]


person_st = st.one_of(
    st.builds(lambda g, s: f"{g} {s}", st.sampled_from(GIVEN), st.sampled_from(SURNAMES)),
    st.sampled_from(SURNAMES),
    st.builds(lambda g, m, s: f"{g} {m} {s}", st.sampled_from(GIVEN), st.sampled_from(GIVEN),
              st.sampled_from(SURNAMES)),
    st.builds(_edit, st.builds(lambda g, s: f"{g} {s}", st.sampled_from(GIVEN),
                               st.sampled_from(SURNAMES)),
              st.integers(0, 20), st.sampled_from("aeiouyz ")),
    st.builds(str.upper, st.sampled_from(SURNAMES)),
    st.just(" "),
)
org_st = st.one_of(st.sampled_from(ORGS),
                   st.builds(_edit, st.sampled_from(ORGS), st.integers(0, 30),
                             st.sampled_from("aeiosy ")))
call_st = st.one_of(st.tuples(st.just("person"), person_st), st.tuples(st.just("org"), org_st))


def _outcome(f, *args):
    try:
        return f(*args)
    except IndexError as e:  # the pairwise code fails on a name of no words; so must this
        return type(e)


@settings(max_examples=300, deadline=None)
@given(st.lists(call_st, max_size=60), st.booleans())
def test_names_blocked_equal_pairwise(calls, aliases):
    new, old = Names(ALIASES if aliases else None), oracle.OracleNames(ALIASES if aliases else None)
    for what, name in calls + calls:  # twice: answers again once every name is known
        assert _outcome(getattr(new, what), name) == _outcome(getattr(old, what), name)
        assert new.people == old.people and new.orgs == old.orgs
    spellings = [n for what, n in calls if what == "person" and n.strip()]
    if " " not in [n for _, n in calls]:
        assert new.clusters(spellings) == old.clusters(spellings)



# claims of few days, places, victims and perpetrators, so that many meet and many
# just fail to: every attribute the blocks and the sweep key on takes a None or a value
def _claim(i: int, doc: str, metric: str, rate: bool, kind: str, low: int, q: str,
           group: str | None, vtext: str | None, actor: str | None, country: str | None,
           admin1: str | None, days: tuple[int, int] | None, ptext: str | None,
           speaker: str | None, org: str | None, side: str, stance: str, sentence: int,
           words: str) -> dict:
    start, end = sorted(days) if days else (None, None)
    return {
        "key": f"{doc}#{i:03d}", "doc": doc, "metric": metric,
        "value": {"low": low, "high": None if q == "at_least" else low, "qualifier": q,
                  "text": str(low)},
        "rate": {"per": "day"} if rate else None, "kind": kind,
        "victim": {"group": group, "text": vtext}, "perpetrator": {"actor": actor},
        "place": {"country": country, "admin1": admin1},
        "period": {"text": ptext, "start": start and f"2021-03-{start:02d}",
                   "end": end and f"2021-03-{end:02d}"},
        "source": {"speaker": speaker, "org": org, "side": side, "via": None},
        "attribution": "indirect", "stance": stance,
        "evidence": {"sentence": f"{words} {low} {vtext or ''}", "start": sentence * 50,
                     "end": sentence * 50 + 40}}


claim_st = st.builds(
    _claim, st.integers(0, 999), st.sampled_from(["d1", "d2", "d3", "d4"]),
    st.sampled_from(["killed", "wounded"]), st.booleans(),
    st.sampled_from(["incident", "incident", "aggregate"]), st.integers(0, 30),
    st.sampled_from(["exact", "exact", "at_least", "about"]),
    st.sampled_from([None, "unknown", "civilians", "security_forces", "militants"]),
    st.sampled_from([None, None, "people", "soldiers", "Russian soldiers", "Ukrainian troops"]),
    st.sampled_from([None, None, "Taliban", "taliban", "Russian forces"]),
    st.sampled_from(["AF", "AF", "UA", None]), st.sampled_from([None, None, "AF-KAB", "AF-HEL"]),
    st.one_of(st.none(), st.tuples(st.integers(1, 6), st.integers(1, 6))),
    st.sampled_from([None, "on Monday", "on Friday", "last week", "in March 2021"]),
    st.sampled_from([None, None, "Tareq Arian", "Tariq Arian", "Arian", "Ahmad Wali"]),
    st.sampled_from([None, "Ministry of Interior", "the ministry", "ministry", "police", "UN"]),
    st.sampled_from(["government", "insurgent", "independent"]),
    st.sampled_from(["asserted", "asserted", "asserted", "denied"]), st.integers(0, 5),
    st.sampled_from(["police said", "had earlier said", "rose to", "a different account of"]))


def _canon(groups):
    return sorted([c["key"] for c in g] for g in groups)


@settings(max_examples=300, deadline=None)
@given(st.lists(claim_st, max_size=40, unique_by=lambda c: c["key"]),
       st.dictionaries(st.sampled_from([f"d{i}#{j:03d}" for i in range(1, 5) for j in range(8)]),
                       st.sampled_from([f"d{i}#{j:03d}" for i in range(1, 5) for j in range(8)]),
                       max_size=4))
def test_grouping_blocked_equals_pairwise(claims, copy_of):
    new = core.group_claims(claims, copy_of, Names())
    old = oracle.group_claims(claims, copy_of, oracle.OracleNames())
    assert _canon(new) == _canon(old)
    assert [[c["key"] for c in g] for g in new] == [[c["key"] for c in g] for g in old]


@settings(max_examples=300, deadline=None)
@given(st.lists(claim_st, min_size=2, max_size=40, unique_by=lambda c: c["key"]),
       st.dictionaries(st.sampled_from(["d1", "d2", "d3", "d4"]),
                       st.one_of(st.none(), st.sampled_from([date(2021, 3, d) for d in (1, 2, 3)])),
                       max_size=4),
       st.dictionaries(st.sampled_from([f"d{i}#{j:03d}" for i in range(1, 5) for j in range(8)]),
                       st.sampled_from([f"d{i}#{j:03d}" for i in range(1, 5) for j in range(8)]),
                       max_size=4))
def test_cross_document_blocked_equals_pairwise(claims, dates, copy_of):
    """One group of all the claims, as if reconciliation had put them together."""
    names, old_names = Names(), oracle.OracleNames()
    for c in claims:
        names.person(c["source"]["speaker"]), old_names.person(c["source"]["speaker"])
        names.org_of(c), old_names.org_of(c)
    g = sorted(claims, key=lambda c: c["key"])
    assert core._cross_document(g, names, copy_of, dates) == \
        oracle.cross_document(g, old_names, copy_of, dates)


@settings(max_examples=150, deadline=None)
@given(st.lists(claim_st, max_size=40, unique_by=lambda c: c["key"]))
def test_reconcile_blocked_equals_pairwise(claims):
    new = core.reconcile(claims)
    with _pairwise():
        old = core.reconcile(claims)
    assert new.groups == old.groups and new.disagreements == old.disagreements
    assert new.people == old.people


@contextmanager
def _pairwise():
    saved = core.Names, core.group_claims, core._cross_document
    core.Names = oracle.OracleNames  # type: ignore[misc]
    core.group_claims = oracle.group_claims
    core._cross_document = oracle.cross_document
    try:
        yield
    finally:
        core.Names, core.group_claims, core._cross_document = saved


def test_a_body_named_in_full_then_alone_revises_its_figure():
    """'The Ministry of Interior' in one article, 'the ministry' (a generic body) in a later
    one: one source, so the changed figure is a revision, found without pairing everyone."""
    full = _claim(1, "d1", "killed", False, "incident", 10, "exact", "civilians", None, None,
                  "AF", None, (2, 2), None, None, "Ministry of Interior", "government",
                  "asserted", 0, "police said")
    bare = _claim(2, "d2", "killed", False, "incident", 14, "exact", "civilians", None, None,
                  "AF", None, (2, 2), None, None, "ministry", "government", "asserted", 0,
                  "police said")
    dates = {"d1": date(2021, 3, 2), "d2": date(2021, 3, 3)}
    new = core._cross_document([full, bare], Names(), {}, dates)
    assert [r["kind"] for r in new] == ["revision"]
    assert new == oracle.cross_document([full, bare], oracle.OracleNames(), {}, dates)
