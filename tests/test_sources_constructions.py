"""Who said it, construction by construction: speaker, organisation, side, channel and
attribution of a figure. The sentences are ours; each row names the construction."""
from __future__ import annotations

import pytest

from tally.documents.model import Document


def claims_of(extractor, text: str):
    return list(extractor.extract_one(Document(id="t", text=text)))


def first(extractor, text: str, low: int):
    cs = [c for c in claims_of(extractor, text) if c.value.low == low]
    assert cs, [(c.metric, c.value.low) for c in claims_of(extractor, text)]
    return cs[0]


def same_words(a: str | None, b: str | None) -> bool:
    return (a or "").lower().split() == (b or "").lower().split()


# A body named by the recogniser or by its head word is an organisation, never a speaker;
# its name is kept as written and its words give its side.
@pytest.mark.parametrize("text, low, org, side", [
    # an observatory with its "for ..." name
    ("The Geneva-based Sahel Observatory for Civilian Protection said 41 villagers were "
     "killed on Monday.", 41, "Sahel Observatory for Civilian Protection", "independent"),
    # a state agency the lexicon does not know: "Headquarters"
    ("The Defence Headquarters said on Sunday that 62 hostages were rescued.", 62,
     "Defence Headquarters", "government"),
    # a lone acronym is a body
    ("The KDP added that 17 others had been wounded.", 17, "KDP", "unknown"),
    # a news outlet in its own voice
    ("Radio Horizon Internationale reported that 23 soldiers were killed in the ambush.", 23,
     "Radio Horizon Internationale", "media"),
    # a capital speaking is its government
    ("At least eight soldiers have been killed in clashes on the border, Tbilisi says.", 8,
     "Tbilisi", "government"),
    # a minister speaks for the ministry
    ("Kenya's Health Minister, Wanjiru Kamau, said 28 people had died.", 28,
     "Kenya's Health Ministry", "government"),
])
def test_body_is_not_a_speaker(extractor, text, low, org, side):
    c = first(extractor, text, low)
    assert c.source.speaker is None or org == "Kenya's Health Ministry"
    assert same_words(c.source.org, org), c.source
    assert c.source.side == side


@pytest.mark.parametrize("text, low, speaker", [
    # ranks and titles are not names
    ("Lt. Col. Ruben Salcedo, commander of the 4th Infantry Battalion, said 14 rebels were "
     "killed.", 14, "Ruben Salcedo"),
    ("Army spokesman Colonel Jean Mbarga said on Monday that three soldiers died.", 3,
     "Jean Mbarga"),
    # a person named inside the subject phrase, after its role
    ("Eleven people were killed in the strike, the head of the district health office "
     "Dr Karim al-Hassan said.", 11, "Karim al-Hassan"),
])
def test_speaker_without_titles(extractor, text, low, speaker):
    assert first(extractor, text, low).source.speaker == speaker


@pytest.mark.parametrize("text, low", [
    # a phrase that is not a body is never an organisation
    ('"The reports we are receiving show that nine people died," the mayor said.', 9),
    ("The document notes that 15 civilians were killed in the shelling.", 15),
])
def test_no_false_organisation(extractor, text, low):
    org = first(extractor, text, low).source.org
    assert org is None or org.lower() not in ("reports we are receiving", "document")


# Whose document it is: "a report by X", "data gathered by X", "the X's figures",
# "according to <nationality> tallies".
@pytest.mark.parametrize("text, low, org, side", [
    ("An earlier report by the Interior Ministry on Sunday cited 212 deaths.", 212,
     "Interior Ministry", "government"),
    ("Figures compiled by the Kivu Security Tracker show that 48 civilians were killed in "
     "March.", 48, "Kivu Security Tracker", None),
    ("The assault left 300 people dead, according to Israeli tallies.", 300,
     "Israeli government", "government"),
    ("The Geneva-based Sahel Observatory for Civilian Protection gave a figure of 64 deaths.", 64,
     "Sahel Observatory for Civilian Protection", "independent"),
])
def test_document_owner(extractor, text, low, org, side):
    c = first(extractor, text, low)
    assert same_words(c.source.org, org), c.source
    if side:
        assert c.source.side == side
    assert c.attribution == "indirect"


# A passive report names no reporter: the figure belongs to the account just given.
def test_passive_report_continues_the_speaker(extractor):
    text = ("Governor Oleh Marchenko said on Telegram that four civilians were killed in "
            "Kostiantynivka on Monday.\n\nFive more deaths were reported from the village of "
            "Bila Hora after the shelling.")
    c = first(extractor, text, 5)
    assert c.source.speaker == "Oleh Marchenko"
    assert c.source.side == "government"


