"""Sentence -> figures: the English constructions that count casualties, one table per
mechanism (metric verbs and nouns, tallies, predicate words, partitives, single victims),
then kind, victim group and period. Sentences are ours."""
from __future__ import annotations

from datetime import date

import pytest

from tally.documents.model import Document


def claims_of(extractor, text: str, day: date | None = None):
    return list(extractor.extract_one(Document(id="t", text=text, date=day)))


def figures(extractor, text: str, day: date | None = None):
    return [(c.metric, c.value.low, c.value.high) for c in claims_of(extractor, text, day)]


@pytest.mark.parametrize("text, expected", [
    # a tally given its value by a verb: reach, exceed, climb to, stand at, be
    ("The number of wounded reached 1,240 by Friday.", [("wounded", 1240, 1240)]),
    ("Deaths in the province have exceeded 3,000, the monitor said.",
     [("killed", 3000, None)]),
    ("The death toll from the bombing has climbed to 63, up from an earlier tally of 48.",
     [("killed", 63, 63), ("killed", 48, 48)]),
    ("Reporters put the death count at 19.", [("killed", 19, 19)]),
    ("Monitors said the overall death toll in the town since the blockade started in May "
     "has now exceeded 9,000.", [("killed", 9000, None)]),
    ("The highest number of casualties -- 412 -- was recorded in the north.",
     [("casualties", 412, 412)]),
    # partitives: the whole says what is counted
    ("Forty of the raids were carried out by drones.", [("attacks", 40, 40)]),
    # predicate words on the figure itself
    ("Rescuers found 14 dead miners in the shaft.", [("killed", 14, 14)]),
    ("Officials reported 27 missing fishermen after the storm of gunfire.",
     [("missing", 27, 27)]),
    ("The agency counted 5,120 casualties, including 1,900 dead and 3,220 injured.",
     [("casualties", 5120, 5120), ("killed", 1900, 1900), ("wounded", 3220, 3220)]),
    ("Since the spring, a dozen guards wounded and four dead, the report says.",
     [("wounded", 12, 12), ("killed", 4, 4)]),
    ("The 15 or so dead were all soldiers.", [("killed", 15, 15)]),
    # gapped and reduced passives
    ("Nine guards were wounded and 14 others abducted.",
     [("wounded", 9, 9), ("kidnapped", 14, 14)]),
    ("The total includes 88 people killed in a single market bombing.",
     [("killed", 88, 88)]),
    ("The two monitors said 41 and 38 people, respectively, were killed.",
     [("killed", 41, 41), ("killed", 38, 38)]),
    # a relative clause of the figure's own, and buried casualties are dead
    ("The blast wounded 30 people, in addition to 12 who died at the scene.",
     [("wounded", 30, 30), ("killed", 12, 12)]),
    ("Elders said there were 22 casualties buried near the river.", [("killed", 22, 22)]),
    # verbs and nouns of the lexicon
    ("Eleven insurgents were annihilated in the operation.", [("killed", 11, 11)]),
    ("Officials said exactly 64 prisoners were handed over.", [("released", 64, 64)]),
    ("A campaign was launched for the seven abductees.", [("kidnapped", 7, 7)]),
    ("At least another hundred people are missing.", [("missing", 100, None)]),
    # "all but N accounted for": the N are missing
    ("The governor said that all but six of the miners had been accounted for.",
     [("missing", 6, 6)]),
    ("All but 11 of the crew are accounted for, the navy said.", [("missing", 11, 11)]),
    # one person, counted by the verb
    ("A baker was gunned down outside his shop.", [("killed", 1, 1)]),
    ("Mourners gathered for the funeral of a guard killed in an ambush.",
     [("killed", 1, 1)]),
    # who kills is not one of the dead: the subject of a killing verb with an object
    ("Villagers said the army killed 11 herders near the well.", [("killed", 11, 11)]),
    ("A soldier lost his life in the blast.", [("killed", 1, 1)]),
    # "in addition to the attacker": the attacker died too
    ("In addition to the bomber, seven shoppers were killed, police said.",
     [("killed", 7, 7), ("killed", 1, 1)]),
])
def test_figures(extractor, text, expected):
    assert figures(extractor, text) == expected


def test_reduced_relative_with_agent_takes_the_clause_verb(extractor):
    cs = claims_of(extractor, "Three engineers kidnapped in May by gunmen have been freed.")
    assert cs[0].metric == "released" and cs[0].value.low == 3


@pytest.mark.parametrize("text", [
    "The year was a deadly one: 40 soldiers were killed.",  # only the 40
    "The conflict left 9,000 people dead and 200,000 others displaced.",  # only the dead
    "The war left about 9,000 people dead and a million others displaced before the truce "
    "was signed.",
])
def test_one_figure_only(extractor, text):
    assert len(claims_of(extractor, text)) == 1


