"""The figures a follow-up question is filled from, read from one design view.

Every figure comes from the design (`sysdesign.analyses` for load, capacity and latency): a
component without `capacity_rps` has no utilisation (None), and a question that needs it asks
for it instead. Loads grow linearly with the scale factor (the
traffic model is linear), so the 10x figures are the peak figures times ten. Arithmetic goes
through `sysdesign.figures` (saturating: never inf or nan).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sysdesign.analyses import Analyses, analyses_for
from sysdesign.checks import run_checks
from sysdesign.checks.findings import Finding, Report
from sysdesign.figures import add, div, mul
from sysdesign.model import Design, Operation
from sysdesign.views import view_of

TEN_X = 10.0


@dataclass(frozen=True)
class ComponentFacts:
    """One component's figures at the design's peak."""

    id: str
    label: str
    kind: str
    layers: frozenset[str]
    replicas: int
    zones: tuple[str, ...]
    capacity_rps: float | None  # per replica
    total_capacity_rps: float | None
    load_rps: float
    latency_ms: float | None
    technology: str | None
    screens: tuple[str, ...]
    spof: bool
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def util(self) -> float | None:
        return div(self.load_rps, self.total_capacity_rps) if self.total_capacity_rps else None

    @property
    def util_10x(self) -> float | None:
        return None if self.util is None else mul(self.util, TEN_X)

    @property
    def zone_loss_util(self) -> float | None:
        """Utilisation when one of its zones is lost (replicas spread evenly over its zones)."""
        if self.util is None or len(self.zones) < 2:
            return None
        return div(mul(self.util, len(self.zones)), len(self.zones) - 1)


@dataclass(frozen=True)
class PathFacts:
    """The slowest synchronous path from one client."""

    entry: str
    label: str
    total_ms: float
    budget_ms: float
    path: tuple[str, ...]
    slowest: str | None  # the hop with the largest own latency
    slowest_ms: float | None
    unknown: tuple[str, ...]  # hops on the path with no latency_ms


@dataclass(frozen=True)
class ZoneFacts:
    """What losing one zone does."""

    zone: str
    only_here: tuple[str, ...]  # components with every replica in this zone
    worst: str | None  # the multi-zone component hottest after the loss
    worst_util: float | None


@dataclass
class Facts:
    """Everything the question bank can ask about one design view."""

    design: Design
    stage: int
    stage_title: str | None
    constraint: str | None
    peak_qps: float
    average_qps: float | None
    budget_ms: float
    availability: float
    tenants: float | None
    documents: float | None
    components: dict[str, ComponentFacts]
    paths: list[PathFacts]
    zones: list[ZoneFacts]
    findings: list[Finding]
    report: Report
    required_layers: tuple[str, ...]
    stage_requires: tuple[str, ...]  # layers and screens this stage itself asks for

    def with_layer(self, layers: list[str]) -> list[ComponentFacts]:
        return [c for c in self.components.values() if c.layers & set(layers)]


def _extra(an: Analyses, node: str) -> dict[str, Any]:
    """Per-kind figures: a cache's hit ratio and the store behind it, a buffer's consumers,
    who writes to a store, who feeds an audit log."""
    out: dict[str, Any] = {}
    graph = an.graph
    succ = list(graph.successors(node))
    flows_out = [f for v in succ for f in graph.edges[node, v]["flows"]]
    ratios = [f.hit_ratio for f in flows_out if f.hit_ratio is not None]
    out["hit_ratio"] = max(ratios) if ratios else None
    out["behind"] = next((f.to for f in flows_out if f.hit_ratio is not None), None)
    out["consumers"] = tuple(succ)
    caps = [an.capacity(v) for v in succ]
    out["consumer_capacity"] = add(*(c for c in caps if c)) if caps and all(caps) else None
    preds = list(graph.predecessors(node))
    out["writers"] = tuple(
        u for u in preds if any(f.op is Operation.WRITE for f in graph.edges[u, node]["flows"])
    )
    out["callers"] = tuple(preds)
    fans = [f.fan_out for u in preds for f in graph.edges[u, node]["flows"]]
    out["fan_in"] = max(fans) if fans and max(fans) > 1 else None
    return out


def _paths(an: Analyses) -> list[PathFacts]:
    result = []
    nodes = an.graph.nodes
    for entry in (n for n, kind in nodes(data="kind") if kind == "client"):
        path = an.critical_path(entry)
        hops = [(nodes[n]["latency_ms"], n) for n in path[1:]]
        known = [(ms, n) for ms, n in hops if ms is not None]
        slowest = max(known, key=lambda h: h[0]) if known else None
        result.append(
            PathFacts(
                entry=entry,
                label=nodes[entry]["label"],
                total_ms=an.timings[entry].total_ms,
                budget_ms=an.budget(entry),
                path=path,
                slowest=slowest[1] if slowest else None,
                slowest_ms=slowest[0] if slowest else None,
                unknown=tuple(n for ms, n in hops if ms is None),
            )
        )
    return result


def _zones(components: dict[str, ComponentFacts]) -> list[ZoneFacts]:
    names = sorted({z for c in components.values() for z in c.zones})
    result = []
    for zone in names:
        only = tuple(c.id for c in components.values() if c.zones == (zone,))
        spread = [c for c in components.values() if zone in c.zones and len(c.zones) > 1]
        hot = [c for c in spread if c.zone_loss_util is not None]
        worst = max(hot, key=lambda c: (c.zone_loss_util or 0.0, c.id), default=None)
        result.append(
            ZoneFacts(
                zone, only, worst.id if worst else None, worst.zone_loss_util if worst else None
            )
        )
    return result


def gather(design: Design, stage: int = 0) -> Facts:
    """The facts of `design` as of `stage` (0 = the base design)."""
    view = view_of(design, stage)
    an = analyses_for(view)
    report = run_checks(design, stage)
    spofs = {c for f in report.open_findings if f.code == "SD303" for c in f.components}
    components: dict[str, ComponentFacts] = {}
    for node, attrs in an.graph.nodes(data=True):
        comp = attrs["component"]
        if attrs["entry"]:
            continue
        components[node] = ComponentFacts(
            id=node,
            label=comp.display,
            kind=comp.kind.value,
            layers=comp.layers,
            replicas=comp.replicas,
            zones=tuple(comp.zones),
            capacity_rps=comp.capacity_rps,
            total_capacity_rps=an.capacity(node),
            load_rps=an.traffic.node.get(node, 0.0),
            latency_ms=comp.latency_ms,
            technology=comp.technology,
            screens=tuple(sorted(comp.effective_screens)),
            spof=node in spofs,
            extra=_extra(an, node),
        )
    stage_obj = view.stage
    return Facts(
        design=design,
        stage=view.stage_index,
        stage_title=stage_obj.title if stage_obj else None,
        constraint=stage_obj.constraint if stage_obj else None,
        peak_qps=view.scale.peak_qps,
        average_qps=view.scale.average_qps,
        budget_ms=view.slo.p99_latency_ms,
        availability=view.slo.availability,
        tenants=view.scale.tenants,
        documents=view.scale.documents,
        components=components,
        paths=_paths(an),
        zones=_zones(components),
        findings=report.open_findings,
        report=report,
        required_layers=tuple(sorted(view.required_layers)),
        stage_requires=tuple(
            [str(x.value) for x in stage_obj.requires.layers]
            + [f"{x.value} screening" for x in stage_obj.requires.screens]
        )
        if stage_obj
        else (),
    )
