"""`sysdesign import`: Mermaid flowchart sketches -> compact designs; bad lines are located."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

from sysdesign.diagnostics import InputError
from sysdesign.loader import parse_design
from sysdesign.sketch import Node, guess_kind, import_sketch, read_sketch

SKETCHES = ROOT / "tests" / "fixtures" / "sketches"


def filled(text: str) -> str:
    """The imported design with the figures a user states."""
    return text.replace("peak_qps: null", "peak_qps: 100").replace(
        "p99_latency_ms: null", "p99_latency_ms: 500"
    )


def problems(text: str, tmp_path: Path) -> list[str]:
    sketch = tmp_path / "s.mmd"
    sketch.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_sketch(sketch, "s.mmd")
    return [d.format() for d in info.value.diagnostics]


@pytest.mark.parametrize("name", ["rag-chat.mmd", "search.mmd"])
def test_realistic_sketches_import_to_valid_designs(name: str) -> None:
    text = import_sketch(SKETCHES / name)
    design = parse_design(filled(text))
    assert len(design.components) >= 11 and design.flows
    for line in text.splitlines():  # every guessed kind says why
        if line.startswith("  - ") and ":" in line and "->" not in line and "{" not in line:
            assert "# kind guessed from" in line or "# no hint" in line, line
    assert "peak_qps: null  # state" in text  # no invented numbers


def test_rag_sketch_reads_as_drawn() -> None:
    text = import_sketch(SKETCHES / "rag-chat.mmd")
    data = yaml.safe_load(filled(text))
    kinds = {next(iter(c)): c[next(iter(c))] for c in data["components"]}
    assert kinds["users"] == "client" and kinds["vector-store"] == "vector_index"
    assert kinds["audit-queue"] == "queue" and kinds["audit-log"] == "audit_log"
    assert kinds["input-guard"] == "safety_filter" and kinds["chat-orchestrator"] == "service"
    assert "  - chat-orchestrator ~> audit-queue ~> audit-log\n" in text
    assert "{from: chat-orchestrator, to: vector-store, label: retrieve top-k}" in text
    assert data["groups"] == [{"id": "obs", "label": "Observability"}]
    design = parse_design(filled(text))
    assert {c.id for c in design.components if c.group == "obs"} == {
        "prometheus-metrics",
        "tracing",
    }
    assert import_sketch(SKETCHES / "rag-chat.mmd") == text  # deterministic


def test_shapes_ampersands_chains_and_labels(tmp_path: Path) -> None:
    sketch = tmp_path / "s.mmd"
    sketch.write_text(
        "flowchart LR\n"
        "  web((Web)) --> api1[Search API] & api2[Admin API]\n"
        "  api1 & api2 --> store[(Main)]\n"
        '  api1 -- "ranked: top 10 # best" --> rr["LLM reranker"]\n'
        "  api1 ==> q[Jobs]; q -. drain .-> w1[Worker]\n"
        "  subgraph core [Core tier]\n    subgraph inner\n      store\n    end\n  end\n",
        encoding="utf-8",
    )
    design = parse_design(filled(import_sketch(sketch)))
    kinds = {c.id: c.kind.value for c in design.components}
    assert kinds["web"] == "client" and kinds["store"] == "database"  # shapes
    assert kinds["api1"] == "service" and kinds["llm-reranker"] == "llm"  # longer ids are kept
    flows = {f.key: f for f in design.flows}
    assert set(flows) >= {"web->api1", "web->api2", "api2->store", "jobs->worker"}
    assert flows["jobs->worker"].mode.value == "async" and flows["jobs->worker"].label == "drain"
    assert flows["api1->llm-reranker"].label == "ranked: top 10 # best"
    assert {g.id: g.parent for g in design.groups} == {"core": None, "inner": "core"}
    assert next(c for c in design.components if c.id == "store").group == "inner"


@pytest.mark.parametrize(
    "sketch, expected",
    [
        ("sequenceDiagram\n  A->>B: hi\n", "s.mmd:1:1: error: not a Mermaid flowchart"),
        ("", "s.mmd:1:1: error: empty sketch"),
        ("%% only a comment\n", "s.mmd:1:1: error: empty sketch"),
        ("flowchart LR\n", "s.mmd:1:1: error: the flowchart has no nodes"),
        ("flowchart LR\n  A[Foo --> B\n", "s.mmd:2:4: error: node shape '[' is never closed"),
        ("flowchart LR\n  A <--> B\n", "s.mmd:2:5: error: two-way arrow"),
        ("flowchart LR\n  A --- B\n", "s.mmd:2:5: error: '---' has no direction"),
        ("flowchart LR\n  A -.- B\n", "s.mmd:2:5: error: '-.-' has no direction"),
        ("flowchart LR\n  A --> \n", "s.mmd:2:8: error: expected a node id here"),
        ("flowchart LR\n  A --> B\n  end\n", "s.mmd:3:3: error: 'end' without a subgraph"),
        ("flowchart LR\n  subgraph x\n  A --> B\n", "s.mmd:3:1: error: subgraph 'x' is never"),
        ("flowchart LR\n  A --> A\n", "s.mmd:2:5: error: 'a' links to itself"),
        ("flowchart LR\n  A --> B\n  A --> B\n", "s.mmd:3:5: error: a --> b is drawn twice"),
        ("flowchart LR\n  A ~~> B\n", "s.mmd:2:5: error: expected an arrow"),
        ('flowchart LR\n  A["oops] --> B\n', "s.mmd:2:5: error: unclosed quote"),
        ("flowchart LR\n  A → B\n", "s.mmd:2:5: error: expected an arrow"),
    ],
)
def test_unreadable_lines_are_located(sketch: str, expected: str, tmp_path: Path) -> None:
    found = problems(sketch, tmp_path)
    assert found[0].startswith(expected), found


def test_unclosed_front_matter(tmp_path: Path) -> None:
    found = problems("---\ntitle: x\nflowchart LR\n", tmp_path)
    assert "s.mmd:1:1: error: front matter opened with '---' is never closed" in found


def test_every_problem_at_once(tmp_path: Path) -> None:
    found = problems("flowchart TD\n  A --- B\n  C[x --> D\n  E <--> F\n  G --> H\n", tmp_path)
    assert [f.split(":")[1] for f in found] == ["2", "3", "4"]


@pytest.mark.parametrize(
    "hostile",
    [
        "flowchart LR\n" + "A-->" * 2000 + "B\n",
        "flowchart LR\n  A[" + "x" * 100000 + "] --> B\n",
        "flowchart LR\n  A[\x00\x07] --> B['\"]\n",
        'flowchart LR\n  A["key: value\n"] --> B\n',
        'flowchart LR\n  A[yes] --> B[null] --> C["- [x]"] --> D["#!"]\n',
        "flowchart LR\n  group[group] --> notes[Notes] --> label((label))\n",
        'flowchart LR\n  A["x # kind guessed"] --> B\n',
        "flowchart LR\n  Ä[Über] --> 日本[日本語]\n",
        "flowchart LR\n" + "  subgraph s\n" * 70 + "  A --> B\n" + "  end\n" * 70,
        "\ufeffflowchart LR\n  A --> B\n",
        "flowchart LR\n  A --> B --> \n",
        "flowchart LR\n  A -->|unclosed B\n",
    ],
)
def test_hostile_sketches_never_crash(hostile: str, tmp_path: Path) -> None:
    sketch = tmp_path / "s.mmd"
    sketch.write_text(hostile, encoding="utf-8")
    try:
        text = import_sketch(sketch, "s.mmd")
    except InputError as exc:
        assert all(d.file == "s.mmd" and d.line >= 1 and d.col >= 1 for d in exc.diagnostics)
        return
    parse_design(filled(text), "imported.yaml")  # whatever it writes is a valid design


def test_binary_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "b.mmd").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match="not valid UTF-8"):
        import_sketch(tmp_path / "b.mmd")
    with pytest.raises(InputError, match="cannot read file"):
        import_sketch(tmp_path / "missing.mmd")
    (tmp_path / "c.mmd").write_bytes(b"flowchart LR\n  ab\xff --> c\n")
    with pytest.raises(InputError) as bad:
        import_sketch(tmp_path / "c.mmd")
    assert [(d.line, d.col) for d in bad.value.diagnostics] == [(2, 5)]  # the byte itself


def test_kind_guess_prefers_the_head_noun_and_says_why() -> None:
    assert guess_kind(Node("x", "Auth service")) == ("auth", "kind guessed from 'auth'")
    assert guess_kind(Node("x", "Ingest workers"))[0] == "worker"
    assert guess_kind(Node("x", "Thing", "cylinder")) == (
        "database",
        "kind guessed from its cylinder shape",
    )
    assert guess_kind(Node("x", "Thing"))[0] == "service"


def test_read_sketch_keeps_order_and_columns() -> None:
    sketch = read_sketch("flowchart LR\n  b --> a\n  c -.-> b\n", "s.mmd")
    assert list(sketch.nodes) == ["b", "a", "c"]
    assert [(e.source, e.target, e.is_async, e.line, e.col) for e in sketch.edges] == [
        ("b", "a", False, 2, 5),
        ("c", "b", True, 3, 5),
    ]


def test_cli_writes_a_file_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    done = run_cli(tmp_path, "import", str(SKETCHES / "search.mmd"), "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert "state scale.peak_qps" in done.stdout
    again = run_cli(tmp_path, "import", str(SKETCHES / "search.mmd"), "-o", str(target))
    assert again.returncode == 2 and "--force" in again.stderr
    forced = run_cli(tmp_path, "import", str(SKETCHES / "search.mmd"), "-o", str(target), "--force")
    assert forced.returncode == 0 and (tmp_path / "mine.yaml.bak").exists()
    bad = tmp_path / "bad.mmd"
    bad.write_text("flowchart LR\n  A --- B\n")
    failed = run_cli(tmp_path, "import", str(bad))
    assert failed.returncode == 2 and "bad.mmd:2:5: error:" in failed.stderr
    assert "Traceback" not in failed.stderr
    printed = run_cli(tmp_path, "import", str(SKETCHES / "search.mmd"))
    assert printed.stdout == target.read_text()


def test_every_sketch_word_and_shape_names_a_kind_of_the_taxonomy() -> None:
    from sysdesign.kind_words import SKETCH_SHAPES, SKETCH_WORDS
    from sysdesign.taxonomy import KIND_NAMES

    named = {kind for kind, _ in SKETCH_WORDS} | set(SKETCH_SHAPES.values())
    assert named and named <= set(KIND_NAMES), sorted(named - set(KIND_NAMES))