# A first person inside a quotation is the quote's speaker, not a new source.
def test_first_person_in_quote(extractor):
    text = ('The provincial police chief, Rahim Wardak, spoke to reporters.\n\n'
            '"Our men have so far counted 44 bodies," Wardak said.')
    assert first(extractor, text, 44).source.speaker == "Rahim Wardak"


# `via` from the construction: the outlet a statement is made to or on, as written when the
# lexicon does not know it; the document's own publisher is never `via`.
@pytest.mark.parametrize("text, low, via", [
    ("A police commander, speaking to the Daily Courier newspaper, said 16 officers died.", 16,
     "Daily Courier newspaper"),
    ("Talking to Radio Kivu Libre, the mayor said 27 people were abducted.", 27,
     "Radio Kivu Libre"),
    ("The army spokesman told Reuters that 31 insurgents were killed.", 31, "Reuters"),
    ("The governor said on Telegram that nine civilians were killed.", 9, "Telegram"),
    ("Nine soldiers were killed, according to Sputnik.", 9, "Sputnik"),
])
def test_via_from_construction(extractor, text, low, via):
    assert first(extractor, text, low).source.via == via


def test_via_goes_on_with_the_speaker(extractor):
    text = ("Earlier, a police official told Reuters on condition of anonymity that the blast "
            "hit a checkpoint.\n\n\"At least four officers were killed,\" he said.")
    c = first(extractor, text, 4)
    assert (c.source.org, c.source.side, c.source.via) == ("police", "government", "Reuters")


def test_told_reporters_is_no_channel(extractor):
    c = first(extractor, "The mayor told reporters that 12 people were killed.", 12)
    assert c.source.via is None


# An unnamed speaker named later, or the one spokesman the article names for the body.
@pytest.mark.parametrize("text, low, speaker", [
    ("Gunmen freed 45 hostages on Sunday, a provincial official said.\n\n"
     "Rashid Gul, a provincial official, said talks had gone on for a week.", 45, "Rashid Gul"),
    ("Insurgents killed 52 civilians last month, according to the Ministry of Interior.\n\n"
     "Interior ministry spokesman Nasir Hamdard said the attacks had grown.", 52, "Nasir Hamdard"),
    ("Nasir Hamdard, a spokesman for the interior ministry, spoke on Monday.\n\n"
     "Police killed 19 insurgents, the ministry spokesman said.", 19, "Nasir Hamdard"),
])
def test_unnamed_speaker_named(extractor, text, low, speaker):
    assert first(extractor, text, low).source.speaker == speaker


@pytest.mark.parametrize("text, low, org, side", [
    # a body of one the lexicon knows keeps its own name
    ("At least 3,100 people were killed last year, the United Nations refugee office said.",
     3100, "United Nations refugee office", "international"),
    # a state's ministry keeps its state
    ("Armenia's Defense Ministry said that three soldiers were killed.", 3,
     "Armenia's Defense Ministry", "government"),
    # the one closing a sentence whose subject the parser loses
    ("More than 40 people remain missing after the flooding of the camp, the head of the "
     "Somali Red Crescent said on Monday.", 40, "Somali Red Crescent", "independent"),
    # state media of the article's own country speak for its government
    ("Myanmar's junta fought the rebels in Sagaing. State media said 25 rebels were killed.",
     25, "state media", "government"),
])
def test_body_named_as_written(extractor, text, low, org, side):
    c = first(extractor, text, low)
    assert same_words(c.source.org, org), c.source
    assert c.source.side == side


def test_it_said_after_an_unparsed_statement(extractor):
    text = ("The rebels denied the report.\n\n"
            "\"The victims were shot at close range,\" the UN said in a statement on Friday.\n\n"
            "It said that 41 men and 12 women were killed.")
    c = first(extractor, text, 41)
    assert (c.source.org, c.source.side) == ("United Nations", "international")


@pytest.mark.parametrize("text, low, attribution", [
    # a quoted fragment inside a report is the reporter's paraphrase
    ('An army officer said "about 40" soldiers had been killed in the raid.', 40, "indirect"),
    ('"At least 40 soldiers were killed in the raid," an army officer said.', 40,
     "direct_quote"),
    # attributed, but to no one named
    ("The war has killed more than 90,000 people by some counts.", 90000, "indirect"),
    # an acknowledged act is the group's own report
    ("The rebels acknowledged in a statement the abduction of six engineers.", 6, "indirect"),
])
def test_attribution_kind(extractor, text, low, attribution):
    assert first(extractor, text, low).attribution == attribution


