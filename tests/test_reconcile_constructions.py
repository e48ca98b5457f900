"""What a disagreement is, construction by construction. Sentences are ours; claims come
from the real extractor, or are written by hand where only reconciliation is tested."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tally.documents.model import Document
from tally.reconcile.core import reconcile, source_names
from tally.reconcile.revisions import mark
from tally.reconcile.sides import nation_of, opposed


def keyed(extractor, *texts: str, day: date | None = None) -> list[dict[str, Any]]:
    docs = [Document(id=f"d{i}", text=t, date=day) for i, t in enumerate(texts)]
    return [{**c.to_dict(), "key": f"{d.id}#{i}"}
            for d, cs in extractor.extract(docs) for i, c in enumerate(cs)]


def found(claims, documents=()):
    return reconcile(claims, documents).disagreements


def claim(key: str, low: int | None, high: int | None = None, *, metric: str = "killed",
          org: str | None = None, speaker: str | None = None, side: str = "government",
          sentence: str = "", start: int = 0, qualifier: str = "exact", text: str | None = None,
          victim: str = "security_forces", victim_text: str | None = None,
          stance: str = "asserted", kind: str = "incident", country: str = "XX",
          attribution: str = "indirect") -> dict[str, Any]:
    doc = key.split("#")[0]
    return {"key": key, "doc": doc, "metric": metric, "stance": stance, "kind": kind,
            "value": {"low": low, "high": low if high is None and qualifier == "exact" else high,
                      "qualifier": qualifier, "text": text or str(low)},
            "victim": {"group": victim, "text": victim_text}, "perpetrator": {"actor": None},
            "place": {"country": country, "admin1": None}, "period": {"text": None},
            "source": {"speaker": speaker, "org": org, "side": side}, "attribution": attribution,
            "evidence": {"sentence": sentence, "start": start, "end": start + len(sentence)}}


# Two accounts in one sentence -----------------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ("Militants killed 14 workers at the quarry on Monday, the district chief said, while "
     "villagers said at least 25 workers had died.", "conflict"),
    ("The army said four soldiers were killed in the ambush on Friday, but the rebels said they "
     "had killed 19 soldiers.", "conflict"),
])
def test_two_sources_in_one_sentence_are_two_accounts(extractor, text, kind):
    assert [r["kind"] for r in found(keyed(extractor, text))] == [kind]


def test_one_source_in_one_sentence_gives_parts_not_accounts(extractor):
    text = ("Gunmen killed 9 women and 14 children in the hamlet on Sunday, a local official "
            "said. The official said 23 people died in the raid.")
    assert [r for r in found(keyed(extractor, text)) if r["kind"] == "conflict"] == []


def test_places_of_one_sentence_are_parts_of_the_total(extractor):
    text = ("Police said they arrested 11 suspects on Tuesday. Police said six were arrested in "
            "Multan and five in Bahawalpur.")
    assert found(keyed(extractor, text)) == []


def test_parts_that_exceed_their_whole_are_arithmetic():
    s1 = "The army said it carried out 40 air strikes on Monday."
    s2 = "Of the strikes, 25 were by jets and more than 20 by drones, the army said."
    claims = [claim("d#0", 40, metric="attacks", org="army", sentence=s1, start=0),
              claim("d#1", 25, metric="attacks", org="army", sentence=s2, start=60),
              claim("d#2", 20, None, metric="attacks", org="army", sentence=s2, start=60,
                    qualifier="more_than", text="more than 20")]
    (r,) = found(claims)
    assert r["kind"] == "arithmetic" and sorted(c["low"] for c in r["claims"]) == [20, 25, 40]


def test_parts_below_their_whole_are_no_contradiction():
    s1 = "The army said it carried out 60 air strikes on Monday."
    s2 = "Of the strikes, 25 were by jets and 20 by drones, the army said."
    claims = [claim("d#0", 60, metric="attacks", org="army", sentence=s1, start=0),
              claim("d#1", 25, metric="attacks", org="army", sentence=s2, start=60),
              claim("d#2", 20, metric="attacks", org="army", sentence=s2, start=60)]
    assert found(claims) == []


# One source repeating itself; revisions -------------------------------------------------

def test_a_source_repeating_its_figure_is_no_disagreement(extractor):
    text = ("The governor said 17 people were killed in the market bombing on Thursday. "
            "\"We have lost 17 of our people,\" the governor said.")
    assert found(keyed(extractor, text)) == []


@pytest.mark.parametrize("sentence, figure, expected", [
    ("The ministry said the toll had risen to 18.", "18", "later"),
    ("An earlier report by the ministry put the toll at 12.", "12", "earlier"),
    ("The toll rose from 45 to 55, the minister said.", "45", "earlier"),
    ("The toll rose from 45 to 55, the minister said.", "55", "later"),
    ("Rescuers had earlier said that 30 people were killed.", "30", "earlier"),
    ("Police updated the toll from three, saying four guards had died.", "three", "earlier"),
    # an update verb two figures back does not govern this one
    ("The toll has climbed to 20, 17 of them police officers.", "17", None),
    # an event told as past is not an earlier toll
    ("Previously, a car bomb killed 9 officers at the same gate.", "9", None),
    ("The team reached the area and found 6 bodies.", "6", None),
])
def test_which_figure_is_earlier(sentence, figure, expected):
    c = {"value": {"text": figure}, "evidence": {"sentence": sentence}}
    assert mark(c) == expected


def test_a_revision_is_read_in_the_order_the_text_gives(extractor):
    text = ("Health official Leila Mansour said on Sunday the death toll from the shelling had "
            "risen to 18. An earlier report by Leila Mansour had put the toll at 12.")
    (r,) = found(keyed(extractor, text))
    assert r["kind"] == "revision"
    assert [c["low"] for c in r["claims"]] == [12, 18]


def test_a_rise_within_one_sentence_is_a_revision_not_parts():
    s = "The death toll from the blast rose from 45 to 55, the health minister said."
    claims = [claim("d#0", 45, org="health ministry", sentence=s, text="45"),
              claim("d#1", 55, org="health ministry", sentence=s, text="55")]
    (r,) = found(claims)
    assert r["kind"] == "revision" and [c["low"] for c in r["claims"]] == [45, 55]


def test_the_other_side_does_not_revise_a_figure():
    """A party's figure that its enemy 'earlier' gave is contested, not superseded."""
    s1 = "The rebels had earlier said that 9 soldiers were killed."
    s2 = "The army spokesman said two soldiers were killed."
    claims = [claim("d#0", 9, org="rebels", side="insurgent", sentence=s1, start=0, text="9"),
              claim("d#1", 2, org="army", sentence=s2, start=70, text="two")]
    assert [r["kind"] for r in found(claims)] == ["conflict"]


