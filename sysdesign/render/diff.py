"""The diff view: a stage against the one before, on one picture.

Added components and flows are green, removed ones red and dashed, changed components amber (with
what changed), the rest grey. Nodes come in the earlier stage's order with the stage's additions
after them, inside the same groups, so the picture keeps the places the full views use.
"""

from __future__ import annotations

from dataclasses import dataclass

from sysdesign.model import Design
from sysdesign.render.dot_common import (
    COLOURS,
    attrs,
    graph_header,
    legend,
    node_label,
    swatch_box,
    swatch_line,
)
from sysdesign.render.dot_graph import cluster_lines, edge_statement
from sysdesign.render.labels import dot_quote, stated_figure
from sysdesign.render.scene import Scene, SceneEdge, SceneGroup, SceneNode, build_scene
from sysdesign.views import view_of

STATUSES = ("added", "removed", "changed", "same")
_SKIP_FIELDS = {"id"}


@dataclass(frozen=True)
class Diff:
    """What a stage changed, and the union scene (earlier stage first) that draws it."""

    scene: Scene
    status: dict[str, str]  # component id -> added | removed | changed | same
    flow_status: dict[str, str]  # flow key -> added | removed | same
    changes: dict[str, tuple[str, ...]]  # component id -> 'field: old -> new' notes

    def components(self, status: str) -> set[str]:
        return {c for c, s in self.status.items() if s == status}


def _changes(before, after) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    old, new = before.model_dump(exclude_none=True), after.model_dump(exclude_none=True)
    notes = []
    for key in sorted(set(old) | set(new)):
        if key in _SKIP_FIELDS or old.get(key) == new.get(key):
            continue
        a, b = old.get(key, "-"), new.get(key, "-")
        shown = [stated_figure(v) for v in (a, b)]
        short = all(isinstance(v, int | float | str) for v in (a, b)) and all(
            len(text) <= 12 for text in shown
        )
        notes.append(f"{key}: {shown[0]} → {shown[1]}" if short else key)
    return tuple(notes)


def build_diff(design: Design, stage: int) -> Diff:
    """Stage `stage` (1 or later) against stage `stage - 1`."""
    if stage < 1:
        raise ValueError("the diff view compares a stage with the one before: use --stage 1+")
    before, after = view_of(design, stage - 1), view_of(design, stage)
    old, new = build_scene(before), build_scene(after)
    status: dict[str, str] = {}
    changes: dict[str, tuple[str, ...]] = {}
    for cid in before.components:
        if cid not in after.components:
            status[cid] = "removed"
        else:
            notes = _changes(before.components[cid], after.components[cid])
            status[cid] = "changed" if notes else "same"
            if notes:
                changes[cid] = notes
    for cid in after.components:
        status.setdefault(cid, "added")
    new_nodes = {n.id: n for n in new.nodes}
    nodes = [new_nodes.get(n.id, n) for n in old.nodes]
    nodes += [n for n in new.nodes if status[n.id] == "added"]
    flow_status = {key: "same" for key in after.flows if key in before.flows}
    flow_status |= {key: "added" for key in after.flows if key not in before.flows}
    flow_status |= {key: "removed" for key in before.flows if key not in after.flows}
    new_edges = {e.key: e for e in new.edges}
    edges: list[SceneEdge] = [new_edges.get(e.key, e) for e in old.edges]
    edges += [e for e in new.edges if e.key not in before.flows]
    scene = Scene(
        design_id=design.id,
        title=design.title,
        stage=stage,
        stage_title=after.stage.title if after.stage else None,
        groups=_union_groups(old, new),
        nodes=tuple(nodes),
        edges=tuple(edges),
        ghosts=(),
        show_findings=False,
    )
    return Diff(scene, status, flow_status, changes)


def _union_groups(old: Scene, new: Scene) -> tuple[SceneGroup, ...]:
    """Groups of either stage, the earlier stage's first, parents before children."""
    seen: dict[str, SceneGroup] = {}
    for group in (*old.groups, *new.groups):
        seen.setdefault(group.id, group)

    def depth(group: SceneGroup) -> int:
        d, parent = 0, group.parent
        while parent is not None and parent in seen and d < len(seen):
            d, parent = d + 1, seen[parent].parent
        return d

    order = list(seen)
    return tuple(sorted(seen.values(), key=lambda g: (depth(g), order.index(g.id))))


_NODE_STYLE = {
    "added": {"border": COLOURS["added"], "fill": COLOURS["added_fill"]},
    "removed": {"border": COLOURS["removed"], "fill": COLOURS["removed_fill"], "dashed": True},
    "changed": {"border": COLOURS["changed"], "fill": COLOURS["changed_fill"]},
    "same": {"border": COLOURS["grey"], "faded": True},
}


def _node(diff: Diff, node: SceneNode) -> str:
    state = diff.status[node.id]
    extra = [(note, COLOURS["muted"]) for note in diff.changes.get(node.id, ())[:3]]
    label = node_label(node, findings=False, extra=extra, **_NODE_STYLE[state])  # type: ignore[arg-type]
    values = {"label": label, "tooltip": node.tooltip, "class": state}
    return f"{dot_quote(node.id)} {attrs(values)}"


def _edge(diff: Diff, edge: SceneEdge) -> str:
    state = diff.flow_status[edge.key]
    values: dict[str, str] = {"class": state}
    if edge.label_lines:
        values["label"] = "\n".join(edge.label_lines)
    colour = {"added": COLOURS["added"], "removed": COLOURS["removed"]}.get(state, COLOURS["grey"])
    values["color"] = colour
    values["fontcolor"] = colour if state != "same" else COLOURS["grey_text"]
    style = ["dashed"] if edge.is_async or state == "removed" else []
    if state != "same":
        style.append("bold")
    if style:
        values["style"] = ",".join(style)
    if edge.backward:
        values["constraint"] = "false"
    return edge_statement(edge.tail, edge.head, values)


def build_diff_dot(diff: Diff) -> str:
    """The diff view's DOT source (deterministic)."""
    scene = diff.scene
    items = [
        (swatch_box(COLOURS["added"], COLOURS["added_fill"]), "added"),
        (swatch_box(COLOURS["removed"], COLOURS["removed_fill"], dashed=True), "removed"),
        (swatch_box(COLOURS["changed"], COLOURS["changed_fill"]), "changed"),
        (swatch_box(COLOURS["grey"]), "unchanged"),
        (swatch_line(COLOURS["added"], bold=True), "added flow"),
        (swatch_line(COLOURS["removed"], dashed=True, bold=True), "removed flow"),
    ]
    counts = ", ".join(f"{len(diff.components(s))} {s}" for s in ("added", "removed", "changed"))
    title = scene.stage_title or ""
    subtitle = f"stage {scene.stage} ({title}) against stage {scene.stage - 1}: {counts}"
    lines = graph_header(f"{scene.design_id} diff", legend(scene, items, subtitle))

    def draw(node: SceneNode) -> str:
        return _node(diff, node)

    for group in scene.child_groups(None):
        lines.extend(cluster_lines(scene, draw, group))
    lines.extend(f"  {draw(node)}" for node in scene.members(None))
    lines.extend(_edge(diff, e) for e in scene.edges if not e.crosscutting)
    lines.append("}")
    return "\n".join(lines) + "\n"