def test_name_before_of_body(extractor):
    c = first(extractor, '"Six guards are dead," Corporal Anan Sukjai of Yala police told AFP.', 6)
    assert (c.source.speaker, c.source.org, c.source.via) == ("Anan Sukjai", "Yala police", "AFP")


def test_she_said_is_the_person_introduced(extractor):
    text = ("The school's principal, Hauwa Bello, met the parents on Monday.\n\n"
            "She said 23 pupils had been abducted from the school.")
    assert first(extractor, text, 23).source.speaker == "Hauwa Bello"


def test_via_named_in_the_next_sentence(extractor):
    text = ("Governor Musa Danjuma of Bauchi State has said 45 villagers were abducted. "
            "Danjuma spoke on Channels Television on Sunday.")
    c = first(extractor, text, 45)
    assert (c.source.speaker, c.source.via) == ("Musa Danjuma", "Channels Television")


@pytest.mark.parametrize("text, low, org", [
    # an acronym stands for the capitalised words with its initials written before
    ("The Regional Monitoring Network counted 40 dead on Sunday.\n\n"
     "The RMN reported 12 more deaths on Monday.", 12, "Regional Monitoring Network"),
    # officials of a known body speak for it
    ("Gunmen killed five peacekeepers in the province, UN officials said.", 5, "United Nations"),
])
def test_body_behind_short_names(extractor, text, low, org):
    assert first(extractor, text, low).source.org == org


def test_via_reported_by(extractor):
    c = first(extractor, "Some 2,300 casualties were recorded in the north, as reported by "
                         "Sputnik.", 2300)
    assert c.source.via == "Sputnik"


def test_quote_of_an_unnamed_person_is_direct(extractor):
    c = first(extractor, '"Twenty-six people died in the fire," said the woman, who said she '
                         'ran from the market.', 26)
    assert c.attribution == "direct_quote"


@pytest.mark.parametrize("text, low, speaker, org, side", [
    # a role written before the name, the name ending at its verb
    ("Deputy Commissioner of Police, Emeka Obi said 31 bodies were counted in the village.",
     31, "Emeka Obi", "Police", "government"),
    # a body named before the role, spelled out where the article writes it in full
    ("The Special Response Brigade raided the farm at dawn.\n\n"
     '"We found 14 bodies in the barn," said SRB spokesman Captain Tomas Berg.', 14,
     "Tomas Berg", "Special Response Brigade", "government"),
    # the head of a republic speaks for its government
    ("Nine officers were killed in the raid, the head of the republic Ivan Sorokin said.", 9,
     "Ivan Sorokin", None, "government"),
])
def test_role_tells_the_body(extractor, text, low, speaker, org, side):
    c = first(extractor, text, low)
    assert c.source.speaker == speaker
    assert same_words(c.source.org, org), c.source
    assert c.source.side == side


@pytest.mark.parametrize("text, low, side", [
    ("The International Committee of the Red Cross said 12 detainees were released.", 12,
     "international"),
    ("The Kenyan Red Cross said 17 people were still missing.", 17, "independent"),
])
def test_red_cross_committee_and_society(extractor, text, low, side):
    assert first(extractor, text, low).source.side == side


def test_the_group_the_text_just_named(extractor):
    text = ("M23 rebels besieged the town for a month.\n\nThe Ituri Doctors Association, a "
            "group of volunteer physicians, said 300 people died in the town. The group "
            "estimated that 4,100 people had died there since the siege began.")
    c = first(extractor, text, 4100)
    assert (c.source.org, c.source.side) == ("Ituri Doctors Association", "independent")


@pytest.mark.parametrize("text, low, attribution", [
    # the hedge belongs to the figure beside it, not to one a dash sets apart
    ("The uprising has killed tens of thousands of villagers – over 150,000 by some counts – "
     "since it started.", 20000, "unattributed"),
    # a subject that only mentions a body is not that body speaking
    ("The Interior Ministry said 40 police officers had died in the province.\n\n"
     "The war between the army and the Interior Ministry's rivals has killed 9,000 people.",
     9000, "unattributed"),
    # "reports" misread as a verb with a clause of its own reports nothing before it
    ("At least 35 people were killed in the raid. Army reports on how many gunmen died "
     "have since changed twice.", 35, "unattributed"),
])
def test_no_source_where_none_speaks(extractor, text, low, attribution):
    c = first(extractor, text, low)
    assert c.attribution == attribution
    assert c.source.side == "media"


def test_known_body_in_the_articles_spelling(extractor):
    c = first(extractor, "Forty soldiers died in the raid, the defence minister said.",
              40)
    assert same_words(c.source.org, "defence ministry"), c.source


