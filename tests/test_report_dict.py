"""`Report.as_dict` builds its dicts directly; it must equal the deep `dataclasses.asdict` build
it replaced, field for field and in the same order, on every reference and on generated designs."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from sysdesign.analyses.availability import Failure
from sysdesign.checks import run_checks
from sysdesign.checks.findings import Finding, PathHop, Report, Utilisation, as_fields
from sysdesign.checks.rule import REGISTRY
from sysdesign.loader import load_design

ROOT = Path(__file__).parent.parent
REFERENCES = sorted((ROOT / "designs").glob("*.yaml"))


def _bench_check() -> Any:
    spec = importlib.util.spec_from_file_location("bench_check", ROOT / "bench" / "bench_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def deep_finding(f: Finding) -> dict[str, Any]:
    """What `Finding.as_dict` gave before: asdict, lists for tuples, the rule's why and fix."""
    data = dataclasses.asdict(f)
    data["components"] = list(f.components)
    data["origin"] = list(f.origin) if f.origin is not None else None
    rule = REGISTRY.get(f.code)
    data["why"] = rule.why if rule else None
    data["fix"] = rule.fix if rule else None
    return data


def deep_report(r: Report) -> dict[str, Any]:
    """What `Report.as_dict` gave before (dataclasses.asdict for every record)."""
    return {
        "design": r.design,
        "title": r.title,
        "stage": r.stage,
        "stage_title": r.stage_title,
        "scale_factor": r.scale_factor,
        "peak_qps": r.peak_qps,
        "target_utilization": r.target_utilization,
        "budget_ms": r.budget_ms,
        "summary": {
            "errors": len(r.errors),
            "warnings": len(r.warnings),
            "info": len([f for f in r.open_findings if f.severity == "info"]),
            "accepted": len([f for f in r.findings if not f.is_open]),
        },
        "failure": r.failure,
        "findings": [deep_finding(f) for f in r.findings],
        "headroom": [dataclasses.asdict(h) for h in r.headroom],
        "saturated": r.saturated(),
        "utilisation": [
            {**dataclasses.asdict(u), "utilisation": u.ratio, "saturated": u.saturated}
            for u in r.utilisation
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
                "hops": [dataclasses.asdict(h) for h in p.hops],
            }
            for p in r.latency
        ],
    }


def same(new: Any, old: Any) -> None:
    """Equal, with the same key order and the same types all the way down."""
    assert type(new) is type(old)
    if isinstance(old, dict):
        assert list(new) == list(old)
        for key in old:
            same(new[key], old[key])
    elif isinstance(old, list):
        assert len(new) == len(old)
        for a, b in zip(new, old, strict=True):
            same(a, b)
    else:
        assert new == old or (new != new and old != old)


def reports(design: Any) -> list[Report]:
    out = [run_checks(design, i) for i in range(len(design.stages) + 1)]
    out.append(run_checks(design, len(design.stages), 10.0))
    zones = sorted({z for c in design.components for z in c.zones})
    if zones:
        out.append(run_checks(design, 0, 1.0, Failure(zone=zones[0])))
    return out


@pytest.mark.parametrize("path", REFERENCES, ids=lambda p: p.stem)
def test_as_dict_equals_the_deep_copy_on_every_reference(path: Path) -> None:
    for report in reports(load_design(path)):
        same(report.as_dict(), deep_report(report))
        for finding in report.findings:
            same(finding.as_dict(), deep_finding(finding))


def test_as_dict_equals_the_deep_copy_on_a_generated_design() -> None:
    bench = _bench_check()
    for seed in (1, 7):
        design = bench.generate(300, seed)
        for report in (run_checks(design, 0), run_checks(design, 0, 1e300)):
            assert report.findings and report.utilisation and report.headroom
            assert any(p.hops for p in report.latency)
            same(report.as_dict(), deep_report(report))


def test_as_fields_is_asdict_of_a_flat_record() -> None:
    hop = PathHop("db", 1.5, 2, 1, folded=True)
    row = Utilisation("db", 10.0, None, 3)
    for record in (hop, row):
        same(as_fields(record), dataclasses.asdict(record))

    @dataclasses.dataclass(frozen=True)
    class One:
        only: str

    same(as_fields(One("x")), {"only": "x"})
