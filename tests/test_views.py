"""Views record where each component and flow was written, in bulk or one by one alike, and still
report a duplicate where it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import design_data

from sysdesign.loader import load_design
from sysdesign.model import Design
from sysdesign.views import DesignView, YamlPath, build_view, view_of

ROOT = Path(__file__).parent.parent


def expected_origins(design: Design, upto: int) -> tuple[dict[str, YamlPath], dict[str, YamlPath]]:
    """Every component's and flow's YAML path, spelled out one at a time in the order a view
    applies the base and its stages (a later write of the same key moves its path, not its
    place)."""
    components = {c.id: ("components", i) for i, c in enumerate(design.components)}
    flows: dict[str, YamlPath] = {f.key: ("flows", i) for i, f in enumerate(design.flows)}
    for s, stage in enumerate(design.stages[:upto]):
        for i, c in enumerate(stage.add.components):
            components[c.id] = ("stages", s, "add", "components", i)
        for i, f in enumerate(stage.add.flows):
            flows[f.key] = ("stages", s, "add", "flows", i)
    return components, flows


DESIGNS = [load_design(p) for p in sorted((ROOT / "designs").glob("*.yaml"))]
STAGED = [(d, s) for d in DESIGNS for s in range(len(d.stages) + 1)]


@pytest.mark.parametrize(("design", "upto"), STAGED, ids=[f"{d.id}@{s}" for d, s in STAGED])
def test_origins_are_where_each_was_written(design: Design, upto: int) -> None:
    view: DesignView = view_of(design, upto)
    components, flows = expected_origins(design, upto)
    assert list(view.component_origins.items()) == list(components.items())
    assert list(view.flow_origins.items()) == list(flows.items())
    assert list(view.flows) == [k for k in view.flows if view.origin(flow=k)]
    assert all(view.origin(component=c) for c in view.components)


def design_with(
    components: list[dict[str, Any]], flows: list[dict[str, Any]], **more: Any
) -> Design:
    return Design.model_validate(design_data(components, flows, **more), strict=False)


def test_duplicates_are_reported_where_they_are_and_the_first_kept() -> None:
    a, b = {"id": "a", "kind": "client"}, {"id": "b", "kind": "service"}
    design = design_with(
        [a, b, {"id": "a", "kind": "service"}],
        [{"from": "a", "to": "b"}, {"from": "a", "to": "b", "op": "write"}],
        stages=[
            {
                "id": "s1",
                "title": "S",
                "constraint": "C",
                "add": {
                    "components": [{"id": "b", "kind": "cache"}, {"id": "c", "kind": "cache"}],
                    "flows": [{"from": "b", "to": "c"}, {"from": "a", "to": "b", "id": "w"}],
                },
            }
        ],
    )
    view, problems = build_view(design, 1)
    assert [(p.path, p.message) for p in problems] == [
        (("components", 2, "id"), "duplicate component id 'a'"),
        (("flows", 1), "duplicate flow 'a->b' (give one of them an 'id')"),
        (("stages", 0, "add", "components", 0, "id"), "duplicate component id 'b'"),
    ]
    assert view.components["a"].kind.value == "client"
    assert view.components["b"].kind.value == "service"
    assert list(view.flows) == ["a->b", "b->c", "w"]
    assert view.origin(component="a") == ("components", 0)
    assert view.origin(component="c") == ("stages", 0, "add", "components", 1)
    assert view.origin(flow="a->b") == ("flows", 0)
    assert view.origin(flow="w") == ("stages", 0, "add", "flows", 1)
    assert view.added_components == {"c"} and view.added_flows == {"b->c", "w"}
