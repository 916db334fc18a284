"""Rendering: golden DOT and Mermaid, real Graphviz acceptance, hostile labels, portable and
deterministic SVG, findings and stage highlights, atomic output and the CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sysdesign.checks.findings import Finding
from sysdesign.cli import app
from sysdesign.loader import load_design
from sysdesign.render import build_dot, build_mermaid, build_scene, render
from sysdesign.render import output as output_module
from sysdesign.render.graphviz_run import GraphvizError, dot_command
from sysdesign.render.icons import icon_for, icon_images, icon_root
from sysdesign.render.journey import build_journey, build_journey_mermaid, clients
from sysdesign.render.mermaid import mermaid_text
from sysdesign.render.svg_portable import local_references
from sysdesign.taxonomy import KIND_NAMES

ROOT = Path(__file__).resolve().parent
FIXTURE = ROOT / "fixtures" / "minimal.yaml"
GOLDEN = ROOT / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz `dot` is not installed")

HOSTILE = [
    'say "hi"',
    "<b>bold</b> & <i>",
    "{braces} [brackets] | pipe",
    "# not a comment; %% nor this",
    "`ticks` and \\backslash\\ \\N \\n",
    "Ünïcødé 日本語 ✓",
    "end",
]


def _write(tmp_path: Path, data: dict, name: str = "design.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _load(path: Path):  # type: ignore[no-untyped-def]
    return load_design(path, path.name)


@pytest.fixture
def minimal():  # type: ignore[no-untyped-def]
    return _load(FIXTURE)


def _findings() -> list[Finding]:
    return [
        Finding("SD001", "error", "safety", "t", "m", components=("chat",)),
        Finding("SD002", "warning", "capacity", "t", "m", components=("model", "chat")),
        Finding("SD003", "warning", "capacity", "t", "m", components=("gateway",)),
        Finding("SD004", "error", "safety", "t", "m", missing_layer="tracing", anchor="chat"),
        Finding("SD005", "warning", "safety", "t", "m", missing_layer="cache", anchor=None),
        Finding("SD006", "error", "x", "t", "m", components=("audit",), accepted="accepted, ok"),
    ]


def _staged_design() -> dict:
    """A design whose stage adds a component and flows, with a response streamed back."""
    return {
        "id": "staged",
        "title": "Staged",
        "prompt": "p",
        "scale": {"peak_qps": 10},
        "slo": {"p99_latency_ms": 100},
        "components": [
            {"id": "users", "kind": "client"},
            {"id": "api", "kind": "service"},
            {"id": "llm", "kind": "llm", "replicas": 12},
        ],
        "flows": [
            {"from": "users", "to": "api"},
            {"from": "api", "to": "llm"},
            {"from": "llm", "to": "users", "mode": "async", "op": "stream", "label": "tokens"},
        ],
        "stages": [
            {
                "id": "guarded",
                "title": "Add a guard",
                "constraint": "c",
                "add": {
                    "components": [{"id": "guard", "kind": "safety_filter"}],
                    "flows": [{"from": "api", "to": "guard"}],
                },
            }
        ],
    }


def _hostile_design() -> dict:
    return {
        "id": "hostile",
        "title": " / ".join(HOSTILE),
        "prompt": "p",
        "scale": {"peak_qps": 10},
        "slo": {"p99_latency_ms": 100},
        "groups": [
            {"id": "outer", "label": HOSTILE[1]},
            {"id": "end", "label": HOSTILE[3], "parent": "outer"},
        ],
        "components": [
            {"id": f"c{i}", "kind": kind, "label": label, "group": "end" if i % 2 else None}
            for i, (label, kind) in enumerate(zip(HOSTILE, KIND_NAMES, strict=False))
        ]
        + [
            {"id": "end", "kind": "service", "label": 'multi\nline "label"', "technology": "<T>"},
            {"id": "o-x", "kind": "service"},
            {"id": "o_x", "kind": "service"},
        ],
        "flows": [
            {"from": f"c{i}", "to": f"c{i + 1}", "label": label}
            for i, label in enumerate(HOSTILE[:-1])
        ]
        + [{"from": "c0", "to": "end"}, {"from": "end", "to": "o-x"}, {"from": "o-x", "to": "o_x"}],
    }


# --- golden files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stage", "with_findings"),
    [("minimal", None, False), ("minimal.stage-1.findings", 1, True)],
)
def test_golden_dot_and_mermaid(minimal, name, stage, with_findings) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene(minimal, stage, _findings() if with_findings else None)
    for suffix, text in (("dot", build_dot(scene)), ("mmd", build_mermaid(scene))):
        golden = GOLDEN / f"{name}.{suffix}"
        if UPDATE:
            golden.write_text(text, encoding="utf-8")
        assert text == golden.read_text(encoding="utf-8"), f"{golden.name} changed"


def test_every_kind_has_a_neutral_icon_and_every_image_exists() -> None:
    for kind in KIND_NAMES:
        icon = icon_for(kind)
        assert icon.badge and icon.colour.startswith("#") and icon.vendor is None, kind
    for image in icon_images():
        assert (icon_root() / image).is_file(), image


# --- DOT --------------------------------------------------------------------------------------


@needs_dot
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_dot_accepts_the_dot_output_without_warnings(minimal, fmt) -> None:  # type: ignore[no-untyped-def]
    dot = build_dot(build_scene(minimal, 1, _findings()))
    proc = subprocess.run(dot_command(fmt), input=dot.encode(), capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert b"Warning" not in proc.stderr and b"Error" not in proc.stderr, proc.stderr


def test_dot_has_stable_ids_and_no_machine_paths(minimal) -> None:  # type: ignore[no-untyped-def]
    dot = build_dot(build_scene(minimal))
    for cid in ("users", "gateway", "guard", "chat", "model", "audit", "metrics"):
        assert re.search(rf'^\s*"{cid}" \[', dot, re.M), cid
    assert "cluster_edge" in dot
    assert str(icon_root()) not in dot and not re.search(r"[0-9a-f]{32}", dot)


def test_backward_edges_do_not_constrain_the_layout(tmp_path) -> None:  # type: ignore[no-untyped-def]
    design = _load(_write(tmp_path, _staged_design()))
    scene = build_scene(design)
    backward = {(e.tail, e.head) for e in scene.edges if e.backward}
    assert backward == {("llm", "users")}
    dot = build_dot(scene)
    (line,) = [ln for ln in dot.splitlines() if ln.strip().startswith('"llm" -> "users"')]
    assert 'constraint="false"' in line and 'style="dashed"' in line and "label=<tokens>" in line
    assert "x12" in dot


# --- findings and stages ----------------------------------------------------------------------


def test_findings_outline_components_and_ghost_missing_layers(minimal) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene(minimal, findings=_findings())
    status = {n.id: n.status for n in scene.nodes}
    assert status["chat"] == "error"  # error beats warning
    assert status["model"] == "warning" and status["gateway"] == "warning"
    assert status["audit"] is None  # accepted findings are left out
    assert [(g.layer, g.anchor) for g in scene.ghosts] == [("cache", None), ("tracing", "chat")]
    dot = build_dot(scene)
    assert re.search(r'^\s*"chat" \[label=<<TABLE[^>]*COLOR="#D63031"', dot, re.M)
    assert re.search(r'^\s*"model" \[label=<<TABLE[^>]*COLOR="#E1A100"', dot, re.M)
    assert "SD001 SD002" in dot  # the box says why it is red
    assert "missing layer: tracing (SD004)" in dot and "missing layer: cache (SD005)" in dot
    assert re.search(r'"chat" -> "_missing_tracing__chat" \[[^\]]*style="dashed"', dot)
    mmd = build_mermaid(scene)
    assert 'missing_2["missing: tracing"]' in mmd and "c_chat -.- missing_2" in mmd


def test_clean_leaves_findings_out(minimal) -> None:  # type: ignore[no-untyped-def]
    assert build_dot(build_scene(minimal, findings=_findings(), clean=True)) == build_dot(
        build_scene(minimal)
    )


def test_report_objects_are_accepted(minimal) -> None:  # type: ignore[no-untyped-def]
    class FakeReport:
        def __init__(self) -> None:
            self.open_findings = [f for f in _findings() if f.is_open]

    assert build_scene(minimal, findings=FakeReport()) == build_scene(minimal, findings=_findings())


def test_stage_highlights_what_it_added(tmp_path) -> None:  # type: ignore[no-untyped-def]
    design = _load(_write(tmp_path, _staged_design()))
    scene = build_scene(design, "guarded")
    assert [n.id for n in scene.nodes if n.added] == ["guard"]
    assert [e.key for e in scene.edges if e.added] == ["api->guard"]
    dot = build_dot(scene)
    assert re.search(r'^\s*"guard" \[label=<<TABLE[^>]*BGCOLOR="#E3F7EA"', dot, re.M)
    assert re.search(r'"api" -> "guard" \[[^\]]*style="bold"', dot)
    assert "added in stage 1" in dot and "as of stage 1: Add a guard" in dot
    mmd = build_mermaid(scene)
    assert "class c_guard added" in mmd and "linkStyle 3 " in mmd
    assert not build_scene(design, 0).has_added


# --- hostile labels ---------------------------------------------------------------------------


def _dot_unescape(value: str) -> list[str]:
    """A DOT escString label (as Graphviz's json reports it) back into lines."""
    lines, current, i = [], "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            if nxt == "n":
                lines.append(current)
                current = ""
            else:
                current += nxt
            i += 2
        else:
            current += value[i]
            i += 1
    return [*lines, current]


@needs_dot
def test_hostile_labels_round_trip_through_dot_and_svg(tmp_path) -> None:  # type: ignore[no-untyped-def]
    design = _load(_write(tmp_path, _hostile_design()))
    scene = build_scene(design)
    dot = build_dot(scene)
    proc = subprocess.run(dot_command("json"), input=dot.encode(), capture_output=True, check=True)
    laid_out = json.loads(proc.stdout)  # Graphviz parsed it: one object per node and cluster
    names = {o["name"] for o in laid_out.get("objects", [])}
    assert {n.id for n in scene.nodes} <= names
    assert {"cluster_outer", "cluster_end"} <= names

    svg = render(design, ("svg",))["svg"]
    root = ET.fromstring(svg)
    texts = {"".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")}
    for node in scene.nodes:
        for line in node.lines:
            assert line.strip() in texts, line
    for group in scene.groups:
        assert group.label.strip() in texts
    for edge in scene.edges:
        for line in edge.label_lines:
            assert line.strip() in texts, line
    assert design.title in texts  # the title in the legend's HTML label
    titles = {"".join(a.get("{http://www.w3.org/1999/xlink}title", "")) for a in root.iter()}
    assert 'multi line "label" - service - <T>' in titles  # the full text in the tooltip


def _mermaid_labels(mmd: str) -> list[list[str]]:
    labels = re.findall(r'"([^"]*)"', mmd)
    return [
        [re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), part) for part in label.split("<br/>")]
        for label in labels
    ]


