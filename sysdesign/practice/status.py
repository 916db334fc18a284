"""Re-validate and re-check the attempt as the session sees it: the user's file with what was
revealed so far overlaid, at the last stage revealed. Never raises for a bad file."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sysdesign.checks import RuleCrashed, run_checks
from sysdesign.diagnostics import InputError
from sysdesign.loader import design_from_located
from sysdesign.model import Design
from sysdesign.practice.reveal import overlay
from sysdesign.yamlsource import parse_text

SHOWN_PROBLEMS = 5
_MISSING_TOP = re.compile(r"^missing required field '(components|scale|slo)'$")
SHOWN_FINDINGS = 3


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
    demanded: tuple[str, ...] = ()  # what the stage revealed last asks of the design
    design: Design | None = field(default=None, compare=False)

    @property
    def summary(self) -> str:
        if not self.valid:
            later = f"not written yet: {', '.join(self.unwritten)}" if self.unwritten else ""
            if not self.problem_count:
                return later
            return f"{self.problem_count} problem(s) in the file" + (f"; {later}" if later else "")
        if not self.errors and not self.warnings:
            return f"valid; no errors or warnings at stage {self.stage}"
        return f"valid; {self.errors} error(s), {self.warnings} warning(s) at stage {self.stage}"


def checked_design(text: str, display: str, state_revealed: dict[str, Any], stages: int) -> Design:
    """The design the session checks (raises InputError with located problems)."""
    located = parse_text(text, display)
    revealed_stages = list(state_revealed.get("stages", []))[:stages]
    data = overlay(located.data, state_revealed, revealed_stages)
    return design_from_located(dataclasses.replace(located, data=data))


def demands(design: Design, stage: int) -> tuple[str, ...]:
    """What a stage asks of the design: layers, screens, new numbers."""
    if stage == 0 or stage > len(design.stages):
        return ()
    s = design.stages[stage - 1]
    out = [f"layer {layer.value}" for layer in s.requires.layers]
    out += [f"{screen.value} screening" for screen in s.requires.screens]
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
    top = tuple(f"{f.code} {f.severity}: {f.message}" for f in open_[:SHOWN_FINDINGS])
    return Status(
        valid=True,
        stage=stage,
        errors=len(report.errors),
        warnings=len(report.warnings),
        top=top,
        demanded=demands(design, stage),
        design=design,
    )
