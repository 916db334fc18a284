"""The journey view: one client's request path, numbered in call order, with each hop's numbers.

From the client, synchronous calls are followed in call order: a component's calls run step by
step (calls of one step run in parallel and share a number), and each callee's own calls come
before its caller's next step. An asynchronous hand-off is shown but not followed. Each hop
carries the callee's stated latency, its queueing delay at peak where that shows at a tenth of a
millisecond (M/M/c, docs/modeling.md; "saturated" when the queue grows without bound) and its peak
utilisation, all from `sysdesign.analyses`; a figure the design does not state is shown as '?',
never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sysdesign.figures import fmt_number, fmt_percent
from sysdesign.render.dot_common import COLOURS, attrs, base_items, graph_header, legend, node_label
from sysdesign.render.dot_graph import edge_statement
from sysdesign.render.labels import dot_quote, stated_figure
from sysdesign.render.mermaid import MermaidIds, mermaid_text
from sysdesign.render.scene import Scene, SceneEdge, SceneNode


@dataclass(frozen=True)
class Hop:
    number: int  # call order; parallel calls share a number
    edge: SceneEdge
    latency_ms: float | None  # the callee's own stated latency
    utilisation: float | None  # the callee's peak load / capacity
    queue_ms: float | None = None  # the callee's queueing delay at peak (None: not modelled)
    saturated: bool = False  # the callee's queue grows without bound at peak

    @property
    def figures(self) -> str:
        latency = "latency ?" if self.latency_ms is None else f"{stated_figure(self.latency_ms)} ms"
        if self.saturated:
            latency = f"{latency} + queue unbounded (saturated)"
        elif self.queue_ms is not None and round(self.queue_ms, 1) > 0:
            latency = f"{latency} + {fmt_number(self.queue_ms, 1)} ms queueing"
        util = "util ?" if self.utilisation is None else f"{fmt_percent(self.utilisation)} util"
        return f"{latency} · {util}"


@dataclass(frozen=True)
class Journey:
    client: str
    nodes: tuple[str, ...]  # in order of first appearance
    hops: tuple[Hop, ...]  # in call order
    parallel: tuple[tuple[Hop, ...], ...]  # hops grouped by number


def clients(scene: Scene) -> list[str]:
    return [n.id for n in scene.nodes if n.kind == "client"]


def build_journey(scene: Scene, client: str) -> Journey:
    """The request path of `client` through `scene`."""
    by_id = {n.id: n for n in scene.nodes}
    if client not in by_id or by_id[client].kind != "client":
        names = ", ".join(clients(scene)) or "none"
        raise ValueError(f"no client {client!r} in this design (clients: {names})")
    outgoing: dict[str, list[SceneEdge]] = {}
    for edge in scene.edges:
        if not edge.backward and not edge.crosscutting:
            outgoing.setdefault(edge.tail, []).append(edge)
    hops: list[Hop] = []
    seen = [client]
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        steps: dict[int, list[SceneEdge]] = {}
        for edge in outgoing.get(node, []):
            steps.setdefault(edge.step, []).append(edge)
        for step in sorted(steps):
            counter += 1
            number = counter
            expand = []
            for edge in steps[step]:
                head = by_id[edge.head]
                hops.append(
                    Hop(
                        number,
                        edge,
                        head.latency_ms,
                        head.utilisation,
                        head.queue_ms,
                        head.saturated,
                    )
                )
                if edge.head not in seen:
                    seen.append(edge.head)
                    if not edge.is_async:
                        expand.append(edge.head)
            for target in expand:
                visit(target)

    visit(client)
    grouped: dict[int, list[Hop]] = {}
    for hop in hops:
        grouped.setdefault(hop.number, []).append(hop)
    return Journey(client, tuple(seen), tuple(hops), tuple(tuple(g) for g in grouped.values()))


def build_journey_dot(scene: Scene, journey: Journey, subtitle: str | None = None) -> str:
    """The journey's DOT source: only the components on the path, hops numbered."""
    by_id = {n.id: n for n in scene.nodes}
    client = " ".join(by_id[journey.client].name_lines)
    text = subtitle or f"request path of {client}"
    items = [*base_items(scene)[:2], ("1. 2. 2.", "call order (same number: in parallel)")]
    lines = graph_header(f"{scene.design_id} journey {journey.client}", legend(scene, items, text))
    for cid in journey.nodes:
        node: SceneNode = by_id[cid]
        label = node_label(node, findings=scene.show_findings)
        lines.append(f"  {dot_quote(cid)} {attrs({'label': label, 'tooltip': node.tooltip})}")
    for hop in journey.hops:
        name = " ".join(hop.edge.label_lines)
        first = f"{hop.number}. {name}" if name else f"{hop.number}."
        values = {"label": f"{first}\n{hop.figures}", "fontcolor": COLOURS["text"]}
        if hop.edge.is_async:
            values["style"] = "dashed"
        lines.append(edge_statement(hop.edge.tail, hop.edge.head, values))
    lines.append("}")
    return "\n".join(lines) + "\n"


def build_journey_mermaid(scene: Scene, journey: Journey) -> str:
    """The journey as a Mermaid `sequenceDiagram`; parallel calls in `par ... and ... end`."""
    by_id = {n.id: n for n in scene.nodes}
    ids = MermaidIds()
    pid = {cid: ids.get("p_", cid) for cid in journey.nodes}
    head = f"%% {scene.design_id}, stage {scene.stage}, journey of {journey.client}"
    lines = [head, "sequenceDiagram"]
    for cid in journey.nodes:
        name = mermaid_text(" ".join(by_id[cid].name_lines))
        lines.append(f"    participant {pid[cid]} as {name}")

    def message(hop: Hop) -> str:
        arrow = "-)" if hop.edge.is_async else "->>"
        name = " ".join(hop.edge.label_lines)
        text = f"{hop.number}. {name} ({hop.figures})" if name else f"{hop.number}. ({hop.figures})"
        return f"{pid[hop.edge.tail]}{arrow}{pid[hop.edge.head]}: {mermaid_text(text)}"

    for group in journey.parallel:
        if len(group) == 1:
            lines.append(f"    {message(group[0])}")
            continue
        lines.append(f"    par {mermaid_text(f'step {group[0].number} in parallel')}")
        for i, hop in enumerate(group):
            if i:
                lines.append("    and")
            lines.append(f"        {message(hop)}")
        lines.append("    end")
    return "\n".join(lines) + "\n"
