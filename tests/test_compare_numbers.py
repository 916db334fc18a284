"""compare: per stage only what changed, findings once, matching by function, numbers side by
side for matched components and estimates, a ten-line brief."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from test_rubric_helpers import ROOT, build
from typer.testing import CliRunner

from designs import component, data
from sysdesign.cli import app
from sysdesign.compare import compare, summarise
from sysdesign.compare.text import brief_lines, text_lines

runner = CliRunner()


def _with_estimates(d: dict, **values: float) -> dict:  # type: ignore[type-arg]
    d.setdefault("scale", {})["estimates"] = [
        {"name": name.replace("_", " "), "value": v, "unit": "req/s"} for name, v in values.items()
    ]
    return d


def test_cache_aside_drawn_as_service_calls_is_no_gap() -> None:
    reference = data()  # read-through: app -> cache -> db
    mine = data()  # cache-aside: app -> cache, app -> db (the miss goes to the store)
    mine["id"] = "mine"
    mine["flows"] = [f for f in mine["flows"] if (f["from"], f["to"]) != ("cache", "db")]
    mine["flows"].append({"from": "app", "to": "db", "step": 2})
    [state] = compare(build(mine), build(reference))
    assert state.missing_layers == [] and state.unreached == []
    # a cache drawn but not reached by anyone is a gap
    orphan = data()
    orphan["flows"] = [f for f in orphan["flows"] if "cache" not in (f["from"], f["to"])]
    [state] = compare(build(orphan), build(reference))
    assert state.unreached == ["cache"]


def test_numbers_side_by_side_for_matched_components_and_estimates() -> None:
    reference = _with_estimates(data(), peak_query_rate=1200, feedback_rate=300)
    mine = _with_estimates(data(), peak_queries=600)
    mine["id"] = "mine"
    renames = {c["id"]: f"my-{c['id']}" for c in mine["components"]}
    for c in mine["components"]:
        c["id"] = renames[c["id"]]
    for f in mine["flows"]:
        f["from"], f["to"] = renames[f["from"]], renames[f["to"]]
    component(mine, "my-model")["replicas"] = 1
    component(mine, "my-cache").pop("latency_ms")
    result = summarise(compare(build(mine), build(reference)), build(mine), build(reference))
    pairs = {p.reference: p for p in result.states[0].pairs}
    assert pairs["model"].mine == "my-model" and pairs["model"].by == "kind"
    figures = {f.name: f for f in pairs["model"].figures}
    gpu = figures["GPU hosts"]  # model-serving replicas are its GPU hosts
    assert (gpu.reference, gpu.mine, gpu.ratio) == (2.0, 1.0, 0.5)
    assert (
        figures["capacity in total"].reference == 200 and figures["capacity in total"].mine == 100
    )
    latency = {f.name: f for f in pairs["cache"].figures}["latency"]
    assert latency.reference == 1 and latency.mine is None  # not stated, never guessed
    assert result.matched == result.components == len(pairs)
    estimates = {e.name: e for e in result.estimates}
    assert estimates["peak query rate"].mine == 600
    assert estimates["peak query rate"].mine_name == "peak queries"
    assert estimates["feedback rate"].mine is None
    text = "\n".join(t for t, _ in text_lines(result))
    assert "GPU hosts, model vs your my-model: 2 vs 1 (x0.5)" in text
    assert "latency, cache vs your my-cache: 1 ms vs not stated" in text
    assert "peak query rate: 1,200 req/s vs 600 req/s (x0.5)" in text
    assert "feedback rate: 300 req/s vs not written" in text


def test_per_stage_only_what_changed_and_findings_once() -> None:
    reference = data()
    reference["stages"] = [
        {"id": "more", "title": "More", "constraint": "More users.", "discussion": ["shard it"]},
        {"id": "again", "title": "Again", "constraint": "Even more."},
    ]
    mine = yaml.safe_load(yaml.safe_dump(reference))
    mine["id"] = "mine"
    component(mine, "gw")["roles"] = []  # SD105/SD106 at every stage, shown once
    mine["stages"][1]["change"] = [{"id": "model", "replicas": 7}]
    result = summarise(compare(build(mine), build(reference)), build(mine), build(reference))
    assert len(result.stages) == 3
    once = [f for f in result.findings if f.code == "SD105"]
    assert len(once) == 1 and once[0].stages == (0, 1, 2)
    # the base lists the gaps; stage 1 repeats none of them
    assert result.stages[0].new and not result.stages[1].new.get("missing_layers")
    changed = [(r, f.name) for r, _, f in result.stages[2].figures]
    assert ("model", "GPU hosts") in changed and len(changed) == 2  # replicas and total capacity
    assert result.stages[1].figures == []
    text = [t for t, _ in text_lines(result)]
    assert sum("SD105" in t for t in text) == 1 and any("stages 0-2" in t for t in text)
    assert len(brief_lines(result)) <= 10


def test_cli_brief_and_json(project: Path) -> None:
    env = {"SYSDESIGN_ROOT": str(project), "SYSDESIGN_WORKSPACE": str(project / "attempts")}
    assert runner.invoke(app, ["new", "mine", "--from", "qortex"], env=env).exit_code == 0
    brief = runner.invoke(app, ["compare", "mine", "--brief"], env=env)
    assert brief.exit_code == 0, brief.output
    assert 3 <= len(brief.output.strip().splitlines()) <= 10
    full = runner.invoke(app, ["compare", "mine"], env=env)
    assert full.exit_code == 0 and len(full.output.splitlines()) < 80
    as_json = json.loads(runner.invoke(app, ["compare", "mine", "-f", "json"], env=env).output)
    assert as_json["reference"] == "qortex" and len(as_json["stages"]) == 6
    assert {"new", "fixed", "figures"} <= set(as_json["stages"][0])
    assert as_json["estimates"] and all(e["mine"] is None for e in as_json["estimates"])
    one = json.loads(
        runner.invoke(app, ["compare", "mine", "--brief", "-f", "json"], env=env).output
    )
    assert 3 <= len(one["brief"]) <= 10
    reference = ROOT / "designs" / "qortex.yaml"
    same = runner.invoke(app, ["compare", str(reference), "--reference", "qortex"], env=env)
    assert same.exit_code == 0 and "Findings only in yours" not in same.output
