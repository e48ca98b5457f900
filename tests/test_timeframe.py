"""Period expressions resolved against a reference day (documents written for the project)."""
from __future__ import annotations

from datetime import date

import pytest

from tally.nlp.timeframe import find_period, find_periods, is_carry, length_days, statement_day

REF = date(2020, 6, 22)  # a Monday


@pytest.mark.parametrize("sentence, text, start, end", [
    ("Rebels killed 30 people over the past week.", "the past week", "2020-06-15", "2020-06-21"),
    ("In the past one week, 222 attacks were carried out.", "the past one week", "2020-06-15",
     "2020-06-21"),
    ("Police arrested 40 people in the last two weeks.", "the last two weeks", "2020-06-08",
     "2020-06-21"),
    ("Over the past 50 days, 900 were killed.", "the past 50 days", "2020-05-03", "2020-06-21"),
    ("Two imams were killed this month.", "this month", "2020-06-01", "2020-06-22"),
    ("Nine were killed last month.", "last month", "2020-05-01", "2020-05-31"),
    ("Attacks have fallen since February.", "since February", "2020-02-01", "2020-06-22"),
    ("Violence dropped since the ceasefire on May 24.", "since the ceasefire on May 24",
     "2020-05-24", "2020-06-22"),
    ("On Friday, four people were killed.", "Friday", "2020-06-19", "2020-06-19"),
    ("A blast killed two yesterday.", "yesterday", "2020-06-21", "2020-06-21"),
    ("The post was attacked on Wednesday night.", "Wednesday night", "2020-06-17", "2020-06-17"),
    ("Gunmen struck between 3 and 5 March.", "between 3 and 5 March", "2020-03-03", "2020-03-05"),
    # two weekdays as a span: the later one the latest on or before the day
    ("Jets struck 90 times between mid-Saturday and mid-Sunday.",
     "between mid-Saturday and mid-Sunday", "2020-06-20", "2020-06-21"),
    ("The toll for these three years is high: 700 died in these three years.",
     "these three years", "2017-06-23", "2020-06-21"),
    # headline English without the article
    ("Rebels killed 180 people over past 27 days.", "past 27 days", "2020-05-26", "2020-06-21"),
    ("Last October, the group killed 14 guards.", "Last October", "2019-10-01", "2019-10-31"),
    ("Airstrikes killed 163 civilians in 2019.", "2019", "2019-01-01", "2019-12-31"),
    ("The count covers the first four months of this year.",
     "the first four months of this year", "2020-01-01", "2020-04-30"),
    ("109 soldiers have died since the uprising began a year ago.",
     "since the uprising began a year ago", "2019-06-23", "2020-06-22"),
    ("The toll is the worst since the fall of the old regime in 2003.",
     "since the fall of the old regime in 2003", "2003-01-01", "2020-06-22"),
    # the when-clause is in the month named, not since it
    ("It was the bloodiest day since March, when 30 died.", "since March", "2020-03-01",
     "2020-03-31"),
    ("The toll since the siege began in May 2019 is 900.", "since the siege began in May 2019",
     "2019-05-01", "2020-06-22"),
    ("Guerrillas shot two guards this morning.", "this morning", "2020-06-22", "2020-06-22"),
])
def test_resolved(sentence, text, start, end):
    p = find_period(sentence, REF)
    assert p is not None and p.text == text
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)


def test_undated_keeps_text():
    p = find_period("Over the past week, 40 were killed.", None)
    assert (p.text, p.start, p.end) == ("the past week", None, None)
    assert length_days(p.text) == 7


def test_statement_day_is_latest_weekday_on_or_before_document_date():
    assert statement_day("the ministry said on Sunday", date(2020, 6, 23)) == date(2020, 6, 21)
    assert statement_day("The ministry on Friday also charged that", date(2020, 6, 23)) == \
        date(2020, 6, 19)
    assert statement_day("the council said", date(2020, 6, 23)) is None
    assert statement_day("the ministry said on Sunday", None) is None


