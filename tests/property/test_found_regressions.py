"""Plain regression tests for what the property tests found (each failed before its fix)."""

from __future__ import annotations

import re

from strategies import load

from sysdesign.loader import parse_design
from sysdesign.probe import probe

UNREAD = re.compile(r"\b(inf|nan)\b|\d{25,}")


def test_probe_on_a_near_zero_capacity_asks_in_finite_words() -> None:
    # found by test_probe_questions_are_filled_finite_and_stable: OverflowError in
    # probe.figures (ceil of load x 10 / 1e-300 req/s), and 300-digit numbers in the text
    design = load(
        {
            "id": "prop",
            "title": "t",
            "prompt": "p",
            "scale": {"peak_qps": 75503117.0},
            "slo": {"p99_latency_ms": 1.7e308},
            "components": [
                {"id": "c0", "kind": "client"},
                {"id": "c3", "kind": "warehouse", "capacity_rps": 1e-300},
                {"id": "c4", "kind": "service", "capacity_rps": 1e-9, "latency_ms": 1.7e308},
            ],
            "flows": [{"from": "c0", "to": "c3"}, {"from": "c0", "to": "c4"}],
        }
    )
    questions = probe(design)
    assert questions
    for q in questions:
        assert not UNREAD.search(q.text), q.text
    assert any("more than 1e+300" in q.text for q in questions)


def test_fmt_keeps_an_empty_flow_list_with_a_comment() -> None:
    # found by test_fmt_keeps_the_design_and_every_comment: `flows: []  # note` was rewritten
    # as `flows:  # note` + `[]` on the next line, which no longer loads: fmt refused ("a bug")
    from sysdesign.formatting import Form, format_text

    text = (
        "id: prop\ntitle: t\nprompt: p\nscale:\n  peak_qps: 1.0\nslo:\n  p99_latency_ms: 1.0\n"
        "components:\n- id: c0\n  kind: client\nflows: []  # none yet\n"
    )
    for form in Form:
        out = format_text(text, form)
        assert "flows: []  # none yet\n" in out


def test_fmt_keeps_every_digit_of_a_float() -> None:
    # found by test_fmt_keeps_the_design_and_every_comment: ruamel.yaml re-renders some floats
    # with a digit lost (6.201279215913879e+145 -> ...878e+145), so fmt refused the design
    from sysdesign.formatting import Form, format_text

    text = (
        "id: prop\ntitle: t\nprompt: p\nscale:\n  peak_qps: 1.0\nslo:\n  p99_latency_ms: 1.0\n"
        "components:\n- id: c0\n  kind: client\n- id: c1\n  kind: service\n"
        "  capacity_rps: 6.201279215913879e+145\nflows:\n- from: c0\n  to: c1\n"
    )
    for form in Form:
        assert "capacity_rps: 6.201279215913879e+145" in format_text(text, form)


def test_import_writes_a_delete_character_in_a_label_escaped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # found by test_import_gives_a_valid_compact_design_or_located_errors: a DEL (0x7f) in a
    # node label was written raw into the YAML, which YAML forbids: "<fmt>:1:1: YAML syntax"
    from sysdesign.sketch import import_sketch

    sketch = tmp_path / "sketch.mmd"
    sketch.write_text(
        "flowchart LR\napi --> database[\x7fstore\x85\u2028x\x9f]\n", encoding="utf-8"
    )
    out = import_sketch(sketch, "sketch.mmd")
    for raw in ("\x7f", "\x9f"):
        assert raw not in out
    out = out.replace(": null", ": 1")
    db = next(c for c in parse_design(out, "x.yaml").components if c.id != "api")
    assert db.label == "\x7fstore x\x9f"  # the label is kept (whitespace runs made one space)


def test_sketch_lines_are_counted_on_newlines_only() -> None:
    # found with the test above: the sketch reader split lines with str.splitlines, which also
    # breaks on NEL, U+2028, form feed, ...; a label holding one was cut and the errors after it
    # named lines the file does not have
    import pytest

    from sysdesign.diagnostics import InputError
    from sysdesign.sketch import read_sketch

    sketch = read_sketch("flowchart LR\napi --> db[a\u2028b\x0cc]\n", "s.mmd")
    assert sketch.nodes["db"].label == "a b c"
    with pytest.raises(InputError) as caught:
        read_sketch("flowchart LR\r\napi --> db[a\x85b]\r\nx -->\r\n", "s.mmd")
    assert [(d.line, d.col) for d in caught.value.diagnostics] == [(3, 6)]


