"""Audit lineage: who reaches the audit log, completely or only for a sample, and which writers
an upstream audit record covers through a queue."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from sysdesign.model import Flow, Operation
from sysdesign.taxonomy import BUFFER_KINDS

if TYPE_CHECKING:
    from sysdesign.checks.context import CheckContext

_WRITES = (Operation.WRITE, Operation.STREAM)


def complete(flow: Flow) -> bool:
    """A flow made for every request (share 1), or for every request where its `when` holds."""
    return flow.share >= 1.0 or flow.when is not None


def audit_reach(ctx: CheckContext, only_complete: bool) -> set[str]:
    """Components that write to an audit log, directly or through queues, streams and dedicated
    sink workers (workers that write only to the log). With `only_complete`, a route counts only
    if none of its flows is a sample (share < 1 without `when`)."""
    key = ("audit", only_complete)
    if key in ctx.memo:
        return ctx.memo[key]  # type: ignore[index,return-value]
    logs = ctx.with_layer("audit_log")
    found = set(logs)
    queue = deque(logs)
    pred, adjacency = ctx.graph.pred, ctx.analyses.adjacency
    while queue:
        node = queue.popleft()
        for u in pred[node]:  # in_edges(node), in its order, without a view per edge
            if u in found:
                continue
            writes = [f for f in adjacency[u][node] if f.op in _WRITES]
            if only_complete:
                writes = [f for f in writes if complete(f)]
            if writes:
                found.add(u)
                if _relays_to(ctx, u, found):
                    queue.append(u)
    ctx.memo[key] = found  # type: ignore[index]
    return found


def _relays_to(ctx: CheckContext, node: str, found: set[str]) -> bool:
    kind = ctx.node_data[node]["kind"]
    if kind in BUFFER_KINDS:
        return True
    return kind == "worker" and all(v in found for v in ctx.graph.successors(node))


def sample_share(ctx: CheckContext, node: str) -> float:
    """The largest share among `node`'s sampled writes toward the audit log (for messages)."""
    reached = audit_reach(ctx, False)
    shares = [
        f.share
        for v, flows in ctx.analyses.adjacency[node].items()
        if v in reached
        for f in flows
        if f.op in _WRITES and not complete(f)
    ]
    return max(shares, default=1.0)


def credited_writers(ctx: CheckContext) -> dict[str, str]:
    """Consumers of a queue or stream whose messages an upstream audit record identifies
    (`identifies` on a complete write into the audit route, made by a component upstream of the
    buffer), mapped to that buffer: the writes they commit are audited at the source."""
    key = ("audit", "credited")
    if key in ctx.memo:
        return ctx.memo[key]  # type: ignore[index,return-value]
    audited = audit_reach(ctx, True)
    credited: dict[str, str] = {}
    for u, v, flows in ctx.flow_edges:
        if v not in audited:
            continue
        for flow in flows:
            if flow.op not in _WRITES or not complete(flow):
                continue
            for buffer in flow.identifies:
                if ctx.node_data[buffer]["kind"] in BUFFER_KINDS and _upstream(ctx, u, buffer):
                    for consumer in ctx.forward[buffer]:
                        credited.setdefault(consumer, buffer)
    ctx.memo[key] = credited  # type: ignore[index]
    return credited


def _upstream(ctx: CheckContext, source: str, buffer: str) -> bool:
    from sysdesign.checks.context import reach

    return buffer in reach(ctx.forward, [source])