def test_passive_report_keeps_its_channel(extractor):
    text = ("The Defense Ministry said 40 soldiers were killed last week.\n\n"
            "The highest number of wounded, 210, was reported in the north, as reported by "
            "Interfax.")
    c = first(extractor, text, 210)
    assert c.source.via == "Interfax"


def test_a_named_officer_of_a_body_spoken_of_before(extractor):
    text = ("Police said the convoy was heading north.\n\n"
            '"Seven guards are dead," Corporal Anan Sukjai of Yala police told AFP.')
    c = first(extractor, text, 7)
    assert (c.source.speaker, c.source.org) == ("Anan Sukjai", "Yala police")


def test_a_role_named_in_the_next_sentence(extractor):
    text = ("Rebels have killed 27 soldiers this week, the interior minister said on Friday.\n\n"
            '"We buried 27 of our men today," Halima Osei said on state radio.\n\n'
            "The minister said 11 more soldiers were missing.")
    cs = claims_of(extractor, text)
    assert {c.source.speaker for c in cs} == {"Halima Osei"}, [c.source for c in cs]
    assert all(same_words(c.source.org, "interior ministry") for c in cs)


def test_the_role_named_before(extractor):
    text = ("Ghana's Interior Minister, Kofi Mensah, spoke on Monday.\n\n"
            "At a briefing, the minister said 14 officers had been wounded.")
    assert first(extractor, text, 14).source.speaker == "Kofi Mensah"


def test_he_after_a_spokesman_who_said(extractor):
    text = ("The mayor disputed Colonel Amos Tanko, the army spokesman, who said on Monday that "
            "the town was calm.\n\nHe also said troops had captured 3 of the gunmen.")
    c = first(extractor, text, 3)
    assert (c.source.speaker, c.source.side) == ("Amos Tanko", "government")


def test_one_spelling_of_a_known_body_per_document(extractor):
    text = ("The Ministry of Interior Affairs said 30 policemen died in the attacks.\n\n"
            "Later, the Interior Affairs Ministry said that 12 civilians were killed.")
    orgs = {c.source.org for c in claims_of(extractor, text)}
    assert orgs == {"Ministry of Interior Affairs"}


def test_state_media_named_by_the_outlet_beside_it(extractor):
    text = ("Myanmar's army shelled the town on Friday. State media said 40 rebels were killed, "
            "with MRTV saying troops had suffered no losses.")
    c = first(extractor, text, 40)
    assert (c.source.org, c.source.side) == ("MRTV", "government")


def test_named_channel_on_a_platform(extractor):
    c = first(extractor, "According to the Baza Telegram channel, 23 people were killed.", 23)
    assert (c.source.org, c.source.side, c.source.via) == ("Baza", "media", "Telegram")


def test_paragraph_goes_on_with_the_account(extractor):
    text = ("According to the regional health office, the toll rose to 31 on Monday. "
            "More than 70 people were injured in the blasts.\n\n"
            "Two more bombs were found near the market.")
    c = first(extractor, text, 70)
    assert (c.source.org, c.attribution) == ("regional health office", "indirect")


def test_it_is_no_plural_source(extractor):
    text = ("The army said 12 soldiers died, with local sources telling AFP that 30 villagers "
            "were killed.\n\n\"The fighting was fierce,\" it added, giving a toll of 14 "
            "wounded soldiers.")
    c = first(extractor, text, 14)
    assert c.source.org == "army", c.source


def test_according_to_x_estimating_that(extractor):
    text = ("The army said 12 soldiers died.\n\nAccording to a witness, \"it was terrible\", "
            "estimating that 40 villagers were killed.")
    c = first(extractor, text, 40)
    assert (c.source.org, c.source.side) == ("witness", "independent"), c.source


def test_one_officer_named_after_his_quote(extractor):
    text = ("One army officer confirmed that 8 soldiers died in the ambush. \"Eight of our men "
            "are dead,\" said Joseph Kamara, a senior army officer in the capital.")
    c = first(extractor, text, 8)
    assert (c.source.speaker, c.source.org) == ("Joseph Kamara", "army"), c.source


def test_same_figure_told_again_is_one_statement(extractor):
    text = ("Governor Ivan Petrenko said four civilians were killed in the shelling of Izium.\n\n"
            "Taking to Telegram, Governor Ivan Petrenko wrote about the attack. He said four civilians "
            "were killed in the shelling of Izium.")
    cs = [c for c in claims_of(extractor, text) if c.value.low == 4]
    assert len(cs) == 2 and {c.source.via for c in cs} == {"Telegram"}, [c.source for c in cs]


