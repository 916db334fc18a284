"""Find and load rubrics: located errors like designs, `extends` resolved into one Rubric.

A design picks its rubric by `design.rubric`, else `design.drill`, else `design.id` when a rubric
of that id exists, else `general`.
"""

from __future__ import annotations

from pathlib import Path

from sysdesign.diagnostics import Diagnostic, InputError
from sysdesign.loader import load_model
from sysdesign.model import Design
from sysdesign.paths import display_path, rubrics_dir
from sysdesign.rubric.models import (
    AnswersFile,
    AutoBinding,
    EvidenceBinding,
    Item,
    LevelSpec,
    Rubric,
    RubricFile,
    Section,
)
from sysdesign.rubric.questions import QUESTIONS, argument_problems
from sysdesign.views import suggest
from sysdesign.yamlsource import LocatedData, load_file

DEFAULT_RUBRIC = "general"


class RubricNotFound(LookupError):
    """A rubric id that names no file in `rubrics/`: one clear line for the user."""


def available_rubrics(directory: Path | None = None) -> list[str]:
    """Ids of the rubrics in `rubrics/`, sorted."""
    folder = directory or rubrics_dir()
    return sorted(p.stem for p in folder.glob("*.yaml"))


def known_rule_codes() -> set[str] | None:
    """Codes of the registered checker rules, or None while no checker is installed."""
    try:
        import sysdesign.checks  # noqa: F401  (importing registers the rules)
    except ImportError:
        return None
    from sysdesign.checks.rule import REGISTRY

    return set(REGISTRY) or None


def _read(path: Path) -> tuple[RubricFile, LocatedData]:
    located = load_file(path, display_path(path))
    return load_model(located, RubricFile, "rubric"), located


def _file_problems(
    spec: RubricFile, located: LocatedData, stem: str, codes: set[str] | None
) -> list[Diagnostic]:
    """Problems one file has on its own: its id, its questions and rule codes."""
    out: list[Diagnostic] = []
    if spec.id != stem:
        out.append(
            located.diagnostic(("id",), f"rubric id {spec.id!r} must match its file name {stem!r}")
        )
    if spec.extends is None and spec.levels is None:
        out.append(located.diagnostic((), "a rubric that extends nothing needs 'levels'"))
    seen_sections: set[str] = set()
    for i, section in enumerate(spec.sections):
        if section.id in seen_sections:
            out.append(
                located.diagnostic(("sections", i, "id"), f"duplicate section {section.id!r}")
            )
        seen_sections.add(section.id)
        for j, item in enumerate(section.items):
            if item.evidence is not None:
                if item.auto is not None:
                    out.append(
                        located.diagnostic(
                            ("sections", i, "items", j, "evidence"),
                            "'evidence' is for items the user judges; an auto item's own "
                            "question already caps its answer",
                            key=True,
                        )
                    )
                out.extend(
                    _question_problems(
                        located, ("sections", i, "items", j, "evidence"), item.evidence
                    )
                )
            if item.auto is None:
                continue
            at = ("sections", i, "items", j, "auto")
            if item.auto.question is not None:
                out.extend(_question_problems(located, at, item.auto))
            if codes is not None:
                for k, code in enumerate(item.auto.codes):
                    if code not in codes:
                        out.append(
                            located.diagnostic(
                                (*at, "codes", k),
                                f"no checker rule {code!r}{suggest(code, codes)}",
                            )
                        )
    return out


def _question_problems(
    located: LocatedData, at: tuple[str | int, ...], binding: AutoBinding | EvidenceBinding
) -> list[Diagnostic]:
    name = binding.question
    assert name is not None
    if name not in QUESTIONS:
        return [
            located.diagnostic(
                (*at, "question"), f"unknown graph question {name!r}{suggest(name, QUESTIONS)}"
            )
        ]
    out = []
    for arg, message in argument_problems(name, binding.args):
        where = (*at, "args", arg) if arg else (*at, "args")
        out.append(located.diagnostic(where, message, key=arg is not None))
    return out


def load_rubric(rubric_id: str, directory: Path | None = None) -> Rubric:
    """The rubric `rubrics/<id>.yaml` with everything it extends merged in, or InputError."""
    folder = directory or rubrics_dir()
    codes = known_rule_codes()
    chain: list[tuple[RubricFile, LocatedData]] = []
    problems: list[Diagnostic] = []
    seen: list[str] = []
    current: str | None = rubric_id
    while current is not None:
        if current in seen:
            cycle = " -> ".join([*seen, current])
            problems.append(
                chain[-1][1].diagnostic(("extends",), f"'extends' goes round in a circle: {cycle}")
            )
            break
        path = folder / f"{current}.yaml"
        if not path.exists():
            message = f"no rubric {current!r} in {display_path(folder)}" + suggest(
                current, available_rubrics(folder)
            )
            if not chain:
                raise RubricNotFound(message)
            raise InputError([*problems, chain[-1][1].diagnostic(("extends",), message)])
        spec, located = _read(path)
        problems.extend(_file_problems(spec, located, path.stem, codes))
        chain.append((spec, located))
        seen.append(current)
        current = spec.extends
    if problems:
        raise InputError(problems)
    return _merge(chain)


