"""`new --blind`: only the prompt and the schema line; nothing of the answer leaks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

from sysdesign.diagnostics import InputError
from sysdesign.loader import load_design, parse_design
from sysdesign.scaffold import ScaffoldError, blind_text, write_scaffold

DRILLS = ["agent-observability", "distributed-search", "mcp-gateway", "qortex"]


@pytest.mark.parametrize("drill", DRILLS)
def test_blind_scaffold_holds_only_the_prompt(drill: str) -> None:
    ref = load_design(ROOT / "designs" / f"{drill}.yaml")
    text = blind_text("mine", ref)
    assert text.startswith("# yaml-language-server: $schema=")
    data = yaml.safe_load(text)
    assert set(data) == {"id", "title", "drill", "prompt"}
    assert data["prompt"] == ref.prompt and data["drill"] == ref.id
    for hidden in [*ref.requirements.functional, *(s.constraint for s in ref.stages)]:
        assert hidden not in text
    assert f"{ref.scale.peak_qps:.0f}" not in text.replace(ref.prompt, "")
    with pytest.raises(InputError):  # filling it in is the exercise
        parse_design(text, "mine.yaml")


def test_blind_needs_a_drill_and_never_overwrites(tmp_path: Path) -> None:
    ref = load_design(ROOT / "designs" / "qortex.yaml")
    with pytest.raises(ScaffoldError):
        write_scaffold("x", None, tmp_path, tmp_path / "answers", None, blind=True)
    made = write_scaffold("x", ref, tmp_path, tmp_path / "answers", None, blind=True)
    made.design.write_text(made.design.read_text() + "# my notes\n")
    with pytest.raises(ScaffoldError):
        write_scaffold("x", ref, tmp_path, tmp_path / "answers", None, blind=True)
    assert made.design.read_text().endswith("# my notes\n")


def test_cli_new_blind_writes_no_answers_template(project: Path) -> None:
    done = run_cli(project, "new", "mine", "--from", "mcp-gateway", "--blind")
    assert done.returncode == 0, done.stderr
    assert (project / "attempts" / "mine.yaml").exists()
    assert not (project / "attempts" / "answers" / "mine.yaml").exists()  # items are hints
    assert "sysdesign practice mcp-gateway" in done.stdout
    blank = run_cli(project, "new", "other", "--blank", "--blind")
    assert blank.returncode == 2 and "--blind needs a drill" in blank.stderr
