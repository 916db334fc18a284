"""Graph questions: named predicates over the design graph that auto items can bind to.

Each question lives next to its description, its parameters and its scope; a rubric naming an
unknown question or argument is a located error, never a silently passing item.

Scope says at which stages of an attempt a question is judged (`sysdesign.rubric.staged`):
`last` at the last stage reached (what the design has built up by then), `stages` at every
follow-up stage reached (1..N, judged on that stage alone), `each` at every stage 0..N.
Rule codes are judged at every stage.
An answer's `support` (0..1) is how much of what the item asks the design shows; it caps a
self answer (`sysdesign.rubric.evidence`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from sysdesign.graph import nodes_with_layer
from sysdesign.model import Stage
from sysdesign.taxonomy import KINDS, SAFETY_SCREENS
from sysdesign.views import suggest


@dataclass(frozen=True)
class Answer:
    """A question's verdict and what it saw."""

    passed: bool
    evidence: str
    support: float | None = None  # 0..1; None: 1 when passed, else 0

    @property
    def shown(self) -> float:
        if self.support is not None:
            return self.support
        return 1.0 if self.passed else 0.0


QuestionFn = Callable[[nx.DiGraph, dict[str, Any]], Answer]


@dataclass(frozen=True)
class Question:
    name: str
    description: str
    params: dict[str, str]  # name -> "list of layers" etc., for docs and validation
    fn: QuestionFn = None  # type: ignore[assignment]
    scope: str = "last"  # last | stages (see the module docstring)


QUESTIONS: dict[str, Question] = {}

_LAYERS = {k.name for k in KINDS}


SCOPES = ("last", "stages", "each")


def question(
    name: str, description: str, scope: str = "last", **params: str
) -> Callable[[QuestionFn], QuestionFn]:
    assert scope in SCOPES, scope

    def register(fn: QuestionFn) -> QuestionFn:
        if name in QUESTIONS:
            raise ValueError(f"duplicate graph question {name!r}")
        QUESTIONS[name] = Question(name, " ".join(description.split()), params, fn, scope)
        return fn

    return register


