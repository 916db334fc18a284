"""The compact syntax, normalised into the one long form before validation.

A design may write, and `normalise` turns into the long form on the located tree (so the pydantic
models stay the one definition, and every error keeps its file:line:col):

- a flow as a chain string: `"users -> lb -> api"` (sync calls with the long form's defaults) and
  `"api ~> events ~> indexer"` (async messages: `mode: async, op: write`); chains and long
  entries mix in one `flows:` list. Each id keeps its own column, so an unknown id is reported
  where it is written inside the string.
- a component on one line: `- gateway: api_gateway` or `- {search: service, replicas: 8}`. The
  FIRST key of the mapping is `id: kind` when it is not a Component field name; an id that is
  also a field name (`group`, `notes`, ...) needs the long form (`{id: group, kind: ...}`).
- `screens`, `roles` and `observes` as a single string instead of a list.
- `group: NAME` on a component creates the group (`{id: NAME}`, a tier) when no `groups:` list
  in the design declares it: in the base `groups` for a base component, in the stage's
  `add.groups` for one a stage adds or changes.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from sysdesign.chains import ASYNC_FIELDS, ChainError, chain_flow, parse_chain
from sysdesign.diagnostics import Diagnostic
from sysdesign.model import SLUG, Component
from sysdesign.taxonomy import Kind
from sysdesign.views import suggest
from sysdesign.yamlsource import LocatedData, Location, Path_

COMPONENT_FIELDS = frozenset(info.alias or name for name, info in Component.model_fields.items())
LIST_SHORT_FORMS = ("screens", "roles", "observes")
KIND_NAMES = frozenset(k.value for k in Kind)

_SLUG = re.compile(SLUG)


@dataclass
class _Normaliser:
    located: LocatedData
    problems: list[Diagnostic] = field(default_factory=list)
    moves: dict[Path_, Path_ | None] = field(default_factory=dict)  # old prefix -> new (None: gone)
    rejected: set[Path_] = field(default_factory=set)  # entries replaced by None: problems given
    values: dict[Path_, Location] = field(default_factory=dict)  # added after the moves
    keys: dict[Path_, Location] = field(default_factory=dict)

    def at(self, path: Path_, *, key: bool = False) -> Location:
        return self.located.locate(path, key=key)

    def problem(self, loc: Location, message: str) -> None:
        self.problems.append(Diagnostic(self.located.file, loc.line, loc.col, message))

    # -- flows -------------------------------------------------------------------------------

    def string_column(self, path: Path_, offset: int) -> Location | None:
        """Where character `offset` of the string at `path` is, or None (and a problem) when
        the string is not written verbatim on one line."""
        start = self.located.values.get(path, self.at(path))
        span = self.located.scalar_spans.get(path)
        text = self.value_at(path)
        if span is None:
            return Location(start.line, start.col + offset)
        quoted = 1 if span.style in ("'", '"') else 0
        if span.style in ("|", ">") or span.end.line != start.line:
            self.problem(start, "keep a chain on one line (a plain or quoted string)")
            return None
        if span.end.col - start.col != len(text) + 2 * quoted:
            self.problem(start, "write a chain without escapes (plain or single-quoted)")
            return None
        return Location(start.line, start.col + quoted + offset)

    def value_at(self, path: Path_) -> Any:
        node: Any = self.located.data
        for part in path:
            node = node[part]
        return node

    def flows(self, items: Any, at: Path_) -> Any:
        if not isinstance(items, list) or not any(isinstance(x, str) for x in items):
            return items
        out: list[Any] = []
        seen: dict[str, tuple[Location, bool]] = {}
        for i, item in enumerate(items):
            self.moves[(*at, i)] = None
            if not isinstance(item, str):
                key = _flow_key(item) if isinstance(item, dict) else None
                if key is not None and key in seen and seen[key][1]:
                    self.problem(self.at((*at, i)), _duplicate(key, seen[key][0]))
                    continue
                if key is not None:
                    seen.setdefault(key, (self.at((*at, i)), False))
                self.moves[(*at, i)] = (*at, len(out))
                out.append(item)
                continue
            try:
                links = parse_chain(item)
            except ChainError as exc:
                loc = self.string_column((*at, i), exc.offset)
                if loc is not None:
                    self.problem(loc, exc.message)
                continue
            for link in links:
                src = self.string_column((*at, i), link.source_at)
                if src is None:
                    break
                dst = self.string_column((*at, i), link.target_at)
                arrow = self.string_column((*at, i), link.arrow_at)
                assert dst is not None and arrow is not None  # same string, same checks
                key = f"{link.source}->{link.target}"
                if key in seen:
                    first, _ = seen[key]
                    self.problem(src, _duplicate(key, first))
                    continue
                seen[key] = (src, True)
                new = (*at, len(out))
                flow = chain_flow(link)
                out.append(flow)
                self.values[new] = src
                for name, loc in (("from", src), ("to", dst)):
                    self.values[(*new, name)] = loc
                    self.keys[(*new, name)] = loc
                for name in ASYNC_FIELDS if "mode" in flow else ():
                    self.values[(*new, name)] = arrow
                    self.keys[(*new, name)] = arrow
        return out

    # -- components --------------------------------------------------------------------------

    def component(self, item: Any, at: Path_) -> Any:
        if not isinstance(item, dict) or not item:
            return item
        names = list(item)
        first = names[0]
        if first not in COMPONENT_FIELDS:
            return self.one_line(item, at, first)
        if "id" not in item and "kind" not in item:
            others = [k for k in names if k not in COMPONENT_FIELDS]
            if others:
                self.problem(
                    self.at((*at, others[0]), key=True),
                    f"a one-line component starts with 'ID: kind'; put {others[0]!r} first, "
                    f"or it is a misspelt field{suggest(others[0], COMPONENT_FIELDS)}",
                )
                self.rejected.add(at)
                return None
            if isinstance(item[first], str) and item[first] in KIND_NAMES:
                self.problem(
                    self.at((*at, first), key=True),
                    f"{first!r} is a component field, so '{first}: {item[first]}' cannot name a "
                    f"component; write the long form: {{id: {first}, kind: {item[first]}}}",
                )
                self.rejected.add(at)
                return None
        return self.lists(item, at)

    def one_line(self, item: dict[str, Any], at: Path_, first: str) -> Any:
        kind = item[first]
        ok = True
        for clash in ("id", "kind"):
            if clash in item:
                ok = False
                self.problem(
                    self.at((*at, clash), key=True),
                    f"one-line component {first!r} already names its id and kind in "
                    f"'{first}: ...'; drop {clash!r}",
                )
        if not isinstance(kind, str):
            ok = False
            got = "nothing" if kind is None else f"a {type(kind).__name__}"
            self.problem(
                self.at((*at, first)),
                f"one-line component {first!r} needs a kind after the colon "
                f"(e.g. '{first}: service'), got {got}",
            )
        if not ok:
            self.rejected.add(at)
            return None
        rest = {k: v for k, v in item.items() if k != first}
        self.moves[(*at, first)] = (*at, "kind")
        key_loc = self.at((*at, first), key=True)
        self.values[(*at, "id")] = key_loc
        self.keys[(*at, "id")] = key_loc
        self.keys[(*at, "kind")] = key_loc
        return self.lists({"id": first, "kind": kind, **rest}, at)

    def lists(self, item: dict[str, Any], at: Path_) -> Any:
        """`screens: input` -> `screens: [input]` (and roles, observes)."""
        for name in LIST_SHORT_FORMS:
            if isinstance(item.get(name), str):
                item = {**item, name: [item[name]]}
                self.values[(*at, name, 0)] = self.at((*at, name))
        return item


def _duplicate(key: str, first: Location) -> str:
    return (
        f"duplicate flow {key!r}: already declared at line {first.line} (declare each flow "
        "once; a second flow between the same components needs the long form with an 'id')"
    )


def _flow_key(item: dict[str, Any]) -> str | None:
    if isinstance(item.get("id"), str):
        return str(item["id"])
    src, dst = item.get("from"), item.get("to")
    return f"{src}->{dst}" if isinstance(src, str) and isinstance(dst, str) else None


def _declared_groups(data: dict[str, Any]) -> set[str]:
    lists = [data.get("groups")]
    for stage in _stages(data):
        add = stage.get("add")
        lists.append(add.get("groups") if isinstance(add, dict) else None)
    return {
        g["id"]
        for groups in lists
        if isinstance(groups, list)
        for g in groups
        if isinstance(g, dict) and isinstance(g.get("id"), str)
    }


def _stages(data: dict[str, Any]) -> list[dict[str, Any]]:
    stages = data.get("stages")
    return [s for s in stages if isinstance(s, dict)] if isinstance(stages, list) else []


@dataclass(frozen=True)
class Normalised:
    """A design in the long form, every problem its short forms had, and the entries those
    problems replaced by None (validation errors under them are noise)."""

    located: LocatedData
    problems: list[Diagnostic]
    rejected: frozenset[Path_] = frozenset()


def normalise(located: LocatedData) -> Normalised:
    """The design in the long form, located, and every problem with its short forms.

    Data that is not a design mapping is returned unchanged: validation reports it.
    """
    if not isinstance(located.data, dict):
        return Normalised(located, [])
    n = _Normaliser(located)
    data = copy.copy(located.data)
    data["components"] = _components(n, data.get("components"), ("components",))
    if "flows" in data:
        data["flows"] = n.flows(data["flows"], ("flows",))
    if isinstance(data.get("stages"), list):
        data["stages"] = [_stage(n, s, ("stages", i)) for i, s in enumerate(data["stages"])]
    if data["components"] is None:
        del data["components"]
    _create_groups(n, data)
    if not (n.moves or n.values or n.keys):
        return Normalised(located, n.problems, frozenset(n.rejected))
    out = LocatedData(
        located.file,
        data,
        _moved(located.values, n.moves),
        _moved(located.keys, n.moves),
        _moved(located.scalar_spans, n.moves),  # type: ignore[arg-type]
    )
    out.values.update(n.values)
    out.keys.update(n.keys)
    return Normalised(out, n.problems, frozenset(n.rejected))


def _components(n: _Normaliser, items: Any, at: Path_) -> Any:
    if not isinstance(items, list):
        return items
    return [n.component(item, (*at, i)) for i, item in enumerate(items)]


def _stage(n: _Normaliser, stage: Any, at: Path_) -> Any:
    if not isinstance(stage, dict):
        return stage
    stage = dict(stage)
    add = stage.get("add")
    if isinstance(add, dict):
        add = dict(add)
        if "components" in add:
            add["components"] = _components(n, add["components"], (*at, "add", "components"))
        if "flows" in add:
            add["flows"] = n.flows(add["flows"], (*at, "add", "flows"))
        stage["add"] = add
    if isinstance(stage.get("change"), list):
        stage["change"] = [
            n.lists(c, (*at, "change", i)) if isinstance(c, dict) else c
            for i, c in enumerate(stage["change"])
        ]
    return stage


def _create_groups(n: _Normaliser, data: dict[str, Any]) -> None:
    """Groups named by components and declared nowhere, created where first named."""
    declared = _declared_groups(data)
    places: list[tuple[Path_, list[Any], Path_]] = []  # (list path, entries, where groups go)
    if isinstance(data.get("components"), list):
        places.append((("components",), data["components"], ("groups",)))
    for i, stage in enumerate(data.get("stages") or []):
        if not isinstance(stage, dict):
            continue
        add = stage.get("add")
        if isinstance(add, dict) and isinstance(add.get("components"), list):
            at: Path_ = ("stages", i, "add", "components")
            places.append((at, add["components"], ("stages", i, "add", "groups")))
        if isinstance(stage.get("change"), list):
            places.append(
                (("stages", i, "change"), stage["change"], ("stages", i, "add", "groups"))
            )
    for at, entries, target in places:
        for j, entry in enumerate(entries):
            name = entry.get("group") if isinstance(entry, dict) else None
            if not isinstance(name, str) or name in declared or not _SLUG.match(name):
                continue  # a bad name is reported once, at the component's group field
            declared.add(name)
            groups = _group_list(data, target)
            if groups is None:
                continue
            loc = n.at((*at, j, "group"))
            new = (*target, len(groups))
            groups.append({"id": name})
            n.values.setdefault(target, loc)
            n.values[new] = loc
            n.values[(*new, "id")] = loc
            n.keys[(*new, "id")] = loc


def _group_list(data: dict[str, Any], target: Path_) -> list[Any] | None:
    """The (copied) groups list at `target`, created when absent; None when not a list."""
    if target == ("groups",):
        holder = data
    else:
        stage = data["stages"][target[1]]
        if "add" not in stage:
            stage["add"] = {}
        if not isinstance(stage["add"], dict):
            return None
        stage["add"] = holder = dict(stage["add"])
    groups = holder.get("groups", [])
    if not isinstance(groups, list):
        return None
    holder["groups"] = groups = list(groups)
    return groups


def _moved(table: dict[Path_, Any], moves: dict[Path_, Path_ | None]) -> dict[Path_, Any]:
    """`table` with every path under a moved prefix renamed, or dropped when it moved to None."""
    if not moves:
        return dict(table)
    lengths = sorted({len(p) for p in moves})
    out: dict[Path_, Any] = {}
    for path, value in table.items():
        new: Path_ | None = path
        for size in lengths:
            if len(path) >= size and path[:size] in moves:
                target = moves[path[:size]]
                new = None if target is None else (*target, *path[size:])
                break
        if new is not None:
            out[new] = value
    return out


def long_form_data(text: str, file: str = "<string>") -> Any:
    """A design's YAML text as plain data in the long form (every short form expanded), for
    tools and tests that edit designs as data; InputError if a short form cannot be read."""
    from sysdesign.diagnostics import InputError
    from sysdesign.yamlsource import parse_text

    normal = normalise(parse_text(text, file))
    if normal.problems:
        raise InputError(normal.problems)
    return copy.deepcopy(normal.located.data)
