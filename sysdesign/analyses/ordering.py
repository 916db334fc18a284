"""Topological order over strongly connected groups, fast when the graph has no cycle.

Most designs are acyclic: Kahn's algorithm over plain dicts orders them in one pass. Only a graph
with a cycle pays for networkx's strongly connected components.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

import networkx as nx


def _kahn(nodes: list[str], successors: Mapping[str, Iterable[str]]) -> list[str] | None:
    indegree = dict.fromkeys(nodes, 0)
    for node in nodes:
        for nxt in successors.get(node, ()):
            indegree[nxt] += 1
    queue = deque(n for n in nodes if indegree[n] == 0)
    order: list[str] = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt in successors.get(node, ()):
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    return order if len(order) == len(nodes) else None


def grouped_order(nodes: Iterable[str], successors: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected groups in topological order; members in `nodes` order.

    Acyclic graphs give one-node groups. Duplicate successors are allowed.
    """
    node_list = list(nodes)
    order = _kahn(node_list, successors)
    if order is not None:
        return [[n] for n in order]
    graph = nx.DiGraph()
    graph.add_nodes_from(node_list)
    graph.add_edges_from((u, v) for u in node_list for v in successors.get(u, ()))
    condensed = nx.condensation(graph)
    position = {n: i for i, n in enumerate(node_list)}
    return [
        sorted(condensed.nodes[c]["members"], key=position.__getitem__)
        for c in nx.topological_sort(condensed)
    ]


def cycles(nodes: Iterable[str], successors: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The groups that form cycles (two or more members, or a node that calls itself)."""
    return [
        group
        for group in grouped_order(nodes, successors)
        if len(group) > 1 or group[0] in successors.get(group[0], ())
    ]


VIRTUAL_ROOT = ("__root__",)  # a tuple: never a component id


def immediate_dominators(
    successors: Mapping[str, Iterable[str]], roots: Iterable[str]
) -> dict[str, object]:
    """Immediate dominator of every node reachable from `roots` (a virtual root above them all).

    Cooper, Harvey and Kennedy's iterative algorithm over plain dicts: nearly linear on the
    shallow graphs designs make. The roots' dominator is the virtual root `VIRTUAL_ROOT`.
    """
    start = list(dict.fromkeys(roots))
    postorder: list[object] = []
    seen: set[object] = {VIRTUAL_ROOT}
    stack: list[tuple[object, Iterable[str]]] = [(VIRTUAL_ROOT, iter(start))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if child not in seen:
                seen.add(child)
                stack.append((child, iter(successors.get(child, ()))))
                break
        else:
            stack.pop()
            postorder.append(node)
    number = {n: i for i, n in enumerate(postorder)}
    preds: dict[object, list[object]] = {n: [] for n in postorder}
    for root in start:
        preds[root].append(VIRTUAL_ROOT)
    for node in postorder:
        if node is VIRTUAL_ROOT:
            continue
        for child in successors.get(node, ()):  # type: ignore[call-overload]
            preds[child].append(node)
    idom: dict[object, object] = {VIRTUAL_ROOT: VIRTUAL_ROOT}

    def meet(a: object, b: object) -> object:
        while a != b:
            while number[a] < number[b]:
                a = idom[a]
            while number[b] < number[a]:
                b = idom[b]
        return a

    order = list(reversed(postorder))[1:]  # reverse postorder without the virtual root
    changed = True
    while changed:
        changed = False
        for node in order:
            new: object = None
            for p in preds[node]:
                if p in idom:
                    new = p if new is None else meet(p, new)
            if idom.get(node) != new:
                idom[node] = new
                changed = True
    del idom[VIRTUAL_ROOT]
    return idom  # type: ignore[return-value]
