"""Rubric files: the bundled rubrics load, and every mistake is a located, helpful error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from test_rubric_helpers import REFERENCE_DESIGNS, RUBRICS
from typer.testing import CliRunner

from sysdesign.checks import REGISTRY
from sysdesign.cli import app
from sysdesign.diagnostics import InputError
from sysdesign.rubric import answers_template, available_rubrics, load_rubric
from sysdesign.rubric.loader import RubricNotFound, answers_from_located, rubric_id_for
from sysdesign.rubric.questions import QUESTIONS
from sysdesign.yamlsource import parse_text

GENERAL_SECTIONS = [
    "requirements",
    "estimates",
    "high-level",
    "deep-dives",
    "scaling",
    "reliability",
    "safety",
    "trade-offs",
    "communication",
]


def test_bundled_rubrics_load() -> None:
    assert set(available_rubrics(RUBRICS)) == {"general", *REFERENCE_DESIGNS}
    general = load_rubric("general", RUBRICS)
    assert [s.id for s in general.sections] == GENERAL_SECTIONS
    assert [lv.id for lv in general.levels] == ["below-mid", "mid", "senior", "staff"]
    kinds = {i.kind for i in general.items}
    assert {"auto", "self", "auto-or-self"} <= kinds
    for drill in REFERENCE_DESIGNS:
        rubric = load_rubric(drill, RUBRICS)
        assert rubric.chain == (drill, "general")
        own = [i for i in rubric.items if i.source == drill]
        assert len(own) >= 5, drill
        assert len(rubric.items) == len(general.items) + len(own)
        assert [s.id for s in rubric.sections] == GENERAL_SECTIONS  # drill items join sections


def test_every_bound_code_and_question_exists() -> None:
    for rid in available_rubrics(RUBRICS):
        for item in load_rubric(rid, RUBRICS).items:
            if item.auto is None:
                continue
            for code in item.auto.codes:
                assert code in REGISTRY, (rid, item.id, code)
            if item.auto.question:
                assert item.auto.question in QUESTIONS


def test_examples_from_the_issue_are_bound() -> None:
    general = load_rubric("general", RUBRICS)
    assert "SD201" in general.item("llm-input-filtered").auto.codes
    assert general.item("no-spof").auto.codes == ["SD303"]
    assert "SD401" in general.item("capacity-at-peak").auto.codes
    assert general.item("ten-x").kind == "self"
    assert general.item("trade-offs-discussed").auto.question == "accepted-tradeoffs-written"


def _rubrics(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "rubrics"
    folder.mkdir(exist_ok=True)
    shutil.copy(RUBRICS / "general.yaml", folder / "general.yaml")
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


ITEM = """
      - id: {id}
        text: Something judged.
        {extra}
        levels: {{mid: m, senior: s, staff: st}}
        study: Study it.
