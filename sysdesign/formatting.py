"""`sysdesign fmt`: rewrite a design between the long and the compact form, keeping comments.

The rewrite works on ruamel.yaml's round-trip tree, so comments, key order, quoting and folded
text survive. Each rewrite is checked: the design it produces must load to exactly the design it
came from (same fields set, same order), or nothing is written. The output is a function of the
design and its comments only, so formatting twice changes nothing.

Compact (see docs/modeling.md, "Compact syntax"): components start with `ID: kind` (on one line in
braces when short and free of comments), consecutive plain flows join into chains (`a -> b ~> c`),
one-item `screens`/`roles`/`observes` lists become the item, and groups with nothing but an id that
components name are left implicit. Expand is the inverse. Nothing a user wrote is dropped: a flow
with any option, or a comment inside it, stays in the long form.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from sysdesign.atomic import write_text_atomic
from sysdesign.diagnostics import Diagnostic, InputError, read_text
from sysdesign.fmt_flows import ITEM_INDENT, LINE, reflow
from sysdesign.loader import located_design
from sysdesign.shorthand import COMPONENT_FIELDS, LIST_SHORT_FORMS
from sysdesign.yamlsource import parse_text


class Form(StrEnum):
    COMPACT = "compact"
    EXPAND = "expand"


@dataclass(frozen=True)
class Formatted:
    """The result of formatting one file."""

    path: Path
    changed: bool
    backup: Path | None = None


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.representer.add_representer(ScalarFloat, _exact_float)
    return y


def _exact_float(representer: Any, data: ScalarFloat) -> Any:
    """A float as the user wrote it, unless ruamel.yaml's re-rendering of that form loses a
    digit (it turns 6.201279215913879e+145 into ...878e+145): then Python's exact repr."""
    node = RoundTripRepresenter.represent_scalar_float(representer, data)
    try:
        same = float(node.value.replace("_", "")) == float(data)
    except ValueError:
        same = False
    return node if same else representer.represent_float(float(data))


def _meaning(text: str, file: str) -> dict[str, Any]:
    """What a design means: its validated long form with the fields it sets (InputError if bad)."""
    _, design = located_design(parse_text(text, file))
    return design.model_dump(mode="json", by_alias=True, exclude_unset=True)


def format_text(text: str, form: Form, file: str = "<string>") -> str:
    """The design `text` in `form`; InputError when it does not validate (nothing to format)."""
    before = _meaning(text, file)
    attempts = (True, False) if form is Form.COMPACT else (False,)
    for drop_groups in attempts:
        out = _rewrite(text, form, drop_groups)
        try:
            same = _meaning(out, file) == before
        except InputError:
            same = False
        if same:
            return out
    raise InputError(
        [Diagnostic(file, 1, 1, "fmt could not rewrite this design without changing it (a bug)")]
    )


def format_file(
    path: Path, form: Form, check: bool = False, display: str | None = None
) -> Formatted:
    """Rewrite `path` in `form` atomically, keeping the old text as a numbered `.bak`; with
    `check`, only say whether it would change."""
    from sysdesign.atomic import backup as keep_backup

    name = display or str(path)
    text = read_text(path, name)
    out = format_text(text, form, name)
    if out == text:
        return Formatted(path, False)
    if check:
        return Formatted(path, True)
    backup = keep_backup(path)  # numbered, never through a link (sysdesign.atomic)
    write_text_atomic(path, out)
    return Formatted(path, True, backup)


def rewrite(text: str, form: Form) -> str:
    """`text` rewritten in `form` WITHOUT checking that it is a valid design or that the meaning
    is kept (for generated text such as `sysdesign import`'s; use `format_text` otherwise)."""
    return _rewrite(text, form, drop_groups=False)


