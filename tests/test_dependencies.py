"""Dependencies earn their place: Dask and psycopg are extras the README's first command
installs, nothing pinned goes unused, one HTTP test client."""
from __future__ import annotations

import re
import tomllib

import pytest

from tally.errors import StoreError
from tests.conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[=<>!; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_cluster_and_postgres_are_extras():
    base = _names(PROJECT["dependencies"])
    extras = PROJECT["optional-dependencies"]
    assert {"dask", "psycopg"}.isdisjoint(base)
    assert _names(extras["cluster"]) == {"dask"} and _names(extras["postgres"]) == {"psycopg"}


def test_the_readme_and_ci_install_the_same_extras():
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    wanted = "-e '.[test,cluster,postgres]'"
    first = re.search(r"```sh\n(.*?)\n```", readme, re.S).group(1)
    assert wanted in first and wanted in ci


def test_nothing_pinned_goes_unimported():
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "src").rglob("*.py"))
    for name in ("text2num", "dateparser"):
        assert name not in _names(PROJECT["dependencies"])
        assert not re.search(rf"^\s*(import|from) {name}\b", source, re.M)


def test_one_http_test_client():
    test = _names(PROJECT["optional-dependencies"]["test"])
    assert "httpx2" in test and "httpx" not in test


def test_a_missing_driver_is_one_line_naming_the_extra(monkeypatch):
    from tally.store import store

    def no_driver(url, **kw):
        raise ModuleNotFoundError("No module named 'psycopg'", name="psycopg")

    monkeypatch.setattr(store, "create_engine", no_driver)
    with pytest.raises(StoreError, match=r"tally\[postgres\]"):
        store.open_store("postgresql+psycopg://u@h/db")
