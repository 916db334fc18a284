"""Re-validate and re-check the attempt as the session sees it: the user's file with what was
revealed so far overlaid, at the last stage revealed. Never raises for a bad file.

What a revealed stage expects of the design beyond its stated numbers (the layers and safety
screens the drill's author lists under the stage's `requires`) is the answer key, not the
interviewer's words: the status counts the unmet ones without naming them, and the end-of-session
report names them all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sysdesign.checks import RuleCrashed, run_checks
from sysdesign.checks.findings import Finding
from sysdesign.diagnostics import InputError
from sysdesign.loader import design_from_located
from sysdesign.model import Design
from sysdesign.practice.attempt import with_session
from sysdesign.yamlsource import parse_text

SHOWN_PROBLEMS = 5
_MISSING_TOP = re.compile(r"^missing required field '(components|scale|slo)'$")
SHOWN_FINDINGS = 3
EXPECTATION_CODES = frozenset({"SD101", "SD112"})  # a required layer / safety screen is missing


@dataclass(frozen=True)
class Status:
    """What the status area shows after one re-check."""

    valid: bool
    stage: int
    problems: tuple[str, ...] = ()  # located errors, `file:line:col: error: message`
    problem_count: int = 0
    unwritten: tuple[str, ...] = ()  # top-level parts not written yet (scale, slo, components)
    errors: int = 0
    warnings: int = 0
    top: tuple[str, ...] = ()  # the first open findings, errors first
    demanded: tuple[str, ...] = ()  # the numbers the stage revealed last states
    held_back: int = 0  # unmet expectations of the revealed stages (named at the end only)
    design: Design | None = field(default=None, compare=False)

    @property
    def summary(self) -> str:
        if not self.valid:
            later = f"not written yet: {', '.join(self.unwritten)}" if self.unwritten else ""
            if not self.problem_count:
                return later
            return f"{self.problem_count} problem(s) in the file" + (f"; {later}" if later else "")
        held = (
            f"; the interviewer expects {self.held_back} thing(s) more (named at the end)"
            if self.held_back
            else ""
        )
        if not self.errors and not self.warnings:
            return f"valid; no errors or warnings at stage {self.stage}{held}"
        counts = f"{self.errors} error(s), {self.warnings} warning(s)"
        return f"valid; {counts} at stage {self.stage}{held}"


def checked_design(text: str, display: str, state_revealed: dict[str, Any], stages: int) -> Design:
    """The design the session checks (raises InputError with located problems)."""
    return design_from_located(with_session(parse_text(text, display), state_revealed, stages))


def is_expectation(finding: Finding) -> bool:
    """A stage's required layer or screen is missing: part of the answer key."""
    origin = finding.origin or ()
    return finding.code in EXPECTATION_CODES and bool(origin) and origin[0] == "stages"


def demands(design: Design, stage: int) -> tuple[str, ...]:
    """The numbers a stage states (peak, p99, availability); never its required layers."""
    if stage == 0 or stage > len(design.stages):
        return ()
    s = design.stages[stage - 1]
    out = []
    if s.scale is not None and s.scale.peak_qps is not None:
        out.append(f"peak {s.scale.peak_qps:,.0f} req/s")
    if s.slo is not None and s.slo.p99_latency_ms is not None:
        out.append(f"p99 within {s.slo.p99_latency_ms:g} ms")
    if s.slo is not None and s.slo.availability is not None:
        out.append(f"availability {s.slo.availability:.6g}")
    return tuple(out)


def recheck(path: Path, display: str, revealed: dict[str, Any], stages: int) -> Status:
    """Validate and check the attempt now; every failure becomes part of the status."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Status(False, stages, (f"{display}: error: cannot read: {exc}",), 1)
    try:
        design = checked_design(text, display, revealed, stages)
    except InputError as exc:
        unwritten = tuple(
            m.group(1) for d in exc.diagnostics if (m := _MISSING_TOP.match(d.message))
        )
        lines = tuple(d.format() for d in exc.diagnostics if not _MISSING_TOP.match(d.message))
        return Status(False, stages, lines[:SHOWN_PROBLEMS], len(lines), unwritten)
    stage = min(stages, len(design.stages))
    try:
        report = run_checks(design, stage)
    except RuleCrashed as exc:
        return Status(False, stage, (f"{display}: error: {exc} (a bug in sysdesign)",), 1)
    open_ = [f for f in report.open_findings if f.severity in ("error", "warning")]
    shown = [f for f in open_ if not is_expectation(f)]
    top = tuple(f"{f.code} {f.severity}: {f.message}" for f in shown[:SHOWN_FINDINGS])
    return Status(
        valid=True,
        stage=stage,
        errors=sum(f.severity == "error" for f in shown),
        warnings=sum(f.severity == "warning" for f in shown),
        top=top,
        demanded=demands(design, stage),
        held_back=len(open_) - len(shown),
        design=design,
    )
