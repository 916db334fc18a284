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
    dot_executable,
    needs_graphviz,
    parse_formats,
)
from sysdesign.render.view_set import (
    VIEWS,
    Job,
    parse_views,
    render_all,
    render_views,
    write_views,
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
    design: Design,
    stage: int,
    formats: tuple[str, ...],
    out_dir: Path,
    clean: bool,
    views: tuple[str, ...] = VIEWS,
    journey: str | None = None,
):  # type: ignore[no-untyped-def]
    """Every view in memory (written by the caller only once all are); a view Graphviz could not
    lay out in time is reported and skipped, the others still written."""
    findings = _findings(design, stage, clean)
    items = render_views(design, stage, findings, views, formats, clean, journey)
    for item in items:
        if item.problem:
            err.print(f"warning: {item.problem}", markup=False)
    return items


@app.command()
def render(
    design: str = typer.Argument(
        None, metavar="DESIGN", help="A design file or id (omit with --all)."
    ),
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
    view: str = typer.Option(
        "all",
        "--view",
        "-v",
        help="overview, full, journey, diff (comma-separated) or all.",
    ),
    journey: str = typer.Option(
        None, "--journey", "-j", help="The client whose journey to draw (default: every client)."
    ),
    workers: int = typer.Option(
        0, "--workers", help="Processes for --all (default: one per core).", min=0
    ),
    clean: bool = typer.Option(False, "--clean", help="Leave findings off the picture."),
    dot_timeout: float = typer.Option(
        None,
        "--dot-timeout",
        help="Seconds one Graphviz layout may take (default: $SYSDESIGN_DOT_TIMEOUT, else 60).",
    ),
    open_: bool = typer.Option(False, "--open", help="Open the rendered diagram."),
) -> None:
    """Draw a design: overview, full view, each client's journey and the stage's diff."""
    try:
        fmts = parse_formats(formats)
        views = parse_views(view)
    except ValueError as exc:
        fail_message(str(exc))
    if all_designs == (design is not None):
        fail_message("name one design, or use --all")
    if dot_timeout is not None:
        from sysdesign.render.graphviz_run import set_time_limit

        try:
            set_time_limit(dot_timeout)
        except ValueError as exc:
            fail_message(str(exc))
    if all_designs and stage is not None:
        fail_message("--all renders every stage; --stage is for one design")
    if needs_graphviz(fmts) and dot_executable() is None:
        fail_message(INSTALL_HINT)

    if all_designs:
        _render_all(fmts, out_dir, clean, views, workers)
        return
    source, loaded = load_one(design)
    try:
        index = resolve_stage(loaded, stage)
    except ValueError as exc:
        fail_message(str(exc))
    try:
        target = out_dir or renders_dir_for(source, loaded.id)
        items = _render_one(loaded, index, fmts, target, clean, views, journey)
        written = write_views(target, loaded, index, items)
    except ValueError as exc:  # no such client, or a diff of the base design
        fail_message(str(exc))
    except GraphvizError as exc:
        fail_message(str(exc))
    except OSError as exc:
        fail_message(f"cannot write {exc.filename or out_dir}: {exc.strerror}")
    for path in written:
        out.print(display_path(path))
    skipped = [item.view for item in items if item.problem]
    if skipped:
        fail_message(f"{loaded.id}: not rendered in time: {', '.join(skipped)} (see above)")
    if open_:
        viewable = [p for p in written if p.suffix in (".svg", ".png")] or written
        typer.launch(str(viewable[0]))


def _render_all(
    fmts: tuple[str, ...],
    out_root: Path | None,
    clean: bool,
    views: tuple[str, ...],
    workers: int,
) -> None:
    files = design_files()
    if not files:
        fail_message(no_designs_message())
    loaded = load_designs([str(f) for f in files])  # every design valid, or exit 2 first
    root = out_root or renders_dir()
    jobs = [
        Job(path, s, root / d.id, views, fmts, clean)
        for path, d in loaded
        for s in range(len(d.stages) + 1)
    ]
    with Progress(
        TextColumn("rendering"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err.resolve(),
        transient=False,
    ) as progress:
        task = progress.add_task("", total=len(jobs))
        try:
            written = render_all(jobs, workers or None, lambda _: progress.advance(task))
        except GraphvizError as exc:
            progress.stop()
            fail_message(str(exc))
        except OSError as exc:
            progress.stop()
            fail_message(f"cannot write {exc.filename or root}: {exc.strerror}")
    out.print(
        f"{len(loaded)} designs, {len(jobs)} stages, {len(written)} files in {display_path(root)}"
    )
