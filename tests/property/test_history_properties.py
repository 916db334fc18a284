"""`next` (the spaced-repetition plan) and `progress` (table and chart) on generated histories,
written to and read back from a real history file: empty, one attempt, same-day attempts,
attempts out of order, unknown drills and items, extreme scores."""

from __future__ import annotations

import json
import random
import tempfile
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from strategies import examples

from sysdesign.drills import reference_ids
from sysdesign.figures import finite_tree
from sysdesign.rubric.history import Attempt, History, StageRow
from sysdesign.rubric.loader import RubricNotFound, load_rubric
from sysdesign.rubric.plan import INTERVALS, plan
from sysdesign.rubric.progress import chart_labels, chart_points, render_chart, rows

DRILLS = sorted(reference_ids())
RUBRICS = {d: load_rubric(d) for d in DRILLS}
ITEMS = [*sorted({i.id for r in RUBRICS.values() for i in r.items}), "gone-item"]
SECTIONS = [*sorted({s.id for r in RUBRICS.values() for s in r.sections}), "gone-section"]
START = datetime(2024, 12, 30, 0, 0, 0)
score = st.one_of(st.sampled_from([0.0, 100.0, 49.95, 50.0, 84.99]), st.floats(0, 100))


def rubric_of(rubric_id: str) -> Any:
    try:
        return load_rubric(rubric_id)
    except RubricNotFound:
        return None


@st.composite
def attempt(draw: st.DrawFn, span_days: int) -> Attempt:
    drill = draw(st.sampled_from([*DRILLS, "retired-drill"]))
    when = START + timedelta(seconds=draw(st.integers(0, span_days * 86_400)))
    schema2 = draw(st.booleans())
    missed = tuple(draw(st.lists(st.sampled_from(ITEMS), unique=True, max_size=6)))
    answers = {
        i: {"answer": draw(st.sampled_from(["yes", "no", "partly"])), "note": ""}
        for i in draw(st.lists(st.sampled_from(ITEMS), unique=True, max_size=6))
    }
    return Attempt(
        recorded_at=when.isoformat() + "+00:00",
        design=f"my-{drill}",
        drill=drill,
        rubric=drill,
        stage=draw(st.integers(0, 4)),
        stages=4,
        minutes=draw(st.one_of(st.none(), st.floats(0, 600))),
        overall=draw(score),
        level=draw(st.sampled_from(["below-mid", "mid", "senior", "staff"])),
        sections={s: draw(score) for s in draw(st.lists(st.sampled_from(SECTIONS), unique=True))},
        answers=answers if not schema2 else {},
        per_stage=(StageRow(0, "base design", None),) if schema2 else (),
        missed=missed if schema2 else (),
    )


@st.composite
def histories(draw: st.DrawFn) -> list[Attempt]:
    """Attempts over a few days to three years, some on the same day, in any order."""
    span = draw(st.sampled_from([0, 1, 6, 45, 400, 1100]))
    made = draw(st.lists(attempt(span), max_size=12))
    if made and draw(st.booleans()):  # a second attempt the same day
        first = made[0]
        made.append(
            Attempt(**{**first.__dict__, "recorded_at": first.recorded_at[:11] + "23:59:59+00:00"})
        )
    return made


def _stored(attempts: list[Attempt], folder: str) -> list[Attempt]:
    """The attempts as `next` and `progress` read them: recorded, then read back."""
    store = History(Path(folder) / "history.sqlite")
    for a in attempts:
        store.record(a)
    back = store.attempts() if store.path.exists() else []  # as `next` reads it
    assert len(back) == len(attempts)
    return back


def _leitner(attempts: list[Attempt], today: date) -> dict[str, tuple[int, date]]:
    """An independent model of the schedule: (box, due) per item judged by schema-2 attempts."""
    state: dict[str, tuple[int, date]] = {}
    for a in sorted(attempts, key=lambda a: (a.recorded_at, a.id)):
        day = date.fromisoformat(a.recorded_at[:10])
        if day > today or not (a.missed or a.per_stage):
            continue
        rubric = rubric_of(a.rubric)
        judged = ({i.id for i in rubric.items} if rubric else set()) | set(a.missed)
        for item in judged:
            box = 0 if item in a.missed else min(state.get(item, (0, day))[0] + 1, 4)
            state[item] = (box, day + timedelta(days=INTERVALS[box]))
    return state


@examples(12)
@given(histories(), st.integers(-5, 1200), st.randoms(use_true_random=False))
def test_next_plans_consistently_on_any_history(
    attempts: list[Attempt], offset: int, shuffle: random.Random
) -> None:
    today = START.date() + timedelta(days=offset)
    with tempfile.TemporaryDirectory() as folder:
        stored = _stored(attempts, folder)
    result = plan(stored, today, DRILLS, rubric_of)
    mixed = stored[:]
    shuffle.shuffle(mixed)
    assert plan(mixed, today, DRILLS, rubric_of) == result  # the order read does not matter
    data = json.loads(json.dumps(result.as_dict(), allow_nan=False))
    assert finite_tree(data)
    seen = [a for a in stored if date.fromisoformat(a.date) <= today]
    assert result.attempts == len(seen)
    assert result.drill in {d.drill for d in result.drills} and result.reasons
    assert {d.drill for d in result.drills} == set(DRILLS) | {a.drill for a in seen}
    assert sum(d.attempts for d in result.drills) == len(seen)
    for d in result.drills:
        assert d.days_since is None or 0 <= d.days_since <= offset + 1
    for s in result.due:
        assert s.due <= today and 0 <= s.box < len(INTERVALS)
        assert s.due == s.last_seen + timedelta(days=INTERVALS[0 if s.last_missed else s.box])
    assert [s.box for s in result.due] == sorted(s.box for s in result.due)  # missed first
    model = _leitner(seen, today)
    for s in result.due:
        if s.item in model and all(a.missed or a.per_stage for a in seen):
            assert (s.box, s.due) == model[s.item]
    scores = [v for a in seen for v in a.sections.values()]
    for _, _, value in result.weakest_sections:
        assert min(scores) - 0.05 <= value <= max(scores) + 0.05


@examples(3)
@given(histories(), st.sampled_from(["svg", "png"]))
def test_progress_table_and_chart_on_any_history(attempts: list[Attempt], fmt: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        stored = _stored(attempts, folder)
    table = rows(stored)
    assert [r["id"] for r in table] == [a.id for a in stored]
    points = chart_points(stored)
    assert sum(len(p) for p in points.values()) == len(stored)
    for drill, pts in points.items():
        assert all(0 <= v <= 100 for _, v in pts) and drill in {a.drill for a in stored}
    levels, titles = chart_labels()
    chart = render_chart(stored, fmt, levels, titles)
    assert chart == render_chart(stored, fmt, levels, titles)  # deterministic bytes
    if fmt == "svg":
        ET.fromstring(chart)
    else:
        assert chart.startswith(b"\x89PNG\r\n\x1a\n")
