"""Sentence -> claim, for each construction the extractor must read. Sentences are ours."""
from __future__ import annotations

from datetime import date

import pytest

from tally.documents.model import Document


def claims_of(extractor, text: str, day: date | None = None):
    return [c for c in extractor.extract_one(Document(id="t", text=text, date=day))]


def only(extractor, text: str, **kw):
    cs = claims_of(extractor, text, **kw)
    assert len(cs) == 1, [(c.metric, c.value) for c in cs]
    return cs[0]


@pytest.mark.parametrize("text, metric, low, high, qualifier", [
    # active, passive, participial, nominal
    ("Gunmen killed 89 villagers in the raid.", "killed", 89, 89, "exact"),
    ("Some 143 civilians were killed in the fighting.", "killed", 143, 143, "about"),
    ("The blast tore through the market, killing at least 1,052 shoppers.", "killed", 1052,
     None, "at_least"),
    ("The shelling led to the death and injury of 318 people.", "casualties", 318, 318,
     "exact"),
    ("Officials put the death toll at 32.", "killed", 32, 32, "exact"),
    ("The death toll rose to 32 on Tuesday.", "killed", 32, 32, "exact"),
    ("The rebels carried out 175 attacks.", "attacks", 175, 175, "exact"),
    ("Hospital staff counted 13 bodies.", "killed", 13, 13, "exact"),
    ("Doctors reported 318 casualties.", "casualties", 318, 318, "exact"),
    # hedges, ranges, number words, vague words
    ("More than 400 soldiers were wounded.", "wounded", 400, None, "more_than"),
    ("Over 60 police officers were injured.", "wounded", 60, None, "more_than"),
    ("Up to 2,000 fighters were killed.", "killed", None, 2000, "up_to"),
    ("As many as 35 miners were abducted.", "kidnapped", None, 35, "up_to"),
    ("Fewer than ten guards were hurt.", "wounded", None, 10, "fewer_than"),
    ("Between 15 and 20 students were kidnapped.", "kidnapped", 15, 20, "range"),
    ("Police arrested 35-40 suspects.", "arrested", 35, 40, "range"),
    ("Four people were killed.", "killed", 4, 4, "exact"),
    ("Two dozen prisoners were freed.", "released", 24, 24, "exact"),
    ("Dozens of civilians were killed.", "killed", 24, None, "vague"),
    ("Hundreds of people were detained.", "arrested", 200, None, "vague"),
    ("Thousands of inmates were released.", "released", 2000, None, "vague"),
    ("The raid left 12 soldiers dead.", "killed", 12, 12, "exact"),
    ("Nearly 1,600 troops have been wounded.", "wounded", 1600, 1600, "about"),
    ("The army said 76 or more fighters had been killed.", "killed", 76, None, "at_least"),
    ("A gunman shot dead a prayer leader outside the mosque.", "killed", 1, 1, "exact"),
    ("More than a dozen guards died in the ambush.", "killed", 12, None, "more_than"),
    ("Seven miners went missing after the attack.", "missing", 7, 7, "exact"),
])
def test_figure_and_metric(extractor, text, metric, low, high, qualifier):
    c = only(extractor, text)
    assert (c.metric, c.value.low, c.value.high, c.value.qualifier) == (metric, low, high,
                                                                       qualifier)


@pytest.mark.parametrize("text", [
    "The ceasefire lasted three days and ended on 24 May.",
    "The country has endured 19 years of conflict.",
    "Fighting spread to 12 provinces last year.",
    "The insurgents control 40 percent of the district.",
    "The government pledged $300 million in aid.",
    "A 25-year-old man was questioned in 2019.",
    "A three-day ceasefire began on Friday.",
    "Aid reached the town after 48 hours.",
])
def test_figures_that_are_not_claims(extractor, text):
    assert claims_of(extractor, text) == []