@pytest.mark.parametrize("earlier_side, later_side, kind", [
    # a relief service's toll, then the ministry of the same administration: an update
    ("government", "government", "revision"),
    # a hospital's count may update the ministry's
    ("government", "independent", "revision"),
    # a UN inquiry after the government: a second account, not the toll updated
    ("government", "international", "divergence"),
    ("insurgent", "international", "divergence"),
])
def test_who_may_replace_an_earlier_toll(earlier_side, later_side, kind):
    s1 = "The inquiry found that at least 60 villagers were killed."
    s2 = "Officials had earlier said that more than 140 people died in the raid."
    claims = [claim("d#0", 60, None, org="inquiry team", side=later_side, sentence=s1,
                    qualifier="at_least", text="at least 60", victim="civilians"),
              claim("d#1", 140, None, org="district office", side=earlier_side, sentence=s2,
                    start=70, qualifier="more_than", text="more than 140", victim="civilians")]
    assert [r["kind"] for r in found(claims)] == [kind]


def test_an_earlier_account_beside_a_clash_is_its_own_disagreement():
    """The UN's 'at least 60' clashes with the rebels' 'only four'; the government's
    earlier 'more than 140' is a third account, set against the UN's by the text."""
    s1 = "The UN said at least 60 villagers were killed."
    s2 = "The government had earlier said more than 140 were killed."
    s3 = "The rebels said only four villagers died."
    claims = [claim("d#0", 60, None, org="UN", side="international", sentence=s1,
                    qualifier="at_least", text="at least 60", victim="civilians"),
              claim("d#1", 140, None, org="government", sentence=s2, start=50,
                    qualifier="more_than", text="more than 140", victim="civilians"),
              claim("d#2", 4, org="rebels", side="insurgent", sentence=s3, start=110,
                    text="four", victim="civilians")]
    records = found(claims)
    assert sorted(r["kind"] for r in records) == ["conflict", "divergence"]
    (d,) = [r for r in records if r["kind"] == "divergence"]
    assert sorted(c["low"] for c in d["claims"]) == [60, 140]
    assert "government had earlier given more than 140 killed, UN gives at least 60" in d["why"]
    # without the text setting them against each other, two floors say nothing
    claims[1]["evidence"]["sentence"] = "The government said more than 140 were killed."
    assert [r["kind"] for r in found(claims)] == ["conflict"]


