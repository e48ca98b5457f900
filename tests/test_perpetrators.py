"""Who did it, construction by construction. Sentences are ours; each row gives the text
and the perpetrator of the claim counted by the figure named in `value`."""
from __future__ import annotations

from datetime import date

import pytest

from tally.documents.model import Document


def actor_of(extractor, text: str, value: int) -> str | None:
    claims = extractor.extract_one(Document(id="t", text=text, date=date(2024, 5, 6)))
    hits = [c for c in claims if c.stance == "asserted"
            and (c.value.low == value or c.value.high == value)]
    assert hits, [(c.metric, c.value.low) for c in claims]
    return hits[0].perpetrator.actor


@pytest.mark.parametrize("text, value, actor", [
    # the agent of the act: active subject, passive by-agent, nominal by-agent
    ("Boko Haram fighters killed 12 farmers near Maiduguri on Sunday.", 12, "Boko Haram"),
    ("Nine fishermen were killed by Houthi rebels off the coast, officials said.", 9,
     "Houthis"),
    ("The inquiry documented the killing of 40 villagers by Eritrean troops in 2020.", 40,
     "Eritrean forces"),
    ("The Americans killed 12 fighters in a night raid, the governor said.", 12, "US forces"),
    # the event the act happened in
    ("Seven guards died in an attack by al-Shabab on a hotel in Kismayo.", 7, "al-Shabab"),
    ("An Islamic State ambush killed 14 soldiers in Diyala on Tuesday.", 14, "Islamic State"),
    ("A Russian missile strike killed 11 civilians in Kharkiv, the mayor said.", 11,
     "Russian forces"),
    ("Israeli strikes killed 20 people in Rafah overnight, medics said.", 20,
     "Israeli military"),
    ("A roadside bomb planted by the NPA wounded six soldiers in Samar.", 6, "NPA"),
])
def test_agent_of_the_act(extractor, text, value, actor):
    assert actor_of(extractor, text, value) == actor


@pytest.mark.parametrize("text, value, actor", [
    # a nationality the lexicon does not list, read as one by the recogniser
    ("Mauritanian soldiers killed four smugglers near the border on Monday.", 4,
     "Mauritanian forces"),
])
def test_nationality_beyond_the_lexicon(extractor, text, value, actor):
    assert actor_of(extractor, text, value) == actor


@pytest.mark.parametrize("text, value, actor", [
    ("A roadside bomb killed six police officers in Kandahar on Monday. The Taliban "
     "claimed responsibility for the blast.", 6, "Taliban"),
    ("Assailants attacked a checkpoint in Faryab, killing three police officers. No one "
     "claimed responsibility; however, police attributed the ambush to the Taliban.", 3,
     "Taliban"),
    ("A bomb exploded at a bus stop in Mogadishu, killing five people. The attack was "
     "blamed on al-Shabab.", 5, "al-Shabab"),
    # a group the lexicon does not know, by the name the claim gives it
    ("A car bomb killed nine people outside the stadium. The Mountain Lions Front claimed "
     "responsibility for the bombing.", 9, "Mountain Lions Front"),
])
def test_claims_of_responsibility(extractor, text, value, actor):
    assert actor_of(extractor, text, value) == actor


@pytest.mark.parametrize("text, value", [
    # unnamed attackers, named nowhere as a group
    ("Gunmen killed five traders at a market in Zamfara, police said.", 5),
    ("Boko Haram has been active in the region for years. On Friday unidentified gunmen "
     "killed five traders at a market.", 5),
    # a claim of responsibility that names no one
    ("A blast killed four people at a bus station. No group claimed the attack.", 4),
    # "most attacks are attributed to X" is no single attack's doer
    ("A bomb killed seven people at a market on Friday. Most attacks in the region are "
     "attributed to Ansarul Islam.", 7),
    # a suicide bombing is not the act of the state the article quotes
    ("The Pakistani army said it killed 20 militants last week. On Friday a suicide "
     "bombing at a market killed 31 people.", 31),
])
def test_no_one_named(extractor, text, value):
    assert actor_of(extractor, text, value) is None


@pytest.mark.parametrize("text, value, actor", [
    # the victims' nationality is not the agent: the other side the article names
    ("Fighting between Armenian and Azerbaijani troops flared on the border. Four Armenian "
     "soldiers were killed, the ministry in Yerevan said.", 4, "Azerbaijani forces"),
    ("Ukrainian units lost 40 soldiers near Bakhmut, the ministry in Moscow said, as "
     "Russian forces pressed their attack.", 40, "Russian forces"),
    # a group's own fighters: by the state the text shows acting against it, not the forces
    # of the group's home country
    ("An Israeli strike killed eight people in Rafah on Tuesday. Hamas said 20 of its "
     "fighters had been killed since January.", 20, "Israeli military"),
    # the group the victims belong to is not the doer: the state fighting it
    ("The Taliban attacked a district centre in Ghazni. Afghan officials said 26 Taliban "
     "fighters were killed in the clashes.", 26, "Afghan forces"),
])
def test_victims_side_is_not_the_doer(extractor, text, value, actor):
    assert actor_of(extractor, text, value) == actor