def test_split_subjects_and_others_inherit_victims(extractor):
    cs = claims_of(extractor, "The ministry said that 143 civilians were killed and 380 more "
                              "were wounded.")
    assert [(c.metric, c.value.low, c.victim.group) for c in cs] == [
        ("killed", 143, "civilians"), ("wounded", 380, "civilians")]
    cs = claims_of(extractor, "The rebels stormed the post, killing 14 soldiers and wounding "
                              "30 others.")
    assert [(c.metric, c.value.low, c.victim.group) for c in cs] == [
        ("killed", 14, "security_forces"), ("wounded", 30, "security_forces")]


def test_killed_or_wounded_is_one_casualty_figure(extractor):
    c = only(extractor, "Militants killed or wounded more than 300 police officers this month.")
    assert (c.metric, c.value.low, c.value.qualifier) == ("casualties", 300, "more_than")


def test_kidnapped_and_released_from_one_subject(extractor):
    cs = claims_of(extractor, "In 2021, 120 pupils were abducted and later released.")
    assert sorted(c.metric for c in cs) == ["kidnapped", "released"]


def test_subset_is_not_a_second_figure(extractor):
    cs = claims_of(extractor, "Nine soldiers, including two officers, were killed.")
    assert [(c.metric, c.value.low) for c in cs] == [("killed", 9)]


def test_rate(extractor):
    c = only(extractor, "The group is carrying out more than 50 attacks every 24 hours, "
                        "the minister said.")
    assert c.rate == {"per": "day"} and c.metric == "attacks" and c.kind == "aggregate"


@pytest.mark.parametrize("text, group", [
    ("Rebels killed 30 soldiers.", "security_forces"),
    ("Rebels killed 30 villagers.", "civilians"),
    ("Troops killed 30 insurgents.", "militants"),
    ("The army said 30 Taliban fighters were killed.", "militants"),
    ("Gunmen killed two prayer leaders.", "religious_figures"),
    ("Gunmen killed two journalists.", "journalists"),
    ("The bomb killed a provincial governor.", "officials"),
])
def test_victim_group(extractor, text, group):
    assert only(extractor, text).victim.group == group


def test_perpetrators(extractor):
    text = ("The Taliban said their fighters attacked a checkpoint. The insurgents killed "
            "seven police officers, the governor said. Afghan forces said 20 Taliban fighters "
            "were killed in the clash.")
    cs = claims_of(extractor, text)
    assert [(c.value.low, c.perpetrator.actor) for c in cs] == [(7, "Taliban"),
                                                                (20, "Afghan forces")]


def test_no_group_claimed_gives_no_perpetrator(extractor):
    text = ("The Islamic State has been active in the city. On Friday, four people were killed "
            "when a bomb exploded at a bus station. No group claimed the attack.")
    (c,) = claims_of(extractor, text)
    assert c.perpetrator.actor is None


def test_agent_of_passive_and_claimed_attack(extractor):
    c = only(extractor, "Five guards were killed by al-Shabab militants on Monday.")
    assert c.perpetrator.actor == "al-Shabab"
    c = only(extractor, "An Islamic State-claimed bombing killed 12 worshippers.")
    assert c.perpetrator.actor == "Islamic State"


@pytest.mark.parametrize("text, speaker, org, side, via, attribution", [
    ("Rebels killed 12 soldiers, army spokesman Ali Noor said.",
     "Ali Noor", None, "government", None, "indirect"),
    ("Ali Noor, a spokesman for the defence ministry, said rebels killed 12 soldiers.",
     "Ali Noor", "defence ministry", "government", None, "indirect"),
    ("Rebels killed 12 soldiers, according to the interior ministry.",
     None, "interior ministry", "government", None, "indirect"),
    ("Rebels killed 12 soldiers, Taliban spokesman Qari Said told Reuters.",
     "Qari Said", "Taliban", "insurgent", "Reuters", "indirect"),
    ("“We killed 12 soldiers,” Taliban spokesman Qari Said said on Twitter.",
     "Qari Said", "Taliban", "insurgent", "Twitter", "direct_quote"),
    ("Rebels killed 12 soldiers on Monday.", None, None, "media", None, "unattributed"),
])
def test_attribution(extractor, text, speaker, org, side, via, attribution):
    c = only(extractor, text)
    assert c.source.speaker == speaker
    if org:
        assert c.source.org == org
    assert (c.source.side, c.source.via, c.attribution) == (side, via, attribution)


