"""Properties of every command's library entry point on generated valid designs."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from strategies import CANARY, designs, examples

from sysdesign.checks import run_checks
from sysdesign.checks.report_text import report_lines
from sysdesign.figures import finite_tree
from sysdesign.loader import parse_design
from sysdesign.model import Design

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")


def _design(data: dict[str, Any]) -> Design:
    """The generated design must validate: the strategy promises valid designs."""
    return parse_design(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "prop.yaml")


def _strict_json(value: Any) -> Any:
    text = json.dumps(value, allow_nan=False)  # raises on inf or nan
    return json.loads(text)


@examples(40)
@given(designs(), st.sampled_from([1.0, 10.0, 1e300, 1e308]))
def test_check_never_raises_and_json_is_finite(data: dict[str, Any], scale: float) -> None:
    design = _design(data)
    for stage in range(len(design.stages) + 1):
        report = run_checks(design, stage, scale)
        as_json = _strict_json(report.as_dict())
        assert finite_tree(as_json)
        text = "\n".join(report_lines(report))
        assert not re.search(r"\binf\b|inf%|\bnan\b", text), text


@examples(15)
@given(designs(max_components=8))
def test_grade_compare_and_checklist_never_raise_and_escape_text(data: dict[str, Any]) -> None:
    from sysdesign.compare import compare
    from sysdesign.rubric.checklist import Diagram, render_checklist
    from sysdesign.rubric.evaluate import evaluate
    from sysdesign.rubric.loader import load_rubric

    design = _design(data)
    stage = len(design.stages)
    evaluation = evaluate(design, load_rubric("general"), stage)
    grade = evaluation.grade({})
    assert finite_tree(_strict_json(grade.as_dict()))
    compare(design, design)
    markdown, html = render_checklist(evaluation, Diagram(mermaid="flowchart LR"))
    for out in (markdown, html):
        assert "\x00" not in out and CANARY not in out


def _dot_accepts(dot: bytes) -> tuple[bool, str]:
    from sysdesign.render.graphviz_run import dot_command

    proc = subprocess.run(dot_command("canon"), input=dot, capture_output=True, timeout=120)
    return proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-500:]


@needs_dot
@examples(12)
@given(designs(max_components=8))
def test_every_view_renders_dot_that_dot_accepts_and_escaped_mermaid(
    data: dict[str, Any],
) -> None:
    from sysdesign.render.view_set import render_views

    design = _design(data)
    for stage in range(len(design.stages) + 1):
        report = run_checks(design, stage)
        for item in render_views(design, stage, report, formats=("dot", "mmd")):
            assert item.problem is None, item.problem
            ok, why = _dot_accepts(item.outputs["dot"])
            assert ok, f"{item.view}: {why}"
            if "mmd" in item.outputs:
                mmd = item.outputs["mmd"].decode()
                assert CANARY not in mmd and "\x00" not in mmd


@needs_dot
@examples(6)
@given(designs(max_components=6))
def test_svg_is_well_formed_with_every_text_escaped(data: dict[str, Any]) -> None:
    from sysdesign.render.view_set import render_views

    design = _design(data)
    for item in render_views(design, 0, None, ("full",), ("svg",)):
        svg = item.outputs["svg"]
        ET.fromstring(svg)  # any unescaped text breaks the XML
        assert CANARY.encode() not in svg and b"\x00" not in svg


def test_finite_tree_finds_inf() -> None:  # the helper the properties rely on
    assert not finite_tree({"a": [1.0, math.inf]}) and finite_tree({"a": [1.0, "inf"]})
