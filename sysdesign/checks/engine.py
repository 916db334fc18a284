"""Runs every rule over a design view and applies the design's overrides and acceptances."""

from __future__ import annotations

import gc
from operator import itemgetter
from time import process_time

from sysdesign.analyses import analyses_for
from sysdesign.analyses.availability import Failure
from sysdesign.checks.context import CheckContext
from sysdesign.checks.findings import Finding, Report, Utilisation
from sysdesign.checks.latency_report import latency_paths
from sysdesign.checks.rule import REGISTRY, Hit, Rule, register
from sysdesign.figures import LIMIT_TEXT, div, mul
from sysdesign.model import Design
from sysdesign.views import DesignView, view_of

UNMATCHED_ACCEPTANCE = register(
    "SD001",
    "meta.acceptance-unmatched",
    "meta",
    "Acceptance matches nothing",
    "warning",
    why="""An acceptance that matches no finding is stale: the design changed and the written
    reason no longer describes it, or the code or component is misspelt. An acceptance with a
    component matches a finding of its code that names that component among those it is about
    (a write finding names the writer and the store: either matches).""",
    fix="""Remove the acceptance, or correct its code or component (the message lists the
    components the findings of that code are about).""",
    check=None,
)
UNKNOWN_OVERRIDE = register(
    "SD002",
    "meta.unknown-rule",
    "meta",
    "Severity override for an unknown rule",
    "warning",
    why="""An override that names no rule does nothing; it is usually a typo.""",
    fix="""Use a code from `sysdesign rules`.""",
    check=None,
)

SATURATED = register(
    "SD003",
    "meta.figure-saturated",
    "meta",
    "Figure beyond the representable range",
    "warning",
    why="""A load, utilisation or latency computed from the design's numbers is beyond 1e300: the
    inputs are extreme (a tiny capacity, a huge peak or scale, huge latencies), so the figure is
    shown as 'more than 1e+300' and flagged `saturated` instead of as infinity.""",
    fix="""Check the units and magnitudes of peak_qps, --scale, capacity_rps and latency_ms.""",
    check=None,
)


class RuleCrashed(RuntimeError):
    """A rule raised: never counted as 'does not apply'."""

    def __init__(self, code: str, exc: BaseException) -> None:
        super().__init__(f"rule {code} crashed: {type(exc).__name__}: {exc}")
        self.code = code


def _finding(rule: Rule, hit: Hit, severity: str) -> Finding:
    return Finding(
        code=rule.code,
        severity=hit.severity or severity,
        family=rule.family,
        title=rule.title,
        message=hit.message,
        components=hit.components,
        missing_layer=hit.missing_layer,
        anchor=hit.anchor,
        origin=hit.origin,
    )


def _meta(rule: Rule, message: str) -> Finding:
    return Finding(rule.code, rule.severity, rule.family, rule.title, message)


def _accept(design: Design, view: DesignView, findings: list[Finding]) -> list[Finding]:
    """Mark accepted findings; an acceptance that matches nothing here is itself a warning."""
    used: set[int] = set()
    result: list[Finding] = []
    for finding in findings:
        reason = None
        for i, acc in enumerate(design.accepted):
            if acc.code == finding.code and (
                acc.component is None or acc.component in finding.components
            ):
                used.add(i)
                reason = acc.reason
                break
        result.append(finding if reason is None else _with(finding, accepted=reason))
    for i, acc in enumerate(design.accepted):
        if i in used or (acc.component is not None and acc.component not in view.components):
            continue
        target = f" on {acc.component}" if acc.component else ""
        hint = _what_to_name(acc.code, findings)
        result.append(
            _meta(UNMATCHED_ACCEPTANCE, f"accepted {acc.code}{target} matches no finding{hint}")
        )
    return result


def _what_to_name(code: str, findings: list[Finding]) -> str:
    """'; SD205 here is about app, db: name one of those' (or that there is no such finding)."""
    named = list(dict.fromkeys(c for f in findings if f.code == code for c in f.components))
    if not named:
        return f"; there is no {code} finding here"
    return f"; {code} here is about {', '.join(named[:8])}: name one of those"


def rule_runs(code: str) -> bool:
    """Whether a rule has its own check (its overrides were applied when it ran)."""
    return REGISTRY[code].check is not None if code in REGISTRY else True