def test_he_said_is_last_named_speaker(extractor):
    text = ("Provincial police chief Omar Zaki said the attack began at dawn. "
            "Gunmen killed 11 guards before fleeing, he said.")
    (c,) = claims_of(extractor, text)
    assert c.source.speaker == "Omar Zaki"


def test_quote_attributed_in_next_sentence(extractor):
    text = ("Rebels have killed at least 40 soldiers over the past week. According to "
            "Reuters, an army commander revealed this on Monday.")
    (c,) = claims_of(extractor, text, day=date(2022, 3, 9))
    assert c.source.side == "government" and c.source.via == "Reuters"
    assert c.attribution == "indirect"
    # Monday 7 March 2022 is the statement day: the past week is 28 Feb - 6 Mar
    assert (c.period.start, c.period.end) == ("2022-02-28", "2022-03-06")


def test_quote_paragraph_after_colon(extractor):
    text = ("Army spokesman Hamid Rasuli said on Twitter:\n\n"
            "“The militants carried out 95 attacks in ten provinces during the week.”")
    (c,) = claims_of(extractor, text)
    assert (c.source.speaker, c.source.via, c.attribution) == ("Hamid Rasuli", "Twitter",
                                                               "direct_quote")


def test_denial_copies_the_denied_figures(extractor):
    text = ("The defence ministry said the Taliban killed 30 soldiers and carried out 44 "
            "attacks this week. The Taliban rejected the figures.")
    cs = claims_of(extractor, text)
    denied = sorted((c.metric, c.value.low, c.source.org) for c in cs if c.stance == "denied")
    assert denied == [("attacks", 44, "Taliban"), ("killed", 30, "Taliban")]


def test_denial_of_involvement_in_civilian_casualties(extractor):
    text = ("The ministry said 50 civilians were killed in Taliban attacks and 12 soldiers "
            "died in Taliban ambushes. The group later rejected involvement in civilian "
            "casualties.")
    cs = [c for c in claims_of(extractor, text) if c.stance == "denied"]
    assert [(c.metric, c.value.low) for c in cs] == [("killed", 50)]


def test_headline_denial_is_ignored(extractor):
    text = "Taliban reject charges\n\nThe ministry said the Taliban killed 9 soldiers."
    assert all(c.stance == "asserted" for c in claims_of(extractor, text))


def test_evidence_offsets_point_into_the_body(extractor):
    text = "Calm returned. Rebels killed 8 soldiers near the border, the army said."
    (c,) = claims_of(extractor, text)
    assert text[c.evidence.start:c.evidence.end] == c.evidence.sentence
    assert c.evidence.sentence.startswith("Rebels killed 8")


@pytest.mark.parametrize("text", [
    "The government plans to free another 500 prisoners next month.",
    "The rebels said they would release 40 hostages.",
    "Talks will resume after the release of the last 150 captives.",
])
def test_what_has_not_happened_is_not_a_claim(extractor, text):
    assert claims_of(extractor, text) == []


