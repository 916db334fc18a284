"""Every rule: one minimal design that triggers it and one that does not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from agentic import AGENTIC_CASES
from model_cases import MODEL_CASES

from designs import build, component, data, remove_component, remove_flow
from sysdesign.analyses.availability import Failure
from sysdesign.checks import REGISTRY, run_checks

Mutation = Callable[[dict[str, Any]], None]


def codes(d: dict[str, Any], stage: int = 0, scale: float = 1.0) -> set[str]:
    failed = d.pop("_fail", None)  # model cases check with a zone or component failed
    failure = Failure(**failed) if failed else None
    return run_checks(build(d), stage, scale, failure).codes()


def test_base_design_checks_clean() -> None:
    report = run_checks(build(data()))
    assert report.open_findings == []
    assert report.latency[0].path == ("users", "gw", "guard", "app", "model")


def _required_queue(d: dict[str, Any]) -> None:
    d["requirements"] = {"layers": ["queue"]}


def _add_queue(d: dict[str, Any]) -> None:
    _required_queue(d)
    d["components"].append(
        {"id": "jobs", "kind": "queue", "replicas": 3, "capacity_rps": 1e4, "latency_ms": 2}
    )
    d["flows"].append({"from": "app", "to": "jobs", "op": "write", "mode": "async"})
    d["components"].append(
        {"id": "w", "kind": "worker", "replicas": 2, "capacity_rps": 500, "latency_ms": 5}
    )
    d["flows"].append({"from": "jobs", "to": "w", "op": "write", "mode": "async"})


def _uncached_hot_reads(d: dict[str, Any]) -> None:
    remove_component(d, "cache")
    d["flows"].append({"from": "app", "to": "db", "step": 1})
    d["checks"] = {"hot_read_qps": 50}


def _cached_hot_reads(d: dict[str, Any]) -> None:
    d["checks"] = {"hot_read_qps": 5}  # db sees 10 reads/s, all through the cache (and writes)


def _no_filter(d: dict[str, Any]) -> None:
    remove_component(d, "guard")
    d["flows"].append({"from": "gw", "to": "app"})


def _no_audit(d: dict[str, Any]) -> None:
    remove_component(d, "audit")


def _roles(*roles: str) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        component(d, "gw")["roles"] = list(roles)

    return mutate


def _observe_only_gw(d: dict[str, Any]) -> None:
    component(d, "metrics")["observes"] = ["gw"]


def _observe_by_flow(d: dict[str, Any]) -> None:
    component(d, "metrics")["observes"] = ["gw", "guard", "model"]
    d["flows"].append({"from": "app", "to": "metrics", "op": "write", "mode": "async"})


def _slow_consumer(buffered: bool) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        d["components"].append(
            {"id": "w", "kind": "worker", "replicas": 2, "capacity_rps": 10, "latency_ms": 5}
        )
        if buffered:
            d["components"].append(
                {"id": "jobs", "kind": "queue", "replicas": 3, "capacity_rps": 1e4, "latency_ms": 1}
            )
            d["flows"].append(
                {"from": "app", "to": "jobs", "op": "write", "mode": "async", "share": 0.01}
            )
            d["flows"].append({"from": "jobs", "to": "w", "op": "write", "mode": "async"})
        else:
            d["flows"].append({"from": "app", "to": "w", "op": "write", "share": 0.02, "step": 4})

    return mutate


def _untrusted(sandboxed: bool) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        d["components"].append(
            {
                "id": "runner",
                "kind": "sandbox" if sandboxed else "worker",
                "runs_untrusted": True,
                "replicas": 2,
                "capacity_rps": 1000,
                "latency_ms": 50,
            }
        )
        d["flows"].append({"from": "app", "to": "runner", "step": 4})

    return mutate


def _credentials(with_store: bool) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        component(d, "app")["uses_credentials"] = True
        if with_store:
            d["components"].append(
                {
                    "id": "vault",
                    "kind": "secrets_store",
                    "replicas": 3,
                    "capacity_rps": 1000,
                    "latency_ms": 2,
                }
            )
            d["flows"].append({"from": "app", "to": "vault", "step": 1})

    return mutate


def _require_screen(screen: str) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        d["requirements"] = {"screens": [screen]}

    return mutate


def _filter_beside_model(d: dict[str, Any]) -> None:
    """The filter exists but the app calls it in the same step as the model: off the path."""
    remove_component(d, "guard")
    d["components"].append(
        {
            "id": "guard",
            "kind": "safety_filter",
            "replicas": 2,
            "capacity_rps": 1000,
            "latency_ms": 10,
        }
    )
    d["flows"] += [
        {"from": "gw", "to": "app"},
        {"from": "app", "to": "guard", "step": 2},
        {"from": "guard", "to": "events", "op": "write", "mode": "async"},
    ]


def _filter_called_before_and_after(d: dict[str, Any]) -> None:
    """Called before the model (input) and after it (output): on the path by steps."""
    _filter_beside_model(d)
    remove_flow(d, "app", "guard")
    d["flows"] += [
        {"id": "screen-in", "from": "app", "to": "guard", "step": 1},
        {"id": "screen-out", "from": "app", "to": "guard", "step": 3},
    ]


def _input_only_filter(d: dict[str, Any]) -> None:
    component(d, "guard")["screens"] = ["input"]


def _retrieved_screened(d: dict[str, Any]) -> None:
    _require_screen("retrieved")(d)
    d["components"].append(
        {
            "id": "rguard",
            "kind": "safety_filter",
            "screens": ["retrieved"],
            "replicas": 2,
            "capacity_rps": 1000,
            "latency_ms": 5,
        }
    )
    d["flows"] += [
        {"from": "app", "to": "rguard", "step": 2},
        {"from": "rguard", "to": "events", "op": "write", "mode": "async"},
    ]
    next(f for f in d["flows"] if f["to"] == "model")["step"] = 3


def _ingestion(screened: bool) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        _require_screen("corpus")(d)
        d["components"] += [
            {"id": "crawler", "kind": "scheduler", "qps": 10},
            {"id": "writer", "kind": "worker", "replicas": 2, "capacity_rps": 100, "latency_ms": 5},
            {
                "id": "idx",
                "kind": "search_index",
                "replicas": 3,
                "capacity_rps": 1000,
                "latency_ms": 5,
            },
        ]
        if screened:
            d["components"].append(
                {
                    "id": "cguard",
                    "kind": "safety_filter",
                    "screens": ["corpus"],
                    "replicas": 2,
                    "capacity_rps": 100,
                    "latency_ms": 5,
                }
            )
            d["flows"] += [
                {"from": "crawler", "to": "cguard"},
                {"from": "cguard", "to": "writer"},
                {"from": "cguard", "to": "events", "op": "write", "mode": "async"},
            ]
        else:
            d["flows"].append({"from": "crawler", "to": "writer"})
        d["flows"] += [
            {"from": "writer", "to": "idx", "op": "write"},
            {"from": "app", "to": "idx", "step": 1},
        ]

    return mutate


def _bypass(d: dict[str, Any]) -> None:
    d["flows"].append({"from": "users", "to": "app"})


def _rate_limiter_off_path(d: dict[str, Any]) -> None:
    component(d, "gw")["roles"] = ["auth", "load_balancer"]
    d["components"].append(
        {"id": "rl", "kind": "rate_limiter", "replicas": 2, "capacity_rps": 1000, "latency_ms": 1}
    )
    d["flows"].append({"from": "gw", "to": "rl", "step": 2})


def _rate_limiter_first(d: dict[str, Any]) -> None:
    _rate_limiter_off_path(d)
    d["flows"][-1]["step"] = 0 + 1
    next(f for f in d["flows"] if (f["from"], f["to"]) == ("gw", "guard"))["step"] = 2


def _set(cid: str, **fields: Any) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        component(d, cid).update(fields)
        for key, value in fields.items():
            if value is None:
                del component(d, cid)[key]

    return mutate


def _add(components: list[dict[str, Any]], flows: list[dict[str, Any]]) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        d["components"] += components
        d["flows"] += flows

    return mutate


def _nothing(d: dict[str, Any]) -> None:
    return None


def _accept(code: str, cid: str) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        d["accepted"] = [{"code": code, "component": cid, "reason": "a deliberate trade-off here"}]

    return mutate


def _both(*mutations: Mutation) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        for m in mutations:
            m(d)

    return mutate


CASES: dict[str, tuple[Mutation, Mutation]] = {
    # code: (triggers it, does not trigger it)
    "SD001": (
        _accept("SD401", "model"),
        _both(_set("model", capacity_rps=10), _accept("SD401", "model")),
    ),
    "SD002": (
        lambda d: d.update(checks={"severity": {"SD999": "off"}}),
        lambda d: d.update(checks={"severity": {"SD401": "warning"}}),
    ),
    "SD003": (_set("gw", capacity_rps=1e-300, latency_ms=1e308), _set("gw", capacity_rps=1e-3)),
    "SD101": (_required_queue, _add_queue),
    "SD102": (_uncached_hot_reads, _cached_hot_reads),
    "SD103": (_no_filter, _nothing),
    "SD104": (_no_audit, _nothing),
    "SD105": (
        _roles("rate_limiter", "load_balancer"),
        _roles("auth", "rate_limiter", "load_balancer"),
    ),
    "SD106": (_roles("auth", "load_balancer"), _nothing),
    "SD107": (_roles("auth", "rate_limiter"), _nothing),
    "SD108": (_observe_only_gw, _observe_by_flow),
    "SD109": (_slow_consumer(buffered=False), _slow_consumer(buffered=True)),
    "SD110": (_untrusted(sandboxed=False), _untrusted(sandboxed=True)),
    "SD111": (_credentials(with_store=False), _credentials(with_store=True)),
    "SD112": (_require_screen("retrieved"), _retrieved_screened),
    "SD201": (_filter_beside_model, _filter_called_before_and_after),
    "SD202": (_input_only_filter, _filter_called_before_and_after),
    "SD203": (
        _both(
            _require_screen("retrieved"),
            _add(
                [
                    {
                        "id": "rguard",
                        "kind": "safety_filter",
                        "screens": ["retrieved"],
                        "replicas": 2,
                        "capacity_rps": 1000,
                        "latency_ms": 5,
                    }
                ],
                [
                    {"from": "gw", "to": "rguard", "step": 2},
                    {"from": "rguard", "to": "events", "op": "write", "mode": "async"},
                ],
            ),
        ),
        _retrieved_screened,
    ),
    "SD204": (_ingestion(screened=False), _ingestion(screened=True)),
    "SD205": (lambda d: remove_flow(d, "app", "events"), _nothing),
    "SD206": (lambda d: remove_flow(d, "guard", "events"), _nothing),
    "SD207": (_bypass, _nothing),
    "SD208": (_rate_limiter_off_path, _rate_limiter_first),
    "SD301": (_add([{"id": "lonely", "kind": "service", "replicas": 2}], []), _nothing),
    "SD302": (
        _add(
            [{"id": "batch", "kind": "worker", "replicas": 2, "capacity_rps": 10, "latency_ms": 1}],
            [{"from": "batch", "to": "db", "op": "write"}],
        ),
        _nothing,
    ),
    "SD303": (_set("app", replicas=1, zones=[]), _nothing),
    "SD304": (_set("app", zones=["a"]), _nothing),
    "SD305": (_add([], [{"from": "db", "to": "app"}]), _nothing),
    "SD306": (_add([], [{"from": "app", "to": "audit", "op": "write", "mode": "async"}]), _nothing),
    "SD307": (_set("audit", replicas=1), _nothing),
    "SD401": (_set("model", capacity_rps=10), _nothing),
    "SD402": (_set("model", capacity_rps=60), _nothing),
    "SD403": (_set("model", capacity_rps=None), _nothing),
    "SD404": (_set("model", replicas=None), _set("model", replicas=1)),
    "SD501": (_set("model", latency_ms=2000), _nothing),
    "SD502": (_set("model", latency_ms=None), _nothing),
}

CASES.update(AGENTIC_CASES)


CASES.update(MODEL_CASES)


def test_every_rule_has_cases() -> None:
    assert set(CASES) == set(REGISTRY)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_triggers(code: str) -> None:
    d = data()
    CASES[code][0](d)
    assert code in codes(d)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_does_not_trigger(code: str) -> None:
    d = data()
    CASES[code][1](d)
    assert code not in codes(d)


def test_unstated_figures_are_said_once_per_kind() -> None:
    d = data()
    for cid in ("model", "db"):
        _set(cid, capacity_rps=None, replicas=None)(d)
    report = run_checks(build(d))
    by_code = {f.code: f for f in report.findings}
    assert [f.code for f in report.findings].count("SD403") == 1
    assert by_code["SD403"].message.startswith("capacity not stated for 2 components: ")
    assert by_code["SD404"].message.startswith("replicas not stated for 2 components: ")
    assert set(by_code["SD404"].components) == {"model", "db"}
    assert "SD401" not in by_code  # skipped, not judged against an invented capacity


def test_accepted_finding_is_shown_not_hidden() -> None:
    d = data()
    _both(_set("model", capacity_rps=10), _accept("SD401", "model"))(d)
    d["accepted"].append(
        {"code": "SD501", "component": "model", "reason": "saturated: the same trade-off"}
    )
    report = run_checks(build(d))
    accepted = [f for f in report.findings if f.code == "SD401"]
    assert accepted and accepted[0].accepted == "a deliberate trade-off here"
    assert not report.errors


def test_severity_override_and_off() -> None:
    d = data()
    _set("model", capacity_rps=10)(d)
    d["checks"] = {"severity": {"SD401": "warning"}}
    report = run_checks(build(d))
    assert [f.severity for f in report.findings if f.code == "SD401"] == ["warning"]
    d["checks"] = {"severity": {"SD401": "off"}}
    assert "SD401" not in codes(d)


def test_scale_shows_what_breaks_at_10x() -> None:
    d = data()
    assert "SD401" not in codes(d)
    report = run_checks(build(d), scale=10)
    assert "SD401" in report.codes()
    over = [f for f in report.findings if f.code == "SD401"]
    assert over[0].components == ("model",)


def test_fan_out_share_and_hit_ratio_propagate() -> None:
    d = data()
    next(f for f in d["flows"] if f["to"] == "model").update(share=0.5, fan_out=4)
    report = run_checks(build(d))
    load = {u.component: u.load_rps for u in report.utilisation}
    assert load["model"] == pytest.approx(200.0)  # 100 x 0.5 x 4
    assert load["db"] == pytest.approx(10.0 + 100.0)  # misses through the cache + writes


def test_latency_steps_add_and_parallel_calls_take_the_max() -> None:
    report = run_checks(build(data()))
    # users -> gw 2 -> guard 10 -> app 5 + step1 (cache 1 + miss to db 5) + step2 model 200
    # + step3 db write 5 = 228 ms of work, plus queueing (M/M/c): the model's 2 replicas of
    # 100 req/s take 100 req/s, a = 1, rho = 0.5: Erlang B(2, 1) = 0.2, C = 0.2 / (1 - 0.5 x 0.8)
    # = 1/3, wait = (1/3) / (200 - 100) s = 3.33 ms; the other hops (rho <= 0.05) add < 0.02 ms.
    assert report.latency[0].total_ms == pytest.approx(228 + 10 / 3, abs=0.02)


def test_cache_miss_path_ignored_at_p99_when_hits_exceed_99_percent() -> None:
    d = data()
    next(f for f in d["flows"] if f["from"] == "cache")["hit_ratio"] = 0.995
    assert run_checks(build(d)).latency[0].total_ms == pytest.approx(
        223 + 10 / 3, abs=0.02
    )  # + model queueing


def test_stage_requirements_drive_the_check() -> None:
    d = data()
    d["stages"] = [
        {
            "id": "async",
            "title": "Batch jobs",
            "constraint": "Add batch jobs.",
            "requires": {"layers": ["queue"]},
        }
    ]
    design = build(d)
    assert "SD101" not in run_checks(design, 0).codes()
    report = run_checks(design, 1)
    missing = [f for f in report.findings if f.code == "SD101"]
    assert missing and missing[0].missing_layer == "queue"
    assert "stage 1 (Batch jobs)" in missing[0].message


def test_a_crashing_rule_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from sysdesign.checks import RuleCrashed

    def boom(ctx: object) -> Any:
        raise KeyError("bug")

    monkeypatch.setitem(REGISTRY, "SD301", replace(REGISTRY["SD301"], check=boom))
    with pytest.raises(RuleCrashed, match="SD301"):
        run_checks(build(data()))


def test_a_filter_called_for_a_fraction_of_requests_screens_nothing() -> None:
    d = data()
    _filter_called_before_and_after(d)
    next(f for f in d["flows"] if f.get("id") == "screen-in")["share"] = 0.001
    assert "SD201" in codes(d)


def test_an_unreplicated_audit_log_loses_data() -> None:
    d = data()
    component(d, "audit")["replicas"] = 1
    assert "SD307" in codes(d)


def test_hit_ratio_of_exactly_99_percent_leaves_the_miss_path_out_of_p99() -> None:
    d = data()
    next(f for f in d["flows"] if f["from"] == "cache")["hit_ratio"] = 0.99
    assert run_checks(build(d)).latency[0].total_ms == pytest.approx(
        223 + 10 / 3, abs=0.02
    )  # + model queueing


def test_a_sink_worker_relays_the_stream_to_the_audit_log() -> None:
    d = data()
    remove_flow(d, "events", "audit")
    d["components"].append(
        {"id": "sink", "kind": "worker", "replicas": 2, "capacity_rps": 1000, "latency_ms": 1}
    )
    d["flows"] += [
        {"from": "events", "to": "sink", "op": "write", "mode": "async"},
        {"from": "sink", "to": "audit", "op": "write"},
    ]
    assert not {"SD205", "SD206"} & codes(d)


def test_background_routes_do_not_hide_a_single_point_of_failure_for_clients() -> None:
    d = data()
    component(d, "app")["replicas"] = 1
    component(d, "app")["zones"] = []
    d["components"] += [
        {"id": "etl", "kind": "scheduler", "qps": 1},
        {"id": "loader", "kind": "worker", "replicas": 2, "capacity_rps": 100, "latency_ms": 5},
    ]
    d["flows"] += [
        {"from": "etl", "to": "loader"},
        {"from": "loader", "to": "db", "op": "write"},
        {"from": "loader", "to": "model"},
        {"from": "loader", "to": "events", "op": "write", "mode": "async"},
    ]
    hits = [f for f in run_checks(build(d)).findings if f.code == "SD303"]
    assert [f.components for f in hits] == [("app",)]


def test_long_example_paths_keep_their_source() -> None:
    from sysdesign.checks.content import MAX_SHOWN_PATH, HopTable, search

    chain = [f"n{i}" for i in range(100)]
    rows = [{i + 1: ((1,), ())} for i in range(len(chain) - 1)] + [{}]  # n0 -> n1 -> ... n99
    hops = HopTable(chain, {n: i for i, n in enumerate(chain)}, rows, bytes(len(chain)))
    found = search(hops, ["n0"])
    path = found.path_to("n99")
    assert path[0] == "n0" and path[1] == "..." and path[-1] == "n99"
    assert len(path) == MAX_SHOWN_PATH + 2


@pytest.mark.parametrize("tools_first", [True, False])
def test_load_in_a_cycle_does_not_depend_on_listing_order(tools_first: bool) -> None:
    d = data()
    tools = {"id": "tools", "kind": "service", "replicas": 2, "capacity_rps": 10, "latency_ms": 5}
    if tools_first:
        d["components"].insert(1, tools)
    else:
        d["components"].append(tools)
    d["flows"] += [
        {"from": "app", "to": "tools", "fan_out": 3, "step": 4},
        {"from": "tools", "to": "app", "op": "write", "mode": "async"},
    ]
    report = run_checks(build(d))
    load = {u.component: u.load_rps for u in report.utilisation}
    assert load["tools"] == pytest.approx(300.0)
    assert "SD401" in report.codes()


def test_threshold_for_hot_reads_does_not_scale() -> None:
    d = data()
    _uncached_hot_reads(d)
    d["checks"] = {"hot_read_qps": 1000}  # 100 uncached reads/s at x1
    assert "SD102" not in codes(d)
    assert "SD102" in codes(d, scale=20)


def test_a_second_call_to_the_model_after_the_output_screen_is_unscreened() -> None:
    d = data()
    _filter_called_before_and_after(d)
    d["flows"].append({"id": "second-answer", "from": "app", "to": "model", "step": 5})
    assert "SD202" in codes(d)


def test_a_post_to_the_gateway_still_carries_the_answer_back() -> None:
    d = data()
    _input_only_filter(d)
    next(f for f in d["flows"] if f["from"] == "users")["op"] = "write"
    assert "SD202" in codes(d)


def test_meta_rules_follow_severity_overrides() -> None:
    d = data()
    d["accepted"] = [{"code": "SD401", "component": "model", "reason": "a stale acceptance"}]
    d["checks"] = {"severity": {"SD001": "off", "SD002": "info", "SD999": "error"}}
    report = run_checks(build(d))
    assert "SD001" not in {f.code for f in report.findings}
    assert [f.severity for f in report.findings if f.code == "SD002"] == ["info"]


def test_infinite_numbers_are_refused() -> None:
    from sysdesign.diagnostics import InputError

    d = data()
    component(d, "model")["latency_ms"] = float("inf")
    with pytest.raises(InputError, match="latency_ms"):
        build(d)


def test_an_invalid_stage_change_is_one_located_line() -> None:
    from sysdesign.diagnostics import InputError

    d = data()
    d["stages"] = [
        {
            "id": "s",
            "title": "S",
            "constraint": "C",
            "change": [{"id": "app", "screens": ["input"]}],
        }
    ]
    with pytest.raises(InputError) as caught:
        build(d)
    [diagnostic] = caught.value.diagnostics
    assert "this change makes app invalid: 'screens' is only for safety filters" in (
        diagnostic.message
    )
    assert "\n" not in diagnostic.message


def test_a_client_can_have_its_own_latency_budget() -> None:
    d = data()
    d["components"].append({"id": "admins", "kind": "client", "qps": 1, "latency_budget_ms": 100})
    d["flows"].append({"from": "admins", "to": "gw"})
    report = run_checks(build(d))
    over = [f for f in report.findings if f.code == "SD501"]
    assert len(over) == 1 and "admins" in over[0].message and "100 ms budget" in over[0].message
    budgets = {p.entry: p.budget_ms for p in report.latency}
    assert budgets == {"users": 1000, "admins": 100}


def test_required_layer_findings_point_at_the_requirement() -> None:
    d = data()
    _required_queue(d)
    [finding] = [f for f in run_checks(build(d)).findings if f.code == "SD101"]
    assert finding.origin == ("requirements",)
