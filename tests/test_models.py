"""The capacity-planning models, each on a case computed by hand (inputs and arithmetic stated)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from model_cases import (
    holds_documents,
    model_in_zones,
    ttft_objective,
    update_path,
    users_qps,
)
from typer.testing import CliRunner

from designs import build, component, data
from sysdesign.analyses import analyses_for
from sysdesign.analyses.availability import Failure
from sysdesign.analyses.queueing import erlang_c, wait_ms
from sysdesign.checks import run_checks
from sysdesign.views import view_of

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


def test_erlang_c_by_hand() -> None:
    # c = 2, a = 1: B(1) = 1/2, B(2) = 1 x 0.5 / (2 + 0.5) = 0.2; rho = 0.5;
    # C = 0.2 / (1 - 0.5 x (1 - 0.2)) = 0.2 / 0.6 = 1/3
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    # M/M/1 (c = 1): C = rho; rho = 0.1 at 10 req/s into 100 req/s: wait = 0.1 / (100 - 10) s
    assert wait_ms(10, 100, 1) == pytest.approx(1000 * 0.1 / 90)


def test_saturated_pool_has_no_wait_and_never_inf() -> None:
    assert wait_ms(100, 100, 1) is None  # rho = 1: the queue grows without bound
    assert wait_ms(150, 50, 2) is None  # 150 req/s into 2 x 50
    assert wait_ms(0, 50, 2) == 0.0


def test_many_spare_servers_wait_zero() -> None:
    # c = 5000, a = 3000: beta = 2000 / sqrt(3000) = 36.5 > 8: P(wait) < 1e-15, taken as 0
    assert erlang_c(5000, 3000.0) == 0.0


def test_critical_path_hops_add_up_and_include_each_step() -> None:
    report = run_checks(build(data()))
    path = report.latency[0]
    assert sum(h.ms for h in path.hops) == pytest.approx(path.total_ms)
    steps = [(h.component, h.step) for h in path.hops if h.depth == 4]
    # app calls cache at step 1, the model at step 2 and writes db at step 3: all three appear
    assert steps == [("cache", 1), ("model", 2), ("db", 3)]


def test_saturated_path_says_saturated_not_a_number() -> None:
    d = data()
    component(d, "model")["capacity_rps"] = 40  # 100 req/s into 2 x 40 = 80: 125%
    report = run_checks(build(d))
    path = report.latency[0]
    assert path.saturated_at == ("model",) and not path.fits
    messages = [f.message for f in report.errors if f.code == "SD501"]
    assert messages and "saturated" in messages[0] and "inf" not in messages[0]


def test_ten_x_traffic_raises_latency_through_queueing() -> None:
    # model: 2 replicas x 100 req/s. At x1, 100 req/s (rho 0.5, wait 3.33 ms). At x1.8,
    # 180 req/s: a = 1.8, B(1) = 1.8/2.8 = 0.6429, B(2) = 1.8 x 0.6429 / (2 + 1.157) = 0.3665,
    # C = 0.3665 / (1 - 0.9 x 0.6335) = 0.8526, wait = 0.8526 / (200 - 180) s = 42.6 ms
    design = build(data())
    one = analyses_for(view_of(design), 1.0).waits["model"]
    more = analyses_for(view_of(design), 1.8).waits["model"]
    assert one == pytest.approx(10 / 3)
    assert more == pytest.approx(42.63, abs=0.01)


def test_storage_fit_by_hand() -> None:
    # 1M documents x 5 KB = 5 GB; RF 3 over 3 replicas: 5 GB x 3 / 3 = 5 GB per replica; 1 GB each
    d = data()
    holds_documents(1e9)(d)
    report = run_checks(build(d))
    [finding] = [f for f in report.errors if f.code == "SD601"]
    assert finding.message == (
        "db must keep 5 GB per replica in storage (1M documents x 5 KB x 3 copies / 3 replicas) "
        "but one replica has 1 GB (5.0x)"
    )


def test_sharded_in_memory_index_by_hand() -> None:
    # 1M vectors x 3 KB = 3 GB over 4 shards = 750 MB per replica, 512 MB of memory: no fit;
    # the index's storage_bytes is irrelevant when it keeps its data in memory
    d = data()
    d["scale"].update(documents=1_000_000, vector_bytes=3000)
    db = component(d, "db")
    db.update(holds="vectors", in_memory=True, shards=3, memory_bytes=512e6, storage_bytes=1e12)
    fit = analyses_for(view_of(build(d))).fits[0]
    assert fit.need_bytes == pytest.approx(1e9) and fit.fits is False  # 3 GB / 3 shards
    db["memory_bytes"] = 2e9
    assert analyses_for(view_of(build(d))).fits[0].fits is True


def test_replication_factor_not_stated_is_said_not_assumed() -> None:
    d = data()
    holds_documents(1e10)(d)
    del d["scale"]["replication_factor"]
    report = run_checks(build(d))
    infos = [f.message for f in report.findings if f.code == "SD602"]
    assert infos == ["db: not stated: scale.replication_factor"]


def test_freshness_by_hand() -> None:
    # feeds -> ingest: 0 network + 1.11 ms queueing + 20 ms + 2,000 ms batch = 2,021.1 ms;
    # ingest -> db: 1 ms network + 5 ms (+ ~0 queueing) = 6 ms; total 2,027.1 ms > 1,000 ms
    d = data()
    update_path(2000)(d)
    [lag] = analyses_for(view_of(build(d))).lags
    assert lag.path == ("feeds", "ingest", "db")
    assert lag.total_ms == pytest.approx(2027.11, abs=0.01)
    [finding] = [f for f in run_checks(build(d)).errors if f.code == "SD611"]
    assert "the design's slo requires 1.0 ms" not in finding.message
    assert finding.message == (
        "an update reaches db in 2,027.1 ms (p99) but the design's slo requires 1,000.0 ms "
        "(slo.freshness_ms): feeds -> ingest 2,021.1 ms (100%, batch 2,000.0 ms), "
        "db 6.0 ms (0%)"
    )


def test_freshness_objective_without_any_update_path_is_an_error() -> None:
    d = data()
    d["slo"]["freshness_ms"] = 1000
    [finding] = [f for f in run_checks(build(d)).errors if f.code == "SD611"]
    assert "no write, stream or async path reaches a store that serves reads" in finding.message


def test_time_to_first_token_by_hand() -> None:
    # users -> gw 2 -> guard 10 -> app 5 + cache 1 + db 5 + model + db write 5: 28 ms of work;
    # the model streams its first token at 100 ms (whole answer 200 ms), queueing 3.33 ms as
    # before: time to first token = 28 + 100 + 3.33 = 131.3 ms, judged against slo.ttft_ms 800;
    # the whole answer is not judged (users set no latency_budget_ms).
    d = data()
    ttft_objective(100)(d)
    report = run_checks(build(d))
    [path] = report.latency
    assert path.measure == "first token" and path.budget_ms == 800
    assert path.total_ms == pytest.approx(128 + 10 / 3, abs=0.02)


def test_one_client_budget_changes_without_the_others() -> None:
    d = data()
    d["components"].append({"id": "admins", "kind": "client", "qps": 1, "latency_budget_ms": 100})
    d["flows"].append({"from": "admins", "to": "gw"})
    budgets = {p.entry: p.budget_ms for p in run_checks(build(d)).latency}
    assert budgets == {"users": 1000, "admins": 100}


def test_peak_not_carried_by_clients_names_the_gap() -> None:
    # peak 100 req/s, users state 50: 100 - 50 = 50 req/s reach no component
    d = data()
    users_qps(50)(d)
    [finding] = [f for f in run_checks(build(d)).errors if f.code == "SD405"]
    assert finding.message == (
        "the design's scale sets peak_qps to 100 req/s but the clients originate 50 req/s "
        "(users 50): 50 req/s reach no component"
    )


def test_journey_availability_by_hand() -> None:
    # users reach gw, guard, app (2 replicas at 99.5%, zones a, b at 99.9%), cache (2, no zones
    # stated: no zone factor), db (3 replicas), model (2 LLM replicas at 99%):
    # gw = guard = app = (1 - 0.005^2) (1 - 0.001^2); cache = 1 - 0.005^2; db = 1 - 0.005^3;
    # model = 1 - 0.01^2
    analyses = analyses_for(view_of(build(data())))
    expected = (1 - 0.005**2) ** 4 * (1 - 0.001**2) ** 3 * (1 - 0.005**3) * (1 - 0.01**2)
    assert analyses.journey("users") == {"gw", "guard", "app", "cache", "db", "model"}
    assert analyses.journey_availability("users") == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(0.99979, abs=1e-5)


def test_headroom_by_hand() -> None:
    # model: 100 req/s on 2 x 100 = 200: crosses 70% at x(0.7 x 200 / 100) = x1.4, 100% at x2
    rows = {h.component: h for h in analyses_for(view_of(build(data()))).headroom}
    assert rows["model"].to_target == pytest.approx(1.4)
    assert rows["model"].to_full == pytest.approx(2.0)
    first = analyses_for(view_of(build(data()))).headroom[0]
    assert first.component == "model"  # everything else has more headroom


def test_zone_loss_blast_by_hand() -> None:
    # model in zones a, b with 2 x 60 req/s and 100 req/s: losing a leaves 1 x 60: 167%
    d = data()
    model_in_zones(["a", "b"])(d)
    blast = analyses_for(view_of(build(d))).blast(Failure(zone="a"))
    assert blast.lost == () and blast.broken == ()
    assert blast.overloaded == (("model", pytest.approx(100 / 60)),)


def test_fail_command_worst_first() -> None:
    import json

    from sysdesign.cli import app

    path = FIXTURES / "minimal.yaml"
    result = runner.invoke(app, ["fail", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    failures = json.loads(result.stdout)["failures"]
    broken = [len(f["broken"]) for f in failures]
    assert broken == sorted(broken, reverse=True) and broken[0] >= 1
    text = runner.invoke(app, ["fail", str(path)])
    assert text.exit_code == 0 and "loses" in text.stdout


def test_check_fail_zone_unknown_is_invalid_input() -> None:
    from sysdesign.cli import app

    result = runner.invoke(app, ["check", str(FIXTURES / "minimal.yaml"), "--fail-zone", "nope"])
    assert result.exit_code == 2
    assert "no zone 'nope' to fail" in result.stderr


def test_plausibility_names_range_and_source() -> None:
    d = data()
    component(d, "model")["capacity_rps"] = 100_000
    [finding] = [f for f in run_checks(build(d)).warnings if f.code == "SD705"]
    assert "plausible at most 500" in finding.message and "vLLM" in finding.message


def test_extreme_figures_stay_finite_in_every_model() -> None:
    from sysdesign.figures import finite_tree

    d = data()
    holds_documents(1e-300, document_bytes=1e300)(d)
    d["scale"]["documents"] = 1e300
    update_path(1e300)(d)
    component(d, "model").update(capacity_rps=1e-300, latency_ms=1e300, replicas=3, zones=["a"])
    d["slo"]["survive_zone_loss"] = True
    report = run_checks(build(d), scale=1e300)
    assert finite_tree(report.as_dict())
    text = " ".join(f.message for f in report.findings)
    assert not re.search(r"\b(inf|nan|infinity)\b", text, re.IGNORECASE)
    assert "SD601" in report.codes() and "SD611" in report.codes()
