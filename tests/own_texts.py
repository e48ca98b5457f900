"""Short articles of our own for the parallel tests: several sentences each, so that what
a document carries from one sentence to the next (a speaker, a day, a place) is read in
the worker as it is in one process."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from tally.documents.model import Document

TEXTS = [
    "Gunmen killed 12 villagers in Borno State on Friday, police said.",
    "No figure here, only a quiet market day in Kano.",
    "The army said 7 soldiers were wounded when a roadside bomb hit their convoy.",
    "Rebels abducted 30 students from a school in Kaduna, a teacher said on Monday.",
    "Police arrested 15 suspects after the raid, a spokesman said.",
    "Fighting flared again near the river crossing on Tuesday. Nine soldiers were killed "
    "and 14 others were hurt in the clashes. \"We lost brave men,\" the defence minister "
    "said in a statement.",
    "A car bomb went off outside a crowded bakery in the capital on Sunday morning. At "
    "least 20 people died, the director of the city hospital told reporters. Officers "
    "later detained four men over the blast.",
    "The armed group freed 25 hostages late on Wednesday, according to a village elder. "
    "It still holds about 40 more, he added.",
    "Nothing of note happened at the harvest fair this year.",
    "Two aid workers were kidnapped on the road to Gao last week. Their employer said on "
    "Thursday that it had lost contact with the convoy. A third colleague was found "
    "unharmed.",
]


def own_documents(copies: int = 1) -> list[Document]:
    base = [Document(id=f"own{i}", text=t, date=date(2023, 5, 8), source="Our Desk")
            for i, t in enumerate(TEXTS)]
    return [replace(d, id=f"{d.id}-{k}") for k in range(copies) for d in base]
