"""`progress`: graded attempts as a table, and a chart of scores per drill over dates."""

from __future__ import annotations

from pathlib import Path

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import FormatOption, OutputFormat, fail_message, out, print_json
from sysdesign.cli.grading_common import HistoryOption
from sysdesign.paths import display_path, workspace_renders_dir
from sysdesign.rubric.history import HistoryError, open_history


@app.command()
def progress(
    drill: str = typer.Option(None, "--drill", "-d", help="Only this drill."),
    history: Path = HistoryOption,
    chart: Path = typer.Option(
        None, "--chart", "-c", help="Chart file, .svg or .png (default: renders/progress.svg)."
    ),
    no_chart: bool = typer.Option(False, "--no-chart", help="Only print the table."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Show graded attempts; chart the overall score per drill over dates with the level bands,
    and each section as a small chart below."""
    from sysdesign.rubric.progress import chart_format, chart_labels, render_chart, rows
    from sysdesign.rubric.rounding import fmt as fmt_score

    store = open_history(history)
    if not store.path.exists():
        fail_message(f"no history at {store.path} yet: grade an attempt with `sysdesign grade`")
    try:
        attempts = store.attempts(drill)
        known = store.drills() if drill is not None and not attempts else []
    except HistoryError as exc:
        fail_message(str(exc))
    if drill is not None and not attempts:
        from sysdesign.views import suggest

        fail_message(f"no attempts for drill {drill!r}{suggest(drill, known)}")
    table = rows(attempts)
    chart_path = None
    if not no_chart:
        chart_path = chart or workspace_renders_dir() / (
            f"progress-{drill}.svg" if drill else "progress.svg"
        )
        try:
            fmt_chart = chart_format(chart_path)
        except ValueError as exc:
            fail_message(str(exc))
        from sysdesign.atomic import write_bytes_atomic

        try:
            levels, titles = chart_labels()
            write_bytes_atomic(chart_path, render_chart(attempts, fmt_chart, levels, titles))
        except OSError as exc:
            fail_message(f"cannot write {chart_path}: {exc.strerror}")
    if fmt is OutputFormat.JSON:
        print_json(
            {
                "history": str(store.path),
                "chart": str(chart_path) if chart_path else None,
                "attempts": [a.as_dict() for a in attempts],
            }
        )
        return
    from rich.table import Table

    grid = Table(show_edge=False, pad_edge=False)
    for name, justify in (
        ("#", "right"),
        ("date", "left"),
        ("drill", "left"),
        ("stage", "right"),
        ("min", "right"),
        ("overall", "right"),
        ("level", "left"),
        ("weakest section", "left"),
    ):
        grid.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in table:
        grid.add_row(
            str(row["id"]),
            row["date"],
            row["drill"],
            row["stage"],
            f"{row['minutes']:g}" if row["minutes"] is not None else "-",
            fmt_score(row["overall"]),
            row["level"],
            row["weakest"],
        )
    out.print(grid)
    if chart_path is not None:
        out.print(f"chart: {display_path(chart_path)}", markup=False)