"""


def _drill(items: str, head: str = "id: drill\ntitle: Drill\nextends: general\n") -> str:
    return head + "sections:\n  - id: safety\n    items:" + items


def _errors(folder: Path, rubric_id: str = "drill") -> list[str]:
    with pytest.raises(InputError) as info:
        load_rubric(rubric_id, folder)
    return [d.format() for d in info.value.diagnostics]


def test_unknown_field_is_located_with_a_suggestion(tmp_path: Path) -> None:
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="x", extra="wieght: 2")))
    errors = _errors(folder)
    assert len(errors) == 1
    assert errors[0].endswith("error: unknown field 'wieght'; did you mean 'weight'?")
    assert ":9:9:" in errors[0]  # line of the key, column of the key


def test_wrong_types_and_ranges(tmp_path: Path) -> None:
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="x", extra="weight: heavy")))
    assert "weight" in _errors(folder)[0]
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="Bad Id", extra="weight: 1")))
    assert "is not a slug" in _errors(folder)[0]


def test_unknown_question_and_arguments(tmp_path: Path) -> None:
    extra = "auto: {question: has-layer, args: {layers: [cache]}}"
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="x", extra=extra)))
    (error,) = _errors(folder)
    assert "unknown graph question 'has-layer'; did you mean 'has-layers'?" in error
    assert "drill.yaml:9:26:" in error
    extra = "auto: {question: has-layers, args: {layer: [cache]}}"
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="x", extra=extra)))
    errors = _errors(folder)
    assert any("has no argument 'layer'" in e for e in errors)
    assert any("needs argument 'layers'" in e for e in errors)
    extra = "auto: {question: has-layers, args: {layers: [cach]}}"
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="x", extra=extra)))
    assert "unknown kind 'cach'; did you mean 'cache'?" in _errors(folder)[0]


def test_unknown_rule_code_and_empty_binding(tmp_path: Path) -> None:
    extra = "auto: {codes: [SD999]}"
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="x", extra=extra)))
    assert "no checker rule 'SD999'" in _errors(folder)[0]
    extra = "auto: {codes: [bad]}"
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="x", extra=extra)))
    assert "is not a rule code like SD101" in _errors(folder)[0]
    extra = "auto: {fallback: self}"
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="x", extra=extra)))
    assert "needs 'codes', a 'question' or both" in _errors(folder)[0]


def test_duplicate_item_across_extends(tmp_path: Path) -> None:
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="no-spof", extra="weight: 1")))
    (error,) = _errors(folder)
    assert "duplicate item id 'no-spof' (already in rubric 'general')" in error
    assert error.startswith(str(folder / "drill.yaml").replace(str(Path.cwd()) + "/", ""))


def test_new_section_needs_a_title(tmp_path: Path) -> None:
    text = "id: drill\ntitle: Drill\nextends: general\nsections:\n  - id: safty\n    items:" + (
        ITEM.format(id="x", extra="weight: 1")
    )
    (error,) = _errors(_rubrics(tmp_path, drill=text))
    assert "new section 'safty' needs a 'title'; did you mean 'safety'?" in error
    assert ":5:9:" in error


def test_extends_problems(tmp_path: Path) -> None:
    head = "id: drill\ntitle: Drill\nextends: generl\n"
    folder = _rubrics(tmp_path, drill=_drill(ITEM.format(id="x", extra=""), head))
    (error,) = _errors(folder)
    assert "no rubric 'generl'" in error and "did you mean 'general'?" in error
    assert ":3:10:" in error
    cycle_a = "id: a\ntitle: A\nextends: b\nsections: []\n"
    cycle_b = "id: b\ntitle: B\nextends: a\nsections: []\n"
    folder = _rubrics(tmp_path, a=cycle_a, b=cycle_b)
    (error,) = _errors(folder, "a")
    assert "goes round in a circle: a -> b -> a" in error


def test_root_rubric_rules(tmp_path: Path) -> None:
    text = "id: other\ntitle: T\nsections:\n  - id: s\n    title: S\n    items:" + ITEM.format(
        id="x", extra=""
    )
    errors = _errors(_rubrics(tmp_path, solo=text), "solo")
    assert any("rubric id 'other' must match its file name 'solo'" in e for e in errors)
    assert any("a rubric that extends nothing needs 'levels'" in e for e in errors)
    levels = "levels:\n  - {id: a, label: A, min_score: 50}\n  - {id: b, label: B, min_score: 10}\n"
    text = "id: solo\ntitle: T\n" + levels + "sections: []\n"
    assert "lowest to highest" in _errors(_rubrics(tmp_path, solo=text), "solo")[0]


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    folder = _rubrics(tmp_path, drill="id: drill\ntitle: [unclosed\n")
    (error,) = _errors(folder)
    assert "YAML syntax" in error and "drill.yaml:" in error


def test_missing_rubric_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(RubricNotFound, match=r"no rubric 'qortx'.*did you mean 'qortex'"):
        load_rubric("qortx", RUBRICS)


def test_rubric_selection(tmp_path: Path) -> None:
    from test_rubric_helpers import build, practice_data

    d = practice_data()
    assert rubric_id_for(build(d), RUBRICS) == "general"
    d["id"] = "qortex"
    assert rubric_id_for(build(d), RUBRICS) == "qortex"
    d["drill"] = "mcp-gateway"
    assert rubric_id_for(build(d), RUBRICS) == "mcp-gateway"
    d["rubric"] = "distributed-search"
    assert rubric_id_for(build(d), RUBRICS) == "distributed-search"


# --- answers files ------------------------------------------------------------------------------


def _answers(text: str, rubric_id: str = "general"):  # type: ignore[no-untyped-def]
    return answers_from_located(parse_text(text, "answers.yaml"), load_rubric(rubric_id, RUBRICS))


def test_answers_file_loads() -> None:
    answers = _answers(
        "rubric: general\nminutes: 42\nanswers:\n  ten-x: {answer: yes, note: shards}\n"
        "  consistency:\n    answer: partly\n  alternatives: {answer: no}\n"
    )
    assert answers.minutes == 42
    assert answers.answers["ten-x"].answer == "yes"  # YAML 1.2: `yes` is a string
    assert answers.answers["ten-x"].note == "shards"
    assert answers.answers["consistency"].answer == "partly"


def _answer_errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        _answers(text)
    return [d.format() for d in info.value.diagnostics]


def test_answers_file_shape_errors() -> None:
    errors = _answer_errors(
        "answers:\n  consistency: {answer: maybe}\n  alternatives: {answr: no}\n"
        "  ten-x: {answer: true}\n"
    )
    assert errors[0] == (
        "answers.yaml:2:25: error: unknown answer 'maybe'; expected one of: yes, partly, no"
    )
    assert errors[1] == "answers.yaml:3:18: error: unknown field 'answr'; did you mean 'answer'?"
    assert errors[2].startswith("answers.yaml:4:19: error:")
    assert _answer_errors("- yes\n") == [
        "answers.yaml:1:1: error: expected a self-grading answers mapping, found list"
    ]


def test_answers_file_item_errors() -> None:
    errors = _answer_errors(
        "rubric: qortex\nanswers:\n  ten-y: {answer: yes}\n  no-spof: {answer: yes}\n"
    )
    assert errors == [
        "answers.yaml:1:9: error: these answers are for rubric 'qortex', not 'general'",
        "answers.yaml:3:3: error: no item 'ten-y' in rubric 'general'; did you mean 'ten-x'?",
        "answers.yaml:4:3: error: 'no-spof' is judged from the design, not answered",
    ]


def test_answers_template_round_trips() -> None:
    for rid in available_rubrics(RUBRICS):
        rubric = load_rubric(rid, RUBRICS)
        text = answers_template(rubric)
        answers = answers_from_located(parse_text(text, "t.yaml"), rubric)
        askable = [i.id for i in rubric.items if i.kind != "auto"]
        assert list(answers.answers) == askable
        assert all(a.answer is None for a in answers.answers.values())
        assert yaml.safe_load(text)["rubric"] == rid


# --- the `rubric` command -----------------------------------------------------------------------


def test_rubric_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYSDESIGN_ROOT", str(tmp_path))
    _rubrics(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["rubric"])
    assert result.exit_code == 0 and "general" in result.output
    result = runner.invoke(app, ["rubric", "general", "--answers-template"])
    assert result.exit_code == 0 and result.output.startswith("# Self-grading answers")
    result = runner.invoke(app, ["rubric", "genral"])
    assert result.exit_code == 2 and "did you mean 'general'?" in result.output
    (tmp_path / "rubrics" / "broken.yaml").write_text("id: broken\ntitel: x\n", encoding="utf-8")
    result = runner.invoke(app, ["rubric"])
    assert result.exit_code == 2
    assert "broken.yaml:2:1: error: unknown field 'titel'; did you mean 'title'?" in result.output
    assert "Traceback" not in result.output
