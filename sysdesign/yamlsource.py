"""Safe YAML loading that remembers where every key and value came from.

Only plain data comes out (no arbitrary tags), every key and value keeps its line and column,
duplicate keys and merge keys are errors, booleans are YAML 1.2's, and alias bombs or very deep
nesting are refused before they cost time or memory. Two builders give the same result:
`sysdesign.yaml_events` reads libyaml's C event stream in one pass (the fast path), and
`sysdesign.yaml_nodes` walks a composed node tree for the rare documents with anchors and
aliases. Python's garbage collector is paused while loading (`paused_gc`): the tree is
millions of small objects and none of them is cyclic garbage; it then goes straight to the oldest
generation.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import yaml

from sysdesign.diagnostics import Diagnostic, InputError, read_text

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


class _PyLoader(yaml.SafeLoader):
    """`_Loader` on PyYAML's own parser: what runs when libyaml is missing (and in its tests)."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


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
_MERGE = "tag:yaml.org,2002:merge"


class Location(NamedTuple):
    """1-based position in a file."""

    line: int
    col: int


class ScalarSpan(NamedTuple):
    """How a string value was written: its style and where it ends.

    `style` is PyYAML's: "" plain, "'" single-quoted, '"' double-quoted, "|" literal, ">" folded.
    `end` is 1-based and just past the scalar (past the closing quote when quoted). With the start
    (`LocatedData.values[path]`) it tells whether the source text is the value verbatim, so a
    position inside the string can be located (sysdesign.shorthand uses it for chain strings).
    """

    style: str
    end: Location


class MarkTable(MutableMapping[Path_, Location]):
    """Locations by path, kept as the parser's 0-based marks and made Locations when read.

    The loader records the mark every parser event already carries instead of building a
    Location for each of the many values a design has; only the few that are read are converted.
    It may also be given the marks as a flat list (path, mark, path, mark...: what the loader
    appends as it goes), made a dict on first use, so a command that never locates anything
    never builds it. It behaves as a dict of Locations (assigning a Location stores it as is).
    """

    __slots__ = ("_flat", "_table")

    def __init__(self, raw: dict[Path_, Any] | None = None, *, flat: list[Any] | None = None):
        self._table: dict[Path_, Any] | None = raw if raw is not None or flat else {}
        self._flat = flat

    @property
    def _raw(self) -> dict[Path_, Any]:
        table = self._table
        if table is None:
            pairs = iter(self._flat or ())
            table = self._table = dict(zip(pairs, pairs, strict=False))
            self._flat = None
        return table

    def __getitem__(self, path: Path_) -> Location:
        raw = self._raw
        mark = raw[path]
        if type(mark) is Location:
            return mark
        loc = raw[path] = Location(mark.line + 1, mark.column + 1)
        return loc

    def __setitem__(self, path: Path_, loc: Location) -> None:
        self._raw[path] = loc

    def __delitem__(self, path: Path_) -> None:
        del self._raw[path]

    def __contains__(self, path: object) -> bool:
        return path in self._raw

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self.items())!r})"


class SpanTable(MarkTable):
    """ScalarSpans by path, kept as the end mark (plain strings) or (style, end mark)."""

    __slots__ = ()

    def __getitem__(self, path: Path_) -> ScalarSpan:  # type: ignore[override]
        table = self._raw
        raw = table[path]
        if type(raw) is ScalarSpan:
            return raw
        style, mark = ("", raw) if type(raw) is not tuple else raw
        span = table[path] = ScalarSpan(style, Location(mark.line + 1, mark.column + 1))
        return span


@dataclass
class LocatedData:
    """Plain data from a YAML file with the position of every key and value by path.

    `values` and `keys` map paths to Locations, `scalar_spans` holds a ScalarSpan for every string
    value (not keys); each is a dict or a MarkTable/SpanTable (the loader's, converted on read).
    """

    file: str
    data: Any
    values: MutableMapping[Path_, Location] = field(default_factory=dict)
    keys: MutableMapping[Path_, Location] = field(default_factory=dict)
    scalar_spans: MutableMapping[Path_, ScalarSpan] = field(default_factory=dict)

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


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block (on again after, if it was on).

    What the block made is handed to the oldest generation on the way out (`gc.freeze` then
    `gc.unfreeze`: two list splices, no walk). Left young, the first collection after the pause
    would walk every object just loaded (a third of a 10k design's load) only to promote it; as
    long-lived data it is walked only by a full collection, like any other. A process that has
    frozen objects of its own (a one-shot command after loading, a child of `sysdesign server`)
    gets the block's objects frozen with them: unfreezing would release its own."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            frozen = gc.get_freeze_count()
            gc.freeze()
            if not frozen:
                gc.unfreeze()
            gc.enable()


def _yaml_error(file: str, exc: yaml.YAMLError) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return Diagnostic(file, 1, 1, message)
    return Diagnostic(file, mark.line + 1, mark.column + 1, message)


def parse_text(
    text: str, file: str, *, libyaml: bool = True, mapping_only: bool = False
) -> LocatedData:
    """Parse YAML text into located plain data, or raise InputError with every problem.

    `libyaml=False` uses PyYAML's own parser (what happens when libyaml is missing).
    `mapping_only=True` is for callers that refuse any other root (designs): a sequence at the
    root is then read for syntax errors only and comes back empty, so a huge list is refused
    without building it.
    """
    from sysdesign import yaml_events

    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise InputError([Diagnostic(file, 1, 1, f"file larger than {MAX_BYTES} bytes")])
    with paused_gc():
        try:
            try:
                return yaml_events.build(text, file, libyaml=libyaml, mapping_only=mapping_only)
            except yaml_events.NeedsNodes:
                from sysdesign import yaml_nodes  # aliases: rare in designs

                return yaml_nodes.build(text, file, libyaml=libyaml)
        except yaml.YAMLError as exc:
            raise InputError([_yaml_error(file, exc)]) from None


def load_file(
    path: Path | str, display: str | None = None, *, mapping_only: bool = False
) -> LocatedData:
    """Read and parse one YAML file; unreadable files become diagnostics too."""
    path = Path(path)
    name = display or str(path)
    text = read_text(path, name)
    return parse_text(text, name, mapping_only=mapping_only)
