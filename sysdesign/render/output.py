"""Render a scene into every requested format in memory, then write the files atomically."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from sysdesign.atomic import write_bytes_atomic
from sysdesign.render.dot_graph import SPLINES, build_dot
from sysdesign.render.graphviz_run import LAYOUT_FORMATS, GraphvizError, run_dot
from sysdesign.render.mermaid import build_mermaid
from sysdesign.render.scene import Scene
from sysdesign.render.svg_portable import portable_svg

FORMATS = ("svg", "png", "dot", "mmd")


def parse_formats(text: str) -> tuple[str, ...]:
    """'svg,png' -> ('svg', 'png'); raises ValueError naming an unknown format."""
    formats: list[str] = []
    for part in text.split(","):
        fmt = part.strip().lower().lstrip(".")
        if not fmt:
            continue
        if fmt == "mermaid":
            fmt = "mmd"
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        if fmt not in formats:
            formats.append(fmt)
    if not formats:
        raise ValueError(f"no format given; choose from {', '.join(FORMATS)}")
    return tuple(formats)


def needs_graphviz(formats: Iterable[str]) -> bool:
    return any(fmt in LAYOUT_FORMATS for fmt in formats)


def render_scene(
    scene: Scene, formats: Iterable[str] = FORMATS, splines: str = SPLINES
) -> dict[str, bytes]:
    """Every requested format's bytes; nothing is written."""
    formats = tuple(formats)
    dot = build_dot(scene, splines=splines) if set(formats) & {"dot", *LAYOUT_FORMATS} else ""
    laid_out: dict[str, bytes] = {}
    for fmt in (f for f in formats if f in LAYOUT_FORMATS):
        try:
            laid_out[fmt] = run_dot(dot, fmt)
        except GraphvizError as exc:
            if "init_rank" not in str(exc) or "newrank" in dot:
                raise
            # Graphviz's cluster ranking failed: lay out (and export) with newrank instead
            dot = build_dot(scene, splines=splines, newrank=True)
            laid_out = {f: run_dot(dot, f) for f in [*laid_out, fmt]}
    outputs: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "dot":
            outputs[fmt] = dot.encode("utf-8")
        elif fmt == "mmd":
            outputs[fmt] = build_mermaid(scene).encode("utf-8")
        elif fmt == "svg":
            outputs[fmt] = portable_svg(laid_out[fmt])
        elif fmt == "png":
            outputs[fmt] = laid_out[fmt]
        else:
            raise ValueError(f"unknown format {fmt!r}")
    return outputs


def file_name(design_id: str, stage: int, fmt: str) -> str:
    """`<id>.<fmt>` for the base design, `<id>.stage-<n>.<fmt>` for stage n."""
    return f"{design_id}.stage-{stage}.{fmt}" if stage else f"{design_id}.{fmt}"


def write_outputs(
    out_dir: Path, design_id: str, stage: int, outputs: Mapping[str, bytes]
) -> list[Path]:
    """Write each output atomically into `out_dir`; returns the paths written."""
    written = []
    for fmt, data in outputs.items():
        path = Path(out_dir) / file_name(design_id, stage, fmt)
        write_bytes_atomic(path, data)
        written.append(path)
    return written
