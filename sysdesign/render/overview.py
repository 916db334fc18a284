"""The overview: each group one box listing its key components, flows aggregated between boxes.

Like Structurizr's implied relationships, a flow between two components becomes an edge between
their boxes; edges between the same two boxes merge into one with a count and the main labels.
Clients stay individual boxes on the left. Sized to fit a laptop screen at 100%.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sysdesign.checks.findings import SEVERITY_ORDER
from sysdesign.render.dot_common import (
    COLOURS,
    attrs,
    base_items,
    ghost_line,
    graph_header,
    legend,
    node_label,
    swatch_box,
)
from sysdesign.render.dot_graph import edge_statement, node_statement, stage_subtitle
from sysdesign.render.labels import dot_quote, html_text, short_technology
from sysdesign.render.scene import Scene, SceneNode

LISTED = 4  # components named inside a box; the rest are counted
NAME_CHARS = 30
EDGE_LABELS = 2  # labels shown on an aggregated edge
MAX_SIZE = "19.8,11.1"  # inches at 96 dpi: at most 1,900 x 1,066 pixels
FOLD = 4  # columns of boxes before the layout continues in a second band


@dataclass
class _Box:
    id: str
    label: str
    within: str | None = None  # the enclosing groups' labels (a region, a cell)
    members: list[SceneNode] = field(default_factory=list)


def _short(name: str, width: int = NAME_CHARS) -> str:
    return short_technology(name, width) if len(name) > width else name


def _boxes(scene: Scene) -> tuple[dict[str, _Box], dict[str, str]]:
    """Boxes (group id or client id) and the box of every component."""
    labels = {g.id: g.label for g in scene.groups}
    parent = {g.id: g.parent for g in scene.groups}
    boxes: dict[str, _Box] = {}
    box_of: dict[str, str] = {}
    for node in scene.nodes:
        key = node.group if node.group is not None and node.kind != "client" else node.id
        if key not in boxes:
            chain, up = [], parent.get(key)
            while up is not None and up not in chain:
                chain.insert(0, up)
                up = parent.get(up)
            within = " › ".join(labels[g] for g in chain) or None
            boxes[key] = _Box(key, labels.get(key, " ".join(node.name_lines)), within)
        boxes[key].members.append(node)
        box_of[node.id] = key
    return boxes, box_of


def _worst(members: list[SceneNode]) -> str | None:
    statuses = [m.status for m in members if m.status]
    return min(statuses, key=lambda s: SEVERITY_ORDER[s]) if statuses else None


def _key_members(box: _Box) -> list[SceneNode]:
    """Members with findings first, then the rest in design order; shared sinks last."""

    def rank(node: SceneNode) -> tuple[int, int]:
        return (0 if node.status else 1 if not node.kind.endswith(("metrics", "logging")) else 2, 0)

    return sorted(box.members, key=rank)[:LISTED]


def _group_label(box: _Box, show_findings: bool) -> str:
    status = _worst(box.members) if show_findings else None
    border = COLOURS[status] if status else COLOURS["box"]
    rows = []
    if box.within:
        rows.append(
            f'<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="8" COLOR="{COLOURS["muted"]}">'
            f"{html_text(_short(box.within, 40))}</FONT></TD></TR>"
        )
    rows.append(
        f'<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="12"><B>{html_text(box.label)}</B>'
        "</FONT></TD></TR>"
    )
    for node in _key_members(box):
        tag = (
            f'<TD BGCOLOR="{node.icon.colour}" FIXEDSIZE="TRUE" WIDTH="32" HEIGHT="13">'
            f'<FONT COLOR="white" POINT-SIZE="7"><B>{html_text(node.icon.badge)}</B></FONT></TD>'
        )
        name = html_text(_short(" ".join(node.name_lines)))
        tone = COLOURS[node.status] if show_findings and node.status else COLOURS["text"]
        text = f'<FONT POINT-SIZE="10" COLOR="{tone}">{name}</FONT>'
        rows.append(f'<TR>{tag}<TD ALIGN="LEFT">{text}</TD></TR>')
    rest = len(box.members) - LISTED
    notes = []
    if rest > 0:
        notes.append(f"+ {rest} more ({len(box.members)} components)")
    added = sum(1 for m in box.members if m.added)
    if added:
        notes.append(f"{added} added in this stage")
    codes = sorted({c for m in box.members for c in m.codes}) if show_findings else []
    cell = '<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="{}">{}</FONT></TD></TR>'
    rows.extend(cell.format(COLOURS["muted"], html_text(note)) for note in notes)
    if codes:
        rows.append(cell.format(COLOURS[status or "error"], f"<B>{html_text(' '.join(codes))}</B>"))
    fill = COLOURS["added_fill"] if added == len(box.members) else "white"
    width = "2" if status else "1"
    return (
        f'<<TABLE BORDER="{width}" CELLBORDER="0" CELLSPACING="1" CELLPADDING="2" STYLE="rounded" '
        f'COLOR="{border}" BGCOLOR="{fill}">{"".join(rows)}</TABLE>>'
    )


def _aggregate(scene: Scene, box_of: dict[str, str]) -> dict[tuple[str, str], list]:
    """Flows between different boxes, grouped by (tail box, head box), in design order."""
    merged: dict[tuple[str, str], list] = {}
    for edge in scene.edges:
        tail, head = box_of[edge.tail], box_of[edge.head]
        if tail != head and not edge.crosscutting:
            merged.setdefault((tail, head), []).append(edge)
    return merged


def _edge_values(edges: list, added: bool) -> dict[str, str]:
    labels: list[str] = []
    for edge in edges:
        text = " ".join(edge.label_lines)
        if text and text not in labels:
            labels.append(_short(text, 26))
    shown = labels[:EDGE_LABELS]
    if len(edges) > 1:
        shown.insert(0, f"{len(edges)} flows")
    values: dict[str, str] = {"fontsize": "9", "penwidth": str(min(1 + 0.4 * (len(edges) - 1), 3))}
    if shown:
        values["label"] = "\n".join(shown)
    if all(e.is_async for e in edges):
        values["style"] = "dashed"
    if all(e.backward for e in edges):
        values["constraint"] = "false"
    if added:
        values["color"] = COLOURS["added"]
    return values


def _columns(boxes: dict[str, _Box], merged: dict[tuple[str, str], list]) -> dict[str, int]:
    """Each box's column left to right (longest path over forward flows), folded into bands.

    A long chain of groups would make one very wide row; columns past `FOLD` continue in a second
    band under the first (column numbers restart at 1), so the picture stays screen-shaped.
    """
    forward = [(t, h) for (t, h), edges in merged.items() if not all(e.backward for e in edges)]
    column = dict.fromkeys(boxes, 0)
    for _ in range(len(boxes)):  # relax (a cycle left by the backward cut stops at len(boxes))
        changed = False
        for tail, head in forward:
            if column[head] < column[tail] + 1 <= len(boxes):
                column[head] = column[tail] + 1
                changed = True
        if not changed:
            break
    width = max(column.values(), default=0) + 1
    if width <= FOLD:
        return column
    half = (width + 1) // 2
    return {b: c if c < half else c - half + 1 for b, c in column.items()}


def build_overview_dot(scene: Scene) -> str:
    """The overview's DOT source (deterministic)."""
    boxes, box_of = _boxes(scene)
    items = base_items(scene)
    if scene.has_added:
        items.append((swatch_box(COLOURS["added"], COLOURS["added_fill"]), "added in this stage"))
    lines = graph_header(
        f"{scene.design_id} overview",
        legend(scene, items, stage_subtitle(scene)),
        size=MAX_SIZE,
        nodesep="0.25",
        ranksep="0.5",
        newrank="true",
    )
    merged = _aggregate(scene, box_of)
    column = _columns(boxes, merged)

    def draw_box(box: _Box) -> str:
        label = _group_label(box, scene.show_findings)
        return f"{dot_quote(box.id)} {attrs({'label': label, 'tooltip': box.label})}"

    for box in boxes.values():
        if box.id in {g.id for g in scene.groups}:
            lines.append(f"  {draw_box(box)}")
    groups = {g.id for g in scene.groups}
    singles = [b for b in boxes.values() if b.id not in groups]
    for box in singles:
        node = box.members[0]
        lines.append(f"  {node_statement(node, node_label(node, findings=scene.show_findings))}")
    for index in sorted(set(column.values())):
        members = " ".join(dot_quote(b) for b in boxes if column[b] == index)
        lines.append(f"  {{ rank=same; {members} }}")
    for (tail, head), edges in merged.items():
        values = _edge_values(edges, all(e.added for e in edges))
        if column[head] <= column[tail]:
            values["constraint"] = "false"
        lines.append(edge_statement(tail, head, values))
    for ghost in scene.ghosts:
        lines.extend(ghost_line(ghost, box_of.get(ghost.anchor) if ghost.anchor else None))
    lines.append("}")
    return "\n".join(lines) + "\n"
