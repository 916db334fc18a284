"""Honest grading: every stage reached is judged, evidence caps self answers, a near-empty
design stays at the bottom level, one rounding everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from test_rubric_helpers import (
    INPUT_FILTERS,
    REFERENCE_DESIGNS,
    ROOT,
    build,
    filter_beside,
    practice_data,
)
from typer.testing import CliRunner

from sysdesign.cli import app
from sysdesign.loader import load_design, parse_design
from sysdesign.rubric import AnswerEntry, load_rubric, rubric_for_design
from sysdesign.rubric.evaluate import evaluate
from sysdesign.rubric.rounding import fmt, score
from sysdesign.scaffold import scaffold_text
from sysdesign.shorthand import long_form_data

runner = CliRunner()
CRITICAL_SAFETY = {"llm-input-filtered", "tool-calls-screened"}


def all_yes(rubric) -> dict[str, AnswerEntry]:  # type: ignore[no-untyped-def]
    return {i.id: AnswerEntry(answer="yes") for i in rubric.items if i.kind != "auto"}  # type: ignore[arg-type]


def reference(design_id: str):  # type: ignore[no-untyped-def]
    return load_design(ROOT / "designs" / f"{design_id}.yaml")


@pytest.mark.parametrize("design_id", REFERENCE_DESIGNS)
def test_scaffold_with_every_answer_yes_is_at_the_bottom(design_id: str) -> None:
    ref = reference(design_id)
    mine = parse_design(scaffold_text("mine", ref), "mine.yaml")
    rubric = rubric_for_design(ref)
    evaluation = evaluate(mine, rubric, len(mine.stages))
    grade = evaluation.grade(all_yes(rubric))
    assert grade.level.id == rubric.levels[0].id, (grade.overall, grade.blockers)
    assert evaluation.floor is not None and grade.blockers[0].startswith("floor: ")
    capped = [o for s in grade.sections for o in s.outcomes if o.capped]
    assert capped and all(o.answered == "yes" and o.credit == 0 for o in capped)
    assert grade.overall < 20, grade.overall


@pytest.mark.parametrize("design_id", REFERENCE_DESIGNS)
def test_reference_with_every_answer_yes_is_at_the_top(design_id: str) -> None:
    ref = reference(design_id)
    rubric = rubric_for_design(ref)
    evaluation = evaluate(ref, rubric, len(ref.stages))
    grade = evaluation.grade(all_yes(rubric))
    assert grade.level.id == rubric.levels[-1].id, grade.blockers
    assert evaluation.floor is None and not evaluation.caps
    assert all(row.evolved is not False and not row.demanded for row in evaluation.rows)


@pytest.mark.parametrize("design_id", REFERENCE_DESIGNS)
def test_input_filter_beside_the_model_fails_at_every_stage(design_id: str) -> None:
    data = long_form_data((ROOT / "designs" / f"{design_id}.yaml").read_text(encoding="utf-8"))
    moved = build(filter_beside(data, INPUT_FILTERS[design_id]), f"{design_id}.yaml")
    rubric = rubric_for_design(moved)
    for stage in range(len(moved.stages) + 1):
        grade = evaluate(moved, rubric, stage).grade(all_yes(rubric))
        failed = {o.item.id for s in grade.sections for o in s.outcomes if o.status == "fail"}
        assert failed & CRITICAL_SAFETY, (stage, failed)
        assert grade.level.id != rubric.levels[-1].id
        assert any("critical item" in b for b in grade.blockers)


def test_cli_grades_the_moved_filter_at_stage_0_and_the_default(project: Path) -> None:
    data = long_form_data((project / "designs" / "qortex.yaml").read_text(encoding="utf-8"))
    moved = filter_beside(data, INPUT_FILTERS["qortex"])
    moved["id"] = "moved"
    (project / "attempts").mkdir()
    (project / "attempts" / "moved.yaml").write_text(yaml.safe_dump(moved), encoding="utf-8")
    env = {"SYSDESIGN_ROOT": str(project), "SYSDESIGN_WORKSPACE": str(project / "attempts")}
    for extra in (["--stage", "0"], []):
        result = runner.invoke(
            app, ["grade", "moved", "--no-record", "--no-ask", "-f", "json", *extra], env=env
        )
        assert result.exit_code == 0, result.output
        data_out = yaml.safe_load(result.output)
        safety = next(s for s in data_out["sections"] if s["id"] == "safety")
        item = next(i for i in safety["items"] if i["id"] == "llm-input-filtered")
        assert item["status"] == "fail" and any("SD201" in e for e in item["evidence"])
        assert len(data_out["per_stage"]) == (1 if extra else 6)


# --- per-stage grading on a small design -----------------------------------------------------


def _general():  # type: ignore[no-untyped-def]
    return load_rubric("general", ROOT / "rubrics")


def test_a_later_stage_does_not_hide_a_failure_at_the_base() -> None:
    d = practice_data()
    # the guard beside the model at the base; stage 1 takes the model off the path
    d = filter_beside(d, "guard")
    d["stages"][0]["remove"] = {"components": ["model"]}
    design = build(d)
    rubric = _general()
    at_base = evaluate(design, rubric, 0).checks["llm-input-filtered"]
    assert not at_base.passed
    later = evaluate(design, rubric, 1)
    assert not later.checks["llm-input-filtered"].passed
    assert later.checks["llm-input-filtered"].evidence[0].startswith("at stage 0: SD201")
    assert "llm-input-filtered" in later.rows[0].failed
    assert "llm-input-filtered" not in later.rows[1].failed


def test_stage_items_need_a_change_and_the_stage_demands_met() -> None:
    rubric = _general()
    untouched = practice_data()
    del untouched["stages"][0]["change"]
    evaluation = evaluate(build(untouched), rubric, 1)
    assert evaluation.rows[1].evolved is False
    check = evaluation.checks["stages-applied"]
    assert not check.passed and "nothing added, removed or changed" in check.evidence[0]
    demanding = practice_data()
    demanding["stages"][0]["requires"] = {"layers": ["human_review"]}
    evaluation = evaluate(build(demanding), rubric, 1)
    assert evaluation.rows[1].evolved is True
    assert evaluation.rows[1].demanded and evaluation.rows[1].demanded[0].startswith("SD101")
    check = evaluation.checks["stages-applied"]
    assert not check.passed and "left open: SD101" in check.evidence[0]
    met = evaluate(build(practice_data()), rubric, 1)
    assert met.checks["stages-applied"].passed and met.rows[1].demanded == ()
    assert not evaluate(build(practice_data()), rubric, 0).checks["stages-applied"].passed


# --- evidence caps --------------------------------------------------------------------------


def test_a_yes_is_capped_by_what_the_design_shows() -> None:
    rubric = _general()
    d = practice_data()
    d["accepted"] = []
    d["stages"][0]["discussion"] = []
    d["scale"]["estimates"][0]["derivation"] = ""
    d["scale"]["estimates"].append(
        {"name": "storage", "value": 2, "unit": "TB", "derivation": "1M docs x 2 MB"}
    )
    d["groups"] = []
    designs_gw = next(c for c in d["components"] if c["id"] == "gw")
    designs_gw.pop("group")
    evaluation = evaluate(build(d), rubric, 1)
    grade = evaluation.grade(all_yes(rubric))
    tradeoffs = grade.outcome("trade-offs-discussed")
    assert (tradeoffs.answered, tradeoffs.status, tradeoffs.credit) == ("yes", "no", 0.0)
    assert "shows none of it" in (tradeoffs.capped or "")
    assert grade.outcome("stage-discussion").status == "no"
    assert grade.outcome("diagram-grouped").capped
    derived = grade.outcome("derived-aloud")  # 1 of 2 estimates derived: at most partly
    assert (derived.answered, derived.status, derived.credit) == ("yes", "partly", 0.5)
    assert "1 with a derivation" in (derived.capped or "")
    assert grade.outcome("ten-x").status == "yes" and grade.outcome("ten-x").capped is None
    # items capped at "no" are not asked; unanswered they fail with the reason
    asked = {i.id for i in evaluation.to_ask()}
    assert "trade-offs-discussed" not in asked and "derived-aloud" in asked
    unanswered = evaluation.grade({}).outcome("trade-offs-discussed")
    assert unanswered.status == "fail" and "shows none of it" in unanswered.evidence[-1]


def test_partial_discussion_caps_at_partly() -> None:
    d = practice_data()
    d["accepted"] = []
    d["stages"].append(
        {"id": "s2", "title": "Two", "constraint": "More.", "change": [{"id": "gw", "replicas": 4}]}
    )
    rubric = _general()
    grade = evaluate(build(d), rubric, 2).grade(all_yes(rubric))
    assert grade.outcome("trade-offs-discussed").status == "partly"
    assert grade.outcome("stage-discussion").status == "partly"


def test_near_empty_design_is_floored_whatever_the_answers() -> None:
    d = practice_data()
    keep = {"users", "gw"}
    d["components"] = [c for c in d["components"] if c["id"] in keep]
    d["flows"] = [f for f in d["flows"] if f["from"] in keep and f["to"] in keep]
    d["stages"], d["accepted"] = [], []
    rubric = _general()
    evaluation = evaluate(build(d), rubric, 0)
    assert evaluation.floor and "draws 1 component besides its clients" in evaluation.floor
    grade = evaluation.grade(all_yes(rubric))
    assert grade.level.id == "below-mid" and grade.floor == evaluation.floor
    assert evaluation.to_ask() == []


# --- one rounding ---------------------------------------------------------------------------


def test_one_rounding_half_up() -> None:
    assert score(58.85) == 58.9 and score(58.849) == 58.8 and score(100) == 100.0
    assert fmt(58.85) == "58.9" and fmt(7) == "7.0"


def test_grade_and_progress_print_the_same_score(project: Path, tmp_path: Path) -> None:
    env = {
        "SYSDESIGN_ROOT": str(project),
        "SYSDESIGN_WORKSPACE": str(tmp_path / "ws"),
        "SYSDESIGN_HISTORY": str(tmp_path / "h.sqlite3"),
    }
    graded = runner.invoke(app, ["grade", "qortex", "--no-ask"], env=env)
    assert graded.exit_code == 0, graded.output
    overall = re.search(r"Overall (\d+\.\d): ", graded.output)
    assert overall
    table = runner.invoke(app, ["progress", "--no-chart"], env=env)
    assert table.exit_code == 0, table.output
    assert f" {overall.group(1)} " in table.output
    as_json = runner.invoke(app, ["grade", "qortex", "--no-ask", "-f", "json"], env=env)
    assert f"{yaml.safe_load(as_json.output)['overall']:.1f}" == overall.group(1)


def test_study_hints_are_self_contained() -> None:
    """No study hint points at a file the user does not have (DRILLS.md and the like)."""
    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "study:" in line:
                assert not re.search(r"\b[\w./-]+\.(md|txt|pdf|docx?)\b", line), f"{path}:{n}"
                assert "DRILLS" not in line, f"{path}:{n}"
