"""`sysdesign probe`: the question bank, figures taken from the design, determinism."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, run_cli

from designs import build, component, data
from sysdesign.checks import run_checks
from sysdesign.diagnostics import InputError
from sysdesign.loader import load_design
from sysdesign.probe import load_bank, parse_bank, probe
from sysdesign.probe.bank import Subject
from sysdesign.probe.facts import gather
from sysdesign.probe.figures import (
    component_figures,
    design_figures,
    finding_figures,
    path_figures,
    ranked,
    zone_figures,
)

REFERENCES = ["agent-observability", "distributed-search", "mcp-gateway", "qortex"]


def _reference(name: str):  # type: ignore[no-untyped-def]
    return load_design(ROOT / "designs" / f"{name}.yaml")


def test_bank_has_forty_questions_on_every_topic() -> None:
    bank = load_bank()
    assert len(bank.questions) >= 40
    ids = {q.id for q in bank.questions}
    for topic in (
        "hottest-at-peak",
        "hottest-at-10x",
        "slowest-hop",
        "spof",
        "spof-zone",
        "zone-down",
        "cache-invalidation",
        "queue-backlog",
        "backpressure",
        "filter-false-positives",
        "filter-tiered-review",
        "llm-batching",
        "llm-gpus",
        "audit-integrity",
        "tenant-isolation",
        "first-to-break-10x",
    ):
        assert topic in ids


def test_every_placeholder_names_a_figure_of_its_subject() -> None:
    facts = gather(_reference("distributed-search"), 2)
    comp = ranked(facts)[0]
    finding = facts.findings[0] if facts.findings else None
    names = {
        Subject.DESIGN: set(design_figures(facts)),
        Subject.COMPONENT: set(component_figures(facts, comp, 1)),
        Subject.PATH: set(path_figures(facts, facts.paths[0])),
        Subject.ZONE: set(zone_figures(facts, facts.zones[0])),
    }
    if finding is not None:
        names[Subject.FINDING] = set(finding_figures(facts, finding))
    else:
        names[Subject.FINDING] = {"code", "message", "components", "peak_qps"}
    for spec in load_bank().questions:
        used = set(spec.placeholders()) | set(spec.placeholders(spec.missing or ""))
        if spec.when.metric is not None:
            used.add(spec.when.metric.name)
        assert used <= names[spec.subject], (spec.id, used - names[spec.subject])


@pytest.mark.parametrize("name", REFERENCES)
def test_every_stage_of_every_reference_gets_eight_questions(name: str) -> None:
    ref = _reference(name)
    for stage in range(len(ref.stages) + 1):
        questions = probe(ref, stage, ref)
        assert len(questions) >= 8, (name, stage)
        with_numbers = [q for q in questions if any(ch.isdigit() for ch in q.text)]
        assert len(with_numbers) >= 8, (name, stage)
        assert [q.text for q in probe(ref, stage, ref)] == [q.text for q in questions]


def test_the_hottest_question_quotes_the_designs_own_figures() -> None:
    ref = _reference("qortex")
    report = run_checks(ref, 0)
    hottest = max(
        (u for u in report.utilisation if u.ratio is not None), key=lambda u: u.ratio or 0
    )
    component = next(c for c in ref.components if c.id == hottest.component)
    question = next(q for q in probe(ref, 0, ref) if q.id == "hottest-at-peak")
    assert question.subject == hottest.component
    assert component.display in question.text
    assert f"{hottest.ratio * 100:.3g}%" in question.text
    assert f"{hottest.replicas:,} replica" in question.text


def test_a_missing_figure_becomes_a_question_asking_for_it() -> None:
    d = data()
    del component(d, "model")["capacity_rps"]
    sparse = build(d)
    assert any(c.kind.value == "llm" and c.capacity_rps is None for c in sparse.components)
    questions = {q.id: q for q in probe(sparse, 0)}
    gpus = questions["llm-gpus"]
    assert gpus.asks_for_figure
    assert "how many requests per second does one GPU replica serve" in gpus.text
    assert "capacity-unknown" in questions  # the checker's SD403 finding is asked about too


def test_questions_link_to_the_references_discussion_of_the_stage() -> None:
    ref = _reference("distributed-search")
    questions = probe(ref, 1, ref)
    linked = [q for q in questions if q.discussion]
    assert linked
    points = ref.stages[0].discussion
    for q in linked:
        for number, text in q.discussion:
            assert points[number - 1] == text
    assert all(not q.discussion for q in probe(ref, 0, ref))  # the base has no discussion


def test_a_bad_bank_is_refused_with_located_errors() -> None:
    text = """questions:
  - {id: a, subject: design, text: "x"}
  - {id: a, subject: finding, text: "y"}
  - {id: b, subject: planet, text: "z", colour: red}
"""
    with pytest.raises(InputError) as caught:
        parse_bank(text, "bank.yaml")
    messages = "\n".join(d.format() for d in caught.value.diagnostics)
    assert "bank.yaml:3:" in messages or "bank.yaml:4:" in messages
    assert "colour" in messages


def test_cli_probe_json_is_the_same_twice(project) -> None:  # type: ignore[no-untyped-def]
    first = run_cli(project, "probe", "mcp-gateway", "--stage", "2", "--format", "json")
    second = run_cli(project, "probe", "mcp-gateway", "--stage", "2", "--format", "json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["stage"] == 2 and len(data["questions"]) >= 8
    assert all("discussion" not in q for q in data["questions"])  # no spoilers by default
    shown = run_cli(project, "probe", "mcp-gateway", "-s", "2", "--discussion", "-f", "json")
    assert any(q.get("discussion") for q in json.loads(shown.stdout)["questions"])


def test_cli_probe_refuses_bad_input(project) -> None:  # type: ignore[no-untyped-def]
    bad_stage = run_cli(project, "probe", "qortex", "--stage", "9")
    assert bad_stage.returncode == 2 and "Traceback" not in bad_stage.stderr
    (project / "designs" / "broken.yaml").write_text("id: broken\nscale: [\n")
    broken = run_cli(project, "probe", "designs/broken.yaml")
    assert broken.returncode == 2
    assert "designs/broken.yaml:" in broken.stderr and "Traceback" not in broken.stderr


def test_each_single_point_of_failure_is_asked_about_with_its_zone() -> None:
    d = data()
    app = component(d, "app")
    app["replicas"] = 1
    app.pop("zones", None)
    spofs = {q.id: q for q in probe(build(d), 0) if q.subject == "app"}
    assert "spof" in spofs and "1 replica" in spofs["spof"].text
    assert spofs["spof-zone"].asks_for_figure  # no zone written: the question asks for it


def test_a_design_of_clients_alone_is_not_asked_to_split_its_budget() -> None:
    """A blind attempt left empty (only the clients the interviewer named) has no path: asking
    how a 0 ms, 0-hop path splits the budget would be noise."""
    d = data()
    d["components"] = [c for c in d["components"] if c["kind"] == "client"]
    d["flows"] = []
    empty = build(d)
    ids = {q.id for q in probe(empty, 0)}
    assert "budget-split" not in ids and "slowest-hop" not in ids
    assert "budget-split" in {q.id for q in probe(build(data()), 0)}  # a drawn path still is
