"""The located tree built straight from libyaml's event stream (the fast path of yamlsource).

PyYAML's C parser (`yaml._yaml.CParser`) hands out events with line and column marks; this
builds plain data and the location of every key and value from them in one pass, without
composing a node tree. The pure-Python parser gives the same events when libyaml is missing.
Documents with aliases are left to `sysdesign.yaml_nodes` (they are rare in designs, and need
the node tree to expand and bound): `build` raises `NeedsNodes` at the first alias. An anchor no
alias names changes nothing, so anchors alone stay on the fast path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml
from yaml import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from sysdesign.diagnostics import Diagnostic, InputError
from sysdesign.yamlsource import (
    _MAP,
    _MERGE,
    _PLAIN_SCALARS,
    _SEQ,
    _STR,
    _TIMESTAMP,
    MAX_DEPTH,
    LocatedData,
    Location,
    MarkTable,
    Path_,
    SpanTable,
    _Loader,
)

try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _CParser = None


class NeedsNodes(Exception):
    """The document uses aliases: build it from the node tree instead."""


class _Resolver(yaml.resolver.BaseResolver):
    """The implicit tags of `yamlsource._Loader` (YAML 1.2 booleans), without a parser."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


_RESOLVER = _Resolver()
_FIRST = frozenset(k for k, v in _Resolver.yaml_implicit_resolvers.items() if v)
_CONSTRUCTOR = yaml.SafeLoader("")
_CONSTRUCTORS = yaml.SafeLoader.yaml_constructors
_NEW = tuple.__new__


def _loc(mark: Any) -> Location:
    return _NEW(Location, (mark.line + 1, mark.column + 1))


def event_source(text: str, *, libyaml: bool = True) -> Callable[[], Any]:
    """`get_event` of libyaml's parser (or of PyYAML's own when libyaml is missing or not asked)."""
    if libyaml and _CParser is not None:
        return _CParser(text).get_event  # type: ignore[no-any-return]
    loader = yaml.SafeLoader(text)
    return loader.get_event  # type: ignore[no-any-return]


def _plain_tag(value: str, memo: dict[str, str]) -> str:
    tag = memo.get(value)
    if tag is None:
        tag = memo[value] = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return tag