def _rewrite(text: str, form: Form, drop_groups: bool) -> str:
    y = _yaml()
    try:
        data = y.load(text)
    except YAMLError as exc:  # pragma: no cover - the loader read it a moment ago
        raise InputError([Diagnostic("<fmt>", 1, 1, f"YAML syntax: {exc}")]) from None
    compact = form is Form.COMPACT
    for components in _lists(data, "components"):
        for i, item in enumerate(components):
            components[i] = _component(item, compact)
    for holder in _holders(data):
        if isinstance(holder.get("flows"), list):
            holder["flows"] = reflow(holder["flows"], compact)
    for stage in _stages(data):
        for change in stage.get("change") or []:
            if isinstance(change, CommentedMap):
                _short_lists(change, compact)
    if compact and drop_groups:
        _drop_bare_groups(data)
    elif not compact:
        _declare_groups(data)
    buffer = io.StringIO()
    y.dump(data, buffer)
    return buffer.getvalue()


# -- where the lists are ---------------------------------------------------------------------


def _stages(data: Any) -> list[CommentedMap]:
    stages = data.get("stages") if isinstance(data, CommentedMap) else None
    return [s for s in stages or [] if isinstance(s, CommentedMap)]


def _holders(data: Any) -> list[CommentedMap]:
    """The design and each stage's `add`: the mappings that hold components and flows."""
    out = [data] if isinstance(data, CommentedMap) else []
    out += [s["add"] for s in _stages(data) if isinstance(s.get("add"), CommentedMap)]
    return out


def _lists(data: Any, key: str) -> list[CommentedSeq]:
    return [h[key] for h in _holders(data) if isinstance(h.get(key), CommentedSeq)]


# -- components -------------------------------------------------------------------------------


def _has_comments(node: Any) -> bool:
    ca = getattr(node, "ca", None)
    return bool(ca is not None and (ca.items or ca.comment or getattr(ca, "end", None)))


def _component(item: Any, compact: bool) -> Any:
    if not isinstance(item, CommentedMap) or not item:
        return item
    keys = list(item)
    if "id" in item and "kind" in item:
        ident, kind = item["id"], item["kind"]
        rest = [(k, item[k]) for k in keys if k not in ("id", "kind")]
    elif keys[0] not in ("id", "kind"):
        ident, kind = keys[0], item[keys[0]]
        rest = [(k, item[k]) for k in keys[1:]]
    else:  # pragma: no cover - a valid design has one of the two forms
        return item
    # an id that is a field name (`- group: service`) would not read back: keep `id:`, `kind:`
    one_line = compact and str(ident) not in COMPONENT_FIELDS
    first = (str(ident), kind) if one_line else None
    fields = ([first] if first else [("id", ident), ("kind", kind)]) + rest
    new = CommentedMap(fields)
    _carry_comments(item, new, keys, [k for k, _ in fields], ident)
    _short_lists(new, compact)
    if compact and not _has_comments(new) and _flat(new):
        if len(new) == 1:
            new.fa.set_block_style()
        elif ITEM_INDENT + _flow_length(new) <= LINE or item.fa.flow_style():
            new.fa.set_flow_style()  # short, or written on one line already
        else:
            new.fa.set_block_style()
    elif not _has_comments(new) or not item.fa.flow_style():
        new.fa.set_block_style()
    else:
        new.fa.set_flow_style()
    return new


def _carry_comments(
    old: CommentedMap, new: CommentedMap, old_keys: list[Any], new_keys: list[Any], ident: Any
) -> None:
    """Comments follow their key; the last key's comment (which may hold the full-line comments
    before the next entry) stays on whichever key is last now."""
    new.ca.comment = old.ca.comment
    new.ca.end = getattr(old.ca, "end", None)
    one_line = "id" not in old  # its first key was `ID: kind`
    if new_keys[0] == "id":  # the one-line key's comment goes to `kind`
        renamed = {ident: "kind"} if one_line else {}
    else:
        renamed = {"id": new_keys[0], "kind": new_keys[0]}
        if one_line:
            renamed[ident] = new_keys[0]
    for key, comment in old.ca.items.items():
        target = new_keys[-1] if key == old_keys[-1] else renamed.get(key, key)
        if target in new.ca.items:  # two comments for one key: keep both
            kept = new.ca.items[target]
            if kept[2] is not None and comment[2] is not None:
                kept[2].value = kept[2].value.rstrip("\n") + "  " + comment[2].value
            continue
        new.ca.items[target] = comment


