"""`CheckContext.reach_along` (by component index) finds exactly what `reach` finds over the
adjacency of names it replaces, on generated designs with cycles, self-contained stages, blocked
sources and names the design does not have."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from conftest import design_data
from hypothesis import given
from hypothesis import strategies as st
from strategies import designs, examples

from sysdesign.analyses import analyses_for
from sysdesign.checks.context import CheckContext, reach
from sysdesign.loader import parse_design
from sysdesign.views import view_of


def _context(data: dict[str, Any], stage: int) -> CheckContext:
    design = parse_design(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "prop.yaml")
    return CheckContext(analyses_for(view_of(design, min(stage, len(design.stages)))))


@examples(60)
@given(designs(), st.integers(0, 3), st.data())
def test_reach_along_matches_reach_over_names(
    data: dict[str, Any], stage: int, draw: st.DataObject
) -> None:
    ctx = _context(data, stage)
    names = [*ctx.node_data, "not-a-component"]
    sources = draw.draw(st.lists(st.sampled_from(names), max_size=4))
    blocked = draw.draw(st.sets(st.sampled_from(names), max_size=4))
    if draw.draw(st.booleans()):
        blocked |= set(sources[:1])  # a blocked source is still reached
    for along, adjacency in (
        ("any", ctx.forward),
        ("sync", ctx.sync_forward),
        ("read", ctx._edges_where("read")),  # read requests, by name
    ):
        assert ctx.reach_along(along, sources, blocked) == reach(adjacency, sources, blocked)


def test_reach_along_refuses_an_unknown_kind_of_edge() -> None:
    data = design_data([{"id": "c", "kind": "client"}], [])
    ctx = _context(data, 0)
    with pytest.raises(ValueError, match="writes"):
        ctx.reach_along("writes", ["c"])
