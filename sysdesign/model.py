"""The design model: strict pydantic types for what a user writes in `designs/*.yaml`.

Strict means an unknown or misspelt field is an error, a string is never silently read as a
number, and numbers are range-checked. Cross-references (flows naming components, stages removing
what exists) are checked by `sysdesign.loader`, which knows where each value came from.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated

from pydantic import Field, model_validator

from sysdesign.model_base import (  # noqa: F401  (re-exported: the model's public names)
    RULE_CODE,
    SLUG,
    KindName,
    NonNegativeFloat,
    PositiveFloat,
    Ratio,
    Slug,
    Strict,
    Text,
)
from sysdesign.model_figures import (  # noqa: F401  (re-exported)
    DataSet,
    Estimate,
    Scale,
    ScaleChange,
    Slo,
    SloChange,
)
from sysdesign.taxonomy import GUARD_LAYERS, OBSERVABILITY_KINDS, Profile


class Screen(StrEnum):
    """What a safety filter screens."""

    INPUT = "input"
    OUTPUT = "output"
    RETRIEVED = "retrieved"
    CORPUS = "corpus"
    TOOL_OUTPUT = "tool_output"
    FEEDBACK = "feedback"


ScreenName = Annotated[Screen, Field(strict=False)]


class Tenancy(StrEnum):
    """How shared state keeps tenants apart."""

    TENANT_KEY = "tenant-key"  # every key or row carries the tenant; every read filters by it
    PER_TENANT = "per-tenant"  # a separate instance, index, namespace or prefix per tenant
    GLOBAL = "global"  # holds no tenant's data (a public catalogue): shared on purpose


class FailureMode(StrEnum):
    """What a guard does when it is slow or down."""

    OPEN = "open"  # lets traffic through unchecked
    CLOSED = "closed"  # refuses traffic: availability depends on it


class Mode(StrEnum):
    SYNC = "sync"
    ASYNC = "async"


class Operation(StrEnum):
    READ = "read"
    WRITE = "write"
    STREAM = "stream"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


class GroupKind(StrEnum):
    TIER = "tier"
    ZONE = "zone"
    REGION = "region"


class Component(Strict):
    """One box on the whiteboard."""

    id: Slug
    kind: KindName
    label: str | None = Field(None, description="Display name; defaults to the id.")
    technology: str | None = Field(None, description="e.g. Redis, Kafka, vLLM.")
    replicas: int = Field(1, ge=1, le=10_000_000)
    zones: list[Slug] = Field(default_factory=list, description="Availability zones it runs in.")
    capacity_rps: PositiveFloat | None = Field(None, description="Requests/s one replica serves.")
    latency_ms: NonNegativeFloat | None = Field(None, description="Own p99 latency per request.")
    stateful: bool | None = Field(None, description="Holds state; defaults from its kind.")
    system_of_record: bool = Field(False, description="Authoritative data: writes must be audited.")
    roles: list[KindName] = Field(
        default_factory=list, description="Other layers this component also performs."
    )
    screens: list[ScreenName] = Field(
        default_factory=list, description="For safety filters: what content it screens."
    )
    observes: list[str] = Field(
        default_factory=list,
        description="For observability components: ids they collect from, or '*' for all.",
    )
    qps: NonNegativeFloat | None = Field(
        None, description="Entry points only: requests/s this component originates."
    )
    latency_budget_ms: PositiveFloat | None = Field(
        None, description="Clients only: p99 budget for their requests (default: slo's)."
    )
    ttft_budget_ms: PositiveFloat | None = Field(
        None, description="Clients only: p99 time-to-first-token budget for streamed answers."
    )
    ttft_ms: NonNegativeFloat | None = Field(
        None, description="LLMs that stream: p99 time to the first token (latency_ms: the whole)."
    )
    storage_bytes: PositiveFloat | None = Field(None, description="Bytes one replica can store.")
    memory_bytes: PositiveFloat | None = Field(
        None, description="Bytes of memory one replica has for the data it holds."
    )
    holds: Annotated[DataSet, Field(strict=False)] | None = Field(
        None, description="The data set it stores (sized from scale): documents|vectors|retained."
    )
    holds_share: Ratio = Field(1.0, description="Fraction of that data set it holds (a tier).")
    in_memory: bool = Field(False, description="Keeps what it holds in memory (memory_bytes).")
    shards: int | None = Field(
        None, ge=1, le=10_000_000, description="Shards: each replica holds one shard's data."
    )
    batch_interval_ms: NonNegativeFloat | None = Field(
        None, description="An update waits up to this long for the next batch, flush or refresh."
    )
    availability: float | None = Field(
        None, gt=0, lt=1, description="One replica's availability (default: its kind's)."
    )
    runs_untrusted: bool = Field(False, description="Runs untrusted code or third-party tools.")
    uses_credentials: bool = Field(False, description="Needs secrets to call something.")
    external: bool = Field(
        False, description="Outside our control (a third-party API, the web): untrusted content."
    )
    user_content: bool = Field(
        False, description="Stores content users or third parties wrote: untrusted when read."
    )
    tenancy: Annotated[Tenancy, Field(strict=False)] | None = Field(
        None, description="Shared state: how tenants are kept apart (tenant-key|per-tenant|global)."
    )
    failure_mode: Annotated[FailureMode, Field(strict=False)] | None = Field(
        None, description="Guards and policy engines: fail open or closed when slow or down."
    )
    group: Slug | None = None
    tags: list[str] = Field(default_factory=list)
    notes: str | None = None

    @property
    def display(self) -> str:
        return self.label or self.id

    @cached_property
    def layers(self) -> frozenset[str]:
        """Its kind plus the roles it also plays."""
        return frozenset([self.kind.value, *(r.value for r in self.roles)])

    @cached_property
    def effective_screens(self) -> frozenset[str]:
        """Screens it applies; a safety filter that names none screens input and output."""
        if self.screens:
            return frozenset(s.value for s in self.screens)
        if "safety_filter" in self.layers:
            return frozenset({"input", "output"})
        return frozenset()

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Component:
        if self.screens and "safety_filter" not in self.layers:
            raise ValueError("'screens' is only for safety filters (kind or role safety_filter)")
        if self.observes and not (self.layers & set(OBSERVABILITY_KINDS)):
            raise ValueError("'observes' is only for observability components")
        if self.latency_budget_ms is not None and self.kind.value != "client":
            raise ValueError("'latency_budget_ms' is only for clients")
        if self.ttft_budget_ms is not None and self.kind.value != "client":
            raise ValueError("'ttft_budget_ms' is only for clients")
        if self.shards is not None and self.shards > self.replicas:
            raise ValueError(f"{self.shards} shards need at least as many replicas")
        if self.failure_mode is not None and not self.layers & set(GUARD_LAYERS):
            raise ValueError("'failure_mode' is only for safety filters and policy engines")
        return self


class Flow(Strict):
    """A request or message from one component to another."""

    id: Slug | None = Field(None, description="Defaults to 'from->to'.")
    from_: Slug = Field(alias="from")
    to: Slug
    label: str | None = None
    mode: Annotated[Mode, Field(strict=False)] = Mode.SYNC
    op: Annotated[Operation, Field(strict=False)] = Operation.READ
    fan_out: int = Field(1, ge=1, le=1_000_000, description="Calls per incoming request.")
    share: float = Field(1.0, gt=0, le=1, description="Fraction of the source's traffic.")
    hit_ratio: Ratio | None = Field(None, description="Cache sources only: fraction served.")
    protocol: str | None = None
    returns: bool | None = Field(None, description="A response comes back; default: sync.")
    latency_ms: NonNegativeFloat = Field(0.0, description="Network time of the hop.")
    step: int = Field(
        1, ge=1, le=100, description="Calls from one source run in step order; same step: parallel."
    )
    lag_ms: NonNegativeFloat = Field(
        0.0, description="Async flows: p99 consumer lag before the target picks a message up."
    )
    when: Text | None = Field(
        None,
        description="Made for every request where this holds (e.g. 'the guard intervenes'): "
        "share is how often it holds, not a sample.",
    )
    identifies: list[Slug] = Field(
        default_factory=list,
        description="Writes to the audit log (or what feeds it): queues or streams whose "
        "messages this record identifies; the writes their consumers commit count as audited.",
    )

    @property
    def key(self) -> str:
        return self.id or f"{self.from_}->{self.to}"

    @property
    def has_response(self) -> bool:
        return self.returns if self.returns is not None else self.mode is Mode.SYNC


class Group(Strict):
    """A tier, zone or region: drawn as a cluster."""

    id: Slug
    label: str | None = None
    kind: Annotated[GroupKind, Field(strict=False)] = GroupKind.TIER
    parent: Slug | None = None


class Required(Strict):
    """Layers and safety screens the design must have."""

    layers: list[KindName] = Field(default_factory=list)
    screens: list[ScreenName] = Field(default_factory=list)


class Requirements(Strict):
    functional: list[Text] = Field(default_factory=list)
    non_functional: list[Text] = Field(default_factory=list)
    layers: list[KindName] = Field(default_factory=list, description="Layers this design needs.")
    screens: list[ScreenName] = Field(
        default_factory=list, description="Safety screens this design needs."
    )


class ComponentChange(Strict):
    """A stage's change to an existing component; unset fields stay as they were."""

    id: Slug
    label: str | None = None
    technology: str | None = None
    replicas: int | None = Field(None, ge=1, le=10_000_000)
    zones: list[Slug] | None = None
    capacity_rps: PositiveFloat | None = None
    latency_ms: NonNegativeFloat | None = None
    roles: list[KindName] | None = None
    screens: list[ScreenName] | None = None
    observes: list[str] | None = None
    qps: NonNegativeFloat | None = None
    latency_budget_ms: PositiveFloat | None = None
    ttft_budget_ms: PositiveFloat | None = None
    ttft_ms: NonNegativeFloat | None = None
    storage_bytes: PositiveFloat | None = None
    memory_bytes: PositiveFloat | None = None
    holds: Annotated[DataSet, Field(strict=False)] | None = None
    holds_share: Ratio | None = None
    in_memory: bool | None = None
    shards: int | None = Field(None, ge=1, le=10_000_000)
    batch_interval_ms: NonNegativeFloat | None = None
    availability: float | None = Field(None, gt=0, lt=1)
    runs_untrusted: bool | None = None
    uses_credentials: bool | None = None
    system_of_record: bool | None = None
    external: bool | None = None
    user_content: bool | None = None
    tenancy: Annotated[Tenancy, Field(strict=False)] | None = None
    failure_mode: Annotated[FailureMode, Field(strict=False)] | None = None
    group: Slug | None = None
    notes: str | None = None


