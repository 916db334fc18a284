"""Topological order over strongly connected groups, fast when the graph has no cycle.

Most designs are acyclic: Kahn's algorithm over plain dicts orders them in one pass. Only a graph
with a cycle pays for networkx's strongly connected components.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from itertools import chain

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


def grouped_order_indexes(successors: list[list[int]]) -> list[list[int]]:
    """`grouped_order` of nodes 0..n-1 given as successor lists (the arrays' `succ`): the same
    groups in the same order, with Kahn's algorithm over lists when the graph has no cycle."""
    count = len(successors)
    indegree = [0] * count
    for nxt in chain.from_iterable(successors):
        indegree[nxt] += 1
    queue = deque([n for n in range(count) if indegree[n] == 0])
    order: list[int] = []
    append, popleft = order.append, queue.popleft
    while queue:
        node = popleft()
        append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    if len(order) == count:
        return [[n] for n in order]
    return grouped_order(range(count), dict(enumerate(successors)))


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

    Cooper, Harvey and Kennedy's iterative algorithm over postorder numbers: nearly linear on the
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
    # Nodes as their postorder numbers (the virtual root is the last): lists, not dicts, inside.
    number = {n: i for i, n in enumerate(postorder)}
    root = len(postorder) - 1
    preds: list[list[int]] = [[] for _ in postorder]
    for node in start:
        preds[number[node]].append(root)
    for i, node in enumerate(postorder[:-1]):
        for child in successors.get(node, ()):  # type: ignore[call-overload]
            preds[number[child]].append(i)
    idom = [-1] * len(postorder)  # -1: not yet known
    idom[root] = root
    order = range(root - 1, -1, -1)  # reverse postorder without the virtual root
    changed = True
    final = True  # in the first pass, every predecessor had its dominator: no back edge
    while changed:
        changed = False
        for i in order:
            new = -1
            for p in preds[i]:
                if idom[p] == -1:
                    final = False
                elif new == -1:
                    new = p
                else:  # meet: walk both up the dominator tree to their common ancestor
                    a = p
                    while a != new:
                        while a < new:
                            a = idom[a]
                        while new < a:
                            new = idom[new]
            if idom[i] != new:
                idom[i] = new
                changed = True
        if final:
            break  # reverse postorder without a back edge: the first pass settled every node
    return {postorder[i]: postorder[idom[i]] for i in order if idom[i] != -1}  # type: ignore[misc]
