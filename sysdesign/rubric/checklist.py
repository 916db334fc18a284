"""The rubric as a review checklist: a Markdown task list and one self-contained HTML page.

Both come from jinja2 templates in `sysdesign/templates/`. The HTML page autoescapes everything;
the Markdown template escapes every text through the `md` filter. The diagram is embedded: a
Mermaid block in Markdown (renders on GitHub), the portable SVG as a data URI in HTML (an SVG
shown as an image cannot run scripts or load anything).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from sysdesign.atomic import write_bytes_atomic, write_text_atomic
from sysdesign.checks.findings import SEVERITY_ORDER
from sysdesign.rubric.evaluate import Evaluation
from sysdesign.rubric.models import AnswerEntry
from sysdesign.rubric.rounding import fmt
from sysdesign.sanitize import display_text, strip_control

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def md_escape(value: Any) -> str:
    """Text that Markdown shows literally on one line: no HTML, links, emphasis or tables."""
    text = " ".join(display_text(str(value)).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _finalize(value: Any) -> Any:
    """Every value a template prints loses its control characters (sysdesign.sanitize); markup
    the template marked safe stays markup."""
    if isinstance(value, markupsafe.Markup):
        return markupsafe.Markup(strip_control(str(value)))
    return strip_control(value) if isinstance(value, str) else value


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sysdesign", "templates"),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["md"] = md_escape
    return env


FULL_VIEW_FILE = "checklist.full.svg"  # the full view, linked from the page


@dataclass(frozen=True)
class Diagram:
    """The diagram in the forms the templates embed, or why it is missing.

    `svg` is the overview the page embeds at full width; `full_svg` the full view, written next to
    the page as FULL_VIEW_FILE and linked (a browser zooms an SVG opened on its own).
    """

    svg: bytes | None = None
    mermaid: str | None = None
    problem: str | None = None
    full_svg: bytes | None = None

    @property
    def full_view_file(self) -> str | None:
        return FULL_VIEW_FILE if self.full_svg is not None else None

    @property
    def svg_data_uri(self) -> str | None:
        if self.svg is None:
            return None
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


def render_diagram(evaluation: Evaluation) -> Diagram:
    """The renderer's SVG and Mermaid for the graded view; a missing Graphviz is not fatal."""
    from sysdesign.render import GraphvizError, render
    from sysdesign.render.view_set import render_views

    design, stage, report = evaluation.design, evaluation.stage, evaluation.report
    mermaid = render(design, ("mmd",), stage, report)["mmd"]
    try:
        (overview,) = render_views(design, stage, report, ("overview",), ("svg",))
        full = render(design, ("svg",), stage, report)["svg"]
    except GraphvizError as exc:
        return Diagram(mermaid=mermaid.decode("utf-8"), problem=f"SVG diagram unavailable: {exc}")
    return Diagram(svg=overview.outputs["svg"], mermaid=mermaid.decode("utf-8"), full_svg=full)


def context(
    evaluation: Evaluation,
    diagram: Diagram,
    answers: Mapping[str, AnswerEntry] | None = None,
    answers_file: str | None = None,
) -> dict[str, Any]:
    """Everything both templates show; `answers` are graded exactly as `sysdesign grade` does."""
    design, rubric, checks = evaluation.design, evaluation.rubric, evaluation.checks
    grade = evaluation.grade(answers or {})
    sections = []
    for section in rubric.sections:
        rows = []
        for item in section.items:
            outcome = grade.outcome(item.id)
            check = checks.get(item.id)
            if outcome.judged_by == "design":
                status = outcome.status
            else:
                status = "self" if check is None else "ask"
            rows.append(
                {
                    "item": item,
                    "status": status,
                    "evidence": outcome.evidence,
                    "answer": outcome.given,
                    "counted": outcome.status if outcome.judged_by == "you" else None,
                    "capped": outcome.capped,
                    "note": outcome.note,
                    "done": status == "pass" or outcome.status == "yes",
                }
            )
        sections.append({"section": section, "rows": rows})
    findings = sorted(evaluation.report.findings, key=lambda f: (not f.is_open, *f.sort_key()))
    auto = list(checks.values())
    fence = "```"
    while diagram.mermaid and fence in diagram.mermaid:
        fence += "`"
    return {
        "fence": fence,
        "design": design,
        "stage": evaluation.stage,
        "stages": len(design.stages),
        "stage_title": evaluation.stage_title,
        "rows_per_stage": evaluation.rows,
        "rubric": rubric,
        "sections": sections,
        "findings": findings,
        "severity_order": SEVERITY_ORDER,
        "auto_passed": sum(1 for c in auto if c.passed),
        "auto_total": len(auto),
        "self_total": sum(1 for s in sections for r in s["rows"] if r["status"] in ("self", "ask")),
        "answered": sum(1 for s in sections for r in s["rows"] if r["answer"]),
        "answers_file": answers_file,
        "overall": fmt(grade.overall),
        "level": grade.level.label,
        "floor": grade.floor,
        "diagram": diagram,
    }


def render_checklist(
    evaluation: Evaluation,
    diagram: Diagram,
    answers: Mapping[str, AnswerEntry] | None = None,
    answers_file: str | None = None,
) -> tuple[str, str]:
    """(Markdown, HTML) for one evaluated design, with the answers given so far."""
    env = _env()
    ctx = context(evaluation, diagram, answers, answers_file)
    return (
        env.get_template("checklist.md.j2").render(ctx),
        env.get_template("checklist.html.j2").render(ctx),
    )


def write_checklist(
    out_dir: Path, markdown: str, html: str, diagram: Diagram | None = None
) -> list[Path]:
    """Write checklist.md, checklist.html (and the linked full view) atomically; the paths."""
    paths = [out_dir / "checklist.md", out_dir / "checklist.html"]
    for path, text in zip(paths, (markdown, html), strict=True):
        write_text_atomic(path, text)
    if diagram is not None and diagram.full_svg is not None:
        write_bytes_atomic(out_dir / FULL_VIEW_FILE, diagram.full_svg)
        paths.append(out_dir / FULL_VIEW_FILE)
    return paths
