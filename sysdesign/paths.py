"""Where things are: the reference drills (shipped with the package) and the user's workspace.

Two places, never mixed:

- **The drills** (reference designs, rubrics, the JSON Schema) are data of the package: after
  `pip install`, they live inside it (`sysdesign/bundled/`); in a source checkout they are the
  top-level `designs/`, `rubrics/` and `schema/` folders (one source: the wheel maps those folders
  into the package at build time, see `setup.py`). A drill author can point `$SYSDESIGN_ROOT` at a
  folder of their own that has `designs/` (and `rubrics/`); without one the bundled drills are used.
- **The workspace** holds what the user makes: attempts (`<workspace>/<name>.yaml`), self-grading
  answers (`<workspace>/answers/`) and the attempts' renders (`<workspace>/renders/`). It is
  `--workspace DIR`, else `$SYSDESIGN_WORKSPACE`, else `./attempts` under the current directory.

Renders of the reference drills go to `<project>/renders/` (`$SYSDESIGN_ROOT`, else the current
directory), which in this repository is the committed `renders/` folder.
"""

from __future__ import annotations

import os
from pathlib import Path

WORKSPACE_ENV = "SYSDESIGN_WORKSPACE"
ROOT_ENV = "SYSDESIGN_ROOT"
DEFAULT_WORKSPACE = "attempts"
_PACKAGE = Path(__file__).resolve().parent


def project_root() -> Path:
    """The folder whose `renders/` receives the reference drills' renders."""
    return Path(os.environ.get(ROOT_ENV) or Path.cwd())


def _bundled_root() -> Path:
    """The drills shipped with sysdesign: inside an installed wheel, or this source checkout."""
    installed = _PACKAGE / "bundled"
    if (installed / "designs").is_dir():
        return installed
    return _PACKAGE.parent


def _own_or_bundled(folder: str) -> Path:
    """`$SYSDESIGN_ROOT/<folder>` when that folder exists (a drill author's own), else the
    bundled one."""
    own = os.environ.get(ROOT_ENV)
    if own and (Path(own) / folder).is_dir():
        return Path(own) / folder
    return _bundled_root() / folder


def reference_designs_dir() -> Path:
    """The reference drills in use (a drill author's own `designs/`, else the bundled ones)."""
    return _own_or_bundled("designs")


designs_dir = reference_designs_dir  # the name the older modules use


def rubrics_dir() -> Path:
    """The rubrics in use (a drill author's own `rubrics/`, else the bundled ones)."""
    return _own_or_bundled("rubrics")


def bundled_schema_file() -> Path:
    return _bundled_root() / "schema" / "design.schema.json"


def renders_dir() -> Path:
    """Where the reference drills' renders go."""
    return project_root() / "renders"


def workspace_dir() -> Path:
    """The user's workspace: attempts, answers and their renders."""
    return Path(os.environ.get(WORKSPACE_ENV) or Path.cwd() / DEFAULT_WORKSPACE)


def attempts_dir() -> Path:
    """Where attempts are written (the workspace itself: `attempts/<name>.yaml`)."""
    return workspace_dir()


def answers_dir() -> Path:
    """Self-grading answers: `<workspace>/answers/<id>.yaml` (and `.partial.yaml`)."""
    return workspace_dir() / "answers"


def workspace_renders_dir() -> Path:
    """Renders, checklists and charts of the user's own work."""
    return workspace_dir() / "renders"


def design_files() -> list[Path]:
    """Every reference drill file, sorted by name."""
    return sorted(reference_designs_dir().glob("*.yaml"))


def attempt_files() -> list[Path]:
    """Every attempt in the workspace, sorted by name."""
    return sorted(attempts_dir().glob("*.yaml"))


def is_reference_file(path: Path) -> bool:
    """True when `path` is one of the reference drills' own files."""
    try:
        return path.resolve().parent == reference_designs_dir().resolve()
    except OSError:
        return False


def renders_dir_for(path: Path | None, design_id: str) -> Path:
    """Where a design's renders go: the project's `renders/` for a reference drill, the
    workspace's `renders/` for anything else (an attempt, a file elsewhere, stdin)."""
    if path is not None and is_reference_file(path):
        return renders_dir() / design_id
    return workspace_renders_dir() / design_id


def resolve_design_arg(arg: str) -> Path:
    """A design given as a path, or as an id: the attempt `<workspace>/<id>.yaml` when there is
    one, else the reference drill of that id."""
    path = Path(arg)
    if path.exists() or path.suffix in (".yaml", ".yml") or os.sep in arg:
        return path
    attempt = attempts_dir() / f"{arg}.yaml"
    if attempt.exists():
        return attempt
    return reference_designs_dir() / f"{arg}.yaml"


def display_path(path: Path) -> str:
    """A path relative to the current directory when it is below it, for messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