def test_across_documents_a_revision_follows_publication_order():
    early, late = ("a", date(2024, 3, 1)), ("b", date(2024, 3, 4))
    s = "The ministry said soldiers were killed."
    claims = [claim("b#0", 31, org="Defence Ministry", sentence=s),
              claim("a#0", 22, org="Defence Ministry", sentence=s)]
    for c in claims:
        c["period"] = {"text": "on Monday", "start": "2024-02-26", "end": "2024-02-26"}
        c["kind"] = "incident"
    docs = [(late[0], s, late[1]), (early[0], s, early[1])]
    (r,) = [r for r in found(claims, docs) if r["doc"] is None]
    assert r["kind"] == "revision" and [c["doc"] for c in r["claims"]] == ["a", "b"]
    # without dates the order is unknown: no revision is made up
    assert [r for r in found(claims, [(d, t, None) for d, t, _ in docs]) if r["doc"] is None] == []


# Sides of a war -------------------------------------------------------------------------

def test_the_dead_of_two_sides_are_two_quantities():
    s1 = "The Russian defence ministry said 300 Ukrainian soldiers were killed."
    s2 = "Kyiv said 120 Russian soldiers were killed."
    claims = [claim("d#0", 300, org="Russian defence ministry", sentence=s1, start=0,
                    victim_text="300 Ukrainian soldiers"),
              claim("d#1", 120, org="Ukrainian government", sentence=s2, start=80,
                    victim_text="120 Russian soldiers")]
    assert found(claims) == []
    rec = reconcile(claims)
    assert len(rec.groups) == 2


def test_two_governments_at_war_are_two_sides():
    a = claim("d#0", 300, org="Russian defence ministry", victim_text="Russian servicemen")
    b = claim("d#1", 5800, org="Ukrainian government", victim_text="Russian soldiers",
              start=90, qualifier="more_than", high=None)
    assert opposed(a, b) and nation_of("Ukrainian army units") == "UA"
    (g,) = reconcile([a, b]).groups
    assert g["sides"] == ["government (RU)", "government (UA)"]


def test_a_governments_own_losses_are_not_the_enemy_dead_it_claims():
    """A ministry's 'servicemen killed' with no killer named are its own; the enemy
    soldiers its forces killed, and the losses the enemy says it inflicted, are other
    quantities: only the two counts of the ministry's own dead disagree."""
    own = claim("d#0", 200, org="Russian defence ministry", victim_text="200 servicemen",
                sentence="The Russian defence ministry said 200 servicemen were killed.")
    theirs = claim("d#1", 1500, org="Russian defence ministry",
                   victim_text="1,500 soldiers", start=70,
                   sentence="It said Russian forces killed 1,500 soldiers.")
    theirs["perpetrator"] = {"actor": "Russian forces"}
    enemy = claim("d#2", 4000, None, org="Ukrainian government", qualifier="more_than",
                  text="more than 4,000", victim_text="more than 4,000 soldiers", start=140,
                  sentence="Kyiv said its forces had killed more than 4,000 soldiers.")
    enemy["perpetrator"] = {"actor": "Ukrainian forces"}
    records = found([own, theirs, enemy])
    assert [sorted(c["low"] for c in r["claims"]) for r in records] == [[200, 4000]]


def test_a_body_named_by_its_kind_belongs_to_the_state_before_it():
    """'Moscow's military' told only as "military": its 300 servicemen are Russia's own,
    against the more than 2,000 Russian dead Kyiv claims."""
    s1 = "Some 300 servicemen have been killed, Russia's military said on Tuesday."
    s2 = "Kyiv said its forces had killed more than 2,000 soldiers."
    own = claim("d#0", 300, 300, org="military", sentence=s1, qualifier="about",
                text="Some 300", victim_text="Some 300 servicemen")
    claimed = claim("d#1", 2000, None, org="Ukrainian government", sentence=s2, start=80,
                    qualifier="more_than", text="more than 2,000",
                    victim_text="more than 2,000 soldiers")
    claimed["perpetrator"] = {"actor": "Ukrainian forces"}
    (r,) = found([own, claimed])
    assert r["kind"] == "conflict"
    assert {c["side"] for c in r["claims"]} == {"government (RU)", "government (UA)"}