def test_hostile_labels_round_trip_through_mermaid(tmp_path) -> None:  # type: ignore[no-untyped-def]
    design = _load(_write(tmp_path, _hostile_design()))
    scene = build_scene(design)
    mmd = build_mermaid(scene)
    decoded = _mermaid_labels(mmd)
    for node in scene.nodes:
        assert list(node.lines) in decoded, node.id
    for group in scene.groups:
        assert [group.label] in decoded
    for edge in scene.edges:
        if edge.label_lines:
            assert list(edge.label_lines) in decoded
    # structure: every line is one statement of the forms the exporter writes
    label = r'"(?:[^"#]|#\d+;)*"'  # quoted; a '#' only as an entity
    node_id = r"(?:c|g)_\w+|missing_\d+"
    statement = re.compile(
        rf"%% .*|flowchart LR|end|subgraph g_\w+ \[{label}\]"
        rf"|(?:{node_id})(?:\(\[{label}\]\)|\[\({label}\)\]|\[\[{label}\]\]"
        rf"|\{{\{{{label}\}}\}}|\({label}\)|\[{label}\])"
        rf"|(?:{node_id}) (?:-->|-\.->)(?:\|{label}\|)? (?:{node_id})"
        rf"|(?:{node_id}) -\.- missing_\d+|classDef \w+ [^\s]+(?: \d+)?|class [\w,]+ \w+"
        rf"|linkStyle [\d,]+ \S+"
    )
    for line in mmd.splitlines():
        assert statement.fullmatch(line.strip()), line
    ids = re.findall(r"^\s*(\w+)[\[\(\{]", mmd, re.M)
    assert "end" not in ids and len(ids) == len(set(ids))
    assert "c_o_x" in mmd and "c_o_x_2" in mmd  # 'o-x' and 'o_x' stay distinct
    opens = sum(1 for ln in mmd.splitlines() if ln.strip().startswith("subgraph "))
    assert opens == sum(1 for ln in mmd.splitlines() if ln.strip() == "end") == 2


