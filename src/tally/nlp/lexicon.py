"""Lexicons kept as YAML data files: what is counted, victims, actors, sources, reporting verbs.

Defaults ship in `data/`; a user file (setting `lexicon`, env TALLY_LEXICON) of the same
shape is merged over them, so a monitor can add the groups of its own conflict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from tally import settings
from tally.errors import TallyError

DATA = Path(__file__).parent / "data"
FILES = ("metrics", "victims", "reporting", "actors", "sources")


@dataclass(frozen=True)
class Actor:
    name: str
    side: str
    kind: str  # "group" or "state"
    country: str | None = None


@dataclass
class Lexicon:
    verb_metric: dict[str, str] = field(default_factory=dict)
    counted_noun: dict[str, str] = field(default_factory=dict)
    of_noun: dict[str, str] = field(default_factory=dict)
    predicate: dict[str, str] = field(default_factory=dict)
    not_counted: set[str] = field(default_factory=set)
    victim_group: dict[str, str] = field(default_factory=dict)
    single_people: set[str] = field(default_factory=set)  # "the victim", "his daughter"
    reporting_verbs: set[str] = field(default_factory=set)
    according_to: list[str] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)  # alias (lower) -> actor
    anaphors: set[str] = field(default_factory=set)
    state_force_words: set[str] = field(default_factory=set)
    governments: dict[str, Actor] = field(default_factory=dict)  # country -> "X government"
    orgs: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias -> (name, side)
    state_names: dict[str, str] = field(default_factory=dict)  # "afghan" -> "AF"
    outlets: dict[str, str] = field(default_factory=dict)  # lower -> as written
    outlet_owners: dict[str, str] = field(default_factory=dict)  # outlet -> group
    actor_pattern: re.Pattern[str] = re.compile("(?!)")
    org_pattern: re.Pattern[str] = re.compile("(?!)")
    outlet_pattern: re.Pattern[str] = re.compile("(?!)")

    def actor_in(self, text: str) -> Actor | None:
        """The first actor named in `text` (longest alias wins at a position)."""
        m = self.actor_pattern.search(text)
        return self.actors[m.group(0).lower()] if m else None

    def actors_in(self, text: str) -> list[Actor]:
        return [self.actors[m.group(0).lower()] for m in self.actor_pattern.finditer(text)]

    def org_in(self, text: str) -> tuple[str, str] | None:
        m = self.org_pattern.search(text)
        return self.orgs[m.group(0).lower()] if m else None

    def outlet_in(self, text: str) -> str | None:
        m = self.outlet_pattern.search(text)
        return self.outlets[m.group(0).lower()] if m else None


def _phrase_pattern(phrases: list[str], case_sensitive: bool = False) -> re.Pattern[str]:
    if not phrases:
        return re.compile("(?!)")
    alts = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})(?!\w)", 0 if case_sensitive else re.I)


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise TallyError(f"{path}: cannot read lexicon ({e})") from e
    if not isinstance(data, dict):
        raise TallyError(f"{path}: a lexicon file must be a mapping of sections")
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        elif isinstance(v, list) and isinstance(out.get(k), list):
            out[k] = out[k] + v
        else:
            out[k] = v
    return out


@lru_cache(maxsize=4)
def load(user_file: str | None = None) -> Lexicon:
    raw: dict[str, Any] = {}
    for name in FILES:
        raw = _merge(raw, _load_yaml(DATA / f"{name}.yaml"))
    user_file = user_file if user_file is not None else settings.get("lexicon")
    if user_file:
        raw = _merge(raw, _load_yaml(Path(user_file)))
    return build(raw)


def build(raw: dict[str, Any]) -> Lexicon:
    lex = Lexicon()
    for metric, words in raw["verbs"].items():
        for w in words:
            lex.verb_metric[w] = "killed" if metric == "died" else metric
    for section, target in (("counted_nouns", lex.counted_noun), ("of_nouns", lex.of_noun),
                            ("predicates", lex.predicate)):
        for metric, words in raw[section].items():
            for w in words:
                target[str(w)] = metric
    lex.not_counted = set(raw["not_counted"])
    for group in ("security_forces", "civilians", "militants", "officials", "prisoners",
                  "religious_figures", "aid_workers", "journalists"):
        for w in raw.get(group, []):
            lex.victim_group[str(w)] = group
    lex.single_people = set(raw.get("single_people", []))
    lex.reporting_verbs = set(raw["reporting_verbs"])
    lex.according_to = list(raw["according_to"])
    for name, spec in raw["groups"].items():
        actor = Actor(name=name, side=spec.get("side", "insurgent"), kind="group",
                      country=spec.get("country"))
        for alias in [name, *spec.get("aliases", [])]:
            lex.actors[str(alias).lower()] = actor
    for demonym, spec in raw["states"].items():
        lex.governments[spec["country"]] = Actor(name=f"{demonym} government", side="government",
                                                 kind="government", country=spec["country"])
        actor = Actor(name=spec["forces_name"], side="government", kind="state",
                      country=spec["country"])
        for n in spec["names"]:
            lex.state_names.setdefault(n, spec["country"])
            lex.actors.setdefault(f"{n} forces", actor)
            lex.actors.setdefault(f"{n} military", actor)
            lex.actors.setdefault(f"{n} army", actor)
            lex.actors.setdefault(f"{n} troops", actor)
            lex.actors.setdefault(f"{n} security forces", actor)
            lex.actors.setdefault(f"{n} soldiers", actor)
        lex.actors.setdefault(spec["forces_name"].lower(), actor)
    lex.anaphors = set(raw["anaphors"])
    lex.state_force_words = set(raw["state_force_words"])
    for name, spec in raw["organisations"].items():
        for alias in [name, *spec.get("aliases", [])]:
            lex.orgs[str(alias).lower()] = (name, spec["side"])
    lex.outlets = {str(o).lower(): str(o) for o in raw["outlets"]}
    lex.outlet_owners = {str(k): str(v) for k, v in (raw.get("outlet_owners") or {}).items()}
    # Short upper-case aliases ("IS", "LET", "UN") only count when written in capitals.
    loose = [a for a in lex.actors if not (len(a) <= 3)]
    strict = [a.upper() for a in lex.actors if len(a) <= 3]
    lex.actor_pattern = _mixed_pattern(loose, strict)
    # a short alias written in mixed case ("MoI") counts as written, as well as in capitals
    cased = [str(a) for spec in raw["organisations"].values() for a in spec.get("aliases", [])
             if len(str(a)) <= 3 and not str(a).islower()]
    lex.org_pattern = _mixed_pattern([a for a in lex.orgs if len(a) > 3],
                                     [a.upper() for a in lex.orgs if len(a) <= 3] + cased)
    lex.outlet_pattern = _phrase_pattern(list(lex.outlets.values()), case_sensitive=True)
    return lex


def _trie(words: list[str]) -> str:
    """One regex for many literals, as a trie: Python's `re` tries a flat alternation's
    branches one by one at every position; the trie shares their prefixes. Longer words
    are tried first, as in an alternation sorted by length."""
    root: dict[str, Any] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + walk(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(root)


def _mixed_pattern(loose: list[str], strict: list[str]) -> re.Pattern[str]:
    alts = [_trie(sorted({p.lower() for p in loose}))] if loose else []
    alts += [f"(?-i:{re.escape(p)})" for p in sorted(set(strict), key=len, reverse=True)]
    if not alts:
        return re.compile("(?!)")
    # A hyphen may follow a name ("Islamic State-claimed") but not precede one ("al-").
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alts)})(?!\w)", re.I)
