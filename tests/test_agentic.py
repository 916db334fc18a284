"""Agentic judgment: agent loops call by call, tool output, action authorization, sandbox reach,
tenancy, failure modes, audit lineage."""

from __future__ import annotations

from typing import Any

import pytest
from agentic import agent_loop, sandbox, tool_executor

from designs import build, component, data, remove_flow
from sysdesign.checks import run_checks
from sysdesign.checks.findings import Finding


def findings(d: dict[str, Any], code: str) -> list[Finding]:
    return [f for f in run_checks(build(d)).open_findings if f.code == code]


def test_an_agent_loop_screened_every_round_checks_clean() -> None:
    d = data()
    agent_loop(d, rounds=3)
    assert run_checks(build(d)).open_findings == []


@pytest.mark.parametrize("bad", [2, 3])
def test_an_agent_loop_with_one_round_unscreened_names_the_round(bad: int) -> None:
    d = data()
    agent_loop(d, rounds=3, screened=tuple(r for r in (2, 3) if r != bad))
    (hit,) = findings(d, "SD209")
    assert hit.severity == "error"
    assert f"in round {bad} (flow round-{bad}" in hit.message
    assert hit.message.startswith("output of web reaches model unscreened")


def test_content_arriving_after_a_call_is_not_part_of_it() -> None:
    """Retrieved documents read after the first model call and screened before the second: the
    first call never carried them (the old check compared with the first call)."""
    d = data()
    d["requirements"] = {"screens": ["retrieved"]}
    component(d, "guard")["screens"] = ["input", "output", "retrieved"]
    remove_flow(d, "app", "model")
    d["flows"] += [
        {"id": "plan", "from": "app", "to": "model", "step": 1},
        {"id": "answer", "from": "app", "to": "model", "step": 4},
    ]
    d["components"].append(
        {
            "id": "docs-guard",
            "kind": "safety_filter",
            "screens": ["retrieved"],
            "failure_mode": "closed",
            "replicas": 2,
            "capacity_rps": 1000,
            "latency_ms": 5,
        }
    )
    d["flows"] += [
        {"from": "app", "to": "docs-guard", "step": 3},
        {"from": "docs-guard", "to": "events", "op": "write", "mode": "async"},
    ]
    component(d, "model")["capacity_rps"] = 200
    next(f for f in d["flows"] if f["from"] == "app" and f["to"] == "cache")["step"] = 2
    assert findings(d, "SD203") == []
    next(f for f in d["flows"] if f["to"] == "docs-guard")["step"] = 5  # after the answer
    (hit,) = findings(d, "SD203")
    assert "in round 2 (flow answer, step 4 of app)" in hit.message


def test_a_tool_result_screened_by_the_wrong_kind_of_screen_is_unscreened() -> None:
    d = data()
    agent_loop(d, rounds=2)
    component(d, "tool-guard")["screens"] = ["retrieved"]
    assert findings(d, "SD209")


def test_a_stateless_tool_answers_only_the_call_that_asked() -> None:
    """Content sent to a model in round 2 does not come back in round 1's answer."""
    d = data()
    agent_loop(d, rounds=2)
    assert findings(d, "SD202") == []


def test_stores_holding_user_content_are_untrusted_without_a_requirement() -> None:
    d = data()
    component(d, "db")["user_content"] = True
    (hit,) = findings(d, "SD203")
    assert hit.message.startswith("content from db reaches model unscreened")


@pytest.mark.parametrize(
    ("reach", "expected"),
    [
        ("db", "box (sandbox) reaches db, the system of record: box -> db"),
        ("vault", "reaches vault, a secrets store: box -> helper -> vault"),
        ("web", "reaches web, an external destination, with no egress proxy on the way"),
        ("proxied", None),
        ("nothing", None),
    ],
)
def test_sandbox_reach(reach: str, expected: str | None) -> None:
    d = data()
    sandbox(reach)(d)
    hits = findings(d, "SD211")
    if expected is None:
        assert hits == []
    else:
        assert len(hits) == 1 and expected in hits[0].message, hits


def test_the_policy_check_must_come_after_the_model_chose_the_action() -> None:
    d = data()
    tool_executor(True)(d)
    next(f for f in d["flows"] if f["to"] == "policy")["step"] = 1  # before the model answers
    (hit,) = findings(d, "SD210")
    assert "actions runs actions reached without a policy decision" in hit.message


