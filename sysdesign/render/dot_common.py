"""Pieces every DOT view shares: graph defaults, compact icon-left boxes, the legend.

Boxes are HTML-like labels: the icon (a vendor logo, or the kind's neutral tag) on the left, the
name in bold, a short technology line under it, then the finding codes (with utilisation for a
capacity finding) and the cross-cutting sinks it feeds. All user text is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable

from sysdesign.figures import fmt_percent
from sysdesign.render.labels import dot_quote, html_text
from sysdesign.render.scene import Ghost, Scene, SceneNode

FONT = "Helvetica,Arial,sans-serif"
COLOURS = {
    "edge": "#7B8894",
    "text": "#2D3436",
    "muted": "#636E72",
    "error": "#D63031",
    "warning": "#E1A100",
    "info": "#95A5A6",
    "added": "#27AE60",
    "added_fill": "#E3F7EA",
    "removed": "#D63031",
    "removed_fill": "#FDECEA",
    "changed": "#E1A100",
    "changed_fill": "#FFF6DB",
    "grey": "#B2BEC3",
    "grey_text": "#95A5A6",
    "ghost_text": "#7F8C8D",
    "box": "#B0BEC5",
    "cluster": "#F5F7F9",
    "cluster_line": "#CFD8DC",
}
ICON_PT = 26  # icon cell size in points
HEADER_COMMENT = (
    "sysdesign diagram; icons are named relative to the folder holding the diagrams "
    "package's resources/: run dot with -Gimagepath=<that folder>"
)


_HTML_KEYS = frozenset({"label", "xlabel", "headlabel", "taillabel"})  # built by code


def attrs(values: dict[str, str]) -> str:
    """`[k=v, ...]` with HTML labels (`<...>`) left bare and every other value quoted."""
    parts = []
    for key, value in values.items():
        html = key in _HTML_KEYS and value.startswith("<") and value.endswith(">")
        text = value if html else dot_quote(value)  # user text (tooltips) is always quoted
        parts.append(f"{key}={text}")
    return "[" + ", ".join(parts) + "]"


def graph_header(name: str, label: str, **extra: str) -> list[str]:
    """The opening lines of a left-to-right digraph with the shared defaults."""
    graph = {
        "rankdir": "LR",
        "fontname": FONT,
        "fontcolor": COLOURS["text"],
        "pad": "0.2",
        "nodesep": "0.18",
        "ranksep": "0.45",
        "splines": "spline",
        "labelloc": "t",
        "labeljust": "l",
        "outputorder": "edgesfirst",
        "label": label,
        **extra,
    }
    return [
        f"// {HEADER_COMMENT}",
        f"digraph {dot_quote(name)} {{",
        f"  graph {attrs(graph)}",
        f"  node {attrs({'shape': 'plain', 'fontname': FONT, 'fontsize': '10'})}",
        "  edge "
        + attrs(
            {
                "fontname": FONT,
                "fontsize": "8",
                "fontcolor": COLOURS["muted"],
                "color": COLOURS["edge"],
                "arrowsize": "0.6",
            }
        ),
    ]


def icon_cell(node: SceneNode, rows: int, faded: bool = False) -> str:
    """The icon, top-left, spanning the box's rows (a fixed square inside a free cell)."""
    icon = node.icon
    size = f'FIXEDSIZE="TRUE" WIDTH="{ICON_PT}" HEIGHT="{ICON_PT}"'
    if icon.image and not faded:
        inner = f'<TD {size}><IMG SRC="{html_text(icon.image)}" SCALE="TRUE"/></TD>'
    else:
        colour = COLOURS["grey"] if faded else icon.colour
        inner = (
            f'<TD {size} BGCOLOR="{colour}"><FONT COLOR="white" POINT-SIZE="7">'
            f"<B>{html_text(icon.badge)}</B></FONT></TD>"
        )
    span = f' ROWSPAN="{rows}"' if rows > 1 else ""
    return (
        f'<TD{span} VALIGN="TOP"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" '
        f'CELLPADDING="0"><TR>{inner}</TR></TABLE></TD>'
    )


def code_line(node: SceneNode) -> str:
    """'SD201 SD305 · 92% util' for a box with findings ('' without)."""
    text = " ".join(node.codes)
    if node.capacity_flagged and node.utilisation is not None:
        util = f"{fmt_percent(node.utilisation)} util"
        text = f"{text} · {util}" if text else util
    return text


