"""Docs stay true: every CLI command and every setting is documented in the README."""

from __future__ import annotations

from pathlib import Path

from storyline.cli import main
from storyline.settings import SETTING_NAMES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    commands = [
        line for line in README.split("```")[1].splitlines() if line.strip() and not line.startswith("bash")
    ]
    assert [c.split("#")[0].strip() for c in commands] == ["make demo", "make test"]


def test_every_cli_command_is_documented() -> None:
    for name in main.commands:
        assert f"`storyline {name}" in README, f"storyline {name} is not documented in README.md"


def test_every_setting_is_documented() -> None:
    for name in SETTING_NAMES:
        assert f"`{name}`" in README, f"setting {name} is not documented in README.md"