def test_a_policy_engine_on_the_route_authorizes() -> None:
    d = data()
    tool_executor(False)(d)
    d["components"].append(
        {
            "id": "policy",
            "kind": "policy_engine",
            "failure_mode": "closed",
            "replicas": 2,
            "capacity_rps": 1000,
            "latency_ms": 1,
        }
    )
    remove_flow(d, "app", "actions")
    d["flows"] += [
        {"from": "app", "to": "policy", "step": 5},
        {"from": "policy", "to": "actions"},
    ]
    assert findings(d, "SD210") == []


def test_an_unpartitioned_store_off_the_read_path_is_not_a_tenancy_finding() -> None:
    d = data()
    d["profiles"] = ["multi-tenant"]
    hits = findings(d, "SD212")
    assert {h.components for h in hits} == {("cache",), ("db",)}
    component(d, "cache")["tenancy"] = "per-tenant"
    component(d, "db")["tenancy"] = "global"
    assert findings(d, "SD212") == []
    d["profiles"] = []
    del component(d, "db")["tenancy"]
    assert findings(d, "SD212") == []  # one tenant: nothing to keep apart


def test_failure_mode_is_only_for_guards() -> None:
    d = data()
    component(d, "app")["failure_mode"] = "open"
    with pytest.raises(Exception, match="failure_mode"):
        build(d)


def _queue_design(identifies: bool, share: float = 1.0, when: str | None = None) -> Any:
    """Audit at the authenticated entry, a queue, the worker that commits."""
    d = data()
    remove_flow(d, "app", "db")
    d["components"] += [
        {"id": "jobs", "kind": "queue", "replicas": 3, "capacity_rps": 1e4, "latency_ms": 2},
        {"id": "committer", "kind": "worker", "replicas": 2, "capacity_rps": 500, "latency_ms": 5},
    ]
    audit_flow: dict[str, Any] = {
        "from": "gw",
        "to": "events",
        "op": "write",
        "mode": "async",
        "share": share,
    }
    if identifies:
        audit_flow["identifies"] = ["jobs"]
    if when:
        audit_flow["when"] = when
    remove_flow(d, "app", "events")
    d["flows"] += [
        audit_flow,
        {"from": "app", "to": "jobs", "op": "write", "mode": "async", "step": 3},
        {"from": "jobs", "to": "committer", "op": "stream", "mode": "async"},
        {"from": "committer", "to": "db", "op": "write"},
    ]
    return d


def test_an_audit_upstream_of_the_queue_covers_the_writes_it_carries() -> None:
    assert run_checks(build(_queue_design(identifies=True))).open_findings == []


def test_an_audit_upstream_that_does_not_identify_the_writes_does_not_cover_them() -> None:
    (hit,) = findings(_queue_design(identifies=False), "SD205")
    assert hit.components == ("committer", "db")


def test_a_sampled_audit_is_reported_and_a_conditional_one_is_not() -> None:
    (hit,) = findings(_queue_design(identifies=True, share=0.1), "SD205")
    assert hit.components == ("committer", "db")  # a sampled record identifies only a sample
    d = data()
    next(f for f in d["flows"] if f["from"] == "guard" and f["to"] == "events")["share"] = 0.05
    (hit,) = findings(d, "SD206")
    assert hit.message == "guard logs only a sample (share 5%) of its decisions"
    next(f for f in d["flows"] if f["from"] == "guard" and f["to"] == "events")["when"] = (
        "the guard intervenes"
    )
    assert findings(d, "SD206") == []


def test_identifies_names_a_component() -> None:
    d = _queue_design(identifies=True)
    next(f for f in d["flows"] if f.get("identifies"))["identifies"] = ["jbos"]
    with pytest.raises(Exception, match="identifies unknown component 'jbos'"):
        build(d)


def test_an_executor_that_acts_on_nothing_needs_no_policy_decision() -> None:
    d = data()
    tool_executor(False)(d)
    remove_flow(d, "actions", "events")  # a sandbox whose only effect is its output
    assert findings(d, "SD210") == []


def test_a_single_replica_database_on_the_query_path_is_a_single_point_of_failure() -> None:
    d = data()
    component(d, "db")["replicas"] = 1
    report = run_checks(build(d))
    (hit,) = [f for f in report.open_findings if f.code == "SD303"]
    assert hit.severity == "error" and hit.components == ("db",)
    assert "SD307" not in report.codes()  # reported once, as the error


