"""The study plan as text lines (text, bold) for `sysdesign next`."""

from __future__ import annotations

from sysdesign.rubric.plan import Plan
from sysdesign.rubric.rounding import fmt

SHOWN_DUE = 5


def _ago(days: int) -> str:
    return "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"


def plan_lines(p: Plan) -> list[tuple[str, bool]]:
    lines: list[tuple[str, bool]] = []
    if p.drill is None:
        return [("Nothing to plan: no drills and no attempts yet.", False)]
    lines.append((f"Next: practise {p.drill}", True))
    lines += [(f"  why: {reason}", False) for reason in p.reasons]
    if p.weakest_sections:
        shown = ", ".join(f"{title} {fmt(value)}" for _, title, value in p.weakest_sections)
        lines.append((f"Weakest sections (latest attempt per drill): {shown}", False))
    if p.missed_most:
        lines.append(("Missed most:", False))
        for s in p.missed_most[:3]:
            lines.append(
                (
                    f"  {s.item}: missed in {s.misses} of {s.seen} attempts "
                    f"({', '.join(s.drills)})",
                    False,
                )
            )
    if p.due:
        lines.append((f"Due for review on {p.today.isoformat()} ({len(p.due)} items):", False))
        for s in p.due[:SHOWN_DUE]:
            why = "missed" if s.last_missed else f"passed {s.box}x in a row"
            lines.append((f"  {s.item} (due {s.due.isoformat()}; {why} on {s.last_seen})", False))
            if s.study:
                lines.append((f"      study: {s.study}", False))
        if len(p.due) > SHOWN_DUE:
            lines.append((f"  and {len(p.due) - SHOWN_DUE} more (--format json lists them)", False))
    drills = []
    for d in p.drills:
        when = "never" if d.days_since is None else _ago(d.days_since)
        drills.append(f"{d.drill} {when}")
    lines.append((f"Drills: {'; '.join(drills)}", False))
    return lines
