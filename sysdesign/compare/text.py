"""The comparison as text: full (one section per stage) or a ten-line brief."""

from __future__ import annotations

import math

from sysdesign.compare.matching import Figure
from sysdesign.compare.summary import BRIEF_LINES, LABELS, Comparison

LIST = 6  # names shown in one line before "and N more"
POINT = 110  # characters of a reference discussion point shown in text


_SI = ((1e12, "T"), (1e9, "G"), (1e6, "M"))


def _n(value: float | None, unit: str = "") -> str:
    """A figure as people read it: 1,200; 0.4; 5T (above a million, SI prefixes)."""
    if value is None:
        return "not stated"
    for scale, prefix in _SI:
        if abs(value) >= scale:
            return f"{value / scale:.3g}{prefix} {unit}".strip()
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"
    return f"{text} {unit}".strip()


def _names(items: list[str]) -> str:
    shown = ", ".join(items[:LIST])
    return shown + (f" and {len(items) - LIST} more" if len(items) > LIST else "")


def _stages(stages: tuple[int, ...]) -> str:
    if len(stages) > 1 and list(stages) == list(range(stages[0], stages[-1] + 1)):
        return f"stages {stages[0]}-{stages[-1]}"
    return ("stage " if len(stages) == 1 else "stages ") + ", ".join(map(str, stages))


def figure_line(ref: str, mine: str, f: Figure) -> str:
    ratio = f" (x{f.ratio:.2g})" if f.ratio is not None and f.ratio != 1 else ""
    same = " (same)" if f.ratio == 1 else ""
    values = f"{_n(f.reference, f.unit)} vs {_n(f.mine, f.unit)}"
    return f"{f.name}, {ref} vs your {mine}: {values}{ratio}{same}"


def text_lines(c: Comparison) -> list[tuple[str, bool]]:
    lines: list[tuple[str, bool]] = [
        (f"{c.design} against reference {c.reference} (figures: the reference's vs yours)", True),
        (f"components matched by layer: {c.matched} of {c.components}", False),
    ]
    for delta in c.stages:
        title = f"stage {delta.stage}: {delta.title}" if delta.stage else "base design"
        lines.append(("", False))
        lines.append((title, True))
        if not delta.new and not delta.fixed and not delta.figures:
            lines.append(("  nothing changed at this stage", False))
        for kind, items in delta.new.items():
            lines.append((f"  new: {LABELS[kind]}: {_names(items)}", False))
        for kind, items in delta.fixed.items():
            lines.append((f"  no longer: {LABELS[kind]}: {_names(items)}", False))
        differing = [(r, m, f) for r, m, f in delta.figures if f.reference != f.mine]
        for r, m, f in differing[:LIST]:
            lines.append((f"  {figure_line(r, m, f)}", False))
        if len(differing) > LIST:
            lines.append((f"  and {len(differing) - LIST} more figures (--format json)", False))
        if delta.discussion:
            point = delta.discussion[0]
            short = point if len(point) <= POINT else point[: POINT - 3].rstrip() + "..."
            more = f" (+{len(delta.discussion) - 1} more)" if len(delta.discussion) > 1 else ""
            lines.append((f"  the reference discusses: {short}{more}", False))
    if c.findings:
        lines += [
            ("", False),
            ("Findings only in yours (once, with the stages they apply to):", True),
        ]
        grouped: dict[tuple[str, str, str, tuple[int, ...]], list[str]] = {}
        for f in c.findings:
            title, _, detail = f.title.partition(": ")
            parts = [detail] if detail else []
            parts += list(f.components)
            grouped.setdefault((f.code, f.severity, title, f.stages), []).extend(parts)
        for (code, severity, title, stages), parts in grouped.items():
            what = f": {_names(sorted(set(parts)))}" if parts else ""
            lines.append((f"  {code} {severity} at {_stages(stages)}: {title}{what}", False))
    if c.estimates:
        lines += [("", False), ("Estimates: the reference's vs yours", True)]
        for e in c.estimates:
            mine = _n(e.mine, e.unit) if e.mine is not None else "not written"
            ratio = ""
            if e.mine is not None and e.reference and e.mine != e.reference:
                ratio = f" (x{e.mine / e.reference:.2g})"
            elif e.mine == e.reference:
                ratio = " (same)"
            lines.append((f"  {e.name}: {_n(e.reference, e.unit)} vs {mine}{ratio}", False))
    return lines


def brief_lines(c: Comparison) -> list[str]:
    """At most ten lines: the headline gaps with counts, findings, numbers, estimates."""
    last = c.states[-1]
    lines = [f"{c.design} vs {c.reference}: {len(c.stages)} stages compared"]
    for kind, label in LABELS.items():
        items = sorted({x for s in c.stages for x in s.new.get(kind, [])})
        still = set(
            [x for x, _ in last.rubric_missed] if kind == "rubric_missed" else getattr(last, kind)
        )
        if items:
            lines.append(f"{label}: {len(still)} at the end ({_names(sorted(still) or items)})")
    if c.findings:
        codes = sorted({f.code for f in c.findings})
        lines.append(f"findings only in yours: {len(c.findings)} ({_names(codes)})")
    lines.append(f"components matched by layer: {c.matched} of {c.components}")
    worst = [
        (r, m, f)
        for state in c.states
        for p in state.pairs
        for r, m, f in [(p.reference, p.mine, fig) for fig in p.figures]
        if f.ratio and f.name in ("replicas", "GPU hosts", "capacity in total")
    ]
    worst.sort(key=lambda t: (-abs(math.log(t[2].ratio or 1)), t[0], t[2].name))
    if worst and worst[0][2].ratio != 1:
        lines.append("largest gap in numbers: " + figure_line(*worst[0]))
    written = [e for e in c.estimates if e.mine is not None]
    if c.estimates:
        lines.append(f"estimates: {len(written)} of the reference's {len(c.estimates)} written")
    busiest = max(c.stages, key=lambda s: (sum(len(v) for v in s.new.values()), -s.stage))
    if busiest.new:
        count = sum(len(v) for v in busiest.new.values())
        lines.append(f"most new gaps: stage {busiest.stage} ({count})")
    return lines[:BRIEF_LINES]
