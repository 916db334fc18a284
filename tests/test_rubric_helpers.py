"""Shared helpers for the rubric, grade, history and checklist tests (and a sanity test)."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import yaml

import designs  # tests/designs.py: a small design that checks clean
from sysdesign.checks.findings import Finding, Report
from sysdesign.loader import parse_design
from sysdesign.model import Design

ROOT = Path(__file__).resolve().parent.parent
RUBRICS = ROOT / "rubrics"
REFERENCE_DESIGNS = ("distributed-search", "qortex", "agent-observability", "mcp-gateway")


def practice_data() -> dict[str, Any]:
    """The checker's clean design, plus what a strong attempt writes down."""
    d = designs.data()
    d["id"] = "practice"
    d["title"] = "Practice assistant"
    d["requirements"] = {
        "functional": ["answer questions from documents"],
        "non_functional": ["p99 under 1 s at 100 req/s"],
    }
    d["scale"]["estimates"] = [
        {
            "name": "peak qps",
            "value": 100,
            "unit": "req/s",
            "derivation": "10k DAU x 10 questions / 86,400 x 5 peak factor",
        }
    ]
    d["groups"] = [{"id": "edge", "label": "Edge"}]
    designs.component(d, "gw")["group"] = "edge"
    d["stages"] = [
        {
            "id": "more-traffic",
            "title": "More traffic",
            "constraint": "Traffic grows by a fifth.",
            "scale": {"peak_qps": 120},
            "change": [{"id": "gw", "replicas": 3}],
            "discussion": ["the LLM pool saturates first; add replicas before the gateway"],
        }
    ]
    d["accepted"] = [
        {"code": "SD303", "component": "model", "reason": "one model pool is enough at this scale"}
    ]
    return d


def build(d: dict[str, Any], name: str = "practice.yaml") -> Design:
    return parse_design(yaml.safe_dump(d, sort_keys=False), name)


def write_design(tmp: Path, d: dict[str, Any]) -> Path:
    path = tmp / f"{d['id']}.yaml"
    path.write_text(yaml.safe_dump(d, sort_keys=False), encoding="utf-8")
    return path


def project(tmp: Path) -> Path:
    """A project root in `tmp` with the bundled rubrics (for SYSDESIGN_ROOT)."""
    shutil.copytree(RUBRICS, tmp / "rubrics")
    (tmp / "designs").mkdir()
    return tmp


def finding(code: str, severity: str = "error", accepted: str | None = None, *components: str):
    return Finding(
        code=code,
        severity=severity,
        family="paths",
        title=f"title of {code}",
        message=f"message of {code}",
        components=tuple(components),
        accepted=accepted,
    )


def report(*findings: Finding, design: str = "practice") -> Report:
    return Report(
        design=design,
        title="t",
        stage=0,
        stage_title=None,
        scale_factor=1.0,
        peak_qps=100.0,
        target_utilization=0.7,
        budget_ms=1000.0,
        findings=list(findings),
    )


