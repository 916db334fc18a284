"""Agentic systems: tool output as untrusted content, authorization of the actions a model
chooses, what a sandbox can reach, tenant isolation of shared state, guards that fail open."""

from __future__ import annotations

from collections.abc import Iterator

from sysdesign.checks.context import CheckContext
from sysdesign.checks.rule import Hit, rule
from sysdesign.checks.rules.paths import arrow, call_text, off_path_note, unscreened
from sysdesign.model import FailureMode
from sysdesign.taxonomy import GUARD_LAYERS, TENANT_STATE_FAMILIES


def _tool_sources(ctx: CheckContext) -> list[str]:
    """What returns untrusted content to an agent: tool executors (a sandbox running tools or
    model-written code has the tool_executor role), external APIs and the web."""
    return [
        n
        for n, data in ctx.node_data.items()
        if "tool_executor" in data["layers"] or data["component"].external
    ]


@rule(
    "SD209",
    "paths.tool-output-unscreened",
    "paths",
    "Tool output reaches an LLM unscreened",
    "error",
    why="""What a tool, an external API or a web page returns is written by someone else:
    indirect prompt injection arrives in tool results and is read by the model in the next round
    of the agent loop. Every round's result needs screening before the model's next call.""",
    fix="""Screen tool results (a safety_filter with screens: [tool_output]) on the route back
    from the tool, or call it after each tool call and before the next call to the model (a
    step in between).""",
)
def tool_output_unscreened(ctx: CheckContext) -> Iterator[Hit]:
    sources = _tool_sources(ctx)
    if not sources:
        return
    targets = list(ctx.llms)
    if "tool_output" in ctx.view.required_screens:
        targets += ctx.clients  # the design says its callers are agents whose models read it
    for target, path, call in unscreened(ctx, ctx.prompt_hops, sources, targets, "tool_output"):
        yield Hit(
            f"output of {path[0]} reaches {target} unscreened{call}: {arrow(path)}"
            f"{off_path_note(ctx, 'tool_output', path)}",
            components=path,
            missing_layer="safety_filter",
            anchor=target,
        )


@rule(
    "SD210",
    "paths.action-unauthorized",
    "paths",
    "LLM-chosen action without a policy decision",
    "error",
    why="""A model chooses tool calls from text anyone could have written; executed with the
    service's privileges they act for a user who may not be allowed to. Authenticating the user
    at the entry says who asked, not whether this action, with these arguments, is allowed.""",
    fix="""Put a policy_engine (or the policy_engine role) between the model's decision and the
    executor: on the route, or called after the model's answer and before the tool call.""",
)
def action_unauthorized(ctx: CheckContext) -> Iterator[Hit]:
    # an executor that calls nothing (a sandbox whose only effect is its output) has no action
    executors = [n for n in ctx.with_layer("tool_executor") if ctx.forward[n]]
    if not executors:
        return
    deciders = ctx.layer_set("policy_engine")
    reported: set[str] = set()
    for hops, sources in ((ctx.prompt_hops, ctx.llms), (ctx.request_hops, ctx.clients)):
        found = ctx.find(hops, sources, deciders)
        for executor in executors:
            if executor in found and executor not in reported and executor not in sources:
                reported.add(executor)
                path, call = found.path_to(executor), call_text(ctx, found, executor)
                yield Hit(
                    f"{executor} runs actions reached without a policy decision{call}: "
                    f"{arrow(path)}",
                    components=(executor,),
                    missing_layer=None if deciders else "policy_engine",
                    anchor=executor,
                )


@rule(
    "SD211",
    "paths.sandbox-reach",
    "paths",
    "Sandbox reaches what it must not",
    "error",
    why="""A sandbox contains code you do not trust; what it can call is what an attacker gets
    after the first injection: a system of record, other tenants' secrets, or the open internet to
    exfiltrate to. Isolation is only as good as the routes out of it.""",
    fix="""Route the sandbox's calls through an egress_proxy (allowlist, credential injection)
    or a policy_engine; give it only its own scoped credentials (a direct flow to the secrets
    store from a sandbox with uses_credentials).""",
)
def sandbox_reach(ctx: CheckContext) -> Iterator[Hit]:
    sandboxes = ctx.with_layer("sandbox")
    if not sandboxes:
        return
    mediators = ctx.layer_set("egress_proxy") | ctx.layer_set("policy_engine")
    secrets = ctx.layer_set("secrets_store")
    hops = ctx.request_hops.without(  # its own scoped credentials
        (box, store)
        for box in sandboxes
        if ctx.node_data[box]["component"].uses_credentials
        for store in secrets
    )
    found = ctx.find(hops, sandboxes, mediators)
    for node in ctx.graph:
        if node not in found or node in sandboxes:
            continue
        component = ctx.node_data[node]["component"]
        if component.system_of_record:
            what = "the system of record"
        elif node in secrets:
            what = "a secrets store"
        elif component.external:
            what = "an external destination, with no egress proxy on the way"
        else:
            continue
        path = found.path_to(node)
        yield Hit(
            f"{path[0]} (sandbox) reaches {node}, {what}: {arrow(path)}",
            components=(path[0], node),
            missing_layer="egress_proxy" if component.external and not mediators else None,
            anchor=path[0],
        )


