"""Storage and memory fit: the data each store must hold against what its replicas hold.

A store that `holds` a data set keeps `holds_share` of it. The data set's size comes from the
design's scale: documents x document_bytes, documents x vector_bytes, or ingest_bytes_per_day x
retention_days. Each replica of a sharded store holds one shard: size / shards. An unsharded store
keeps replication_factor copies spread over its replicas: size x min(RF, replicas) / replicas.
The need is compared with memory_bytes when the store keeps its data in memory (`in_memory`),
else with storage_bytes. A figure the design does not state is reported as not stated.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from sysdesign.analyses.units import human_bytes, human_count
from sysdesign.figures import div, mul
from sysdesign.model import DataSet, Scale


@dataclass(frozen=True)
class Fit:
    """What one replica of a store must hold and what it can."""

    component: str
    medium: str  # "memory" | "storage"
    need_bytes: float | None  # per replica; None when the data's size is not stated
    have_bytes: float | None  # per replica; None when not stated
    derivation: str  # how the need was computed, in words and numbers
    not_stated: tuple[str, ...]  # fields the design would have to state

    @property
    def fits(self) -> bool | None:
        if self.need_bytes is None or self.have_bytes is None:
            return None
        return self.need_bytes <= self.have_bytes


def dataset_size(scale: Scale, dataset: DataSet) -> tuple[float | None, str, tuple[str, ...]]:
    """Bytes of one copy of a data set, how it was derived, and what is not stated."""
    if dataset is DataSet.RETAINED:
        per_day, days = scale.ingest_bytes_per_day, scale.retention_days
        missing = tuple(
            f"scale.{n}"
            for n, v in (("ingest_bytes_per_day", per_day), ("retention_days", days))
            if v is None
        )
        if missing:
            return None, "", missing
        return mul(per_day, days), f"{human_bytes(per_day)}/day x {days:g} days", ()  # type: ignore[operator]
    per_item_field = "document_bytes" if dataset is DataSet.DOCUMENTS else "vector_bytes"
    per_item = getattr(scale, per_item_field)
    missing = tuple(
        f"scale.{n}"
        for n, v in (("documents", scale.documents), (per_item_field, per_item))
        if v is None
    )
    if missing:
        return None, "", missing
    noun = "documents" if dataset is DataSet.DOCUMENTS else "vectors"
    derivation = f"{human_count(scale.documents)} {noun} x {human_bytes(per_item)}"  # type: ignore[arg-type]
    return mul(scale.documents, per_item), derivation, ()  # type: ignore[operator]


def fit(graph: nx.DiGraph, node: str, scale: Scale) -> Fit | None:
    """The fit of one store, or None when it does not say what it holds."""
    component = graph.nodes[node]["component"]
    if component.holds is None:
        return None
    medium = "memory" if component.in_memory else "storage"
    have = component.memory_bytes if component.in_memory else component.storage_bytes
    size, derivation, missing = dataset_size(scale, component.holds)
    if have is None:
        missing = (*missing, f"{node}.{medium}_bytes")
    if size is None:
        return Fit(node, medium, None, have, "", missing)
    size = mul(size, component.holds_share)
    if component.holds_share != 1.0:
        derivation += f" x {component.holds_share:g} held"
    replicas = component.replicas
    if component.shards is not None:
        need = div(size, component.shards)
        derivation += f" / {component.shards:,} shards"
    else:
        factor = scale.replication_factor
        if factor is None:
            missing = (*missing, "scale.replication_factor")
            factor = 1  # a lower bound: one copy, said so in the finding
        copies = min(factor, replicas)
        need = div(mul(size, copies), replicas)
        derivation += f" x {copies} copies / {replicas:,} replicas"
    return Fit(node, medium, need, have, derivation, missing)


def fits(graph: nx.DiGraph, scale: Scale) -> list[Fit]:
    """Every store that says what it holds, in design order."""
    found = (fit(graph, node, scale) for node in graph)
    return [f for f in found if f is not None]
