"""Subjects of questions and their figures, raw (for `when.metric`) and as text (for the
placeholders). A figure the design does not state is None and never shown as a number."""

from __future__ import annotations

import math
from typing import Any

from sysdesign.checks.findings import Finding
from sysdesign.figures import LIMIT_TEXT, div, fmt_number, mul, saturated
from sysdesign.probe.facts import ComponentFacts, Facts, PathFacts, ZoneFacts

Figures = dict[str, Any]
MONTH_MIN = 30 * 24 * 60

_PERCENT = {
    "util",
    "util_10x",
    "hit_ratio",
    "slowest_share",
    "worst_util",
    "hottest_util",
    "hottest_util_10x",
    "first_break_util",
    "zone_loss_util",
}
_MS = {"total_ms", "budget_ms", "slowest_ms", "latency_ms"}


def number(value: float) -> str:
    """A figure as an interviewer says it: 1.2M, 640, 0.5, 38K (three significant digits);
    `more than 1e+300` when saturated (sysdesign.figures), `2.5e+18` when beyond trillions."""
    if value == 0:
        return "0"
    if saturated(value) or abs(value) >= 1e15:
        return fmt_number(value)
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size * 10 or (abs(value) >= size and suffix != "K"):
            return f"{_sig(value / size)}{suffix}"
    return _sig(value)


def _sig(value: float) -> str:
    if saturated(value):
        return LIMIT_TEXT
    text = f"{value:.3g}"
    if "e" in text:
        text = f"{value:,.0f}"
    return text


def text_of(name: str, value: Any) -> str:
    """The placeholder text of one figure."""
    if isinstance(value, str):
        return value
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value) or "none"
    if name in _PERCENT:
        return f"{number(mul(value, 100))}%"
    if name in _MS:
        return f"{_sig(value)} ms"
    return number(value)


def design_figures(facts: Facts) -> Figures:
    """Figures of the design as a whole."""
    by_util = ranked(facts)
    hottest = by_util[0] if by_util and by_util[0].util is not None else None
    breaking = [c for c in by_util if c.util_10x is not None and c.util_10x > 1]
    average = facts.average_qps
    errors = [f for f in facts.findings if f.severity == "error"]
    llms = facts.with_layer(["llm"])
    return {
        "peak_qps": facts.peak_qps,
        "peak_10x": mul(facts.peak_qps, 10),
        "average_qps": average,
        "peak_ratio": div(facts.peak_qps, average) if average else None,
        "budget_ms": facts.budget_ms,
        "availability": f"{facts.availability * 100:.6g}%",
        "downtime_min": (1 - facts.availability) * MONTH_MIN,
        "component_count": len(facts.components),
        "llm": llms[0].label if llms else None,
        "llm_count": len(llms),
        "tenants": facts.tenants,
        "documents": facts.documents,
        "documents_10x": mul(facts.documents, 10) if facts.documents else None,
        "hottest": hottest.label if hottest else None,
        "hottest_util": hottest.util if hottest else None,
        "hottest_util_10x": hottest.util_10x if hottest else None,
        "hottest_headroom": div(10, hottest.util_10x) if hottest and hottest.util_10x else None,
        "first_break": breaking[0].label if breaking else None,
        "first_break_util": breaking[0].util_10x if breaking else None,
        "second_break": breaking[1].label if len(breaking) > 1 else "nothing else stated",
        "constraint": " ".join((facts.constraint or "").split()) or None,
        "required": ", ".join(facts.stage_requires) or "no new layers named",
        "error_count": len(errors),
        "first_error": errors[0].message if errors else None,
    }


def ranked(facts: Facts) -> list[ComponentFacts]:
    """Components hottest first: by utilisation, then load; those without capacity last."""
    return sorted(
        facts.components.values(),
        key=lambda c: (c.util is None, -(c.util or 0.0), -c.load_rps, c.id),
    )


def _replicas(needed: float) -> float:
    """Whole replicas for a need; a saturated need stays the (float) limit, never a huge int."""
    return needed if saturated(needed) else math.ceil(needed)


def component_figures(facts: Facts, comp: ComponentFacts, rank: int) -> Figures:
    label = facts.components
    extra = comp.extra
    hit = extra.get("hit_ratio")
    behind = extra.get("behind")
    consumers = extra.get("consumers", ())
    writers = extra.get("writers") or extra.get("callers", ())
    target = facts.report.target_utilization
    return {
        "id": comp.id,
        "label": comp.label,
        "rank": rank,
        "kind": comp.kind,
        "replicas": comp.replicas,
        "replicas_text": f"{comp.replicas:,} replica" + ("" if comp.replicas == 1 else "s"),
        "replicas_10x": _replicas(div(mul(comp.load_rps, 10), mul(comp.capacity_rps, target)))
        if comp.capacity_rps
        else None,
        "capacity": comp.capacity_rps,
        "total_capacity": comp.total_capacity_rps,
        "load": comp.load_rps,
        "load_10x": mul(comp.load_rps, 10),
        "util": comp.util,
        "util_10x": comp.util_10x,
        "zone_loss_util": comp.zone_loss_util,
        "zone_count": len(comp.zones) or None,
        "zones_text": ", ".join(comp.zones) if comp.zones else None,
        "latency_ms": comp.latency_ms,
        "spof": 1 if comp.spof else 0,
        "hit_ratio": hit,
        "hit_ratio_value": hit,
        "behind": label[behind].label if behind in label else behind,
        "miss_rps": mul(comp.load_rps, 1 - hit) if hit is not None else None,
        "consumers": tuple(label[c].label if c in label else c for c in consumers) or None,
        "consumer_capacity": extra.get("consumer_capacity"),
        "backlog_10min": mul(comp.load_rps, 600),
        "writers": tuple(label[w].label if w in label else w for w in writers) or None,
        "screens_text": ", ".join(comp.screens) if comp.screens else None,
        "fp_per_s": mul(comp.load_rps, 0.01),
        "fan_in": extra.get("fan_in"),
    }


def path_figures(facts: Facts, path: PathFacts) -> Figures:
    names = facts.components
    return {
        "label": path.label,
        "entry": path.entry,
        "total_ms": path.total_ms,
        "budget_ms": path.budget_ms,
        "path_text": " -> ".join(path.path),
        "path_hops": len(path.path) - 1,
        "slowest": names[path.slowest].label if path.slowest in names else path.slowest,
        "slowest_ms": path.slowest_ms,
        "slowest_share": div(path.slowest_ms, path.budget_ms) if path.slowest_ms else None,
        "unknown": tuple(names[u].label for u in path.unknown if u in names) or None,
        "unknown_count": len(path.unknown),
    }


def zone_figures(facts: Facts, zone: ZoneFacts) -> Figures:
    names = facts.components
    only = [names[c].label for c in zone.only_here]
    return {
        "zone": zone.zone,
        "worst": names[zone.worst].label if zone.worst else None,
        "worst_util": zone.worst_util,
        "only_text": f", and {', '.join(only)} runs only there" if only else "",
        "only": tuple(only) or None,
        "only_count": len(only),
    }


def finding_figures(facts: Facts, finding: Finding) -> Figures:
    return {
        "code": finding.code,
        "message": finding.message,
        "components": finding.components,
        "peak_qps": facts.peak_qps,
    }
