"""Answers files for self-grading: a commented template, and answers as plain data.

Format (validated by `AnswersFile`, loaded with `sysdesign.rubric.loader.load_answers`):

    rubric: distributed-search     # optional; checked against the design's rubric
    minutes: 45                    # optional; how long the session took
    answers:
      stated-10x-breakpoint:
        answer: partly             # yes | partly | no; empty: asked at the terminal
        note: named the index shards, not the reranker
"""

from __future__ import annotations

from sysdesign.rubric.models import Rubric


def _one_line(text: str) -> str:
    return " ".join(text.split())


def answers_template(rubric: Rubric) -> str:
    """A commented answers file listing every item the user judges, answers left empty."""
    lines = [
        f"# Self-grading answers for rubric {rubric.id!s}: {_one_line(rubric.title)}",
        "# Answer each item yes, partly or no, with an optional note. An empty answer is asked",
        "# at the terminal by `sysdesign grade DESIGN --answers THIS_FILE`.",
        f"rubric: {rubric.id}",
        "# minutes: 45",
        "answers:",
    ]
    for section in rubric.sections:
        askable = [i for i in section.items if i.kind != "auto"]
        if not askable:
            continue
        lines.append(f"  # --- {_one_line(section.title)} ---")
        for item in askable:
            lines.append(f"  # {_one_line(item.text)}")
            if item.kind == "auto-or-self":
                lines.append("  #   (credited from the design when it shows this; asked otherwise)")
            for level in ("mid", "senior", "staff"):
                lines.append(f"  #   {level}: {_one_line(getattr(item.levels, level))}")
            lines.extend([f"  {item.id}:", "    answer:", "    note:"])
    if lines[-1] == "answers:":
        lines[-1] = "answers: {}"
    return "\n".join(lines) + "\n"