@pytest.mark.parametrize("text, day, start, end", [
    ("Militants killed 9 soldiers on Wednesday night, the army said.", date(2018, 4, 26),
     "2018-04-25", "2018-04-25"),
    ("Gunmen abducted 40 pupils in February.", date(2021, 5, 31), "2021-02-01", "2021-02-28"),
    ("Rebels killed 8 villagers at the weekend.", date(2021, 10, 11), "2021-10-08",
     "2021-10-10"),
    ("The blast killed 12 people in December 2016.", None, "2016-12-01", "2016-12-31"),
    ("Police said 30 people were killed over the past 50 days.", date(2020, 6, 20),
     "2020-05-01", "2020-06-19"),
    ("The ministry on Saturday said the rebels killed 64 farmers in the last two weeks.",
     date(2020, 6, 22), "2020-06-06", "2020-06-19"),
    ("Police arrested 12 suspects yesterday.", date(2022, 1, 10), "2022-01-09", "2022-01-09"),
    ("Police arrested 12 suspects since the ceasefire on May 24.", date(2020, 6, 1),
     "2020-05-24", "2020-06-01"),
    ("Gunmen killed 4 guards between 3 and 5 March.", date(2023, 3, 20), "2023-03-03",
     "2023-03-05"),
])
def test_periods(extractor, text, day, start, end):
    c = only(extractor, text, day=day)
    assert (c.period.start, c.period.end) == (start, end)


def test_undated_document_keeps_period_text_only(extractor):
    c = only(extractor, "Rebels killed 40 soldiers over the past week.")
    assert (c.period.text, c.period.start, c.period.end) == ("the past week", None, None)


def test_event_time_in_a_later_sentence(extractor):
    text = ("Rebels killed five guards in a raid on a checkpoint, the army said Thursday. "
            "It said the raid took place on Wednesday night.")
    (c,) = claims_of(extractor, text, day=date(2018, 4, 26))
    assert (c.period.start, c.kind) == ("2018-04-25", "incident")


@pytest.mark.parametrize("text, country, admin1", [
    ("KABUL, Afghanistan (Wire) — Rebels killed 7 soldiers in Kunduz province.", "AF", "AF-KDZ"),
    ("A car bomb killed 9 people in Kirkuk on Monday.", "IQ", "IQ-KI"),
    ("Gunmen abducted 20 students in Niger State, Nigeria.", "NG", "NG-NI"),
    ("An airstrike killed 5 people in Damascus.", "SY", "SY-DI"),
])
def test_places(extractor, text, country, admin1):
    c = only(extractor, text)
    assert (c.place.country, c.place.admin1) == (country, admin1)


def test_unknown_place_stays_text_free_of_codes(extractor):
    c = only(extractor, "Gunmen killed 3 farmers near Xyzzyville.")
    assert c.place.admin1 is None


def test_not_one_is_not_a_figure(extractor):
    assert claims_of(extractor, "Not one of our fighters was killed, the group said.") == []


def test_number_put_at(extractor):
    c = only(extractor, "The ministry put the number of civilians killed or wounded during the "
                        "week at at least 700.")
    assert (c.metric, c.value.low, c.value.qualifier, c.victim.group) == (
        "casualties", 700, "at_least", "civilians")
    assert c.source.side == "government"


def test_volunteer_fighters_are_on_the_government_side(extractor):
    c = only(extractor, "Eleven volunteer fighters were killed near Djibo.")
    assert c.victim.group == "security_forces"


def test_two_processes_give_the_same_claims(extractor):
    from tally.documents import read_inputs
    from tests.conftest import ROOT

    docs = [d for d in read_inputs([str(ROOT / "examples")]) if isinstance(d, Document)]
    one = [c.to_dict() for _, cs in extractor.extract(docs) for c in cs]
    two = [c.to_dict() for _, cs in extractor.extract(docs, n_process=2) for c in cs]
    assert one == two and len(one) > 20


def test_figures_component_marks_spans(extractor):
    doc = extractor.nlp("Gunmen killed at least 12 villagers and wounded dozens.")
    assert [(s.text, s.label_) for s in doc.spans["tally_figures"]] == [
        ("at least 12", "at_least"), ("dozens", "vague")]


