"""The distributed-search and qortex reference designs: clean at every stage, and each weakened
copy (a safety filter, cache, audit path or stage addition taken away) is caught by the checker.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from designs import build as build_fixture
from designs import data as fixture_data
from sysdesign.checks import run_checks
from sysdesign.graph import build_graph
from sysdesign.loader import load_design, parse_design
from sysdesign.model import Design
from sysdesign.shorthand import long_form_data

DESIGNS = Path(__file__).resolve().parent.parent / "designs"
SEARCH = DESIGNS / "distributed-search.yaml"
QORTEX = DESIGNS / "qortex.yaml"

Data = dict[str, Any]
Mutation = Callable[[Data], None]


# --- helpers ---------------------------------------------------------------------------------


@cache
def _raw(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _data(path: Path) -> Data:
    return copy.deepcopy(long_form_data(_raw(path)))  # references are compact: edit the long form


def _build(d: Data) -> Design:
    return parse_design(yaml.safe_dump(d, sort_keys=False), "weakened.yaml")


def _codes(d: Data, stage: int = 0) -> set[str]:
    return run_checks(_build(d), stage).codes()


def _drop_component(d: Data, cid: str) -> None:
    """Remove a component and every flow touching it, in the base and in every stage."""
    d["components"] = [c for c in d["components"] if c["id"] != cid]
    d["flows"] = [f for f in d["flows"] if cid not in (f["from"], f["to"])]
    for stage in d.get("stages", []):
        add = stage.get("add", {})
        add["flows"] = [f for f in add.get("flows", []) if cid not in (f["from"], f["to"])]
        remove = stage.get("remove", {})
        remove["flows"] = [k for k in remove.get("flows", []) if cid not in k.split("->")]
        stage["change"] = [c for c in stage.get("change", []) if c["id"] != cid]


def _component(d: Data, cid: str) -> Data:
    return next(c for c in d["components"] if c["id"] == cid)


def _stage(d: Data, sid: str) -> Data:
    return next(s for s in d["stages"] if s["id"] == sid)


def _stage_number(d: Data, sid: str) -> int:
    return [s["id"] for s in d["stages"]].index(sid) + 1


def _constraint_only(d: Data, sid: str) -> int:
    """Keep the stage's constraint (requires, scale, slo) but none of its design changes."""
    stage = _stage(d, sid)
    for key in ("add", "remove", "change"):
        stage.pop(key, None)
    return _stage_number(d, sid)


def _truncate(d: Data, upto: int) -> None:
    d["stages"] = d["stages"][:upto]


# --- SD102 probe -----------------------------------------------------------------------------
# SD102 currently walks every flow (writes included) when it asks whether a store is reachable
# without crossing a cache, so a store whose reads all pass a cache is still flagged when an
# ingestion path writes to it. Until the checker is fixed, the reference designs are allowed an
# SD102 only on a store that no *read* path reaches without a cache; once fixed, none at all.


@cache
def _sd102_counts_write_paths() -> bool:
    d = fixture_data()
    d["checks"] = {"hot_read_qps": 5}  # db takes 10 reads/s, all through the cache
    return "SD102" in run_checks(build_fixture(d)).codes()


def _stores_read_without_cache(design: Design, stage: int) -> set[str]:
    graph = build_graph(design, stage)
    caches = {n for n, layers in graph.nodes(data="layers") if layers & {"cache", "cdn"}}
    entries = [n for n, entry in graph.nodes(data="entry") if entry]
    seen, todo = set(entries), list(entries)
    while todo:
        node = todo.pop()
        for _, nxt, flows in graph.out_edges(node, data="flows"):
            if nxt in seen or nxt in caches or not any(f.op.value == "read" for f in flows):
                continue
            seen.add(nxt)
            todo.append(nxt)
    return {n for n in seen if graph.nodes[n]["store"]}


def _assert_clean(design: Design, stage: int) -> None:
    report = run_checks(design, stage)
    blocking = [f for f in report.open_findings if f.severity in ("error", "warning")]
    unexplained = []
    for finding in blocking:
        if finding.code == "SD102" and _sd102_counts_write_paths():
            read_exposed = _stores_read_without_cache(design, stage)
            if not set(finding.components) & read_exposed:
                continue  # the known write-path false positive
        unexplained.append(f"{finding.code}: {finding.message}")
    assert unexplained == [], f"stage {stage}: {unexplained}"


# --- the real designs ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [SEARCH, QORTEX], ids=lambda p: p.stem)
def test_design_checks_clean_at_every_stage(path: Path) -> None:
    design = load_design(path)
    assert design.id == path.stem == design.drill
    assert len(design.stages) >= 4
    for stage in range(len(design.stages) + 1):
        _assert_clean(design, stage)


