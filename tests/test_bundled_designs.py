"""The bundled designs are tests too: they validate, check clean at every stage, and render."""

from __future__ import annotations

from pathlib import Path

import pytest

from sysdesign.checks import run_checks
from sysdesign.graph import build_graph
from sysdesign.loader import load_design

ROOT = Path(__file__).parent.parent
DESIGNS = sorted((ROOT / "designs").glob("*.yaml"))
FOUR_DRILLS = {"distributed-search", "qortex", "agent-observability", "mcp-gateway"}


def test_the_four_named_drills_are_bundled() -> None:
    assert {p.stem for p in DESIGNS} >= FOUR_DRILLS


@pytest.mark.parametrize("path", DESIGNS, ids=lambda p: p.stem)
def test_bundled_design_is_deep_and_checks_clean_at_every_stage(path: Path) -> None:
    design = load_design(path)
    assert design.id == path.stem
    assert path.read_text().startswith("# yaml-language-server: $schema=")
    if design.drill == design.id:
        assert len(design.stages) >= 4, "reference drills have at least four stages"
        assert design.scale.estimates, "reference drills show their estimates"
        assert all(s.discussion for s in design.stages)
    for stage in range(len(design.stages) + 1):
        report = run_checks(design, stage)
        serious = [f"{f.code} {f.message}" for f in report.errors + report.warnings]
        assert serious == [], f"stage {stage}: {serious}"


@pytest.mark.parametrize("path", DESIGNS, ids=lambda p: p.stem)
def test_bundled_design_stage_requirements_bite(path: Path) -> None:
    """A stage applied without its additions is caught whenever it demands a layer or screen the
    design did not have before it: stages drive the checks."""
    design = load_design(path)
    for index, stage in enumerate(design.stages, start=1):
        before = build_graph(design, index - 1)
        layers = {layer for _, ls in before.nodes(data="layers") for layer in ls}
        screens = {s for _, ss in before.nodes(data="screens") for s in ss}
        new_layers = {str(x) for x in stage.requires.layers} - layers
        new_screens = {str(x) for x in stage.requires.screens} - screens
        if not new_layers and not new_screens:
            continue
        unapplied = stage.model_copy(update={"add": type(stage.add)(), "change": []})
        stripped = design.model_copy(update={"stages": [*design.stages[: index - 1], unapplied]})
        codes = run_checks(stripped, index).codes()
        if new_layers:
            assert "SD101" in codes, f"stage {index} ({stage.id}): {sorted(new_layers)}"
        if new_screens:
            assert "SD112" in codes, f"stage {index} ({stage.id}): {sorted(new_screens)}"
