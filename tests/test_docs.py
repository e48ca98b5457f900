"""Every command and setting is documented: a help text, a row in the README."""
from __future__ import annotations

import pytest
import typer.main

from tally import settings
from tally.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help_and_a_readme_row(name):
    cmd = COMMANDS[name]
    assert (cmd.help or "").strip(), f"tally {name} has no help text"
    assert f"| `tally {name}" in README, f"tally {name} is missing from the README's table"
    for param in cmd.params:
        if param.param_type_name == "option":
            assert (param.help or "").strip(), \
                f"tally {name} {param.opts[0]} has no help text"


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_setting_is_in_the_readme(setting):
    assert setting.env in README and setting.help