def test_mermaid_text_encodes_the_fragile_characters() -> None:
    assert mermaid_text('a "b" #c') == "a #34;b#34; #35;c"
    assert mermaid_text("<end>") == "#60;end#62;"
    assert mermaid_text("日本") == "日本"


# --- SVG portability and determinism ----------------------------------------------------------


@needs_dot
def test_svg_embeds_icons_and_references_no_local_file(minimal) -> None:  # type: ignore[no-untyped-def]
    svg = render(minimal, ("svg",), findings=_findings())["svg"]
    assert local_references(svg) == []
    text = svg.decode("utf-8")
    assert str(icon_root()) not in text and "resources/" not in text
    assert "/tmp" not in text and os.getcwd() not in text
    images = {n.icon.image for n in build_scene(minimal).nodes if n.icon.image}
    assert text.count("data:image/png;base64,") == len(images)
    assert "<use " in text
    ET.fromstring(svg)  # well-formed XML


@needs_dot
def test_rendering_twice_gives_identical_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    design = _load(_write(tmp_path, _hostile_design()))
    first = render(design, findings=_findings())
    second = render(design, findings=_findings())
    assert set(first) == {"svg", "png", "dot", "mmd"}
    for fmt in first:
        assert first[fmt] == second[fmt], fmt


# --- atomic output ----------------------------------------------------------------------------


