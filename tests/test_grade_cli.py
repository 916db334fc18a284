"""`sysdesign grade`: answers from a file or the terminal, scores, the level, the history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from test_rubric_helpers import (
    REFERENCE_DESIGNS,
    ROOT,
    practice_data,
    project,
    without_safety_filters,
    write_design,
)
from typer.testing import CliRunner

from sysdesign.cli import app
from sysdesign.rubric import load_rubric
from sysdesign.rubric.history import History
from sysdesign.shorthand import long_form_data

runner = CliRunner()


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SYSDESIGN_ROOT", str(project(tmp_path)))
    monkeypatch.setenv("SYSDESIGN_HISTORY", str(tmp_path / "history.sqlite3"))
    monkeypatch.setenv("SYSDESIGN_WORKSPACE", str(tmp_path / "attempts"))  # answers written here
    return tmp_path


def all_answers(rubric_id: str, answer: str = "yes", **overrides: str) -> str:
    rubric = load_rubric(rubric_id, ROOT / "rubrics")
    answers = {
        i.id: {"answer": overrides.get(i.id, answer)} for i in rubric.items if i.kind != "auto"
    }
    return yaml.safe_dump({"rubric": rubric_id, "minutes": 44, "answers": answers})


def grade_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["grade", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_strong_attempt_reaches_staff_and_is_recorded(root: Path) -> None:
    design = write_design(root, practice_data())
    answers = root / "answers.yaml"
    answers.write_text(all_answers("general"), encoding="utf-8")
    data = grade_json(str(design), "--answers", str(answers))
    assert data["level"] == "staff" and data["overall"] == 100.0
    assert data["stage"] == 1 and data["minutes"] == 44 and data["attempt"] == 1
    (attempt,) = History(root / "history.sqlite3").attempts()
    assert attempt.drill == "practice" and attempt.rubric == "general"
    assert attempt.stage == 1 and attempt.stages == 1 and attempt.minutes == 44
    assert attempt.level == "staff" and set(attempt.sections) >= {"safety", "trade-offs"}
    assert attempt.answers["ten-x"] == {"answer": "yes", "note": None}


def test_minutes_option_wins_and_stage_option(root: Path) -> None:
    design = write_design(root, practice_data())
    answers = root / "answers.yaml"
    answers.write_text(all_answers("general"), encoding="utf-8")
    data = grade_json(str(design), "-a", str(answers), "--minutes", "38", "--stage", "0")
    assert data["minutes"] == 38 and data["stage"] == 0
    stages = next(s for s in data["sections"] if s["id"] == "deep-dives")
    assert {i["id"]: i["status"] for i in stages["items"]}["stages-applied"] == "fail"
    result = runner.invoke(app, ["grade", str(design), "--stage", "9", "--no-ask"])
    assert result.exit_code == 2 and "there is no stage 9" in result.output


def test_weak_answers_give_study_items(root: Path) -> None:
    design = write_design(root, practice_data())
    answers = root / "answers.yaml"
    answers.write_text(all_answers("general", "no", **{"ten-x": "partly"}), encoding="utf-8")
    result = runner.invoke(app, ["grade", str(design), "-a", str(answers)])
    assert result.exit_code == 0, result.output
    assert "Study next:" in result.output
    assert "1. Went deep on one component unprompted" in result.output
    assert "study: Pick the riskiest component" in result.output
    assert "Recorded attempt 1" in result.output


def test_terminal_answers(root: Path) -> None:
    design = write_design(root, practice_data())
    rubric = load_rubric("general", root / "rubrics")
    asked = [i for i in rubric.items if i.kind == "self"]
    typed = "maybe\ny\nfirst answer note\n" + "p\n\n" * (len(asked) - 1)
    result = runner.invoke(app, ["grade", str(design), "--ask", "--notes"], input=typed)
    assert result.exit_code == 0, result.output
    assert "answer y (yes), p (partly) or n (no)" in result.output
    (attempt,) = History(root / "history.sqlite3").attempts()
    written = (root / "attempts" / "answers" / "practice.yaml").read_text(encoding="utf-8")
    assert "first answer note" in written  # typed answers are written back
    first = asked[0].id
    assert attempt.answers[first] == {"answer": "yes", "note": "first answer note"}
    assert attempt.answers[asked[1].id] == {"answer": "partly", "note": None}


def test_answers_file_fills_in_and_terminal_asks_the_rest(root: Path) -> None:
    design = write_design(root, practice_data())
    answers = root / "answers.yaml"
    answers.write_text("answers:\n  ten-x: {answer: yes}\n  consistency:\n    answer:\n")
    rubric = load_rubric("general", root / "rubrics")
    remaining = len([i for i in rubric.items if i.kind == "self"]) - 1
    result = runner.invoke(
        app,
        ["grade", str(design), "-a", str(answers), "--ask", "--no-record"],
        input="n\n\n" * remaining,
    )
    assert result.exit_code == 0, result.output
    assert f"{remaining} items to judge yourself" in result.output


def test_bad_answers_file_is_located(root: Path) -> None:
    design = write_design(root, practice_data())
    answers = root / "answers.yaml"
    answers.write_text("answers:\n  ten-x: {answer: sort of}\n", encoding="utf-8")
    result = runner.invoke(app, ["grade", str(design), "-a", str(answers)])
    assert result.exit_code == 2
    assert "answers.yaml:2:19: error: unknown answer 'sort of'" in result.output
    assert "Traceback" not in result.output
    assert not (root / "history.sqlite3").exists()


def test_corrupt_history_fails_before_asking(root: Path) -> None:
    design = write_design(root, practice_data())
    history = root / "history.sqlite3"
    history.write_bytes(b"\x00garbage" * 512)
    result = runner.invoke(app, ["grade", str(design), "--ask"], input="y\n\n" * 40)
    assert result.exit_code == 2
    assert result.output.startswith("error: history ") and "is damaged" in result.output
    assert "judge yourself" not in result.output  # nothing was asked
    assert "Traceback" not in result.output
    assert history.read_bytes() == b"\x00garbage" * 512


def test_unknown_design_rubric_is_one_line(root: Path) -> None:
    d = practice_data()
    d["rubric"] = "qortx"
    result = runner.invoke(app, ["grade", str(write_design(root, d)), "--no-ask"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: no rubric 'qortx' in " + str(root / "rubrics") + "; did you mean 'qortex'?"
    )


def test_broken_rubric_is_located(root: Path) -> None:
    (root / "rubrics" / "general.yaml").write_text("id: general\ntitle: G\nlevls: []\n")
    result = runner.invoke(app, ["grade", str(write_design(root, practice_data())), "--no-ask"])
    assert result.exit_code == 2
    assert "general.yaml:3:1: error: unknown field 'levls'; did you mean 'levels'?" in result.output


# --- the bundled reference designs (written by the drills' authors) ------------------------------


def _reference(design_id: str) -> Path:
    path = ROOT / "designs" / f"{design_id}.yaml"
    if not path.exists():
        pytest.skip(f"reference design {design_id} not written yet")
    return path


@pytest.mark.parametrize("design_id", REFERENCE_DESIGNS)
def test_reference_design_all_yes_is_top_level(root: Path, design_id: str) -> None:
    path = _reference(design_id)
    answers = root / "answers.yaml"
    answers.write_text(all_answers(design_id), encoding="utf-8")
    data = grade_json(str(path), "-a", str(answers), "--no-record")
    failed = [
        (i["id"], i["evidence"])
        for s in data["sections"]
        for i in s["items"]
        if i["status"] == "fail"
    ]
    assert data["rubric"] == design_id
    assert data["level"] == "staff", (data["overall"], data["blockers"], failed)


@pytest.mark.parametrize("design_id", REFERENCE_DESIGNS)
def test_removing_the_safety_filter_loses_the_safety_items(root: Path, design_id: str) -> None:
    path = _reference(design_id)
    original = long_form_data(path.read_text(encoding="utf-8"))
    if not any(c.get("kind") == "safety_filter" for c in original["components"]):
        pytest.skip(f"{design_id} has no safety filter in its base design")
    broken = without_safety_filters(original)
    copy = write_design(root / "designs", broken)
    answers = root / "answers.yaml"
    answers.write_text(all_answers(design_id), encoding="utf-8")
    good = grade_json(str(path), "-a", str(answers), "--no-record")
    bad = grade_json(str(copy), "-a", str(answers), "--no-record")
    safety = next(s for s in bad["sections"] if s["id"] == "safety")
    failed = {i["id"]: i["evidence"] for i in safety["items"] if i["status"] == "fail"}
    assert "llm-input-filtered" in failed or "retrieved-screened" in failed, safety
    assert bad["level"] != "staff"
    reasons = " ".join(line for lines in failed.values() for line in lines)
    assert any(code in reasons for code in ("SD103", "SD112", "SD201", "SD203"))
    assert bad["overall"] < good["overall"]
    result = runner.invoke(app, ["grade", str(copy), "-a", str(answers), "--no-record"])
    assert "Failed in the design:" in result.output
    assert any(code in result.output for code in ("SD103", "SD112", "SD201", "SD203"))


def test_practice_design_without_its_safety_filter(root: Path) -> None:
    answers = root / "answers.yaml"
    answers.write_text(all_answers("general"), encoding="utf-8")
    good = grade_json(str(write_design(root, practice_data())), "-a", str(answers))
    broken = without_safety_filters(practice_data())
    broken["id"] = "practice-unsafe"
    bad = grade_json(str(write_design(root, broken)), "-a", str(answers))
    safety = next(s for s in bad["sections"] if s["id"] == "safety")
    failed = {i["id"]: i["evidence"] for i in safety["items"] if i["status"] == "fail"}
    assert "llm-input-filtered" in failed
    assert any("SD103 " in line for line in failed["llm-input-filtered"])
    assert bad["overall"] < good["overall"]
    assert bad["level"] == "mid"  # a missed critical item caps the level below senior
    assert any("needs every critical item" in b for b in bad["blockers"])
    assert bad["weakest"][0]["id"] == "llm-input-filtered"
    assert any(" SD" in line for line in bad["weakest"][0]["evidence"])
