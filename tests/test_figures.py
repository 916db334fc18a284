"""The finite-number policy: every figure the checker computes is finite, saturation is flagged."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import yaml
from conftest import run_cli

import designs
from sysdesign import figures
from sysdesign.checks import run_checks

INF = re.compile(r"\binf\b|inf%|\bnan\b", re.IGNORECASE)


def _finite_everywhere(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite_everywhere(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_finite_everywhere(v) for v in value)
    return True


def _write(project: Path, d: dict) -> Path:
    path = project / "designs" / f"{d['id']}.yaml"
    path.write_text(yaml.safe_dump(d, sort_keys=False))
    return path


def _tiny_capacity() -> dict:
    d = designs.data()
    d["id"] = "tiny"
    d["scale"]["peak_qps"] = 1.0e300
    designs.component(d, "gw")["capacity_rps"] = 1.0e-300
    return d


def _huge_latency() -> dict:
    d = designs.data()
    d["id"] = "slow"
    for f in d["flows"]:
        f["latency_ms"] = 1.0e308
    return d


def test_saturating_arithmetic() -> None:
    assert figures.mul(1e300, 1e300) == figures.LIMIT
    assert figures.add(1e308, 1e308) == figures.LIMIT
    assert figures.div(1e300, 1e-300) == figures.LIMIT
    assert figures.div(0.0, 0.0) == 0.0
    assert figures.div(5.0, 0.0) == figures.LIMIT
    assert figures.mul(0.0, figures.LIMIT) == 0.0
    assert figures.clamp(math.inf) == figures.LIMIT
    assert figures.clamp(-math.inf) == -figures.LIMIT
    assert figures.clamp(math.nan) == figures.LIMIT
    assert figures.saturated(figures.LIMIT) and not figures.saturated(1e299)
    assert figures.mul(2.0, 3.0) == 6.0 and figures.add(1.0, 2.0, 3.0) == 6.0


def test_formatting_never_prints_inf() -> None:
    assert figures.fmt_number(1234.4) == "1,234"
    assert figures.fmt_number(12.34, 1) == "12.3"
    assert figures.fmt_number(2.5e18) == "2.5e+18"
    assert figures.fmt_number(figures.LIMIT) == "more than 1e+300"
    assert figures.fmt_percent(0.853) == "85%"
    assert figures.fmt_percent(figures.LIMIT) == "more than 1e+300%"


def test_scale_overflow_gives_finite_json(project: Path) -> None:
    result = run_cli(project, "check", "qortex", "--scale", "1e308", "--format", "json")
    assert "Traceback" not in result.stderr and result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert _finite_everywhere(data)
    assert data[0]["saturated"] if isinstance(data, list) else data["saturated"]


def test_tiny_capacity_is_saturated_not_inf(project: Path) -> None:
    _write(project, _tiny_capacity())
    text = run_cli(project, "check", "tiny")
    assert not INF.search(text.stdout) and "Traceback" not in text.stderr, text.stdout + text.stderr
    assert "more than 1e+300" in text.stdout
    result = run_cli(project, "check", "tiny", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert _finite_everywhere(json.loads(result.stdout))


def test_chained_huge_latencies_stay_finite(project: Path) -> None:
    _write(project, _huge_latency())
    result = run_cli(project, "check", "slow", "--format", "json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert _finite_everywhere(data)
    text = run_cli(project, "check", "slow")
    assert not INF.search(text.stdout) and "more than 1e+300 ms" in text.stdout


def test_report_flags_saturated_figures() -> None:
    report = run_checks(designs.build(_tiny_capacity()), 0)
    assert _finite_everywhere(report.as_dict())
    gw = next(u for u in report.as_dict()["utilisation"] if u["component"] == "gw")
    assert gw["saturated"] is True and gw["utilisation"] == figures.LIMIT
    assert "SD003" in report.codes()
    clean = run_checks(designs.build(designs.data()), 0)
    assert "SD003" not in clean.codes() and not clean.as_dict()["saturated"]


def test_small_figures_are_not_rounded_to_zero() -> None:
    assert figures.fmt_number(0.4) == "0.4"
    assert figures.fmt_number(0.0) == "0"
    assert figures.fmt_number(-figures.LIMIT) == "less than -1e+300"