def test_a_nation_after_the_victims_words_is_not_theirs():
    a = claim("d#0", 2, victim="civilians", victim_text="two wounded in a Turkish strike",
              org="medics", side="independent", sentence="Medics said two were wounded.")
    b = claim("d#1", 5, victim="civilians", victim_text="five Syrian villagers", org="governor",
              start=60, sentence="The governor said five Syrian villagers were wounded.")
    a["perpetrator"] = b["perpetrator"] = {"actor": "Turkish forces"}
    assert len(reconcile([a, b]).groups) == 1


# Sources --------------------------------------------------------------------------------

def test_a_spokesman_and_his_ministry_are_one_independent_source():
    day = {"text": "on Monday", "start": "2024-05-06", "end": "2024-05-06"}
    a = claim("a#0", 12, speaker="Omar Said", org="Interior Ministry", sentence="x")
    b = claim("b#0", 12, org="Interior Ministry", sentence="y")
    c = claim("c#0", 12, org="Red Crescent", side="independent", sentence="z")
    for x in (a, b, c):
        x["period"] = day
    (g,) = reconcile([a, b, c]).groups
    assert g["independent_sources"] == 2


def test_an_article_restating_its_source_is_not_another_source():
    day = {"text": "on Monday", "start": "2024-05-06", "end": "2024-05-06"}
    quoted = claim("a#0", 12, org="police", sentence="Police said 12 people were killed.")
    restated = claim("a#1", 12, side="media", attribution="unattributed", start=40,
                     sentence="The attack killed 12 people.")
    elsewhere = claim("b#0", 12, side="media", attribution="unattributed",
                      sentence="Twelve people died in the attack.")
    for x in (quoted, restated, elsewhere):
        x["period"] = day
    (g,) = reconcile([quoted, restated]).groups
    assert g["independent_sources"] == 1
    # another article's own report is a second source
    (g,) = reconcile([quoted, restated, elsewhere]).groups
    assert g["independent_sources"] == 2


def test_one_name_per_source_in_every_view():
    a = claim("a#0", 5, speaker="Tareq Arian", org="Ministry of Interior")
    b = claim("b#0", 9, speaker="Tariq Arian", org="Ministry of Interior", start=10)
    c = claim("b#1", 9, side="media", attribution="unattributed", start=40)
    name = source_names([a, b, c])
    assert name(a) == name(b) == "Tareq Arian"
    assert name(c) == "unattributed (media)"


def test_a_body_named_by_its_kind_alone_is_the_one_its_article_named_in_full():
    # "the ministry" after "the defence ministry" in one article: one source, one name;
    # with two ministries named, or in another article, it stays as written
    full = claim("a#0", 12, org="defence ministry")
    bare = claim("a#1", 30, org="Ministry", start=50)
    elsewhere = claim("b#0", 30, org="ministry")
    name = source_names([full, bare, elsewhere], {"ministry": "government"})
    assert name(full) == name(bare) == "defence ministry"
    assert name(elsewhere) == "government"
    other = claim("a#2", 7, org="health ministry", start=90)
    name = source_names([full, bare, other])
    assert name(bare) == "Ministry"


# Denials --------------------------------------------------------------------------------

def _raid_denied(denial: str) -> list[dict[str, Any]]:
    s1 = "The army said the rebels killed 30 soldiers and wounded 12 in the raid."
    claims = [claim("d#0", 30, org="army", sentence=s1, start=0),
              claim("d#1", 12, metric="wounded", org="army", sentence=s1, start=0),
              claim("d#2", 30, org="rebels", side="insurgent", sentence=denial, start=80,
                    stance="denied"),
              claim("d#3", 12, metric="wounded", org="rebels", side="insurgent",
                    sentence=denial, start=80, stance="denied"),
              # the same denial said again later is the same denial
              claim("d#4", 30, org="rebels", side="insurgent", sentence="No raid happened.",
                    start=140, stance="denied")]
    return found(claims)


