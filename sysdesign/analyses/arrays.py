"""Integer-indexed arrays of one view's graph, derived once from it and read by every pass.

networkx stays the graph; these are plain lists built from it in one pass so that the hot loops
of the analyses and rules index lists by integers instead of going through networkx views,
attribute dicts and pydantic objects. Node `i` is the i-th node in graph (design) order; edges
run in the graph's adjacency order (by source, then target as added); flows run edge by edge,
each edge's flows in the order the graph holds them. Every order here is the graph's, so a pass
that walks the arrays visits what it visited walking the graph, in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from itertools import accumulate, chain, repeat
from operator import attrgetter, itemgetter
from typing import Any

import networkx as nx

from sysdesign.model import Component, Flow, Mode, Operation

NODE_ATTRS = (
    "kind",
    "family",
    "layers",
    "replicas",
    "capacity_rps",
    "latency_ms",
    "stateful",
    "compute",
    "store",
    "entry",
    "component",
)
FLOW_ATTRS = ("step", "op", "mode", "share", "fan_out", "hit_ratio", "latency_ms", "returns")


class Arrays:
    """Nodes, edges and flows of one view as parallel sequences indexed by integers.

    Per node `i`: `ids[i]` and its attributes (`kind[i]`, `replicas[i]`, ... as the graph holds
    them), `succ[i]` (targets' indexes in adjacency order), `pred[i]` (sources', in the graph's
    predecessor order), `out_edges[i]` (its edges' indexes), `out_flows[i]` (its flows' indexes:
    its edges' flows, consecutive). Per edge `e`: `edge_src[e]`, `edge_dst[e]`, `edge_flows[e]`
    (its flows' indexes). Per flow `f`: `flows[f]`, `flow_dst[f]` (its target's index) and its
    fields (`key`, `step`, `op`, `mode`, `share`, `fan_out`, `hit_ratio`, `hop_ms` for its
    latency_ms, `responds` for has_response). Built with C-level passes (getters, chain,
    accumulate)."""

    def __init__(
        self,
        graph: nx.DiGraph,
        nodes: Mapping[str, Mapping[str, Any]],
        adjacency: Mapping[str, Mapping[str, tuple[Flow, ...]]],
    ) -> None:
        """From the graph, its node attributes by id and from -> to -> flows (`Analyses.nodes`,
        `Analyses.adjacency`: plain dicts of the graph's own, in its order)."""
        self._graph = graph
        self.ids: list[str] = list(nodes)
        self.index: dict[str, int] = {n: i for i, n in enumerate(self.ids)}
        columns = _columns(map(itemgetter(*NODE_ATTRS), nodes.values()), len(NODE_ATTRS))
        self.kind: Sequence[str]
        self.family: Sequence[str]
        self.layers: Sequence[frozenset[str]]
        self.replicas: Sequence[int]
        self.capacity_rps: Sequence[float | None]
        self.latency_ms: Sequence[float | None]
        self.stateful: Sequence[bool]
        self.compute: Sequence[bool]
        self.store: Sequence[bool]
        self.entry: Sequence[bool]
        self.component: Sequence[Component]
        (
            self.kind,
            self.family,
            self.layers,
            self.replicas,
            self.capacity_rps,
            self.latency_ms,
            self.stateful,
            self.compute,
            self.store,
            self.entry,
            self.component,
        ) = columns
        index = self.index
        targets = list(adjacency.values())
        self.succ: list[list[int]] = [[index[v] for v in t] for t in targets]
        self.edge_src: list[int] = [i for i, t in enumerate(self.succ) for _ in t]
        self.edge_dst: list[int] = list(chain.from_iterable(self.succ))
        self.out_edges: list[range] = _spans(map(len, self.succ))
        groups = list(chain.from_iterable(t.values() for t in targets))  # flows per edge
        per_edge = list(map(len, groups))
        self.edge_flows: list[range] = _spans(per_edge)
        self.flows: list[Flow] = list(chain.from_iterable(groups))
        # a node's flows are consecutive (its edges', edge by edge): one span per node; with one
        # flow per edge (the common case), flows and edges are numbered alike
        self.flow_dst: list[int] = self.edge_dst
        self.out_flows: list[range] = self.out_edges
        if len(self.flows) != len(groups):
            self.flow_dst = list(chain.from_iterable(map(repeat, self.edge_dst, per_edge)))
            self.out_flows = _spans([sum(map(len, t.values())) for t in targets])
        flows = self.flows
        self.step: Sequence[int]
        self.op: Sequence[Operation]
        self.mode: Sequence[Mode]
        self.share: Sequence[float]
        self.fan_out: Sequence[int]
        self.hit_ratio: Sequence[float | None]
        self.hop_ms: Sequence[float]
        (
            self.step,
            self.op,
            self.mode,
            self.share,
            self.fan_out,
            self.hit_ratio,
            self.hop_ms,
            returns,
        ) = _columns(map(attrgetter(*FLOW_ATTRS), flows), len(FLOW_ATTRS))
        self.key: list[str] = [f.key for f in flows]
        sync = Mode.SYNC
        self.responds: list[bool] = [  # Flow.has_response, without a call per flow
            r if r is not None else m is sync for r, m in zip(returns, self.mode, strict=True)
        ]

    @cached_property
    def pred(self) -> list[list[int]]:
        """Per node, its sources' indexes in the graph's predecessor order."""
        index = self.index
        graph = self._graph
        return [[index[p] for p in graph.predecessors(n)] for n in self.ids]

    @classmethod
    def of(cls, graph: nx.DiGraph) -> Arrays:
        """The arrays of a graph (`Analyses.arrays` reuses the dicts it already has)."""
        adjacency = {u: {v: a["flows"] for v, a in nbrs.items()} for u, nbrs in graph.adjacency()}
        return cls(graph, dict(graph.nodes(data=True)), adjacency)

    def __len__(self) -> int:
        return len(self.ids)

    def names(self, indexes: list[int]) -> list[str]:
        """Component ids of node indexes."""
        ids = self.ids
        return [ids[i] for i in indexes]


def _columns(rows: Iterator[tuple[Any, ...]], width: int) -> list[tuple[Any, ...]]:
    """Rows of `width` values as `width` columns (tuples); empty columns for no rows."""
    columns = list(zip(*rows, strict=True))
    return columns if columns else [() for _ in range(width)]


def _spans(lengths: Iterable[int]) -> list[range]:
    """Consecutive index ranges of the given lengths, from 0."""
    ends = list(accumulate(lengths))
    return list(map(range, [0, *ends[:-1]], ends))
