"""`drills`, `new` and `compare`: practising against the reference designs."""

from __future__ import annotations

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import (
    FormatOption,
    OutputFormat,
    err,
    fail,
    fail_message,
    load_one,
    out,
    print_json,
)
from sysdesign.compare import compare, summarise
from sysdesign.diagnostics import InputError
from sysdesign.drills import list_designs, load_reference, reference_ids
from sysdesign.paths import answers_dir, attempts_dir, display_path
from sysdesign.scaffold import ScaffoldError, write_scaffold
from sysdesign.views import resolve_stage, suggest


def _reference(drill: str):  # type: ignore[no-untyped-def]
    try:
        return load_reference(drill)
    except FileNotFoundError:
        fail_message(
            f"no reference drill {drill!r}{suggest(drill, reference_ids())} "
            "(see `sysdesign drills`)"
        )
    except InputError as exc:
        fail(exc.diagnostics)


@app.command()
def drills(fmt: OutputFormat = FormatOption) -> None:
    """List the practice drills (reference designs) and your attempts."""
    entries, broken = list_designs()
    if fmt is OutputFormat.JSON:
        print_json(
            {
                "drills": [
                    {
                        "id": e.id,
                        "title": e.title,
                        "stages": e.stages,
                        "components": e.components,
                        "file": display_path(e.path),
                    }
                    for e in entries
                    if e.is_reference
                ],
                "attempts": [
                    {"id": e.id, "drill": e.drill, "title": e.title, "file": display_path(e.path)}
                    for e in entries
                    if not e.is_reference
                ],
                "invalid": broken,
            }
        )
        return
    out.print("[bold]Drills[/bold] (sysdesign new NAME --from DRILL)")
    for e in entries:
        if e.is_reference:
            out.print(f"  {e.id:24} {e.stages} stages, {e.components:3} components  {e.title}")
    attempts = [e for e in entries if not e.is_reference]
    if attempts:
        out.print("[bold]Your designs[/bold]")
        for e in attempts:
            out.print(f"  {e.id:24} drill: {e.drill or '-':22} {e.title}")
    for line in broken:
        err.print(f"invalid: {line} (run sysdesign validate)", markup=False)


@app.command()
def new(
    name: str = typer.Argument(..., metavar="NAME", help="A plain name (slug) for your design."),
    from_drill: str = typer.Option(None, "--from", help="The drill to practise."),
    blank: bool = typer.Option(False, "--blank", help="An empty design with no drill."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file (keeps a .bak)."),
    blind: bool = typer.Option(
        False, "--blind", help="Only the prompt: requirements, numbers and stages stay hidden."
    ),
) -> None:
    """Scaffold an attempt in your workspace: attempts/NAME.yaml (and attempts/answers/NAME.yaml
    for self-grading). `--workspace` or SYSDESIGN_WORKSPACE puts the workspace elsewhere."""
    if blank == (from_drill is not None):
        fail_message("give exactly one of --from DRILL or --blank")
    if blind and blank:
        fail_message("--blind needs a drill: --from DRILL")
    reference = None if blank else _reference(from_drill)
    answers_text = None
    if reference is not None and not blind:
        from sysdesign.rubric import RubricNotFound, answers_template, rubric_for_design

        try:
            answers_text = answers_template(rubric_for_design(reference))
        except RubricNotFound as exc:
            fail_message(str(exc))
        except InputError as exc:
            fail(exc.diagnostics)
    try:
        made = write_scaffold(
            name,
            reference,
            attempts_dir(),
            answers_dir(),
            answers_text,
            force=force,
            blind=blind,
        )
    except ScaffoldError as exc:
        fail_message(str(exc))
    out.print(f"wrote {display_path(made.design)}", markup=False)
    if made.answers:
        out.print(f"wrote {display_path(made.answers)} (self-grading answers)", markup=False)
    for backup in made.backups:
        out.print(f"kept the previous file as {display_path(backup)}", markup=False)
    if blind:
        out.print(
            f"next: `sysdesign practice {from_drill}` runs the timed session that reveals the "
            "rest phase by phase; or write requirements, scale and components yourself"
        )
        return
    out.print(f"next: draw your components, then `sysdesign check {display_path(made.design)}`")


@app.command(name="compare")
def compare_command(
    mine: str = typer.Argument(..., metavar="MINE", help="Your design (file or id)."),
    reference: str = typer.Option(
        None, "--reference", "-r", help="Reference drill id; default: your design's drill."
    ),
    stage: str = typer.Option(None, "--stage", "-s", help="One reference stage (number or id)."),
    brief: bool = typer.Option(False, "--brief", help="A ten-line summary."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Yours against the reference, per stage only what changed there: layers, screens,
    unreached layers, rubric items, numbers side by side; findings once; estimates."""
    from sysdesign.compare.text import brief_lines, text_lines

    _, design = load_one(mine)
    drill = reference or design.drill
    if drill is None:
        fail_message("your design names no drill: pass --reference DRILL")
    ref = _reference(drill)
    try:
        index = resolve_stage(ref, stage) if stage is not None else None
    except ValueError as exc:
        fail_message(str(exc))
    from sysdesign.rubric import RubricNotFound

    try:
        result = summarise(compare(design, ref, index), design, ref)
    except RubricNotFound as exc:
        fail_message(str(exc))
    except InputError as exc:
        fail(exc.diagnostics)
    if fmt is OutputFormat.JSON:
        data = result.as_dict()
        if brief:
            data = {"design": design.id, "reference": ref.id, "brief": brief_lines(result)}
        print_json(data)
        return
    if brief:
        for line in brief_lines(result):
            out.print(line, markup=False, highlight=False)
        return
    for text, bold in text_lines(result):
        out.print(text, markup=False, style="bold" if bold else None, highlight=False)