def multi_tenant(ctx: CheckContext) -> bool:
    tenants = ctx.view.scale.tenants
    return "multi-tenant" in ctx.design.profiles or (tenants is not None and tenants > 1)


@rule(
    "SD212",
    "structure.tenant-state-unpartitioned",
    "structure",
    "Shared state on a tenant's read path without partitioning",
    "error",
    why="""In a multi-tenant system a cache key, an index or a table without the tenant in it
    serves one tenant's data to another: the incident that ends the contract. Interviewers ask how
    every piece of shared state keeps tenants apart.""",
    fix="""Say how it is partitioned: tenancy: tenant-key (every key/row carries the tenant and
    every read filters by it), per-tenant (an instance, namespace or prefix per tenant), or global
    (it holds no tenant's data).""",
)
def tenant_state_unpartitioned(ctx: CheckContext) -> Iterator[Hit]:
    if not multi_tenant(ctx):
        return
    read_path = ctx.reach_along("read", ctx.clients)
    for node in ctx.graph:
        shared = ctx.node_data[node]["family"] in TENANT_STATE_FAMILIES or ctx.has_layer(
            node, "cdn"
        )
        if shared and node in read_path and ctx.node_data[node]["component"].tenancy is None:
            yield Hit(
                f"{node} is on tenants' read path and does not say how tenants are kept apart",
                components=(node,),
            )


def _guards(ctx: CheckContext) -> list[str]:
    """Components with a guard layer, in design order (computed once: two rules read it)."""
    if "guards" not in ctx.memo:
        guard = frozenset(GUARD_LAYERS)
        ctx.memo["guards"] = [
            n for n, data in ctx.node_data.items() if not guard.isdisjoint(data["layers"])
        ]
    return ctx.memo["guards"]  # type: ignore[return-value]


@rule(
    "SD113",
    "layers.failure-mode-unstated",
    "layers",
    "Guard without a failure mode",
    "warning",
    why="""When the safety filter or policy engine is slow or down, requests either pass
    unchecked (fail open) or are refused (fail closed): every interviewer asks which, and the
    answer decides both the safety and the availability of the product.""",
    fix="""Set failure_mode: closed (refuse; the guard is then on the critical path for
    availability, so replicate it) or open (pass; accept it with a written reason).""",
)
def failure_mode_unstated(ctx: CheckContext) -> Iterator[Hit]:
    unstated = [n for n in _guards(ctx) if ctx.node_data[n]["component"].failure_mode is None]
    if unstated:
        yield Hit(
            f"{', '.join(unstated)} "
            + (
                "does not say whether it fails"
                if len(unstated) == 1
                else "do not say whether they fail"
            )
            + " open or closed",
            components=tuple(unstated),
        )


@rule(
    "SD213",
    "paths.guard-fails-open",
    "paths",
    "Guard on an LLM path fails open",
    "error",
    why="""A guard that lets traffic through when it is down is off exactly when an attacker
    overloads it: prompt injection and unsafe output pass unscreened, unauthorised actions run.""",
    fix="""Fail closed (and replicate the guard: it is then on the availability path), degrade
    to a safe fallback, or accept the trade-off in `accepted` with the reason.""",
)
def guard_fails_open(ctx: CheckContext) -> Iterator[Hit]:
    llm_screens = {"input", "output", "retrieved", "tool_output"}
    for node in _guards(ctx):
        if ctx.node_data[node]["component"].failure_mode is not FailureMode.OPEN:
            continue
        on_llm_path = (
            ctx.has_layer(node, "policy_engine") or ctx.node_data[node]["screens"] & llm_screens
        )
        if on_llm_path:
            yield Hit(
                f"{node} fails open: when it is down, what it guards passes", components=(node,)
            )
