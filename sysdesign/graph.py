"""The component graph every check, render and grade reads.

Nodes are component ids; edges are (from, to) pairs carrying the flows between them. One edge can
carry several flows (a service that both reads and writes a database).

The graph is built in bulk: nodes go in by id, then each node's attribute dict is filled from a
row of plain values (`node_rows`), and edges go in with their attribute dicts, all through
networkx's own `add_nodes_from` / `add_edges_from`. A node's attributes, in order, are
`NODE_KEYS`; an edge's are `flows`, `sync` and `new`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from itertools import repeat
from operator import attrgetter

import networkx as nx

from sysdesign.model import Component, Design, Flow, Mode
from sysdesign.taxonomy import KINDS
from sysdesign.views import DesignView, view_of

_ENDS = attrgetter("from_", "to")
_COMPUTE = frozenset(k.name for k in KINDS if k.compute)
# kind name -> (family, stateful, store, entry) as the taxonomy gives them
_KIND_FACTS = {k.name: (k.family.value, k.stateful, k.store, k.entry) for k in KINDS}

NODE_KEYS = (
    "component",  # the Component itself
    "kind",  # its kind's name
    "label",  # its display name
    "family",  # its kind's family
    "layers",  # its kind plus its roles
    "screens",  # what it screens (Component.effective_screens)
    "replicas",
    "capacity_rps",
    "latency_ms",
    "stateful",  # its own `stateful`, else its kind's
    "compute",  # one of its layers runs code
    "store",
    "entry",
    "group",
    "new",  # added by the view's stage
    "changed",  # changed by the view's stage
)
NodeRow = tuple[
    Component,
    str,
    str,
    str,
    frozenset[str],
    frozenset[str],
    int,
    float | None,
    float | None,
    bool,
    bool,
    bool,
    bool,
    str | None,
    bool,
    bool,
]


def node_rows(view: DesignView) -> list[NodeRow]:
    """Per component in design order, its node attributes' values in `NODE_KEYS` order."""
    added, changed = view.added_components, view.changed_components
    facts, compute = _KIND_FACTS, _COMPUTE
    rows: list[NodeRow] = []
    append = rows.append
    for cid, c in view.components.items():
        kind = c.kind._value_  # Kind.value without the enum property's call
        family, stateful, store, entry = facts[kind]
        layers = c.layers
        own = c.stateful
        append(
            (
                c,
                kind,
                c.label or c.id,
                family,
                layers,
                c.effective_screens,
                c.replicas,
                c.capacity_rps,
                c.latency_ms,
                stateful if own is None else own,
                not layers.isdisjoint(compute),
                store,
                entry,
                c.group,
                cid in added,
                cid in changed,
            )
        )
    return rows


def flow_groups(view: DesignView) -> dict[tuple[str, str], list[Flow]]:
    """(from, to) -> the view's flows between the pair, in the view's order."""
    grouped: dict[tuple[str, str], list[Flow]] = {}
    for flow in view.flows.values():
        pair = (flow.from_, flow.to)
        found = grouped.get(pair)
        if found is None:
            grouped[pair] = [flow]
        else:
            found.append(flow)
    return grouped


def _edges(view: DesignView) -> Iterator[tuple[str, str, dict[str, object]]]:
    """(from, to, attributes) per pair: its flows, whether any is synchronous, whether any is new
    in the view's stage (a generator: networkx copies each dict, so ours is freed at once)."""
    added = view.added_flows
    new_pairs = (
        {(f.from_, f.to) for key, f in view.flows.items() if key in added} if added else set()
    )
    sync = Mode.SYNC
    flows = list(view.flows.values())
    pairs = list(map(_ENDS, flows))
    if len(set(pairs)) == len(pairs):  # one flow per pair (the common case): nothing to group
        for pair, flow in zip(pairs, flows, strict=True):
            yield *pair, {"flows": (flow,), "sync": flow.mode is sync, "new": pair in new_pairs}
        return
    for pair, group in flow_groups(view).items():
        is_sync = any(f.mode is sync for f in group)
        yield *pair, {"flows": tuple(group), "sync": is_sync, "new": pair in new_pairs}


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
    graph.add_nodes_from(view.components)
    # Fill each node's (empty) attribute dict from its row, in C: dict.update over (key, value)
    # pairs, one map per node, consumed by a zero-length deque.
    datas = [data for _, data in graph.nodes(data=True)]
    rows = node_rows(view)
    deque(map(dict.update, datas, map(zip, repeat(NODE_KEYS), rows)), maxlen=0)
    graph.add_edges_from(_edges(view))
    return graph


def nodes_with_layer(graph: nx.DiGraph, layer: str) -> list[str]:
    """Components whose kind or roles include `layer`, in design order."""
    return [n for n, layers in graph.nodes(data="layers") if layer in layers]
