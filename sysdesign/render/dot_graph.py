"""Build the architecture diagram with mingrammer `diagrams` and return its DOT source.

`diagrams` is used for its node classes, icons and cluster styling, but never writes files: the
canvas below leaves the context without rendering, node ids are the component ids (not random
uuids), cluster names derive from group ids (not labels), and every user-written string is escaped
so quotes, backslashes, `<...>` and newlines cannot change the DOT.
"""

from __future__ import annotations

import html

import diagrams
from graphviz import escape, nohtml

from sysdesign.render.icons import icon_name, node_class
from sysdesign.render.scene import Ghost, Scene, SceneEdge, SceneGroup, SceneNode

SPLINES = "spline"  # 'ortho' is very slow on large graphs (see bench/bench_render.py)

COLOURS = {
    "edge": "#7B8894",
    "error": "#D63031",
    "warning": "#E1A100",
    "info": "#95A5A6",
    "added": "#27AE60",
    "added_fill": "#E3F7EA",
    "ghost_text": "#7F8C8D",
    "muted": "#636E72",
}

GRAPH_ATTRS = {
    "pad": "0.4",
    "splines": SPLINES,
    "nodesep": "0.5",
    "ranksep": "1.0",
    "fontname": "Sans-Serif",
    "fontcolor": "#2D3436",
    "labelloc": "t",
    "labeljust": "l",
    "outputorder": "edgesfirst",
}
ICON_SIZE = 1.2  # inches: icons are scaled into a square this wide at the top of the box
NODE_ATTRS = {  # icon boxes; per-node attributes override (outlines, ghosts)
    "fontname": "Sans-Serif",
    "fontsize": "12",
    "shape": "none",
    "imagepos": "tc",
    "width": f"{ICON_SIZE:.2f}",
    "fixedsize": "true",
}
EDGE_ATTRS = {"fontname": "Sans-Serif", "fontsize": "11", "fontcolor": "#2D3436"}
LINE_HEIGHT = 0.2  # inches per line of text below the icon

HEADER_COMMENT = (
    "sysdesign architecture diagram; icons are named relative to the folder holding the "
    "diagrams package's resources/: run dot with -Gimagepath=<that folder>"
)


def dot_text(lines: tuple[str, ...] | list[str]) -> str:
    """Lines of user text as one DOT label: escaped, joined with centred line breaks."""
    return nohtml("\\n".join(escape(line) for line in lines))


def _html(text: str) -> str:
    return html.escape(text, quote=True)


class _Canvas(diagrams.Diagram):
    """A `diagrams.Diagram` that never renders or writes a file on leaving its context."""

    def __exit__(self, exc_type, exc_value, traceback):  # type: ignore[no-untyped-def]
        diagrams.setdiagram(None)


class _Edge(diagrams.Edge):
    """An edge without diagrams' per-edge font defaults (the graph's edge defaults hold them)."""

    _default_edge_attrs: dict[str, str] = {}  # noqa: RUF012

    @property
    def attrs(self) -> dict[str, str]:
        attrs = super().attrs
        if attrs.get("dir") == "forward":  # a digraph's default: leave it out of the DOT
            del attrs["dir"]
        return attrs


class _GroupCluster(diagrams.Cluster):
    """A cluster named by the group id, so labels can hold anything."""

    def __init__(self, group: SceneGroup) -> None:
        super().__init__(label=dot_text([group.label]))
        self.name = f"cluster_{group.id}"
        self.dot.name = self.name


