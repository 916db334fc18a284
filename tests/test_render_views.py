"""The views (overview, full, journey, diff), honest icons and word-boundary labels, checked on
the four reference drills and on small designs built to break one thing at a time."""

from __future__ import annotations

import json
import re
import shutil
import struct
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sysdesign.checks import run_checks
from sysdesign.checks.findings import Finding
from sysdesign.cli import app
from sysdesign.loader import load_design
from sysdesign.paths import reference_designs_dir
from sysdesign.render import build_dot, build_scene
from sysdesign.render.diff import build_diff, build_diff_dot
from sysdesign.render.graphviz_run import run_dot
from sysdesign.render.icons import icon_for, named_vendor, vendor_pattern
from sysdesign.render.journey import Hop, build_journey, build_journey_dot, build_journey_mermaid
from sysdesign.render.labels import short_technology, wrap_words
from sysdesign.render.overview import build_overview_dot
from sysdesign.render.view_set import parse_views
from sysdesign.views import view_of

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = sorted(reference_designs_dir().glob("*.yaml"))
BASELINE = json.loads((ROOT / "bench" / "full_view_baseline.json").read_text())
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def _stages(path: Path) -> list[tuple[object, int]]:
    design = load_design(path)
    return [(design, s) for s in range(len(design.stages) + 1)]


ALL_STAGES = [(p, s) for p in REFERENCES for s in range(len(load_design(p).stages) + 1)]


def _write(tmp_path: Path, data: dict) -> object:
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_design(path)


# --- honest icons -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", REFERENCES, ids=lambda p: p.stem)
def test_no_vendor_icon_unless_the_technology_names_the_vendor(path: Path) -> None:
    design = load_design(path)
    vendors = 0
    for stage in range(len(design.stages) + 1):
        for node in build_scene(design, stage).nodes:
            component = view_of(design, stage).components[node.id]
            if node.icon.vendor is not None:
                vendors += 1
                assert vendor_pattern(node.icon.vendor).search(component.technology or ""), (
                    f"{node.id}: {node.icon.vendor} logo on {component.technology!r}"
                )
            else:
                assert node.icon.image in (None, *_neutral_images()), node.id
    assert vendors, "the references name vendors: some logos are expected"


def _neutral_images() -> tuple[str, ...]:
    from sysdesign.render.icon_data import NEUTRAL_IMAGES

    return tuple(NEUTRAL_IMAGES.values())


@pytest.mark.parametrize(
    ("kind", "technology", "vendor"),
    [
        ("database", "ScyllaDB x48", "ScyllaDB"),
        ("database", "Bigtable, 3 clusters", "Bigtable"),
        ("database", "Custom LSM store", None),
        ("cache", "Memcached cluster", "Memcached"),
        ("cache", "In-process LRU", None),
        ("scheduler", "Generic crawler frontier", None),
        ("scheduler", "Airflow + crawler frontier", "Airflow"),
        ("stream", "Kafka, RF 3", "Kafka"),
        ("object_store", "Apache Iceberg on S3", "S3"),
        ("service", "Rediscover service", None),  # a word that merely starts like a vendor
        ("service", "Go service", None),
    ],
)
def test_icons_follow_the_technology_not_the_kind(kind, technology, vendor) -> None:  # type: ignore[no-untyped-def]
    icon = icon_for(kind, technology)
    assert icon.vendor == vendor
    if vendor is None:
        assert icon.image is None and icon.badge  # the kind's neutral badge
    assert icon_for(kind).vendor is None  # no technology: never a vendor
    assert named_vendor(None) is None


# --- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", REFERENCES, ids=lambda p: p.stem)
def test_labels_wrap_on_word_boundaries_only(path: Path) -> None:
    design = load_design(path)
    scene = build_scene(design, len(design.stages))
    for node in scene.nodes:
        component = view_of(design, len(design.stages)).components[node.id]
        assert " ".join(node.name_lines).split() == component.display.split(), node.id
        if component.technology:
            words = set(re.findall(r"[^\s,;(:]+", component.technology))
            for word in node.detail_lines[0].split():
                word = word.rstrip("…").strip(",;(:")
                assert word in words or re.fullmatch(r"x\d+", word), (node.id, word)
        assert component.display in node.tooltip
        assert component.technology is None or component.technology in node.tooltip


