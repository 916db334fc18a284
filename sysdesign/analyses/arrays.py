"""Integer-indexed arrays of one view's graph, derived once from it and read by every pass.

networkx stays the graph; these are plain lists built from it in one pass so that the hot loops
of the analyses and rules index lists by integers instead of going through networkx views,
attribute dicts and pydantic objects. Node `i` is the i-th node in graph (design) order; edges
run in the graph's adjacency order (by source, then target as added); flows run edge by edge,
each edge's flows in the order the graph holds them. Every order here is the graph's, so a pass
that walks the arrays visits what it visited walking the graph, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from sysdesign.model import Component, Flow, Mode, Operation


class Arrays:
    """Nodes, edges and flows of one view as parallel lists indexed by integers."""

    __slots__ = (
        "capacity_rps",
        "component",
        "compute",
        "dst",
        "edge_dst",
        "edge_flows",
        "edge_src",
        "entry",
        "family",
        "fan_out",
        "flows",
        "hit_ratio",
        "hop_ms",
        "ids",
        "index",
        "key",
        "kind",
        "latency_ms",
        "layers",
        "mode",
        "op",
        "out_edges",
        "pred",
        "replicas",
        "responds",
        "share",
        "src",
        "stateful",
        "step",
        "store",
        "succ",
    )

    def __init__(
        self,
        graph: nx.DiGraph,
        nodes: Mapping[str, Mapping[str, Any]],
        adjacency: Mapping[str, Mapping[str, tuple[Flow, ...]]],
    ) -> None:
        """From the graph, its node attributes by id and from -> to -> flows (`Analyses.nodes`,
        `Analyses.adjacency`: plain dicts of the graph's own, in its order)."""
        self.ids: list[str] = list(nodes)
        self.index: dict[str, int] = {n: i for i, n in enumerate(self.ids)}
        rows = list(nodes.values())
        self.kind: list[str] = [d["kind"] for d in rows]
        self.family: list[str] = [d["family"] for d in rows]
        self.layers: list[frozenset[str]] = [d["layers"] for d in rows]
        self.replicas: list[int] = [d["replicas"] for d in rows]
        self.capacity_rps: list[float | None] = [d["capacity_rps"] for d in rows]
        self.latency_ms: list[float | None] = [d["latency_ms"] for d in rows]
        self.stateful: list[bool] = [d["stateful"] for d in rows]
        self.compute: list[bool] = [d["compute"] for d in rows]
        self.store: list[bool] = [d["store"] for d in rows]
        self.entry: list[bool] = [d["entry"] for d in rows]
        self.component: list[Component] = [d["component"] for d in rows]
        index = self.index
        n = len(self.ids)
        self.succ: list[list[int]] = [[] for _ in range(n)]  # targets, in adjacency order
        self.pred: list[list[int]] = [  # sources, in the graph's predecessor order
            [index[p] for p in preds] for preds in graph.pred.values()
        ]
        self.out_edges: list[range] = [range(0) for _ in range(n)]  # edge indexes per source
        self.edge_src: list[int] = []
        self.edge_dst: list[int] = []
        self.edge_flows: list[range] = []  # flow indexes per edge
        self.flows: list[Flow] = []
        for u, targets in adjacency.items():
            i = index[u]
            first_edge = len(self.edge_src)
            mine = self.succ[i]
            for v, flows in targets.items():
                j = index[v]
                mine.append(j)
                self.edge_src.append(i)
                self.edge_dst.append(j)
                start = len(self.flows)
                self.flows.extend(flows)
                self.edge_flows.append(range(start, len(self.flows)))
            self.out_edges[i] = range(first_edge, len(self.edge_src))
        flows = self.flows
        edge_of = [e for e, span in enumerate(self.edge_flows) for _ in span]
        self.src: list[int] = [self.edge_src[e] for e in edge_of]
        self.dst: list[int] = [self.edge_dst[e] for e in edge_of]
        self.key: list[str] = [f.key for f in flows]
        self.step: list[int] = [f.step for f in flows]
        self.op: list[Operation] = [f.op for f in flows]
        self.mode: list[Mode] = [f.mode for f in flows]
        self.share: list[float] = [f.share for f in flows]
        self.fan_out: list[int] = [f.fan_out for f in flows]
        self.hit_ratio: list[float | None] = [f.hit_ratio for f in flows]
        self.hop_ms: list[float] = [f.latency_ms for f in flows]
        self.responds: list[bool] = [f.has_response for f in flows]

    @classmethod
    def of(cls, graph: nx.DiGraph) -> Arrays:
        """The arrays of a graph (`Analyses.arrays` reuses the dicts it already has)."""
        adjacency = {u: {v: a["flows"] for v, a in nbrs.items()} for u, nbrs in graph.adj.items()}
        return cls(graph, dict(graph.nodes(data=True)), adjacency)

    def __len__(self) -> int:
        return len(self.ids)

    def names(self, indexes: list[int]) -> list[str]:
        """Component ids of node indexes."""
        ids = self.ids
        return [ids[i] for i in indexes]
