"""The console script: `sysdesign --help` from the command table, anything else through Typer.

Typer alone takes longer to import than Python takes to start, so the top-level help (what people
type when they forget a name) is laid out here the way Click's `HelpFormatter` does it, without
importing `sysdesign.cli`. `tests/test_cli_registry.py` compares both at every width.
"""

from __future__ import annotations

import os
import sys
from textwrap import TextWrapper

from sysdesign.commands import COMMANDS, HELP, SERVED
from sysdesign.paths import WORKSPACE_ENV

_USAGE_ARGS = "[OPTIONS] COMMAND [ARGS]..."
_OPTIONS = [  # as `sysdesign.cli.app.shared_options` declares them
    (
        "-w, --workspace <dir>",
        "Your workspace: attempts, answers and their renders "
        f"(default: ${WORKSPACE_ENV}, else ./attempts).",
    ),
    ("--help", "Show this message and exit."),
]


def program_name() -> str:
    """How the program was called, as Click names it (`sysdesign` or `python -m sysdesign`)."""
    path = sys.argv[0]
    package = getattr(sys.modules["__main__"], "__package__", None)
    if package in (None, ""):
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    if name != "__main__":
        package = f"{package}.{name}"
    return f"python -m {str(package).lstrip('.')}"


def terminal_width() -> int:
    """Click's default width: the terminal's, at most 78, at least 50."""
    import shutil

    return max(min(shutil.get_terminal_size().columns, 80) - 2, 50)


def short_help(text: str, limit: int) -> str:
    """Click's `make_default_short_help`: first sentence, or words up to `limit` plus `...`."""
    words = text.split("\n\n")[0].split()
    if not words:
        return ""
    total = 0
    last = len(words) - 1
    cut = last
    for i, word in enumerate(words):
        total += len(word) + (i > 0)
        if total > limit:
            cut = i
            break
        if word[-1] == ".":
            return " ".join(words[: i + 1])
        if total == limit and i != last:
            cut = i
            break
    else:
        return " ".join(words)
    total += 3
    while cut > 0:
        total -= len(words[cut]) + (cut > 0)
        if total <= limit:
            break
        cut -= 1
    return " ".join(words[:cut]) + "..."


def _wrap(text: str, width: int, indent: str = "", first: str | None = None) -> str:
    wrapper = TextWrapper(
        width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        replace_whitespace=False,
    )
    return wrapper.fill(text.expandtabs())


def _dl(rows: list[tuple[str, str]], width: int, indent: int) -> list[str]:
    first_col = min(max(len(name) for name, _ in rows), 30) + 2
    lines = []
    for name, text in rows:
        head = " " * indent + name
        if len(name) <= first_col - 2:
            head += " " * (first_col - len(name))
        else:
            lines.append(head)
            head = " " * (first_col + indent)
        wrapped = _wrap(text, max(width - first_col - 2, 10)).splitlines()
        lines.append(head + wrapped[0])
        lines.extend(" " * (first_col + indent) + line for line in wrapped[1:])
    return lines


def help_text(prog: str, width: int) -> str:
    """The top-level help as Click lays it out at `width` columns (without the final newline)."""
    prefix = f"Usage: {prog} "
    if width >= len(prefix) + 20:
        usage = _wrap(_USAGE_ARGS, width, " " * len(prefix), prefix)
    else:
        usage = prefix + "\n" + _wrap(_USAGE_ARGS, width, " " * 11)
    parts = [usage, "", _wrap(HELP, width, "  "), "", "Options:", *_dl(_OPTIONS, width, 2)]
    if COMMANDS:
        limit = width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, short_help(text, limit)) for name, (_, text) in COMMANDS.items()]
        parts += ["", "Commands:", *_dl(rows, width, 2)]
    return "\n".join(parts)


def print_help() -> None:
    sys.stdout.write(help_text(program_name(), terminal_width()) + "\n")


def command_name(args: list[str]) -> str | None:
    """The subcommand named in `args` (after the shared `--workspace DIR`), None if unclear."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-w", "--workspace"):
            i += 2
        elif arg.startswith("--workspace=") or (arg.startswith("-w") and len(arg) > 2):
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def main(*, via_server: bool = True) -> None:
    """Console-script entry point. A served command goes to a running `sysdesign server` when
    there is one for this installation (`sysdesign.server.client`), else runs here."""
    if sys.argv[1:] == ["--help"]:
        print_help()
        return
    if via_server and command_name(sys.argv[1:]) in SERVED:
        from sysdesign.server.runtime import live_socket

        if live_socket() is not None:
            from sysdesign.server.client import run_served

            code = run_served()
            if code is not None:
                sys.exit(code)
    from sysdesign.cli import app

    app()
