"""Paths, not just presence: a safety filter, auth or audit that exists but sits off the path."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from sysdesign.checks.content import HopTable, Search
from sysdesign.checks.context import CheckContext
from sysdesign.checks.rule import Hit, rule
from sysdesign.model import Operation

EXEMPT_FROM_ENTRY_CHECKS = frozenset({"edge", "security"})
INDEXES = frozenset({"search_index", "vector_index", "graph_store"})
WRITES = (Operation.WRITE, Operation.STREAM)


def arrow(path: tuple[str, ...]) -> str:
    return " -> ".join(path)


def off_path_note(ctx: CheckContext, screen: str, path: tuple[str, ...]) -> str:
    on_path = set(path)
    filters = list(islice((n for n in ctx.screening(screen) if n not in on_path), 3))
    return f" ({', '.join(filters)} screens {screen} but is off this path)" if filters else ""


def unscreened(
    ctx: CheckContext, hops: HopTable, sources: list[str], targets: list[str], screen: str
) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(target, example route, which call carries it) for each target reachable from sources
    without the screen (see checks/content.py for how calls and steps order content)."""
    if not sources or not targets:
        return  # nothing to search from or for
    found = ctx.find(hops, sources, frozenset(ctx.screening(screen)))
    starts = set(sources)
    for target in targets:
        if target in found and target not in starts:
            yield target, found.path_to(target), call_text(ctx, found, target)


def call_text(ctx: CheckContext, found: Search, target: str) -> str:
    """' in round 2 (flow think, step 5 of app)': the call that carries the content, named by
    its place among the caller's calls to the target, when there is more than one."""
    call = found.call_into(target)
    if call is None:
        return ""
    caller, step = call
    flows = ctx.analyses.adjacency[caller][target]
    if len(flows) < 2:
        return ""  # one call: no round to name
    flows = sorted(flows, key=lambda f: f.step)
    steps = sorted({f.step for f in flows})
    if len(steps) < 2:
        return ""
    key = next(f.key for f in flows if f.step == step)
    return f" in round {steps.index(step) + 1} (flow {key}, step {step} of {caller})"


@rule(
    "SD201",
    "paths.llm-input-unfiltered",
    "paths",
    "User input reaches an LLM unscreened",
    "error",
    why="""Prompt injection, jailbreaks and extraction attempts arrive as user input; a filter
    that exists but is not on every path from a client to the model protects nothing.""",
    fix="""Put an input-screening safety_filter on the path (gateway -> filter -> orchestrator),
    not beside it.""",
)
def llm_input_unfiltered(ctx: CheckContext) -> Iterator[Hit]:
    if not ctx.with_layer("safety_filter"):
        return  # SD103 reports the missing filter once
    for llm, path, call in unscreened(ctx, ctx.request_hops, ctx.clients, ctx.llms, "input"):
        yield Hit(
            f"input reaches {llm} unscreened{call}: {arrow(path)}"
            f"{off_path_note(ctx, 'input', path)}",
            components=path[1:],
            missing_layer="safety_filter",
            anchor=llm,
        )


@rule(
    "SD202",
    "paths.llm-output-unfiltered",
    "paths",
    "LLM output reaches users unscreened",
    "error",
    why="""Model output can carry harmful content, leaked data or injected instructions; every
    route by which it reaches a user (responses, cached answers, pushed streams) needs an output
    screen.""",
    fix="""Put an output-screening safety_filter on the response path back to clients, and on
    any write of model output into a cache or stream that users read.""",
)
def llm_output_unfiltered(ctx: CheckContext) -> Iterator[Hit]:
    if not ctx.with_layer("safety_filter"):
        return
    reported: set[str] = set()
    for client, path, _ in unscreened(ctx, ctx.content_hops, ctx.llms, ctx.clients, "output"):
        llm = path[0]
        if llm in reported:
            continue
        reported.add(llm)
        yield Hit(
            f"output of {llm} reaches {client} unscreened: {arrow(path)}"
            f"{off_path_note(ctx, 'output', path)}",
            components=path[:-1],
            missing_layer="safety_filter",
            anchor=llm,
        )


