"""The lazy command table: complete, truthful, and `--help` identical to Click's at every width."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest
import typer.main
from typer._click import Context
from typer.testing import CliRunner

import sysdesign.cli
from sysdesign.cli.app import app
from sysdesign.commands import COMMANDS
from sysdesign.launcher import help_text

NOT_COMMAND_MODULES = {"app", "common"}  # helpers, not commands


def _all_registered() -> dict[str, tuple[str, str]]:
    for info in pkgutil.iter_modules(sysdesign.cli.__path__):
        if info.name not in NOT_COMMAND_MODULES:
            importlib.import_module(f"sysdesign.cli.{info.name}")
    found = {}
    for command in app.registered_commands:
        assert command.callback is not None
        name = command.name or typer.main.get_command_name(command.callback.__name__)
        doc = inspect.getdoc(command.callback) or ""
        found[name] = (
            command.callback.__module__.rsplit(".", 1)[1],
            " ".join(doc.split("\n\n")[0].split()),
        )
    return found


def test_every_command_is_in_the_table_with_its_module_and_help() -> None:
    registered = _all_registered()
    missing = sorted(set(registered) - set(COMMANDS))
    assert not missing, f"add to sysdesign/commands.py COMMANDS: {missing}"
    table = {n: (module, " ".join(text.split())) for n, (module, text) in COMMANDS.items()}
    drifted = {n: registered[n] for n in registered if table[n] != registered[n]}
    assert not drifted, f"update these lines of COMMANDS in sysdesign/commands.py: {drifted}"
    assert sorted(COMMANDS) == sorted(registered), "COMMANDS names a command no module defines"


@pytest.mark.parametrize("width", [50, 55, 60, 64, 70, 77, 78, 90, 120])
def test_fast_help_is_what_click_prints(width: int) -> None:
    command = typer.main.get_command(app)
    ctx = Context(command, info_name="sysdesign", terminal_width=width)
    assert help_text("sysdesign", width) == command.get_help(ctx)


def test_fast_help_through_the_entry_point() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "sysdesign", "--help"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0
    assert run.stdout.startswith("Usage: python -m sysdesign [OPTIONS] COMMAND [ARGS]...")
    for name in COMMANDS:
        assert f"\n  {name} " in run.stdout


def test_help_imports_nothing_heavy_and_a_command_only_its_module() -> None:
    probe = (
        "import sys; sys.argv = ['sysdesign'] + sys.argv[1:]\n"
        "from sysdesign.launcher import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('typer', 'networkx', 'pydantic', 'rich', 'yaml', 'diagrams', 'graphviz', 'sqlite3', "
        "'jinja2', 'matplotlib') or m.startswith('sysdesign.'))), file=sys.stderr)\n"
    )

    def loaded(*args: str) -> set[str]:
        run = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False
        )
        return set(run.stderr.split())

    assert loaded("--help") <= {
        "sysdesign.commands",
        "sysdesign.launcher",
        "sysdesign.paths",
    }
    kinds = loaded("kinds")
    assert "sysdesign.cli.validate" in kinds
    assert not {"networkx", "diagrams", "graphviz", "sqlite3", "sysdesign.cli.grade"} & kinds


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_help_listing_its_options(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f" {name} [OPTIONS]" in result.output
    assert "--help" in result.output
    assert COMMANDS[name][1].split()[0] in result.output


def test_unknown_command_suggests_a_close_one() -> None:
    result = CliRunner().invoke(app, ["chek"])
    assert result.exit_code == 2
    assert "Did you mean 'check'" in result.output
