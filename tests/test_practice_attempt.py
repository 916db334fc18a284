"""A practice attempt after its session: read with what the interviewer said.

Driven by hand: after a session the end report said "edit the answers, then `sysdesign grade
FILE --answers ...`", and that command failed with "missing required field 'slo'": the attempt
holds only what the user wrote; the interviewer's numbers live in the session's state file. And
a stage the user wrote under an id of their own (the interviewer never says the drill's ids) was
checked as an extra stage after the last, never at the stage it answered.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, run_cli

from sysdesign.loader import load_design
from sysdesign.practice.attempt import load_attempt, session_for, state_path
from sysdesign.practice.clock import ManualClock
from sysdesign.practice.engine import Session
from sysdesign.practice.phases import load_config, plan
from sysdesign.practice.reveal import hidden_parts, overlay
from sysdesign.practice.state import SessionState, save_state
from sysdesign.practice.status import recheck

REFERENCE = load_design(ROOT / "designs" / "mcp-gateway.yaml")

ATTEMPT = (ROOT / "tests" / "fixtures" / "practice" / "mcp-quick.yaml").read_text()


def _session_until_stage(folder: Path, stages: int) -> Path:
    """The attempt and its session state as a session leaves them with `stages` revealed."""
    mine = folder / "mine.yaml"
    mine.write_text(ATTEMPT)
    phases = plan(load_config(folder / "none.yaml"), {})
    state = SessionState("mine", REFERENCE.id, mine.name, {p.id: p.minutes for p in phases}, 0)
    session = Session(state, phases, ManualClock(), hidden_parts(REFERENCE), mine)
    session.start()
    for _ in range(3):
        session.key("n")  # the deep dive reveals stage 1
    while state.stages_revealed < stages:
        session.key("r")
    save_state(state_path(mine), state)
    return mine


def test_a_stage_under_the_users_own_id_answers_the_stage_in_its_position() -> None:
    hidden = hidden_parts(REFERENCE)
    mine = {"stages": [{"id": "mine-1", "add": {"x": 1}}, {"id": "extra"}]}
    merged = overlay(mine, hidden, hidden["stages"][:1])
    assert [s["id"] for s in merged["stages"]] == ["mine-1", "extra"]
    assert merged["stages"][0]["add"] == {"x": 1}  # the user's fields win
    assert merged["stages"][0]["constraint"] == REFERENCE.stages[0].constraint
    # an id of the drill's is matched by id wherever the user wrote it
    second = REFERENCE.stages[1].id
    mine = {"stages": [{"id": second, "add": {"y": 2}}, {"id": "mine-1"}]}
    merged = overlay(mine, hidden, hidden["stages"][:2])
    assert [s["id"] for s in merged["stages"]] == ["mine-1", second]
    assert merged["stages"][1]["add"] == {"y": 2}
    # no stage of the user's: the interviewer's skeletons alone
    assert [s["id"] for s in overlay({}, hidden, hidden["stages"][:2])["stages"]] == [
        s.id for s in REFERENCE.stages[:2]
    ]


def test_the_session_checks_the_users_stage_at_the_stage_it_answers(tmp_path: Path) -> None:
    mine = _session_until_stage(tmp_path, 2)
    state = json.loads(state_path(mine).read_text())
    status = recheck(mine, "mine.yaml", state["revealed"], 1)
    assert status.valid and status.design is not None
    assert len(status.design.stages) == 1
    assert status.design.stages[0].id == "my-answer-to-the-first"
    assert "egress" in {c.id for c in status.design.stages[0].add.components}


def test_grade_after_the_session_reads_what_the_interviewer_said(tmp_path: Path) -> None:
    mine = _session_until_stage(tmp_path, 4)
    history = tmp_path / "history.sqlite3"
    graded = run_cli(
        tmp_path, "grade", str(mine), "--no-ask", "--history", str(history), "--format", "json"
    )
    assert graded.returncode == 0, graded.stderr
    report = json.loads(graded.stdout)  # stdout stays clean JSON: the note is on stderr
    assert len(report["per_stage"]) == 1 + len(REFERENCE.stages)
    assert "read with what the interviewer said in its practice session" in graded.stderr
    assert "stages 1-4" in graded.stderr and "mine.practice.json" in graded.stderr
    checked = run_cli(tmp_path, "check", str(mine), "--stage", "2", "--format", "json")
    assert checked.returncode in (0, 1), checked.stderr
    assert json.loads(checked.stdout)
    # the file alone (no session beside it) is still what it is: incomplete
    state_path(mine).rename(tmp_path / "elsewhere.json")
    alone = run_cli(tmp_path, "grade", str(mine), "--no-ask", "--history", str(history))
    assert alone.returncode == 2
    assert "missing required field 'slo'" in alone.stderr
    assert "practice session" not in alone.stderr


def test_a_damaged_or_foreign_session_is_not_used(tmp_path: Path) -> None:
    mine = _session_until_stage(tmp_path, 1)
    good = state_path(mine).read_text()
    state_path(mine).write_text("{ not json")
    damaged = run_cli(tmp_path, "check", str(mine))
    assert damaged.returncode == 2  # the file alone lacks the SLO
    assert "cannot use its practice session" in damaged.stderr
    assert "read the file alone" in damaged.stderr
    assert "Traceback" not in damaged.stderr
    # a session kept for another file (an attempt renamed or copied) is not this file's
    data = json.loads(good)
    data["design_file"] = "other.yaml"
    state_path(mine).write_text(json.dumps(data))
    assert session_for(mine) is None
    # no session at all: nothing to say
    state_path(mine).unlink()
    assert session_for(mine) is None


def test_the_users_own_text_wins_over_the_interviewers(tmp_path: Path) -> None:
    mine = _session_until_stage(tmp_path, 1)
    mine.write_text(ATTEMPT + "slo: {p99_latency_ms: 123, availability: 0.99}\n")
    session = session_for(mine)
    assert session is not None and session.state is not None
    _, design = load_attempt(mine, "mine.yaml", session)
    assert design.slo.p99_latency_ms == 123
    assert design.scale.peak_qps == REFERENCE.scale.peak_qps  # not written: the interviewer's
