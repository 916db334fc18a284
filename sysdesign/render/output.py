"""Render a scene into every requested format in memory, then write the files atomically."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sysdesign.atomic import write_bytes_atomic
from sysdesign.render.dot_graph import SPLINES, build_dot
from sysdesign.render.graphviz_run import (
    LAYOUT_FORMATS,
    GraphvizError,
    accepted_dot,
    layout_trouble,
    run_dot_formats,
    straight_lines,
)
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


def lay_out(
    dot: str, formats: Iterable[str], fallback: Callable[[], str] | None = None
) -> tuple[str, dict[str, bytes]]:
    """(the DOT used, {svg|png: bytes}) from one `dot` process for all layout formats asked.

    When Graphviz's layout fails in a way a variant avoids (`graphviz_run.layout_trouble`:
    cluster ranking, "trouble in init_rank"; the spline router, "lost A B edge"), the variant is
    laid out (and exported) instead: `fallback`'s DOT (newrank) if given, then straight lines.
    """
    formats = tuple(formats)
    wanted = tuple(f for f in formats if f in LAYOUT_FORMATS)
    fallback = _then_straight(fallback, dot)
    if not wanted:  # DOT alone: still DOT that `dot` accepts (the fallback applies)
        return (accepted_dot(dot, fallback) if "dot" in formats else dot), {}
    try:
        laid_out = run_dot_formats(dot, wanted)
    except GraphvizError as exc:
        if not layout_trouble(str(exc)):
            raise
        dot = fallback()
        laid_out = run_dot_formats(dot, wanted)
    if "svg" in laid_out:
        laid_out["svg"] = portable_svg(laid_out["svg"])
    return dot, laid_out


def _then_straight(fallback: Callable[[], str] | None, dot: str) -> Callable[[], str]:
    """The view's own fallback (newrank) with straight lines if `dot` still fails on it; for a
    view without one, `dot` with straight lines."""
    if fallback is None:
        return lambda: straight_lines(dot)

    def variant() -> str:
        newrank = fallback()
        return accepted_dot(newrank, lambda: straight_lines(newrank))

    return variant


def outputs_of(
    formats: Iterable[str],
    dot: str,
    mermaid: str | None = None,
    fallback: Callable[[], str] | None = None,
) -> dict[str, bytes]:
    """Every requested format's bytes for one view (formats a view has no form for are skipped)."""
    formats = tuple(formats)
    dot, laid_out = lay_out(dot, formats, fallback)
    outputs: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "dot":
            outputs[fmt] = dot.encode("utf-8")
        elif fmt == "mmd":
            if mermaid is not None:
                outputs[fmt] = mermaid.encode("utf-8")
        elif fmt in laid_out:
            outputs[fmt] = laid_out[fmt]
        else:
            raise ValueError(f"unknown format {fmt!r}")
    return outputs


def render_scene(
    scene: Scene, formats: Iterable[str] = FORMATS, splines: str = SPLINES
) -> dict[str, bytes]:
    """The full view in every requested format; nothing is written."""
    formats = tuple(formats)
    dot = build_dot(scene, splines=splines) if set(formats) & {"dot", *LAYOUT_FORMATS} else ""
    mermaid = build_mermaid(scene) if "mmd" in formats else None
    return outputs_of(
        formats, dot, mermaid, fallback=lambda: build_dot(scene, splines=splines, newrank=True)
    )


def file_name(design_id: str, stage: int, fmt: str, view: str = "full") -> str:
    """`<id>[.stage-<n>][.<view>].<fmt>`; the full view has no view part (as before views).

    `view` may carry a part, e.g. `journey-users` for one client's journey.
    """
    stem = f"{design_id}.stage-{stage}" if stage else design_id
    return f"{stem}.{fmt}" if view == "full" else f"{stem}.{view}.{fmt}"


def write_outputs(
    out_dir: Path,
    design_id: str,
    stage: int,
    outputs: Mapping[str, bytes],
    view: str = "full",
) -> list[Path]:
    """Write each output atomically into `out_dir`; returns the paths written."""
    written = []
    for fmt, data in outputs.items():
        path = Path(out_dir) / file_name(design_id, stage, fmt, view)
        write_bytes_atomic(path, data)
        written.append(path)
    return written