def _with(finding: Finding, **changes: object) -> Finding:
    from dataclasses import replace

    return replace(finding, **changes)  # type: ignore[arg-type]


def run_checks(
    design: Design,
    stage: int | str | None = None,
    scale: float = 1.0,
    failure: Failure | None = None,
    laps: dict[str, float] | None = None,
) -> Report:
    """Check a design as of `stage` with its peak load multiplied by `scale`, optionally with one
    zone or component failed (`failure`).

    `laps` (for bench/bench_check.py) receives CPU seconds per phase: the view, each analysis every
    check computes (forced up front, in order), each rule family, and the report."""
    enabled = gc.isenabled()
    gc.disable()  # many small objects, none cyclic garbage: collection passes only cost time
    try:
        return _run(design, stage, scale, failure, _Laps(laps))
    finally:
        if enabled:
            gc.enable()


class _Laps:
    """Seconds per phase added into a dict; does nothing without one."""

    ANALYSES = ("graph", "arrays", "traffic", "waits", "sync", "timings", "headroom")

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into = into
        self.start = process_time()

    def __call__(self, phase: str) -> None:
        if self.into is not None:
            now = process_time()
            self.into[phase] = self.into.get(phase, 0.0) + now - self.start
            self.start = now


def _run(
    design: Design, stage: int | str | None, scale: float, failure: Failure | None, lap: _Laps
) -> Report:
    view = view_of(design, stage)
    lap("view")
    analyses = analyses_for(view, scale)
    if lap.into is not None:
        for name in _Laps.ANALYSES:
            getattr(analyses, name)
            lap(f"analysis {name}")
    ctx = CheckContext(analyses, failure)
    overrides = {code: sev.value for code, sev in design.checks.severity.items()}
    findings: list[Finding] = []
    for code in sorted(overrides):
        if code not in REGISTRY:
            findings.append(_meta(UNKNOWN_OVERRIDE, f"checks.severity names unknown rule {code}"))
    for code in sorted(REGISTRY):
        rule = REGISTRY[code]
        severity = overrides.get(code, rule.severity)
        if severity == "off" or rule.check is None:
            continue
        try:
            hits = list(rule.check(ctx))
        except Exception as exc:  # a crashing rule must fail loudly, never pass silently
            raise RuleCrashed(code, exc) from exc
        findings.extend(_finding(rule, hit, severity) for hit in hits)
        lap(f"rules {rule.family}")
    findings = [
        f if f.code not in overrides or rule_runs(f.code) else _with(f, severity=overrides[f.code])
        for f in _accept(design, view, findings)
    ]
    report = Report(
        design=design.id,
        title=design.title,
        stage=view.stage_index,
        stage_title=view.stage.title if view.stage else None,
        scale_factor=scale,
        peak_qps=mul(view.scale.peak_qps, scale),
        target_utilization=view.slo.target_utilization,
        budget_ms=view.slo.p99_latency_ms,
        utilisation=_utilisation(ctx),
        origins={c: view.origin(component=c) for c in view.components},
        latency=latency_paths(ctx),
        headroom=ctx.analyses.headroom,
        failure=failure.describe() if failure is not None else None,
    )
    parts = report.saturated()
    if parts:
        what = ", ".join(parts[:5]) + (f" and {len(parts) - 5} more" if len(parts) > 5 else "")
        found = _meta(SATURATED, f"{what}: {LIMIT_TEXT} (extreme inputs)")
        findings.append(_with(found, severity=overrides.get(SATURATED.code, found.severity)))
    report.findings = sorted((f for f in findings if f.severity != "off"), key=Finding.sort_key)
    lap("report")
    return report


def _utilisation(ctx: CheckContext) -> list[Utilisation]:
    """Every component but the entry points, busiest first (ratio of load to capacity; none
    stated counts as 0), then by id."""
    capacities, nodes = ctx.analyses.capacities, ctx.node_data
    keyed = []
    for node, load in ctx.traffic.node.items():
        data = nodes[node]
        if data["entry"]:
            continue
        capacity = capacities[node]
        row = Utilisation(node, load, capacity, data["replicas"])
        keyed.append(((-((div(load, capacity) if capacity else None) or 0.0), node), row))
    keyed.sort(key=itemgetter(0))  # the key Utilisation.ratio gives, computed once per row
    return [row for _, row in keyed]
