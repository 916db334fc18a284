"""What the live page shows for one design file as of one stage, as JSON-ready data.

An invalid file is not an error here: the snapshot carries its located problems
(`file:line:col: error: message`) and the page keeps the last good pictures beside them.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from sysdesign.diagnostics import InputError

VIEWS = ("overview", "full", "journey")


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def snapshot(path: Path, stage: int | None = None, display: str | None = None) -> dict[str, Any]:
    """The page's data: design title, stages, findings and each view's SVG (as data: URIs)."""
    from sysdesign.checks import run_checks
    from sysdesign.loader import load_design
    from sysdesign.render import GraphvizError
    from sysdesign.render.view_set import render_views

    shown = display or str(path)
    try:
        design = load_design(path, shown)
    except InputError as exc:
        return {"ok": False, "errors": [d.format() for d in exc.diagnostics]}
    except OSError as exc:
        return {"ok": False, "errors": [f"{shown}: error: cannot read: {exc.strerror}"]}
    last = len(design.stages)
    index = last if stage is None else max(0, min(stage, last))
    report = run_checks(design, index)
    stages = [{"index": 0, "title": "base design"}] + [
        {"index": i, "title": s.title} for i, s in enumerate(design.stages, start=1)
    ]
    findings = [
        {
            "code": f.code,
            "severity": f.severity,
            "title": f.title,
            "message": f.message,
            "components": list(f.components),
        }
        for f in report.open_findings
    ]
    data: dict[str, Any] = {
        "ok": True,
        "title": design.title,
        "stage": index,
        "stages": stages,
        "findings": findings,
        "views": {},
        "journeys": [],
        "errors": [],
    }
    try:
        items = render_views(design, index, report, VIEWS, ("svg",))
    except GraphvizError as exc:
        data["errors"] = [f"{shown}: error: the diagram could not be drawn: {exc}"]
        return data
    for item in items:
        uri = _data_uri(item.outputs["svg"])
        if item.view.startswith("journey-"):
            data["journeys"].append({"client": item.view.removeprefix("journey-"), "svg": uri})
        else:
            data["views"][item.view] = uri
    return data