class StageAdd(Strict):
    components: list[Component] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)


class StageRemove(Strict):
    components: list[Slug] = Field(default_factory=list)
    flows: list[str] = Field(default_factory=list, description="Flow ids or 'from->to'.")


class Stage(Strict):
    """A constraint the interviewer adds, and what the design changes to meet it."""

    id: Slug
    title: Text
    constraint: Text
    add: StageAdd = Field(default_factory=StageAdd)
    remove: StageRemove = Field(default_factory=StageRemove)
    change: list[ComponentChange] = Field(default_factory=list)
    scale: ScaleChange | None = None
    slo: SloChange | None = None
    requires: Required = Field(default_factory=Required)
    discussion: list[Text] = Field(
        default_factory=list, description="Points a strong answer raises at this stage."
    )


class Acceptance(Strict):
    """A finding the author accepts, with the reason."""

    code: Annotated[str, Field(pattern=RULE_CODE)]
    component: Slug | None = Field(None, description="Omit to accept the code design-wide.")
    reason: Annotated[str, Field(min_length=10)]


class PlausibleRange(Strict):
    """A design's own plausible range for one kind, with the reason it differs."""

    max_capacity_rps: PositiveFloat | None = None
    min_latency_ms: NonNegativeFloat | None = None
    reason: Annotated[str, Field(min_length=10)]