def test_a_denial_of_a_report_is_one_record_naming_every_count_it_rejects():
    records = _raid_denied("The rebels called the reports of the raid lies.")
    assert [r["kind"] for r in records] == ["denial"]
    assert sorted((c["metric"], c["stance"]) for c in records[0]["claims"]) == [
        ("killed", "asserted"), ("killed", "denied"), ("killed", "denied"),
        ("wounded", "asserted"), ("wounded", "denied")]
    assert "30 killed" in records[0]["why"] and "12 wounded" in records[0]["why"]


@pytest.mark.parametrize("denial", [
    "The rebels rejected the army's figures as propaganda.",
    "A rebel spokesman dismissed the numbers given by the army.",
])
def test_a_denial_of_the_figures_is_one_record_per_count(denial):
    records = _raid_denied(denial)
    assert sorted(r["claims"][0]["metric"] for r in records) == ["killed", "wounded"]
    killed = next(r for r in records if r["claims"][0]["metric"] == "killed")
    assert [c["stance"] for c in killed["claims"]] == ["asserted", "denied", "denied"]


def test_a_source_does_not_deny_itself():
    s = "The army said 30 soldiers were killed."
    claims = [claim("d#0", 30, org="army", sentence=s),
              claim("d#1", 30, org="army", sentence="The army denied it.", start=50,
                    stance="denied")]
    assert found(claims) == []


# Every disagreement says why, names its claims, links to their sentences -----------------

def test_every_disagreement_explains_itself(extractor):
    text = ("The army said four soldiers were killed in the ambush on Friday, but the rebels "
            "said they had killed 19 soldiers. The army rejected the rebels' figure.")
    claims = keyed(extractor, text)
    ids = {c["key"]: c["id"] for c in claims}
    records = found(claims)
    assert records
    for r in records:
        assert r["why"] and any(c["speaker_or_org"] in r["why"] for c in r["claims"])
        for c in r["claims"]:
            assert c["sentence"] and c["speaker_or_org"] and c["key"].startswith(c["doc"])
            # named by the claim id the exports give, linked to its sentence in the text
            assert c["id"] and c["id"] == ids[c["key"]]
            assert text[c["start"]:c["end"]] == c["sentence"]
            assert c["side"] in ("government", "insurgent")


def test_parts_count_what_the_whole_counts():
    """17 police and five civilians are not parts of 'more than 17 police': the 17 police
    still disagree with it."""
    s1 = "The toll is 22 dead, 17 of them police officers and five civilians, the committee said."
    s2 = "More than 17 police officers died, the governor said."
    claims = [claim("d#0", 17, org="committee", sentence=s1, start=0, text="17"),
              claim("d#1", 5, org="committee", sentence=s1, start=0, victim="civilians",
                    text="five"),
              claim("d#2", 17, None, speaker="Ali Hasan", sentence=s2, start=90,
                    qualifier="more_than", text="More than 17")]
    assert [r["kind"] for r in found(claims)] == ["conflict"]


@pytest.mark.parametrize("periods, expected", [
    (("last month", "last month"), ["conflict"]),  # one massacre, told as event and as toll
    (("last month", "since 2015"), []),            # a background total is another quantity
    (("last month", None), ["conflict"]),          # a figure with no span of its own
])
def test_an_event_and_a_toll_of_the_same_span(periods, expected):
    a = claim("d#0", 131, None, org="United Nations", side="international", kind="aggregate",
              qualifier="at_least", text="at least 131", victim="civilians", sentence="x")
    b = claim("d#1", 8, org="rebels", side="insurgent", victim="civilians", sentence="y",
              start=50, text="eight")
    a["period"], b["period"] = {"text": periods[0]}, {"text": periods[1]}
    assert [r["kind"] for r in found([a, b])] == expected


def test_parts_are_not_set_against_a_larger_total(extractor):
    text = ("Gunmen killed 9 women and 14 children in the hamlet on Sunday, a local official "
            "said. Hospital director Amal Idris said 25 people died in the raid.")
    assert [r for r in found(keyed(extractor, text)) if r["kind"] == "conflict"] == []


