"""Missing layers: what the design should have and does not."""

from __future__ import annotations

from collections.abc import Iterator

from sysdesign.checks.context import CheckContext, reach
from sysdesign.checks.rule import Hit, rule
from sysdesign.figures import add2, fmt_number
from sysdesign.model import Operation
from sysdesign.taxonomy import BUFFER_KINDS


def _a(layer: str) -> str:
    """'an audit log', 'a cache': a layer named for a sentence."""
    words = layer.replace("_", " ")
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _names(nodes: list[str], limit: int = 5) -> str:
    shown = ", ".join(nodes[:limit])
    return shown + (f" and {len(nodes) - limit} more" if len(nodes) > limit else "")


@rule(
    "SD101",
    "layers.required-missing",
    "layers",
    "Required layer missing",
    "error",
    why="""The kind of system, its requirements or the current stage call for this layer. An
    interviewer who adds a constraint expects the design to grow the layer that answers it.""",
    fix="""Add a component of that kind, or give an existing component the layer as a role.""",
)
def required_layer_missing(ctx: CheckContext) -> Iterator[Hit]:
    present = {layer for _, layers in ctx.graph.nodes(data="layers") for layer in layers}
    for layer, why in sorted(ctx.view.required_layers.items()):
        if layer not in present:
            yield Hit(
                f"{why} requires {_a(layer)}; there is none",
                origin=ctx.view.requirement_origins.get(f"layer:{layer}"),
                missing_layer=layer,
                anchor=ctx.anchor_for(layer),
            )


@rule(
    "SD102",
    "layers.cache-missing",
    "layers",
    "Hot read path without a cache",
    "warning",
    why="""Reads at this rate against a store cost replicas, money and tail latency; the first
    question at scale is what is cached and at which hit ratio.""",
    fix="""Put a cache (or CDN) in front of the store and give its flow to the store a hit_ratio;
    or lower checks.hot_read_qps if this read rate is genuinely cheap.""",
)
def cache_missing(ctx: CheckContext) -> Iterator[Hit]:
    threshold = ctx.design.checks.hot_read_qps  # absolute: --scale raises the reads instead
    caching = ctx.layer_set("cache") | ctx.layer_set("cdn")
    uncached = ctx.reach_along("read", ctx.entries, caching)
    reads_into: dict[str, float] = {}  # reads that reach a store without passing a cache
    carried_by = ctx.traffic.flow
    arrays = ctx.analyses.arrays
    ids, op, key, read, store = arrays.ids, arrays.op, arrays.key, Operation.READ, arrays.store
    dst, edge_flows, out_edges = arrays.edge_dst, arrays.edge_flows, arrays.out_edges
    for u, name in enumerate(ids):  # edges by source, in edge order
        if name not in uncached or name in caching:
            continue
        for e in out_edges[u]:
            v = dst[e]
            if not store[v]:
                continue
            for f in edge_flows[e]:
                if op[f] is read:
                    target = ids[v]
                    reads_into[target] = add2(
                        reads_into.get(target, 0.0), carried_by.get(key[f], 0.0)
                    )
    for node, reads in reads_into.items():
        if reads >= threshold:
            yield Hit(
                f"{node} serves {fmt_number(reads)} reads/s that reach it without passing a cache",
                components=(node,),
                missing_layer="cache",
                anchor=node,
            )


def _user_facing_llms(ctx: CheckContext) -> list[str]:
    from_clients = ctx.reach_along("any", ctx.clients)
    to_clients = reach(ctx.content_reverse, ctx.clients)
    return [n for n in ctx.llms if n in from_clients or n in to_clients]


@rule(
    "SD103",
    "layers.safety-filter-missing",
    "layers",
    "LLM facing users without a safety filter",
    "error",
    why="""An LLM that takes user input or whose output reaches a user needs layered safety:
    interviewers at AI labs expect it raised unprompted, before they ask.""",
    fix="""Add a safety_filter on the path between clients and the LLM (screens: input, output).""",
)
def safety_filter_missing(ctx: CheckContext) -> Iterator[Hit]:
    if ctx.with_layer("safety_filter"):
        return
    exposed = _user_facing_llms(ctx)
    if exposed:
        yield Hit(
            f"{_names(exposed)} faces users and the design has no safety filter",
            components=tuple(exposed),
            missing_layer="safety_filter",
            anchor=exposed[0],
        )