def node_label(
    node: SceneNode,
    *,
    border: str | None = None,
    fill: str = "white",
    faded: bool = False,
    extra: Iterable[tuple[str, str]] = (),
    findings: bool = True,
    dashed: bool = False,
) -> str:
    """The HTML label of a compact icon-left box.

    `extra` adds (text, colour) lines under the technology line (journey numbers, diff notes).
    """
    text_colour = COLOURS["grey_text"] if faded else COLOURS["text"]
    status = node.status if findings else None
    colour = border or (COLOURS[status] if status else COLOURS["box"])
    rows = [
        f'<FONT COLOR="{text_colour}"><B>'
        + "<BR/>".join(html_text(line) for line in node.name_lines)
        + "</B></FONT>"
    ]
    for line in node.detail_lines:
        colour_detail = COLOURS["grey_text"] if faded else COLOURS["muted"]
        rows.append(f'<FONT POINT-SIZE="8" COLOR="{colour_detail}">{html_text(line)}</FONT>')
    codes = code_line(node) if findings else ""
    if codes:
        tone = COLOURS[status or "error"]
        rows.append(f'<FONT POINT-SIZE="8" COLOR="{tone}"><B>{html_text(codes)}</B></FONT>')
    for text, tone in extra:
        rows.append(f'<FONT POINT-SIZE="8" COLOR="{tone}">{html_text(text)}</FONT>')
    if node.sinks and not faded:
        sinks = "→ " + ", ".join(node.sinks)
        rows.append(f'<FONT POINT-SIZE="7" COLOR="{COLOURS["muted"]}">{html_text(sinks)}</FONT>')
    width = "2" if status or border else "1"
    icon = icon_cell(node, len(rows), faded)
    cells = [f'<TR>{icon}<TD ALIGN="LEFT" BALIGN="LEFT">{rows[0]}</TD></TR>']
    cells.extend(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows[1:])
    return (
        f'<<TABLE BORDER="{width}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" '
        f'STYLE="{"rounded,dashed" if dashed else "rounded"}" COLOR="{colour}" BGCOLOR="{fill}">'
        f"{''.join(cells)}</TABLE>>"
    )


def ghost_line(ghost: Ghost, anchor_id: str | None) -> list[str]:
    """A dashed box that says which layer is missing (and a dashed tie to its anchor)."""
    colour = COLOURS.get(ghost.severity, COLOURS["info"])
    box = {
        "shape": "box",
        "style": "rounded,dashed",
        "color": colour,
        "fontcolor": COLOURS["ghost_text"],
        "fontsize": "9",
        "penwidth": "1.5",
        "margin": "0.08,0.04",
        "label": ghost.long_label,
    }
    lines = [f"  {dot_quote(ghost.id)} {attrs(box)}"]
    if anchor_id is not None:
        tie = {"style": "dashed", "color": colour, "arrowhead": "none", "constraint": "false"}
        lines.append(f"  {dot_quote(anchor_id)} -> {dot_quote(ghost.id)} {attrs(tie)}")
    return lines


def legend(scene: Scene, items: list[tuple[str, str]], subtitle: str | None = None) -> str:
    """The graph label: title, subtitle, legend items ((swatch HTML, text)) and finding codes."""
    muted = COLOURS["muted"]
    title = html_text(scene.title)
    rows = [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="16"><B>{title}</B></FONT></TD></TR>']
    if subtitle:
        text = html_text(subtitle)
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{muted}">{text}</FONT></TD></TR>')
    cells = "".join(
        f'<TD>{swatch}</TD><TD ALIGN="LEFT">{html_text(text)}</TD>' for swatch, text in items
    )
    if cells:
        rows.append(
            '<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9"><TABLE BORDER="0" CELLBORDER="0" '
            f'CELLSPACING="3" CELLPADDING="1"><TR>{cells}</TR></TABLE></FONT></TD></TR>'
        )
    for code, severity, title in scene.code_titles:
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9"><FONT COLOR="{COLOURS[severity]}"><B>'
            f"{html_text(code)}</B></FONT>&#160;&#160;{html_text(title)}</FONT></TD></TR>"
        )
    table = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
    return f"<{table}{''.join(rows)}</TABLE>>"


def swatch_line(colour: str, dashed: bool = False, bold: bool = False) -> str:
    glyph = "- - -&gt;" if dashed else "&#8212;&#8212;&gt;"
    return f'<FONT COLOR="{colour}">{"<B>" + glyph + "</B>" if bold else glyph}</FONT>'


def swatch_box(colour: str, fill: str = "white", dashed: bool = False) -> str:
    style = ' STYLE="dashed"' if dashed else ""
    return (
        f'<TABLE BORDER="2" CELLBORDER="0"{style} COLOR="{colour}" BGCOLOR="{fill}">'
        "<TR><TD>&#160;&#160;&#160;</TD></TR></TABLE>"
    )


def base_items(scene: Scene) -> list[tuple[str, str]]:
    """Legend items every view with findings shows."""
    edge = COLOURS["edge"]
    items = [(swatch_line(edge), "sync call"), (swatch_line(edge, dashed=True), "async")]
    for severity in ("error", "warning"):
        if severity in scene.statuses:
            items.append((swatch_box(COLOURS[severity]), severity))
    if scene.ghosts:
        items.append((swatch_box(COLOURS["ghost_text"], dashed=True), "missing layer"))
    return items
