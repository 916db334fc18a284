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

import io
from collections.abc import Mapping
from pathlib import Path

from sysdesign.atomic import write_text_atomic
from sysdesign.rubric.models import Answer, AnswerEntry, Rubric


def _one_line(text: str) -> str:
    return " ".join(text.split())


def answers_template(rubric: Rubric) -> str:
    """A commented answers file listing every item the user judges, answers left empty."""
    lines = [
        f"# Self-grading answers for rubric {rubric.id!s}: {_one_line(rubric.title)}",
        "# Answer each item yes, partly or no, with an optional note. An empty answer is asked",
        "# at the terminal by `sysdesign grade DESIGN`, which reads and updates this file.",
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


def default_answers_path(design_id: str) -> Path:
    """The answers file of an attempt: `<answers dir>/<design id>.yaml`."""
    from sysdesign.paths import answers_dir

    return answers_dir() / f"{design_id}.yaml"


class AnswersNotSaved(Exception):
    """The answers file could not be updated; the message is one line for the user."""


def _entry(entry: AnswerEntry) -> dict[str, str]:
    data: dict[str, str] = {}
    if entry.answer is not None:
        data["answer"] = Answer(entry.answer).value
    if entry.note:
        data["note"] = entry.note
    return data


def save_answers(
    path: Path,
    rubric: Rubric,
    given: Mapping[str, AnswerEntry],
    minutes: float | None = None,
) -> list[str]:
    """Write `given` into the answers file at `path`, atomically, keeping everything else.

    Answers already in the file for other items, its comments and its order stay as they were;
    an item answered again gets the new answer (and its note, when one was typed). A file that
    does not exist is created from the rubric's template. Returns the item ids written. Raises
    AnswersNotSaved when the file cannot be read as YAML or cannot be written: the file is then
    left untouched. This is the one function that writes answers (grade, and signal handlers).
    """
    from ruamel.yaml import YAML, YAMLError
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML()  # round trip: comments and order survive
    yaml.width = 100
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else answers_template(rubric)
        data = yaml.load(text) if text.strip() else CommentedMap()
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise AnswersNotSaved(f"cannot read {path} to add the answers: {exc}") from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, dict):
        raise AnswersNotSaved(f"{path} is not a mapping of answers; it was left untouched")
    data.setdefault("rubric", rubric.id)
    if minutes is not None and data.get("minutes") is None:
        data["minutes"] = minutes
    answers = data.get("answers")
    if not isinstance(answers, dict):
        answers = CommentedMap()
        data["answers"] = answers
    written = []
    for item_id, entry in given.items():
        fresh = _entry(entry)
        if "answer" not in fresh:
            continue
        current = answers.get(item_id)
        if isinstance(current, dict):
            current["answer"] = fresh["answer"]
            if "note" in fresh:
                current["note"] = fresh["note"]
        else:
            answers[item_id] = CommentedMap(fresh)
        written.append(item_id)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    try:
        write_text_atomic(path, buffer.getvalue())
    except OSError as exc:
        raise AnswersNotSaved(f"cannot write {path}: {exc.strerror}") from None
    return written
