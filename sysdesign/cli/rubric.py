"""`rubric`: list the rubrics, or show one rubric's sections and items."""

from __future__ import annotations

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import FormatOption, OutputFormat, fail, fail_message, out, print_json
from sysdesign.diagnostics import InputError


@app.command("rubric")
def rubric_command(
    rubric_id: str = typer.Argument(None, metavar="ID", help="Show one rubric's items."),
    template: bool = typer.Option(
        False, "--answers-template", help="Print a commented answers file for the rubric."
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """List the rubrics (validating each), or show one rubric's sections and items."""
    from sysdesign.rubric.answers import answers_template
    from sysdesign.rubric.loader import RubricNotFound, available_rubrics, load_rubric

    if rubric_id is None:
        problems = []
        listing = []
        for rid in available_rubrics():
            try:
                listing.append(load_rubric(rid))
            except InputError as exc:
                problems.extend(exc.diagnostics)
        if problems:
            fail(problems)
        if fmt is OutputFormat.JSON:
            print_json(
                [
                    {
                        "id": r.id,
                        "title": r.title,
                        "extends": list(r.chain[1:]),
                        "items": len(r.items),
                    }
                    for r in listing
                ]
            )
            return
        for r in listing:
            base = f" (extends {r.chain[1]})" if len(r.chain) > 1 else ""
            out.print(f"{r.id:22} {len(r.items):3} items  {r.title}{base}", markup=False)
        return
    try:
        r = load_rubric(rubric_id)
    except InputError as exc:
        fail(exc.diagnostics)
    except RubricNotFound as exc:
        fail_message(str(exc))
    if template:
        typer.echo(answers_template(r), nl=False)
        return
    if fmt is OutputFormat.JSON:
        print_json(r.as_dict())
        return
    out.print(f"[bold]{r.id}[/bold]: {r.title}  ({' < '.join(r.chain)})")
    levels = ", ".join(f"{lv.label} >= {lv.min_score:g}" for lv in r.levels)
    out.print(f"levels: {levels}", markup=False)
    for s in r.sections:
        out.print(f"\n{s.title} (weight {s.weight:g})", markup=False)
        for i in s.items:
            flag = " (critical)" if i.critical else ""
            out.print(f"  {i.id:28} {i.kind:12} w{i.weight:<4g} {i.text}{flag}", markup=False)
