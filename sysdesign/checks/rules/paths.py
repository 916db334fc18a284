"""Paths, not just presence: a safety filter, auth or audit that exists but sits off the path."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from sysdesign.checks.context import CheckContext, search
from sysdesign.checks.rule import Hit, rule

EXEMPT_FROM_ENTRY_CHECKS = frozenset({"edge", "security"})


def _arrow(path: tuple[str, ...]) -> str:
    return " -> ".join(path)


def _off_path_note(ctx: CheckContext, screen: str, path: tuple[str, ...]) -> str:
    on_path = set(path)
    filters = list(islice((n for n in ctx.screening(screen) if n not in on_path), 3))
    return f" ({', '.join(filters)} screens {screen} but is off this path)" if filters else ""


def _unscreened(
    ctx: CheckContext,
    adjacency: dict[str, list[str]],
    sources: list[str],
    targets: list[str],
    screen: str,
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(target, example path) for each target reachable from sources without the screen.

    A filter screens content that passes through it, or that a component sends it (in a call
    step before passing the content on)."""
    screens = frozenset(ctx.screening(screen))
    found = search(adjacency, sources, screens, ctx.step_guard(screens))
    starts = set(sources)
    for target in targets:
        if target in found and target not in starts:
            yield target, found.path_to(target)


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
    for llm, path in _unscreened(ctx, ctx.forward, ctx.clients, ctx.llms, "input"):
        yield Hit(
            f"input reaches {llm} unscreened: {_arrow(path)}{_off_path_note(ctx, 'input', path)}",
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
    for client, path in _unscreened(ctx, ctx.content, ctx.llms, ctx.clients, "output"):
        llm = path[0]
        if llm in reported:
            continue
        reported.add(llm)
        yield Hit(
            f"output of {llm} reaches {client} unscreened: {_arrow(path)}"
            f"{_off_path_note(ctx, 'output', path)}",
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
    why="""Indirect prompt injection and harmful documents enter through retrieval; the design
    requires retrieved content to be screened before it reaches a model's prompt.""",
    fix="""Screen retrieved documents (screens: [retrieved]) between the stores and the LLM.""",
)
def retrieved_unscreened(ctx: CheckContext) -> Iterator[Hit]:
    if "retrieved" not in ctx.view.required_screens:
        return
    stores = [n for n in ctx.graph if ctx.attr(n, "store")]
    for llm, path in _unscreened(ctx, ctx.prompt_content, stores, ctx.llms, "retrieved"):
        yield Hit(
            f"content from {path[0]} reaches {llm} unscreened: {_arrow(path)}"
            f"{_off_path_note(ctx, 'retrieved', path)}",
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
    guard = ctx.step_guard(screens)
    found = search(ctx.forward, ctx.entries, screens, guard)
    for u, v, flows in ctx.flow_edges:
        indexed = ctx.attr(v, "layers") & {"search_index", "vector_index", "graph_store"}
        writes = any(f.op.value in ("write", "stream") for f in flows)
        if indexed and writes and u in found and not guard(None, u, v):
            path = (*found.path_to(u), v)
            yield Hit(
                f"documents reach {v} unscreened: {_arrow(path)}",
                components=(u, v),
                missing_layer="safety_filter",
                anchor=v,
            )


@rule(
    "SD205",
    "paths.write-not-audited",
    "paths",
    "Write to a system of record not audited",
    "error",
    why="""Every change to authoritative data must be attributable: who wrote what, when,
    through which path. A writer with no route to the audit log leaves a hole in the lineage.""",
    fix="""Add a flow (usually async) from the writer, or from the store's change stream, to the
    audit log.""",
)
def write_not_audited(ctx: CheckContext) -> Iterator[Hit]:
    if not ctx.with_layer("audit_log"):
        return  # SD104 reports the missing log once
    audited = ctx.reaches_audit
    for u, v, flows in ctx.flow_edges:
        if not ctx.attr(v, "component").system_of_record:
            continue
        writes = any(f.op.value in ("write", "stream") for f in flows)
        if writes and u not in audited and v not in audited:
            yield Hit(
                f"{u} writes to {v} (system of record) and neither reaches an audit log",
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
    an incident is reconstructed.""",
    fix="""Add a flow from each safety filter to the audit log (async write).""",
)
def safety_not_audited(ctx: CheckContext) -> Iterator[Hit]:
    if not ctx.with_layer("audit_log"):
        return
    for node in ctx.with_layer("safety_filter"):
        if node not in ctx.reaches_audit:
            yield Hit(f"{node} decides what is filtered and does not log it", components=(node,))


def _unprotected_entry(ctx: CheckContext, layer: str) -> Iterator[Hit]:
    protectors = ctx.layer_set(layer)
    if not protectors:
        return  # the layer-missing rule reports it once
    guard = ctx.step_guard(protectors)
    for client in ctx.clients:
        found = search(ctx.forward, [client], protectors, guard)
        exposed = [
            n
            for n in found.first
            if n != client and ctx.attr(n, "family") not in EXEMPT_FROM_ENTRY_CHECKS
        ]
        if exposed:
            path = found.path_to(exposed[0])
            more = f" (and {len(exposed) - 1} more)" if len(exposed) > 1 else ""
            yield Hit(
                f"{client} reaches {exposed[0]} without {layer}: {_arrow(path)}{more}",
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
