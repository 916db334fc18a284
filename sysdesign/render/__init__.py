"""Render designs: architecture diagrams (diagrams + Graphviz: SVG, PNG, DOT) and Mermaid.

    scene = build_scene(design, stage=2, findings=report)   # what to draw
    outputs = render_scene(scene, ("svg", "mmd"))          # {format: bytes}, in memory
    write_outputs(out_dir, design.id, scene.stage, outputs) # atomic files

The render core takes findings (a checker Report or a list of Finding) as a parameter and never
runs the checker itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from sysdesign.model import Design
from sysdesign.render.dot_graph import build_dot
from sysdesign.render.graphviz_run import (
    INSTALL_HINT,
    GraphvizError,
    GraphvizMissing,
    dot_executable,
)
from sysdesign.render.mermaid import build_mermaid
from sysdesign.render.output import (
    FORMATS,
    file_name,
    needs_graphviz,
    parse_formats,
    render_scene,
    write_outputs,
)
from sysdesign.render.scene import Findings, Scene, build_scene
from sysdesign.views import DesignView


def render(
    source: Design | DesignView,
    formats: Iterable[str] = FORMATS,
    stage: int | str | None = None,
    findings: Findings = None,
    clean: bool = False,
) -> dict[str, bytes]:
    """A design (as of `stage`) rendered into each format, in memory."""
    return render_scene(build_scene(source, stage, findings, clean), formats)


def render_svg(
    source: Design | DesignView,
    stage: int | str | None = None,
    findings: Findings = None,
    clean: bool = False,
) -> bytes:
    """The portable SVG of a design (as of `stage`)."""
    return render(source, ("svg",), stage, findings, clean)["svg"]


__all__ = [
    "FORMATS",
    "INSTALL_HINT",
    "Findings",
    "GraphvizError",
    "GraphvizMissing",
    "Scene",
    "build_dot",
    "build_mermaid",
    "build_scene",
    "dot_executable",
    "file_name",
    "needs_graphviz",
    "parse_formats",
    "render",
    "render_scene",
    "render_svg",
    "write_outputs",
]
