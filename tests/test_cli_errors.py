"""Hostile command lines: one clear line, exit 2, never a traceback, nothing of the user's lost."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, run_cli_process

FIXTURE = ROOT / "tests" / "fixtures" / "minimal.yaml"


@pytest.fixture()
def project(project: Path) -> Path:
    (project / "afile").write_text("keep me\n")
    return project


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(cwd, *args)


@pytest.mark.parametrize(
    "args",
    [
        ("render", "qortex", "-f", "dot,mmd", "--out", "afile"),
        ("schema", "--out", "afile/x.json"),
        ("schema", "--out", "designs"),
        ("check", "qortex", "--scale", "nan"),
        ("check", "qortex", "--scale", "inf"),
        ("check", "qortex", "--scale", "-1"),
        ("check", "qortex", "--stage", "99"),
        ("check", "qortex", "--stage", "2", "--all-stages"),
        ("check", "no-such-design"),
        ("validate", "designs"),
        ("compare", "qortex", "--reference", "no-such-drill"),
        ("new", "../x", "--blank"),
        ("new", "x", "--from", "no-such-drill"),
        ("explain", "SD9999"),
    ],
)
def test_bad_command_lines_fail_cleanly(project: Path, args: tuple[str, ...]) -> None:
    result = run(project, *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.strip(), "says what is wrong"
    assert (project / "afile").read_text() == "keep me\n"


def test_check_reports_every_design_even_when_one_lacks_the_stage(project: Path) -> None:
    shutil.copy(FIXTURE, project / "designs" / "minimal.yaml")  # one stage only
    result = run(project, "check", "--stage", "3", "--brief", "--format", "json")
    assert result.returncode == 2
    checked = {r["design"] for r in json.loads(result.stdout)}
    assert {"qortex", "mcp-gateway"} <= checked
    assert "minimal has stages 0..1" in result.stderr


def test_an_empty_project_folder_uses_the_bundled_drills(tmp_path: Path) -> None:
    result = run(tmp_path, "validate")
    assert result.returncode == 0, result.stderr
    assert "qortex.yaml: ok" in result.stdout


def test_an_empty_designs_folder_is_an_error_not_silence(tmp_path: Path) -> None:
    (tmp_path / "designs").mkdir()
    for command in ("validate", "check"):
        result = run(tmp_path, command)
        assert result.returncode == 2 and "no designs in" in result.stderr


def test_json_output_is_strict_json(project: Path) -> None:
    result = run(project, "check", "qortex", "--scale", "1000", "--format", "json")
    json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))


def test_interrupted_grading_keeps_the_answers_typed(project: Path) -> None:
    history = project / "history.sqlite"
    result = run_cli(
        project,
        "grade",
        "qortex",
        "--ask",
        "--notes",
        input="y\nmy note\np\n\n",  # with --notes: answer, note, answer, note, then EOF
        SYSDESIGN_HISTORY=str(history),
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    kept = (project / "attempts" / "answers" / "qortex.yaml").read_text()  # its answers file
    assert "my note" in kept and "partly" in kept
    assert not history.exists() or "attempt" not in result.stdout.lower()


def test_findings_keep_their_locations_when_the_design_comes_from_stdin(project: Path) -> None:
    """/dev/stdin is the process's own file descriptor 0: a real process."""
    result = run_cli_process(project, "check", "/dev/stdin", "--brief", input=FIXTURE.read_text())
    assert "/dev/stdin:4:12: error SD101" in result.stdout, result.stdout + result.stderr
