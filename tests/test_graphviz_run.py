"""Every Graphviz run has a time limit; DOT written alone is DOT that `dot` accepts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

from sysdesign.render.graphviz_run import (
    GraphvizTimeout,
    accepted_dot,
    run_dot,
    set_time_limit,
    time_limit,
)
from sysdesign.render.output import outputs_of

FIXTURES = Path(__file__).parent / "fixtures"
INIT_RANK = (FIXTURES / "initrank.dot").read_text()  # clusters dot's default ranking rejects
NEWRANK = INIT_RANK.replace("digraph fz1x28 {", "digraph fz1x28 {\n\tnewrank=true", 1)

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")


def _accepted(dot: str) -> bool:
    proc = subprocess.run(["dot", "-Tcanon"], input=dot.encode(), capture_output=True, timeout=60)
    return proc.returncode == 0


@needs_dot
def test_dot_alone_gets_the_newrank_fallback() -> None:
    assert not _accepted(INIT_RANK) and "newrank" in NEWRANK and _accepted(NEWRANK)
    out = outputs_of(("dot",), INIT_RANK, fallback=lambda: NEWRANK)["dot"].decode()
    assert out == NEWRANK and _accepted(out)
    both = outputs_of(("dot", "mmd"), INIT_RANK, "flowchart LR", fallback=lambda: NEWRANK)
    assert both["dot"].decode() == NEWRANK
    assert accepted_dot(NEWRANK, lambda: pytest.fail("accepted as it is")) == NEWRANK


@needs_dot
def test_a_layout_past_the_limit_is_stopped_with_advice() -> None:
    big = "digraph {" + "".join(f"n{i} -> n{(i * 7919) % 3001};" for i in range(3000)) + "}"
    with pytest.raises(GraphvizTimeout) as caught:
        run_dot(big, "svg", limit=0.05)
    text = str(caught.value)
    assert "0.05 s" in text and "overview" in text and "--dot-timeout" in text


def test_time_limit_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYSDESIGN_DOT_TIMEOUT", raising=False)
    assert time_limit() == 60
    for bad in ("abc", "-1", "0", "inf", "nan"):
        monkeypatch.setenv("SYSDESIGN_DOT_TIMEOUT", bad)
        assert time_limit() == 60
    monkeypatch.setenv("SYSDESIGN_DOT_TIMEOUT", "2.5")
    assert time_limit() == 2.5
    set_time_limit(7)
    assert time_limit() == 7
    with pytest.raises(ValueError):
        set_time_limit(0)


@needs_dot
def test_render_names_the_design_and_says_what_to_try(project: Path) -> None:
    design = project / "slow.yaml"
    design.write_text((FIXTURES / "slow-200c.yaml").read_text())
    out = project / "out"
    result = run_cli(
        project, "render", str(design), "--view", "full", "--format", "svg",
        "-o", str(out), "--dot-timeout", "1",
    )  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "fz1x36" in result.stderr and "took longer than 1 s" in result.stderr
    assert "overview" in result.stderr and not (out / "fz1x36.svg").exists()


@needs_dot
def test_a_view_past_the_limit_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    import designs
    from sysdesign.render import view_set

    def too_slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise GraphvizTimeout(60)

    monkeypatch.setattr(view_set, "render_scene", too_slow)
    items = view_set.render_views(
        designs.build(designs.data()), 0, None, ("full", "overview"), ("svg",)
    )
    full, overview = items
    assert full.view == "full" and not full.outputs and "clean stage 0, full view" in full.problem
    assert overview.problem is None and overview.outputs["svg"].startswith(b"<?xml")
