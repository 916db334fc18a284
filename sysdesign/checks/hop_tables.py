"""The three hop tables the path rules search, built together in one pass over the view's edges.

- requests: every call or message, at its step;
- content: how content moves (see checks/content.py): forward along writes and streams, back
  along responses that carry content (reads, and any call to a stateless component);
- prompt: content plus calls into compute (a store answers a service, which calls the model with
  what it got).

Each table holds, per component index, its neighbours in edge order: first the hops of its own
calls, then the answers to calls made to it.
"""

from __future__ import annotations

from sysdesign.analyses.arrays import Arrays
from sysdesign.checks.content import Hop, HopTable
from sysdesign.model import Operation

Steps = tuple[int, ...]


def hop_tables(arrays: Arrays, stateless: bytes) -> tuple[HopTable, HopTable, HopTable]:
    """(requests, content, prompt) tables of the arrays' edges; steps sorted and unique."""
    carries = (Operation.WRITE, Operation.STREAM)
    read = Operation.READ
    stateful, compute = arrays.stateful, arrays.compute
    step_of, op_of, responds = arrays.step, arrays.op, arrays.responds
    requests: list[dict[int, Hop]] = [{} for _ in arrays.ids]
    content: list[dict[int, Hop]] = [{} for _ in arrays.ids]
    prompt: list[dict[int, Hop]] = [{} for _ in arrays.ids]
    answered: list[tuple[int, int, Steps]] = []
    hop_at: dict[int, Hop] = {}  # the hop of one call at a step: most edges share a few
    for u, v, span in zip(arrays.edge_src, arrays.edge_dst, arrays.edge_flows, strict=True):
        if len(span) == 1:  # most edges: no set or sort, no new tuple
            f = span.start
            step = step_of[f]
            hop = hop_at.get(step)
            if hop is None:
                hop = hop_at[step] = ((step,), ())
            requests[u][v] = hop
            op = op_of[f]
            if op in carries:
                content[u][v] = prompt[u][v] = hop
            elif compute[v]:
                prompt[u][v] = hop
            if responds[f] and (op is read or not stateful[v]):
                answered.append((v, u, hop[0]))
            continue
        steps = tuple(sorted({step_of[f] for f in span}))
        writes = tuple(sorted({step_of[f] for f in span if op_of[f] in carries}))
        answers = tuple(
            sorted(
                {step_of[f] for f in span if responds[f] and (op_of[f] is read or not stateful[v])}
            )
        )
        requests[u][v] = (steps, ())  # an edge has a flow: its steps are never empty
        if writes:
            content[u][v] = (writes, ())
        carried = steps if compute[v] else writes
        if carried:
            prompt[u][v] = (carried, ())
        if answers:
            answered.append((v, u, answers))
    answer_of: dict[Steps, Hop] = {}  # the hop of answers alone, shared as hop_at is
    for v, u, back in answered:  # after every call, in edge order
        for row in (content[v], prompt[v]):
            found = row.get(u)
            if found is not None:
                row[u] = (found[0], back)
            else:
                hop = answer_of.get(back)
                if hop is None:
                    hop = answer_of[back] = ((), back)
                row[u] = hop
    ids, index = arrays.ids, arrays.index
    return (
        HopTable(ids, index, requests, stateless),
        HopTable(ids, index, content, stateless),
        HopTable(ids, index, prompt, stateless),
    )