@pytest.mark.parametrize("text, value, actor", [
    # the same event told on: "the strike" is the strike named before
    ("An Israeli strike hit a school in Gaza City on Monday, killing 12 people. Rescuers "
     "said another 30 were wounded in the strike.", 30, "Israeli military"),
    # air power: a strike in an article about a rebel group is the state's
    ("The Arakan Army controls much of the township. At least 11 people were killed when "
     "an air strike hit a village there on Friday, residents said.", 11, "Myanmar military"),
])
def test_the_event_the_text_ties_it_to(extractor, text, value, actor):
    assert actor_of(extractor, text, value) == actor


@pytest.mark.parametrize("text, value, actor", [
    # the act the casualty clause is timed by, and the act that took the victims
    ("Three soldiers were killed when Boko Haram fighters stormed their base at dawn.", 3,
     "Boko Haram"),
    ("Four engineers kidnapped by the ELN in March were released on Friday.", 4, "ELN"),
    # an army unit, a force named after its state
    ("Philippine troops stepped up operations in the south. The 32nd Infantry Battalion "
     "killed six rebels in a clash on Monday.", 6, "Philippine army"),
    ("Kenya Defence Forces killed 12 militants in a raid near the border, officials said.",
     12, "Kenyan forces"),
    # the Pakistani Taliban is its own movement (scored as "Taliban" too)
    ("The TTP claimed the bombing, which killed nine police officers in Peshawar.", 9,
     "Pakistani Taliban"),
    # attribution in the present tense; two groups claiming at once
    ("Police attribute the bombing, which killed eight people, to Boko Haram.", 8,
     "Boko Haram"),
    ("The Taliban and the Haqqani network both claimed responsibility for the raid, which "
     "killed 14 soldiers.", 14, "Taliban"),
    # "our men": the side of who says it, so the doer is the other side
    ("Afghan forces said they pushed the Taliban out of the district. \"Only one of our "
     "men was killed,\" the group's spokesman said.", 1, "Afghan forces"),
    # a group saying it did it; a blame with nothing after the name
    ("Islamic State said it carried out the attack that killed 12 soldiers near Tikrit.", 12,
     "Islamic State"),
    ("Unidentified gunmen killed three police officers in Quetta on Monday. Police blamed "
     "the Pakistani Taliban.", 3, "Pakistani Taliban"),
    # a name the parser splits ("al - Shabab"), a force named by its owner
    ("Gunmen believed to be from al-Shabab killed five teachers near the border.", 5,
     "al-Shabab"),
    ("The junta's air force bombed a village in Sagaing, killing 30 people, residents said.",
     30, "Myanmar military"),
    # a claim for a tally over years ties that tally, not the day's attack
    ("A bomb killed seven people on Friday. Ansarul Islam is believed to be responsible "
     "for more than 300 deaths since 2019.", 300, "Ansarul Islam"),
])
def test_more_constructions(extractor, text, value, actor):
    assert actor_of(extractor, text, value) == actor


@pytest.mark.parametrize("text, value", [
    ("A bomb killed seven people on Friday. Ansarul Islam is believed to be responsible "
     "for more than 300 deaths since 2019.", 7),
    ("Al-Shabab fighters attacked a base last week. On Sunday a bomb killed six people at "
     "a market. It remains unclear who was responsible.", 6),
    # who told the toll did not cause it
    ("\"Four rangers are dead,\" a police sergeant told reporters on Monday, updating the "
     "death toll from three.", 3),
    # another event than the one told before
    ("The Taliban killed five soldiers in Kunduz on Monday. In a separate incident, three "
     "civilians were killed when a bomb exploded in Kabul.", 3),
    # the army that killed fighters is not the doer of a market bombing
    ("The army said it killed 30 al-Shabab fighters in an operation. Separately, a bomb "
     "killed four civilians at a market.", 4),
    # in a text about jihadist attacks, another state is not the doer unless named acting
    ("Jihadist attacks on two Malian army camps killed 25 soldiers, the ministry said. "
     "French troops are based in the region.", 25),
])
def test_more_restraint(extractor, text, value):
    assert actor_of(extractor, text, value) is None