@pytest.mark.parametrize("path", [SEARCH, QORTEX], ids=lambda p: p.stem)
def test_design_is_deep(path: Path) -> None:
    design = load_design(path)
    assert _raw(path).startswith("# yaml-language-server: $schema=../schema/design.schema.json")
    assert len(design.scale.estimates) >= 8
    assert all(e.derivation for e in design.scale.estimates)
    for stage in design.stages:
        assert stage.requires.layers or stage.requires.screens, stage.id
        assert len(stage.discussion) >= 4, stage.id
    for component in design.components:
        if component.kind.value not in (
            "client",
            "scheduler",
            "human_review",
            "metrics",
            "tracing",
            "logging",
        ):
            assert component.capacity_rps, component.id
            assert component.latency_ms is not None, component.id


def test_search_numbers_the_design_rests_on() -> None:
    design = load_design(SEARCH)
    base = run_checks(design, 0)
    load = {u.component: u for u in base.utilisation}
    assert load["broker"].load_rps == pytest.approx(600_000)  # 1M x (1 - 0.4 result-cache hits)
    assert load["lexical-shards"].load_rps == pytest.approx(600_000 * 64 + 2_000)
    assert load["llm-reranker"].load_rps == pytest.approx(60_000)  # rerank share 0.1
    assert base.latency[0].total_ms <= 500
    fifty = run_checks(design, "fifty-ms")
    assert fifty.budget_ms == 50
    assert all(p.total_ms <= 50 for p in fifty.latency)
    assert "llm-reranker" not in fifty.latency[0].path  # the LLM left the request path


def test_qortex_cost_sits_in_the_embedder() -> None:
    base = run_checks(load_design(QORTEX), 0)
    users = next(p for p in base.latency if p.entry == "adapter-apps")
    assert users.path[-1] == "query-embedder"  # the slowest hop is the embedding
    assert users.total_ms <= 50


# --- weakened copies: distributed search ----------------------------------------------------


def _search_no_guard(d: Data) -> int:
    _drop_component(d, "query-guard")
    d["flows"].append({"from": "gateway", "to": "query-frontend"})
    _truncate(d, 0)
    return 0


def _search_no_result_cache(d: Data) -> int:
    _drop_component(d, "result-cache")
    d["flows"].append({"from": "query-frontend", "to": "broker"})
    _truncate(d, 0)
    return 0


def _search_guard_input_only(d: Data) -> int:
    _component(d, "query-guard")["screens"] = ["input"]
    _truncate(d, 0)
    return 0


def _search_no_audit_log(d: Data) -> int:
    _drop_component(d, "audit-log")
    return _stage_number(d, "adversarial-queries")


def _search_adversarial_without_changes(d: Data) -> int:
    stage = _constraint_only(d, "adversarial-queries")
    _truncate(d, stage)
    return stage


def _search_fifty_ms_without_changes(d: Data) -> int:
    stage = _constraint_only(d, "fifty-ms")
    _truncate(d, stage)
    return stage


def _search_publishers_bypass_ingest_api(d: Data) -> int:
    stage = _stage(d, "real-time-updates")
    stage["add"]["components"] = [c for c in stage["add"]["components"] if c["id"] != "ingest-api"]
    stage["add"]["flows"] = [
        f for f in stage["add"]["flows"] if "ingest-api" not in (f["from"], f["to"])
    ] + [{"from": "publishers", "to": "doc-stream", "op": "write"}]
    _truncate(d, 1)
    return 1


def _search_assistant_skips_context_firewall(d: Data) -> int:
    stage = _stage(d, "assistant-context")
    stage["add"]["flows"].append({"from": "assistant", "to": "answer-llm", "step": 2})
    return _stage_number(d, "assistant-context")


def _search_corpus_bypass(d: Data) -> int:
    stage = _stage(d, "adversarial-queries")
    stage["remove"]["flows"].remove("ingest-workers->index-stream")
    stage_no = _stage_number(d, "adversarial-queries")
    _truncate(d, stage_no)
    return stage_no


def _search_single_guard_replica(d: Data) -> int:
    _component(d, "query-guard")["replicas"] = 1
    _truncate(d, 0)
    return 0


def _search_half_the_leaves(d: Data) -> int:
    _component(d, "lexical-shards")["replicas"] = 3072
    _truncate(d, 0)
    return 0


SEARCH_CASES: dict[str, tuple[Callable[[Data], int], set[str]]] = {
    "no-query-guard": (_search_no_guard, {"SD101", "SD103", "SD112"}),
    "no-result-cache": (_search_no_result_cache, {"SD102", "SD401"}),
    "guard-screens-input-only": (_search_guard_input_only, {"SD202", "SD112"}),
    "no-audit-log": (_search_no_audit_log, {"SD101", "SD104"}),
    "adversarial-constraint-only": (_search_adversarial_without_changes, {"SD101", "SD112"}),
    "fifty-ms-constraint-only": (_search_fifty_ms_without_changes, {"SD501"}),
    "publishers-bypass-auth": (_search_publishers_bypass_ingest_api, {"SD207", "SD208"}),
    "assistant-skips-context-firewall": (_search_assistant_skips_context_firewall, {"SD203"}),
    "corpus-indexed-unscreened": (_search_corpus_bypass, {"SD204"}),
    "half-the-lexical-leaves": (_search_half_the_leaves, {"SD401"}),
    "single-guard-replica": (_search_single_guard_replica, {"SD303", "SD401"}),
}


