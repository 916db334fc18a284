"""Where the project's folders are: `designs/`, `rubrics/`, `renders/` under one root.

The root is `$SYSDESIGN_ROOT` when set, else the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    return Path(os.environ.get("SYSDESIGN_ROOT") or Path.cwd())


def designs_dir() -> Path:
    return project_root() / "designs"


def rubrics_dir() -> Path:
    return project_root() / "rubrics"


def renders_dir() -> Path:
    return project_root() / "renders"


def design_files() -> list[Path]:
    """Every design in `designs/`, sorted by name."""
    return sorted(designs_dir().glob("*.yaml"))


def resolve_design_arg(arg: str) -> Path:
    """A design given as a path, or as an id naming `designs/<id>.yaml`."""
    path = Path(arg)
    if path.exists() or path.suffix in (".yaml", ".yml") or os.sep in arg:
        return path
    return designs_dir() / f"{arg}.yaml"


def display_path(path: Path) -> str:
    """A path relative to the current directory when it is below it, for messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