def test_wrap_and_shorten_keep_whole_words() -> None:
    assert wrap_words("Query broker (scatter-gather)", 15) == ("Query broker", "(scatter-gather)")
    assert wrap_words("Supercalifragilistic service", 8) == ("Supercalifragilistic", "service")
    assert short_technology("Redis (doc_id -> title)") == "Redis"
    text = "Impact-ordered postings on NVMe with anytime ranking under a budget"
    short = short_technology(text, 30)
    assert short.endswith("…") and text.startswith(short[:-1]) and len(short) <= 31
    assert text[len(short) - 1] == " "  # cut between words


# --- findings on the picture ------------------------------------------------------------------


def test_red_and_amber_boxes_carry_their_codes_and_utilisation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    design = load_design(ROOT / "tests" / "fixtures" / "minimal.yaml")
    findings = [
        Finding("SD201", "warning", "capacity", "Above target utilisation", "m", ("model",)),
        Finding("SD101", "error", "safety", "Unscreened path", "m", ("chat",)),
        Finding("SD105", "warning", "layers", "No tracing", "m", missing_layer="tracing"),
    ]
    scene = build_scene(design, 0, findings)
    dot = build_dot(scene)
    model = next(n for n in scene.nodes if n.id == "model")
    assert model.capacity_flagged and model.utilisation is not None
    assert f"SD201 · {model.utilisation:.0%} util" in dot
    assert re.search(r'"chat" \[label=<<TABLE[^>]*COLOR="#D63031".*SD101', dot)
    assert "Above target utilisation" in dot and "Unscreened path" in dot  # the legend
    assert "missing layer: tracing (SD105)" in dot


# --- diff -------------------------------------------------------------------------------------


