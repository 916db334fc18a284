"""The scene: what a diagram shows, independent of how it is drawn (DOT or Mermaid).

A scene is a projection of one design view plus (optionally) the checker's findings: which boxes
exist and in which cluster, their display text, which are outlined for findings or highlighted as
added by the stage, which flows point backwards, and which missing layers appear as ghosts. Both
exporters read the scene; neither looks at findings or the design on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import networkx as nx

from sysdesign.analyses import analyses_for
from sysdesign.checks.findings import SEVERITY_ORDER, Finding
from sysdesign.graph import build_graph
from sysdesign.model import Design, Mode
from sysdesign.render.icons import Icon, icon_for
from sysdesign.render.labels import NAME_WIDTH, short_technology, wrap_words
from sysdesign.views import DesignView, view_of

EDGE_LABEL_WIDTH = 24
OUTLINED = ("error", "warning")  # severities that outline a box
CROSSCUTTING_KINDS = ("metrics", "tracing", "logging", "audit_log", "secrets_store")
CROSSCUTTING_FAN_IN = 3  # a sink of these kinds fed by this many components is cross-cutting


class HasOpenFindings(Protocol):
    @property
    def open_findings(self) -> list[Finding]: ...


Findings = HasOpenFindings | Iterable[Finding] | None
"""A checker Report, or any iterable of findings (accepted ones are left out)."""


@dataclass(frozen=True)
class SceneGroup:
    id: str
    label: str
    kind: str
    parent: str | None  # an enclosing group that is drawn, or None


@dataclass(frozen=True)
class SceneNode:
    id: str  # the component id: node ids derive from it, never from chance
    kind: str
    name_lines: tuple[str, ...]  # the display name, wrapped on word boundaries
    detail_lines: tuple[str, ...]  # a short technology line and replicas ("x12")
    group: str | None
    status: str | None  # worst open finding severity that outlines it: error | warning
    added: bool  # added by the stage being drawn
    tooltip: str  # the full name, kind and technology
    icon: Icon | None = None  # None: the kind's neutral icon
    codes: tuple[str, ...] = ()  # codes of the open error/warning findings about it
    utilisation: float | None = None  # peak load / capacity (from sysdesign.analyses)
    capacity_flagged: bool = False  # a capacity finding names it: the box shows utilisation
    latency_ms: float | None = None  # its own stated latency
    queue_ms: float | None = None  # mean queueing delay at peak (M/M/c); None: not modelled
    saturated: bool = False  # peak load reaches its capacity: the queue grows without bound
    changed: bool = False  # changed by the stage being drawn
    sinks: tuple[str, ...] = ()  # cross-cutting sinks it feeds (drawn as a badge, not edges)

    def __post_init__(self) -> None:
        if self.icon is None:
            object.__setattr__(self, "icon", icon_for(self.kind))

    @property
    def lines(self) -> tuple[str, ...]:
        return (*self.name_lines, *self.detail_lines)


@dataclass(frozen=True)
class SceneEdge:
    key: str  # the flow key
    tail: str
    head: str
    label_lines: tuple[str, ...]
    is_async: bool
    added: bool
    backward: bool  # points against the request direction: must not constrain the layout
    crosscutting: bool = False  # into a shared sink (telemetry, audit, secrets): a badge instead
    step: int = 0  # the flow's step (calls of one step run in parallel)


@dataclass(frozen=True)
class Ghost:
    """A missing layer, drawn as a dashed box next to the component it belongs beside."""

    id: str
    layer: str
    anchor: str | None
    severity: str
    codes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"missing: {self.layer.replace('_', ' ')}"

    @property
    def long_label(self) -> str:
        """Which layer is missing, and the rule codes that ask for it."""
        codes = f" ({', '.join(self.codes)})" if self.codes else ""
        return f"missing layer: {self.layer.replace('_', ' ')}{codes}"


@dataclass(frozen=True)
class Scene:
    design_id: str
    title: str
    stage: int
    stage_title: str | None
    groups: tuple[SceneGroup, ...]  # only groups that hold something, parents before children
    nodes: tuple[SceneNode, ...]
    edges: tuple[SceneEdge, ...]
    ghosts: tuple[Ghost, ...]
    show_findings: bool
    code_titles: tuple[tuple[str, str, str], ...] = ()  # (code, severity, title) drawn on boxes

    def child_groups(self, parent: str | None) -> list[SceneGroup]:
        return [g for g in self.groups if g.parent == parent]

    def members(self, group: str | None) -> list[SceneNode]:
        return [n for n in self.nodes if n.group == group]

    @property
    def statuses(self) -> set[str]:
        return {n.status for n in self.nodes if n.status}

    @property
    def has_added(self) -> bool:
        return any(n.added for n in self.nodes) or any(e.added for e in self.edges)


def open_findings(findings: Findings) -> list[Finding]:
    """The open findings of a Report or of an iterable of findings."""
    if findings is None:
        return []
    if hasattr(findings, "open_findings"):
        return list(findings.open_findings)  # type: ignore[union-attr]
    return [f for f in findings if f.is_open]  # type: ignore[union-attr]


def worst_by_component(findings: list[Finding]) -> dict[str, str]:
    """The worst outlining severity (error beats warning) per component."""
    worst: dict[str, str] = {}
    for f in findings:
        if f.severity not in OUTLINED:
            continue
        for c in f.components:
            if c not in worst or SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[worst[c]]:
                worst[c] = f.severity
    return worst


def ghosts_of(findings: list[Finding], components: set[str]) -> tuple[Ghost, ...]:
    """One ghost per (missing layer, anchor), worst severity, in a stable order."""
    found: dict[tuple[str, str | None], str] = {}
    codes: dict[tuple[str, str | None], set[str]] = {}
    for f in findings:
        if not f.missing_layer or f.severity not in SEVERITY_ORDER:
            continue
        anchor = f.anchor if f.anchor in components else None
        key = (f.missing_layer, anchor)
        codes.setdefault(key, set()).add(f.code)
        if key not in found or SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[found[key]]:
            found[key] = f.severity
    ordered = sorted(found.items(), key=lambda item: (item[0][1] or "", item[0][0]))
    return tuple(
        # component ids are slugs (start with [a-z0-9]), so a leading '_' cannot collide
        Ghost(
            id=f"_missing_{layer}__{anchor or ''}",
            layer=layer,
            anchor=anchor,
            severity=sev,
            codes=tuple(sorted(codes[layer, anchor])),
        )
        for (layer, anchor), sev in ordered
    )


def backward_edges(graph: nx.DiGraph) -> set[tuple[str, str]]:
    """Edges that point against the request direction.

    A depth-first walk from the entry points (clients, schedulers), in design order, then from
    anything not reached: an edge to a component still on the walk's stack closes a loop (a
    response or callback towards the caller). Any edge into an entry point from a non-entry is
    backward too.
    """
    entries = [n for n, entry in graph.nodes(data="entry") if entry]
    roots = entries + [n for n in graph.nodes if n not in set(entries)]
    backward = {
        (u, v) for u, v in graph.edges if graph.nodes[v]["entry"] and not graph.nodes[u]["entry"]
    }
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(list(graph.successors(root))))]
        while stack:
            node, successors = stack[-1]
            nxt = next(successors, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                backward.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(list(graph.successors(nxt)))))
    return backward


def _groups(view: DesignView, used: set[str]) -> tuple[SceneGroup, ...]:
    """Groups that hold a component (directly or in a nested group), parents first."""
    parent_of: dict[str, str | None] = {}
    for gid, group in view.groups.items():
        parent, seen = group.parent, {gid}
        while parent is not None and parent not in seen and parent in view.groups:
            seen.add(parent)
            parent = view.groups[parent].parent
        # a parent chain that loops or dangles is drawn flat
        parent_of[gid] = group.parent if parent is None and group.parent in view.groups else None
    drawn: set[str] = set()
    for gid in used:
        while gid is not None and gid not in drawn and gid in view.groups:
            drawn.add(gid)
            gid = parent_of[gid]

    def depth(gid: str) -> int:
        d, parent = 0, parent_of[gid]
        while parent is not None:
            d, parent = d + 1, parent_of[parent]
        return d

    order = list(view.groups)
    return tuple(
        SceneGroup(gid, view.groups[gid].label or gid, view.groups[gid].kind.value, parent_of[gid])
        for gid in sorted(drawn, key=lambda g: (depth(g), order.index(g)))
    )


def _codes_by_component(findings: list[Finding]) -> dict[str, tuple[str, ...]]:
    """Codes of the open error/warning findings per component, in rule order."""
    codes: dict[str, set[str]] = {}
    for f in findings:
        if f.severity in OUTLINED:
            for c in f.components:
                codes.setdefault(c, set()).add(f.code)
    return {c: tuple(sorted(found)) for c, found in codes.items()}


def _code_titles(findings: list[Finding], shown: set[str]) -> tuple[tuple[str, str, str], ...]:
    """(code, worst severity, title) of every code drawn on a box."""
    worst: dict[str, tuple[str, str]] = {}
    for f in findings:
        if f.code in shown and f.severity in OUTLINED:
            known = worst.get(f.code)
            if known is None or SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[known[0]]:
                worst[f.code] = (f.severity, f.title)
    return tuple((code, *worst[code]) for code in sorted(worst))


def utilisation_of(view: DesignView, scale: float = 1.0) -> dict[str, float]:
    """Peak load / capacity per component with a stated capacity, from the view's analyses."""
    analyses = analyses_for(view, scale)
    ratios = {}
    for node, load in analyses.traffic.node.items():
        capacity = analyses.capacity(node)
        if capacity and not analyses.graph.nodes[node]["entry"]:
            ratios[node] = load / capacity
    return ratios


