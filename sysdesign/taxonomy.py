"""The closed taxonomy of component kinds and system profiles: the one place this data lives.

Every other module (model validation, checks, icons, Mermaid shapes, scaffolding) reads these
tables; none keeps its own copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Family(StrEnum):
    """Layers of a system, used to group kinds in reports and legends."""

    EDGE = "edge"
    SECURITY = "security"
    COMPUTE = "compute"
    MESSAGING = "messaging"
    DATA = "data"
    AI = "ai"
    SAFETY = "safety"
    OBSERVABILITY = "observability"
    HUMAN = "human"


@dataclass(frozen=True)
class KindInfo:
    """What the kit knows about one kind of component."""

    name: str
    family: Family
    description: str
    stateful: bool = False  # holds state by default
    store: bool = False  # answers reads from data it holds (cache excluded)
    compute: bool = False  # runs code: must be observed, may be load balanced
    entry: bool = False  # originates traffic (clients, schedulers)


_K = KindInfo
KINDS: tuple[KindInfo, ...] = (
    _K(
        "client",
        Family.EDGE,
        "a user, device or external caller",
        entry=True,
    ),
    _K(
        "dns",
        Family.EDGE,
        "name resolution / global traffic steering",
    ),
    _K(
        "cdn",
        Family.EDGE,
        "edge cache for static or cacheable responses",
        stateful=True,
    ),
    _K(
        "load_balancer",
        Family.EDGE,
        "spreads requests over replicas",
    ),
    _K(
        "api_gateway",
        Family.EDGE,
        "public API entry: routing, TLS, request shaping",
        compute=True,
    ),
    _K("ui", Family.EDGE, "a web or desktop front end", compute=True),
    _K(
        "auth",
        Family.SECURITY,
        "authentication and authorisation",
        compute=True,
    ),
    _K(
        "rate_limiter",
        Family.SECURITY,
        "quotas and request rate limits",
        compute=True,
    ),
    _K(
        "secrets_store",
        Family.SECURITY,
        "holds credentials and keys",
        stateful=True,
    ),
    _K(
        "sandbox",
        Family.SECURITY,
        "isolated execution of untrusted code or tools",
        compute=True,
    ),
    _K(
        "policy_engine",
        Family.SECURITY,
        "decides whether an action (a tool call an LLM chose) is allowed for this user and tenant",
        compute=True,
    ),
    _K(
        "egress_proxy",
        Family.SECURITY,
        "mediates outbound traffic: host allowlist, DLP, credential injection",
        compute=True,
    ),
    _K(
        "safety_filter",
        Family.SAFETY,
        "screens content for harm, injection or leakage",
        compute=True,
    ),
    _K(
        "audit_log",
        Family.SAFETY,
        "append-only, tamper-evident record of decisions",
        stateful=True,
    ),
    _K(
        "human_review",
        Family.HUMAN,
        "people who review, label or approve",
    ),
    _K(
        "service",
        Family.COMPUTE,
        "a stateless request-serving service",
        compute=True,
    ),
    _K(
        "worker",
        Family.COMPUTE,
        "background or batch processing",
        compute=True,
    ),
    _K(
        "tool_executor",
        Family.COMPUTE,
        "runs the tools or actions an LLM or agent chose",
        compute=True,
    ),
    _K(
        "scheduler",
        Family.COMPUTE,
        "cron, workflow or job orchestration",
        compute=True,
        entry=True,
    ),
    _K(
        "queue",
        Family.MESSAGING,
        "a work queue that buffers tasks",
        stateful=True,
    ),
    _K(
        "stream",
        Family.MESSAGING,
        "a durable, replayable event log",
        stateful=True,
    ),
    _K(
        "cache",
        Family.DATA,
        "in-memory cache in front of slower reads",
        stateful=True,
    ),
    _K(
        "database",
        Family.DATA,
        "a database (relational, key-value, wide-column, time series)",
        stateful=True,
        store=True,
    ),
    _K(
        "object_store",
        Family.DATA,
        "blob storage for large objects",
        stateful=True,
        store=True,
    ),
    _K(
        "search_index",
        Family.DATA,
        "inverted (lexical) index",
        stateful=True,
        store=True,
    ),
    _K(
        "vector_index",
        Family.DATA,
        "approximate nearest-neighbour index over embeddings",
        stateful=True,
        store=True,
    ),
    _K(
        "graph_store",
        Family.DATA,
        "a graph database",
        stateful=True,
        store=True,
    ),
    _K(
        "feature_store",
        Family.DATA,
        "features for online models",
        stateful=True,
        store=True,
    ),
    _K(
        "model_store",
        Family.DATA,
        "model registry and weights",
        stateful=True,
        store=True,
    ),
    _K(
        "warehouse",
        Family.DATA,
        "analytical column store",
        stateful=True,
        store=True,
    ),
    _K(
        "llm",
        Family.AI,
        "a large language model behind an inference server",
        compute=True,
    ),
    _K(
        "embedding_model",
        Family.AI,
        "turns text into vectors",
        compute=True,
    ),
    _K(
        "ml_model",
        Family.AI,
        "a non-generative model: classifier, ranker, clusterer",
        compute=True,
    ),
    _K(
        "metrics",
        Family.OBSERVABILITY,
        "metrics collection and dashboards",
        stateful=True,
    ),
    _K(
        "tracing",
        Family.OBSERVABILITY,
        "distributed tracing",
        stateful=True,
    ),
    _K(
        "logging",
        Family.OBSERVABILITY,
        "log aggregation",
        stateful=True,
    ),
    _K(
        "alerting",
        Family.OBSERVABILITY,
        "alert routing and paging",
        compute=True,
    ),
)

KIND_BY_NAME: dict[str, KindInfo] = {k.name: k for k in KINDS}
KIND_NAMES: tuple[str, ...] = tuple(k.name for k in KINDS)

Kind = StrEnum("Kind", {name.upper(): name for name in KIND_NAMES})  # type: ignore[misc]
"""The closed set of component kinds, as an enum pydantic validates against."""


def kind_info(name: str) -> KindInfo:
    """The taxonomy entry of a kind name."""
    return KIND_BY_NAME[name]


def kinds_in(family: Family) -> tuple[str, ...]:
    """Names of the kinds of one family."""
    return tuple(k.name for k in KINDS if k.family is family)


OBSERVABILITY_KINDS = kinds_in(Family.OBSERVABILITY)
SAFETY_SCREENS: tuple[str, ...] = (
    "input",
    "output",
    "retrieved",
    "corpus",
    "tool_output",
    "feedback",
)
"""What a safety filter can screen: user input, model output, retrieved documents, the corpus at
indexing time, what tools, external APIs and the web return, and user feedback (ratings, clicks,
votes) before it changes learned state."""

GUARD_LAYERS: tuple[str, ...] = ("safety_filter", "policy_engine")
"""Layers whose failure mode (open or closed) a design must state."""

TENANT_STATE_FAMILIES: tuple[str, ...] = (Family.DATA.value,)
"""Families of shared state that must say how tenants are kept apart in a multi-tenant design."""


@dataclass(frozen=True)
class SystemProfile:
    """A kind of system and the layers and safety screens any design of that kind must have."""

    name: str
    description: str
    layers: tuple[str, ...]
    screens: tuple[str, ...] = ()


SYSTEM_PROFILES: tuple[SystemProfile, ...] = (
    SystemProfile(
        "web-service",
        "a request/response service for many users",
        ("load_balancer", "auth", "rate_limiter", "metrics"),
    ),
    SystemProfile(
        "retrieval",
        "search or retrieval over a large corpus",
        ("load_balancer", "auth", "rate_limiter", "cache", "metrics", "tracing"),
    ),
    SystemProfile(
        "llm-application",
        "an application that puts user input in front of an LLM",
        ("auth", "rate_limiter", "safety_filter", "audit_log", "metrics", "tracing"),
        ("input", "output"),
    ),
    SystemProfile(
        "rag",
        "retrieval-augmented generation: retrieved content reaches an LLM",
        ("auth", "rate_limiter", "cache", "safety_filter", "audit_log", "metrics", "tracing"),
        ("input", "output", "retrieved"),
    ),
    SystemProfile(
        "tool-execution",
        "runs tools or code on behalf of users or agents",
        ("auth", "rate_limiter", "sandbox", "secrets_store", "audit_log", "metrics", "tracing"),
    ),
    SystemProfile(
        "agent",
        "an LLM that chooses tools and calls them in a loop, reading what they return",
        (
            "auth",
            "rate_limiter",
            "safety_filter",
            "policy_engine",
            "audit_log",
            "metrics",
            "tracing",
        ),
        ("input", "output", "tool_output"),
    ),
    SystemProfile(
        "multi-tenant",
        "serves many tenants whose data and capacity must stay apart",
        ("auth", "rate_limiter"),
    ),
    SystemProfile(
        "data-pipeline",
        "ingests, transforms and stores data asynchronously",
        ("queue", "metrics", "logging"),
    ),
    SystemProfile(
        "observability",
        "collects and analyses telemetry from other systems",
        ("stream", "auth", "audit_log", "metrics", "alerting"),
    ),
)
PROFILE_BY_NAME: dict[str, SystemProfile] = {p.name: p for p in SYSTEM_PROFILES}

Profile = StrEnum("Profile", {p.name.upper().replace("-", "_"): p.name for p in SYSTEM_PROFILES})  # type: ignore[misc]
"""The closed set of system profile names."""

ANCHOR_NEAR: dict[str, tuple[str, ...]] = {
    "cache": ("database", "search_index", "vector_index", "graph_store", "object_store", "service"),
    "safety_filter": ("llm", "tool_executor", "api_gateway", "service"),
    "audit_log": ("safety_filter", "database", "service"),
    "auth": ("api_gateway", "load_balancer", "service"),
    "rate_limiter": ("api_gateway", "load_balancer", "service"),
    "load_balancer": ("api_gateway", "service"),
    "sandbox": ("tool_executor", "worker", "service"),
    "policy_engine": ("tool_executor", "service"),
    "egress_proxy": ("sandbox", "tool_executor", "service"),
    "secrets_store": ("sandbox", "service"),
    "queue": ("worker", "service"),
    "stream": ("worker", "service"),
    "human_review": ("safety_filter", "service"),
    "alerting": ("metrics", "service"),
}
"""Where a missing layer is drawn: next to the first component of these layers, in order."""

BUFFER_KINDS: tuple[str, ...] = kinds_in(Family.MESSAGING)
"""Kinds that buffer work between a producer and a consumer."""
