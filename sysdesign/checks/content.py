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
integer, so its inner loop hashes no tuple and no string; names come back only in its answers.
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

    A state is one integer: `component index * stride + screen interval * 2 + entered by a call`.
    """

    __slots__ = ("first", "ids", "index", "info", "stride")

    def __init__(
        self,
        table: HopTable,
        first: dict[int, int],
        info: dict[int, list],
        stride: int,  # type: ignore[type-arg]
    ) -> None:
        self.ids, self.index = table.ids, table.index
        self.first = first  # component index -> the first state it was reached in
        # per state: [arrival step, parent state, source index it was reached from, (caller
        # index, step) of the call that entered it or None]: one record, one lookup per visit
        self.info = info
        self.stride = stride

    def __contains__(self, node: str) -> bool:
        return self.index.get(node, -1) in self.first

    def reached(self) -> list[str]:
        """Every component reached, in the order the search first reached them."""
        ids = self.ids
        return [ids[i] for i in self.first]

    def path_to(self, node: str, longest: int = MAX_SHOWN_PATH) -> tuple[str, ...]:
        """The route found to `node`, from its source; a very long one keeps its source and its
        last hops, with '...' between."""
        ids, info, stride = self.ids, self.info, self.stride
        path: list[str] = []
        state: int | None = self.first[self.index[node]]
        while state is not None and len(path) < longest:
            path.append(ids[state // stride])
            state = info[state][1]
        if state is not None:
            path += ["...", ids[info[state][2]]]
        return tuple(reversed(path))

    def call_into(self, node: str) -> tuple[str, int] | None:
        """(caller, step) of the call that first carried unscreened content into `node`."""
        call = self.info[self.first[self.index[node]]][3]
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
    stride = 2 * (1 + max((len(s) for s in (screen_calls or {}).values()), default=0))
    starts = [index[n] for n in dict.fromkeys(sources)]
    first, info = _search(table.rows, starts, shut, screens, table.stateless, stride)
    return Search(table, first, info, stride)


def _search(
    rows: list[dict[int, Hop]],
    sources: list[int],
    blocked: bytearray,
    screens: list[list[int] | None],
    stateless: bytes,
    stride: int,
) -> tuple[dict[int, int], dict[int, list]]:  # type: ignore[type-arg]
    """The pass itself, over indexes (see `search`; states as in `Search`)."""
    info: dict[int, list] = {}  # type: ignore[type-arg]
    first: dict[int, int] = {}
    queue: deque[int] = deque()
    enqueue = queue.append

    def visit(node: int, at: int, bound: int, parent: int | None, src: int) -> int | None:
        own = screens[node]
        state = node * stride + (2 * bisect_right(own, at) if own else 0) + bound
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

    for source in sources:
        visit(source, 0, 0, None, source)
    dequeue = queue.popleft
    while queue:
        current = dequeue()
        node, rest = divmod(current, stride)
        interval, bound = rest >> 1, rest & 1
        record = info[current]
        at, src = record[0], record[2]
        own = screens[node]
        screened_at = own[interval] if own and interval < len(own) else NEVER
        for nxt, (calls, returns) in rows[node].items():
            if blocked[nxt]:
                continue
            if calls:
                into_stateless = stateless[nxt]
                theirs = screens[nxt]
                # the state a call enters: arrived at step 0, so the same for every call
                base = nxt * stride + (2 * bisect_right(theirs, 0) if theirs else 0)
                base += into_stateless
                for step in calls:
                    if step <= at:
                        continue
                    if step > screened_at:
                        break  # screened before this call and every later one
                    # visit(nxt, 0, into_stateless, current, src), inlined: the hottest line
                    entered: int | None = base
                    found = info.get(base)
                    if found is None:
                        info[base] = [0, current, src, (node, step)]
                        if nxt not in first:
                            first[nxt] = base
                        enqueue(base)
                    elif found[0] <= 0:
                        entered = None
                    else:
                        found[0] = 0
                        enqueue(base)
                        if found[3] is None:
                            found[3] = (node, step)
                    if into_stateless and not theirs:
                        back = rows[nxt].get(node)
                        if back is not None and step in back[1]:  # the call's answer carries
                            parent = entered if entered is not None else nxt * stride + 1
                            visit(node, step, bound, parent, src)  # its content
            if returns and not bound and screened_at == NEVER:
                theirs = screens[nxt]
                for step in returns:  # visit(nxt, step, 0, current, src), inlined
                    back_state = nxt * stride + (2 * bisect_right(theirs, step) if theirs else 0)
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
    return first, info
