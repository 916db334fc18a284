"""`fmt`: rewrite designs between the long and the compact form (sysdesign.formatting)."""

from __future__ import annotations

from pathlib import Path

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import EXIT_FINDINGS, fail, fail_message, out
from sysdesign.diagnostics import Diagnostic, InputError
from sysdesign.formatting import Form, Formatted, format_file
from sysdesign.paths import display_path


@app.command("fmt")
def fmt_command(
    files: list[Path] = typer.Argument(..., metavar="FILES", help="Design files to rewrite."),
    expand: bool = typer.Option(False, "--expand", help="Write the long form."),
    compact: bool = typer.Option(False, "--compact", help="Write the compact form (default)."),
    check: bool = typer.Option(
        False, "--check", help="Change nothing; exit 1 if a file is not in the form (for CI)."
    ),
) -> None:
    """Rewrite designs in the compact (default) or long form, keeping comments; the old text is
    kept as FILE.bak. Exit 1 with --check when a file would change, 2 on invalid input."""
    if expand and compact:
        fail_message("give --expand or --compact, not both")
    form = Form.EXPAND if expand else Form.COMPACT
    results: list[Formatted] = []
    problems: list[Diagnostic] = []
    for path in files:
        try:
            results.append(format_file(path, form, check=check, display=display_path(path)))
        except InputError as exc:
            problems.extend(exc.diagnostics)
        except OSError as exc:
            problems.append(Diagnostic(display_path(path), 1, 1, f"cannot write: {exc.strerror}"))
    for result in results:
        name = display_path(result.path)
        if check:
            out.print(f"{name}: {'would change' if result.changed else 'ok'}", markup=False)
        elif result.changed:
            kept = display_path(result.backup) if result.backup else "-"
            out.print(f"{name}: rewritten ({form.value}); the old text is in {kept}", markup=False)
        else:
            out.print(f"{name}: unchanged", markup=False)
    if problems:
        fail(problems)
    if check and any(r.changed for r in results):
        raise typer.Exit(EXIT_FINDINGS)