@pytest.mark.parametrize("text", [
    "Both soldiers and shoppers were injured in the explosion.",
    "The world body took control of the mission in January.",
    "Police seized a truck at the checkpoint.",
    "Police said a number of guards were also hurt in the blast.",
    "According to 112 Telegram channel, the attack was repelled.",
    # "all but N" with any other predicate: the N are the ones it does not hold of
    "All but three of the villagers fled the shelling.",
])
def test_no_figure(extractor, text):
    assert claims_of(extractor, text) == []


@pytest.mark.parametrize("text, expected", [
    ("At least 52 people were hurt (30 of them were police officers).",
     [("wounded", 52, "civilians"), ("wounded", 30, "security_forces")]),
    ("The monitors recorded 77 civilian deaths in March.", [("killed", 77, "civilians")]),
    ("The 15 or so dead were all soldiers.", [("killed", 15, "security_forces")]),
    ("Rebels killed 12 soldiers. Three more deaths were reported on Friday.",
     [("killed", 12, "security_forces"), ("killed", 3, "security_forces")]),
    ("A policeman was shot dead during a gunfight, while a tailor was gunned down nearby.",
     [("killed", 1, "security_forces"), ("killed", 1, "civilians")]),
    ("Troops killed 12 secessionists near the border.", [("killed", 12, "militants")]),
    ("The governor said only 120 and not 300 pupils were abducted.",
     [("kidnapped", 120, "civilians"), ("kidnapped", 300, "civilians")]),
])
def test_victim_group(extractor, text, expected):
    cs = claims_of(extractor, text)
    assert [(c.metric, c.value.low, c.victim.group) for c in cs] == expected


MONDAY = date(2020, 6, 22)


@pytest.mark.parametrize("text, kind", [
    ("Gunmen abducted 40 people in two separate incidents on Saturday.", "aggregate"),
    ("It was the deadliest attack since March, when 12 soldiers were killed in an ambush.",
     "incident"),
    ("The reports we have received so far show five people died in the explosion.",
     "incident"),
    ("Rebels released 40 hostages on Monday.", "incident"),
    ("Dozens of soldiers were killed, the army said.", "aggregate"),
    ("The Taliban killed 180 civilians over past 27 days.", "aggregate"),
    ("Bombings in the capital last week killed 55 people.", "incident"),
    ("Several airstrikes on the town killed nine people.", "aggregate"),
    # a count over a stretch of time, or over a year
    ("The monitors counted 40 deaths in the 24-hour period that ended at noon.", "aggregate"),
    ("More than 20 aid workers were killed in the region last year.", "aggregate"),
    # hundreds dead in a day with no one event named: the day's toll; with one named, or
    # told as the outcome of one attack, one event
    ("Medics reported over 300 civilian deaths on Friday across the province.", "aggregate"),
    ("Saturday's bombing killed 140 people.", "incident"),
    ("Gunmen stormed the village on Sunday, killing 120 people.", "incident"),
    ("Gunmen killed 130 villagers on Friday.", "incident"),
    ("On Friday 110 people were killed by gunmen in the village.", "incident"),
    ("Boko Haram killed 140 villagers on Saturday.", "incident"),
    ("Warplanes killed 210 people across the province on Monday.", "aggregate"),
    # a mass abduction is one event
    ("Bandits abducted 250 pupils from the boarding school.", "incident"),
])
def test_kind(extractor, text, kind):
    (c,) = claims_of(extractor, text, MONDAY)
    assert c.kind == kind


def test_each_figure_takes_its_own_time(extractor):
    cs = claims_of(extractor, "Officials counted 10 deaths on Friday and 12 deaths on "
                              "Thursday.", MONDAY)
    assert [(c.value.low, c.period.start) for c in cs] == [(10, "2020-06-19"),
                                                           (12, "2020-06-18")]
    cs = claims_of(extractor, "The monitors recorded 300 deaths in March 2019, 250 deaths in "
                              "April and 190 deaths in May.", MONDAY)
    assert [(c.value.low, c.period.start) for c in cs] == [
        (300, "2019-03-01"), (250, "2019-04-01"), (190, "2019-05-01")]


def test_a_total_takes_the_window_named_before_it(extractor):
    cs = claims_of(extractor, "Over the past 27 days, rebels killed 180 civilians. They also "
                              "carried out 1,160 attacks, the ministry said.", MONDAY)
    assert [(c.metric, c.period.text) for c in cs] == [("killed", "the past 27 days"),
                                                       ("attacks", "the past 27 days")]


def test_a_dateline_and_the_statement_day_are_not_the_time_of_the_figure(extractor):
    (c,) = claims_of(extractor, "CAIRO, June 21 (Reuters) - The army said on Sunday, June 21, "
                                "that nine soldiers were killed.", MONDAY)
    assert c.period.text is None


def test_another_clause_does_not_decide_the_kind(extractor):
    cs = claims_of(extractor, "An airstrike on the market killed five people, while several "
                              "airstrikes on the port killed nine.", MONDAY)
    assert [(c.value.low, c.kind) for c in cs] == [(5, "incident"), (9, "aggregate")]
