"""`sysdesign import`: a Mermaid flowchart sketch -> a compact design.

Nodes become components (kinds guessed from the words in their name and label, then from their
shape, with `sysdesign.kind_words`; each guess is said in a comment),
`-->` (and `==>`) become sync calls, `-.->` async messages, subgraphs groups. What the sketch does
not say (peak load, latency budget, capacities) is left for the user to state: the figures are
written as null with a comment, never invented. Every line that cannot be read is a located
error (file:line:col), all at once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sysdesign.diagnostics import Diagnostic, InputError, read_text
from sysdesign.kind_words import SKETCH_SHAPES, SKETCH_WORDS
from sysdesign.mermaid_reader import MAX_BYTES, Edge, MermaidReader, Node, Sketch, slug


def guess_kind(node: Node) -> tuple[str, str]:
    """A kind for a node and why: the words of its id and label, then its shape."""
    words = " ".join(filter(None, [node.id.replace("-", " ").replace("_", " "), node.label]))
    words = words.lower()
    best: tuple[int, int, str, str] | None = None  # (-end, table order, kind, word)
    for order, (kind, pattern) in enumerate(SKETCH_WORDS):
        for match in re.finditer(pattern, words):
            rank = (-match.end() if kind != "service" else 1, order, kind, match.group().strip())
            best = rank if best is None or rank < best else best
    if best is not None:
        return best[2], f"kind guessed from {best[3]!r}"
    if node.shape in SKETCH_SHAPES:
        return SKETCH_SHAPES[node.shape], f"kind guessed from its {node.shape} shape"
    return "service", "no hint in its name or shape: kind service by default"


def read_sketch(text: str, file: str) -> Sketch:
    """A flowchart's nodes, edges and subgraphs, or InputError with every problem."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise InputError([Diagnostic(file, 1, 1, f"sketch larger than {MAX_BYTES} bytes")])
    reader = MermaidReader(file)
    sketch = reader.read(text)
    seen: dict[tuple[str, str], Edge] = {}
    for edge in sketch.edges:
        if edge.source == edge.target:
            reader.problem(edge.line, edge.col, f"{edge.source!r} links to itself: not a flow")
        elif (edge.source, edge.target) in seen:
            first = seen[(edge.source, edge.target)]
            reader.problem(
                edge.line,
                edge.col,
                f"{edge.source} --> {edge.target} is drawn twice (first at line {first.line}); "
                "draw it once",
            )
        else:
            seen[(edge.source, edge.target)] = edge
    if not reader.problems and not sketch.nodes:
        reader.problem(1, 1, "the flowchart has no nodes")
    if reader.problems:
        raise InputError(reader.problems)
    return sketch


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ()/.,_+-]*")
# characters YAML does not allow raw (DEL, C1 controls, non-characters) or may read as line
# breaks (NEL, U+2028, U+2029): written as \u escapes (JSON escapes the C0 controls itself)
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _q(text: str) -> str:
    """A YAML scalar that reads back as `text`: plain when that is safe, else a JSON string
    (JSON strings are YAML)."""
    if _PLAIN.fullmatch(text) and text.lower() not in (
        "yes",
        "no",
        "on",
        "off",
        "null",
        "true",
        "false",
    ):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def component_ids(sketch: Sketch) -> dict[str, str]:
    """Final ids: a sketch's short ids (`A`, `n1`) give way to their label (`search-api`);
    clashes get `-2`, `-3`, ..."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for node in sketch.nodes.values():
        short = len(node.id) <= 2 or re.fullmatch(r"[a-z]?\d+|n\d+|node\d*", node.id)
        base = slug(node.label) if short and node.label and slug(node.label) else node.id
        name, number = base, 2
        while name in taken:
            name = f"{base[:76]}-{number}"
            number += 1
        taken.add(name)
        out[node.id] = name
    return out


def sketch_to_long_yaml(sketch: Sketch, design_id: str, source: str) -> str:
    """The design in the long form, with comments; `formatting.rewrite` compacts it."""
    title = sketch.title or f"{design_id} (imported sketch)"
    out = [
        f"# Imported from {source} by `sysdesign import`: every kind is a guess (see the",
        "# comments), and the figures are yours to state before `sysdesign check`.",
        f"id: {design_id}",
        f"title: {_q(title)}",
        f"prompt: {_q(f'Imported from the sketch {source}: write the interview prompt here.')}",
        "scale:",
        "  peak_qps: null  # state the peak requests/s: the capacity checks need it",
        "slo:",
        "  p99_latency_ms: null  # state the p99 latency budget in ms",
    ]
    if sketch.groups:
        out.append("groups:")
        for gid, (label, parent) in sketch.groups.items():
            fields = [f"id: {_q(gid)}"]
            if label:
                fields.append(f"label: {_q(label)}")
            if parent:
                fields.append(f"parent: {_q(parent)}")
            out.append("  - {" + ", ".join(fields) + "}")
    out.append("components:")
    ids = component_ids(sketch)
    for node in sketch.nodes.values():
        kind, why = guess_kind(node)
        out.append(f"  - id: {_q(ids[node.id])}")
        out.append(f"    kind: {kind}  # {why}")
        if node.label and slug(node.label) != ids[node.id]:
            out.append(f"    label: {_q(node.label)}")
        if node.group:
            out.append(f"    group: {_q(node.group)}")
    if sketch.edges:
        out.append("flows:")
    for edge in sketch.edges:
        fields = [f"from: {_q(ids[edge.source])}", f"to: {_q(ids[edge.target])}"]
        if edge.is_async:
            fields += ["mode: async", "op: write"]
        if edge.label:
            fields.append(f"label: {_q(edge.label)}")
        out.append("  - {" + ", ".join(fields) + "}")
    return "\n".join(out) + "\n"


def import_sketch(path: Path, display: str | None = None) -> str:
    """The compact design text for the Mermaid flowchart at `path`, or InputError."""
    from sysdesign.formatting import Form, rewrite

    name = display or str(path)
    text = read_text(path, name)
    sketch = read_sketch(text, name)
    design_id = slug(path.stem) or "imported"
    compact = rewrite(sketch_to_long_yaml(sketch, design_id, path.name), Form.COMPACT)
    return _tidy(compact)


def _tidy(text: str) -> str:
    """Our own comments two spaces after their line, and the unstated figures as `null`."""
    lines = []
    for line in text.removesuffix("\n").split("\n"):
        head, sep, note = line.partition(" # ")
        if sep and note.startswith(_NOTES) and '"' not in head and "'" not in head:
            head = head.rstrip() + (" null" if head.rstrip().endswith(":") else "")
            line = f"{head}  # {note}"
        lines.append(line)
    return "\n".join(lines) + "\n"


_NOTES = ("kind guessed", "no hint", "state the")
