"""`render`: architecture diagrams (SVG, PNG, DOT) and Mermaid for one design or all of them."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sysdesign.cli.app import app
from sysdesign.cli.common import (
    err,
    fail_message,
    load_designs,
    load_one,
    no_designs_message,
    out,
)
from sysdesign.model import Design
from sysdesign.paths import design_files, display_path, renders_dir, renders_dir_for
from sysdesign.render import (
    INSTALL_HINT,
    GraphvizError,
    build_scene,
    dot_executable,
    needs_graphviz,
    parse_formats,
    render_scene,
    write_outputs,
)
from sysdesign.views import resolve_stage


def _findings(design: Design, stage: int, clean: bool):  # type: ignore[no-untyped-def]
    """The checker's report for the design as of `stage`, or None (clean, or no checker)."""
    if clean:
        return None
    try:
        from sysdesign.checks import run_checks
    except ImportError:
        return None
    return run_checks(design, stage)


def _render_one(
    design: Design, stage: int, formats: tuple[str, ...], out_dir: Path, clean: bool
) -> list[Path]:
    scene = build_scene(design, stage, _findings(design, stage, clean), clean)
    outputs = render_scene(scene, formats)  # everything in memory before any file is written
    return write_outputs(out_dir, design.id, stage, outputs)


@app.command()
def render(
    design: str = typer.Argument(None, help="A design file or id (omit with --all)."),
    stage: str = typer.Option(None, "--stage", "-s", help="Draw the design as of this stage."),
    formats: str = typer.Option(
        "svg,png,dot,mmd", "--format", "-f", help="Comma-separated: svg, png, dot, mmd."
    ),
    out_dir: Path = typer.Option(
        None,
        "--out",
        "-o",
        help="Output folder (default: renders/<design>/ for a reference drill, "
        "<workspace>/renders/<design>/ for an attempt).",
    ),
    all_designs: bool = typer.Option(
        False, "--all", help="Render every reference drill, every stage, into renders/."
    ),
    clean: bool = typer.Option(False, "--clean", help="Leave findings off the picture."),
    open_: bool = typer.Option(False, "--open", help="Open the rendered diagram."),
) -> None:
    """Draw a design as an architecture diagram, with findings and what a stage added."""
    try:
        fmts = parse_formats(formats)
    except ValueError as exc:
        fail_message(str(exc))
    if all_designs == (design is not None):
        fail_message("name one design, or use --all")
    if all_designs and stage is not None:
        fail_message("--all renders every stage; --stage is for one design")
    if needs_graphviz(fmts) and dot_executable() is None:
        fail_message(INSTALL_HINT)

    if all_designs:
        _render_all(fmts, out_dir, clean)
        return
    source, loaded = load_one(design)
    try:
        index = resolve_stage(loaded, stage)
    except ValueError as exc:
        fail_message(str(exc))
    try:
        written = _render_one(
            loaded, index, fmts, out_dir or renders_dir_for(source, loaded.id), clean
        )
    except GraphvizError as exc:
        fail_message(str(exc))
    except OSError as exc:
        fail_message(f"cannot write {exc.filename or out_dir}: {exc.strerror}")
    for path in written:
        out.print(display_path(path))
    if open_:
        viewable = [p for p in written if p.suffix in (".svg", ".png")] or written
        typer.launch(str(viewable[0]))


def _render_all(fmts: tuple[str, ...], out_root: Path | None, clean: bool) -> None:
    files = design_files()
    if not files:
        fail_message(no_designs_message())
    loaded = load_designs([str(f) for f in files])  # every design valid, or exit 2 first
    jobs = [(d, s) for _, d in loaded for s in range(len(d.stages) + 1)]
    root = out_root or renders_dir()
    count = 0
    with Progress(
        TextColumn("rendering"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as progress:
        task = progress.add_task("", total=len(jobs))
        for design, stage in jobs:
            label = f"{design.id} stage {stage}" if stage else design.id
            progress.update(task, description=label)
            try:
                count += len(_render_one(design, stage, fmts, root / design.id, clean))
            except GraphvizError as exc:
                progress.stop()
                fail_message(f"{label}: {exc}")
            except OSError as exc:
                progress.stop()
                fail_message(f"cannot write {exc.filename or root}: {exc.strerror}")
            progress.advance(task)
    out.print(f"{len(loaded)} designs, {len(jobs)} views, {count} files in {display_path(root)}")
