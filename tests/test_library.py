"""`import tally` as a library, and the spaCy component found by entry point."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date

import pytest

import tally
from tests.conftest import ROOT


def test_extract_one_text_with_a_date():
    claims = tally.extract("Rebels abducted 30 passengers from a bus last week, the governor "
                           "told reporters.", date=date(2023, 5, 10))
    (c,) = claims
    assert (c.metric, c.value.low, c.value.high) == ("kidnapped", 30, 30)
    assert (c.period.start, c.period.end) == ("2023-05-03", "2023-05-09")
    assert c.to_dict()["doc"] == "text"


def test_extract_refuses_a_bad_date():
    with pytest.raises(tally.BadValue, match="2023-13-45"):
        tally.extract("Nine people died.", date="2023-13-45")


def test_extract_documents_streams_in_order():
    docs = [tally.Document(id="a", text="Police arrested 14 suspects."),
            tally.Document(id="b", text="No figure here at all.")]
    got = [(d.id, [c.metric for c in cs]) for d, cs in tally.extract_documents(docs)]
    assert got == [("a", ["arrested"]), ("b", [])]


def test_readme_library_example_runs():
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## As a library", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0].split() == ["killed", "12", "2024-03-04", "Ali", "Hassan"]
    assert out[2] == "[('wounded', 2)]"


def test_spacy_finds_the_component_without_importing_tally():
    code = ("import spacy; nlp = spacy.blank('en'); nlp.add_pipe('tally'); "
            "doc = nlp('Three hostages were freed on Sunday.'); "
            "print([(c.metric, c.value.low) for c in doc._.claims])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[('released', 3)]"


def test_readme_store_example_runs(tmp_path):
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## As a library", 1)[1].split("\n## ", 1)[0]
    code = re.findall(r"```python\n(.*?)```", section, re.S)[1]
    # run where the store may be made; tally imported from this tree wherever that is
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": path}).stdout.splitlines()
    expected = [line.strip().removeprefix("# ") for line in code.splitlines()
                if line.strip().startswith("# ")]
    assert out == expected and len(out) == 2
    assert (tmp_path / "example.db").exists()


def test_store_filters_are_checked_and_reading_never_creates(tmp_path):
    with pytest.raises(tally.BadValue, match="metric='kiled'"):
        with tally.Store(str(tmp_path / "a.db")) as store:
            store.claims(metric="kiled")
    with pytest.raises(tally.TallyError, match="no store at"):
        tally.Store(str(tmp_path / "typo.db"), create=False)
    assert not (tmp_path / "typo.db").exists()


def test_store_answers_claim_records_and_events(tmp_path):
    with tally.Store(str(tmp_path / "s.db")) as store:
        result = store.add(tally.Document(id="x", text="Police arrested 14 suspects in "
                                                       "Lahore on Friday."))
        assert result.counts["new"] == 1
        (c,) = store.claims()
        assert isinstance(c, tally.Claim) and c.value.low == 14 and c.id
        (e,) = store.events(metric="arrested")
        assert isinstance(e, tally.Event) and e.claim_ids == (c.id,)
        assert store.add(tally.Document(id="x", text="Police arrested 14 suspects in "
                                                     "Lahore on Friday.")).counts["same"] == 1
