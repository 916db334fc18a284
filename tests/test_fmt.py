"""`sysdesign fmt`: long <-> compact, comments kept, same design, idempotent, with a backup."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sysdesign.diagnostics import InputError
from sysdesign.formatting import Form, format_file, format_text
from sysdesign.loader import parse_design

MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"

COMMENTED = """\
# a design with comments everywhere
id: c
title: Commented
prompt: P
scale: {peak_qps: 100}
slo: {p99_latency_ms: 500}
groups:
  - {id: edge}
components:
  # ---- edge
  - id: users  # who calls
    kind: client
  - id: lb
    kind: load_balancer
    replicas: 2
    group: edge
  # ---- core
  - id: api
    kind: service  # the app
    replicas: 3
    capacity_rps: 100
    latency_ms: 5
  - id: db
    kind: database
    replicas: 3
    notes: >-
      The system of record,
      folded over two lines.
flows:
  # the read path
  - {from: users, to: lb}
  - {from: lb, to: api}  # through the balancer
  - {from: api, to: db}
  # async
  - {from: api, to: db, id: audit-write, op: write, mode: async}

stages:
  - id: s1
    title: More
    constraint: More traffic.
    change:
      - {id: api, replicas: 6}  # doubled
"""


def meaning(text: str) -> dict[str, Any]:
    return parse_design(text).model_dump(mode="json", by_alias=True, exclude_unset=True)


def comments(text: str) -> list[str]:
    return sorted(line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line)


@pytest.mark.parametrize("text", [MINIMAL.read_text(), COMMENTED])
@pytest.mark.parametrize("form", list(Form))
def test_same_design_comments_kept_idempotent(text: str, form: Form) -> None:
    out = format_text(text, form)
    assert meaning(out) == meaning(text)
    assert comments(out) == comments(text)
    assert format_text(out, form) == out
    back = format_text(out, Form.EXPAND if form is Form.COMPACT else Form.COMPACT)
    assert meaning(back) == meaning(text) and comments(back) == comments(text)


def test_compact_form_reads_as_documented() -> None:
    out = format_text(MINIMAL.read_text(), Form.COMPACT)
    assert "  - users: client\n" in out
    assert "  - {guard: safety_filter, replicas: 2, capacity_rps: 500, latency_ms: 30}\n" in out
    assert "  - users -> gateway -> guard -> chat -> model\n  - guard ~> audit\n" in out
    assert 'observes: "*"' in out
    assert "groups:" not in out  # `edge` is named by the gateway: implied
    assert len(out.splitlines()) < len(MINIMAL.read_text().splitlines()) * 0.6


def test_comments_stay_where_they_were() -> None:
    out = re.sub(r" +#", "  #", format_text(COMMENTED, Form.COMPACT))
    assert "  # ---- edge\n  - users: client  # who calls\n" in out
    assert "  - api: service  # the app\n" in out
    assert "  # ---- core\n  - api: service" in out
    assert "  - users -> lb -> api  # through the balancer\n  - api -> db\n" in out
    assert "      folded over two lines.\n" in out
    assert "\n\nstages:" in out


def test_flows_with_options_or_own_ids_stay_long() -> None:
    out = format_text(COMMENTED, Form.COMPACT)
    assert "{from: api, to: db, id: audit-write, op: write, mode: async}" in out


def test_expand_writes_every_default_out() -> None:
    compact = format_text(MINIMAL.read_text(), Form.COMPACT)
    long = format_text(compact, Form.EXPAND)
    data = yaml.safe_load(long)
    assert all("id" in c and "kind" in c for c in data["components"])
    assert all(isinstance(f, dict) for f in data["flows"])
    assert data["groups"] == [{"id": "edge"}]
    assert data["components"][-1]["observes"] == ["*"]


def test_invalid_design_is_refused_and_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (
        MINIMAL.read_text()
        .replace("kind: cache", "kind: cahce")
        .replace("- {from: users", "- {frm: users")
    )
    bad.write_text(text)
    with pytest.raises(InputError) as info:
        format_file(bad, Form.COMPACT)
    assert info.value.diagnostics[0].line > 1
    assert bad.read_text() == text
    assert not list(tmp_path.glob("*.bak*"))


def test_cli_check_backup_and_exit_codes(tmp_path: Path) -> None:
    design = tmp_path / "d.yaml"
    design.write_text(MINIMAL.read_text())
    checked = run_cli(tmp_path, "fmt", str(design), "--check")
    assert checked.returncode == 1 and "would change" in checked.stdout
    assert design.read_text() == MINIMAL.read_text()
    done = run_cli(tmp_path, "fmt", str(design))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "d.yaml.bak").read_text() == MINIMAL.read_text()
    assert run_cli(tmp_path, "fmt", str(design), "--check").returncode == 0
    again = run_cli(tmp_path, "fmt", str(design), "--expand")
    assert again.returncode == 0 and (tmp_path / "d.yaml.bak.2").exists()
    both = run_cli(tmp_path, "fmt", str(design), "--expand", "--compact")
    assert both.returncode == 2 and "not both" in both.stderr
    (tmp_path / "e.yaml").write_text("id: x\ncomponents: [{a: servce}]\n")
    bad = run_cli(tmp_path, "fmt", str(tmp_path / "e.yaml"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "e.yaml:2:" in bad.stderr


# -- generated designs: the long form, with random options, compacts and expands faithfully --

IDS = [f"c{i}" for i in range(8)]
KINDS = ["service", "cache", "database", "queue", "worker", "load_balancer"]


@st.composite
def designs(draw: st.DrawFn) -> str:
    n = draw(st.integers(2, 8))
    lines = [
        "id: g",
        "title: G",
        "prompt: P",
        "scale: {peak_qps: 100}",
        "slo: {p99_latency_ms: 500}",
        "components:",
        "  - {id: c0, kind: client}",
    ]
    for cid in IDS[1:n]:
        fields = [f"id: {cid}", f"kind: {draw(st.sampled_from(KINDS))}"]
        if draw(st.booleans()):
            fields.append(f"replicas: {draw(st.integers(1, 9))}")
        if draw(st.booleans()):
            fields.append(f"group: {draw(st.sampled_from(['a', 'b']))}")
        if draw(st.booleans()):
            fields.append(f"label: {draw(st.sampled_from(['x', 'long ' * 30, 'a, b']))!r}")
        block = draw(st.booleans())
        if block:
            lines.append(f"  - {fields[0]}")
            lines += [f"    {f}" for f in fields[1:]]
        else:
            lines.append("  - {" + ", ".join(fields) + "}")
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(1, n - 1)),
            max_size=12,
            unique=True,
        )
    )
    pairs = [(a, b) for a, b in pairs if a != b]
    if pairs:
        lines.append("flows:")
    for a, b in pairs:
        option = draw(
            st.sampled_from(["", "", ", mode: async, op: write", ", step: 2", ", op: write"])
        )
        comment = draw(st.sampled_from(["", "", "  # why"]))
        lines.append(f"  - {{from: {IDS[a]}, to: {IDS[b]}{option}}}{comment}")
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs(), st.sampled_from(list(Form)))
def test_generated_designs_round_trip(text: str, form: Form) -> None:
    out = format_text(text, form)
    assert meaning(out) == meaning(text)
    assert format_text(out, form) == out
    assert comments(out) == comments(text)


def test_an_id_that_is_a_field_name_keeps_id_and_kind() -> None:
    text = MINIMAL.read_text().replace("id: chat", "id: group").replace("to: chat", "to: group")
    text = text.replace("from: chat", "from: group")
    out = format_text(text, Form.COMPACT)
    assert "  - {id: group, kind: service, replicas: 3, capacity_rps: 200, latency_ms: 10}\n" in out
    assert meaning(out) == meaning(text)


STAGE_GROUPS = """\
id: g
title: G
prompt: P
scale: {peak_qps: 10}
slo: {p99_latency_ms: 100}
components:
  - {users: client, group: edge}
  - {api: service, replicas: 2, group: core}
