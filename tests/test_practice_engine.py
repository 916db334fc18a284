"""The practice session's logic on a manual clock: phases, reveals, keys, state, status."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from sysdesign.checks import run_checks
from sysdesign.diagnostics import InputError
from sysdesign.loader import load_design
from sysdesign.practice.attempt import state_path
from sysdesign.practice.clock import ManualClock, SpeedClock
from sysdesign.practice.engine import Session
from sysdesign.practice.phases import PHASES, load_config, parse_overrides, plan
from sysdesign.practice.reveal import hidden_parts, overlay
from sysdesign.practice.sidebyside import compare_estimates, verdict
from sysdesign.practice.state import SessionState, load_state, save_state
from sysdesign.practice.status import checked_design, is_expectation, recheck
from sysdesign.scaffold import blind_text

REF = load_design(ROOT / "designs" / "distributed-search.yaml")


def _session(tmp_path: Path, every: float = 4.0) -> tuple[Session, ManualClock, Path]:
    design_file = tmp_path / "mine.yaml"
    design_file.write_text(blind_text("mine", REF))
    phases = plan(load_config(tmp_path / "none.yaml"), {})
    state = SessionState("mine", REF.id, design_file.name, {p.id: p.minutes for p in phases}, every)
    clock = ManualClock()
    session = Session(state, phases, clock, hidden_parts(REF), design_file)
    session.start()
    return session, clock, design_file


def test_phases_end_on_the_clock_and_reveal_what_was_hidden(tmp_path: Path) -> None:
    session, clock, _ = _session(tmp_path)
    assert session.phase.id == "requirements" and not session.state.revealed
    clock.advance(5 * 60 - 1)
    session.tick()
    assert session.phase.id == "requirements"
    clock.advance(1)
    session.tick()
    assert session.phase.id == "estimates"
    assert session.state.revealed["requirements"] == hidden_parts(REF)["requirements"]
    assert "storage_bytes" not in session.state.revealed["scale"]  # the candidate estimates it
    assert session.state.spent["requirements"] == pytest.approx(300)


def test_stages_are_revealed_one_at_a_time_on_key_or_interval(tmp_path: Path) -> None:
    session, clock, _ = _session(tmp_path, every=4)
    session.key("r")
    assert session.state.stages_revealed == 0  # not before the deep dive
    for _ in range(3):
        session.key("n")
    assert session.phase.id == "deep-dive"
    assert session.state.stages_revealed == 1  # the interviewer opens with the first
    assert session.said[-1].text.startswith("Stage 1 revealed")
    assert REF.stages[0].constraint.split()[0] in session.said[-1].text
    session.key("r")
    assert session.state.stages_revealed == 2
    clock.advance(4 * 60)
    session.tick()
    assert session.state.stages_revealed == 3
    clock.advance(60)
    session.tick()
    assert session.state.stages_revealed == 3


def test_pause_stops_the_clock_and_keys(tmp_path: Path) -> None:
    session, clock, _ = _session(tmp_path)
    session.key("p")
    clock.advance(3600)
    session.tick()
    session.key("n")
    assert session.phase.id == "requirements" and session.phase_left() == 300
    session.key("p")
    session.key("n")
    assert session.phase.id == "estimates"


def test_quit_keeps_a_partial_session_with_its_time(tmp_path: Path) -> None:
    session, clock, design_file = _session(tmp_path)
    clock.advance(90)
    session.key("q")
    assert session.ended and not session.finished
    assert session.state.status == "partial"
    assert session.state.spent["requirements"] == pytest.approx(90)
    assert session.state.snapshots["requirements"] == design_file.read_text()


def test_the_whole_round_ends_by_itself(tmp_path: Path) -> None:
    session, clock, _ = _session(tmp_path)
    for _ in range(200):
        clock.advance(30)
        session.tick()
    assert session.finished and session.state.status == "finished"
    assert session.state.spent == {p.id: p.minutes * 60 for p in PHASES}  # never over
    from sysdesign.practice.report import phase_minutes

    save_state(state_path(session.design_file), session.state)
    again = load_state(state_path(session.design_file))
    assert list(phase_minutes(again)) == [p.id for p in PHASES]  # in the order they ran


def test_state_round_trips_and_resumes_where_it_was(tmp_path: Path) -> None:
    session, clock, design_file = _session(tmp_path)
    session.key("n")
    clock.advance(100)
    session.tick()
    path = state_path(design_file)
    save_state(path, session.state)
    again = load_state(path)
    assert again == session.state
    resumed = Session(again, session.phases, ManualClock(), hidden_parts(REF), design_file)
    assert resumed.phase.id == "estimates"
    assert resumed.phase_left() == pytest.approx(200)
    path.write_text("{not json")
    with pytest.raises(ValueError):
        load_state(path)


def test_status_shows_located_errors_and_never_raises(tmp_path: Path) -> None:
    design_file = tmp_path / "mine.yaml"
    design_file.write_text(blind_text("mine", REF) + "scale: [1, 2\n")
    status = recheck(design_file, "mine.yaml", {}, 0)
    assert not status.valid and status.problems[0].startswith("mine.yaml:")
    design_file.write_text(blind_text("mine", REF))
    status = recheck(design_file, "mine.yaml", {}, 0)
    assert not status.valid and not status.problems
    assert set(status.unwritten) == {"components", "scale", "slo"}
    design_file.unlink()
    assert not recheck(design_file, "mine.yaml", {}, 0).valid


def test_overlay_fills_only_what_the_user_did_not_write() -> None:
    hidden = hidden_parts(REF)
    mine = {"id": "x", "scale": {"peak_qps": 5}, "stages": [{"id": REF.stages[0].id, "add": {}}]}
    merged = overlay(mine, hidden, hidden["stages"][:2])
    assert merged["scale"] == {"peak_qps": 5}
    assert merged["slo"] == hidden["slo"]
    assert [s["id"] for s in merged["stages"]] == [s.id for s in REF.stages[:2]]
    assert merged["stages"][0]["add"] == {} and "constraint" in merged["stages"][0]
    assert overlay(["not", "a", "map"], hidden, []) == ["not", "a", "map"]


def test_estimate_verdicts() -> None:
    assert verdict(1.5, 1) == verdict(1, 1.9) == "within 2x"
    assert verdict(5, 1) == "within 10x" and verdict(11, 1) == "off"
    assert verdict(-1, 1) == "off" and verdict(None, 1) == "not estimated"
    rows = {r.name: r for r in compare_estimates(REF, REF)}
    assert all(r.verdict == "within 2x" for r in rows.values())
    assert rows["LLM reranker GPUs"].derivation


def test_phase_minutes_from_config_and_command_line(tmp_path: Path) -> None:
    config = tmp_path / "practice.yaml"
    config.write_text("phases: {deep-dive: 20, estimates: 3}\nreveal_every: 2\n")
    loaded = load_config(config)
    phases = {p.id: p.minutes for p in plan(loaded, parse_overrides(["estimates=4"]))}
    assert phases["deep-dive"] == 20 and phases["estimates"] == 4 and phases["requirements"] == 5
    assert loaded.reveal_every == 2
    config.write_text("phases: {lunch: 20, estimates: -1}\n")
    with pytest.raises(InputError) as caught:
        load_config(config)
    assert [d.line for d in caught.value.diagnostics] == [1, 1]
    assert len(caught.value.diagnostics) == 2
    for bad in ("deep-dive", "lunch=3", "estimates=x", "estimates=0"):
        with pytest.raises(ValueError):
            parse_overrides([bad])


def test_speed_clock_runs_faster_and_pauses() -> None:
    wall = [100.0]
    clock = SpeedClock(600, wall=lambda: wall[0])
    wall[0] += 1
    assert clock.now() == pytest.approx(600)
    clock.pause()
    wall[0] += 5
    assert clock.now() == pytest.approx(600)
    clock.resume()
    wall[0] += 1
    assert clock.now() == pytest.approx(1200)
    with pytest.raises(ValueError):
        SpeedClock(0)


def test_state_file_is_json_beside_the_attempt(tmp_path: Path) -> None:
    session, _, design_file = _session(tmp_path)
    save_state(state_path(design_file), session.state)
    data = json.loads((tmp_path / "mine.practice.json").read_text())
    assert data["drill"] == REF.id and data["status"] == "running"


def test_status_holds_back_what_the_stages_expect_and_counts_it(tmp_path: Path) -> None:
    """The stages' required layers and screens are the answer key: counted, never named."""
    data = yaml.safe_load((ROOT / "designs" / "distributed-search.yaml").read_text())
    data.pop("stages")  # the base design, which lacks what the later stages ask for
    mine = tmp_path / "mine.yaml"
    mine.write_text(yaml.safe_dump(data, sort_keys=False))
    revealed = {"stages": hidden_parts(REF)["stages"]}
    last = len(REF.stages)
    status = recheck(mine, "mine.yaml", revealed, last)
    truth = run_checks(checked_design(mine.read_text(), "mine.yaml", revealed, last), last)
    expected = [f for f in truth.open_findings if is_expectation(f)]
    assert expected and status.valid
    assert status.held_back == len(expected)
    assert f"the interviewer expects {len(expected)} thing(s) more" in status.summary
    shown = " ".join([status.summary, *status.top, *status.demanded])
    for finding in expected:
        assert finding.code not in shown and finding.message not in shown
        assert finding.missing_layer is None or f"layer {finding.missing_layer}" not in shown
    assert status.errors == sum(
        f.severity == "error" and not is_expectation(f) for f in truth.open_findings
    )
    # the reference meets its own stages: nothing held back
    reference = tmp_path / "ref.yaml"
    reference.write_text((ROOT / "designs" / "distributed-search.yaml").read_text())
    assert recheck(reference, "ref.yaml", revealed, last).held_back == 0