def crosscutting_edges(graph: nx.DiGraph) -> set[tuple[str, str]]:
    """Edges into shared sinks (telemetry, audit, secrets) fed by many components."""
    sinks = {
        n
        for n, kind in graph.nodes(data="kind")
        if kind in CROSSCUTTING_KINDS and graph.in_degree(n) >= CROSSCUTTING_FAN_IN
    }
    return {(u, v) for u, v in graph.edges if v in sinks and not graph.nodes[u]["entry"]}


def build_scene(
    source: Design | DesignView,
    stage: int | str | None = None,
    findings: Findings = None,
    clean: bool = False,
) -> Scene:
    """What to draw for a design (as of `stage`), with findings unless `clean`."""
    view = source if isinstance(source, DesignView) else view_of(source, stage)
    graph = build_graph(view)
    shown = [] if clean else open_findings(findings)
    status = worst_by_component(shown)
    codes = _codes_by_component(shown)
    scale = getattr(findings, "scale_factor", 1.0) or 1.0
    utilisation = utilisation_of(view, scale)
    waits = analyses_for(view, scale).waits
    backward = backward_edges(graph)
    crosscutting = crosscutting_edges(graph)
    order = {n: i for i, n in enumerate(graph)}
    sinks: dict[str, list[str]] = {}
    for u, v in sorted(crosscutting, key=lambda e: (order[e[0]], order[e[1]])):
        sinks.setdefault(u, []).append(view.components[v].display)
    capacity = {c for f in shown if f.family == "capacity" for c in f.components}

    nodes = []
    for cid, component in view.components.items():
        detail = []
        tech = short_technology(component.technology) if component.technology else ""
        if component.replicas > 1:
            tech = f"{tech} x{component.replicas}" if tech else f"x{component.replicas}"
        if tech:
            detail.append(tech)
        group = component.group if component.group in view.groups else None
        nodes.append(
            SceneNode(
                id=cid,
                kind=component.kind.value,
                name_lines=wrap_words(component.display, NAME_WIDTH),
                detail_lines=tuple(detail),
                group=group,
                status=status.get(cid),
                added=cid in view.added_components,
                tooltip=" - ".join(
                    filter(None, [component.display, component.kind.value, component.technology])
                ),
                icon=icon_for(component.kind.value, component.technology),
                codes=codes.get(cid, ()),
                utilisation=utilisation.get(cid),
                capacity_flagged=cid in capacity,
                latency_ms=component.latency_ms,
                queue_ms=waits.get(cid),
                saturated=cid in waits and waits[cid] is None,
                changed=cid in view.changed_components,
                sinks=tuple(sinks.get(cid, ())),
            )
        )
    edges = []
    for key, flow in view.flows.items():
        text = flow.label or ""
        if flow.fan_out > 1:
            text = f"{text} (x{flow.fan_out})" if text else f"x{flow.fan_out}"
        edges.append(
            SceneEdge(
                key=key,
                tail=flow.from_,
                head=flow.to,
                label_lines=wrap_words(text, EDGE_LABEL_WIDTH) if text else (),
                is_async=flow.mode is Mode.ASYNC,
                added=key in view.added_flows,
                backward=(flow.from_, flow.to) in backward,
                crosscutting=(flow.from_, flow.to) in crosscutting,
                step=flow.step or 0,
            )
        )
    used_groups = {n.group for n in nodes if n.group is not None}
    stage_obj = view.stage
    return Scene(
        design_id=view.design.id,
        title=view.design.title,
        stage=view.stage_index,
        stage_title=stage_obj.title if stage_obj else None,
        groups=_groups(view, used_groups),
        nodes=tuple(nodes),
        edges=tuple(edges),
        ghosts=ghosts_of(shown, set(view.components)),
        show_findings=not clean and findings is not None,
        code_titles=_code_titles(shown, {c for found in codes.values() for c in found}),
    )