def test_parts_above_another_account_are_told_with_their_sum():
    """'9 women and 14 children' against the residents' 15: the official's parts add up
    to 23, more than the 15, and the record says so and names both parts."""
    s1 = "A local official said gunmen killed 9 women and 14 children in the hamlet."
    s2 = "Residents said 15 people were killed in the raid."
    claims = [claim("d#0", 9, org="local official", victim="civilians", sentence=s1,
                    text="9", victim_text="9 women"),
              claim("d#1", 14, org="local official", victim="civilians", sentence=s1,
                    text="14", victim_text="14 children"),
              claim("d#2", 15, org="residents", side="independent", victim="civilians",
                    sentence=s2, start=90, text="15", victim_text="15 people")]
    (r,) = found(claims)
    assert r["kind"] == "conflict" and "9 + 14 = 23" in r["why"]
    assert sorted(c["low"] for c in r["claims"]) == [9, 14, 15]
    # figures told "respectively" are each a count of its own, not parts to add
    for c in claims[:2]:
        c["evidence"]["sentence"] = "Two monitors said 9 and 14 were killed, respectively."
    assert all("+" not in r["why"] for r in found(claims))


@pytest.mark.parametrize("span_value, kinds", [
    (300, []),             # three days of a siege may be part of a total that names no span
    (900, ["conflict"]),   # but they cannot hold more dead than the whole
])
def test_a_count_for_a_named_span_beside_a_total_that_names_none(span_value, kinds):
    s1 = "The governor said about 500 civilians had been killed by the militia."
    s2 = f"A doctors' group said {span_value} civilians were killed over the past three days."
    whole = claim("d#0", 500, 500, org="governor", victim="civilians", sentence=s1,
                  qualifier="about", text="about 500", kind="aggregate")
    span = claim("d#1", span_value, org="doctors' group", side="independent",
                 victim="civilians", sentence=s2, start=90, kind="aggregate")
    span["period"] = {"text": "the past three days", "start": "2025-03-01", "end": "2025-03-03"}
    assert [r["kind"] for r in found([whole, span])] == kinds


def test_a_figure_added_to_others_is_a_part():
    s1 = "The governor said shelling killed at least nine civilians on Tuesday."
    s2 = "Two more civilian deaths were recorded in the district, the police said."
    claims = [claim("d#0", 9, None, speaker="Omar Bek", victim="civilians", sentence=s1,
                    qualifier="at_least", text="at least nine"),
              claim("d#1", 2, org="police", victim="civilians", sentence=s2, start=80,
                    text="Two")]
    assert found(claims) == []


def test_figures_of_one_sentence_that_exceed_the_other_account_are_not_its_parts():
    """'60 of theirs for 60 of ours' against '72 came home': two counts, not parts."""
    s1 = "The president said 72 prisoners came home."
    s2 = "The ministry said 60 prisoners were freed in exchange for 60 soldiers."
    claims = [claim("d#0", 72, metric="released", speaker="Ivan Petrenko", sentence=s1,
                    victim="prisoners"),
              claim("d#1", 60, metric="released", org="ministry", sentence=s2, start=60,
                    victim="prisoners"),
              claim("d#2", 60, metric="released", org="ministry", sentence=s2, start=60,
                    victim="prisoners")]
    assert [r["kind"] for r in found(claims)] == ["conflict"]


def test_bodies_recovered_are_not_a_part_of_the_toll_claimed():
    s = "The command said some two dozen insurgents died, but soldiers recovered just 10 bodies."
    claims = [claim("d#0", 24, 24, org="command", victim="militants", sentence=s,
                    qualifier="about", text="some two dozen"),
              claim("d#1", 10, org="command", victim="militants", sentence=s, text="10")]
    assert [r["kind"] for r in found(claims)] == ["conflict"]


def test_the_parts_of_a_denied_count_are_the_same_denial():
    s1 = "A health official said an air strike killed seven civilians."
    s2 = "The health official said two women and five children died."
    s3 = "The coalition denied striking the house where two women and five children died."
    claims = [claim("d#0", 7, speaker="Hadi Nasser", victim="civilians", sentence=s1),
              claim("d#1", 2, speaker="Hadi Nasser", victim="civilians", sentence=s2, start=70),
              claim("d#2", 5, speaker="Hadi Nasser", victim="civilians", sentence=s2, start=70),
              claim("d#3", 7, org="coalition", victim="civilians", sentence=s1, start=0,
                    stance="denied"),
              claim("d#4", 2, org="coalition", victim="civilians", sentence=s3, start=140,
                    stance="denied"),
              claim("d#5", 5, org="coalition", victim="civilians", sentence=s3, start=140,
                    stance="denied")]
    assert [r["kind"] for r in found(claims)] == ["denial"]


