"""What the checker produces: findings and the capacity and latency reports behind them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from sysdesign.analyses.headroom import Headroom
from sysdesign.figures import div, saturated

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One thing an interviewer would catch."""

    code: str
    severity: str  # error | warning | info (after the design's overrides)
    family: str
    title: str
    message: str
    components: tuple[str, ...] = ()
    missing_layer: str | None = None  # a layer that should exist: drawn as a ghost node
    anchor: str | None = None  # the component the missing layer belongs next to
    accepted: str | None = None  # the author's reason, when the design accepts this finding
    origin: tuple[str | int, ...] | None = None  # YAML path of what it is about, if no component

    @property
    def is_open(self) -> bool:
        """Not accepted by the design."""
        return self.accepted is None

    def sort_key(self) -> tuple[Any, ...]:
        return (SEVERITY_ORDER[self.severity], self.code, self.components, self.message)

    def as_dict(self) -> dict[str, Any]:
        from sysdesign.checks.rule import REGISTRY

        return _finding_dict(self, REGISTRY)


@dataclass(frozen=True)
class Utilisation:
    """Load on one component at the design's peak (times the scale factor)."""

    component: str
    load_rps: float
    capacity_rps: float | None  # replicas x per-replica capacity
    replicas: int

    @property
    def ratio(self) -> float | None:
        return div(self.load_rps, self.capacity_rps) if self.capacity_rps else None

    @property
    def saturated(self) -> bool:
        """A figure of this row is beyond the representable range (held at the limit)."""
        return saturated(self.load_rps) or saturated(self.capacity_rps) or saturated(self.ratio)


@dataclass(frozen=True)
class PathHop:
    """One component's own share of a critical path (network in, own latency, queueing)."""

    component: str
    ms: float
    depth: int  # call depth below the entry point
    step: int  # the step of its caller that called it (0 for the entry point)
    folded: bool = False  # its time includes everything it calls (listed once already)


@dataclass(frozen=True)
class LatencyPath:
    """The slowest synchronous request path from one entry point."""

    entry: str
    total_ms: float
    path: tuple[str, ...]
    budget_ms: float  # the entry's own budget, or the design's p99 budget
    hops: tuple[PathHop, ...] = ()
    saturated_at: tuple[str, ...] = ()  # components at or past capacity in its request tree
    measure: str = "p99"  # "p99" (the whole response) or "first token" (streamed answers)

    @property
    def fits(self) -> bool:
        return not self.saturated_at and not self.saturated and self.total_ms <= self.budget_ms

    @property
    def saturated(self) -> bool:
        return saturated(self.total_ms)


@dataclass
class Report:
    """Everything `sysdesign check` knows about one design view."""

    design: str
    title: str
    stage: int
    stage_title: str | None
    scale_factor: float
    peak_qps: float
    target_utilization: float
    budget_ms: float
    findings: list[Finding] = field(default_factory=list)
    utilisation: list[Utilisation] = field(default_factory=list)
    latency: list[LatencyPath] = field(default_factory=list)
    origins: dict[str, tuple[str | int, ...]] = field(default_factory=dict)  # id -> YAML path
    headroom: list[Headroom] = field(default_factory=list)  # first to break first
    failure: str | None = None  # "zone az-a" / "component db" when checked with one failed

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.is_open]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.open_findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.open_findings if f.severity == "warning"]

    def saturated(self) -> list[str]:
        """What in this report is beyond the representable range (sysdesign.figures)."""
        found = ["peak load"] if saturated(self.peak_qps) else []
        found += [f"load on {u.component}" for u in self.utilisation if u.saturated]
        found += [f"latency from {p.entry}" for p in self.latency if p.saturated]
        return found

    def codes(self) -> set[str]:
        """Codes of open findings."""
        return {f.code for f in self.open_findings}

    def by_component(self) -> dict[str, str]:
        """The worst open severity per component (for outlining on diagrams)."""
        worst: dict[str, str] = {}
        for f in self.open_findings:
            for c in f.components:
                if c not in worst or SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[worst[c]]:
                    worst[c] = f.severity
        return worst

    def as_dict(self) -> dict[str, Any]:
        from sysdesign.checks.rule import REGISTRY

        return {
            "design": self.design,
            "title": self.title,
            "stage": self.stage,
            "stage_title": self.stage_title,
            "scale_factor": self.scale_factor,
            "peak_qps": self.peak_qps,
            "target_utilization": self.target_utilization,
            "budget_ms": self.budget_ms,
            "summary": {
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "info": len([f for f in self.open_findings if f.severity == "info"]),
                "accepted": len([f for f in self.findings if not f.is_open]),
            },
            "failure": self.failure,
            "findings": [_finding_dict(f, REGISTRY) for f in self.findings],
            "headroom": [as_fields(h) for h in self.headroom],
            "saturated": self.saturated(),
            "utilisation": [
                {**as_fields(u), "utilisation": u.ratio, "saturated": u.saturated}
                for u in self.utilisation
            ],
            "latency": [
                {
                    "entry": p.entry,
                    "measure": p.measure,
                    "total_ms": p.total_ms,
                    "budget_ms": p.budget_ms,
                    "fits": p.fits,
                    "saturated_at": list(p.saturated_at),
                    "path": list(p.path),
                    "saturated": p.saturated,
                    "hops": [as_fields(h) for h in p.hops],
                }
                for p in self.latency
            ],
        }


_GETTERS: dict[type, tuple[tuple[str, ...], attrgetter[Any]]] = {}


def as_fields(record: Any) -> dict[str, Any]:
    """A flat dataclass record as a dict of its fields, in their order.

    `dataclasses.asdict` without its deep copy: the records a report holds (utilisation rows,
    headroom rows, path hops) have only immutable scalar fields, so the copy changes nothing and
    cost most of a large report's serialisation (tests compare both on every reference)."""
    cls = type(record)
    known = _GETTERS.get(cls)
    if known is None:
        names = tuple(f.name for f in fields(cls))
        known = _GETTERS[cls] = (names, attrgetter(*names))
    names, get = known
    values = get(record)
    return dict(zip(names, values if len(names) > 1 else (values,), strict=True))


def _finding_dict(f: Finding, registry: dict[str, Any]) -> dict[str, Any]:
    """A finding as `Finding.as_dict` gives it (the field order of `dataclasses.asdict`)."""
    rule = registry.get(f.code)
    return {
        "code": f.code,
        "severity": f.severity,
        "family": f.family,
        "title": f.title,
        "message": f.message,
        "components": list(f.components),
        "missing_layer": f.missing_layer,
        "anchor": f.anchor,
        "accepted": f.accepted,
        "origin": list(f.origin) if f.origin is not None else None,
        "why": rule.why if rule else None,
        "fix": rule.fix if rule else None,
    }
