"""`validate`, `schema`, `kinds` and `profiles`: the model and its vocabulary."""

from __future__ import annotations

from pathlib import Path

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import (
    EXIT_INVALID,
    FormatOption,
    OutputFormat,
    design_args,
    fail_message,
    out,
    print_diagnostics,
    print_json,
)
from sysdesign.diagnostics import Diagnostic, InputError
from sysdesign.paths import display_path, resolve_design_arg
from sysdesign.taxonomy import KINDS, SYSTEM_PROFILES


@app.command()
def validate(
    files: list[str] = typer.Argument(
        None, metavar="FILES", help="Design files or ids; default: all in designs/."
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Check designs against the model; report every problem as file:line:col."""
    from sysdesign.loader import load_design  # the model: not needed by kinds and profiles

    paths = [resolve_design_arg(f) for f in design_args(files)]
    problems: list[Diagnostic] = []
    valid: list[str] = []
    for path in paths:
        try:
            load_design(path, display_path(path))
            valid.append(display_path(path))
        except InputError as exc:
            problems.extend(exc.diagnostics)
    if fmt is OutputFormat.JSON:
        print_json({"valid": valid, "diagnostics": [d.as_dict() for d in problems]})
    else:
        print_diagnostics(problems)
        for name in valid:
            out.print(f"{name}: ok")
    if problems:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def schema(
    out_file: Path = typer.Option(None, "--out", "-o", help="Write here instead of stdout."),
) -> None:
    """Print the JSON Schema of design files, for editor completion and validation."""
    from sysdesign.schema import design_schema_text

    text = design_schema_text()
    if out_file is None:
        typer.echo(text, nl=False)
    else:
        from sysdesign.atomic import write_text_atomic

        try:
            write_text_atomic(out_file, text)
        except OSError as exc:
            fail_message(f"cannot write {exc.filename or out_file}: {exc.strerror}")


@app.command()
def kinds(fmt: OutputFormat = FormatOption) -> None:
    """List the component kinds (the layer taxonomy)."""
    if fmt is OutputFormat.JSON:
        print_json(
            [
                {"kind": k.name, "family": k.family.value, "description": k.description}
                for k in KINDS
            ]
        )
        return
    for k in KINDS:
        out.print(f"{k.name:16} {k.family.value:14} {k.description}")


@app.command()
def profiles(fmt: OutputFormat = FormatOption) -> None:
    """List system profiles and the layers and safety screens each requires."""
    rows = [
        {
            "profile": p.name,
            "description": p.description,
            "layers": list(p.layers),
            "screens": list(p.screens),
        }
        for p in SYSTEM_PROFILES
    ]
    if fmt is OutputFormat.JSON:
        print_json(rows)
        return
    for row in rows:
        out.print(f"{row['profile']}: {row['description']}")
        out.print(f"    layers: {', '.join(row['layers'])}")
        if row["screens"]:
            out.print(f"    screens: {', '.join(row['screens'])}")