def _classes(dot: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, cls in re.findall(r'^\s*"([^"]+)" \[label=<<TABLE.*?class="(\w+)"', dot, re.M):
        found.setdefault(cls, set()).add(name)
    return found


@pytest.mark.parametrize(
    ("path", "stage"), [x for x in ALL_STAGES if x[1] > 0], ids=lambda x: getattr(x, "stem", str(x))
)
def test_diff_shows_exactly_the_stage_changes(path: Path, stage: int) -> None:
    design = load_design(path)
    before, after = view_of(design, stage - 1), view_of(design, stage)
    classes = _classes(build_diff_dot(build_diff(design, stage)))
    assert classes.get("added", set()) == set(after.components) - set(before.components)
    assert classes.get("added", set()) == set(after.added_components)
    assert classes.get("removed", set()) == set(before.components) - set(after.components)
    really_changed = {
        c
        for c in after.changed_components
        if before.components[c].model_dump() != after.components[c].model_dump()
    }
    assert classes.get("changed", set()) == really_changed
    assert (
        classes.get("same", set())
        == set(before.components) & set(after.components) - really_changed
    )


def test_diff_draws_removed_components_and_flows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    design = _write(
        tmp_path,
        {
            "id": "shrink",
            "title": "Shrink",
            "prompt": "p",
            "scale": {"peak_qps": 10},
            "slo": {"p99_latency_ms": 100},
            "components": [
                {"id": "users", "kind": "client"},
                {"id": "api", "kind": "service", "replicas": 2},
                {"id": "old-cache", "kind": "cache"},
                {"id": "db", "kind": "database", "capacity_rps": 2500.0, "availability": 0.999},
            ],
            "flows": [
                {"from": "users", "to": "api"},
                {"from": "api", "to": "old-cache"},
                {"from": "api", "to": "db"},
            ],
            "stages": [
                {
                    "id": "s1",
                    "title": "Drop the cache",
                    "constraint": "c",
                    "remove": {"components": ["old-cache"]},
                    "change": [
                        {"id": "api", "replicas": 6},
                        {"id": "db", "capacity_rps": 12000.0, "availability": 0.9995},
                    ],
                    "add": {
                        "components": [{"id": "search", "kind": "search_index"}],
                        "flows": [{"from": "api", "to": "search"}],
                    },
                }
            ],
        },
    )
    diff = build_diff(design, 1)
    dot = build_diff_dot(diff)
    assert _classes(dot) == {
        "added": {"search"},
        "removed": {"old-cache"},
        "changed": {"api", "db"},
        "same": {"users"},
    }
    assert re.search(r'"api" -> "old-cache" \[class="removed"[^\]]*style="dashed,bold"', dot)
    assert re.search(r'"api" -> "search" \[class="added"', dot)
    assert "replicas: 2 → 6" in dot
    assert "capacity_rps: 2,500 → 12,000" in dot  # as a reader writes it, not 2500.0
    assert "availability: 0.999 → 0.9995" in dot
    assert "1 added, 1 removed, 2 changed" in dot
    with pytest.raises(ValueError, match="stage 1"):
        build_diff(design, 0)


@pytest.mark.parametrize("path", REFERENCES, ids=lambda p: p.stem)
def test_views_keep_component_order_from_stage_to_stage(path: Path) -> None:
    """Stable layout: every stage's full view, and each diff, list the components the earlier
    stage had in the same relative order (Graphviz places nodes in that order)."""
    design = load_design(path)

    def order(dot: str) -> list[str]:
        return re.findall(r'^\s*"([^"]+)" \[label=<<TABLE', dot, re.M)

    previous = order(build_dot(build_scene(design, 0)))
    for stage in range(1, len(design.stages) + 1):
        current = order(build_dot(build_scene(design, stage)))
        diff = order(build_diff_dot(build_diff(design, stage)))
        kept = [c for c in previous if c in current]
        assert [c for c in current if c in kept] == kept, stage
        assert [c for c in diff if c in previous] == previous, stage
        previous = current


# --- journey ----------------------------------------------------------------------------------


def _journey_design(tmp_path: Path) -> object:
    return _write(
        tmp_path,
        {
            "id": "trip",
            "title": "Trip",
            "prompt": "p",
            "scale": {"peak_qps": 100},
            "slo": {"p99_latency_ms": 500},
            "components": [
                {"id": "users", "kind": "client"},
                {"id": "admins", "kind": "client"},
                {"id": "api", "kind": "service", "capacity_rps": 200, "latency_ms": 5},
                {"id": "auth", "kind": "auth", "capacity_rps": 400, "latency_ms": 2},
                {"id": "limits", "kind": "rate_limiter", "latency_ms": 1},
                {"id": "model", "kind": "llm", "capacity_rps": 120, "latency_ms": 300},
                {"id": "db", "kind": "database", "latency_ms": 4},
                {"id": "events", "kind": "queue"},
                {"id": "worker", "kind": "worker"},
                {"id": "console", "kind": "ui"},
            ],
            "flows": [
                {"from": "users", "to": "api", "label": "ask"},
                {"from": "api", "to": "auth", "step": 1},
                {"from": "api", "to": "limits", "step": 1},
                {"from": "api", "to": "model", "step": 2, "label": "generate"},
                {"from": "model", "to": "db", "label": "context"},
                {"from": "api", "to": "events", "step": 3, "mode": "async"},
                {"from": "events", "to": "worker", "mode": "async"},
                {"from": "admins", "to": "console"},
            ],
        },
    )


def test_journey_numbers_calls_in_order_with_parallel_calls_sharing_a_number(tmp_path) -> None:  # type: ignore[no-untyped-def]
    design = _journey_design(tmp_path)
    scene = build_scene(design, 0, run_checks(design, 0))
    journey = build_journey(scene, "users")
    assert [(h.number, h.edge.head) for h in journey.hops] == [
        (1, "api"),
        (2, "auth"),
        (2, "limits"),
        (3, "model"),
        (4, "db"),
        (5, "events"),
    ]
    assert "worker" not in journey.nodes and "console" not in journey.nodes  # async not followed
    by_head = {h.edge.head: h for h in journey.hops}
    # two clients share 100 req/s: 50 reach the model, whose capacity is 120; M/M/1 queueing
    # delay = 1000 ms * (50/120) / (120 - 50) = 5.95 ms; the api: 1000 * (50/200) / 150 = 1.67 ms
    assert by_head["model"].figures == "300 ms + 6.0 ms queueing · 42% util"
    assert by_head["api"].figures == "5 ms + 1.7 ms queueing · 25% util"
    assert by_head["limits"].figures == "1 ms · util ?"  # no capacity stated: not guessed
    assert by_head["events"].figures == "latency ? · util ?"
    dot = build_journey_dot(scene, journey)
    assert "3. generate" in dot and '"console"' not in dot
    mmd = build_journey_mermaid(scene, journey)
    assert mmd.splitlines()[1] == "sequenceDiagram"
    assert re.search(r"par .*\n\s+p_api->>p_auth: 2\. .*\n\s+and\n\s+p_api->>p_limits: 2\.", mmd)
    assert "p_api-)p_events: 5." in mmd
    assert build_journey(scene, "admins").nodes == ("admins", "console")
    with pytest.raises(ValueError, match="no client 'api'"):
        build_journey(scene, "api")


def test_journey_hop_figures_saturated_extreme_and_unstated() -> None:
    edge = None  # the figures do not read the edge
    assert Hop(1, edge, 3.0, 1.5, None, True).figures == (  # type: ignore[arg-type]
        "3 ms + queue unbounded (saturated) · 150% util"
    )
    assert Hop(1, edge, 0.25, 1e300, 0.0).figures == "0.25 ms · more than 1e+300% util"  # type: ignore[arg-type]
    assert Hop(1, edge, 1200.0, 0.5, 0.04).figures == "1,200 ms · 50% util"  # type: ignore[arg-type]
    assert Hop(1, edge, None, None, None).figures == "latency ? · util ?"  # type: ignore[arg-type]


# --- overview and full view sizes (looked at; sizes asserted) -----------------------------------


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


@needs_dot
@pytest.mark.parametrize(("path", "stage"), ALL_STAGES, ids=lambda x: getattr(x, "stem", str(x)))
def test_overview_fits_a_laptop_screen_and_full_view_halves_the_area(
    path: Path, stage: int
) -> None:
    design = load_design(path)
    scene = build_scene(design, stage, run_checks(design, stage))
    width, height = _png_size(run_dot(build_overview_dot(scene), "png"))
    assert width <= 1920 and height <= 1080, (width, height)
    name = f"{design.id}.stage-{stage}.png" if stage else f"{design.id}.png"
    before_w, before_h = BASELINE[name]
    width, height = _png_size(run_dot(build_dot(scene), "png"))
    assert width * height <= 0.5 * before_w * before_h, (width, height, before_w, before_h)


# --- CLI --------------------------------------------------------------------------------------


def test_parse_views() -> None:
    assert parse_views("all") == ("full", "overview", "journey", "diff")
    assert parse_views("overview, diff") == ("overview", "diff")
    with pytest.raises(ValueError, match="unknown view 'overveiw'"):
        parse_views("overveiw")


def test_cli_views_and_journey_errors(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    design = _journey_design(tmp_path)
    path = tmp_path / "trip.yaml"
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["render", str(path), "-v", "journey", "-j", "users", "-f", "dot,mmd", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "trip.journey-users.dot",
        "trip.journey-users.mmd",
    ]
    result = runner.invoke(
        app, ["render", str(path), "-v", "journey", "-j", "nobody", "-f", "dot", "-o", str(out)]
    )
    assert result.exit_code == 2 and "no client 'nobody'" in result.output
    result = runner.invoke(app, ["render", str(path), "-v", "diff", "-f", "dot", "-o", str(out)])
    assert result.exit_code == 2 and "stage 1" in result.output
    result = runner.invoke(app, ["render", str(path), "-v", "sideways", "-f", "dot"])
    assert result.exit_code == 2 and "unknown view" in result.output
    assert design is not None
