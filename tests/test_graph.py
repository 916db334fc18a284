"""The component graph's attributes are what the model and the taxonomy say, node by node and edge
by edge, in the order consumers read them (built here the plain way, one dict per node)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_arrays import random_design

from sysdesign.graph import NODE_KEYS, build_graph, nodes_with_layer
from sysdesign.loader import load_design
from sysdesign.model import Design, Mode
from sysdesign.taxonomy import KINDS, kind_info
from sysdesign.views import DesignView, view_of

ROOT = Path(__file__).parent.parent
COMPUTE = {k.name for k in KINDS if k.compute}


def expected_nodes(view: DesignView) -> dict[str, dict[str, object]]:
    """Each component's attributes, spelled out from the model and its kind's taxonomy entry."""
    out = {}
    for cid, c in view.components.items():
        info = kind_info(c.kind.value)
        out[cid] = {
            "component": c,
            "kind": c.kind.value,
            "label": c.display,
            "family": info.family.value,
            "layers": c.layers,
            "screens": c.effective_screens,
            "replicas": c.replicas,
            "capacity_rps": c.capacity_rps,
            "latency_ms": c.latency_ms,
            "stateful": c.stateful if c.stateful is not None else info.stateful,
            "compute": bool(c.layers & COMPUTE),
            "store": info.store,
            "entry": info.entry,
            "group": c.group,
            "new": cid in view.added_components,
            "changed": cid in view.changed_components,
        }
    return out


def expected_edges(view: DesignView) -> dict[tuple[str, str], dict[str, object]]:
    """Each (from, to) pair's flows in view order, whether one is sync, whether one is new."""
    pairs: dict[tuple[str, str], list[object]] = {}
    for flow in view.flows.values():
        pairs.setdefault((flow.from_, flow.to), []).append(flow)
    return {
        pair: {
            "flows": tuple(flows),
            "sync": any(f.mode is Mode.SYNC for f in flows),  # type: ignore[attr-defined]
            "new": any(f.key in view.added_flows for f in flows),  # type: ignore[attr-defined]
        }
        for pair, flows in pairs.items()
    }


def views() -> list[tuple[str, DesignView]]:
    """Every stage of every bundled design, and random designs (cycles, shared edges)."""
    found: list[tuple[str, DesignView]] = []
    for path in sorted((ROOT / "designs").glob("*.yaml")):
        design = load_design(path)
        found += [(f"{path.stem}@{s}", view_of(design, s)) for s in range(len(design.stages) + 1)]
    found += [(f"random{seed}", view_of(random_design(seed))) for seed in range(4)]
    return found


VIEWS = views()


@pytest.mark.parametrize(("name", "view"), VIEWS, ids=[n for n, _ in VIEWS])
def test_node_and_edge_attributes_are_the_models(name: str, view: DesignView) -> None:
    graph = build_graph(view)
    nodes = expected_nodes(view)
    assert list(graph.nodes(data=True)) == list(nodes.items())
    assert all(list(data) == list(NODE_KEYS) for _, data in graph.nodes(data=True))
    edges = expected_edges(view)
    assert [((u, v), data) for u, v, data in graph.edges(data=True)] == [
        (pair, edges[pair]) for u in graph for pair in edges if pair[0] == u
    ]
    assert graph.graph["view"] is view and graph.graph["stage"] == view.stage_index


def test_stages_mark_what_they_add_and_change() -> None:
    """The bundled designs' stages add components and flows and change components: the graph
    marks exactly those (the comparison above would pass on all-False flags otherwise)."""
    marked = {"node new": 0, "node changed": 0, "edge new": 0}
    for _, view in VIEWS:
        graph = build_graph(view)
        marked["node new"] += sum(1 for _, new in graph.nodes(data="new") if new)
        marked["node changed"] += sum(1 for _, changed in graph.nodes(data="changed") if changed)
        marked["edge new"] += sum(1 for _, _, new in graph.edges(data="new") if new)
    assert all(marked.values()), marked


def test_a_design_builds_as_of_a_stage() -> None:
    design: Design = load_design(ROOT / "designs" / "qortex.yaml")
    last = len(design.stages)
    assert list(build_graph(design, last).edges) == list(build_graph(view_of(design, last)).edges)
    with_llm = [c.id for c in view_of(design).components.values() if "llm" in c.layers]
    assert with_llm
    assert nodes_with_layer(build_graph(design), "llm") == with_llm