@pytest.mark.parametrize("text, low, org", [
    # a document subject with a verb that reports nothing is its author's
    ("The Kivu Monitoring Group said on Monday that 900 people had died this year.\n\n"
     "The figures include at least 85 people killed in one attack in March.", 85,
     "Kivu Monitoring Group"),
    # an acronym the text spelled out owns its report
    ("The Sahel Human Rights Commission (SHRC) visited the town.\n\n"
     "The SHRC's report described the killing of at least 60 civilians.", 60,
     "Sahel Human Rights Commission"),
    # "X's report of 39 missing": the owner, not what the report counts
    ("The Red Crescent's report of 27 missing people contradicts the army.", 27,
     "Red Crescent"),
])
def test_document_speaks_for_its_author(extractor, text, low, org):
    c = first(extractor, text, low)
    assert c.source.org == org, c.source
    assert c.attribution == "indirect"


def test_the_statement_of_a_body_that_spoke_before(extractor):
    text = ("The public prosecutor's office says its findings come from witnesses.\n\n"
            "Another 12 civilians were killed in shelling, the statement says.")
    c = first(extractor, text, 12)
    assert (c.source.org, c.source.side) == ("public prosecutor's office", "government")


@pytest.mark.parametrize("text, low, org, side", [
    # a proper name whose words tell its side keeps its name, whatever its apposition says
    ("The Civil Defence, rescuers who work under the city council, said 22 people died.", 22,
     "Civil Defence", "government"),
    # where the authorities sit is part of their name
    ("Authorities in Bamako said more than 60 people were killed.", 60, "Authorities in Bamako",
     "government"),
    # a statement's "it" is its author
    ("The Interior Ministry issued a statement in which it said 17 officers had died.", 17,
     "Interior Ministry", "government"),
])
def test_body_kept_whole(extractor, text, low, org, side):
    c = first(extractor, text, low)
    assert (c.source.org, c.source.side) == (org, side), c.source


def test_the_man_introduced_before(extractor):
    text = ("Two residents - a man and a woman, both shopkeepers - spoke to Reuters by phone "
            "on Sunday.\n\n"
            "\"Twenty-three people died in the fire,\" said the man, who lives near the market.\n\n"
            "He and the woman told Reuters that 40 people were injured.")
    one, both = first(extractor, text, 23), first(extractor, text, 40)
    assert (one.source.org, one.source.via) == ("resident", "Reuters"), one.source
    assert (both.source.org, both.source.side) == ("residents", "independent"), both.source


def test_presidential_spokesman_speaks_for_the_presidency(extractor):
    text = ("Twelve soldiers were killed in the raid, presidential spokesman Idriss Saleh said "
            "in a statement.")
    c = first(extractor, text, 12)
    assert (c.source.speaker, c.source.org, c.source.side) == ("Idriss Saleh", "presidency",
                                                               "government")


def test_unnamed_official_named_as_head_of_a_body(extractor):
    text = ("The rebels denied the attack, after a health official said 14 people were killed.\n\n"
            "Five women were among the dead, the director of the provincial health office "
            "Dr Samir Haddad said.")
    c = first(extractor, text, 14)
    assert c.source.speaker == "Samir Haddad", c.source
    assert same_words(c.source.org, "provincial health office"), c.source


def test_short_name_of_a_body_named_in_full(extractor):
    text = ("The rebels freed two engineers, the International Committee of the Red Cross said "
            "on Monday.\n\nThe Red Cross said it had helped free 11 hostages this year.")
    c = first(extractor, text, 11)
    assert (c.source.org, c.source.side) == ("International Committee of the Red Cross",
                                             "international")


def test_role_words_and_places_leave_the_body(extractor):
    text = ("Ali Karimi, the deputy to inspector general of Herat police, said 9 officers were "
            "wounded.")
    assert first(extractor, text, 9).source.org == "Herat police"


@pytest.mark.parametrize("text, low, speaker, org, side", [
    # people of a place speak for themselves, not for the place
    ("A resident of Kafr Nabl said that 13 people had been killed.", 13, None, "resident",
     "independent"),
    # a fighter speaks for the armed side
    ("Eleven villagers died, according to Min Thu, an anti-junta fighter from the village.", 11,
     "Min Thu", None, "insurgent"),
])
def test_people_and_fighters(extractor, text, low, speaker, org, side):
    c = first(extractor, text, low)
    assert (c.source.speaker, c.source.side) == (speaker, side), c.source
    if org:
        assert c.source.org == org
