"""Who is who: speakers and organisations resolved across documents.

Names are clustered with rapidfuzz. Thresholds (see tests/test_reconcile.py): person
names at ratio >= 85 on the folded full name when the surnames also agree at >= 80
("Tareq Arian" ~ "Tariq Arian" 91, "Khalilzad" ~ "Khalizad" 94; "Ahmad Shah" vs "Ahmad
Wali" 70 stays apart); organisations through the lexicon's aliases first, then
ratio >= 90 (token_set_ratio would join "Security Council" to "National Security Council").

A name is looked up by blocking, never against every known name: a person only among
the known names whose surname is close enough (`same_person` needs that surname ratio),
an organisation only among the known ones rapidfuzz finds close enough, each checked
with the exact test in first-seen order. Answers are the ones a scan of every known
name gives (tests/reconcile_oracle.py keeps that scan; tests/test_blocking.py compares).
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

PERSON_RATIO = 85
SURNAME_RATIO = 80
ORG_RATIO = 90
# rapidfuzz's `process` only narrows the candidates; a point below each threshold keeps a
# score that rounds differently there from being lost before the exact test
_MARGIN = 1
# below this many names a plain loop is cheaper than a call into rapidfuzz's `process`
_SCAN_IN_C = 32


@lru_cache(maxsize=1 << 16)
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


def _surname(name: str) -> str | None:
    words = fold(name).split()
    return words[-1] if words else None


def _close(query: str, choices: list[str], cutoff: float) -> list[int]:
    """Positions in `choices` whose ratio to `query` may reach `cutoff`."""
    if len(choices) < _SCAN_IN_C:
        return [i for i, c in enumerate(choices) if fuzz.ratio(query, c) >= cutoff - _MARGIN]
    hits = process.extract(query, choices, scorer=fuzz.ratio, processor=None,
                           score_cutoff=cutoff - _MARGIN, limit=None)
    return [i for _, _, i in hits]


class Names:
    """Canonical forms, first seen first: the first spelling names the cluster."""

    def __init__(self, org_aliases: dict[str, str] | None = None) -> None:
        self.people: list[str] = []
        self.orgs: list[str] = []
        self.org_aliases = {fold(k): v for k, v in (org_aliases or {}).items()}
        # (document, folded bare head) -> the one fuller name that document gives the body
        self.local_orgs: dict[tuple[str, str], str] = {}
        # people: folded surname -> positions in `people` of the names that end in it;
        # every surname seen -> the surnames seen that may reach SURNAME_RATIO with it
        self._at_surname: dict[str, set[int]] = defaultdict(set)
        self._surnames: list[str] = []
        self._near: dict[str, set[str]] = {}
        self._blank_person = False  # a known name with no words: only a scan answers
        self._person_seen: dict[str, str] = {}  # answers while `people` stays as it is
        # organisations (only ever appended): folded name -> first position with that
        # fold; answers per name, which an appended name cannot change
        self._org_folds: list[str] = []
        self._org_first_fold: dict[str, int] = {}
        self._org_seen: dict[str, str] = {}

    def org_of(self, claim: dict) -> str | None:
        """The organisation a claim's source speaks for, 'the ministry' read as the one
        ministry its document named in full."""
        org = (claim.get("source") or {}).get("org")
        if org:
            org = self.local_orgs.get((claim.get("doc") or "", fold(org)), org)
        return self.org(org)

    # people ------------------------------------------------------------------------------

    def person(self, name: str | None) -> str | None:
        if not name:
            return None
        seen = self._person_seen.get(name)
        if seen is not None:
            return seen
        surname = _surname(name)
        if surname is None or self._blank_person:
            at = self._scan_people(name)
        else:
            at = self._first_person(name, surname)
        if at is None:
            self._set_person(len(self.people), name)
            return name
        known = self.people[at]
        # prefer the fuller spelling as the cluster's name
        if len(name.split()) > len(known.split()):
            self._set_person(at, name)
            return name
        self._person_seen[name] = known
        return known

    def _scan_people(self, name: str) -> int | None:
        return next((i for i, known in enumerate(self.people) if same_person(known, name)), None)

    def _first_person(self, name: str, surname: str) -> int | None:
        """The first known name `same_person` joins to `name`: only names whose surname
        is near enough can be it."""
        positions: set[int] = set()
        for near in self._near_surnames(surname):
            positions |= self._at_surname.get(near, set())
        return next((i for i in sorted(positions) if same_person(self.people[i], name)), None)

    def _near_surnames(self, surname: str) -> set[str]:
        near = self._near.get(surname)
        if near is None:
            near = {surname} | {self._surnames[i] for i in
                                _close(surname, self._surnames, SURNAME_RATIO)}
            for other in near:
                if other != surname:
                    self._near[other].add(surname)
            self._near[surname] = near
            self._surnames.append(surname)
        return near

    def _set_person(self, at: int, name: str) -> None:
        if at < len(self.people):
            old = _surname(self.people[at])
            if old is not None:
                self._at_surname[old].discard(at)
            self.people[at] = name
        else:
            self.people.append(name)
        surname = _surname(name)
        if surname is None:
            self._blank_person = True
        else:
            self._near_surnames(surname)
            self._at_surname[surname].add(at)
        self._person_seen.clear()

    # organisations -----------------------------------------------------------------------

    def org(self, name: str | None) -> str | None:
        if not name:
            return None
        seen = self._org_seen.get(name)
        if seen is not None:
            return seen
        given = name
        alias = self.org_aliases.get(fold(name))
        if alias:
            name = alias
        folded = fold(name)
        at = self._first_org(folded)
        if at is None:
            at = len(self.orgs)
            self.orgs.append(name)
            self._org_folds.append(folded)
            self._org_first_fold.setdefault(folded, at)
        self._org_seen[given] = self.orgs[at]
        return self.orgs[at]

    def _first_org(self, folded: str) -> int | None:
        same = self._org_first_fold.get(folded)
        near = [i for i in _close(folded, self._org_folds, ORG_RATIO)
                if fuzz.ratio(self._org_folds[i], folded) >= ORG_RATIO]
        return min([i for i in (same,) if i is not None] + near, default=None)

    def clusters(self, names: Iterable[str]) -> dict[str, str]:
        return {n: self.person(n) or n for n in names}