class Checks(Strict):
    """Thresholds the checker uses for this design."""

    plausible: dict[KindName, PlausibleRange] = Field(
        default_factory=dict, description="Per-kind plausible ranges overriding the taxonomy's."
    )

    hot_read_qps: PositiveFloat = Field(
        1000.0, description="Read traffic into a store above which a cache is expected."
    )
    severity: dict[
        Annotated[str, Field(pattern=RULE_CODE)], Annotated[Severity, Field(strict=False)]
    ] = Field(default_factory=dict, description="Per-rule severity overrides.")


class Design(Strict):
    """A practice system: the prompt, the numbers, the component graph and its stages."""

    schema_: str | None = Field(None, alias="$schema")
    id: Slug
    title: Text
    drill: Slug | None = Field(None, description="The reference drill this attempt practises.")
    prompt: Text
    profiles: list[Annotated[Profile, Field(strict=False)]] = Field(
        default_factory=list, description="Kinds of system this is (see `sysdesign profiles`)."
    )
    requirements: Requirements = Field(default_factory=Requirements)
    scale: Scale
    slo: Slo
    groups: list[Group] = Field(default_factory=list)
    components: list[Component] = Field(min_length=1)
    flows: list[Flow] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    accepted: list[Acceptance] = Field(default_factory=list)
    checks: Checks = Field(default_factory=Checks)
    rubric: Slug | None = Field(None, description="Rubric id in rubrics/; defaults to the drill's.")