@pytest.mark.parametrize(("share", "fires"), [(0.005, False), (0.02, True)])
def test_queue_missing_counts_only_the_share_of_requests_that_write(
    share: float, fires: bool
) -> None:
    d = data()
    d["components"].append(
        {"id": "w", "kind": "worker", "replicas": 2, "capacity_rps": 10, "latency_ms": 5}
    )  # takes 20/s; app serves up to 2,000/s
    d["flows"].append({"from": "app", "to": "w", "op": "write", "share": share, "step": 4})
    hits = findings(d, "SD109")
    assert bool(hits) is fires
    if fires:
        assert hits[0].message.startswith("app can write 40/s into w at its capacity")


def test_an_acceptance_matches_any_component_the_finding_names() -> None:
    d = _queue_design(identifies=False)  # SD205 about (committer, db)
    for cid in ("committer", "db"):
        d["accepted"] = [{"code": "SD205", "component": cid, "reason": "lineage via the CDC"}]
        report = run_checks(build(d))
        assert [f.code for f in report.open_findings] == []


def test_an_unmatched_acceptance_says_which_component_to_name() -> None:
    d = _queue_design(identifies=False)
    d["accepted"] = [{"code": "SD205", "component": "app", "reason": "lineage via the CDC"}]
    (meta,) = findings(d, "SD001")
    assert meta.message == (
        "accepted SD205 on app matches no finding; SD205 here is about committer, db: "
        "name one of those"
    )
    d["accepted"] = [{"code": "SD213", "component": "app", "reason": "lineage via the CDC"}]
    (meta,) = findings(d, "SD001")
    assert meta.message.endswith("; there is no SD213 finding here")


def test_the_missing_audit_log_names_records_and_filters_apart() -> None:
    d = data()
    from designs import remove_component

    remove_component(d, "audit")
    (hit,) = findings(d, "SD104")
    assert hit.message == (
        "the design has systems of record (db) and safety filters (guard) but no audit log"
    )


def test_explain_accepts_the_stable_name_it_prints_and_rules_lists_why_and_fix() -> None:
    from typer.testing import CliRunner

    from sysdesign.cli import app

    runner = CliRunner()
    by_name = runner.invoke(app, ["explain", "paths.tool-output-unscreened"])
    assert by_name.exit_code == 0 and by_name.output.startswith("SD209 ")
    assert runner.invoke(app, ["explain", "sd209"]).output == by_name.output
    listing = runner.invoke(app, ["rules", "--long"]).output
    for code in ("SD113", "SD209", "SD210", "SD211", "SD212", "SD213"):
        line = next(i for i, text in enumerate(listing.splitlines()) if text.startswith(code))
        assert listing.splitlines()[line + 1].strip().startswith("why: ")
        assert listing.splitlines()[line + 2].strip().startswith("fix: ")


@pytest.mark.parametrize(("mode", "spof"), [("closed", True), ("open", False)])
def test_a_fail_closed_guard_is_on_the_availability_path_wherever_it_is_called(
    mode: str, spof: bool
) -> None:
    d = data()
    remove_flow(d, "gw", "guard")
    remove_flow(d, "guard", "app")
    d["flows"] += [
        {"from": "gw", "to": "app"},
        {"id": "screen-in", "from": "app", "to": "guard", "step": 1},
        {"id": "screen-out", "from": "app", "to": "guard", "step": 3},
    ]
    next(f for f in d["flows"] if f["from"] == "app" and f["to"] == "model")["step"] = 2
    next(f for f in d["flows"] if f.get("id") == "app-write")["step"] = 4
    component(d, "guard").update(replicas=1, zones=[], failure_mode=mode)
    hits = findings(d, "SD303")
    assert bool(hits) is spof
    if spof:
        assert hits[0].message.startswith("guard fails closed and has one replica")


@pytest.mark.parametrize("mode", ["closed", "open"])
def test_availability_counts_a_fail_closed_guard_in_series_and_passes_a_fail_open_one(
    mode: str,
) -> None:
    from sysdesign.analyses import analyses_for
    from sysdesign.analyses.availability import Failure, component_availability
    from sysdesign.views import view_of

    d = data()
    component(d, "guard")["failure_mode"] = mode
    closed = analyses_for(view_of(build(data())))
    analyses = analyses_for(view_of(build(d)))
    guard_up = component_availability(analyses.graph, "guard")
    blast = analyses.blast(Failure(component="guard"))
    if mode == "closed":
        assert analyses.journey_availability("users") == closed.journey_availability("users")
        assert blast.broken  # users lose the model and the stores behind the guard
    else:
        expected = closed.journey_availability("users") / guard_up
        assert analyses.journey_availability("users") == pytest.approx(expected)
        assert blast.broken == ()
