"""The component graph every check, render and grade reads.

Nodes are component ids; edges are (from, to) pairs carrying the flows between them. One edge can
carry several flows (a service that both reads and writes a database).
"""

from __future__ import annotations

import networkx as nx

from sysdesign.model import Component, Design, Flow, Mode
from sysdesign.taxonomy import KINDS, kind_info
from sysdesign.views import DesignView, view_of

_COMPUTE = {k.name for k in KINDS if k.compute}


def _node_attrs(component: Component, view: DesignView) -> dict[str, object]:
    """Typed node attributes: the component itself and what rules ask of it most."""
    info = kind_info(component.kind.value)
    layers = component.layers
    return {
        "component": component,
        "kind": component.kind.value,
        "label": component.display,
        "family": info.family.value,
        "layers": layers,
        "screens": component.effective_screens,
        "replicas": component.replicas,
        "capacity_rps": component.capacity_rps,
        "latency_ms": component.latency_ms,
        "stateful": component.stateful if component.stateful is not None else info.stateful,
        "compute": not layers.isdisjoint(_COMPUTE),
        "store": info.store,
        "entry": info.entry,
        "group": component.group,
        "new": component.id in view.added_components,
        "changed": component.id in view.changed_components,
    }


def _edge_attrs(flows: list[Flow], view: DesignView) -> dict[str, object]:
    """Edge attributes: the flows between the pair, and whether any is synchronous or new."""
    return {
        "flows": tuple(flows),
        "sync": any(f.mode is Mode.SYNC for f in flows),
        "new": any(f.key in view.added_flows for f in flows) if view.added_flows else False,
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
    graph.add_nodes_from((cid, _node_attrs(c, view)) for cid, c in view.components.items())
    grouped: dict[tuple[str, str], list[Flow]] = {}
    for flow in view.flows.values():
        grouped.setdefault((flow.from_, flow.to), []).append(flow)
    graph.add_edges_from((u, v, _edge_attrs(flows, view)) for (u, v), flows in grouped.items())
    return graph


def nodes_with_layer(graph: nx.DiGraph, layer: str) -> list[str]:
    """Components whose kind or roles include `layer`, in design order."""
    return [n for n, layers in graph.nodes(data="layers") if layer in layers]