@rule(
    "SD203",
    "paths.retrieved-unscreened",
    "paths",
    "Retrieved content reaches an LLM unscreened",
    "error",
    why="""Indirect prompt injection and harmful documents enter through retrieval: from stores
    holding what users or third parties wrote (user_content), and from every store when the design
    requires retrieved content to be screened before it reaches a model's prompt.""",
    fix="""Screen retrieved documents (screens: [retrieved]) between the stores and the LLM.""",
)
def retrieved_unscreened(ctx: CheckContext) -> Iterator[Hit]:
    required = "retrieved" in ctx.view.required_screens
    stores = [
        n
        for n, data in ctx.node_data.items()
        if data["store"] and (required or data["component"].user_content)
    ]
    for llm, path, call in unscreened(ctx, ctx.prompt_hops, stores, ctx.llms, "retrieved"):
        yield Hit(
            f"content from {path[0]} reaches {llm} unscreened{call}: {arrow(path)}"
            f"{off_path_note(ctx, 'retrieved', path)}",
            components=path,
            missing_layer="safety_filter",
            anchor=llm,
        )


@rule(
    "SD204",
    "paths.corpus-unscreened",
    "paths",
    "Corpus indexed without screening",
    "error",
    why="""What is indexed will be retrieved; filtering harmful or poisoned documents before
    indexing is the first safety layer and the cheapest.""",
    fix="""Put a corpus-screening safety_filter on the ingestion path before the index writers.""",
)
def corpus_unscreened(ctx: CheckContext) -> Iterator[Hit]:
    if "corpus" not in ctx.view.required_screens:
        return
    screens = frozenset(ctx.screening("corpus"))
    found: Search | None = None  # searched on the first write into an index
    indexes = frozenset().union(*(ctx.layer_set(layer) for layer in INDEXES))
    for u, v, flows in ctx.flow_edges:
        if v not in indexes:
            continue
        writes = [f.step for f in flows if f.op in WRITES]
        if not writes:
            continue
        if found is None:
            found = ctx.find(ctx.request_hops, ctx.entries, screens)
        if u in found and not ctx.screened_between(u, 0, min(writes), screens):
            path = (*found.path_to(u), v)
            yield Hit(
                f"documents reach {v} unscreened: {arrow(path)}",
                components=(u, v),
                missing_layer="safety_filter",
                anchor=v,
            )


def _unprotected_entry(ctx: CheckContext, layer: str) -> Iterator[Hit]:
    protectors = ctx.layer_set(layer)
    if not protectors:
        return  # the layer-missing rule reports it once
    for client in ctx.clients:
        found = ctx.find(ctx.request_hops, [client], protectors)
        exposed = [
            n
            for n in found.reached()
            if n != client and ctx.node_data[n]["family"] not in EXEMPT_FROM_ENTRY_CHECKS
        ]
        if exposed:
            path = found.path_to(exposed[0])
            more = f" (and {len(exposed) - 1} more)" if len(exposed) > 1 else ""
            yield Hit(
                f"{client} reaches {exposed[0]} without {layer}: {arrow(path)}{more}",
                components=tuple(exposed),
                missing_layer=layer,
                anchor=path[1] if len(path) > 1 else None,
            )


@rule(
    "SD207",
    "paths.public-path-without-auth",
    "paths",
    "Public path bypasses authentication",
    "error",
    why="""Auth that one route skips is no auth: an interviewer will find the side door (a
    direct route to a service, a debug endpoint, a second client).""",
    fix="""Route every client flow through the auth layer before any service or store.""",
)
def public_path_without_auth(ctx: CheckContext) -> Iterator[Hit]:
    yield from _unprotected_entry(ctx, "auth")


@rule(
    "SD208",
    "paths.public-path-without-rate-limit",
    "paths",
    "Public path bypasses rate limiting",
    "warning",
    why="""A route without limits lets one caller exhaust what every caller shares.""",
    fix="""Route every client flow through the rate limiter before any service.""",
)
def public_path_without_rate_limit(ctx: CheckContext) -> Iterator[Hit]:
    yield from _unprotected_entry(ctx, "rate_limiter")
