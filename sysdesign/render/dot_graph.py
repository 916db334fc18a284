"""The full view: every component in its group, compact icon-left boxes, tight spacing.

Cross-cutting flows (telemetry, audit and secrets sinks fed by many components) are drawn as a
badge on the sender ("→ Audit log, Metrics") instead of long edges; flows pointing back towards
the caller do not constrain the ranking. Node and group order follow the design, so a component
keeps its place from stage to stage as far as Graphviz allows.
"""

from __future__ import annotations

from sysdesign.render.dot_common import (
    COLOURS,
    attrs,
    base_items,
    ghost_line,
    graph_header,
    legend,
    node_label,
    swatch_box,
    swatch_line,
)
from sysdesign.render.labels import dot_quote, html_text
from sysdesign.render.scene import Scene, SceneEdge, SceneGroup, SceneNode

SPLINES = "spline"  # 'ortho' is very slow on large graphs (see bench/bench_render.py)


def stage_subtitle(scene: Scene) -> str | None:
    if not scene.stage:
        return None
    return f"as of stage {scene.stage}: {scene.stage_title or ''}"


def cluster_lines(
    scene: Scene, draw_node, group: SceneGroup, depth: int = 1, fill: str = COLOURS["cluster"]
) -> list[str]:  # type: ignore[no-untyped-def]
    """A group as a cluster (nested groups inside), each member drawn by `draw_node`."""
    pad = "  " * depth
    style = {
        "label": f"<<B>{html_text(group.label)}</B>>",
        "style": "rounded,filled",
        "fillcolor": fill if depth % 2 else "white",
        "color": COLOURS["cluster_line"],
        "fontsize": "11",
        "margin": "6",
    }
    lines = [f"{pad}subgraph {dot_quote('cluster_' + group.id)} {{", f"{pad}  graph {attrs(style)}"]
    for child in scene.child_groups(group.id):
        lines.extend(cluster_lines(scene, draw_node, child, depth + 1, fill))
    if draw_node is not None:
        lines.extend(f"{pad}  {draw_node(node)}" for node in scene.members(group.id))
    lines.append(f"{pad}}}")
    return lines


def node_statement(node: SceneNode, label: str) -> str:
    return f"{dot_quote(node.id)} {attrs({'label': label, 'tooltip': node.tooltip})}"


def _edge_attrs(edge: SceneEdge) -> dict[str, str]:
    values: dict[str, str] = {}
    if edge.label_lines:
        values["label"] = "\n".join(edge.label_lines)
    if edge.is_async:
        values["style"] = "dashed"
    if edge.added:
        values.update(color=COLOURS["added"], penwidth="2")
        values["style"] = "bold,dashed" if edge.is_async else "bold"
    if edge.backward:
        values["constraint"] = "false"
    return values


def edge_statement(tail: str, head: str, values: dict[str, str]) -> str:
    if "label" in values:  # one DOT line per label line, centred
        lines = values["label"].split("\n")
        values = {**values, "label": "<" + "<BR/>".join(html_text(x) for x in lines) + ">"}
    suffix = f" {attrs(values)}" if values else ""
    return f"  {dot_quote(tail)} -> {dot_quote(head)}{suffix}"


def _full_node(node: SceneNode, findings: bool) -> str:
    if node.added:
        label = node_label(
            node,
            border=COLOURS["added"] if not node.status else None,
            fill=COLOURS["added_fill"],
            findings=findings,
        )
    else:
        label = node_label(node, findings=findings)
    return node_statement(node, label)


def build_dot(scene: Scene, splines: str = SPLINES, newrank: bool = False) -> str:
    """The full view's DOT source (deterministic: same scene, same text).

    `newrank` is the fallback for graphs on which Graphviz's cluster ranking fails ("trouble in
    init_rank", seen with 2.43): it always lays out, but keeps the left-to-right flow less well.
    """
    items = base_items(scene)
    if scene.has_added:
        items.append(
            (swatch_box(COLOURS["added"], COLOURS["added_fill"]), f"added in stage {scene.stage}")
        )
        items.append((swatch_line(COLOURS["added"], bold=True), "added flow"))
    if any(n.sinks for n in scene.nodes):
        items.append(("→", "feeds a shared sink (edge left out)"))
    extra = {"splines": splines}
    if newrank:
        extra["newrank"] = "true"
    lines = graph_header(scene.design_id, legend(scene, items, stage_subtitle(scene)), **extra)

    def draw(node: SceneNode) -> str:
        return _full_node(node, scene.show_findings)

    for group in scene.child_groups(None):
        lines.extend(cluster_lines(scene, draw, group))
    lines.extend(f"  {draw(node)}" for node in scene.members(None))
    for edge in scene.edges:
        if not edge.crosscutting:
            lines.append(edge_statement(edge.tail, edge.head, _edge_attrs(edge)))
    for ghost in scene.ghosts:
        lines.extend(ghost_line(ghost, ghost.anchor))
    lines.append("}")
    return "\n".join(lines) + "\n"
