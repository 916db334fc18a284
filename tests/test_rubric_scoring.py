"""Scoring arithmetic, auto items judged from hand-built reports, and graph questions."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rubric_helpers import RUBRICS, build, finding, practice_data, report

from sysdesign.graph import build_graph
from sysdesign.rubric import (
    AnswerEntry,
    check_items,
    items_to_ask,
    load_rubric,
    outcomes,
    score,
)
from sysdesign.rubric.questions import QUESTIONS, ask
from sysdesign.rubric.scoring import Outcome

SMALL = """
id: small
title: Small
levels:
  - {id: below-mid, label: Below mid, min_score: 0}
  - {id: mid, label: Mid, min_score: 50}
  - {id: senior, label: Senior, min_score: 70, min_section: 40}
  - {id: staff, label: Staff, min_score: 85, min_section: 60, critical_items: true}
sections:
  - id: a
    title: Section A
    weight: 3
    items:
      - {id: a1, text: A one, weight: 3, auto: {codes: [SD201, SD202]},
         levels: {mid: m1, senior: s1, staff: t1}, study: study a1}
      - {id: a2, text: A two, weight: 1,
         levels: {mid: m2, senior: s2, staff: t2}, study: study a2}
  - id: b
    title: Section B
    weight: 1
    items:
      - {id: b1, text: B one, weight: 1, critical: true,
         levels: {mid: m3, senior: s3, staff: t3}, study: study b1}
      - {id: b2, text: B two, weight: 1, auto: {question: estimates-written, fallback: self},
         levels: {mid: m4, senior: s4, staff: t4}, study: study b2}
