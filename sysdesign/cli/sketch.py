"""`import`: a Mermaid flowchart sketch -> a compact design (sysdesign.sketch)."""

from __future__ import annotations

from pathlib import Path

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import fail, fail_message, out
from sysdesign.diagnostics import InputError
from sysdesign.paths import display_path


@app.command("import")
def import_command(
    sketch: Path = typer.Argument(..., metavar="SKETCH", help="A Mermaid flowchart (.mmd)."),
    output: Path = typer.Option(None, "--out", "-o", help="Write the design here (else stdout)."),
    force: bool = typer.Option(False, "--force", help="Replace --out if it exists (keeps a .bak)."),
) -> None:
    """Turn a Mermaid flowchart into a compact design: nodes -> components (kinds guessed, each
    guess in a comment), --> sync and -.-> async flows, subgraphs -> groups. Exit 2 on a line it
    cannot read (file:line:col)."""
    from sysdesign.atomic import backup, write_text_atomic
    from sysdesign.sketch import import_sketch

    try:
        text = import_sketch(sketch, display_path(sketch))
    except InputError as exc:
        fail(exc.diagnostics)
    if output is None:
        out.print(text, end="", markup=False, highlight=False)
        return
    if output.exists() and not force:
        fail_message(f"{display_path(output)} exists; pass --force to replace it (a .bak is kept)")
    try:
        if output.exists():
            backup(output)  # numbered, never through a link
        write_text_atomic(output, text)
    except OSError as exc:
        fail_message(f"cannot write {display_path(output)}: {exc.strerror}")
    out.print(
        f"wrote {display_path(output)}: check the guessed kinds, state scale.peak_qps and "
        f"slo.p99_latency_ms, then `sysdesign check {display_path(output)}`",
        markup=False,
    )
