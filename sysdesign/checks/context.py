"""What rules read: the graph, and analyses computed once and shared (traffic, timings, paths).

Every analysis is linear in the size of the graph; rules must not search per pair of nodes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable
from functools import cached_property
from itertools import compress
from typing import Any

import networkx as nx

from sysdesign.analyses import Analyses
from sysdesign.analyses.availability import Failure
from sysdesign.analyses.latency import SyncCalls, Timing
from sysdesign.analyses.traffic import Traffic
from sysdesign.checks.content import HopTable, Search, search
from sysdesign.checks.hop_tables import hop_tables
from sysdesign.model import Flow, Mode, Operation
from sysdesign.taxonomy import ANCHOR_NEAR
from sysdesign.views import DesignView

Adjacency = dict[str, list[str]]
_SEEN, _BLOCKED = 1, 2  # marks of `CheckContext.reach_along`'s search


def reach(adjacency: Adjacency, sources: Iterable[str], blocked: Collection[str] = ()) -> set[str]:
    """Nodes reachable from `sources` without passing through a blocked node.

    Sources are never blocked themselves; blocked nodes are not entered.
    """
    seen = set(sources)
    queue = deque(seen)
    while queue:
        node = queue.popleft()
        for nxt in adjacency.get(node, ()):
            if nxt not in seen and nxt not in blocked:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def reverse(adjacency: Adjacency) -> Adjacency:
    """The same edges, pointing the other way."""
    out: Adjacency = {n: [] for n in adjacency}
    for u, targets in adjacency.items():
        for v in targets:
            out[v].append(u)
    return out


class CheckContext:
    """One design view under check, at a scale factor: its analyses plus the path searches rules
    share."""

    def __init__(self, analyses: Analyses, failure: Failure | None = None) -> None:
        self.analyses = analyses
        self.failure = failure  # a zone or component to fail (check --fail-zone/--fail)
        self.graph: nx.DiGraph = analyses.graph
        # node attributes by id: a plain attribute, read as ctx.node_data[node][key] in loops
        self.node_data: dict[str, dict[str, Any]] = analyses.nodes
        self.scale = analyses.scale
        self.view: DesignView = analyses.view
        self.design = self.view.design
        self.target_utilization: float = self.view.slo.target_utilization
        self._screening: dict[str, list[str]] = {}
        self.memo: dict[str, object] = {}  # analyses shared by several rules of one module

    # --- node sets ---------------------------------------------------------------------------

    @cached_property
    def flow_edges(self) -> list[tuple[str, str, tuple[Flow, ...]]]:
        """(from, to, flows) for every edge, in insertion order."""
        return [
            (u, v, flows)
            for u, targets in self.analyses.adjacency.items()
            for v, flows in targets.items()
        ]

    @cached_property
    def _by_layer(self) -> dict[str, list[str]]:
        """Components per layer (kind or role), in design order: one pass for every layer."""
        index: dict[str, list[str]] = {}
        for node, data in self.analyses.nodes.items():
            for layer in data["layers"]:
                index.setdefault(layer, []).append(node)
        return index

    def with_layer(self, layer: str) -> list[str]:
        return list(self._by_layer.get(layer, ()))

    def has_layer(self, node: str, layer: str) -> bool:
        return layer in self.analyses.nodes[node]["layers"]

    def screening(self, screen: str) -> list[str]:
        """Components that screen this kind of content, in design order (computed once)."""
        if screen not in self._screening:
            self._screening[screen] = [
                n for n, data in self.node_data.items() if screen in data["screens"]
            ]
        return self._screening[screen]

    def layer_set(self, layer: str) -> frozenset[str]:
        """Components with this layer as kind or role, as a set for membership tests."""
        key = f"layer:{layer}"
        if key not in self.memo:
            self.memo[key] = frozenset(self.with_layer(layer))
        return self.memo[key]  # type: ignore[return-value]

    @cached_property
    def clients(self) -> list[str]:
        return [n for n, data in self.node_data.items() if data["kind"] == "client"]

    @cached_property
    def entries(self) -> list[str]:
        return [n for n, data in self.node_data.items() if data["entry"]]

    @cached_property
    def llms(self) -> list[str]:
        return self.with_layer("llm")

    # --- adjacency views ---------------------------------------------------------------------

    @cached_property
    def forward(self) -> Adjacency:
        """Requests and messages, in the direction they are sent."""
        return {n: list(targets) for n, targets in self.analyses.adjacency.items()}

    def _kept_edges(self, along: str) -> list[bool] | None:
        """Per edge index: whether one of its flows is of the kind `along` names ('sync': a
        synchronous call, 'read': a read); None for 'any' (every edge). Computed once per kind."""
        if along == "any":
            return None
        key = f"edges along {along}"
        if key not in self.memo:
            arrays = self.analyses.arrays
            if along == "sync":
                keep = [m is Mode.SYNC for m in arrays.mode]
            elif along == "read":
                keep = [op is Operation.READ for op in arrays.op]
            else:
                raise ValueError(f"unknown kind of edge {along!r}")
            self.memo[key] = [
                keep[s.start] if len(s) == 1 else any(keep[f] for f in s) for s in arrays.edge_flows
            ]
        return self.memo[key]  # type: ignore[return-value]

    def _edges_where(self, along: str) -> Adjacency:
        """The adjacency of the edges `along` names (see `_kept_edges`)."""
        arrays = self.analyses.arrays
        ids, dst, kept = arrays.ids, arrays.edge_dst, self._kept_edges(along)
        assert kept is not None
        return {
            u: [ids[dst[e]] for e in edges if kept[e]]
            for u, edges in zip(ids, arrays.out_edges, strict=True)
        }

    @cached_property
    def sync_forward(self) -> Adjacency:
        """Synchronous calls only, in the direction they are made."""
        return self._edges_where("sync")

    def reach_along(
        self, along: str, sources: Iterable[str], blocked: Collection[str] = ()
    ) -> set[str]:
        """What `reach` gives over the edges `along` names ('any', 'sync', 'read'; see
        `_kept_edges`): components reachable from `sources` without entering a blocked one.
        Searched by component index, without building the adjacency of names."""
        arrays = self.analyses.arrays
        ids, index, dst, out = arrays.ids, arrays.index, arrays.edge_dst, arrays.out_edges
        kept = self._kept_edges(along)
        seen = bytearray(len(ids))
        for name in blocked:
            i = index.get(name)
            if i is not None:
                seen[i] = _BLOCKED
        found = set(sources)  # a source is reached even when blocked or unknown
        queue: deque[int] = deque()
        for name in found:
            i = index.get(name)
            if i is not None and seen[i] != _SEEN:
                seen[i] = _SEEN
                queue.append(i)
        while queue:
            for e in out[queue.popleft()]:
                if kept is None or kept[e]:
                    v = dst[e]
                    if not seen[v]:
                        seen[v] = _SEEN
                        queue.append(v)
        found.update(compress(ids, [mark == _SEEN for mark in seen]))
        return found

    @cached_property
    def content(self) -> Adjacency:
        """Where content produced at a node can travel: back along responses (reads, and any call
        to a component that computes its answer; a store's answer to a write is an ack), forward
        along writes and streams."""
        adjacency: Adjacency = {n: [] for n in self.graph}
        for u, v, flows in self.flow_edges:
            if any(f.op in (Operation.WRITE, Operation.STREAM) for f in flows):
                adjacency[u].append(v)
            if any(self._answers_with_content(f, v) for f in flows):
                adjacency[v].append(u)
        return adjacency

    def _answers_with_content(self, flow: Flow, callee: str) -> bool:
        if not flow.has_response:
            return False
        return flow.op is Operation.READ or not self.node_data[callee]["stateful"]

    @cached_property
    def content_reverse(self) -> Adjacency:
        """Where content reaching a node can have come from."""
        return reverse(self.content)

    # --- hops: how content moves, call by call (see checks/content.py) ----------------------

    @cached_property
    def _hop_tables(self) -> tuple[HopTable, HopTable, HopTable]:
        """(requests, content, prompt), built together (checks/hop_tables.py)."""
        stateless = bytes(not stateful for stateful in self.analyses.arrays.stateful)
        return hop_tables(self.analyses.arrays, stateless)

    @property
    def request_hops(self) -> HopTable:
        """Requests and messages, each call at its step."""
        return self._hop_tables[0]

    @property
    def content_hops(self) -> HopTable:
        """Content as `content` moves it, each call at its step."""
        return self._hop_tables[1]

    @property
    def prompt_hops(self) -> HopTable:
        """Content as `content` moves it, plus calls into compute (a store answers a service,
        which calls the model with what it got)."""
        return self._hop_tables[2]

    # --- analyses ----------------------------------------------------------------------------

    @property
    def traffic(self) -> Traffic:
        return self.analyses.traffic

    @property
    def sync(self) -> SyncCalls:
        """The calls that count toward latency."""
        return self.analyses.sync

    @property
    def timings(self) -> dict[str, Timing]:
        return self.analyses.timings

    def budget(self, entry: str) -> float:
        """The p99 budget for requests from an entry point: its own, else the design's."""
        return self.analyses.budget(entry)

    def critical_path(self, start: str) -> tuple[str, ...]:
        return self.analyses.critical_path(start)

    def capacity(self, node: str) -> float | None:
        return self.analyses.capacity(node)

    @property
    def reaches_audit(self) -> set[str]:
        """Components whose writes reach an audit log (see checks/audit.py)."""
        from sysdesign.checks.audit import audit_reach

        return audit_reach(self, False)

    @cached_property
    def observed(self) -> set[str]:
        """Components some observability component collects from."""
        covered: set[str] = set()
        everything = False
        for node, data in self.node_data.items():
            observes = data["component"].observes
            if observes:
                everything = everything or "*" in observes
                covered.update(observes)
            if data["family"] == "observability":
                covered.update(self.graph.predecessors(node))
        return set(self.graph) if everything else covered

    def call_steps(self, targets: Collection[str]) -> dict[str, list[int]]:
        """For each component, the sorted steps at which it calls one of `targets` (computed once
        per set of targets)."""
        key = ("calls", frozenset(targets))
        if key not in self.memo:
            self.memo[key] = self._call_steps(key[1])  # type: ignore[index]
        return self.memo[key]  # type: ignore[index,return-value]

    def _call_steps(self, targets: frozenset[str]) -> dict[str, list[int]]:
        steps: dict[str, list[int]] = {}
        sync = Mode.SYNC
        for u, v, flows in self.flow_edges:
            if v in targets:  # a call screens only if every request makes it
                calls = steps.setdefault(u, [])
                for f in flows:
                    if f.mode is sync and f.share >= 1.0:
                        calls.append(f.step)
        return {u: sorted(s) if len(s) > 1 else s for u, s in steps.items()}

    def find(self, hops: HopTable, sources: Iterable[str], screening: Collection[str]) -> Search:
        """Routes from `sources` that cross no component in `screening` and no call to one made
        between the content's arrival and the call (or response) that sends it on."""
        return search(hops, sources, screening, self.call_steps(screening))

    def screened_between(
        self, node: str, after: int, before: int, screening: Collection[str]
    ) -> bool:
        """Whether `node` calls a screening component at a step in (after, before)."""
        return any(after < s < before for s in self.call_steps(screening).get(node, ()))

    def slo_origin(self, name: str, section: str = "slo") -> tuple[tuple[str | int, ...], str]:
        """Where an slo (or scale) figure in force was set (YAML path) and who set it, in words:
        the last stage up to this view that changed it, else the design's own section."""
        for index in range(self.view.stage_index, 0, -1):
            stage = self.design.stages[index - 1]
            change = getattr(stage, section)
            if change is not None and name in change.model_fields_set:
                return ("stages", index - 1, section, name), f"stage {index} ({stage.title})"
        return (section, name), f"the design's {section}"

    def anchor_for(self, layer: str) -> str | None:
        """Where a missing layer belongs on the diagram: next to the first component of the
        layers the taxonomy names for it."""
        for near in ANCHOR_NEAR.get(layer, ()):
            found = self.with_layer(near)
            if found:
                return found[0]
        return None
