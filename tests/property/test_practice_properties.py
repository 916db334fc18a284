"""The practice engine driven like the terminal loop does, on an injected clock (manual, or a
speed factor over a fake wall clock), with random keys, time steps, saves (valid, invalid,
undecodable), state saves and resumes: no exception escapes, the user's file is never written
or lost, and the recorded session agrees with the end report. Saved state files, hostile ones
included, either load or are refused with a one-line error."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st
from rich.console import Console
from strategies import design_text, designs, examples

from sysdesign.drills import load_reference, reference_ids
from sysdesign.practice.attempt import state_path
from sysdesign.practice.clock import ManualClock, SpeedClock
from sysdesign.practice.engine import Session
from sysdesign.practice.phases import PHASE_IDS, PHASES, Phase
from sysdesign.practice.report import finish, record
from sysdesign.practice.reveal import hidden_parts
from sysdesign.practice.run import plan_of
from sysdesign.practice.screen import render
from sysdesign.practice.state import SessionState, StateError, load_state, save_state
from sysdesign.practice.status import recheck
from sysdesign.probe import probe
from sysdesign.rubric.history import History
from sysdesign.scaffold import blind_text

DRILLS = sorted(reference_ids())
REFERENCES = {d: load_reference(d) for d in DRILLS}
ROOT = Path(__file__).resolve().parents[2]


class FakeWall:
    """The wall clock a `SpeedClock` reads: moves only when told."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@st.composite
def saves(draw: st.DrawFn, drill: str) -> bytes:
    """What the user may save: the blind scaffold, the reference itself, a generated design,
    a broken one, nothing, or bytes that are not UTF-8."""
    ref = REFERENCES[drill]
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return blind_text("mine", ref).encode()
    if kind == 1:
        return (ROOT / "designs" / f"{drill}.yaml").read_bytes()
    if kind == 2:
        return design_text(draw(designs(max_components=6))).encode()
    if kind == 3:
        text = (ROOT / "designs" / f"{drill}.yaml").read_text()
        cut = draw(st.integers(0, len(text)))
        return (
            text[:cut] + draw(st.sampled_from(["", ":", "\t- [", "\x00"])) + text[cut:]
        ).encode()
    if kind == 4:
        return b""
    if kind == 5:
        return b"id: mine\ntitle: \xff\xfe\n"
    return draw(st.text(max_size=40)).encode("utf-8", "surrogatepass")


def _as_read(raw: bytes) -> str:
    """A saved file as Python's text mode reads it (universal newlines)."""
    return raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


action = st.one_of(
    st.tuples(st.just("key"), st.sampled_from(list("nrhpqNRPx? "))),
    st.tuples(st.just("key"), st.sampled_from(list("nnnrrh"))),  # mostly on through the phases
    st.tuples(
        st.just("advance"), st.sampled_from([0.0, 0.5, 59.9, 60.0, 240.0, 299.99, 300.0, 1e6])
    ),
    st.tuples(st.just("tick"), st.none()),
    st.tuples(st.just("save"), st.none()),
    st.tuples(st.just("resume"), st.none()),
    st.tuples(st.just("recheck"), st.none()),
)


