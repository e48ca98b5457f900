"""Who is who: speakers and organisations resolved across documents.

Names are clustered with rapidfuzz. Thresholds (see tests/test_reconcile.py): person
names at ratio >= 85 on the folded full name when the surnames also agree at >= 80
("Tareq Arian" ~ "Tariq Arian" 91, "Khalilzad" ~ "Khalizad" 94; "Ahmad Shah" vs "Ahmad
Wali" 70 stays apart); organisations through the lexicon's aliases first, then
ratio >= 90 (token_set_ratio would join "Security Council" to "National Security Council").
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz

PERSON_RATIO = 85
SURNAME_RATIO = 80
ORG_RATIO = 90


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).lower().strip()


def same_person(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    la, lb = fa.split()[-1], fb.split()[-1]
    if fuzz.ratio(la, lb) < SURNAME_RATIO:
        return False
    # "Arian" alone against "Tareq Arian": a surname that matches is the same person
    if len(fa.split()) == 1 or len(fb.split()) == 1:
        return True
    return fuzz.ratio(fa, fb) >= PERSON_RATIO


class Names:
    """Canonical forms, first seen first: the first spelling names the cluster."""

    def __init__(self, org_aliases: dict[str, str] | None = None) -> None:
        self.people: list[str] = []
        self.orgs: list[str] = []
        self.org_aliases = {fold(k): v for k, v in (org_aliases or {}).items()}
        # (document, folded bare head) -> the one fuller name that document gives the body
        self.local_orgs: dict[tuple[str, str], str] = {}

    def org_of(self, claim: dict) -> str | None:
        """The organisation a claim's source speaks for, 'the ministry' read as the one
        ministry its document named in full."""
        org = (claim.get("source") or {}).get("org")
        if org:
            org = self.local_orgs.get((claim.get("doc") or "", fold(org)), org)
        return self.org(org)

    def person(self, name: str | None) -> str | None:
        if not name:
            return None
        for known in self.people:
            if same_person(known, name):
                # prefer the fuller spelling as the cluster's name
                if len(name.split()) > len(known.split()):
                    self.people[self.people.index(known)] = name
                    return name
                return known
        self.people.append(name)
        return name

    def org(self, name: str | None) -> str | None:
        if not name:
            return None
        alias = self.org_aliases.get(fold(name))
        if alias:
            name = alias
        for known in self.orgs:
            if fold(known) == fold(name) or fuzz.ratio(fold(known), fold(name)) >= ORG_RATIO:
                return known
        self.orgs.append(name)
        return name

    def clusters(self, names: Iterable[str]) -> dict[str, str]:
        return {n: self.person(n) or n for n in names}
