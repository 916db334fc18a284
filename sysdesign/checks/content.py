"""Following content through a design call by call: which route crosses a screen, and where not.

A component's calls run in `step` order (same step: in parallel). Content is *at* a component
from a step on: from step 0 when it came with the request that invoked the component (or was
written into it), from step s when it came back in the response to the component's own call at
step s. It leaves:

- in the component's calls (or writes) to a target at steps after it arrived: each call carries
  exactly the content that arrived before that call's step;
- in the response to a caller, after all the component's calls (a response is sent last).

A component screens what it holds when it calls a screening component at a step after the content
arrived and before the call (or response) that sends it on. A screening component on the route
(a proxy) screens what passes through it: the search never enters it.

A stateless component (a model, a service) answers a call with what that call brought: content it
received in the call at step c goes back to that caller only, arriving at step c, within the same
request of the caller. A stateful one (a store, a cache) answers every reader at every step.

Cost: one breadth-first pass. A state is (component, screen interval, entered by a call); at most
one state per interval of a component's screen calls, so the pass is linear in flows for designs
whose components make a bounded number of screening calls.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

NEVER = 10**9  # a step after every call: when a response is sent


Hop = tuple[tuple[int, ...], tuple[int, ...]]
"""How content moves from one component to a neighbour: (calls, returns), the sorted steps of its
calls (or writes) to the neighbour, and the sorted steps of the neighbour's calls answered with
content. A plain tuple: there are one or two per flow, built and unpacked in inner loops."""

Hops = dict[str, dict[str, Hop]]
State = tuple[str, int, bool]  # (component, screen interval, entered by a call to it)
MAX_SHOWN_PATH = 24


@dataclass
class Search:
    """How each component was first reached, and the call that carried content into it."""

    first: dict[str, State]  # the first state each component was reached in
    # per state: [arrival step, parent state, source it was reached from, (caller, step) of the
    # call that entered it or None]: one record, one lookup per visit
    info: dict[State, list]  # type: ignore[type-arg]

    def __contains__(self, node: str) -> bool:
        return node in self.first

    def path_to(self, node: str, longest: int = MAX_SHOWN_PATH) -> tuple[str, ...]:
        """The route found to `node`, from its source; a very long one keeps its source and its
        last hops, with '...' between."""
        path: list[str] = []
        state: State | None = self.first[node]
        while state is not None and len(path) < longest:
            path.append(state[0])
            state = self.info[state][1]
        if state is not None:
            path += ["...", self.info[state][2]]
        return tuple(reversed(path))

    def call_into(self, node: str) -> tuple[str, int] | None:
        """(caller, step) of the call that first carried unscreened content into `node`."""
        return self.info[self.first[node]][3]


def search(
    hops: Hops,
    sources: Iterable[str],
    blocked: Collection[str] = (),
    screen_calls: Mapping[str, list[int]] | None = None,
    stateless: Collection[str] = (),
) -> Search:
    """Breadth-first search from `sources` that never enters a blocked component and never
    crosses a hop screened by a call (`screen_calls`: component -> sorted steps of its calls to a
    screening component)."""
    screens = screen_calls or {}
    info: dict[State, list] = {}  # type: ignore[type-arg]
    first: dict[str, State] = {}
    queue: deque[State] = deque()
    enqueue = queue.append

    def visit(node: str, at: int, bound: bool, parent: State | None, src: str) -> State | None:
        own = screens.get(node)
        state: State = (node, bisect_right(own, at) if own else 0, bound)
        record = info.get(state)
        if record is None:  # the first route found stays the one shown: it never loops back
            info[state] = [at, parent, src, None]
            if node not in first:
                first[node] = state
        elif record[0] <= at:
            return None  # content that arrived earlier reaches every call this one does
        else:
            record[0] = at
        enqueue(state)
        return state

    for source in dict.fromkeys(sources):
        visit(source, 0, False, None, source)
    dequeue = queue.popleft
    while queue:
        current = dequeue()
        node, interval, bound = current
        record = info[current]
        at, src = record[0], record[2]
        own = screens.get(node)
        screened_at = own[interval] if own and interval < len(own) else NEVER
        for nxt, (calls, returns) in hops[node].items():
            if nxt in blocked:
                continue
            if calls:
                into_stateless = nxt in stateless
                theirs = screens.get(nxt)
                for step in calls:
                    if step <= at:
                        continue
                    if step > screened_at:
                        break  # screened before this call and every later one
                    # visit(nxt, 0, into_stateless, current, src), inlined: the hottest line
                    entered: State | None = (
                        nxt,
                        bisect_right(theirs, 0) if theirs else 0,
                        into_stateless,
                    )
                    found = info.get(entered)  # type: ignore[arg-type]
                    if found is None:
                        info[entered] = [0, current, src, (node, step)]  # type: ignore[index]
                        if nxt not in first:
                            first[nxt] = entered  # type: ignore[assignment]
                        enqueue(entered)  # type: ignore[arg-type]
                    elif found[0] <= 0:
                        entered = None
                    else:
                        found[0] = 0
                        enqueue(entered)  # type: ignore[arg-type]
                        if found[3] is None:
                            found[3] = (node, step)
                    if into_stateless and not theirs:
                        back = hops[nxt].get(node)
                        if back is not None and step in back[1]:  # the call's answer carries
                            visit(node, step, bound, entered or (nxt, 0, True), src)  # its content
            if returns and not bound and screened_at == NEVER:
                theirs = screens.get(nxt)
                for step in returns:  # visit(nxt, step, False, current, src), inlined
                    back_state: State = (nxt, bisect_right(theirs, step) if theirs else 0, False)
                    found = info.get(back_state)
                    if found is None:
                        info[back_state] = [step, current, src, None]
                        if nxt not in first:
                            first[nxt] = back_state
                    elif found[0] <= step:
                        continue
                    else:
                        found[0] = step
                    enqueue(back_state)
    return Search(first, info)


def build_hops(
    nodes: Iterable[str],
    edges: Iterable[tuple[str, str, Iterable[int], Iterable[int]]],
) -> Hops:
    """Hops from (from, to, steps of calls carrying content forward, steps of calls whose
    response carries content back) per edge; neighbours in edge order (deterministic)."""
    calls: dict[tuple[str, str], set[int]] = {}
    answers: dict[tuple[str, str], set[int]] = {}
    for u, v, forward, answered in edges:
        forward, answered = set(forward), set(answered)
        if forward:
            calls.setdefault((u, v), set()).update(forward)
        if answered:
            answers.setdefault((v, u), set()).update(answered)
    hops: Hops = {n: {} for n in nodes}
    for key in dict.fromkeys([*calls, *answers]):
        hops[key[0]][key[1]] = (
            tuple(sorted(calls.get(key, ()))),
            tuple(sorted(answers.get(key, ()))),
        )
    return hops


def hops_from_steps(
    nodes: Iterable[str], edges: Iterable[tuple[str, str, tuple[int, ...], tuple[int, ...]]]
) -> Hops:
    """`build_hops` for edges already unique per (from, to) with their steps sorted and unique:
    the same hops, in the same order, without re-sorting (the checker builds three tables)."""
    hops: Hops = {n: {} for n in nodes}
    answered: list[tuple[str, str, tuple[int, ...]]] = []
    for u, v, forward, back in edges:
        if forward:
            hops[u][v] = (forward, ())
        if back:
            answered.append((v, u, back))
    for v, u, back in answered:  # after every call, as build_hops orders them
        row = hops[v]
        found = row.get(u)
        row[u] = (found[0] if found is not None else (), back)
    return hops
