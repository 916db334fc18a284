"""Reading a Mermaid flowchart: nodes with their labels and shapes, edges, subgraphs.

Line by line, statements split on ';'; `%%` comments, styling and click lines are skipped. Every
statement that cannot be read is a located problem (1-based line and column), all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sysdesign.diagnostics import Diagnostic

MAX_BYTES = 1024 * 1024
_HEADER = re.compile(r"^(flowchart|graph)(\s+(TB|TD|BT|RL|LR))?\s*;?\s*$")
_IGNORED = re.compile(r"^(classDef|class|style|linkStyle|click|direction|accTitle|accDescr)\b")
_ID = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*")
# (opener, closer, shape): longer openers first
_SHAPES = (
    ("(((", ")))", "circle"),
    ("([", "])", "stadium"),
    ("[[", "]]", "subroutine"),
    ("[(", ")]", "cylinder"),
    ("((", "))", "circle"),
    ("{{", "}}", "hexagon"),
    ("[/", "/]", "parallelogram"),
    ("[\\", "\\]", "parallelogram"),
    ("[", "]", "rectangle"),
    ("(", ")", "rounded"),
    ("{", "}", "rhombus"),
    (">", "]", "flag"),
)
_TEXT_LINK = re.compile(r"(--|==|-\.)\s*(?P<text>[^|>]*?)\s*(-->|==>|\.->)")
_LINK = re.compile(r"<?(?:-\.+->|-{2,}>|={2,}>|-{3,}|={3,}|-\.+-|--[xo]|==[xo])")
_PIPE = re.compile(r"\|(?P<text>[^|]*)\|")


@dataclass
class Node:
    id: str
    label: str | None = None
    shape: str | None = None
    group: str | None = None


@dataclass
class Edge:
    source: str
    target: str
    is_async: bool
    label: str | None
    line: int
    col: int


@dataclass
class Sketch:
    """What a flowchart says: nodes (in order of first mention), edges, subgraphs."""

    title: str | None = None
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    groups: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # label, parent


class MermaidReader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.sketch = Sketch()
        self.problems: list[Diagnostic] = []
        self.stack: list[str] = []  # open subgraphs

    def problem(self, line: int, col: int, message: str) -> None:
        self.problems.append(Diagnostic(self.file, line, col, message))

    def read(self, text: str) -> Sketch:
        lines = [line.removesuffix("\r") for line in text.split("\n")]  # as editors count them
        if lines and not lines[-1]:
            lines.pop()
        start = self._front_matter(lines)
        header_seen = False
        for number, raw in enumerate(lines[start:], start=start + 1):
            line = raw.strip()
            col = len(raw) - len(raw.lstrip()) + 1
            if not line or line.startswith("%%"):
                continue
            if not header_seen:
                if not _HEADER.match(line):
                    self.problem(
                        number, col, "not a Mermaid flowchart: start with 'flowchart LR' (or TD)"
                    )
                    return self.sketch
                header_seen = True
                continue
            for part, offset in _split_statements(line):
                self.statement(part, number, col + offset)
        if not header_seen:
            self.problem(1, 1, "empty sketch: start with 'flowchart LR' and draw some nodes")
        for name in self.stack:
            self.problem(len(lines) or 1, 1, f"subgraph {name!r} is never closed with 'end'")
        return self.sketch

    def _front_matter(self, lines: list[str]) -> int:
        if not lines or lines[0].strip() != "---":
            return 0
        for i, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                return i + 1
            key, _, value = line.partition(":")
            if key.strip() == "title" and value.strip():
                self.sketch.title = value.strip().strip("\"'")
        self.problem(1, 1, "front matter opened with '---' is never closed")
        return len(lines)

    def statement(self, text: str, line: int, col: int) -> None:
        if _IGNORED.match(text):
            return
        if text == "end":
            if not self.stack:
                self.problem(line, col, "'end' without a subgraph")
            else:
                self.stack.pop()
            return
        if text.startswith("subgraph"):
            self.subgraph(text[len("subgraph") :], line, col + len("subgraph"))
            return
        self.chain(text, line, col)

    def subgraph(self, rest: str, line: int, col: int) -> None:
        body = rest.strip()
        col += len(rest) - len(rest.lstrip())
        match = _ID.match(body)
        if body.startswith('"') or match is None:
            title = body.strip('"') or None
            gid = slug(title or "group")
        else:
            gid = slug(match.group())
            tail = body[match.end() :].strip()
            title = tail.strip("[]\"' ") or None if tail else None
        if not gid:
            self.problem(line, col, "a subgraph needs a name made of letters or digits")
            return
        if gid in self.sketch.groups:
            self.problem(line, col, f"subgraph {gid!r} is drawn twice; draw it once")
            return
        parent = self.stack[-1] if self.stack else None
        self.sketch.groups[gid] = (title, parent)
        self.stack.append(gid)

    def chain(self, text: str, line: int, col: int) -> None:
        pos = 0
        previous: list[str] | None = None
        pending: tuple[bool, str | None, int] | None = None
        while True:
            pos = _skip(text, pos)
            names, pos, ok = self.nodes(text, pos, line, col)
            if not ok:
                return
            if pending is not None and previous is not None:
                is_async, label, at = pending
                for source in previous:
                    for target in names:
                        edge = Edge(source, target, is_async, label, line, col + at)
                        self.sketch.edges.append(edge)
            pos = _skip(text, pos)
            if pos >= len(text):
                return
            link = self.link(text, pos, line, col)
            if link is None:
                return
            pending, pos = link[:3], link[3]
            previous = names

    def nodes(self, text: str, pos: int, line: int, col: int) -> tuple[list[str], int, bool]:
        """One node or several joined by '&', each with an optional shape."""
        names: list[str] = []
        while True:
            match = _ID.match(text, pos)
            if match is None:
                what = text[pos : pos + 12] or "the end of the line"
                self.problem(line, col + pos, f"expected a node id here, found {what!r}")
                return names, pos, False
            node_id = match.group()
            pos = match.end()
            label, shape, pos, ok = self.shape(text, pos, line, col)
            if not ok:
                return names, pos, False
            names.append(self.add_node(node_id, label, shape))
            after = _skip(text, pos)
            if after < len(text) and text[after] == "&":
                pos = _skip(text, after + 1)
                continue
            return names, pos, True

    def shape(
        self, text: str, pos: int, line: int, col: int
    ) -> tuple[str | None, str | None, int, bool]:
        for opener, closer, shape in _SHAPES:
            if not text.startswith(opener, pos):
                continue
            if opener == ">" and text.startswith(">", pos) and pos and text[pos - 1] in "-=.":
                break
            start = pos + len(opener)
            if text.startswith('"', start):
                end_quote = text.find('"', start + 1)
                if end_quote < 0:
                    self.problem(line, col + start, "unclosed quote in a node label")
                    return None, None, pos, False
                label = text[start + 1 : end_quote]
                end = end_quote + 1
                if not text.startswith(closer, end):
                    self.problem(line, col + end, f"expected {closer!r} to close the node shape")
                    return None, None, pos, False
            else:
                end = text.find(closer, start)
                if end < 0:
                    self.problem(line, col + pos, f"node shape {opener!r} is never closed")
                    return None, None, pos, False
                label = text[start:end]
            return _clean_label(label), shape, end + len(closer), True
        return None, None, pos, True

    def link(
        self, text: str, pos: int, line: int, col: int
    ) -> tuple[bool, str | None, int, int] | None:
        """(async?, label, column offset, position after) or None with a problem."""
        labelled = _TEXT_LINK.match(text, pos)
        if labelled is not None:
            arrow = labelled.group(3)
            return arrow == ".->", _clean_label(labelled.group("text")), pos, labelled.end()
        match = _LINK.match(text, pos)
        if match is None:
            self.problem(
                line,
                col + pos,
                "expected an arrow ('-->' sync, '-.->' async) here, found "
                f"{text[pos : pos + 12]!r}",
            )
            return None
        arrow = match.group()
        if arrow.startswith("<"):
            self.problem(
                line, col + pos, "two-way arrow: draw one arrow each way ('a --> b', 'b --> a')"
            )
            return None
        if not arrow.endswith(">"):
            self.problem(
                line,
                col + pos,
                f"{arrow!r} has no direction: write '-->' (sync call) or '-.->' (async message)",
            )
            return None
        end = match.end()
        label = None
        pipe = _PIPE.match(text, _skip(text, end))
        if pipe is not None:
            label, end = _clean_label(pipe.group("text")), pipe.end()
        return "." in arrow, label, pos, end

    def add_node(self, raw_id: str, label: str | None, shape: str | None) -> str:
        # an id of only '_' and '-' (`_` is a valid Mermaid id) has an empty slug: spell it out
        node_id = slug(raw_id) or "node-" + slug(raw_id.replace("_", "u"))
        node = self.sketch.nodes.get(node_id)
        if node is None:
            node = self.sketch.nodes[node_id] = Node(node_id)
        if label and not node.label:
            node.label = label
        if shape and not node.shape:
            node.shape = shape
        if self.stack and node.group is None:
            node.group = self.stack[-1]
        return node_id


def _split_statements(line: str) -> list[tuple[str, int]]:
    """A line split on ';' outside quotes and brackets, with each part's offset."""
    parts: list[tuple[str, int]] = []
    depth, quoted, start = 0, False, 0
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[({":
            depth += 1
        elif not quoted and ch in "])}":
            depth = max(0, depth - 1)
        elif ch == ";" and not quoted and depth == 0:
            parts.append((line[start:i], start))
            start = i + 1
    parts.append((line[start:], start))
    out = []
    for part, offset in parts:
        stripped = part.strip()
        if stripped:
            out.append((stripped, offset + len(part) - len(part.lstrip())))
    return out


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _clean_label(label: str) -> str | None:
    text = re.sub(r"<br\s*/?>", " ", label, flags=re.IGNORECASE)
    text = re.sub(r"\bfa[bsr]?:fa-[\w-]+", " ", text)  # Font Awesome icons
    text = re.sub(r"\s+", " ", text).strip().strip('"')
    return text or None


def slug(text: str) -> str:
    """A component or group id from a sketch's id or title."""
    out = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return out[:80].rstrip("-_")
