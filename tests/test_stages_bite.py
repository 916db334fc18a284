"""Every stage of every reference drill bites: the reference with that stage's add, remove and
change stripped (the design ignores the interviewer's follow-up) gets an error at that stage it
did not have at the stage before. The references themselves check clean at every stage."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from designs import build
from sysdesign.checks import run_checks
from sysdesign.loader import load_design
from sysdesign.paths import reference_designs_dir

REFERENCES = sorted(reference_designs_dir().glob("*.yaml"))


def _stages() -> list[tuple[Path, int]]:
    out = []
    for path in REFERENCES:
        raw = yaml.safe_load(path.read_text())
        out += [(path, k) for k in range(1, len(raw["stages"]) + 1)]
    return out


def stripped(raw: dict[str, Any], stage: int) -> dict[str, Any]:
    """The design up to `stage`, with that stage's add, remove and change taken out (its
    constraint, scale, slo and requires kept: what the interviewer said)."""
    data = copy.deepcopy(raw)
    data["stages"] = data["stages"][:stage]
    for key in ("add", "remove", "change"):
        data["stages"][-1].pop(key, None)
    return data


def test_all_eighteen_stages_are_covered() -> None:
    assert len(_stages()) == 18


@pytest.mark.parametrize(("path", "stage"), _stages(), ids=[f"{p.stem}-{k}" for p, k in _stages()])
def test_ignoring_a_stage_gets_a_new_error(path: Path, stage: int) -> None:
    design = build(stripped(yaml.safe_load(path.read_text()), stage))
    before = {(f.code, f.message) for f in run_checks(design, stage - 1).errors}
    new = [f for f in run_checks(design, stage).errors if (f.code, f.message) not in before]
    assert new, f"{path.stem} stage {stage}: ignoring the stage gives no new error"


@pytest.mark.parametrize("path", REFERENCES, ids=[p.stem for p in REFERENCES])
def test_reference_checks_clean_at_every_stage(path: Path) -> None:
    design = load_design(path)
    for stage in range(len(design.stages) + 1):
        report = run_checks(design, stage)
        assert not report.errors and not report.warnings, (
            stage,
            [f.message for f in report.errors + report.warnings],
        )
