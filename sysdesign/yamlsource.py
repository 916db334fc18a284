"""Safe YAML loading that remembers where every key and value came from.

PyYAML composes a node tree with marks; we walk it ourselves so that only plain data comes out
(no arbitrary tags), every key and value keeps its line and column, duplicate keys are errors,
and alias bombs or very deep nesting are refused before they cost time or memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from sysdesign.diagnostics import Diagnostic, InputError

try:  # libyaml when present: same behaviour, faster
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_BOOL = "tag:yaml.org,2002:bool"


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loading with YAML 1.2 booleans: `yes`, `no`, `on` and `off` stay strings."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {
        first: [r for r in resolvers if r[0] != _BOOL]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

MAX_DEPTH = 64
MAX_EXPANSION = 10  # an alias may at most multiply the document's node count by this
MAX_BYTES = 64 * 1024 * 1024

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_PLAIN_SCALARS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    _STR,
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class Location:
    """1-based position in a file."""

    line: int
    col: int


@dataclass(frozen=True)
class ScalarSpan:
    """How a string value was written: its style and where it ends.

    `style` is PyYAML's: "" plain, "'" single-quoted, '"' double-quoted, "|" literal, ">" folded.
    `end` is 1-based and just past the scalar (past the closing quote when quoted). With the start
    (`LocatedData.values[path]`) it tells whether the source text is the value verbatim, so a
    position inside the string can be located (sysdesign.shorthand uses it for chain strings).
    """

    style: str
    end: Location


@dataclass
class LocatedData:
    """Plain data from a YAML file with the position of every key and value by path.

    `scalar_spans` holds a ScalarSpan for every string value (not keys), by path.
    """

    file: str
    data: Any
    values: dict[Path_, Location] = field(default_factory=dict)
    keys: dict[Path_, Location] = field(default_factory=dict)
    scalar_spans: dict[Path_, ScalarSpan] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> Location:
        """Where `path` is: its key if asked and known, else its value, else the nearest parent."""
        probe = tuple(path)
        if key and probe in self.keys:
            return self.keys[probe]
        while probe:
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            probe = probe[:-1]
        return self.values.get((), Location(1, 1))

    def diagnostic(self, path: Path_, message: str, *, key: bool = False) -> Diagnostic:
        loc = self.locate(path, key=key)
        return Diagnostic(self.file, loc.line, loc.col, message)


def _mark_location(mark: Any) -> Location:
    return Location(mark.line + 1, mark.column + 1)


def _scan_events(text: str, file: str) -> int:
    """Check depth and count nodes with the event parser, which does not recurse."""
    depth = 0
    nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
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
            if key_node.tag == "tag:yaml.org,2002:merge":
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


def _yaml_error(file: str, exc: yaml.YAMLError) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return Diagnostic(file, 1, 1, message)
    loc = _mark_location(mark)
    return Diagnostic(file, loc.line, loc.col, message)


def parse_text(text: str, file: str) -> LocatedData:
    """Parse YAML text into located plain data, or raise InputError with every problem."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise InputError([Diagnostic(file, 1, 1, f"file larger than {MAX_BYTES} bytes")])
    try:
        node_count = _scan_events(text, file)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_error(file, exc)]) from None
    if root is None:
        return LocatedData(file, None, {(): Location(1, 1)})
    walker = _Walker(file, budget=max(node_count, 1) * MAX_EXPANSION + 1000)
    data = walker.walk(root, ())
    if walker.problems:
        raise InputError(walker.problems)
    return LocatedData(file, data, walker.values, walker.keys, walker.spans)


def load_file(path: Path | str, display: str | None = None) -> LocatedData:
    """Read and parse one YAML file; unreadable files become diagnostics too."""
    path = Path(path)
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(name, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([Diagnostic(name, line, col, "file is not valid UTF-8")]) from None
    return parse_text(text, name)
