"""The grade as text lines: the per-stage rows, sections, level, failures, caps and study items.

The CLI prints these lines; tests read them. A line is (text, bold).
"""

from __future__ import annotations

from sysdesign.rubric.evaluate import Evaluation
from sysdesign.rubric.rounding import fmt
from sysdesign.rubric.scoring import Grade

Line = tuple[str, bool]


def _bar(score: float, width: int = 20) -> str:
    filled = round(score / 100 * width)
    return "#" * filled + "." * (width - filled)


def stage_lines(evaluation: Evaluation) -> list[Line]:
    """One row per stage reached: changed for it, what its constraint left open, what failed."""
    lines: list[Line] = [("Stages graded (an item passes only if it passes at each):", True)]
    for row in evaluation.rows:
        if row.evolved is None:
            state = "base"
        elif not row.evolved:
            state = "NOT CHANGED for this stage"
        elif row.demanded:
            state = f"changed; {len(row.demanded)} demanded error(s) open"
        else:
            state = "changed; its demands met"
        failed = f"; failed here: {', '.join(row.failed)}" if row.failed else ""
        lines.append((f"  {row.stage}  {row.title}: {state}{failed}", False))
        for demand in row.demanded[:3]:
            lines.append((f"       open: {demand}", False))
        if len(row.demanded) > 3:
            lines.append((f"       and {len(row.demanded) - 3} more", False))
    return lines


def grade_lines(grade: Grade, evaluation: Evaluation) -> list[Line]:
    design, stage = evaluation.design, evaluation.stage
    stages = len(design.stages)
    where = f"stages 0-{stage} of {stages}" if stage else f"base design ({stages} stages)"
    lines: list[Line] = [
        (f"{design.id}, {where}, rubric {' < '.join(grade.rubric.chain)}", True),
    ]
    lines += stage_lines(evaluation)
    width = max(len(s.title) for s in grade.sections)
    for s in grade.sections:
        lines.append((f"  {s.title:{width}}  {fmt(s.score):>5}  {_bar(s.score)}", False))
    lines.append((f"Overall {fmt(grade.overall)}: {grade.level.label}", True))
    for reason in grade.blockers:
        label = grade.next_level.label if grade.next_level else "higher"
        lines.append((f"  not {label}: {reason}", False))
    outcomes = [o for s in grade.sections for o in s.outcomes]
    failed = [o for o in outcomes if o.status == "fail"]
    if failed:
        lines += [("", False), ("Failed in the design:", False)]
        for o in failed:
            lines.append((f"  x {o.item.text}", False))
            lines += [(f"      {line}", False) for line in o.evidence]
    capped = [o for o in outcomes if o.capped]
    if capped:
        lines += [("", False), ("Answers capped by the evidence:", False)]
        for o in capped:
            lines.append((f"  {o.item.id}: {o.answered} counted as {o.status}: {o.capped}", False))
    if grade.unanswered:
        lines += [
            ("", False),
            (
                f"{len(grade.unanswered)} items not answered (scored 0): "
                + ", ".join(grade.unanswered),
                False,
            ),
        ]
    if grade.weakest:
        lines += [("", False), ("Study next:", False)]
        for n, weak in enumerate(grade.weakest, start=1):
            o = weak.outcome
            lines.append((f"  {n}. {o.item.text} ({o.status}, -{fmt(weak.lost)} points)", False))
            lines += [
                (f"     why: {line}", False) for line in (o.evidence if o.status == "fail" else ())
            ]
            if o.note:
                lines.append((f"     your note: {o.note}", False))
            lines.append((f"     study: {o.item.study}", False))
            lines.append((f"     {weak.target_level} looks like: {weak.target}", False))
    return lines
