"""The checker: rules over a design's graph that find what an interviewer would catch."""

from sysdesign.checks.engine import RuleCrashed, run_checks
from sysdesign.checks.findings import Finding, Report
from sysdesign.checks.rule import FAMILIES, REGISTRY, Rule
from sysdesign.checks.rules import (  # noqa: F401  (register)
    agents,
    audit,
    availability,
    capacity,
    data,
    latency,
    layers,
    paths,
    structure,
)

__all__ = ["FAMILIES", "REGISTRY", "Finding", "Report", "Rule", "RuleCrashed", "run_checks"]
