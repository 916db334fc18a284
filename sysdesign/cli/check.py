"""`check`, `rules` and `explain`: the interviewer's eye."""

from __future__ import annotations

import math

import typer

from sysdesign.analyses.availability import Failure, check_failure
from sysdesign.checks import REGISTRY, RuleCrashed, run_checks
from sysdesign.checks.findings import Finding, Report
from sysdesign.checks.report_text import report_lines
from sysdesign.checks.rule import find_rule
from sysdesign.cli.app import app
from sysdesign.cli.common import (
    EXIT_FINDINGS,
    EXIT_INVALID,
    FormatOption,
    OutputFormat,
    design_args,
    err,
    fail_message,
    keep_until_exit,
    load_located,
    out,
    print_json,
)
from sysdesign.paths import display_path
from sysdesign.views import resolve_stage
from sysdesign.yamlsource import LocatedData, paused_gc


def _locator(located: LocatedData, report: Report):  # type: ignore[no-untyped-def]

    def locate(finding: Finding) -> str:
        target = finding.components[0] if finding.components else finding.anchor
        if finding.origin is not None:
            origin = finding.origin
        else:
            origin = report.origins.get(target, ()) if target else ()
        loc = located.locate(origin)
        return f"{located.file}:{loc.line}:{loc.col}"

    return locate


@app.command()
def check(
    designs: list[str] = typer.Argument(
        None, metavar="DESIGNS", help="Design files or ids; default: all."
    ),
    stage: str = typer.Option(None, "--stage", "-s", help="Check as of stage N (number or id)."),
    all_stages: bool = typer.Option(False, "--all-stages", help="Check the base and every stage."),
    scale: float = typer.Option(1.0, "--scale", help="Multiply peak load: what breaks at 10x?"),
    brief: bool = typer.Option(False, "--brief", help="Findings only, without why and fix."),
    headroom: bool = typer.Option(
        False, "--headroom", help="Per component, the traffic multiple to the target and to 100%."
    ),
    fail_zone: str = typer.Option(None, "--fail-zone", help="Check with zone Z lost."),
    fail_component: str = typer.Option(None, "--fail", help="Check with component C lost."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Find what an interviewer would catch. Exit 1 on errors, 2 on invalid input."""
    if fail_zone is not None and fail_component is not None:
        fail_message("give --fail-zone Z or --fail COMPONENT, not both")
    failure = (
        Failure(zone=fail_zone, component=fail_component)
        if fail_zone is not None or fail_component is not None
        else None
    )
    if not math.isfinite(scale) or scale <= 0:
        fail_message("--scale must be a positive, finite number")
    if all_stages and stage is not None:
        fail_message("give --stage N or --all-stages, not both")
    reports: list[tuple[LocatedData, Report]] = []
    missing: list[str] = []
    loaded = load_located(design_args(designs))
    for path, located, design in loaded:
        try:
            stages = range(len(design.stages) + 1) if all_stages else [resolve_stage(design, stage)]
            if failure is not None:
                check_failure(design, failure, stages)
        except ValueError as exc:
            missing.append(str(exc))
            continue
        for index in stages:
            try:
                reports.append((located, run_checks(design, index, scale, failure)))
            except RuleCrashed as exc:
                fail_message(f"{display_path(path)}: {exc} (a bug in sysdesign: please report)")
    if fmt is OutputFormat.JSON:
        with paused_gc():  # tens of thousands of dicts and lists for a large design, no cycles
            print_json([{"file": located.file, **r.as_dict()} for located, r in reports])
    else:
        for located, report in reports:
            for line in report_lines(
                report, _locator(located, report), explain=not brief, headroom=headroom
            ):
                out.print(line)
    for message in missing:
        err.print(f"error: {message}", markup=False)
    keep_until_exit(loaded, reports)
    if missing:
        raise typer.Exit(EXIT_INVALID)
    if any(r.errors for _, r in reports):
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def rules(
    fmt: OutputFormat = FormatOption,
    long: bool = typer.Option(False, "--long", "-l", help="Also print why and fix for each rule."),
) -> None:
    """List every rule with its code, severity and title (--long: why and fix too)."""
    ordered = [REGISTRY[c] for c in sorted(REGISTRY)]
    if fmt is OutputFormat.JSON:
        print_json(
            [
                {
                    "code": r.code,
                    "name": r.name,
                    "family": r.family,
                    "severity": r.severity,
                    "title": r.title,
                    "why": r.why,
                    "fix": r.fix,
                }
                for r in ordered
            ]
        )
        return
    for r in ordered:
        out.print(f"{r.code}  {r.severity:8} {r.name:40} {r.title}", markup=False)
        if long:
            out.print(f"       why: {r.why}", markup=False)
            out.print(f"       fix: {r.fix}", markup=False)


@app.command()
def explain(
    code: str = typer.Argument(
        ...,
        metavar="CODE",
        help="A rule code or its stable name, e.g. SD201 or paths.llm-input-unfiltered.",
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Explain one rule: what it checks, why an interviewer asks, how to fix it."""
    r = find_rule(code)
    if r is None:
        from sysdesign.views import suggest

        names = [*REGISTRY, *(rule.name for rule in REGISTRY.values())]
        fail_message(f"no rule {code!r}{suggest(code, names)}")
    data = {
        "code": r.code,
        "name": r.name,
        "family": r.family,
        "severity": r.severity,
        "title": r.title,
        "why": r.why,
        "fix": r.fix,
    }
    if fmt is OutputFormat.JSON:
        print_json(data)
        return
    out.print(f"[bold]{r.code} {r.title}[/bold] ({r.name}, {r.severity})")
    out.print(f"Why an interviewer asks: {r.why}", markup=False)
    out.print(f"Fix: {r.fix}", markup=False)
