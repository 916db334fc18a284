"""Attempts live in a workspace, never among the reference drills; the drills ship inside the
package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli

BROKEN = "id: broken\ntitle: half-written\nprompt: x\ncomponents:\n  - {id: a, kind: nope}\n"


def test_new_writes_to_the_workspace_and_a_broken_attempt_breaks_nothing(project: Path) -> None:
    references = sorted(p.name for p in (project / "designs").iterdir())
    made = run_cli(project, "new", "fresh", "--from", "distributed-search")
    assert made.returncode == 0, made.stderr
    assert (project / "attempts" / "fresh.yaml").is_file()
    assert (project / "attempts" / "answers" / "fresh.yaml").is_file()
    schema_line = (project / "attempts" / "fresh.yaml").read_text().splitlines()[0]
    assert schema_line == "# yaml-language-server: $schema=design.schema.json"
    assert json.loads((project / "attempts" / "design.schema.json").read_text())["properties"]
    assert sorted(p.name for p in (project / "designs").iterdir()) == references
    (project / "attempts" / "broken.yaml").write_text(BROKEN)

    # The main job (what setup.sh runs) reads the references only.
    assert run_cli(project, "validate").returncode == 0
    checked = run_cli(project, "check", "--all-stages", "--brief", "--format", "json")
    assert checked.returncode == 0, checked.stderr
    assert {r["design"] for r in json.loads(checked.stdout)} == {p[:-5] for p in references}

    listed = run_cli(project, "drills", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert "fresh" in {d["id"] for d in data["attempts"]}
    assert "fresh" not in {d["id"] for d in data["drills"]}
    assert any("broken.yaml" in line for line in data["invalid"])


def test_the_workspace_is_an_option_or_an_environment_variable(tmp_path: Path) -> None:
    made = run_cli(tmp_path, "--workspace", "elsewhere", "new", "a", "--blank")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "elsewhere" / "a.yaml").is_file()
    made = run_cli(tmp_path, "new", "b", "--blank", SYSDESIGN_WORKSPACE=str(tmp_path / "w2"))
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "w2" / "b.yaml").is_file()
    assert not (tmp_path / "attempts").exists()


def test_an_id_names_the_attempt_first_and_its_renders_stay_in_the_workspace(
    project: Path,
) -> None:
    assert run_cli(project, "new", "mine", "--from", "qortex").returncode == 0
    validated = run_cli(project, "validate", "mine")
    assert validated.returncode == 0 and "attempts/mine.yaml: ok" in validated.stdout
    rendered = run_cli(project, "render", "mine", "--format", "dot")
    assert rendered.returncode == 0, rendered.stderr
    assert (project / "attempts" / "renders" / "mine" / "mine.dot").is_file()
    assert not (project / "renders").exists(), "an attempt's renders never mix with the drills'"
    reference = run_cli(project, "validate", "qortex")
    assert reference.returncode == 0 and "designs/qortex.yaml: ok" in reference.stdout


def test_an_unknown_drill_is_a_clean_error_with_a_suggestion(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "new", "x", "--from", "qortx")
    assert result.returncode == 2 and "did you mean 'qortex'?" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "attempts").exists()


def test_the_wheel_carries_the_drills_and_works_in_an_empty_folder(tmp_path: Path) -> None:
    """Build a wheel from the sources, install it outside the checkout, and use it in an empty
    folder: the drills, rubrics and schema come from inside the installed package."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("sysdesign", "designs", "rubrics", "schema"):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    build = [*pip, "wheel", "--no-build-isolation", "--no-deps", "-w", str(tmp_path / "dist")]
    subprocess.run([*build, str(source)], check=True, capture_output=True, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("sysdesign-*.whl"))
    site = tmp_path / "site"
    install = [*pip, "install", "--no-deps", "--target", str(site), str(wheel)]
    subprocess.run(install, check=True, capture_output=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYSDESIGN_")}
    env["PYTHONPATH"] = str(site)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "sysdesign", *args]
        return subprocess.run(command, cwd=empty, env=env, capture_output=True, text=True)

    where = subprocess.run(
        [sys.executable, "-c", "import sysdesign.paths as p; print(p.reference_designs_dir())"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()) == site / "sysdesign" / "bundled" / "designs"
    drills = run("drills", "--format", "json")
    assert drills.returncode == 0, drills.stderr
    assert {d["id"] for d in json.loads(drills.stdout)["drills"]} >= {
        "distributed-search",
        "qortex",
        "agent-observability",
        "mcp-gateway",
    }
    made = run("new", "mine", "--from", "qortex")
    assert made.returncode == 0, made.stderr
    checked = run("check", "attempts/mine.yaml", "--format", "json")
    assert checked.returncode == 1, checked.stderr  # an empty attempt has findings, no crash
    assert json.loads(checked.stdout)[0]["design"] == "mine"
    assert run("render", "qortex", "--format", "dot,mmd").returncode == 0
    assert (empty / "renders" / "qortex" / "qortex.dot").is_file()
    assert run("rubric", "qortex").returncode == 0
    assert sorted(p.name for p in empty.iterdir()) == ["attempts", "renders"]
