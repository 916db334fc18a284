"""Shared test set-up: helpers importable from this folder, a scratch project, the CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).parent.parent


def run_cli(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m sysdesign ARGS` in `cwd`, with `cwd` as the project root."""
    return subprocess.run(
        [sys.executable, "-m", "sysdesign", *args],
        cwd=cwd,
        env={**os.environ, "SYSDESIGN_ROOT": str(cwd), **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A scratch project with copies of the bundled designs, rubrics and schema."""
    for folder in ("designs", "rubrics", "schema"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path