class _Builder:
    """State of one pass over the events of one document."""

    def __init__(self, get_event: Callable[[], Any], file: str) -> None:
        self.get = get_event
        self.file = file
        self.depth = 0
        self.problems: list[Diagnostic] = []
        self.tags: dict[str, str] = {}
        self.constructed: dict[tuple[str, str], Any] = {}

    def problem(self, mark: Any, message: str) -> None:
        loc = _loc(mark)
        self.problems.append(Diagnostic(self.file, loc.line, loc.col, message))

    def enter(self, event: Any) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.too_deep(event)

    def too_deep(self, event: Any) -> None:
        loc = _loc(event.start_mark)
        message = f"nesting deeper than {MAX_DEPTH} levels"
        raise InputError([Diagnostic(self.file, loc.line, loc.col, message)])

    def skip(self, event: Any, depth: int | None = None) -> None:
        """Consume the rest of the node that `event` starts (at nesting `depth`), keeping
        nothing."""
        if depth is not None:
            self.depth = depth
        kind = type(event)
        if kind is ScalarEvent:
            return
        if kind is AliasEvent:
            raise NeedsNodes
        self.enter(event)
        level = 1
        get = self.get
        while level:
            event = get()
            kind = type(event)
            if kind is SequenceStartEvent or kind is MappingStartEvent:
                self.enter(event)
                level += 1
            elif kind is SequenceEndEvent or kind is MappingEndEvent:
                self.depth -= 1
                level -= 1
            elif kind is AliasEvent:
                raise NeedsNodes

    def scalar_tag(self, event: Any) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            value = event.value
            if not event.implicit[0]:
                return _STR
            if value and value[0] not in _FIRST:
                return _STR
            return _plain_tag(value, self.tags)
        return tag  # type: ignore[no-any-return]

    def construct(self, event: Any, tag: str) -> Any:
        """The plain value of a scalar with a supported tag (None and a problem otherwise)."""
        value = event.value
        if tag in (_STR, _TIMESTAMP):  # dates stay as written
            return value
        if tag not in _PLAIN_SCALARS:
            self.problem(event.start_mark, f"unsupported YAML tag {tag!r}")
            return None
        memo = (tag, value)
        if memo in self.constructed:
            return self.constructed[memo]
        try:
            result = _CONSTRUCTORS[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
        except (yaml.YAMLError, ValueError, KeyError) as exc:
            self.problem(event.start_mark, f"cannot read value: {exc}")
            return None
        self.constructed[memo] = result
        return result

    def key(self, event: Any, into: dict[str, Any], depth: int) -> str | None:
        """The key a scalar or collection event names in a mapping, or None (a problem given,
        the key's node consumed)."""
        if type(event) is not ScalarEvent:
            if type(event) is AliasEvent:
                raise NeedsNodes
            self.problem(event.start_mark, "mapping keys must be plain strings")
            self.skip(event, depth)
            return None
        tag = self.scalar_tag(event)
        if tag == _MERGE:
            self.problem(
                event.start_mark, "merge keys ('<<') are not supported; write the fields out"
            )
            return None
        if tag not in _PLAIN_SCALARS:
            self.problem(event.start_mark, "mapping keys must be plain strings")
            return None
        key = str(self.construct(event, tag))
        if key in into:
            self.problem(event.start_mark, f"duplicate key {key!r}")
            return None
        return key

    def document(self, first: Any) -> tuple[Any, list[Any], list[Any], list[Any]]:
        """Data, value and key locations, and string spans of the document whose root node
        event is `first` (each a flat list: path, mark, path, mark...).

        One loop with the common cases inline (a plain or quoted string key or value needs no
        tag resolution): this is the hot path of every command that reads a design.
        """
        # path, mark, path, mark...: MarkTable makes a dict of them on first use and Locations
        # of the marks when read (appending costs less than a dict entry, and a command that
        # never locates anything never pays for the dict)
        values: list[Any] = []
        keys: list[Any] = []
        spans: list[Any] = []  # path, end mark (plain) or (style, end mark)
        at_value = values.append
        at_key = keys.append
        at_span = spans.append
        get = self.get
        first_chars = _FIRST
        plain: dict[str, Any] = {}  # implicit scalar as written -> its value
        scalar = ScalarEvent
        seq_end = SequenceEndEvent
        map_end = MappingEndEvent
        # The open collection: container, its path, is it a mapping, the key awaiting its value
        # (None: a key comes next) and that key's path; enclosing ones wait on `stack`.
        stack: list[tuple[Any, Path_, bool, Any, Path_]] = []
        container: Any = None
        cpath: Path_ = ()
        is_map = False
        key: Any = None
        kpath: Path_ = ()
        root: Any = None
        depth = self.depth
        event = first
        kind = type(event)
        while True:
            if is_map:
                if key is not None:
                    path = kpath
                else:  # a key
                    if kind is scalar and event.tag is None:
                        key = event.value
                        if (key and key[0] not in first_chars) or not event.implicit[0]:
                            if key in container:
                                self.problem(event.start_mark, f"duplicate key {key!r}")
                                key = None
                        else:
                            key = self.key(event, container, depth)
                    else:
                        key = self.key(event, container, depth)
                    if key is not None:
                        kpath = cpath + (key,)  # noqa: RUF005 (faster than unpacking)
                        at_key(kpath)
                        at_key(event.start_mark)
                        event = get()
                        kind = type(event)
                        continue
                    self.skip(get(), depth)  # the value of a refused key
                    kind = None
            elif container is not None:
                path = cpath + (len(container),)  # noqa: RUF005
            else:
                path: Path_ = ()
            if kind is scalar:
                at_value(path)
                at_value(event.start_mark)
                value = event.value
                if event.tag is None and (
                    not event.implicit[0] or (value and value[0] not in first_chars)
                ):  # a string as written: most scalars
                    style = event.style
                    at_span(path)
                    at_span(event.end_mark if style is None else (style, event.end_mark))
                else:
                    if event.tag is None and value in plain:  # a number, null, true... seen before
                        value = plain[value]
                    else:
                        tag = self.scalar_tag(event)
                        raw = value
                        value = self.construct(event, tag)
                        if event.tag is None and (tag in _PLAIN_SCALARS or tag == _TIMESTAMP):
                            plain[raw] = value  # no problem to repeat: the same value again
                    if type(value) is str:
                        style = event.style
                        at_span(path)
                        at_span(event.end_mark if style is None else (style, event.end_mark))
                if container is None:
                    return value, values, keys, spans
                if is_map:
                    container[key] = value
                    key = None
                else:
                    container.append(value)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    self.too_deep(event)
                start = event.start_mark
                at_value(path)
                at_value(start)
                tag = event.tag
                opens_map = kind is MappingStartEvent
                if tag is not None and tag != "!" and tag != (_MAP if opens_map else _SEQ):
                    self.problem(start, f"unsupported YAML tag {tag!r}")
                    depth -= 1
                    self.skip(event, depth)
                    if container is None:
                        return None, values, keys, spans
                    if is_map:
                        container[key] = None
                        key = None
                    else:
                        container.append(None)
                else:
                    inner: Any = {} if opens_map else []
                    if container is None:
                        root = inner
                    else:
                        if is_map:
                            container[key] = inner
                        else:
                            container.append(inner)
                        stack.append((container, cpath, is_map, None, kpath))
                    container, cpath, is_map, key = inner, path, opens_map, None
            elif kind is AliasEvent:
                raise NeedsNodes
            elif kind is not None:  # pragma: no cover - the parser guarantees node events here
                raise AssertionError(f"unexpected {event!r}")
            event = get()
            kind = type(event)
            while kind is seq_end or kind is map_end:
                depth -= 1
                if not stack:
                    return root, values, keys, spans
                container, cpath, is_map, key, kpath = stack.pop()
                event = get()
                kind = type(event)


def build(text: str, file: str, *, libyaml: bool = True, mapping_only: bool = False) -> LocatedData:
    """Located plain data of a one-document YAML text, or InputError with every problem.

    With `mapping_only`, a sequence at the root is skipped (syntax and depth still checked) and
    comes back as an empty list located at its start: the caller refuses it anyway.

    Raises yaml.YAMLError for syntax errors and NeedsNodes for aliases.
    """
    get = event_source(text, libyaml=libyaml)
    get()  # StreamStartEvent
    event = get()
    if type(event) is StreamEndEvent:
        return LocatedData(file, None, {(): Location(1, 1)})
    builder = _Builder(get, file)
    first = get()
    if mapping_only and type(first) is SequenceStartEvent:
        builder.skip(first, 0)
        data: Any = []
        values: list[Any] = [(), first.start_mark]
        keys: list[Any] = []
        spans: list[Any] = []
    else:
        data, values, keys, spans = builder.document(first)
    get()  # DocumentEndEvent
    event = get()
    if type(event) is DocumentStartEvent:
        second = event.start_mark
        builder.skip(get(), 0)  # its syntax and depth errors come first, as they always did
        while type(get()) is not StreamEndEvent:
            pass
        raise yaml.composer.ComposerError(
            "expected a single document in the stream",
            first.start_mark,
            "but found another document",
            second,
        )
    if builder.problems:
        raise InputError(builder.problems)
    return LocatedData(
        file, data, MarkTable(flat=values), MarkTable(flat=keys), SpanTable(flat=spans)
    )