def without_safety_filters(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a design with every safety filter taken out and its flows joined around it."""
    d = copy.deepcopy(data)

    def is_filter(c: dict[str, Any]) -> bool:
        return c.get("kind") == "safety_filter"

    def strip(components: list[dict[str, Any]], flows: list[dict[str, Any]]) -> set[str]:
        gone = {c["id"] for c in components if is_filter(c)}
        for c in components:
            if "safety_filter" in c.get("roles", []):
                c["roles"] = [r for r in c["roles"] if r != "safety_filter"]
                c.pop("screens", None)
        components[:] = [c for c in components if not is_filter(c)]
        return gone

    every_flow = [*d.get("flows", [])] + [
        f for stage in d.get("stages", []) for f in stage.get("add", {}).get("flows", [])
    ]
    endpoints = {f["id"]: (f["from"], f["to"]) for f in every_flow if "id" in f}
    pairs: set[tuple[str, str]] = set()  # every pair drawn anywhere: never joined twice

    def rewire(flows: list[dict[str, Any]], gone: set[str]) -> None:
        incoming = [f for f in flows if f["to"] in gone and f["from"] not in gone]
        outgoing = [f for f in flows if f["from"] in gone and f["to"] not in gone]
        kept = [f for f in flows if f["from"] not in gone and f["to"] not in gone]
        for fin in incoming:
            for fout in outgoing:
                if fin["to"] != fout["from"]:
                    continue
                pair = (fin["from"], fout["to"])
                if pair in pairs or pair[0] == pair[1]:
                    continue
                joined = {k: v for k, v in fout.items() if k not in ("id", "from", "to")}
                kept.append({"from": pair[0], "to": pair[1], **joined})
                pairs.add(pair)
        flows[:] = kept

    def touches_gone(key: str, gone: set[str]) -> bool:
        ends = endpoints.get(key) or tuple(key.split("->"))
        return any(g in ends for g in gone)

    gone = strip(d["components"], d.get("flows", []))
    for stage in d.get("stages", []):
        add = stage.get("add", {})
        gone |= strip(add.get("components", []), add.get("flows", []))
    pairs |= {(f["from"], f["to"]) for f in every_flow if not ({f["from"], f["to"]} & gone)}
    rewire(d.setdefault("flows", []), gone)
    for stage in d.get("stages", []):
        add = stage.get("add", {})
        if "flows" in add:
            all_flows = d["flows"] + add["flows"]
            rewire(all_flows, gone)
            add["flows"] = [f for f in all_flows if f not in d["flows"]]
        if "change" in stage:
            stage["change"] = [c for c in stage["change"] if c["id"] not in gone]
        remove = stage.get("remove", {})
        if "components" in remove:
            remove["components"] = [c for c in remove["components"] if c not in gone]
        if "flows" in remove:
            remove["flows"] = [f for f in remove["flows"] if not touches_gone(f, gone)]
    for c in d["components"]:
        if "observes" in c:
            c["observes"] = [o for o in c["observes"] if o not in gone]
    d["accepted"] = [a for a in d.get("accepted", []) if a.get("component") not in gone]
    return d


def test_practice_design_is_valid() -> None:
    design = build(practice_data())
    assert design.stages and design.accepted and design.scale.estimates


INPUT_FILTERS = {  # the safety filter that screens what goes into a model, per drill
    "qortex": "ingest-screen",
    "distributed-search": "query-guard",
    "agent-observability": "llm-guard",
    "mcp-gateway": "output-guard",
}


def filter_beside(data: dict[str, Any], filter_id: str) -> dict[str, Any]:
    """A copy of a design whose filter is moved off the path, beside it: its callers call it in
    the same step as they call what it used to pass content on to (a parallel side call), so
    content reaches the next hop, and the model behind it, unscreened."""
    d = copy.deepcopy(data)
    flows = d["flows"]
    into = [f for f in flows if f["to"] == filter_id]
    onward = [
        f
        for f in flows
        if f["from"] == filter_id and "audit" not in f["to"] and f.get("op") != "write"
    ]
    if not onward:
        onward = [f for f in flows if f["from"] == filter_id]
    gone = {(f["from"], f["to"]) for f in onward}
    flows[:] = [f for f in flows if (f["from"], f["to"]) not in gone]
    drawn = {(f["from"], f["to"]) for f in flows}
    for fin in into:
        for fout in onward:
            pair = (fin["from"], fout["to"])
            if pair in drawn or pair[0] == pair[1]:
                continue
            joined = {k: v for k, v in fout.items() if k not in ("id", "from", "to", "step")}
            if "step" in fin:
                joined["step"] = fin["step"]
            flows.append({"from": pair[0], "to": pair[1], **joined})
            drawn.add(pair)
    removed = {f"{a}->{b}" for a, b in gone} | {f["id"] for f in onward if "id" in f}
    for stage in d.get("stages", []):
        remove = stage.get("remove", {})
        if "flows" in remove:
            remove["flows"] = [k for k in remove["flows"] if k not in removed]
    return d