def test_a_question_is_not_asked_twice_about_the_same_subject(tmp_path: Path) -> None:
    @dataclass
    class Q:
        id: str
        subject: str
        text: str
        stage: int = 1
        discussion: tuple = ()

    bank = [
        Q("hottest", "runner", "runner at 67% of capacity: what limits a replica?"),
        Q("hottest", "runner", "runner at 533% of capacity: what limits a replica?"),
        Q("spof", "registry", "registry is one replica: what if it crashes?"),
        Q("hottest", "gateway", "gateway at 90%: what limits a replica?"),
    ]
    session, _, _ = _session(tmp_path)
    session._questions = lambda: bank
    asked = []
    for _ in range(4):
        session.hint()
        asked.append(session.said[-1].text)
    assert asked[0].endswith(bank[0].text)
    assert asked[1].endswith(bank[2].text)  # a kind not asked yet comes first
    assert asked[2].endswith(bank[3].text)  # same kind, another subject
    assert asked[3].startswith("Hint: ")  # never the runner question again with new numbers


def test_the_end_report_names_what_each_stage_expected_and_the_design_lacked(
    tmp_path: Path,
) -> None:
    from sysdesign.practice.report import finish
    from sysdesign.practice.report_text import report_lines

    data = yaml.safe_load((ROOT / "designs" / "distributed-search.yaml").read_text())
    data.pop("stages")
    mine = tmp_path / "mine.yaml"
    mine.write_text(yaml.safe_dump(data, sort_keys=False))
    state = SessionState("mine", REF.id, mine.name, {}, 0, status="finished")
    state.revealed = {"stages": hidden_parts(REF)["stages"]}
    state.stages_revealed = len(REF.stages)
    end, _ = finish(state, mine, "mine.yaml", REF, None)
    missed = [m for s in end.stages for m in s.missed]
    held = recheck(mine, "mine.yaml", state.revealed, state.stages_revealed).held_back
    assert missed and len(missed) == held  # every expectation counted live is named here
    assert not end.stages[0].missed  # the base design: nothing expected yet
    text = "\n".join(report_lines(end, "mine", "mine.yaml"))
    for message in missed:
        assert f"the interviewer expected: {message}" in text
    # the reference meets what its stages expect: nothing named
    ref_file = tmp_path / "ref.yaml"
    ref_file.write_text((ROOT / "designs" / "distributed-search.yaml").read_text())
    end, _ = finish(state, ref_file, "ref.yaml", REF, None)
    assert not [m for s in end.stages for m in s.missed]