def _flat(item: CommentedMap) -> bool:
    """Only plain scalars and short lists of them: fits in braces."""
    for value in item.values():
        if isinstance(value, list):
            if _has_comments(value) or not all(_plain(v) for v in value):
                return False
        elif not _plain(value):
            return False
    return True


def _plain(value: Any) -> bool:
    if isinstance(value, bool | int | float) or value is None:
        return True
    block = (LiteralScalarString, FoldedScalarString)
    return isinstance(value, str) and not isinstance(value, block) and "\n" not in value


def _flow_length(item: CommentedMap) -> int:
    def show(v: Any) -> str:
        if isinstance(v, list):
            return "[" + ", ".join(show(x) for x in v) + "]"
        return str(v) if not isinstance(v, str) else (v if v.isascii() else f'"{v}"')

    return 2 + sum(len(f"{k}: {show(v)}") + 2 for k, v in item.items())


def _short_lists(item: CommentedMap, compact: bool) -> None:
    for name in LIST_SHORT_FORMS:
        value = item.get(name)
        if compact and isinstance(value, list) and len(value) == 1 and not _has_comments(value):
            item[name] = value[0]
        elif not compact and isinstance(value, str):
            seq = CommentedSeq([value])
            seq.fa.set_flow_style()
            item[name] = seq


# -- groups ----------------------------------------------------------------------------------


def _drop_bare_groups(data: CommentedMap) -> None:
    """Leave out groups with nothing but an id that a component in the same place names (they
    are implied); the caller keeps them all when that would change the design (their order)."""
    _drop_from(data, data, list(data.get("components") or []))
    for stage in _stages(data):
        add = stage.get("add")
        if isinstance(add, CommentedMap):
            named = list(add.get("components") or []) + list(stage.get("change") or [])
            _drop_from(add, add, named)
            if not add and "add" not in stage.ca.items and not _has_comments(add):
                del stage["add"]


def _drop_from(owner: CommentedMap, holder: CommentedMap, entries: list[Any]) -> None:
    groups = holder.get("groups")
    if not isinstance(groups, CommentedSeq) or _has_comments(groups):
        return
    named = {e.get("group") for e in entries if isinstance(e, dict)}
    keep = [
        g
        for g in groups
        if not (isinstance(g, CommentedMap) and list(g) == ["id"] and g["id"] in named)
        or _has_comments(g)
    ]
    if len(keep) == len(groups):
        return
    if keep:
        groups[:] = keep
    elif "groups" not in owner.ca.items:
        del owner["groups"]


def _declare_groups(data: CommentedMap) -> None:
    """Write out every group a component names and no `groups:` list declares, where the loader
    would create it: in the base `groups` for a base component, else in the stage's `add.groups`
    (the same order as sysdesign.shorthand)."""
    declared = {
        g.get("id")
        for holder in _holders(data)
        for g in (holder.get("groups") or [])
        if isinstance(g, dict)
    }
    places: list[tuple[CommentedMap, list[Any]]] = [(data, data.get("components") or [])]
    for stage in _stages(data):
        add = stage.get("add")
        named = list(add.get("components") or []) if isinstance(add, CommentedMap) else []
        places.append((stage, named + list(stage.get("change") or [])))
    for owner, entries in places:
        for entry in entries:
            name = entry.get("group") if isinstance(entry, dict) else None
            if not isinstance(name, str) or name in declared:
                continue
            declared.add(name)
            group = CommentedMap([("id", name)])
            group.fa.set_flow_style()
            _groups_of(data, owner).append(group)


def _groups_of(data: CommentedMap, owner: CommentedMap) -> CommentedSeq:
    """The `groups` list of the design, or of a stage's `add`, created before `components`."""
    if owner is not data:
        if not isinstance(owner.get("add"), CommentedMap):
            keys = list(owner)
            position = keys.index("constraint") + 1 if "constraint" in keys else len(keys)
            owner.insert(position, "add", CommentedMap())
        owner = owner["add"]
    if not isinstance(owner.get("groups"), CommentedSeq):
        keys = list(owner)
        position = keys.index("components") if "components" in keys else len(keys)
        owner.insert(position, "groups", CommentedSeq())
    return owner["groups"]