def test_the_rest_of_a_whole_that_names_a_part_is_a_part():
    """'Eleven guards, including three officers' and later 'the officers and their eight
    drivers': eight and the three officers are the eleven, not a rival count."""
    s1 = "Eleven guards, including three officers, were killed on Monday, police said."
    s2 = "The rebels said they had killed the officers and their eight drivers."
    whole = claim("d#0", 11, org="police", sentence=s1, text="Eleven")
    rest = claim("d#1", 8, org="rebels", side="insurgent", sentence=s2, start=80, text="eight")
    assert found([whole, rest]) == []
    # eight drivers said of other officers, not the ones the whole names, do clash
    rest["evidence"]["sentence"] = "The rebels said they had killed eight drivers."
    assert [r["kind"] for r in found([whole, rest])] == ["conflict"]


def test_a_figure_the_denier_gives_beside_its_denial_is_set_against_the_figure_denied():
    """Read with another period or kind than the figure it answers, the counter-figure
    still counts what is denied."""
    s1 = "The UN said at least 40 villagers were killed in the raid last month."
    s2 = "The rebels denied the massacre, saying only three villagers died in crossfire."
    claims = [claim("d#0", 40, None, org="UN", side="international", sentence=s1,
                    qualifier="at_least", text="at least 40", victim="civilians",
                    kind="aggregate"),
              claim("d#1", 40, None, org="rebels", side="insurgent", sentence=s2, start=80,
                    qualifier="at_least", text="at least 40", victim="civilians",
                    kind="aggregate", stance="denied"),
              claim("d#2", 3, org="rebels", side="insurgent", sentence=s2, start=80,
                    text="three", victim="civilians")]
    claims[0]["period"] = {"text": "last month", "start": "2024-04-01", "end": "2024-04-30"}
    claims[2]["period"] = {"text": "on Friday", "start": "2024-05-10", "end": "2024-05-10"}
    records = found(claims)
    assert sorted(r["kind"] for r in records) == ["conflict", "denial"]
    (c,) = [r for r in records if r["kind"] == "conflict"]
    assert sorted(x["low"] for x in c["claims"]) == [3, 40]
    assert c["why"] == "a denial with a figure of its own: rebels: three killed, against UN: at least 40"
    # read with another day, it meets figures of that day: it is not set against them too
    other = claim("d#3", 12, org="police", sentence="Police said 12 villagers were killed.",
                  start=170, text="12", victim="civilians")
    other["period"] = claims[2]["period"]
    assert sorted(r["kind"] for r in found(claims + [other])) == ["conflict", "denial"]


@pytest.mark.parametrize("second, kinds", [
    # the sentence says the account differs: not a part of the first, even if it adds up
    ("A village head gave a different account, saying the gunmen freed 40 while 10 fled.",
     ["conflict"]),
    # without that, 40 and 10 of one sentence are parts of the 50
    ("A village head said the gunmen freed 40 while 10 fled.", []),
])
def test_an_account_the_text_calls_different_is_another_account(second, kinds):
    s1 = "An official said the gunmen freed 50 hostages on Sunday."
    # the village head's words are taken for the official's, as extraction sometimes does
    claims = [claim("d#0", 50, speaker="Karim Shah", metric="released", victim="civilians",
                    sentence=s1, text="50"),
              claim("d#1", 40, speaker="Karim Shah", metric="released", victim="civilians",
                    sentence=second, start=60, text="40"),
              claim("d#2", 10, speaker="Karim Shah", metric="released", victim="civilians",
                    sentence=second, start=60, text="10")]
    assert [r["kind"] for r in found(claims)] == kinds


@pytest.mark.parametrize("whole_victims, part_victims, part_value, is_part", [
    ("Eleven police officers, including three commanders", "the three commanders", "three", True),
    ("18 villagers, among them four children", "four children and a teacher", "four", True),
    ("Eleven police officers, including three commanders", "three soldiers", "three", False),
    ("Eleven police officers", "the three commanders", "three", False),
])
def test_a_part_the_whole_names_is_that_part(whole_victims, part_victims, part_value, is_part):
    whole = claim("d#0", 11 if "Eleven" in whole_victims else 18, org="ministry",
                  victim_text=whole_victims, sentence=f"{whole_victims} were killed, the ministry said.")
    part = claim("d#1", 3 if part_value == "three" else 4, text=part_value, org="army",
                 victim_text=part_victims, start=200,
                 sentence=f"An army officer told reporters {part_victims} had been killed.")
    kinds = [r["kind"] for r in found([whole, part])]
    assert (kinds == []) is is_part, kinds
