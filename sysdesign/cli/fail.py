"""`fail`: the blast radius of every single zone and component failure."""

from __future__ import annotations

import math

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import (
    FormatOption,
    OutputFormat,
    design_args,
    fail_message,
    load_located,
    out,
    print_json,
)
from sysdesign.failures import blast_dict, blast_line, blasts, harmless
from sysdesign.views import resolve_stage


@app.command()
def fail(
    design: str = typer.Argument(..., metavar="DESIGN", help="A design file or id."),
    stage: str = typer.Option(None, "--stage", "-s", help="As of stage N (number or id)."),
    scale: float = typer.Option(1.0, "--scale", help="Multiply peak load."),
    every: bool = typer.Option(False, "--all", help="Also list failures that break nothing."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Fail every zone and every component in turn; print each blast radius, worst first."""
    if not math.isfinite(scale) or scale <= 0:
        fail_message("--scale must be a positive, finite number")
    [(_, located, loaded)] = load_located(design_args([design]))
    try:
        index = resolve_stage(loaded, stage)
    except ValueError as exc:
        fail_message(str(exc))
    found = blasts(loaded, index, scale)
    if fmt is OutputFormat.JSON:
        print_json(
            {"file": located.file, "stage": index, "failures": [blast_dict(b) for b in found]}
        )
        return
    shown = [b for b in found if every or not harmless(b)]
    out.print(
        f"[bold]{loaded.id}[/bold]: {len(found)} single failures, {len(shown)} shown", markup=True
    )
    for b in shown:
        out.print(f"  {blast_line(b)}", markup=False)
    if len(shown) < len(found):
        out.print(
            f"  {len(found) - len(shown)} more break nothing (--all lists them)", markup=False
        )
