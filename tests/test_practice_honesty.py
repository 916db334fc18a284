"""The end of a practice session credits the user only with what the user did: the interviewer's
numbers are not the user's estimates, a question is not asked about a design that has nothing
to ask about, and a question is shown beside the reference's discussion only when they share
more than one word."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import yaml
from conftest import ROOT

from sysdesign.loader import load_design
from sysdesign.practice.report import finish
from sysdesign.practice.report_text import report_lines
from sysdesign.practice.reveal import STATED_SCALE, hidden_parts
from sysdesign.practice.sidebyside import STATED, compare_estimates
from sysdesign.practice.state import SessionState
from sysdesign.practice.status import checked_design
from sysdesign.probe.generate import _discussion, probe
from sysdesign.scaffold import blind_text

REF = load_design(ROOT / "designs" / "mcp-gateway.yaml")
STATED_HERE = [name for name in STATED_SCALE if getattr(REF.scale, name) is not None]


def _finished(tmp_path: Path, text: str) -> tuple[SessionState, Path]:
    """A finished session of `text` in which the interviewer stated the scale and every stage."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(text)
    state = SessionState("mine", REF.id, mine.name, {}, 0, status="finished")
    hidden = hidden_parts(REF)
    state.revealed = {part: hidden[part] for part in ("requirements", "scale", "slo", "clients")}
    state.revealed["stages"] = hidden["stages"]
    state.stages_revealed = len(REF.stages)
    return state, mine


def test_an_empty_attempt_is_not_credited_with_the_numbers_the_interviewer_stated(
    tmp_path: Path,
) -> None:
    assert STATED_HERE  # the drill states some: the test means something
    state, mine = _finished(tmp_path, blind_text("mine", REF))
    end, _ = finish(state, mine, "mine.yaml", REF, None)
    rows = {row.name: row for row in end.estimates}
    for name in STATED_HERE:
        assert rows[name].mine is None
        assert rows[name].verdict == STATED
    assert all(row.verdict in (STATED, "not estimated") for row in end.estimates)
    text = "\n".join(report_lines(end, "mine", "mine.yaml"))
    assert ": within 2x" not in text  # no figure credited (the header names the verdicts)
    assert f"peak_qps: yours -, reference 10K: {STATED}" in text


def test_the_users_own_figures_are_compared_and_a_copied_one_is_not_credited(
    tmp_path: Path,
) -> None:
    data = yaml.safe_load(blind_text("mine", REF))
    peak = REF.scale.peak_qps
    assert peak is not None and REF.scale.tenants is not None
    data["scale"] = {"peak_qps": peak * 30, "tenants": REF.scale.tenants, "average_qps": 2000}
    state, mine = _finished(tmp_path, yaml.safe_dump(data, sort_keys=False))
    end, _ = finish(state, mine, "mine.yaml", REF, None)
    rows = {row.name: row for row in end.estimates}
    assert rows["peak_qps"].mine == peak * 30 and rows["peak_qps"].verdict == "off"
    assert rows["tenants"].verdict == STATED  # the figure given, written back: not an estimate
    assert rows["average_qps"].verdict == "within 2x"  # the user's own estimate of 2,500


def test_compare_estimates_outside_a_session_compares_every_figure() -> None:
    rows = compare_estimates(REF, REF)
    assert rows and all(row.verdict == "within 2x" for row in rows)
    rows = compare_estimates(None, REF, stated=STATED_HERE)
    assert {row.name for row in rows if row.verdict == STATED} == set(STATED_HERE)


def test_no_question_about_the_components_of_a_design_that_has_none() -> None:
    state_revealed = {
        part: hidden_parts(REF)[part] for part in ("requirements", "scale", "slo", "clients")
    }
    state_revealed["stages"] = hidden_parts(REF)["stages"]
    empty = checked_design(blind_text("mine", REF), "mine.yaml", state_revealed, len(REF.stages))
    asked = {q.id for stage in range(len(REF.stages) + 1) for q in probe(empty, stage, REF)}
    assert "availability-target" not in asked  # "with 0 components on the request paths ..."
    ids = {q.id for q in probe(REF, 2, REF)}
    assert "availability-target" in ids  # the reference has components: it is asked


def _linked(words: list[str], points: list[str]) -> list[int]:
    return [n for n, _ in _discussion(SimpleNamespace(discuss=words), points)]  # type: ignore[arg-type]


def test_a_discussion_point_is_linked_only_when_it_shares_two_of_the_questions_words() -> None:
    points = [
        "False positives - security tools; per-tool thresholds, tenant overrides audited.",
        "Isolation by construction: keys start with the tenant id, one cell per tenant.",
        "Retries reuse idempotency keys.",
        "Page per-tenant budgets.",
        "Noisy neighbours: per-tenant quotas; a tenant over quota gets 429.",
    ]
    assert _linked(["tenant", "isolation", "noisy", "per-tenant"], points) == [2, 5]
    # one word is chance; 'tenant' inside 'per-tenant' is the same word once
    assert _linked(["auth", "token", "key"], points) == []
    assert _linked(["audit"], points) == [1]  # a question of one word needs that word
    assert _linked(["ms", "latency"], ["Systems with latency"]) == []  # 'ms' starts no word
    assert _linked(["cach", "ttl"], ["Caching with a TTL of 60 s"]) == [1]
    assert _linked([], points) == []


def test_an_estimate_is_never_matched_to_a_figure_counted_over_another_period() -> None:
    from sysdesign.model import Estimate, Scale
    from sysdesign.practice.sidebyside import period

    assert [period(u) for u in ("req/s", "sessions/day", "USD/month", "microVMs busy")] == [
        "s",
        "day",
        "month",
        None,
    ]
    assert period("tokens per day") == "day" and period("bytes") is None
    mine = SimpleNamespace(
        scale=Scale(
            peak_qps=1,
            estimates=[Estimate(name="agent sessions per second", value=8000, unit="calls/s")],
        )
    )
    rows = compare_estimates(mine, REF)  # type: ignore[arg-type]
    matched = [row for row in rows if row.mine_name == "agent sessions per second"]
    # its name is closest to the reference's "agent sessions per day" (sessions/day): a rate per
    # second is not a count per day, so it is compared with a per-second figure or with none
    assert all(period(row.unit) == "s" for row in matched)
    assert "agent sessions per day" not in {row.name for row in matched}