def test_user_lexicon_adds_actors(extractor, tmp_path):
    from tally.nlp.extractor import Extractor
    from tally.nlp.lexicon import load

    user = tmp_path / "mine.yaml"
    user.write_text("groups:\n  Red Dawn Front: {aliases: [rdf, red dawn], side: insurgent}\n",
                    "utf-8")
    mine = Extractor(extractor.nlp, load(str(user)))
    (c,) = mine.extract_one(Document(id="t", text="Red Dawn fighters killed 6 guards."))
    assert c.perpetrator.actor == "Red Dawn Front"
    (c,) = extractor.extract_one(Document(id="t", text="Red Dawn fighters killed 6 guards."))
    assert c.perpetrator.actor is None


@pytest.mark.parametrize("text, kind", [
    # one day: one event, even in the hundreds
    ("Gunmen kidnapped 150 students from a boarding school on Sunday, police said.", "incident"),
    ("Militants freed 120 hostages on Tuesday night, officials said.", "incident"),
    # one attack named, though the period is a month
    ("An ambush in March left 40 soldiers dead, the army said.", "incident"),
    # several attacks are several events, even on one day
    ("The rebels carried out 12 attacks on Monday, the ministry said.", "aggregate"),
    # windows and totals
    ("Over the past month, 300 civilians were killed, the UN said.", "aggregate"),
    ("The war has killed 5,000 fighters so far, the group said.", "aggregate"),
])
def test_kind(extractor, text, kind):
    c = only(extractor, text, day=date(2024, 5, 6))
    assert c.kind == kind


def test_dateline_is_not_the_subject(extractor):
    # the parser makes "KABUL" a second subject of "killed"
    c = only(extractor, "KABUL, Afghanistan (AP) — A Taliban assault on a police post "
                        "in the country's northern Baghlan province has killed at least six "
                        "officers, a police spokesman said Sunday.")
    assert c.perpetrator.actor == "Taliban"


def test_those_who_died_did_not_kill_themselves(extractor):
    c = only(extractor, "Nine soldiers died on Sunday in an ambush by unknown gunmen "
                        "in central Mali, the army said.")
    assert (c.victim.group, c.perpetrator.actor) == ("security_forces", None)


def test_the_side_that_lost_them(extractor):
    text = ("Kenyan troops kept up pressure on the Shabaab, who lost 14 fighters in "
            "clashes last week, the army said.")
    c = only(extractor, text, day=date(2024, 5, 6))
    assert c.victim.group == "militants"


def test_who_arrests_is_not_who_attacks(extractor):
    text = ("The Counter Terrorism Department arrested 12 suspects in Quetta on Monday, the CTD "
            "said. In January, a suicide bombing at a market claimed the lives of 40 people.")
    cs = {c.metric: c for c in claims_of(extractor, text, day=date(2024, 5, 8))}
    assert cs["arrested"].perpetrator.actor == "Counter Terrorism Department"
    assert cs["killed"].perpetrator.actor is None


@pytest.mark.parametrize("text, metric, low", [
    ("A shopkeeper was shot and killed near the mosque on Monday.", "killed", 1),
    ("Soldiers murdered a farmer near the camp, residents said.", "killed", 1),
    ("A judge was assassinated outside the court on Sunday.", "killed", 1),
    ("The body of a trader was found behind the depot on Monday.", "killed", 1),
    ("A driver's body was found beside the road on Monday.", "killed", 1),
    ("The corpses of around thirty fighters were discovered near the border.", "killed", 30),
])
def test_deaths_told_without_a_number_or_with_a_body(extractor, text, metric, low):
    c = only(extractor, text, day=date(2024, 5, 8))
    assert (c.metric, c.value.low) == (metric, low)


def test_a_pronoun_counts_what_the_first_verb_counted(extractor):
    cs = claims_of(extractor, "Rebels seized three soldiers and executed them on Sunday.",
                   day=date(2024, 5, 8))
    assert sorted((c.metric, c.value.low, c.victim.group) for c in cs) == [
        ("kidnapped", 3, "security_forces"), ("killed", 3, "security_forces")]
    cs = claims_of(extractor, "Police arrested five suspects and questioned them.")
    assert [(c.metric, c.value.low) for c in cs] == [("arrested", 5)]


