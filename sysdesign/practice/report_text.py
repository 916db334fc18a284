"""The end-of-session report as text lines (printed after the live screen)."""

from __future__ import annotations

from sysdesign.practice.report import EndReport
from sysdesign.practice.sidebyside import STATED
from sysdesign.probe.figures import number

NEW_ERRORS_SHOWN = 3  # per stage; the missed expectations are always all shown


def report_lines(end: EndReport, name: str, display: str) -> list[str]:
    lines: list[str] = []
    if end.interrupted:
        lines.append(f"Session stopped: {end.interrupted}.")
    minutes = ", ".join(f"{k} {v:g} min" for k, v in end.phase_minutes.items()) or "none"
    lines.append(f"Phases: {minutes}. Stages reached: {end.stages_reached}.")
    if end.problems:
        lines.append(f"{display} does not validate yet ({len(end.problems)} problem(s)):")
        lines += [f"  {p}" for p in end.problems[:10]]
    if end.stages:
        lines.append("Checks and scores at every stage reached:")
        for s in end.stages:
            score = f"{s.score:.1f}" if s.score is not None else "-"
            lines.append(
                f"  stage {s.stage} ({s.title}): {s.errors} error(s), "
                f"{s.warnings} warning(s), score {score}"
            )
            lines += [f"      the interviewer expected: {m}" for m in s.missed]
            lines += [f"      new error: {e}" for e in s.new_errors[:NEW_ERRORS_SHOWN]]
            if (more := len(s.new_errors) - NEW_ERRORS_SHOWN) > 0:
                lines.append(f"      ... and {more} more new error(s)")
    if end.overall is not None:
        later = f" ({end.unanswered} self items left for later)" if end.unanswered else ""
        lines.append(f"Overall {end.overall:.1f}: {end.level}{later}")
    lines.append("Requirements, yours | the reference's:")
    for kind in ("functional", "non_functional"):
        both = end.requirements.get(kind, {})
        lines.append(f"  {kind.replace('_', '-')}:")
        lines += [f"    yours: {r}" for r in both.get("mine", [])] or ["    yours: (none written)"]
        lines += [f"    reference: {r}" for r in both.get("reference", [])]
    lines.append("Estimates against the reference (within 2x / within 10x / off):")
    for row in end.estimates:
        mine = number(row.mine) if row.mine is not None else "-"
        unit = f" {row.unit}" if row.unit else ""
        lines.append(
            f"  {row.name}: yours {mine}, reference {number(row.reference)}{unit}: {row.verdict}"
        )
        if row.derivation and row.derivation != STATED:
            lines.append(f"      how: {row.derivation}")
    if end.questions:
        lines.append("Questions the interviewer asked, and the reference's discussion:")
        for q in end.questions:
            lines.append(f"  Q (stage {q['stage']}): {q['text']}")
            lines += [f"      reference: {point}" for point in q.get("discussion", [])]
    if end.session_id is not None:
        graded = f", attempt {end.attempt_id}" if end.attempt_id is not None else ""
        lines.append(f"Recorded practice session {end.session_id}{graded} in {end.history}")
    if end.not_recorded:
        lines.append(f"error: not recorded: {end.not_recorded}")
    if end.status == "partial":
        lines.append(
            f"Your attempt is kept in {display}; continue with "
            f"`sysdesign practice --resume {name}`."
        )
    if end.answers_template:
        lines.append(
            f"Judge the self items later: edit {end.answers_template}, then "
            f"`sysdesign grade {display} --answers {end.answers_template}`."
        )
    return lines
