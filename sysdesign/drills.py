"""The practice drills: reference designs in `designs/` whose `drill` is their own id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sysdesign.diagnostics import InputError
from sysdesign.loader import load_design
from sysdesign.model import Design
from sysdesign.paths import design_files, designs_dir, display_path


@dataclass(frozen=True)
class DrillEntry:
    """A design in `designs/`: a reference drill, or an attempt at one."""

    id: str
    title: str
    drill: str | None
    stages: int
    components: int
    path: Path

    @property
    def is_reference(self) -> bool:
        return self.drill == self.id


def list_designs() -> tuple[list[DrillEntry], list[str]]:
    """Every valid design in `designs/`, and the files that did not load (as messages)."""
    entries: list[DrillEntry] = []
    broken: list[str] = []
    for path in design_files():
        try:
            d = load_design(path, display_path(path))
        except InputError as exc:
            broken.append(f"{display_path(path)}: {len(exc.diagnostics)} problem(s)")
            continue
        entries.append(DrillEntry(d.id, d.title, d.drill, len(d.stages), len(d.components), path))
    return entries, broken


def load_reference(drill: str) -> Design:
    """The reference design of a drill, by id (raises InputError or FileNotFoundError)."""
    path = designs_dir() / f"{drill}.yaml"
    if not path.exists():
        raise FileNotFoundError(drill)
    design = load_design(path, display_path(path))
    if design.drill != design.id:
        raise FileNotFoundError(drill)
    return design


def reference_ids() -> list[str]:
    return [e.id for e in list_designs()[0] if e.is_reference]