flows: [users -> api]
stages:
  - id: s
    title: S
    constraint: C
    add:
      components: [{cache: cache, replicas: 2, group: hot}]
    change:
      - {id: api, group: newcore}
  - id: t
    title: T
    constraint: C
    change:
      - {id: api, group: later}
"""


def test_groups_a_stage_names_are_declared_in_that_stage_and_implied_again() -> None:
    long = format_text(STAGE_GROUPS, Form.EXPAND)
    data = yaml.safe_load(long)
    assert data["groups"] == [{"id": "edge"}, {"id": "core"}]
    assert data["stages"][0]["add"]["groups"] == [{"id": "hot"}, {"id": "newcore"}]
    assert data["stages"][1]["add"] == {"groups": [{"id": "later"}]}
    assert meaning(long) == meaning(STAGE_GROUPS)
    compact = format_text(long, Form.COMPACT)
    assert compact == format_text(STAGE_GROUPS, Form.COMPACT)
    assert "groups" not in compact and "add:\n      components" in compact


@pytest.mark.parametrize("path", sorted((ROOT / "designs").glob("*.yaml")), ids=lambda p: p.stem)
def test_reference_drills_are_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, Form.COMPACT, str(path)) == text, (
        f"run: sysdesign fmt designs/{path.name}"
    )
