"""Export a scene as a Mermaid flowchart that GitHub renders in Markdown.

Mermaid's escaping is fragile, so every label is quoted and every character outside a small safe
set is written as a numeric entity (`#35;` for `#`, `#34;` for a quote); ids are generated
(`c_`, `g_`, `missing_` prefixes) so no id is a keyword such as `end`.
"""

from __future__ import annotations

from sysdesign.render.scene import Scene, SceneGroup, SceneNode
from sysdesign.sanitize import display_text
from sysdesign.taxonomy import Family, kind_info

_SAFE_PUNCTUATION = frozenset(" .,:!?()/+-_'=@")
_STYLES = {
    "error": "stroke:#D63031,stroke-width:3px",
    "warning": "stroke:#E1A100,stroke-width:3px",
    "added": "fill:#E3F7EA,stroke:#27AE60,stroke-width:3px",
    "added_error": "fill:#E3F7EA,stroke:#D63031,stroke-width:3px",
    "added_warning": "fill:#E3F7EA,stroke:#E1A100,stroke-width:3px",
    "ghost": "fill:#FFFFFF,stroke:#95A5A6,stroke-width:2px,stroke-dasharray:5 5,color:#7F8C8D",
}
ADDED_LINK_STYLE = "stroke:#27AE60,stroke-width:3px"


def mermaid_text(text: str) -> str:
    """One line of user text, safe inside a quoted Mermaid label."""
    text = display_text(text, newlines=False)
    return "".join(
        ch if (ch.isalnum() and ch.isprintable()) or ch in _SAFE_PUNCTUATION else f"#{ord(ch)};"
        for ch in text
    )


def mermaid_label(lines: tuple[str, ...] | list[str]) -> str:
    """Lines of user text as a quoted Mermaid label."""
    return '"' + "<br/>".join(mermaid_text(line) for line in lines) + '"'


class MermaidIds:
    """Safe, stable, distinct Mermaid ids for component and group ids."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set()

    def get(self, prefix: str, name: str) -> str:
        key = (prefix, name)
        if key not in self._ids:
            base = prefix + "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in name)
            candidate, n = base, 2
            while candidate in self._taken:
                candidate, n = f"{base}_{n}", n + 1
            self._taken.add(candidate)
            self._ids[key] = candidate
        return self._ids[key]


def _shape(kind: str, label: str) -> str:
    """Box shape from what the taxonomy says about the kind."""
    info = kind_info(kind)
    if info.entry:
        return f"([{label}])"
    if info.store or info.family is Family.DATA:
        return f"[({label})]"
    if info.family is Family.MESSAGING:
        return f"[[{label}]]"
    if info.family is Family.AI:
        return f"{{{{{label}}}}}"
    return f"({label})"


def _node_class(node: SceneNode) -> str | None:
    if node.added:
        return f"added_{node.status}" if node.status else "added"
    return node.status


def build_mermaid(scene: Scene) -> str:
    """The scene as a `flowchart LR` (deterministic: same scene, same text)."""
    ids = MermaidIds()
    cid = {n.id: ids.get("c_", n.id) for n in scene.nodes}
    lines = [f"%% {scene.design_id}, stage {scene.stage}", "flowchart LR"]

    def node_line(node: SceneNode, indent: str) -> str:
        return f"{indent}{cid[node.id]}{_shape(node.kind, mermaid_label(node.lines))}"

    def group(g: SceneGroup, depth: int) -> None:
        indent = "    " * depth
        lines.append(f"{indent}subgraph {ids.get('g_', g.id)} [{mermaid_label([g.label])}]")
        for child in scene.child_groups(g.id):
            group(child, depth + 1)
        lines.extend(node_line(n, indent + "    ") for n in scene.members(g.id))
        lines.append(f"{indent}end")

    for g in scene.child_groups(None):
        group(g, 1)
    lines.extend(node_line(n, "    ") for n in scene.members(None))

    added_links: list[int] = []
    for index, edge in enumerate(scene.edges):
        arrow = "-.->" if edge.is_async else "-->"
        label = f"|{mermaid_label(edge.label_lines)}|" if edge.label_lines else ""
        lines.append(f"    {cid[edge.tail]} {arrow}{label} {cid[edge.head]}")
        if edge.added:
            added_links.append(index)
    classes: dict[str, list[str]] = {}
    for n in scene.nodes:
        name = _node_class(n)
        if name:
            classes.setdefault(name, []).append(cid[n.id])
    for i, ghost in enumerate(scene.ghosts, start=1):
        gid = f"missing_{i}"
        lines.append(f"    {gid}[{mermaid_label([ghost.label])}]")
        classes.setdefault("ghost", []).append(gid)
        if ghost.anchor is not None:
            lines.append(f"    {cid[ghost.anchor]} -.- {gid}")
    for name in _STYLES:
        if name in classes:
            lines.append(f"    classDef {name} {_STYLES[name]}")
            lines.append(f"    class {','.join(classes[name])} {name}")
    if added_links:
        lines.append(f"    linkStyle {','.join(map(str, added_links))} {ADDED_LINK_STYLE}")
    return "\n".join(lines) + "\n"