"""


@pytest.fixture
def small(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    return load_rubric("small", tmp_path)


def _grade(rubric, rep, answers, design_data=None):  # type: ignore[no-untyped-def]
    design = build(design_data or practice_data())
    graph = build_graph(design, 0)
    checks = check_items(rubric, rep, graph)
    return score(rubric, outcomes(rubric, checks, answers)), checks


def yes(**kw: str) -> dict[str, AnswerEntry]:
    return {k: AnswerEntry(answer=v) for k, v in kw.items()}  # type: ignore[arg-type]


def test_all_pass_is_full_marks(small) -> None:  # type: ignore[no-untyped-def]
    grade, _ = _grade(small, report(), yes(a2="yes", b1="yes"))
    assert grade.overall == pytest.approx(100.0)
    assert [s.score for s in grade.sections] == [100.0, 100.0]
    assert grade.level.id == "staff" and grade.next_level is None
    assert grade.weakest == () and grade.unanswered == ()


def test_arithmetic(small) -> None:  # type: ignore[no-untyped-def]
    rep = report(finding("SD201", "error", None, "orchestrator"))
    grade, _ = _grade(small, rep, yes(a2="partly", b1="no"))
    # Section A: a1 fails (weight 3 of 4), a2 partly: 100 x 0.5 / 4 = 12.5
    assert grade.section("a").score == pytest.approx(12.5)
    # Section B: b1 no, b2 passes (the practice design writes estimates): 50
    assert grade.section("b").score == pytest.approx(50.0)
    # Overall: (12.5 x 3 + 50 x 1) / 4 = 21.875, rounded once, half up: 21.9
    assert grade.overall == 21.9
    assert grade.level.id == "below-mid"
    assert grade.blockers == ("Mid needs 50 overall; scored 21.9",)
    # Lost points: a1 = 100 x 3/4 x 3/4 = 56.25; b1 = 100 x 1/4 x 1/2 = 12.5;
    # a2 = 100 x 3/4 x 1/4 x 0.5 = 9.375
    lost = [(w.outcome.item.id, round(w.lost, 4)) for w in grade.weakest]
    assert lost == [("a1", 56.25), ("b1", 12.5), ("a2", 9.375)]
    assert grade.weakest[0].target_level == "mid" and grade.weakest[0].target == "m1"
    assert grade.weakest[0].outcome.evidence == (
        "SD201 title of SD201: message of SD201 [orchestrator]",
    )
    total_lost = sum(w.lost for w in grade.weakest)
    assert 100 - total_lost == pytest.approx(grade.overall, abs=0.05)


def test_level_needs_every_section(small) -> None:  # type: ignore[no-untyped-def]
    # A = 100, B = 50: overall 87.5 is over staff's 85, but B is under staff's 60 per section
    grade, _ = _grade(small, report(), yes(a2="yes", b1="no"))
    assert grade.overall == pytest.approx(87.5)
    assert grade.level.id == "senior"
    assert grade.blockers == (
        "Staff needs every section at 60 or more; Section B scored 50.0",
        "Staff needs every critical item; 'B one' is no",
    )
    assert grade.weakest[0].target_level == "staff" and grade.weakest[0].target == "t3"


def test_critical_item_caps_the_level(small) -> None:  # type: ignore[no-untyped-def]
    results = {i.id: Outcome(i, "yes", 1.0) for i in small.items}
    results["b1"] = Outcome(small.item("b1"), "partly", 0.5)  # B = 75, overall 93.75
    grade = score(small, results)
    assert grade.overall == 93.8  # 93.75 rounded half up
    assert grade.level.id == "senior"
    assert grade.blockers == ("Staff needs every critical item; 'B one' is partly",)


def test_thresholds_are_inclusive(small) -> None:  # type: ignore[no-untyped-def]
    results = {i.id: Outcome(i, "yes", 1.0) for i in small.items}
    a2 = small.item("a2")
    results["a2"] = Outcome(a2, "no", 0.0)  # A = 75, B = 100: overall (225 + 100) / 4 = 81.25
    grade = score(small, results)
    assert grade.overall == 81.3 and grade.level.id == "senior"
    results["a2"] = Outcome(a2, "partly", 0.5)  # A = 87.5: overall 90.625
    assert score(small, results).level.id == "staff"


def test_unanswered_scores_zero_and_is_reported(small) -> None:  # type: ignore[no-untyped-def]
    grade, _ = _grade(small, report(), {"a2": AnswerEntry(answer=None, note="later")})
    assert grade.unanswered == ("a2", "b1")
    assert grade.outcome("a2").status == "unanswered" and grade.outcome("a2").credit == 0


@pytest.mark.parametrize(
    ("severity", "accepted", "passes", "evidence"),
    [
        ("error", None, False, "SD202 title of SD202: message of SD202"),
        ("warning", None, False, "SD202 title of SD202: message of SD202"),
        ("info", None, True, "SD202 (info): message of SD202"),
        (
            "error",
            "reviewed: output is a fixed template",
            True,
            "SD202 accepted: reviewed: output is a fixed template",
        ),
    ],
)
def test_auto_item_by_codes(small, severity, accepted, passes, evidence) -> None:  # type: ignore[no-untyped-def]
    _, checks = _grade(small, report(finding("SD202", severity, accepted)), {})
    assert checks["a1"].passed is passes
    assert checks["a1"].evidence == (evidence,)


def test_no_findings_evidence_and_unrelated_codes(small) -> None:  # type: ignore[no-untyped-def]
    _, checks = _grade(small, report(finding("SD303")), {})
    assert checks["a1"].passed and checks["a1"].evidence == ("no SD201, SD202 findings",)


def test_severity_override_is_noted(small) -> None:  # type: ignore[no-untyped-def]
    d = practice_data()
    d["checks"] = {"severity": {"SD201": "off"}}
    _, checks = _grade(small, report(), {}, d)
    assert "SD201 severity set to off by the design" in checks["a1"].evidence


def test_auto_or_self_is_asked_only_when_the_design_does_not_show_it(small) -> None:  # type: ignore[no-untyped-def]
    _, checks = _grade(small, report(), {})
    assert checks["b2"].passed
    assert [i.id for i in items_to_ask(small, checks)] == ["a2", "b1"]
    d = practice_data()
    d["scale"].pop("estimates")
    grade, checks = _grade(small, report(), yes(b2="partly"), d)
    assert not checks["b2"].passed
    assert [i.id for i in items_to_ask(small, checks)] == ["a2", "b1", "b2"]
    assert grade.outcome("b2").status == "partly"
    assert grade.outcome("b2").evidence == (
        "scale.estimates is empty: no back-of-envelope figures written",
    )


def test_accepted_tradeoffs_count_as_discussed() -> None:
    general = load_rubric("general", RUBRICS)
    d = practice_data()
    _, checks = _grade(general, report(), {}, d)
    assert checks["trade-offs-discussed"].passed
    assert "1 accepted with reasons: SD303 on model" in checks["trade-offs-discussed"].evidence
    d["accepted"] = []
    _, checks = _grade(general, report(), {}, d)
    assert not checks["trade-offs-discussed"].passed
    assert "trade-offs-discussed" in [i.id for i in items_to_ask(general, checks)]


def test_graph_questions() -> None:
    d = practice_data()
    graph = build_graph(build(d), 1)
    evolved = ask("has-stages-applied", graph, {})
    assert evolved.passed
    assert (
        evolved.evidence
        == "stage 1 (More traffic): changed for it, none of its demanded errors open"
    )
    assert ask("stage-discussion-written", graph, {}).passed
    assert ask("requirements-written", graph, {}).passed
    assert ask("groups-drawn", graph, {}).passed
    assert ask("has-layers", graph, {"layers": ["cache", "llm"]}).passed
    missing = ask("has-layers", graph, {"layers": ["cache", "vector_index", "sandbox"]})
    assert not missing.passed and missing.evidence == "no vector_index, sandbox in the design"
    assert ask("has-screens", graph, {"screens": ["input", "output"]}).passed
    assert not ask("has-screens", graph, {"screens": ["retrieved"]}).passed
    assert not ask("fan-out-at-least", graph, {"n": 2}).passed
    base = build_graph(build(d), 0)
    assert not ask("has-stages-applied", base, {}).passed
    assert not ask("stage-discussion-written", base, {}).passed
    d["flows"][3]["fan_out"] = 16
    fan = ask("fan-out-at-least", build_graph(build(d), 0), {"n": 2})
    assert fan.passed and fan.evidence == "app -> cache fans out x16"
    assert set(QUESTIONS) >= {
        "estimates-written",
        "accepted-tradeoffs-written",
        "has-stages-applied",
    }


def test_safety_items_fail_with_reasons() -> None:
    general = load_rubric("general", RUBRICS)
    rep = report(
        finding("SD103", "error", None),
        finding("SD201", "error", None, "app", "model"),
    )
    everything = {i.id: AnswerEntry(answer="yes") for i in general.items if i.kind != "auto"}  # type: ignore[arg-type]
    grade, _ = _grade(general, rep, everything)
    item = grade.outcome("llm-input-filtered")
    assert item.status == "fail"
    assert item.evidence[0].startswith("SD103 title of SD103")
    assert grade.section("safety").score < 100
    assert grade.weakest[0].outcome.item.id == "llm-input-filtered"
