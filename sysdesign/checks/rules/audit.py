"""Audit: every write to a system of record and every safety decision reaches the audit log,
completely (not a sample), directly or through a record upstream of a queue."""

from __future__ import annotations

from collections.abc import Iterator

from sysdesign.checks.audit import audit_reach, credited_writers, sample_share
from sysdesign.checks.context import CheckContext
from sysdesign.checks.rule import Hit, rule


@rule(
    "SD205",
    "paths.write-not-audited",
    "paths",
    "Write to a system of record not audited",
    "error",
    why="""Every change to authoritative data must be attributable: who wrote what, when,
    through which path. A writer with no route to the audit log leaves a hole in the lineage, and
    a log fed from a sample of the writes reconstructs only that sample.""",
    fix="""Add a flow (usually async) from the writer, or from the store's change stream, to the
    audit log; or audit at the authenticated entry upstream of the queue that carries the write
    and say so with `identifies: [queue]` on that audit flow. Audit every write: no `share` below 1
    on the route to the log unless the flow says `when` it is made.""",
)
def write_not_audited(ctx: CheckContext) -> Iterator[Hit]:
    if not ctx.with_layer("audit_log"):
        return  # SD104 reports the missing log once
    records = {n for n, data in ctx.node_data.items() if data["component"].system_of_record}
    if not records:
        return  # no system of record: no write to audit
    anywhere, fully = audit_reach(ctx, False), audit_reach(ctx, True)
    credited = credited_writers(ctx)
    for u, v, flows in ctx.flow_edges:
        if v not in records:
            continue
        if not any(f.op.value in ("write", "stream") for f in flows):
            continue
        if u in fully or v in fully or u in credited:
            continue
        sampled = [n for n in (u, v) if n in anywhere]
        if sampled:
            yield Hit(
                f"{u} writes to {v} (system of record) but {sampled[0]} audits only a sample "
                f"(share {sample_share(ctx, sampled[0]):.0%}) of what it does",
                components=(u, v),
            )
        else:
            yield Hit(
                f"{u} writes to {v} (system of record) and neither reaches an audit log, nor does "
                "an audit record upstream identify the queue that carries the write",
                components=(u, v),
            )


@rule(
    "SD206",
    "paths.safety-not-audited",
    "paths",
    "Safety decisions not audited",
    "error",
    why="""Every intervention (query, retrieved documents, scores, what was filtered and what was
    served) belongs in an append-only audit log: it is how false positives are reviewed and how
    an incident is reconstructed. A sample of the decisions cannot answer for the rest.""",
    fix="""Add a flow from each safety filter to the audit log (async write), made for every
    decision, or for every intervention (`when: the guard intervenes`, share = how often).""",
)
def safety_not_audited(ctx: CheckContext) -> Iterator[Hit]:
    if not ctx.with_layer("audit_log"):
        return
    anywhere, fully = audit_reach(ctx, False), audit_reach(ctx, True)
    for node in ctx.with_layer("safety_filter"):
        if node in fully:
            continue
        if node in anywhere:
            yield Hit(
                f"{node} logs only a sample (share {sample_share(ctx, node):.0%}) of its decisions",
                components=(node,),
            )
        else:
            yield Hit(f"{node} decides what is filtered and does not log it", components=(node,))
