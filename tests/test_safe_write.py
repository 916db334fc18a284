"""Safe writes: slugs checked whole, no link followed for writes or backups, all or none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli

from sysdesign import atomic
from sysdesign.model import Component
from sysdesign.scaffold import ScaffoldError, check_name


@pytest.mark.parametrize("name", ["tn\n", "a\n", "ok\r", "x y", "../x", ".hidden", "A", "a" * 81])
def test_slug_check_rejects_a_trailing_newline_and_other_non_slugs(name: str) -> None:
    with pytest.raises(ScaffoldError):
        check_name(name)


def test_slug_check_accepts_plain_names() -> None:
    for name in ("tn", "my-search_2", "a" * 80):
        check_name(name)


def test_model_slugs_reject_a_trailing_newline_too() -> None:
    with pytest.raises(ValueError):
        Component.model_validate({"id": "tn\n", "kind": "service"})


def test_new_with_a_newline_in_the_name_is_a_clean_error(project: Path) -> None:
    result = run_cli(project, "new", "tn\n", "--blank")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "not a plain name" in result.stderr
    assert not list((project / "attempts").glob("tn*")) if (project / "attempts").exists() else 1


def test_backup_never_follows_a_dangling_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "planted.txt"
    outside.parent.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    design = work / "x.yaml"
    design.write_text("mine\n")
    (work / "x.yaml.bak").symlink_to(outside)  # dangling: exists() is False for it
    kept = atomic.backup(design)
    assert kept == work / "x.yaml.bak.2" and kept.read_text() == "mine\n"
    assert not outside.exists() and (work / "x.yaml.bak").is_symlink()


def test_new_force_keeps_the_backup_inside_the_workspace(project: Path, tmp_path: Path) -> None:
    assert run_cli(project, "new", "mine", "--blank").returncode == 0
    attempts = project / "attempts"
    outside = tmp_path / "elsewhere.txt"
    (attempts / "mine.yaml.bak").symlink_to(outside)
    result = run_cli(project, "new", "mine", "--blank", "--force")
    assert result.returncode == 0, result.stderr
    assert not outside.exists()
    assert (attempts / "mine.yaml.bak.2").is_file() and not (
        attempts / "mine.yaml.bak.2"
    ).is_symlink()


def test_writes_replace_a_link_instead_of_writing_through_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    link = tmp_path / "out.svg"
    link.symlink_to(victim)
    atomic.write_text_atomic(link, "new")
    assert victim.read_text() == "untouched" and not link.is_symlink() and link.read_text() == "new"


def test_write_new_and_numbered_never_replace(tmp_path: Path) -> None:
    target = tmp_path / "a.partial.yaml"
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        atomic.write_new(tmp_path / "dangling", b"x")
    assert not (tmp_path / "nowhere").exists()
    assert atomic.write_numbered(target, b"1") == target
    assert atomic.write_numbered(target, b"2") == tmp_path / "a.partial.2.yaml"
    assert target.read_bytes() == b"1"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_group_write_is_all_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    ok, refused = tmp_path / "ok.yaml", tmp_path / "sub" / "b.yaml"
    ok.write_text("before")
    real = tempfile.mkstemp

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(kwargs.get("dir", "")) == refused.parent:
            raise PermissionError(13, "Permission denied", str(refused.parent))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError):
        atomic.write_group_atomic({ok: b"after", refused: b"b"})
    assert ok.read_text() == "before" and not refused.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.yaml", "sub"]


def test_new_from_with_a_read_only_answers_folder_leaves_nothing_behind(project: Path) -> None:
    answers = project / "attempts" / "answers"
    answers.mkdir(parents=True)
    answers.chmod(0o500)
    try:
        if os.access(answers, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        result = run_cli(project, "new", "try1", "--from", "qortex")
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "cannot write" in result.stderr
        assert not (project / "attempts" / "try1.yaml").exists()
    finally:
        answers.chmod(0o700)


def test_scaffold_writes_nothing_when_the_answers_folder_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as the read-only folder above, for a user (root) whom chmod does not stop."""
    import tempfile

    from sysdesign.loader import design_from_located
    from sysdesign.paths import reference_designs_dir
    from sysdesign.scaffold import write_scaffold
    from sysdesign.yamlsource import load_file

    attempts, answers = tmp_path / "attempts", tmp_path / "attempts" / "answers"
    answers.mkdir(parents=True)
    real = tempfile.mkstemp

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(kwargs.get("dir", "")) == answers:
            raise PermissionError(13, "Permission denied", str(answers))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    path = reference_designs_dir() / "qortex.yaml"
    reference = design_from_located(load_file(path, str(path)))
    with pytest.raises(ScaffoldError, match="cannot write"):
        write_scaffold("try1", reference, attempts, answers, "answers: {}\n")
    assert sorted(p.name for p in attempts.iterdir()) == ["answers"]
