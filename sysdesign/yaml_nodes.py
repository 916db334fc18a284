"""The located tree from a composed node tree: the path for documents with anchors and aliases.

An alias repeats its anchor's node at a new path; the walk expands it with a budget (an alias may
at most multiply the document's node count by MAX_EXPANSION) so alias bombs are refused before
they cost time or memory, and a node that contains itself is an error. Locations of an expanded
alias are those of the anchored node. `sysdesign.yaml_events` handles every other document.
"""

from __future__ import annotations

from typing import Any

import yaml

from sysdesign.diagnostics import Diagnostic, InputError
from sysdesign.yamlsource import (
    _MAP,
    _MERGE,
    _PLAIN_SCALARS,
    _SEQ,
    _TIMESTAMP,
    MAX_DEPTH,
    MAX_EXPANSION,
    LocatedData,
    Location,
    Path_,
    ScalarSpan,
    _Loader,
    _PyLoader,
)


def _mark_location(mark: Any) -> Location:
    return Location(mark.line + 1, mark.column + 1)


def _scan_events(text: str, file: str, loader: type) -> int:
    """Check depth and count nodes with the event parser, which does not recurse."""
    depth = 0
    nodes = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            nodes += 1
            if depth > MAX_DEPTH:
                loc = _mark_location(event.start_mark)
                raise InputError(
                    [Diagnostic(file, loc.line, loc.col, f"nesting deeper than {MAX_DEPTH} levels")]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
            nodes += 1
    return nodes


class _Walker:
    """Turns a composed node tree into plain data plus locations."""

    def __init__(self, file: str, budget: int) -> None:
        self.file = file
        self.budget = budget
        self.values: dict[Path_, Location] = {}
        self.keys: dict[Path_, Location] = {}
        self.spans: dict[Path_, ScalarSpan] = {}
        self.problems: list[Diagnostic] = []
        self._constructor = yaml.SafeLoader("")
        self._active: set[int] = set()

    def _problem(self, node: yaml.Node, message: str) -> None:
        loc = _mark_location(node.start_mark)
        self.problems.append(Diagnostic(self.file, loc.line, loc.col, message))

    def walk(self, node: yaml.Node, path: Path_) -> Any:
        self.budget -= 1
        if self.budget < 0:
            loc = _mark_location(node.start_mark)
            raise InputError(
                [
                    Diagnostic(
                        self.file,
                        loc.line,
                        loc.col,
                        "aliases expand too far (an alias bomb?); write the values out instead",
                    )
                ]
            )
        self.values[path] = _mark_location(node.start_mark)
        if id(node) in self._active:
            self._problem(node, "recursive alias: a value cannot contain itself")
            return None
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node)
            if isinstance(value, str):
                end = _mark_location(node.end_mark)
                self.spans[path] = ScalarSpan(node.style or "", end)
            return value
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
                return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
                return self._mapping(node, path)
            self._problem(node, f"unsupported YAML tag {node.tag!r}")
            return None
        finally:
            self._active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _TIMESTAMP:
            return node.value  # dates stay as written
        if node.tag not in _PLAIN_SCALARS:
            self._problem(node, f"unsupported YAML tag {node.tag!r}")
            return None
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:  # pragma: no cover - resolver guarantees shape
            self._problem(node, f"cannot read value: {exc}")
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self._problem(key_node, "merge keys ('<<') are not supported; write the fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_SCALARS:
                self._problem(key_node, "mapping keys must be plain strings")
                continue
            key = str(self._scalar(key_node))
            if key in result:
                self._problem(key_node, f"duplicate key {key!r}")
                continue
            self.keys[(*path, key)] = _mark_location(key_node.start_mark)
            result[key] = self.walk(value_node, (*path, key))
        return result


def build(text: str, file: str, *, libyaml: bool = True) -> LocatedData:
    """Located plain data of a one-document YAML text, or InputError with every problem.

    Raises yaml.YAMLError for syntax errors (and undefined aliases).
    """
    loader = _Loader if libyaml else _PyLoader
    node_count = _scan_events(text, file, loader)
    root = yaml.compose(text, Loader=loader)
    if root is None:
        return LocatedData(file, None, {(): Location(1, 1)})
    walker = _Walker(file, budget=max(node_count, 1) * MAX_EXPANSION + 1000)
    data = walker.walk(root, ())
    if walker.problems:
        raise InputError(walker.problems)
    return LocatedData(file, data, walker.values, walker.keys, walker.spans)