def _listing(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


@question("estimates-written", "The design writes back-of-envelope estimates (scale.estimates).")
def _estimates(graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    estimates = graph.graph["view"].scale.estimates
    if not estimates:
        return Answer(False, "scale.estimates is empty: no back-of-envelope figures written")
    derived = [e.name for e in estimates if e.derivation.strip()]
    return Answer(
        True,
        f"{len(estimates)} estimates ({_listing([e.name for e in estimates])}), "
        f"{len(derived)} with a derivation",
        support=len(derived) / len(estimates),
    )


@question(
    "accepted-tradeoffs-written",
    """The design accepts at least one finding with a written reason (a trade-off discussed);
    short of that, stage discussions show part of it.""",
)
def _tradeoffs(graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    design = graph.graph["design"]
    accepted = design.accepted
    if accepted:
        parts = [f"{a.code}{' on ' + a.component if a.component else ''}" for a in accepted]
        return Answer(True, f"{len(accepted)} accepted with reasons: {_listing(parts)}")
    reached = design.stages[: graph.graph["view"].stage_index]
    discussed = [s for s in reached if s.discussion]
    if not reached:
        return Answer(False, "no accepted trade-offs written in 'accepted'", 0.0)
    return Answer(
        False,
        f"no accepted trade-offs written in 'accepted'; discussion written for "
        f"{len(discussed)} of {len(reached)} stages",
        len(discussed) / len(reached),
    )


def stage_changed(stage: Stage) -> bool:
    """Whether the attempt wrote any change for this stage (add, remove, or a changed field)."""
    if any((stage.add.components, stage.add.flows, stage.add.groups)):
        return True
    if stage.remove.components or stage.remove.flows:
        return True
    return any(change.model_dump(exclude_unset=True).keys() - {"id"} for change in stage.change)


@question(
    "has-stages-applied",
    """Each follow-up stage reached changed the design and left none of the errors that
    stage's constraint raised open.""",
    scope="stages",
)
def _stages(graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    view = graph.graph["view"]
    stage = view.stage
    if stage is None:
        return Answer(False, "graded at the base design: no follow-up stage reached")
    label = f"stage {view.stage_index} ({stage.title})"
    if not stage_changed(stage):
        return Answer(False, f"{label}: nothing added, removed or changed for it")
    demanded = graph.graph.get("demanded", ())
    if demanded:
        return Answer(False, f"{label}: its constraint left open: {_listing(list(demanded), 3)}")
    return Answer(True, f"{label}: changed for it, none of its demanded errors open")


@question(
    "stage-discussion-written",
    "Each follow-up stage reached writes the points a strong answer raises (its discussion).",
    scope="stages",
)
def _discussion(graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    view = graph.graph["view"]
    stage = view.stage
    if stage is None:
        return Answer(False, "no stage applied")
    if not stage.discussion:
        return Answer(False, f"no discussion written for stage {stage.id}")
    return Answer(True, f"discussion written for stage {stage.id}")


@question(
    "requirements-written",
    "The design writes functional and non-functional requirements.",
)
def _requirements(graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    req = graph.graph["design"].requirements
    if not req.functional or not req.non_functional:
        empty = [
            n
            for n, v in (("functional", req.functional), ("non_functional", req.non_functional))
            if not v
        ]
        return Answer(False, f"requirements.{' and '.join(empty)} empty")
    return Answer(
        True,
        f"{len(req.functional)} functional and {len(req.non_functional)} non-functional "
        "requirements",
    )


@question("groups-drawn", "The diagram groups components into tiers, zones or regions.")
def _groups(graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    view = graph.graph["view"]
    grouped = [n for n, g in graph.nodes(data="group") if g]
    if not view.groups or not grouped:
        return Answer(False, "no groups: the diagram is one flat cluster")
    return Answer(True, f"{len(view.groups)} groups holding {len(grouped)} components")


@question(
    "has-layers",
    "Every named layer is present (a component's kind or role).",
    layers="list of component kinds",
)
def _has_layers(graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    layers = list(args["layers"])
    missing = [layer for layer in layers if not nodes_with_layer(graph, layer)]
    if missing:
        return Answer(False, f"no {', '.join(missing)} in the design")
    found = [f"{layer} ({_listing(nodes_with_layer(graph, layer), 3)})" for layer in layers]
    return Answer(True, "present: " + "; ".join(found))


@question(
    "has-screens",
    "Safety filters screen each named kind of content (input, output, retrieved, corpus).",
    screens="list of screens",
)
def _has_screens(graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    screens = list(args["screens"])
    by_screen = {s: [n for n, done in graph.nodes(data="screens") if s in done] for s in screens}
    missing = [s for s, nodes in by_screen.items() if not nodes]
    if missing:
        return Answer(False, f"no safety filter screens {', '.join(missing)} content")
    return Answer(
        True, "screened: " + "; ".join(f"{s} ({_listing(n, 3)})" for s, n in by_screen.items())
    )


@question(
    "fan-out-at-least",
    "Some flow fans out to at least n calls per request (scatter-gather over shards).",
    n="integer",
)
def _fan_out(graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    n = int(args["n"])
    best = None
    for u, v, flows in graph.edges(data="flows"):
        for flow in flows:
            if best is None or flow.fan_out > best[0]:
                best = (flow.fan_out, u, v)
    if best is None or best[0] < n:
        widest = f"; the widest is {best[1]} -> {best[2]} x{best[0]}" if best else ""
        return Answer(False, f"no flow fans out to {n} or more{widest}")
    return Answer(True, f"{best[1]} -> {best[2]} fans out x{best[0]}")


@question(
    "screened-before",
    """Every synchronous request path from a client to a component of the named kinds passes a
    safety filter that screens the named content (the filter sits on the path, not beside it).
    Asynchronous hops (queues, streams) start other work and are not followed.""",
    scope="each",
    kinds="list of component kinds",
    screens="list of screens",
)
def _screened_before(graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    kinds, screens = set(args["kinds"]), set(args["screens"])
    targets = {n for n, k in graph.nodes(data="kind") if k in kinds}
    if not targets:
        return Answer(False, f"no {', '.join(sorted(kinds))} in the design")
    guards = {n for n, done in graph.nodes(data="screens") if screens <= set(done or ())}
    starts = sorted(n for n, k in graph.nodes(data="kind") if k == "client")
    parent: dict[str, str | None] = {s: None for s in starts}
    queue = list(starts)
    while queue:
        node = queue.pop(0)
        if node in targets:
            path = [node]
            while parent[path[-1]] is not None:
                path.append(parent[path[-1]])  # type: ignore[arg-type]
            return Answer(
                False,
                f"{' -> '.join(reversed(path))} reaches {node} without a filter screening "
                f"{', '.join(sorted(screens))} on the path",
            )
        if node in guards:
            continue
        for nxt in sorted(graph.successors(node)):
            if nxt not in parent and graph.edges[node, nxt]["sync"]:
                parent[nxt] = node
                queue.append(nxt)
    return Answer(
        True, f"every path to {_listing(sorted(targets), 3)} passes {_listing(sorted(guards), 3)}"
    )


def argument_problems(name: str, args: dict[str, Any]) -> list[tuple[str | None, str]]:
    """Problems with a question's arguments: (argument name or None, message)."""
    spec = QUESTIONS[name]
    problems: list[tuple[str | None, str]] = []
    for key in args:
        if key not in spec.params:
            expected = ", ".join(spec.params) or "none"
            problems.append((key, f"question {name!r} has no argument {key!r} (takes: {expected})"))
    for key, kind in spec.params.items():
        if key not in args:
            problems.append((None, f"question {name!r} needs argument {key!r} ({kind})"))
            continue
        value = args[key]
        if kind.startswith("list"):
            if not isinstance(value, list) or not value:
                problems.append((key, f"{key}: expected a non-empty {kind}"))
                continue
            allowed = _LAYERS if "kinds" in kind else set(SAFETY_SCREENS)
            what = "kind" if "kinds" in kind else "screen"
            for v in value:
                if v not in allowed:
                    problems.append((key, f"{key}: unknown {what} {v!r}{suggest(str(v), allowed)}"))
        elif kind == "integer" and (not isinstance(value, int) or value < 1):
            problems.append((key, f"{key}: expected a positive integer"))
    return problems


def ask(name: str, graph: nx.DiGraph, args: dict[str, Any]) -> Answer:
    """Run a question. A question that crashes fails loudly; it never counts as passing."""
    return QUESTIONS[name].fn(graph, args)