def test_a_failed_render_leaves_earlier_files_untouched(minimal, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    written = output_module.write_outputs(
        out, "minimal", 0, output_module.render_scene(build_scene(minimal), ("dot", "mmd"))
    )
    before = {p.name: p.read_bytes() for p in written}

    def broken(source: str, formats: tuple[str, ...]) -> dict[str, bytes]:
        raise GraphvizError("boom")

    monkeypatch.setattr(output_module, "run_dot_formats", broken)
    with pytest.raises(GraphvizError):
        output_module.render_scene(build_scene(minimal, 1), ("dot", "mmd", "svg"))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# --- CLI --------------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    (tmp_path / "designs").mkdir()
    shutil.copy(FIXTURE, tmp_path / "designs" / "minimal.yaml")
    _write(tmp_path / "designs", _staged_design(), "staged.yaml")
    monkeypatch.setenv("SYSDESIGN_ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_exports_dot_and_mermaid_without_graphviz(project, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    empty = project / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    runner = CliRunner()
    result = runner.invoke(app, ["render", "minimal"])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert "apt-get install -y graphviz" in lines[0] and "brew install graphviz" in lines[0]
    assert not (project / "renders").exists()
    result = runner.invoke(app, ["render", "minimal", "--format", "dot,mmd", "--stage", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "renders" / "minimal").iterdir()) == [
        "minimal.stage-1.diff.dot",
        "minimal.stage-1.dot",
        "minimal.stage-1.journey-users.dot",
        "minimal.stage-1.journey-users.mmd",
        "minimal.stage-1.mmd",
        "minimal.stage-1.overview.dot",
    ]


def test_cli_invalid_design_prints_located_errors_and_writes_nothing(project) -> None:  # type: ignore[no-untyped-def]
    bad = project / "designs" / "bad.yaml"
    bad.write_text(FIXTURE.read_text().replace("kind: llm", "kind: llama"), encoding="utf-8")
    result = CliRunner().invoke(app, ["render", str(bad), "-f", "dot"])
    assert result.exit_code == 2
    assert re.search(r"bad\.yaml:\d+:\d+: error:", result.output)
    result = CliRunner().invoke(app, ["render", "--all", "-f", "dot"])
    assert result.exit_code == 2
    assert not (project / "renders").exists()


@needs_dot
def test_cli_all_renders_every_design_and_stage(project) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["render", "--all", "-v", "full", "--format", "svg,dot,mmd"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (project / "renders").rglob("*") if p.is_file())
    assert names == sorted(
        f"{d}{s}.{fmt}"
        for d in ("minimal", "staged")
        for s in ("", ".stage-1")
        for fmt in ("svg", "dot", "mmd")
    )
    first = {p: p.read_bytes() for p in (project / "renders").rglob("*.*")}
    again = ["render", "--all", "-v", "full", "-f", "svg,dot,mmd", "--workers", "2"]
    assert CliRunner().invoke(app, again).exit_code == 0
    assert {p: p.read_bytes() for p in (project / "renders").rglob("*.*")} == first


def test_cli_rejects_bad_arguments(project) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    assert runner.invoke(app, ["render"]).exit_code == 2
    assert runner.invoke(app, ["render", "minimal", "--all"]).exit_code == 2
    assert runner.invoke(app, ["render", "minimal", "-f", "gif"]).exit_code == 2
    result = runner.invoke(app, ["render", "minimal", "--stage", "9", "-f", "dot"])
    assert result.exit_code == 2 and "no stage 9" in result.output


MERMAID_PARSER = r"""
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import fs from 'node:fs';
const dir = process.env.SYSDESIGN_MERMAID_MODULES;
const { JSDOM } = createRequire(dir + '/')('jsdom');
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const entry = pathToFileURL(dir + '/node_modules/mermaid/dist/mermaid.core.mjs');
const { default: mermaid } = await import(entry.href);
mermaid.initialize({ startOnLoad: false });
for (const f of process.argv.slice(2)) await mermaid.parse(fs.readFileSync(f, 'utf8'));
"""


BUNDLED_MERMAID = Path(__file__).parent.parent / "tools" / "mermaid"
MERMAID_MODULES = os.environ.get("SYSDESIGN_MERMAID_MODULES") or (
    str(BUNDLED_MERMAID) if (BUNDLED_MERMAID / "node_modules" / "mermaid").is_dir() else ""
)


@pytest.mark.skipif(
    not (MERMAID_MODULES and shutil.which("node")),
    reason="Mermaid's parser is not installed: setup.sh installs it where npm is available",
)
def test_mermaid_accepts_the_mermaid_output(tmp_path, minimal) -> None:  # type: ignore[no-untyped-def]
    hostile = _load(_write(tmp_path, _hostile_design()))
    staged = _load(_write(tmp_path, _staged_design(), "staged.yaml"))
    charts = [
        build_mermaid(build_scene(minimal, 1, _findings())),
        build_mermaid(build_scene(hostile)),
        build_mermaid(build_scene(staged, 1)),
    ]
    for design in (hostile, staged, minimal):
        scene = build_scene(design)
        charts.extend(build_journey_mermaid(scene, build_journey(scene, c)) for c in clients(scene))
    files = []
    for i, chart in enumerate(charts):
        files.append(tmp_path / f"chart{i}.mmd")
        files[-1].write_text(chart, encoding="utf-8")
    script = tmp_path / "parse.mjs"
    script.write_text(MERMAID_PARSER, encoding="utf-8")
    proc = subprocess.run(
        ["node", str(script), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SYSDESIGN_MERMAID_MODULES": MERMAID_MODULES},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
