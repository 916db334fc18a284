"""The phases of an interview round and their minutes: defaults, user config file, per run.

The user config file is `practice.yaml` in the per-user config folder (platformdirs), e.g.

    phases: {requirements: 5, estimates: 5, high-level: 15, deep-dive: 15, trade-offs: 5}
    reveal_every: 4      # minutes between stage reveals in the deep dive (0: only on `r`)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from sysdesign.diagnostics import InputError
from sysdesign.loader import load_model
from sysdesign.yamlsource import load_file


@dataclass(frozen=True)
class Phase:
    id: str
    title: str
    minutes: float


PHASES: tuple[Phase, ...] = (
    Phase("requirements", "Requirements", 5),
    Phase("estimates", "Estimates", 5),
    Phase("high-level", "High-level design", 15),
    Phase("deep-dive", "Deep dive", 15),
    Phase("trade-offs", "Trade-offs", 5),
)
PHASE_IDS = tuple(p.id for p in PHASES)
DEEP_DIVE = "deep-dive"
DEFAULT_REVEAL_EVERY = 4.0  # minutes


class PracticeConfig(BaseModel):
    """The user's practice settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phases: dict[str, float] = Field(default_factory=dict)
    reveal_every: float = Field(DEFAULT_REVEAL_EVERY, ge=0, le=600)


def config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("sysdesign", appauthor=False) / "practice.yaml"


def load_config(path: Path | None = None) -> PracticeConfig:
    """The config file when it exists (raises InputError with located problems)."""
    path = path or config_path()
    if not path.is_file():
        return PracticeConfig()
    located = load_file(path, str(path))
    if located.data is None:
        return PracticeConfig()
    config = load_model(located, PracticeConfig, "practice config")
    problems = []
    for name, value in config.phases.items():
        at = ("phases", name)
        if name not in PHASE_IDS:
            known = ", ".join(PHASE_IDS)
            problems.append(located.diagnostic(at, f"unknown phase {name!r} ({known})", key=True))
        elif not 0 < value <= 600:
            problems.append(located.diagnostic(at, f"{name}: minutes must be above 0, at most 600"))
    if problems:
        raise InputError(problems)
    return config


def parse_overrides(items: list[str]) -> dict[str, float]:
    """`NAME=MINUTES` pairs from the command line (raises ValueError with one message)."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or name.strip() not in PHASE_IDS:
            raise ValueError(
                f"--phase {item!r}: expected NAME=MINUTES with NAME one of {', '.join(PHASE_IDS)}"
            )
        try:
            minutes = float(value)
        except ValueError:
            raise ValueError(f"--phase {item!r}: {value!r} is not a number of minutes") from None
        if not 0 < minutes <= 600:
            raise ValueError(f"--phase {item!r}: minutes must be above 0 and at most 600")
        out[name.strip()] = minutes
    return out


def plan(config: PracticeConfig, overrides: dict[str, float]) -> tuple[Phase, ...]:
    """The phases with their minutes: defaults < config file < command line."""
    minutes = {**config.phases, **overrides}
    return tuple(Phase(p.id, p.title, minutes.get(p.id, p.minutes)) for p in PHASES)
