"""Scale and SLO: the numbers a design states (and a stage changes), and what stores hold."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from sysdesign.model_base import PositiveFloat, Strict, Text, change_model


class DataSet(StrEnum):
    """What a store or index holds, sized from the design's scale."""

    DOCUMENTS = "documents"  # scale.documents x scale.document_bytes
    VECTORS = "vectors"  # scale.documents x scale.vector_bytes
    RETAINED = "retained"  # scale.ingest_bytes_per_day x scale.retention_days


class Estimate(Strict):
    """A back-of-envelope figure and how it was derived."""

    name: Text
    value: float
    unit: str = ""
    derivation: str = ""


class Scale(Strict):
    """Scale assumptions. `peak_qps` drives the capacity checks."""

    peak_qps: PositiveFloat
    average_qps: PositiveFloat | None = None
    daily_active_users: PositiveFloat | None = None
    documents: PositiveFloat | None = None
    tenants: PositiveFloat | None = None
    read_write_ratio: PositiveFloat | None = None
    payload_bytes: PositiveFloat | None = None
    storage_bytes: PositiveFloat | None = None
    document_bytes: PositiveFloat | None = Field(None, description="Stored bytes per document.")
    vector_bytes: PositiveFloat | None = Field(None, description="Index bytes per vector.")
    ingest_bytes_per_day: PositiveFloat | None = Field(None, description="Retained data per day.")
    retention_days: PositiveFloat | None = None
    replication_factor: int | None = Field(None, ge=1, le=100, description="Copies of the data.")
    estimates: list[Estimate] = Field(default_factory=list)


ScaleChange = change_model(
    Scale, "What a stage changes in the scale assumptions; unset fields stay as they were."
)


class Slo(Strict):
    p99_latency_ms: PositiveFloat
    availability: float = Field(0.999, gt=0, lt=1)
    target_utilization: float = Field(0.7, gt=0, le=1)
    freshness_ms: PositiveFloat | None = Field(
        None, description="p99 time from an update's entry until reads can see it."
    )
    survive_zone_loss: bool = Field(False, description="Losing any one zone keeps every journey.")
    ttft_ms: PositiveFloat | None = Field(
        None, description="p99 time to first token for journeys that stream an LLM's answer."
    )


SloChange = change_model(Slo, "What a stage changes in the SLOs; unset fields stay as they were.")
