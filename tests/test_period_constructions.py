"""Text -> the period of each figure, read by the whole extractor (sentences are ours)."""
from __future__ import annotations

from datetime import date

import pytest

from tally.documents.model import Document

DAY = date(2022, 3, 12)  # a Saturday


def periods(extractor, text: str, day: date | None = DAY) -> dict[tuple[str, int | None], tuple]:
    out = {}
    for c in extractor.extract_one(Document(id="t", text=text, date=day)):
        out[(c.metric, c.value.low)] = (c.period.start, c.period.end)
    return out


@pytest.mark.parametrize("text, key, start, end", [
    # the time that modifies the figure's own clause wins over one in another clause
    ("In January, rebels stormed a prison, while in February a car bomb killed 41 people.",
     ("killed", 41), "2022-02-01", "2022-02-28"),
    ("There were 4 deaths on Friday and 6 on Thursday: in all, 230 people have died since the "
     "fighting began on February 2.", ("killed", 230), "2022-02-02", "2022-03-12"),
    # a dateline's date and the day of a statement are not the time of the figure
    ("LAGOS, March 12 (Wire) - Bandits killed 33 villagers over the past week, police said.",
     ("killed", 33), "2022-03-05", "2022-03-11"),
    ("The ministry said on Friday, March 11, that 52 civilians were killed in the past month.",
     ("killed", 52), "2022-02-09", "2022-03-10"),
    # expressions of their own
    ("Nearly 700 people were killed over the first two months of this year.",
     ("killed", 700), "2022-01-01", "2022-02-28"),
    ("More than 60 have been killed since the clashes erupted two weeks ago.",
     ("killed", 60), "2022-02-26", "2022-03-12"),
    ("Last August, the group kidnapped 19 engineers.", ("kidnapped", 19), "2021-08-01",
     "2021-08-31"),
])
def test_period_of_the_figure(extractor, text, key, start, end):
    assert periods(extractor, text)[key] == (start, end)


def test_each_figure_has_the_day_of_its_own_clause(extractor):
    text = ("On Wednesday a soldier was killed at a checkpoint, while a shopkeeper was shot dead "
            "in the market the previous day.")
    got = [c.period.start for c in extractor.extract_one(Document(id="t", text=text, date=DAY))]
    assert got == ["2022-03-09", "2022-03-08"]


def test_the_period_in_question_carries_the_earlier_span(extractor):
    text = ("The ministry published its report on the first three months of this year. "
            "The period in question proved the bloodiest yet, as 900 soldiers were killed.")
    assert periods(extractor, text)[("killed", 900)] == ("2022-01-01", "2022-03-31")


def test_an_event_takes_a_day_named_nearby_not_a_span(extractor):
    text = ("Air strikes killed 14 villagers, residents said. "
            "The war has raged since a coup in 2019. "
            "The jets struck the village on Thursday morning.")
    assert periods(extractor, text)[("killed", 14)] == ("2022-03-10", "2022-03-10")


def test_a_separate_event_does_not_lend_its_day(extractor):
    text = ("Four guards were killed when a bomb hit their truck. "
            "On Wednesday another guard was shot dead at a market. "
            "The bomb had gone off on Tuesday evening, officials said.")
    got = [(c.value.low, c.period.start) for c in
           extractor.extract_one(Document(id="t", text=text, date=DAY))]
    assert got == [(4, "2022-03-08"), (1, "2022-03-09")]


def test_a_later_sentence_that_dates_the_same_event_still_wins(extractor):
    text = ("Four guards were killed when a bomb hit their truck, officials said Thursday. "
            "The bomb went off on Wednesday evening, they said.")
    assert periods(extractor, text)[("killed", 4)] == ("2022-03-09", "2022-03-09")


def test_undated_list_of_months_shares_the_year_written_once(extractor):
    text = "The monitors counted 510 deaths in June 2019, 320 deaths in July and 95 in August."
    got = periods(extractor, text, day=None)
    assert got[("killed", 320)] == ("2019-07-01", "2019-07-31")


@pytest.mark.parametrize("sentence, separate", [
    ("On Wednesday another guard was shot dead at a market.", True),
    ("In a separate attack, two farmers were wounded.", True),
    ("Elsewhere, a police post came under fire.", True),
    ("Separately, a grocer was stabbed in the port.", True),
    # another report of the same, and more of the same count
    ("The clinic separately reported that 40 people were hurt.", False),
    ("Five were killed and another 12 were wounded.", False),
    ("At least another hundred people are missing.", False),
])
def test_what_tells_a_separate_event(sentence, separate):
    from tally.nlp.kinds import SEPARATE_EVENT

    assert bool(SEPARATE_EVENT.search(sentence)) is separate


def test_a_span_of_two_days_named_by_weekdays(extractor):
    text = "Monitors said jets carried out 150 airstrikes between mid-Wednesday and mid-Thursday."
    assert periods(extractor, text)[("attacks", 150)] == ("2022-03-09", "2022-03-10")


def test_the_day_of_a_statement_noun_is_not_the_event_day(extractor):
    text = ("Six soldiers were killed in clashes at the border, the ministry said. "
            "The ministry said in a Friday statement that the clashes took place on March 9.")
    assert periods(extractor, text)[("killed", 6)] == ("2022-03-09", "2022-03-09")
