"""The loader: every kind of bad input becomes located errors, all at once, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sysdesign.diagnostics import InputError
from sysdesign.graph import build_graph
from sysdesign.loader import load_design, parse_design

FIXTURE = Path(__file__).parent / "fixtures" / "minimal.yaml"

HEAD = """\
id: t
title: T
prompt: P
scale: {peak_qps: 10}
slo: {p99_latency_ms: 100}
"""


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_design(textwrap.dedent(text), "x.yaml")
    return [d.format() for d in caught.value.diagnostics]


def test_valid_design_loads() -> None:
    design = load_design(FIXTURE)
    assert design.id == "minimal"
    assert [c.id for c in design.components][:2] == ["users", "gateway"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: [\n", "x.yaml:2:1: error: YAML syntax: did not find expected node content"),
        (
            HEAD + "components:\n  - id: a\n    kind: client\n    replica: 2\n",
            "x.yaml:9:5: error: unknown field 'replica'; did you mean 'replicas'?",
        ),
        (  # nothing close: the fields this mapping takes (written fast in a session, the
            # user guessed 'add_components' for a stage's 'add')
            HEAD + "components:\n  - id: a\n    kind: client\nstages:\n  - id: s\n"
            "    title: t\n    constraint: c\n    add_components: []\n",
            "x.yaml:13:5: error: unknown field 'add_components'; expected one of: id, title, "
            "constraint, add, remove, change, scale, slo, requires, discussion",
        ),
        (
            HEAD + "components:\n  - id: a\n    kind: client\n    replicas: two\n",
            "x.yaml:9:15: error: replicas: input should be a valid integer (got 'two')",
        ),
        (
            HEAD + "components:\n  - id: a\n    kind: client\n    replicas: 0\n",
            "x.yaml:9:15: error: replicas: input should be greater than or equal to 1 (got 0)",
        ),
        (
            HEAD + "components:\n  - id: a\n    kind: cach\n",
            "x.yaml:8:11: error: unknown kind 'cach'; did you mean 'cache'?",
        ),
        (
            HEAD + "components:\n  - {id: a, kind: cache}\n  - {id: a, kind: client}\n",
            "x.yaml:8:10: error: duplicate component id 'a'",
        ),
        (
            HEAD + "components:\n  - {id: a, kind: cache}\nflows:\n  - {from: a, to: bb}\n",
            "x.yaml:9:19: error: flow to unknown component 'bb'",
        ),
        (
            HEAD + "components:\n  - {id: a, kind: cache}\n  - {id: b, kind: database}\n"
            "flows:\n  - {from: a, to: b, hit_ratio: 1.5}\n",
            "x.yaml:10:33: error: hit_ratio: input should be less than or equal to 1 (got 1.5)",
        ),
        (
            HEAD + "components:\n  - {id: a, kind: cache}\nstages:\n  - id: s\n    title: S\n"
            "    constraint: C\n    remove: {components: [zz]}\n",
            "x.yaml:12:27: error: stage removes unknown component 'zz'",
        ),
        (
            HEAD + "components:\n  - {id: a, kind: cache}\n  - {id: a2, kind: cache}\n"
            "stages:\n  - id: s\n    title: S\n    constraint: C\n    add:\n      flows:\n"
            "        - {from: a, to: nope}\n",
            "x.yaml:15:25: error: flow to unknown component 'nope' (as of stage 1)",
        ),
        (
            HEAD.replace("peak_qps: 10", "peak_qps: -1") + "components: [{id: a, kind: cache}]\n",
            "x.yaml:4:19: error: peak_qps: input should be greater than 0 (got -1)",
        ),
        ("- just\n- a list\n", "x.yaml:1:1: error: expected a design mapping, found list"),
        ("id: a\nid: b\n", "x.yaml:2:1: error: duplicate key 'id'"),
        (HEAD, "x.yaml:1:1: error: missing required field 'components'"),
    ],
)
def test_error_kinds_are_located(text: str, expected: str) -> None:
    found = errors(text)
    assert any(e.startswith(expected) for e in found), found


def test_every_problem_is_reported_at_once() -> None:
    found = errors(
        HEAD + "components:\n  - {id: a, kind: cach}\n  - {id: b, kind: client, replicas: 0}\n"
    )
    assert len(found) == 2


def test_a_flow_to_nothing_is_reported_with_the_models_errors() -> None:
    text = HEAD + (
        "components:\n  - {id: gateway, kind: cach}\n  - {id: db, kind: database}\n"
        "flows:\n  - {from: gateway, to: dbb}\n  - gateway -> db -> nowhere\n"
    )
    assert errors(text) == [
        "x.yaml:7:25: error: unknown kind 'cach'; did you mean 'cache'?",
        "x.yaml:10:25: error: flow to unknown component 'dbb'; did you mean 'db'?",
        "x.yaml:11:22: error: flow to unknown component 'nowhere'",
    ]
    # a component whose id cannot be read may be the one a flow names: nothing guessed
    unreadable = HEAD + "components:\n  - {id: 7, kind: cache}\nflows:\n  - {from: 7, to: x}\n"
    assert not [e for e in errors(unreadable) if "unknown component" in e]
    # a valid model reports it once, from the view's own check
    assert (
        len(errors(HEAD + "components: [{id: a, kind: cache}]\nflows: [{from: a, to: b}]\n")) == 1
    )


def test_unknown_flow_endpoint_suggests() -> None:
    found = errors(
        HEAD + "components:\n  - {id: gateway, kind: cache}\n"
        "flows:\n  - {from: gateway, to: gatway}\n"
    )
    assert found == [
        "x.yaml:9:25: error: flow to unknown component 'gatway'; did you mean 'gateway'?"
    ]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    found = errors("\n".join(lines) + "\n")
    assert "alias bomb" in found[0]


def test_deep_nesting_is_refused() -> None:
    found = errors("[" * 5000 + "]" * 5000 + "\n")
    assert "nesting deeper than" in found[0]


def test_arbitrary_tags_are_refused() -> None:
    found = errors("id: !!python/object/apply:os.system ['echo hi']\n")
    assert "unsupported YAML tag" in found[0]


def test_yes_and_off_stay_strings() -> None:
    found = errors(HEAD + "components:\n  - {id: a, kind: cache, stateful: yes}\n")
    assert "stateful: input should be a valid boolean (got 'yes')" in found[0]


def test_graph_has_what_the_yaml_says() -> None:
    design = load_design(FIXTURE)
    graph = build_graph(design)
    assert set(graph) == {c.id for c in design.components}
    assert graph.nodes["gateway"]["layers"] == {
        "api_gateway",
        "auth",
        "rate_limiter",
        "load_balancer",
    }
    assert graph.nodes["model"]["replicas"] == 4
    assert graph.has_edge("chat", "model") and graph.edges["chat", "model"]["sync"]
    assert not graph.edges["guard", "audit"]["sync"]
    assert build_graph(design, 1).nodes["model"]["replicas"] == 40
    assert build_graph(design, "ten-x").graph["scale"].peak_qps == 1000


def test_cli_validate_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + "components:\n  - {id: a, kind: cach}\n")
    original = bad.read_bytes()
    run = subprocess.run(
        [sys.executable, "-m", "sysdesign", "validate", str(FIXTURE), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert f"{bad}:7:19: error: unknown kind 'cach'" in run.stderr
    assert bad.read_bytes() == original
    ok = subprocess.run(
        [sys.executable, "-m", "sysdesign", "validate", str(FIXTURE), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["diagnostics"] == []


def test_schema_accepts_bundled_designs_and_is_current() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from sysdesign.schema import design_schema, design_schema_text

    root = Path(__file__).parent.parent
    committed = root / "schema" / "design.schema.json"
    assert committed.read_text() == design_schema_text(), (
        "run: sysdesign schema -o schema/design.schema.json"
    )
    validator = jsonschema.Draft202012Validator(design_schema())
    for path in [FIXTURE, *sorted((root / "designs").glob("*.yaml"))]:
        errors_found = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        assert errors_found == [], (path, errors_found[:3])
