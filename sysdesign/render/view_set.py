"""Every view of one design as of one stage, from one scene: full, overview, journey, diff.

    for item in render_views(design, stage=2, findings=report, views=("overview", "diff")):
        write_outputs(out_dir, design.id, 2, item.outputs, item.view)

`render_all` draws many (design, stage) jobs in parallel processes, each writing its own files,
so the bytes do not depend on the order the jobs finish in.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sysdesign.model import Design
from sysdesign.render.diff import build_diff, build_diff_dot
from sysdesign.render.dot_graph import SPLINES
from sysdesign.render.graphviz_run import GraphvizTimeout
from sysdesign.render.journey import (
    build_journey,
    build_journey_dot,
    build_journey_mermaid,
    clients,
)
from sysdesign.render.output import FORMATS, outputs_of, render_scene, write_outputs
from sysdesign.render.overview import build_overview_dot
from sysdesign.render.scene import Findings, build_scene

VIEWS = ("full", "overview", "journey", "diff")


@dataclass(frozen=True)
class ViewOutput:
    view: str  # full | overview | diff | journey-<client>
    outputs: dict[str, bytes]
    problem: str | None = None  # why this view has no files (a Graphviz time-out)


def parse_views(text: str) -> tuple[str, ...]:
    """'overview,diff' -> ('overview', 'diff'); 'all' -> every view; ValueError on a typo."""
    views: list[str] = []
    for part in text.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name == "all":
            return VIEWS
        if name not in VIEWS:
            raise ValueError(f"unknown view {name!r}; choose from {', '.join(VIEWS)} or all")
        if name not in views:
            views.append(name)
    if not views:
        raise ValueError(f"no view given; choose from {', '.join(VIEWS)} or all")
    return tuple(views)


def render_views(
    design: Design,
    stage: int,
    findings: Findings = None,
    views: Iterable[str] = VIEWS,
    formats: Sequence[str] = FORMATS,
    clean: bool = False,
    journey: str | None = None,
    splines: str = SPLINES,
) -> list[ViewOutput]:
    """Each requested view in memory. The diff view is skipped at stage 0 unless asked alone."""
    views = tuple(views)
    scene = build_scene(design, stage, findings, clean)
    result: list[ViewOutput] = []
    for view in views:
        try:
            result.extend(_one_view(design, stage, scene, view, views, formats, journey, splines))
        except GraphvizTimeout as exc:  # the other views still render
            result.append(ViewOutput(view, {}, f"{design.id} stage {stage}, {view} view: {exc}"))
    return result


def _one_view(  # type: ignore[no-untyped-def]
    design: Design, stage: int, scene, view: str, views, formats, journey, splines
) -> list[ViewOutput]:
    no_mermaid = tuple(f for f in formats if f != "mmd")
    result: list[ViewOutput] = []
    if view == "full":
        result.append(ViewOutput("full", render_scene(scene, formats, splines)))
    elif view == "overview":
        result.append(ViewOutput("overview", outputs_of(no_mermaid, build_overview_dot(scene))))
    elif view == "diff":
        if stage == 0 and len(views) > 1:
            return result  # the base design has no stage before it
        dot = build_diff_dot(build_diff(design, stage))
        result.append(ViewOutput("diff", outputs_of(no_mermaid, dot)))
    elif view == "journey":
        for client in [journey] if journey else clients(scene):
            path = build_journey(scene, client)
            result.append(
                ViewOutput(
                    f"journey-{client}",
                    outputs_of(
                        formats,
                        build_journey_dot(scene, path),
                        build_journey_mermaid(scene, path),
                    ),
                )
            )
    else:
        raise ValueError(f"unknown view {view!r}")
    return result


def write_views(out_dir: Path, design: Design, stage: int, items: list[ViewOutput]) -> list[Path]:
    """Write every view's files atomically; returns the paths written."""
    written: list[Path] = []
    for item in items:
        written.extend(write_outputs(out_dir, design.id, stage, item.outputs, item.view))
    return written


@dataclass(frozen=True)
class Job:
    """One design file as of one stage, and where its files go."""

    path: Path
    stage: int
    out_dir: Path
    views: tuple[str, ...]
    formats: tuple[str, ...]
    clean: bool


def run_job(job: Job) -> list[Path]:
    """Load, check and render one job (in a worker process); returns the paths written. A view
    Graphviz could not lay out in time is reported on stderr and skipped."""
    import sys

    from sysdesign.checks import run_checks
    from sysdesign.loader import load_design

    design = load_design(job.path, str(job.path))
    report = None if job.clean else run_checks(design, job.stage)
    items = render_views(design, job.stage, report, job.views, job.formats, job.clean)
    for item in items:
        if item.problem:
            print(f"warning: {item.problem}", file=sys.stderr)
    return write_views(job.out_dir, design, job.stage, items)


def render_all(jobs: list[Job], workers: int | None = None, progress=None) -> list[Path]:  # type: ignore[no-untyped-def]
    """Run every job across processes (one per core by default); `progress(job)` after each."""
    workers = workers or os.cpu_count() or 1
    written: list[Path] = []
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            written.extend(run_job(job))
            if progress:
                progress(job)
        return written
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        for job, paths in zip(jobs, pool.map(run_job, jobs), strict=True):
            written.extend(paths)
            if progress:
                progress(job)
    return written
