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
from dataclasses import dataclass, field

NEVER = 10**9  # a step after every call: when a response is sent


@dataclass(frozen=True)
class Hop:
    """How content moves from one component to a neighbour."""

    calls: tuple[int, ...] = ()  # sorted steps of its calls (or writes) to the neighbour
    returns: tuple[int, ...] = ()  # sorted steps of the neighbour's calls answered with content


Hops = dict[str, dict[str, Hop]]
State = tuple[str, int, bool]  # (component, screen interval, entered by a call to it)
MAX_SHOWN_PATH = 24


@dataclass
class Search:
    """How each component was first reached, and the call that carried content into it."""

    parents: dict[State, State | None]
    first: dict[str, State]
    sources: dict[State, str]  # the source each state was reached from
    via: dict[State, tuple[str, int]] = field(default_factory=dict)  # (caller, step) of entry

    def __contains__(self, node: str) -> bool:
        return node in self.first

    def path_to(self, node: str, longest: int = MAX_SHOWN_PATH) -> tuple[str, ...]:
        """The route found to `node`, from its source; a very long one keeps its source and its
        last hops, with '...' between."""
        path: list[str] = []
        state: State | None = self.first[node]
        while state is not None and len(path) < longest:
            path.append(state[0])
            state = self.parents[state]
        if state is not None:
            path += ["...", self.sources[state]]
        return tuple(reversed(path))

    def call_into(self, node: str) -> tuple[str, int] | None:
        """(caller, step) of the call that first carried unscreened content into `node`."""
        return self.via.get(self.first[node])


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
    parents: dict[State, State | None] = {}
    arrival: dict[State, int] = {}
    origin: dict[State, str] = {}
    first: dict[str, State] = {}
    via: dict[State, tuple[str, int]] = {}
    queue: deque[State] = deque()

    def visit(node: str, at: int, bound: bool, parent: State | None, src: str) -> State | None:
        state: State = (node, bisect_right(screens.get(node, ()), at), bound)
        if state in arrival:
            if arrival[state] <= at:
                return None  # content that arrived earlier reaches every call this one does
        else:  # the first route found stays the one shown: a route never loops back on itself
            parents[state], origin[state] = parent, src
            first.setdefault(node, state)
        arrival[state] = at
        queue.append(state)
        return state

    for source in dict.fromkeys(sources):
        visit(source, 0, False, None, source)
    while queue:
        current = queue.popleft()
        node, interval, bound = current
        at, src = arrival[current], origin[current]
        own = screens.get(node, ())
        screened_at = own[interval] if interval < len(own) else NEVER
        for nxt, hop in hops[node].items():
            if nxt in blocked:
                continue
            for step in hop.calls:
                if step <= at:
                    continue
                if step > screened_at:
                    break  # screened before this call and every later one
                entered = visit(nxt, 0, nxt in stateless, current, src)
                if entered is not None:
                    via.setdefault(entered, (node, step))
                answers = nxt in stateless and step in hops[nxt].get(node, Hop()).returns
                if answers and not screens.get(nxt):  # the call's answer carries what it brought
                    visit(node, step, bound, entered or (nxt, 0, True), src)
            if hop.returns and not bound and screened_at == NEVER:
                for step in hop.returns:
                    visit(nxt, step, False, current, src)
    return Search(parents, first, origin, via)


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
        hops[key[0]][key[1]] = Hop(
            tuple(sorted(calls.get(key, ()))), tuple(sorted(answers.get(key, ())))
        )
    return hops
