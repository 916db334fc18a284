"""`new`, `drills` and `compare`: scaffolds validate, nothing is overwritten silently, and a
weakened attempt is caught by compare."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import run_cli

from designs import build, data, remove_component
from sysdesign.compare import compare
from sysdesign.loader import load_design, parse_design
from sysdesign.scaffold import ScaffoldError, check_name, scaffold_text, write_scaffold

ROOT = Path(__file__).parent.parent
REFERENCES = sorted(
    p
    for p in (ROOT / "designs").glob("*.yaml")
    if yaml.safe_load(p.read_text()).get("drill") == p.stem
)


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(cwd, *args)


@pytest.mark.parametrize("path", REFERENCES, ids=lambda p: p.stem)
def test_new_then_validate_works_for_every_drill(path: Path) -> None:
    reference = load_design(path)
    text = scaffold_text("my-attempt", reference)
    mine = parse_design(text, "my-attempt.yaml")
    assert mine.drill == reference.id and mine.prompt == reference.prompt
    assert [s.id for s in mine.stages] == [s.id for s in reference.stages]
    assert all(c.kind.value == "client" for c in mine.components)  # the graph is theirs to draw
    assert not mine.scale.estimates and all(not s.discussion for s in mine.stages)
    assert text.startswith("# yaml-language-server: $schema=")


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", ".hidden", "Upper", "", "x" * 81])
def test_hostile_names_are_refused(name: str) -> None:
    with pytest.raises(ScaffoldError):
        check_name(name)


def test_new_refuses_to_overwrite_and_force_keeps_a_backup(tmp_path: Path) -> None:
    designs, answers = tmp_path / "designs", tmp_path / "answers"
    write_scaffold("mine", None, designs, answers, None)
    target = designs / "mine.yaml"
    target.write_text(target.read_text() + "# my precious notes\n")
    with pytest.raises(ScaffoldError, match="already exists"):
        write_scaffold("mine", None, designs, answers, None)
    assert "my precious notes" in target.read_text()
    made = write_scaffold("mine", None, designs, answers, None, force=True)
    assert len(made.backups) == 1 and "my precious notes" in made.backups[0].read_text()
    assert "my precious notes" not in target.read_text()
    again = write_scaffold("mine", None, designs, answers, None, force=True)
    assert again.backups[0] != made.backups[0]
    assert "my precious notes" in made.backups[0].read_text()  # the first backup survives


def test_new_refuses_a_file_where_a_folder_belongs(tmp_path: Path) -> None:
    (tmp_path / "answers").write_text("not a folder")
    with pytest.raises(ScaffoldError, match="not a folder"):
        write_scaffold("mine", None, tmp_path / "designs", tmp_path / "answers", "x: 1\n")
    assert not (tmp_path / "designs" / "mine.yaml").exists()


def test_cli_new_drills_and_compare(project: Path) -> None:
    drills = run(project, "drills", "--format", "json")
    assert drills.returncode == 0, drills.stderr
    ids = [d["id"] for d in json.loads(drills.stdout)["drills"]]
    assert ids, "no reference drills found"
    made = run(project, "new", "mine", "--from", ids[0])
    assert made.returncode == 0, made.stderr
    assert (project / "attempts" / "mine.yaml").exists()
    assert (project / "attempts" / "answers" / "mine.yaml").exists()
    assert not (project / "designs" / "mine.yaml").exists(), "designs/ holds only references"
    again = run(project, "new", "mine", "--from", ids[0])
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = run(project, "new", "../../etc/x", "--blank")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert run(project, "validate", "attempts/mine.yaml").returncode == 0
    compared = run(project, "compare", "mine", "--format", "json")
    assert compared.returncode == 0, compared.stderr
    stages = json.loads(compared.stdout)["states"]
    assert stages[0]["missing_layers"], "an empty attempt misses every layer"


def test_compare_flags_a_removed_filter_by_role_not_id() -> None:
    reference = data()
    reference["drill"] = reference["id"]
    mine = data()
    mine["id"] = "mine"
    # rename everything: matching must not depend on ids or labels
    renames = {c["id"]: f"x-{c['id']}" for c in mine["components"]}
    for c in mine["components"]:
        c["id"] = renames[c["id"]]
    for f in mine["flows"]:
        f["from"], f["to"] = renames[f["from"]], renames[f["to"]]
    same = compare(build(mine), build(reference))
    assert same[0].gaps == 0
    remove_component(mine, "x-guard")
    mine["flows"].append({"from": "x-gw", "to": "x-app"})
    weakened = compare(build(mine), build(reference))[0]
    assert "safety_filter" in weakened.missing_layers
    assert {"input", "output"} <= set(weakened.missing_screens)


def test_compare_flags_a_filter_moved_off_the_path() -> None:
    reference = data()
    mine = data()
    mine["flows"] = [
        f for f in mine["flows"] if (f["from"], f["to"]) not in (("gw", "guard"), ("guard", "app"))
    ]
    mine["flows"] += [{"from": "gw", "to": "app"}, {"from": "app", "to": "guard", "step": 2}]
    result = compare(build(mine), build(reference))[0]
    assert not result.missing_layers
    assert {f.code for f in result.unprotected} >= {"SD201", "SD202"}


def test_a_fresh_scaffold_earns_no_auto_items() -> None:
    from sysdesign.checks import run_checks
    from sysdesign.rubric import evaluate, rubric_for_design

    reference = load_design(ROOT / "designs" / "distributed-search.yaml")
    mine = parse_design(scaffold_text("mine", reference), "mine.yaml")
    last = len(mine.stages)
    result = evaluate(mine, rubric_for_design(reference), last, {last: run_checks(mine, last)})
    assert result.checks and not any(c.passed for c in result.checks.values())