@examples(6)
@given(
    st.sampled_from(DRILLS),
    st.one_of(st.none(), st.sampled_from([0.5, 1.0, 30.0, 100000.0])),  # None: a manual clock
    st.dictionaries(st.sampled_from(PHASE_IDS), st.sampled_from([0.01, 1.0, 5.0, 600.0])),
    st.sampled_from([0.0, 0.01, 4.0, 600.0]),
    st.lists(action, max_size=30),
    st.booleans(),
    st.data(),
)
def test_practice_session_never_raises_never_loses_the_file_and_records_what_it_reports(
    drill: str,
    speed: float | None,
    minutes: dict[str, float],
    every: float,
    actions: list[tuple[str, Any]],
    to_the_end: bool,
    data: Any,
) -> None:
    reference = REFERENCES[drill]
    phases = tuple(Phase(p.id, p.title, minutes.get(p.id, p.minutes)) for p in PHASES)
    wall = FakeWall()
    clock: Any = ManualClock() if speed is None else SpeedClock(speed, wall=wall)

    def advance(seconds: float) -> None:
        if speed is None:
            clock.advance(seconds)
        else:
            wall.t += seconds / speed  # session seconds = wall seconds x speed

    with tempfile.TemporaryDirectory() as tmp:
        design_file = Path(tmp) / "mine.yaml"
        written = [blind_text("mine", reference).encode()]
        design_file.write_bytes(written[-1])
        state = SessionState(
            "mine", drill, design_file.name, {p.id: p.minutes for p in phases}, every
        )
        state_file = state_path(design_file)
        status: Any = None
        questions: list[Any] = []

        def make(state: SessionState) -> Session:
            return Session(
                state,
                plan_of(state),
                clock,
                hidden_parts(reference),
                design_file,
                questions=lambda: questions,
                on_change=lambda: save_state(state_file, state),
            )

        session = make(state)
        session.start()
        for name, arg in actions:
            if session.ended:
                break
            if name == "key":
                session.key(arg)
            elif name == "advance":
                advance(arg)
            elif name == "tick":
                session.tick()
            elif name == "save":
                written.append(data.draw(saves(drill)))
                design_file.write_bytes(written[-1])
            elif name == "resume":  # the session is interrupted, then resumed from its file
                save_state(state_file, session.state)
                again = load_state(state_file)
                assert again == session.state
                session = make(again)
                session.start()
            else:  # what the rechecker thread and the screen do
                status = recheck(
                    design_file, "mine.yaml", session.state.revealed, session.state.stages_revealed
                )
                questions = probe(status.design, status.stage, reference) if status.design else []
                if not status.valid and status.problem_count:
                    assert all(p.startswith("mine.yaml:") for p in status.problems)
                screen = Console(file=io.StringIO(), width=100)
                screen.print(render(session, status, reference.prompt, "mine.yaml"))
                assert session.phase is None or session.phase.title in screen.file.getvalue()
            assert session.state.stages_revealed <= session.stage_count
            assert session.phase_left() >= 0 and session.total_spent() >= 0
        for _ in range(2 * len(PHASES) if to_the_end else 0):  # the round runs out by itself
            if session.clock.paused:
                session.key("p")
            advance(600 * 60.0)
            session.tick()
        assert session.finished or session.quit or not to_the_end  # q ends it for good
        if not session.ended:
            session.stop()
        state = session.state
        save_state(state_file, state)
        assert load_state(state_file) == state
        end, graded = finish(state, design_file, "mine.yaml", reference)
        event(f"ended {end.status}, {'graded' if graded else 'not graded'}")
        event(f"stages revealed: {state.stages_revealed}")
        history = Path(tmp) / "history.sqlite"
        record(end, graded, state, history)
        assert design_file.read_bytes() == written[-1]  # the user's file is never written
        texts = {_as_read(w) for w in written}
        assert set(state.snapshots.values()) <= texts  # each phase's file as it was
        assert state.status == ("finished" if session.finished else "partial") == end.status
        for phase in phases:  # a phase never counts more than its minutes
            assert state.spent.get(phase.id, 0.0) <= phase.minutes * 60 + 1e-6
        assert list(end.phase_minutes) == [p for p in PHASE_IDS if p in end.phase_minutes]
        assert end.stages_reached <= state.stages_revealed <= len(reference.stages)
        if end.problems:
            assert graded is None and all(p.startswith("mine.yaml:") for p in end.problems)
        assert end.not_recorded is None, end.not_recorded
        store = History(history)
        [session_row] = store.practice_sessions()
        assert session_row.id == end.session_id and session_row.drill == drill
        assert session_row.phase_minutes == end.phase_minutes
        assert session_row.stages_reached == end.stages_reached
        assert session_row.stage_scores == {
            s.stage: s.score for s in end.stages if s.score is not None
        }
        attempts = store.attempts()
        if end.status == "finished" and graded is not None:
            assert [a.id for a in attempts] == [end.attempt_id] == [session_row.attempt_id]
            assert attempts[0].overall == end.overall
        else:
            assert attempts == [] and session_row.attempt_id is None
        json.dumps(end.as_dict(), allow_nan=False)


FIELDS = list(SessionState("x", "qortex", "x.yaml", {}, 4.0).__dict__)
json_value = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=8)
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def state_files(draw: st.DrawFn) -> bytes:
    """A session state as `practice --resume` may find it: valid, a field of the wrong type, a
    field missing or unknown, another version, not an object, not JSON, not UTF-8."""
    good = SessionState(
        "mine", draw(st.sampled_from(DRILLS)), "mine.yaml", {p.id: p.minutes for p in PHASES}, 4.0
    )
    good.phase = draw(st.integers(0, 5))
    data: Any = json.loads(good.as_json())
    kind = draw(st.integers(0, 7))
    if kind <= 3:
        data[draw(st.sampled_from(FIELDS))] = draw(json_value)
    elif kind == 4:
        del data[draw(st.sampled_from(FIELDS))]
    elif kind == 5:
        data[draw(st.text(min_size=1, max_size=8))] = draw(json_value)
    elif kind == 6:
        data = draw(json_value)
    else:
        return draw(st.binary(max_size=30))
    return json.dumps(data).encode()


@examples(40)
@given(state_files(), st.sampled_from(list("nrhpq")), st.data())
def test_a_saved_state_resumes_or_is_refused_in_one_line(raw: bytes, key: str, data: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        design_file = Path(tmp) / "mine.yaml"
        design_file.write_text("id: mine\n")
        path = state_path(design_file)
        path.write_bytes(raw)
        try:
            state = load_state(path)
        except StateError as exc:
            assert str(exc) and "\n" not in str(exc).strip()
            return
        reference = REFERENCES.get(state.drill, REFERENCES[DRILLS[0]])
        clock = ManualClock()
        session = Session(state, plan_of(state), clock, hidden_parts(reference), design_file)
        session.start()
        session.key(key)
        clock.advance(data.draw(st.sampled_from([1.0, 400.0])))
        session.tick()
        session.stop()
        save_state(path, session.state)
        end, _ = finish(session.state, design_file, "mine.yaml", reference)
        assert end.status == "partial"
