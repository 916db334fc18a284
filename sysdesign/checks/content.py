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
whose components make a bounded number of screening calls. The pass runs over component indexes
(`HopTable`, built once per table from the view's integer arrays) and numbers each state by one
integer: `2 * component + entered by a call` for the first screen interval (every state of a
component that calls no screen), the next free number for a later interval. What it records per
state sits in flat lists indexed by that number, so its inner loop hashes no tuple and no string
and builds no record; names come back only in its answers. A search in which no component calls a
screen (most of them) runs a shorter pass with one state per (component, entered by a call).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from collections.abc import Collection, Iterable, Mapping

NEVER = 10**9  # a step after every call: when a response is sent


Hop = tuple[tuple[int, ...], tuple[int, ...]]
"""How content moves from one component to a neighbour: (calls, returns), the sorted steps of its
calls (or writes) to the neighbour, and the sorted steps of the neighbour's calls answered with
content. A plain tuple: there are one or two per flow, built and unpacked in inner loops."""

MAX_SHOWN_PATH = 24

Found = tuple[
    list[int],
    list[int],
    list[int],
    list[int],
    list[tuple[int, int] | None],
    list[tuple[int, int, int]],
]
"""What a pass leaves: first state per component, components in the order first reached, and
per state its parent, source and carrying call; the (component, interval, bound) of each state
numbered beyond the first interval."""


class HopTable:
    """Hops by component index: `rows[i]` maps a neighbour's index to the `Hop` to it, neighbours
    in edge order; `ids` names the indexes; `stateless[i]` is 1 for a component that answers a
    call only with what that call brought."""

    __slots__ = ("ids", "index", "rows", "stateless")

    def __init__(
        self, ids: list[str], index: dict[str, int], rows: list[dict[int, Hop]], stateless: bytes
    ) -> None:
        self.ids, self.index, self.rows, self.stateless = ids, index, rows, stateless

    def named(self) -> dict[str, dict[str, Hop]]:
        """The hops by component id (for reading and tests)."""
        ids = self.ids
        return {ids[i]: {ids[j]: hop for j, hop in row.items()} for i, row in enumerate(self.rows)}

    def without(self, pairs: Iterable[tuple[str, str]]) -> HopTable:
        """The same table without the hops from u to v for each (u, v) in `pairs`."""
        rows = list(self.rows)
        for u, v in pairs:
            i = self.index[u]
            if self.index[v] in rows[i]:
                rows[i] = {j: hop for j, hop in rows[i].items() if j != self.index[v]}
        return HopTable(self.ids, self.index, rows, self.stateless)


class Search:
    """How each component was first reached, and the call that carried content into it.

    States are numbered by one integer (see `States`); per state, flat lists hold its parent
    state (-1 for a source), the source it was reached from, and the (caller index, step) of the
    call that entered it (None when it was not entered by a call)."""

    __slots__ = ("carried", "extra", "first", "ids", "index", "order", "origin", "parent")

    def __init__(self, table: HopTable, found: Found) -> None:
        self.ids, self.index = table.ids, table.index
        self.first, self.order, self.parent, self.origin, self.carried, self.extra = found

    def __contains__(self, node: str) -> bool:
        i = self.index.get(node, -1)
        return i >= 0 and self.first[i] >= 0

    def reached(self) -> list[str]:
        """Every component reached, in the order the search first reached them."""
        ids = self.ids
        return [ids[i] for i in self.order]

    def path_to(self, node: str, longest: int = MAX_SHOWN_PATH) -> tuple[str, ...]:
        """The route found to `node`, from its source; a very long one keeps its source and its
        last hops, with '...' between."""
        ids, parent, extra = self.ids, self.parent, self.extra
        primary = 2 * len(self.first)
        path: list[str] = []
        state = self.first[self.index[node]]
        while state >= 0 and len(path) < longest:
            path.append(ids[state >> 1 if state < primary else extra[state - primary][0]])
            state = parent[state]
        if state >= 0:
            path += ["...", ids[self.origin[state]]]
        return tuple(reversed(path))

    def call_into(self, node: str) -> tuple[str, int] | None:
        """(caller, step) of the call that first carried unscreened content into `node`."""
        call = self.carried[self.first[self.index[node]]]
        return None if call is None else (self.ids[call[0]], call[1])


def search(
    table: HopTable,
    sources: Iterable[str],
    blocked: Collection[str] = (),
    screen_calls: Mapping[str, list[int]] | None = None,
) -> Search:
    """Breadth-first search from `sources` that never enters a blocked component and never
    crosses a hop screened by a call (`screen_calls`: component -> sorted steps of its calls to a
    screening component)."""
    index, count = table.index, len(table.ids)
    shut = bytearray(count)
    for name in blocked:
        if name in index:
            shut[index[name]] = 1
    screens: list[list[int] | None] = [None] * count
    for name, steps in (screen_calls or {}).items():
        screens[index[name]] = steps
    starts = [index[n] for n in dict.fromkeys(sources)]
    if any(screens):
        return Search(table, _search(table.rows, starts, shut, screens, table.stateless))
    return Search(table, _unscreened(table.rows, starts, shut, table.stateless))


def _search(
    rows: list[dict[int, Hop]],
    sources: list[int],
    blocked: bytearray,
    screens: list[list[int] | None],
    stateless: bytes,
) -> Found:
    """The pass itself, over indexes (see `search`; states numbered as in the module docstring)."""
    count = len(rows)
    primary = 2 * count  # states of the first screen interval: 2 * component + entered by a call
    arrival = [-1] * primary  # the earliest step content arrived in the state; -1: not reached
    parent = [-1] * primary
    origin = [-1] * primary
    carried: list[tuple[int, int] | None] = [None] * primary
    first = [-1] * count  # component -> the first state it was reached in
    order: list[int] = []
    extra: list[tuple[int, int, int]] = []  # (component, interval, bound) of the later states
    numbered: dict[tuple[int, int, int], int] = {}
    queue: deque[int] = deque()
    enqueue = queue.append

    def later(node: int, interval: int, bound: int) -> int:
        """The number of a state beyond a component's first screen interval."""
        key = (node, interval, bound)
        state = numbered.get(key)
        if state is None:
            state = numbered[key] = primary + len(extra)
            extra.append(key)
            arrival.append(-1)
            parent.append(-1)
            origin.append(-1)
            carried.append(None)
        return state

    def visit(node: int, at: int, bound: int, came_from: int, src: int) -> None:
        own = screens[node]
        interval = bisect_right(own, at) if own else 0
        state = later(node, interval, bound) if interval else 2 * node + bound
        was = arrival[state]
        if was < 0:  # the first route found stays the one shown: it never loops back
            arrival[state], parent[state], origin[state] = at, came_from, src
            if first[node] < 0:
                first[node] = state
                order.append(node)
        elif was <= at:
            return  # content that arrived earlier reaches every call this one does
        else:
            arrival[state] = at
        enqueue(state)

    for source in sources:
        visit(source, 0, 0, -1, source)
    dequeue = queue.popleft
    while queue:
        current = dequeue()
        if current < primary:
            node, bound, interval = current >> 1, current & 1, 0
        else:
            node, interval, bound = extra[current - primary]
        at, src = arrival[current], origin[current]
        own = screens[node]
        screened_at = own[interval] if own and interval < len(own) else NEVER
        for nxt, (calls, returns) in rows[node].items():
            if blocked[nxt]:
                continue
            if calls:
                into_stateless = stateless[nxt]
                theirs = screens[nxt]
                # the state a call enters: arrived at step 0, so the same for every call
                entry = bisect_right(theirs, 0) if theirs else 0
                base = later(nxt, entry, into_stateless) if entry else 2 * nxt + into_stateless
                for step in calls:
                    if step <= at:
                        continue
                    if step > screened_at:
                        break  # screened before this call and every later one
                    # visit(nxt, 0, into_stateless, current, src), inlined: the hottest line
                    was = arrival[base]
                    if was < 0:
                        arrival[base], parent[base], origin[base] = 0, current, src
                        carried[base] = (node, step)
                        if first[nxt] < 0:
                            first[nxt] = base
                            order.append(nxt)
                        enqueue(base)
                    elif was > 0:
                        arrival[base] = 0
                        enqueue(base)
                        if carried[base] is None:
                            carried[base] = (node, step)
                    if into_stateless and not theirs:
                        back = rows[nxt].get(node)
                        if back is not None and step in back[1]:  # the call's answer carries
                            visit(node, step, bound, base, src)  # its content
            if returns and not bound and screened_at == NEVER:
                theirs = screens[nxt]
                for step in returns:  # visit(nxt, step, 0, current, src), inlined
                    interval = bisect_right(theirs, step) if theirs else 0
                    back_state = later(nxt, interval, 0) if interval else 2 * nxt
                    was = arrival[back_state]
                    if was < 0:
                        arrival[back_state], parent[back_state] = step, current
                        origin[back_state] = src
                        if first[nxt] < 0:
                            first[nxt] = back_state
                            order.append(nxt)
                    elif was <= step:
                        continue
                    else:
                        arrival[back_state] = step
                    enqueue(back_state)
    return first, order, parent, origin, carried, extra


def _unscreened(
    rows: list[dict[int, Hop]], sources: list[int], blocked: bytearray, stateless: bytes
) -> Found:
    """`_search` where no component calls a screen (most searches), shortened by what that
    implies: a component's states are 2 * component + entered by a call; a hop's first call
    after the content arrived, and its earliest answer, decide all that its later ones would;
    the answer of a stateless callee comes back to the state that called, which holds the
    content from an earlier step already. Tests hold it to `_search`."""
    count = len(rows)
    arrival = [-1] * (2 * count)
    parent = [-1] * (2 * count)
    origin = [-1] * (2 * count)
    carried: list[tuple[int, int] | None] = [None] * (2 * count)
    first = [-1] * count
    order: list[int] = []
    queue: deque[int] = deque()
    enqueue = queue.append
    for source in sources:  # distinct: each a new state
        state = first[source] = 2 * source
        arrival[state], origin[state] = 0, source
        order.append(source)
        enqueue(state)
    dequeue = queue.popleft
    while queue:
        current = dequeue()
        node, bound = current >> 1, current & 1
        at, src = arrival[current], origin[current]
        for nxt, (calls, returns) in rows[node].items():
            if blocked[nxt]:
                continue
            if calls and calls[-1] > at:
                for step in calls:
                    if step > at:
                        break  # the first call that carries the content
                base = 2 * nxt + stateless[nxt]
                was = arrival[base]
                if was < 0:
                    arrival[base], parent[base], origin[base] = 0, current, src
                    carried[base] = (node, step)
                    if first[nxt] < 0:
                        first[nxt] = base
                        order.append(nxt)
                    enqueue(base)
                elif was > 0:
                    arrival[base] = 0
                    enqueue(base)
                    if carried[base] is None:
                        carried[base] = (node, step)
            if returns and not bound:
                state, step = 2 * nxt, returns[0]
                was = arrival[state]
                if was < 0:
                    arrival[state], parent[state], origin[state] = step, current, src
                    if first[nxt] < 0:
                        first[nxt] = state
                        order.append(nxt)
                    enqueue(state)
                elif was > step:
                    arrival[state] = step
                    enqueue(state)
    return first, order, parent, origin, carried, []