@pytest.mark.parametrize("text, expected", [
    # each verb with a figure of its own: two figures, not one of casualties
    ("Three people were injured and one person died in the hospital.",
     [("killed", 1), ("wounded", 3)]),
    ("Three guards were reportedly killed and another injured in the ambush.", [("killed", 3)]),
    ("The militants attacked a post, killing at least 17 guards and injuring 7-10.",
     [("killed", 17), ("wounded", 7)]),
    ("Six villagers were killed, including the gunman, and another 9 people were injured.",
     [("killed", 6), ("wounded", 9)]),
    # one figure shared by both verbs: casualties
    ("The rebels killed or wounded 400 people in the offensive.", [("casualties", 400)]),
    # headlines and other ways of dying
    ("4 militants killed and 3 injured in air strikes in the valley.",
     [("killed", 4), ("wounded", 3)]),
    ("Three marchers succumbed to gunshot wounds on Sunday.", [("killed", 3)]),
    ("A traffic warden was gunned down by attackers on Sunday.", [("killed", 1)]),
    ("Another party worker was killed in the clash on Sunday.", [("killed", 1)]),
])
def test_figures_of_their_own_and_shared(extractor, text, expected):
    got = sorted((c.metric, c.value.low) for c in claims_of(extractor, text, day=date(2024, 5, 8)))
    assert got == sorted(expected)


def test_the_speaker_after_the_figure_is_not_a_victim(extractor):
    # the parser makes "a local chief" a second object of "killed"
    cs = claims_of(extractor, "In one of the hamlets, raiders killed three people overnight "
                              "Friday, a local chief, Joseph Muhindo, said.")
    assert [(c.metric, c.value.low) for c in cs] == [("killed", 3)]


def test_a_verb_with_its_own_auxiliary_does_not_share_the_figure(extractor):
    # the parser hangs "10 people" under "including"; "were injured" still shows a clause
    cs = claims_of(extractor, "At least seven people were killed, including the attacker, and "
                              "an additional 12 people were injured.")
    assert ("killed", 7) in [(c.metric, c.value.low) for c in cs]
    assert not [c for c in cs if c.metric == "casualties" or
                (c.metric == "wounded" and c.value.low == 7)]


def test_a_unit_named_by_a_number_is_not_a_count(extractor):
    cs = claims_of(extractor, "A mine killed three members of the Mechanised Brigade 33 and "
                              "injured five others.")
    assert sorted((c.metric, c.value.low, c.victim.group) for c in cs) == [
        ("killed", 3, "security_forces"), ("wounded", 5, "security_forces")]


def test_the_ministry_is_the_ministry_named_before(extractor):
    text = ("The Defence Ministry dismissed reports of heavy losses on Tuesday. Some 250 "
            "enemy troops were taken prisoner, the ministry also said.")
    (c,) = claims_of(extractor, text, day=date(2024, 5, 8))
    assert (c.metric, c.value.low, c.source.org) == ("arrested", 250, "Defence Ministry")


def test_attacked_n_times_counts_attacks(extractor):
    cs = claims_of(extractor, "The capital has been attacked three times since 2015.",
                   day=date(2024, 5, 8))
    assert [(c.metric, c.value.low, c.kind) for c in cs] == [("attacks", 3, "aggregate")]
    assert claims_of(extractor, "He has been arrested three times.") == []


def test_iraqs_popular_mobilization_forces_are_security_forces(extractor):
    cs = claims_of(extractor, "An explosive device martyred three members of Hashd al-Shaabi "
                              "and wounded four others.")
    assert {(c.metric, c.victim.group) for c in cs} == {("killed", "security_forces"),
                                                         ("wounded", "security_forces")}
