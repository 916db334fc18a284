"""The component graph every check, render and grade reads.

Nodes are component ids; edges are (from, to) pairs carrying the flows between them. One edge can
carry several flows (a service that both reads and writes a database).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from sysdesign.model import Component, Design, Flow, Mode, Operation
from sysdesign.taxonomy import kind_info
from sysdesign.views import DesignView, view_of


@dataclass(frozen=True)
class Node:
    """Typed node attributes (stored under the node's 'node' key and flattened)."""

    component: Component
    family: str
    layers: frozenset[str]
    screens: frozenset[str]
    stateful: bool
    compute: bool
    store: bool
    entry: bool
    new: bool
    changed: bool


def _node_attrs(component: Component, view: DesignView) -> dict[str, object]:
    info = kind_info(component.kind.value)
    stateful = component.stateful if component.stateful is not None else info.stateful
    node = Node(
        component=component,
        family=info.family.value,
        layers=component.layers,
        screens=component.effective_screens,
        stateful=stateful,
        compute=any(kind_info(layer).compute for layer in component.layers),
        store=info.store,
        entry=info.entry,
        new=component.id in view.added_components,
        changed=component.id in view.changed_components,
    )
    return {
        "node": node,
        "component": component,
        "kind": component.kind.value,
        "label": component.display,
        "family": node.family,
        "layers": node.layers,
        "screens": node.screens,
        "replicas": component.replicas,
        "capacity_rps": component.capacity_rps,
        "latency_ms": component.latency_ms,
        "stateful": stateful,
        "compute": node.compute,
        "store": node.store,
        "entry": node.entry,
        "group": component.group,
        "new": node.new,
        "changed": node.changed,
    }


def _edge_attrs(flows: list[Flow], view: DesignView) -> dict[str, object]:
    return {
        "flows": tuple(flows),
        "sync": any(f.mode is Mode.SYNC for f in flows),
        "ops": frozenset(f.op.value for f in flows),
        "writes": any(f.op is Operation.WRITE for f in flows),
        "returns": any(f.has_response for f in flows),
        "new": any(f.key in view.added_flows for f in flows),
    }


def build_graph(source: Design | DesignView, stage: int | str | None = None) -> nx.DiGraph:
    """A DiGraph of the design (as of `stage` when given a Design)."""
    view = source if isinstance(source, DesignView) else view_of(source, stage)
    graph = nx.DiGraph(
        view=view,
        design=view.design,
        scale=view.scale,
        slo=view.slo,
        stage=view.stage_index,
        required_layers=view.required_layers,
        required_screens=view.required_screens,
    )
    for cid, component in view.components.items():
        graph.add_node(cid, **_node_attrs(component, view))
    grouped: dict[tuple[str, str], list[Flow]] = {}
    for flow in view.flows.values():
        grouped.setdefault((flow.from_, flow.to), []).append(flow)
    for (u, v), flows in grouped.items():
        graph.add_edge(u, v, **_edge_attrs(flows, view))
    return graph


def nodes_with_layer(graph: nx.DiGraph, layer: str) -> list[str]:
    """Components whose kind or roles include `layer`, in design order."""
    return [n for n, layers in graph.nodes(data="layers") if layer in layers]