@rule(
    "SD104",
    "layers.audit-log-missing",
    "layers",
    "No audit log",
    "error",
    why="""Writes to a system of record and safety decisions must be reconstructable: who did
    what, what was filtered, what was served. Without an append-only audit log there is no
    lineage from behaviour back to data.""",
    fix="""Add an audit_log (append-only, hash-chained) and flows to it from writers and
    filters.""",
)
def audit_log_missing(ctx: CheckContext) -> Iterator[Hit]:
    if ctx.with_layer("audit_log"):
        return
    records = [n for n in ctx.graph if ctx.node_data[n]["component"].system_of_record]
    filters = ctx.with_layer("safety_filter")
    needing = records + filters
    if needing:
        what = [
            f"{label} ({_names(found)})"
            for label, found in (("systems of record", records), ("safety filters", filters))
            if found
        ]
        yield Hit(
            f"the design has {' and '.join(what)} but no audit log",
            components=tuple(needing),
            missing_layer="audit_log",
            anchor=needing[0],
        )


def _public_entry_missing(ctx: CheckContext, layer: str) -> Iterator[Hit]:
    if not ctx.clients or ctx.with_layer(layer):
        return
    first_hops = sorted({v for c in ctx.clients for v in ctx.forward[c]})
    yield Hit(
        f"clients ({_names(ctx.clients)}) enter the system and there is no {layer} layer",
        components=tuple(first_hops),
        missing_layer=layer,
        anchor=first_hops[0] if first_hops else None,
    )


@rule(
    "SD105",
    "layers.auth-missing",
    "layers",
    "Public entry without authentication",
    "error",
    why="""Every public entry must know who is calling before it spends compute or touches data;
    multi-tenant systems also need the caller's tenant for isolation and quotas.""",
    fix="""Add an auth component, or give the API gateway the auth role.""",
)
def auth_missing(ctx: CheckContext) -> Iterator[Hit]:
    yield from _public_entry_missing(ctx, "auth")


@rule(
    "SD106",
    "layers.rate-limiter-missing",
    "layers",
    "Public entry without rate limiting",
    "warning",
    why="""Without rate limits one client or tenant can exhaust shared capacity (and GPU budget);
    abuse and retries storms are among the first failure modes an interviewer probes.""",
    fix="""Add a rate_limiter, or give the API gateway the rate_limiter role.""",
)
def rate_limiter_missing(ctx: CheckContext) -> Iterator[Hit]:
    yield from _public_entry_missing(ctx, "rate_limiter")


@rule(
    "SD107",
    "layers.load-balancer-missing",
    "layers",
    "Replicas called without a load balancer",
    "warning",
    why="""Clients cannot spread load over replicas or route around a dead one by themselves;
    something must health-check and balance.""",
    fix="""Put a load_balancer (or a gateway with the load_balancer role) in front of the
    replicas.""",
)
def load_balancer_missing(ctx: CheckContext) -> Iterator[Hit]:
    edge_sources = [n for n in ctx.graph if ctx.node_data[n]["kind"] in ("client", "dns", "cdn")]
    for source in edge_sources:
        for target in ctx.forward[source]:
            if (
                ctx.node_data[target]["compute"]
                and ctx.node_data[target]["replicas"] > 1
                and not ctx.has_layer(target, "load_balancer")
            ):
                yield Hit(
                    f"{source} calls {target} (x{ctx.node_data[target]['replicas']}) directly",
                    components=(target,),
                    missing_layer="load_balancer",
                    anchor=target,
                )


@rule(
    "SD108",
    "layers.observability-gap",
    "layers",
    "Components nobody observes",
    "warning",
    why="""You cannot operate, debug or prove an SLO for what you do not measure; interviewers
    ask how you would know this component is failing.""",
    fix="""Add metrics/tracing/logging components with `observes: ['*']` or list the ids.""",
)
def observability_gap(ctx: CheckContext) -> Iterator[Hit]:
    unobserved = [
        n
        for n in ctx.graph
        if ctx.node_data[n]["compute"]
        and ctx.node_data[n]["family"] != "observability"
        and n not in ctx.observed
    ]
    if not unobserved:
        return
    has_any = any(ctx.node_data[n]["family"] == "observability" for n in ctx.graph)
    yield Hit(
        f"{_names(unobserved)} {'is' if len(unobserved) == 1 else 'are'} not observed"
        + ("" if has_any else " (the design has no observability component)"),
        components=tuple(unobserved),
        missing_layer=None if has_any else "metrics",
        anchor=None,
    )