def _merge(chain: list[tuple[RubricFile, LocatedData]]) -> Rubric:
    """Apply the chain from the root down: items join sections by section id."""
    problems: list[Diagnostic] = []
    levels: tuple[LevelSpec, ...] = ()
    titles: dict[str, str] = {}
    weights: dict[str, float] = {}
    items: dict[str, list[Item]] = {}
    item_ids: dict[str, str] = {}  # item id -> rubric that defined it
    for spec, located in reversed(chain):
        if spec.levels is not None:
            levels = tuple(spec.levels)
        for i, section in enumerate(spec.sections):
            if section.id not in titles:
                if section.title is None:
                    problems.append(
                        located.diagnostic(
                            ("sections", i, "id"),
                            f"new section {section.id!r} needs a 'title'"
                            + (suggest(section.id, titles) if titles else ""),
                        )
                    )
                titles[section.id] = section.title or section.id
                weights[section.id] = 1.0
                items[section.id] = []
            elif section.title is not None:
                titles[section.id] = section.title
            if section.weight is not None:
                weights[section.id] = section.weight
            for j, spec_item in enumerate(section.items):
                if spec_item.id in item_ids:
                    where = item_ids[spec_item.id]
                    problems.append(
                        located.diagnostic(
                            ("sections", i, "items", j, "id"),
                            f"duplicate item id {spec_item.id!r} (already in rubric {where!r})",
                        )
                    )
                    continue
                item_ids[spec_item.id] = spec.id
                items[section.id].append(
                    Item(
                        id=spec_item.id,
                        section=section.id,
                        text=spec_item.text,
                        weight=spec_item.weight,
                        levels=spec_item.levels,
                        study=spec_item.study,
                        auto=spec_item.auto,
                        source=spec.id,
                        critical=spec_item.critical,
                        evidence=spec_item.evidence,
                    )
                )
    top, top_located = chain[0]
    for section_id, section_items in items.items():
        if not section_items:
            problems.append(
                top_located.diagnostic(("sections",), f"section {section_id!r} has no items")
            )
    if problems:
        raise InputError(problems)
    return Rubric(
        id=top.id,
        title=top.title,
        description=top.description or "",
        chain=tuple(spec.id for spec, _ in chain),
        levels=levels,
        sections=tuple(Section(sid, titles[sid], weights[sid], tuple(items[sid])) for sid in items),
        file=top_located.file,
    )


def rubric_id_for(design: Design, directory: Path | None = None) -> str:
    """Which rubric grades this design (see the module docstring)."""
    if design.rubric is not None:
        return design.rubric
    have = set(available_rubrics(directory))
    for candidate in (design.drill, design.id):
        if candidate is not None and candidate in have:
            return candidate
    return DEFAULT_RUBRIC


def rubric_for_design(design: Design, directory: Path | None = None) -> Rubric:
    return load_rubric(rubric_id_for(design, directory), directory)


def answers_from_located(located: LocatedData, rubric: Rubric) -> AnswersFile:
    """A validated answers file whose item ids all name self-judged items of `rubric`."""
    answers = load_model(located, AnswersFile, "self-grading answers")
    problems: list[Diagnostic] = []
    if answers.rubric is not None and answers.rubric != rubric.id:
        problems.append(
            located.diagnostic(
                ("rubric",), f"these answers are for rubric {answers.rubric!r}, not {rubric.id!r}"
            )
        )
    askable = {i.id for i in rubric.items if i.kind != "auto"}
    auto = {i.id for i in rubric.items if i.kind == "auto"}
    for item_id in answers.answers:
        if item_id in auto:
            problems.append(
                located.diagnostic(
                    ("answers", item_id),
                    f"{item_id!r} is judged from the design, not answered",
                    key=True,
                )
            )
        elif item_id not in askable:
            problems.append(
                located.diagnostic(
                    ("answers", item_id),
                    f"no item {item_id!r} in rubric {rubric.id!r}{suggest(item_id, askable)}",
                    key=True,
                )
            )
    if problems:
        raise InputError(problems)
    return answers


def load_answers(path: Path | str, rubric: Rubric) -> AnswersFile:
    path = Path(path)
    return answers_from_located(load_file(path, display_path(path)), rubric)