def legend_label(scene: Scene) -> str:
    """The graph label: title, stage and a small legend of line styles and colours (HTML)."""
    rows = [
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="20"><B>{_html(scene.title)}</B></FONT></TD></TR>'
    ]
    edge, muted = COLOURS["edge"], COLOURS["muted"]
    if scene.stage:
        subtitle = _html(f"as of stage {scene.stage}: {scene.stage_title or ''}")
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{muted}">{subtitle}</FONT></TD></TR>')
    items = [
        f'<TD><FONT COLOR="{edge}">&#8212;&#8212;&#8212;&gt;</FONT></TD>'
        '<TD ALIGN="LEFT">sync call</TD>',
        f'<TD><FONT COLOR="{edge}">- - -&gt;</FONT></TD><TD ALIGN="LEFT">async message</TD>',
    ]
    if scene.has_added:
        items.append(
            f'<TD BORDER="2" COLOR="{COLOURS["added"]}" BGCOLOR="{COLOURS["added_fill"]}">'
            f'<FONT COLOR="{COLOURS["added"]}"><B>&#8212;&gt;</B></FONT></TD>'
            f'<TD ALIGN="LEFT">added in stage {scene.stage}</TD>'
        )
    for severity in ("error", "warning"):
        if severity in scene.statuses:
            items.append(
                f'<TD BORDER="2" COLOR="{COLOURS[severity]}">&#160;&#160;&#160;</TD>'
                f'<TD ALIGN="LEFT">{severity}</TD>'
            )
    if scene.ghosts:
        items.append(
            f'<TD BORDER="1" STYLE="dashed" COLOR="{COLOURS["ghost_text"]}">'
            f'<FONT COLOR="{muted}">?</FONT></TD><TD ALIGN="LEFT">missing layer</TD>'
        )
    legend = (
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="2"><TR>'
        + "<TD>&#160;</TD>".join(items)
        + "</TR></TABLE>"
    )
    rows.append(f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="11">{legend}</FONT></TD></TR>')
    table = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
    return f"<{table}{''.join(rows)}</TABLE>>"


def _node_attrs(node: SceneNode) -> dict[str, str]:
    attrs = {
        "image": icon_name(node.kind),
        "shape": None,  # the graph's node default (none); None leaves diagrams' copy out
        "height": f"{ICON_SIZE + 0.1 + LINE_HEIGHT * len(node.lines):.2f}",
        "tooltip": dot_text([node.tooltip]),
    }
    outline = COLOURS[node.status] if node.status else (COLOURS["added"] if node.added else None)
    if outline or node.added:
        attrs["shape"] = "box"
        attrs["style"] = "rounded,filled" if node.added else "rounded"
        attrs["color"] = outline or COLOURS["added"]
        attrs["penwidth"] = "3"
        if node.added:
            attrs["fillcolor"] = COLOURS["added_fill"]
    return attrs


def _edge(edge: SceneEdge) -> diagrams.Edge:
    attrs: dict[str, str] = {}
    if edge.label_lines:
        attrs["label"] = dot_text(edge.label_lines)
    if edge.is_async:
        attrs["style"] = "dashed"
    if edge.added:
        attrs["color"] = COLOURS["added"]
        attrs["penwidth"] = "2.5"
        attrs["style"] = "bold,dashed" if edge.is_async else "bold"
    if edge.backward:
        attrs["constraint"] = "false"
    return _Edge(forward=True, **attrs)


def _ghost_attrs(ghost: Ghost) -> dict[str, str]:
    return {
        "shape": "box",
        "style": "rounded,dashed",
        "fixedsize": "false",
        "width": "1.2",
        "height": "0.5",
        "labelloc": "c",
        "color": COLOURS[ghost.severity] if ghost.severity in COLOURS else COLOURS["info"],
        "fontcolor": COLOURS["ghost_text"],
        "penwidth": "2",
    }


def build_dot(scene: Scene, splines: str = SPLINES, newrank: bool = False) -> str:
    """The DOT source Graphviz lays out for a scene (deterministic: same scene, same text).

    `newrank` is the fallback for graphs on which Graphviz's cluster ranking fails ("trouble in
    init_rank", seen with 2.43): it always lays out, but keeps the left-to-right flow less well.
    """
    canvas = _Canvas(
        name=scene.design_id,
        filename=scene.design_id,
        direction="LR",
        outformat="svg",
        show=False,
        graph_attr={**GRAPH_ATTRS, "splines": splines, **({"newrank": "true"} if newrank else {})},
        node_attr=NODE_ATTRS,
        edge_attr=EDGE_ATTRS,
    )
    canvas.dot.node_attr.update(NODE_ATTRS)  # over diagrams' defaults
    canvas.dot.comment = HEADER_COMMENT
    canvas.dot.graph_attr["label"] = legend_label(scene)
    nodes: dict[str, diagrams.Node] = {}

    def place(node: SceneNode) -> None:
        cls = node_class(node.kind)
        nodes[node.id] = cls(dot_text(node.lines), nodeid=node.id, **_node_attrs(node))

    def draw_group(group: SceneGroup) -> None:
        with _GroupCluster(group):
            for child in scene.child_groups(group.id):
                draw_group(child)
            for node in scene.members(group.id):
                place(node)

    with canvas:
        for group in scene.child_groups(None):
            draw_group(group)
        for node in scene.members(None):
            place(node)
        for edge in scene.edges:
            nodes[edge.tail].connect(nodes[edge.head], _edge(edge))
        for ghost in scene.ghosts:
            box = diagrams.Node(dot_text([ghost.label]), nodeid=ghost.id, **_ghost_attrs(ghost))
            if ghost.anchor is not None:
                ghost_edge = _Edge(
                    style="dashed", color=_ghost_attrs(ghost)["color"], arrowhead="none"
                )
                nodes[ghost.anchor].connect(box, ghost_edge)
    return canvas.dot.source
