"""The practice drills (reference designs shipped with sysdesign) and the user's attempts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sysdesign.diagnostics import InputError
from sysdesign.loader import load_design
from sysdesign.model import Design
from sysdesign.paths import attempt_files, design_files, display_path, reference_designs_dir


@dataclass(frozen=True)
class DrillEntry:
    """A reference drill, or an attempt in the workspace."""

    id: str
    title: str
    drill: str | None
    stages: int
    components: int
    path: Path
    is_reference: bool


def list_designs() -> tuple[list[DrillEntry], list[str]]:
    """The reference drills, then the attempts in the workspace (every valid one), and the files
    that did not load (as messages: a half-written attempt never hides the rest)."""
    entries: list[DrillEntry] = []
    broken: list[str] = []
    sources = [(p, True) for p in design_files()] + [(p, False) for p in attempt_files()]
    for path, reference in sources:
        try:
            d = load_design(path, display_path(path))
        except InputError as exc:
            broken.append(f"{display_path(path)}: {len(exc.diagnostics)} problem(s)")
            continue
        is_reference = reference and d.drill == d.id
        entries.append(
            DrillEntry(d.id, d.title, d.drill, len(d.stages), len(d.components), path, is_reference)
        )
    return entries, broken


def load_reference(drill: str) -> Design:
    """The reference design of a drill, by id (raises InputError or FileNotFoundError)."""
    path = reference_designs_dir() / f"{drill}.yaml"
    if not path.exists():
        raise FileNotFoundError(drill)
    design = load_design(path, display_path(path))
    if design.drill != design.id:
        raise FileNotFoundError(drill)
    return design


def reference_ids() -> list[str]:
    """The ids of the reference drills (attempts in the workspace are not read)."""
    ids = []
    for path in design_files():
        try:
            design = load_design(path, display_path(path))
        except InputError:
            continue
        if design.drill == design.id:
            ids.append(design.id)
    return ids