@rule(
    "SD109",
    "layers.queue-missing",
    "layers",
    "Fast producer writes straight to a slow consumer",
    "warning",
    why="""When a producer can send more than its consumer can take, a burst turns into timeouts
    and lost work; a queue absorbs the burst and lets the consumer scale on backlog. What a
    producer can send into a consumer is its capacity x the share (and fan-out) of its requests
    that write there, or the peak load on those writes if higher.""",
    fix="""Put a queue or stream between them and let the consumer pull.""",
)
def queue_missing(ctx: CheckContext) -> Iterator[Hit]:
    nodes = ctx.node_data
    op, write = ctx.analyses.arrays.op, Operation.WRITE
    for (u, v, flows), span in zip(ctx.flow_edges, ctx.analyses.arrays.edge_flows, strict=True):
        if len(span) == 1 and op[span.start] is not write:
            continue  # most edges: one flow, not a write
        writes = [f for f in flows if f.op is write]
        if not writes or nodes[u]["kind"] in BUFFER_KINDS or not nodes[v]["compute"]:
            continue
        consume = ctx.capacity(v)
        if not consume:
            continue
        per_request = sum(f.share * f.fan_out for f in writes)  # writes per request u serves
        peak = sum(ctx.traffic.flow.get(f.key, 0.0) for f in writes)
        produce = ctx.capacity(u)
        burst = max(peak, produce * per_request if produce else 0.0)
        if burst > consume:
            source = (
                f"at its capacity ({fmt_number(produce)}/s x {per_request:g} writes per request)"
                if produce and produce * per_request >= peak
                else "at peak"
            )
            yield Hit(
                f"{u} can write {fmt_number(burst)}/s into {v} {source}, which takes "
                f"{fmt_number(consume)}/s (peak load {fmt_number(peak)}/s)",
                components=(u, v),
                missing_layer="queue",
                anchor=v,
            )


@rule(
    "SD110",
    "layers.sandbox-missing",
    "layers",
    "Untrusted code outside a sandbox",
    "error",
    why="""Third-party tools or generated code can read secrets, reach the network and other
    tenants; isolation (microVM, gVisor) with an egress policy is the expected answer.""",
    fix="""Run it in a sandbox: kind sandbox, or give the component the sandbox role.""",
)
def sandbox_missing(ctx: CheckContext) -> Iterator[Hit]:
    for node, data in ctx.node_data.items():
        if data["component"].runs_untrusted and "sandbox" not in data["layers"]:
            yield Hit(
                f"{node} runs untrusted code and is not a sandbox",
                components=(node,),
                missing_layer="sandbox",
                anchor=node,
            )


@rule(
    "SD111",
    "layers.secrets-store-missing",
    "layers",
    "Credentials without a secrets store",
    "warning",
    why="""Credentials in config or environment leak through logs, images and tool output;
    short-lived secrets from a store can be scoped, rotated and audited.""",
    fix="""Add a secrets_store and a flow to it from each component that uses credentials.""",
)
def secrets_store_missing(ctx: CheckContext) -> Iterator[Hit]:
    stores = set(ctx.with_layer("secrets_store"))
    forward = ctx.forward
    for node, data in ctx.node_data.items():
        if data["component"].uses_credentials and stores.isdisjoint(forward[node]):
            yield Hit(
                f"{node} uses credentials but has no flow to a secrets store",
                components=(node,),
                missing_layer="secrets_store" if not stores else None,
                anchor=node,
            )


@rule(
    "SD112",
    "layers.safety-screen-missing",
    "layers",
    "Required safety screen missing",
    "error",
    why="""Safety comes in layers: corpus at indexing, query intent, retrieved documents before the
    LLM, output before the user. The design says it needs this layer and no filter provides
    it.""",
    fix="""Add a safety_filter with this screen on the path, or add the screen to an existing
    one.""",
)
def safety_screen_missing(ctx: CheckContext) -> Iterator[Hit]:
    for screen, why in sorted(ctx.view.required_screens.items()):
        if not ctx.screening(screen):
            yield Hit(
                f"{why} requires screening {screen} content; no safety filter screens it",
                origin=ctx.view.requirement_origins.get(f"screen:{screen}"),
                missing_layer="safety_filter",
                anchor=ctx.anchor_for("safety_filter"),
            )