@pytest.mark.parametrize("case", sorted(SEARCH_CASES))
def test_weakened_search_design_is_caught(case: str) -> None:
    weaken, expected = SEARCH_CASES[case]
    d = _data(SEARCH)
    stage = weaken(d)
    found = _codes(d, stage)
    assert expected <= found, f"{case}: expected {sorted(expected)}, got {sorted(found)}"


# --- weakened copies: qortex -----------------------------------------------------------------


def _qortex_no_validator(d: Data) -> int:
    _drop_component(d, "extraction-validator")
    d["flows"].append(
        {
            "from": "concept-extractor",
            "to": "graph-updates",
            "op": "write",
            "mode": "async",
            "step": 3,
        }
    )  # after the LLM call (step 2): a write at step 1 could not carry its answer
    _truncate(d, 0)
    return 0


def _qortex_no_ingest_screen(d: Data) -> int:
    _drop_component(d, "ingest-screen")
    d["flows"].append(
        {"from": "parse-workers", "to": "extract-queue", "op": "write", "mode": "async"}
    )
    d["flows"].append(
        {"from": "parse-workers", "to": "graph-updates", "op": "write", "mode": "async"}
    )
    return _stage_number(d, "real-time-graph")


def _qortex_drift_constraint_only(d: Data) -> int:
    stage = _constraint_only(d, "drift-and-rollback")
    _truncate(d, stage)
    return stage


def _qortex_registry_uncached(d: Data) -> int:
    stage = _stage(d, "multi-tenant")
    stage["add"]["components"] = [
        c for c in stage["add"]["components"] if c["id"] != "tenant-cache"
    ]
    stage["add"]["flows"] = [
        f for f in stage["add"]["flows"] if "tenant-cache" not in (f["from"], f["to"])
    ] + [{"from": "gateway", "to": "tenant-registry", "step": 1}]
    _truncate(d, 1)
    return 1


def _qortex_webhooks_without_scale(d: Data) -> int:
    stage = _stage(d, "real-time-graph")
    stage["change"] = []
    stage_no = _stage_number(d, "real-time-graph")
    _truncate(d, stage_no)
    return stage_no


def _qortex_audit_unreachable(d: Data) -> int:
    d["flows"] = [f for f in d["flows"] if (f["from"], f["to"]) != ("audit-stream", "audit-log")]
    d["flows"].append({"from": "audit-log", "to": "audit-stream", "op": "read", "mode": "async"})
    _truncate(d, 0)
    return 0


def _qortex_extractor_without_secrets(d: Data) -> int:
    d["flows"] = [
        f for f in d["flows"] if (f["from"], f["to"]) != ("concept-extractor", "secrets-store")
    ]
    _truncate(d, 0)
    return 0


def _qortex_public_api_bypasses_gateway(d: Data) -> int:
    stage = _stage(d, "public-api")
    stage["add"]["flows"].append({"from": "third-party-apps", "to": "public-api"})
    return _stage_number(d, "public-api")


def _qortex_single_extractor_replica(d: Data) -> int:
    _component(d, "concept-extractor")["replicas"] = 1
    _truncate(d, 0)
    return 0


QORTEX_CASES: dict[str, tuple[Callable[[Data], int], set[str]]] = {
    "no-extraction-validator": (_qortex_no_validator, {"SD112", "SD202"}),
    "no-ingest-screen": (_qortex_no_ingest_screen, {"SD112", "SD201", "SD204"}),
    "drift-constraint-only": (_qortex_drift_constraint_only, {"SD101"}),
    "tenant-registry-uncached": (_qortex_registry_uncached, {"SD102"}),
    "webhooks-without-scaling": (_qortex_webhooks_without_scale, {"SD401"}),
    "audit-log-unreachable": (_qortex_audit_unreachable, {"SD205", "SD206"}),
    "extractor-without-secrets": (_qortex_extractor_without_secrets, {"SD111"}),
    "public-api-bypasses-gateway": (_qortex_public_api_bypasses_gateway, {"SD207", "SD107"}),
    "single-extractor-replica": (_qortex_single_extractor_replica, {"SD303"}),
}


@pytest.mark.parametrize("case", sorted(QORTEX_CASES))
def test_weakened_qortex_design_is_caught(case: str) -> None:
    weaken, expected = QORTEX_CASES[case]
    d = _data(QORTEX)
    stage = weaken(d)
    found = _codes(d, stage)
    assert expected <= found, f"{case}: expected {sorted(expected)}, got {sorted(found)}"
