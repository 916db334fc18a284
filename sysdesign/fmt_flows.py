"""Flows for `sysdesign fmt`: plain flows joined into chains, or chains written out one by one.

A flow is plain when it has no option (only `from` and `to`, or exactly `mode: async, op: write`)
and no comment inside it; a comment after it stays after the chain it ends. Everything else is
kept as written, in place, so the order of flows never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from sysdesign.chains import ASYNC_FIELDS, ChainError, parse_chain

LINE = 100  # longest line a one-line component or a chain may make
ITEM_INDENT = 4  # "  - " before a list entry


@dataclass
class _Link:
    source: str
    target: str
    arrow: str
    comment: Any = None  # a comment token that followed the entry this link ends


def reflow(flows: CommentedSeq, compact: bool) -> CommentedSeq:
    """Flows re-emitted: plain links joined into chains (compact) or one mapping each."""
    units: list[_Link | tuple[Any, Any]] = []  # links, or (opaque entry, its seq comment)
    for i, entry in enumerate(flows):
        seq_comment = flows.ca.items.get(i)
        links = _links_of(entry)
        if links is None:
            units.append((entry, seq_comment))
            continue
        tail = seq_comment[0] if seq_comment else None
        if isinstance(entry, CommentedMap) and entry.ca.items:
            tail = entry.ca.items[list(entry)[-1]][2]
        links[-1].comment = tail
        units.extend(links)
    out = CommentedSeq()
    if flows.fa.flow_style() or not flows:  # `[]` (its style unset) stays `[]` on its line
        out.fa.set_flow_style()
    else:
        out.fa.set_block_style()
    out.ca.comment = flows.ca.comment
    out.ca.end = getattr(flows.ca, "end", None)
    chain: list[_Link] = []

    def emit_chain() -> None:
        if not chain:
            return
        text = chain[0].source + "".join(f" {link.arrow} {link.target}" for link in chain)
        out.append(text)
        if chain[-1].comment is not None:
            out.ca.items[len(out) - 1] = [chain[-1].comment, None, None, None]
        chain.clear()

    for unit in units:
        if isinstance(unit, tuple):
            emit_chain()
            entry, seq_comment = unit
            out.append(entry)
            if seq_comment is not None:
                out.ca.items[len(out) - 1] = seq_comment
            continue
        if not compact:
            out.append(_flow_map(unit))
            if unit.comment is not None:
                out.ca.items[len(out) - 1] = [unit.comment, None, None, None]
            continue
        if chain and (
            chain[-1].target != unit.source
            or chain[-1].comment is not None
            or _chain_length(chain) + len(f" {unit.arrow} {unit.target}") > LINE
        ):
            emit_chain()
        chain.append(unit)
    emit_chain()
    return out


def _chain_length(chain: list[_Link]) -> int:
    return ITEM_INDENT + len(chain[0].source) + sum(len(f" -> {x.target}") for x in chain)


def _links_of(entry: Any) -> list[_Link] | None:
    """The links an entry stands for when it is plain (a chain, or a flow with no options and no
    comment inside), else None."""
    if isinstance(entry, str):
        try:
            return [_Link(x.source, x.target, x.arrow) for x in parse_chain(entry)]
        except ChainError:  # pragma: no cover - the design validated
            return None
    if not isinstance(entry, CommentedMap):
        return None
    keys = set(entry)
    comments = entry.ca.items
    if comments and (len(comments) > 1 or list(comments) != [list(entry)[-1]]):
        return None
    if comments and any(c is not None for c in comments[list(entry)[-1]][:2]):
        return None
    if entry.ca.comment:
        return None
    src, dst = entry.get("from"), entry.get("to")
    if not (type(src) is str and type(dst) is str):
        return None
    if keys == {"from", "to"}:
        return [_Link(src, dst, "->")]
    if keys == {"from", "to", *ASYNC_FIELDS} and all(
        entry[k] == v for k, v in ASYNC_FIELDS.items()
    ):
        return [_Link(src, dst, "~>")]
    return None


def _flow_map(link: _Link) -> CommentedMap:
    fields: list[tuple[str, str]] = [("from", link.source), ("to", link.target)]
    if link.arrow == "~>":
        fields += list(ASYNC_FIELDS.items())
    new = CommentedMap(fields)
    new.fa.set_flow_style()
    return new
