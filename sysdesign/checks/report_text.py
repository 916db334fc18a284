"""The text form of a check report: findings grouped by family, then capacity and latency."""

from __future__ import annotations

from collections.abc import Callable

from sysdesign.checks.findings import Finding, LatencyPath, Report
from sysdesign.checks.rule import FAMILIES, REGISTRY
from sysdesign.figures import div, fmt_number, fmt_percent, mul

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
Locate = Callable[[Finding], str]


def _scope(report: Report) -> str:
    stage = f"stage {report.stage}: {report.stage_title}" if report.stage else "base design"
    scale = f", x{report.scale_factor:g} scale" if report.scale_factor != 1 else ""
    if report.failure:
        scale += f", {report.failure} failed"
    peak, budget = fmt_number(report.peak_qps), fmt_number(report.budget_ms)
    return f"{stage}{scale}; peak {peak} req/s, p99 budget {budget} ms"


def latency_lines(path: LatencyPath) -> list[str]:
    """A critical path: the total against the budget, then hop by hop with each hop's share."""
    what = "Time to first token" if path.measure == "first token" else "Critical path"
    if path.saturated_at:
        head = (
            f"  {what} from {path.entry}: [bold red]saturated[/bold red] at "
            f"{', '.join(path.saturated_at)} (budget {fmt_number(path.budget_ms)} ms)"
        )
    else:
        fits = "fits" if path.fits else "[bold red]over[/bold red]"
        head = (
            f"  {what} from {path.entry}: {fmt_number(path.total_ms, 1)} ms ({fits} "
            f"{fmt_number(path.budget_ms)} ms): {' -> '.join(path.path)}"
        )
    lines = [head]
    total = path.total_ms
    for hop in path.hops[1:]:
        share = fmt_percent(div(hop.ms, total)) if total > 0 else "-"
        step = f"step {hop.step}: " if hop.step > 1 else ""
        mark = " saturated" if hop.component in path.saturated_at else ""
        mark += " (with its calls)" if hop.folded else ""
        lines.append(
            f"    {'  ' * (hop.depth - 1)}{step}{hop.component} {fmt_number(hop.ms, 1)} ms "
            f"({share}){mark}"
        )
    return lines


def headroom_lines(report: Report, every: bool) -> list[str]:
    """What breaks first: one line, and with `every` each component's traffic multiples to the
    target utilisation and to 100% (relative to the load checked), first to break first."""
    rows = report.headroom
    if not rows:
        return []
    first = rows[0]
    multiple = fmt_number(mul(first.to_full, report.scale_factor), 2)
    line = f"  First to break: {first.component} at x{multiple} the design's peak load"
    if report.scale_factor != 1:
        over = [h.component for h in rows if h.to_full < 1]
        line += f"; at x{report.scale_factor:g}: {len(over)} over capacity" + (
            f" ({', '.join(over[:5])}{', ...' if len(over) > 5 else ''})" if over else ""
        )
    lines = [line]
    if every:
        target = fmt_percent(report.target_utilization)
        lines.append(f"  Headroom (multiple of the load checked, to {target} / to 100%):")
        lines += [
            f"    {h.component} x{fmt_number(h.to_target, 2)} / x{fmt_number(h.to_full, 2)}"
            for h in rows
        ]
    return lines


def report_lines(
    report: Report,
    locate: Locate | None = None,
    top: int = 5,
    explain: bool = True,
    headroom: bool = False,
) -> list[str]:
    """Rich-markup lines for one report; `explain` adds each code's why and fix once."""
    lines = [f"[bold]{report.design}[/bold] — {report.title} ({_scope(report)})"]
    for family, heading in FAMILIES.items():
        group = [f for f in report.findings if f.family == family]
        if not group:
            continue
        lines.append(f"  [bold]{heading}[/bold]")
        explained: set[str] = set()
        for f in group:
            where = f"{locate(f)}: " if locate else ""
            if f.accepted:
                lines.append(
                    f"    [dim]accepted {f.code} {f.title}: {f.message}\n"
                    f"      reason: {f.accepted}[/dim]"
                )
                continue
            style = SEVERITY_STYLE[f.severity]
            lines.append(
                f"    {where}[{style}]{f.severity}[/{style}] {f.code} {f.title}: {f.message}"
            )
            rule = REGISTRY.get(f.code)
            if explain and rule is not None and f.code not in explained:
                explained.add(f.code)
                lines.append(f"      [dim]why: {rule.why}\n      fix: {rule.fix}[/dim]")
    hot = [u for u in report.utilisation if u.ratio is not None][:top]
    if hot:
        cells = ", ".join(f"{u.component} {fmt_percent(u.ratio)}" for u in hot)  # type: ignore[arg-type]
        target = fmt_percent(report.target_utilization)
        lines.append(f"  Utilisation at peak (target {target}): {cells}")
    if headroom or report.scale_factor != 1:
        lines.extend(headroom_lines(report, headroom))
    for path in report.latency:
        lines.extend(latency_lines(path))
    accepted = len(report.findings) - len(report.open_findings)
    lines.append(
        f"  {len(report.errors)} errors, {len(report.warnings)} warnings, "
        f"{len(report.open_findings) - len(report.errors) - len(report.warnings)} info, "
        f"{accepted} accepted"
    )
    return lines
