"""The Typer application; each command's module is imported only when that command runs.

The commands are listed in `sysdesign/commands.py` (`COMMANDS`), whose docstring gives the
one-line step that adds a command. Command modules register with `@app.command()` on `app`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import typer
from typer import core as typer_core
from typer._click.utils import make_default_short_help

from sysdesign.commands import COMMANDS, HELP
from sysdesign.paths import WORKSPACE_ENV

_BUILT: dict[str, typer_core.TyperCommand | typer_core.TyperGroup] = {}


def load_command(name: str) -> typer_core.TyperCommand | typer_core.TyperGroup:
    """Import the module of command `name` and build its click command (once per process: a
    `sysdesign server` builds them before it forks, see `sysdesign.server.preload`)."""
    import typer.main

    if name in _BUILT:
        return _BUILT[name]
    module, _help = COMMANDS[name]
    importlib.import_module(f"sysdesign.cli.{module}")
    for info in app.registered_commands:
        assert info.callback is not None
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            _BUILT[name] = typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
            return _BUILT[name]
    raise LookupError(f"sysdesign.cli.{module} defines no command {name!r}")


class _LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name, in table order, each built on first access."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = load_command(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("commands are registered in sysdesign.commands.COMMANDS")

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (n for n in self._built if n not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS) + sum(1 for n in self._built if n not in COMMANDS)

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._built


class LazyGroup(typer_core.TyperGroup):
    """A Typer group whose commands come from `COMMANDS`, imported when used."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _LazyCommands()

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of `sysdesign --help`, from the table: nothing is imported."""
        if not COMMANDS:
            return
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, make_default_short_help(text, limit)) for name, (_, text) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="sysdesign",
    cls=LazyGroup,
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def shared_options(
    workspace: Path = typer.Option(
        None,
        "--workspace",
        "-w",
        help="Your workspace: attempts, answers and their renders "
        f"(default: ${WORKSPACE_ENV}, else ./attempts).",
        file_okay=False,
    ),
) -> None:
    """System-design interview practice: validate, check, render and grade designs."""
    if workspace is not None:
        os.environ[WORKSPACE_ENV] = str(workspace)