def test_a_sketch_node_named_underscore_gets_an_id(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # found by test_import_gives_a_valid_compact_design_or_located_errors: `_` is a Mermaid node
    # id, and its slug was empty: the imported design had `"": service` and did not validate
    from sysdesign.sketch import import_sketch

    sketch = tmp_path / "sketch.mmd"
    sketch.write_text("flowchart LR\napi --> _ --> __\n", encoding="utf-8")
    out = import_sketch(sketch, "sketch.mmd").replace(": null", ": 1")
    design = parse_design(out, "x.yaml")
    assert len(design.components) == 3 and len(design.flows) == 2
    assert all(c.id for c in design.components)


def _chart_over(days: int) -> tuple[bytes, list[str]]:
    import logging
    from datetime import datetime, timedelta

    from sysdesign.rubric.history import Attempt
    from sysdesign.rubric.progress import chart_labels, render_chart

    levels, titles = chart_labels()
    attempts = [
        Attempt(
            recorded_at=(datetime(2025, 1, 1) + timedelta(days=d)).isoformat() + "+00:00",
            design="x",
            drill="qortex",
            rubric="qortex",
            stage=1,
            stages=4,
            minutes=40.0,
            overall=50.0,
            level="mid",
            sections={s: 50.0 for s in list(titles)[:3]},
        )
        for d in (0, days)
    ]
    said: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    catch = Catch(logging.WARNING)
    logging.getLogger("matplotlib").addHandler(catch)
    try:
        return render_chart(attempts, "svg", levels, titles), said
    finally:
        logging.getLogger("matplotlib").removeHandler(catch)


def test_progress_chart_over_three_years_draws_no_tick_per_day() -> None:
    # found by test_progress_table_and_chart_on_any_history: a minor tick for every day made a
    # three-year chart 1.6 MB of SVG (22-27 s) and printed "exceeds Locator.MAXTICKS" dozens of
    # times; a chart over a month keeps its day ticks
    month, said_month = _chart_over(30)
    years, said_years = _chart_over(1100)
    assert not said_month and not said_years, said_years[:1]
    assert len(years) < 2 * len(month)


def test_a_state_file_with_a_field_of_the_wrong_type_is_refused_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # found by test_a_saved_state_resumes_or_is_refused_in_one_line: `practice --resume` read
    # any JSON object of version 1 into the state, and the session then raised TypeError or
    # AttributeError on it (spent: null, phase: [], asked: [1], ...)
    import json

    import pytest

    from sysdesign.practice.state import SessionState, StateError, load_state

    good = json.loads(
        SessionState("mine", "qortex", "mine.yaml", {"requirements": 5}, 4.0).as_json()
    )
    path = tmp_path / "mine.practice.json"
    for field, bad in [
        ("spent", None),
        ("phase", []),
        ("phase", -1),
        ("phase_minutes", {"requirements": "5"}),
        ("asked", [1]),
        ("asked", [{"text": "q", "stage": "x"}]),
        ("snapshots", {"requirements": 3}),
        ("revealed", {"stages": [1]}),
        ("status", "done"),
        ("reveal_every", 1e999),
    ]:
        path.write_text(json.dumps({**good, field: bad}))
        with pytest.raises(StateError) as caught:
            load_state(path)
        assert field in str(caught.value) and "\n" not in str(caught.value)
    path.write_text(json.dumps({**good, "\n": None}))  # an unknown key holding a newline
    with pytest.raises(StateError) as caught:
        load_state(path)
    assert "unknown field" in str(caught.value) and "\n" not in str(caught.value)
    path.write_text(json.dumps(good))
    assert load_state(path).phase_minutes == {"requirements": 5}


def test_the_overview_of_nested_groups_calling_each_other_is_dot_that_dot_accepts() -> None:
    # found while searching for issue #16's defect 4 (init_rank): not init_rank but the same
    # kind: the overview's flat labelled edges between groups made `dot` fail ("in routesplines
    # ... lost g1 g0 edge"); `render --format dot` wrote that DOT and `--format svg` exited 2
    import shutil
    import subprocess
    from pathlib import Path

    import pytest

    from sysdesign.checks import run_checks
    from sysdesign.loader import load_design
    from sysdesign.render.graphviz_run import dot_command
    from sysdesign.render.view_set import render_views

    if shutil.which("dot") is None:
        pytest.skip("Graphviz not installed")
    design = load_design(Path(__file__).parent / "fixtures" / "overview-lost-edge.yaml")
    report = run_checks(design, 0)
    [dot_only] = render_views(design, 0, report, ("overview",), ("dot",))
    proc = subprocess.run(dot_command("canon"), input=dot_only.outputs["dot"], capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()[-300:]
    [svg] = render_views(design, 0, report, ("overview",), ("svg",))
    assert svg.problem is None and svg.outputs["svg"].startswith(b"<?xml")