QUICK_ATTEMPT = ROOT / "tests" / "fixtures" / "practice" / "mcp-quick.yaml"


def test_the_interviewer_does_not_ask_one_theme_twice_while_others_are_open(
    tmp_path: Path,
) -> None:
    """Driven by hand: at every reveal the interviewer asked about exec's capacity or exec at
    10x again ("hottest at peak", "at 10x", "over capacity", "first to break at 10x"): four
    questions, two themes. The themes in the bank's data now come first when not yet asked."""
    from sysdesign.probe import probe

    reference = load_design(ROOT / "designs" / "mcp-gateway.yaml")
    mine = tmp_path / "mine.yaml"
    mine.write_text(QUICK_ATTEMPT.read_text())
    phases = plan(load_config(tmp_path / "none.yaml"), {})
    state = SessionState("mine", reference.id, mine.name, {p.id: p.minutes for p in phases}, 4)
    session = Session(state, phases, ManualClock(), hidden_parts(reference), mine)
    session.start()
    for _ in range(3):
        session.key("n")  # to the deep dive: stage 1 is revealed
    themes, pools = [], []
    for stage in range(1, len(reference.stages) + 1):
        while state.stages_revealed < stage:
            session.key("r")
        status = recheck(mine, "mine.yaml", state.revealed, state.stages_revealed)
        pool = probe(status.design, status.stage, reference)
        session._questions = lambda pool=pool: pool
        session.hint()
        asked = state.asked[-1]
        themes.append(next(q.theme for q in pool if q.id == asked["id"]))
        assert asked["theme"] == themes[-1]  # kept in the state, for a resumed session
        pools.append({q.theme for q in pool})
    assert len(themes) == len(set(themes)), themes
    assert "growth-10x" in pools[0] and "capacity-at-peak" in pools[0]