def test_statement_weekday_is_not_the_period():
    assert find_period("Nine soldiers were killed, the army said on Monday.", REF) is None


def test_sentences_without_time_words_are_skipped_fast():
    assert find_period("Gunmen killed 12 villagers near the market.", REF) is None


@pytest.mark.parametrize("sentence", [
    "The coalition said on Sunday, June 21, that nine people were killed.",
    "CAIRO, June 21 (Reuters) - Nine people were killed.",
    "Nine people were killed, the head of the Red Cross said yesterday.",
    "Nine people were killed, police told Reuters on Sunday.",
    "Nine people were killed, a commander told Xinhua.net on Sunday.",
    "Nine people were killed, officials said last week.",
    # the day names the statement itself
    "The ministry said in a Sunday statement that nine people were killed.",
    "At a Friday news conference the governor put the toll at nine.",
])
def test_statement_times_are_not_periods(sentence):
    assert find_periods(sentence, REF) == []


def test_times_relative_to_each_other():
    ps = find_periods("The monitors counted 300 deaths in March 2019, 250 in April and 190 "
                      "in May.", REF)
    assert [(p.text, p.start.isoformat()) for p in ps] == [
        ("March 2019", "2019-03-01"), ("April", "2019-04-01"), ("May", "2019-05-01")]
    ps = find_periods("On Friday a guard was killed, and a driver was shot the previous day.", REF)
    assert [p.start.isoformat() for p in ps] == ["2020-06-19", "2020-06-18"]


@pytest.mark.parametrize("sentence, text, start", [
    ("The bomb went off at about 8:30 a.m. near the gate.", "at about 8:30 a.m.", "2020-06-22"),
    ("The bomb went off at 9 a.m. on Saturday.", "Saturday", "2020-06-20"),
    ("KABUL [Wire], June 21 (AFP): Rebels killed 30 people over the past week.",
     "the past week", "2020-06-15"),
    ("The army on Sunday rejected reports that 30 soldiers died in the last two weeks.",
     "the last two weeks", "2020-06-08"),
])
def test_clock_dateline_and_rejection_days(sentence, text, start):
    p = find_period(sentence, REF)
    assert (p.text, p.start.isoformat()) == (text, start)


def test_the_period_in_question_is_a_carried_span():
    assert is_carry("The period in question proved the bloodiest, as 900 were killed.")
    assert not is_carry("The question was how 900 were killed.")


# Sentences in capitals, with curly quotes and dashes, and with a letter IGNORECASE folds
# to ASCII ('ſ'), beside those above: the patterns a sentence's words let through must find
# what all of them find.
GATED = [
    "SINCE THE SIEGE BEGAN IN MAY 2019, 900 HAVE DIED — THE MONITORS SAID ON MONDAY.",
    "“Over the past fortnight,” the envoy said, “forty were shot at 10 pm on Sept. 3.”",
    "In these two years the toll rose; the preceding day 4 died, and the day before, 3.",
    "The first six months of 2021 saw 80 attacks, up from last March and this Tuesday night.",
    "Fighters struck overnight on Friday and again at the weekend, ſince 12 June.",
    "Within three weeks, 19 were freed, yesterday and today and tonight included.",
]


@pytest.mark.parametrize("sentence", GATED + [
    "Rebels killed 30 people over the past week.", "Gunmen struck between 3 and 5 March.",
    "109 soldiers have died since the uprising began a year ago.",
    "The bomb went off at 9 a.m. on Saturday.",
    "KABUL [Wire], June 21 (AFP): Rebels killed 30 people over the past week."])
def test_patterns_let_through_by_words_find_what_all_find(sentence, monkeypatch):
    from tally.nlp import timeframe

    gated = find_periods(sentence, REF)
    monkeypatch.setattr(timeframe, "_patterns_for", lambda s: timeframe.PATTERNS)
    assert gated == find_periods(sentence, REF)
    assert gated  # every one names a time
