"""`sysdesign new`: scaffold an attempt at a drill without giving the answer away.

The scaffold keeps what the interviewer states (prompt, requirements, scale, SLOs, each stage's
constraint and what it demands) and leaves out the reference's components, flows, estimates and
discussion: drawing those is the exercise.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sysdesign.atomic import backup, write_group_atomic
from sysdesign.loader import parse_design
from sysdesign.model import Design

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")  # always fullmatch: `$` accepts a final newline
SCHEMA_FILE = "design.schema.json"  # written beside the attempts by `write_scaffold`
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_FILE}\n"

HINTS = """\
  # Draw the rest of your design here. One entry per box; `sysdesign kinds` lists the kinds.
  # - id: gateway
  #   kind: api_gateway
  #   roles: [auth, rate_limiter, load_balancer]   # layers this box also plays
  #   replicas: 3
  #   zones: [a, b, c]
  #   capacity_rps: 20000      # per replica
  #   latency_ms: 5            # its own p99 work per request
  # Safety filters sit ON the path (gateway -> filter -> orchestrator), with
  # `screens: [input, output, retrieved, corpus]`. See docs/modeling.md.
"""

FLOW_HINTS = """\
# flows:
#   - {from: users, to: gateway, protocol: HTTPS}
#   - {from: orchestrator, to: llm, step: 2}        # steps run in order; same step = parallel
#   - {from: cache, to: db, hit_ratio: 0.9}          # read-through cache
#   - {from: api, to: events, op: write, mode: async}
"""


class ScaffoldError(ValueError):
    """A name or target the scaffold refuses."""


@dataclass(frozen=True)
class Scaffolded:
    design: Path
    answers: Path | None
    backups: tuple[Path, ...]


def check_name(name: str) -> None:
    """Only plain slugs: no path separators, no '..', nothing hidden."""
    if not SLUG.fullmatch(name):
        raise ScaffoldError(
            f"{name!r} is not a plain name: use lower-case letters, digits, '-' and '_' "
            "(no paths, no '..')"
        )


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def stage_skeleton(stage: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": stage.id, "title": stage.title, "constraint": stage.constraint}
    if stage.scale is not None:
        out["scale"] = stage.scale.model_dump(exclude_unset=True, exclude={"estimates"})
    if stage.slo is not None:
        out["slo"] = stage.slo.model_dump(exclude_unset=True)
    requires = stage.requires.model_dump(mode="json", exclude_defaults=True)
    if requires:
        out["requires"] = requires
    return out


def scaffold_text(name: str, reference: Design | None) -> str:
    """The YAML text of a new attempt (validated before it is returned)."""
    if reference is None:
        head: dict[str, Any] = {
            "id": name,
            "title": name.replace("-", " ").capitalize(),
            "prompt": "Write the interview prompt here, as the interviewer says it.",
            "profiles": [],
            "requirements": {"functional": ["..."], "non_functional": ["..."]},
            "scale": {"peak_qps": 1000},
            "slo": {"p99_latency_ms": 500, "availability": 0.999},
        }
        clients = [{"id": "users", "kind": "client", "label": "Users"}]
        stages: list[dict[str, Any]] = []
    else:
        head = {
            "id": name,
            "title": f"{reference.title} (my attempt)",
            "drill": reference.id,
            "prompt": reference.prompt,
            "profiles": [str(p) for p in reference.profiles],
            "requirements": reference.requirements.model_dump(mode="json", exclude_defaults=True),
            "scale": reference.scale.model_dump(exclude_unset=True, exclude={"estimates"}),
            "slo": reference.slo.model_dump(exclude_unset=True),
        }
        clients = [
            {"id": c.id, "kind": c.kind.value, "label": c.display}
            | ({"qps": c.qps} if c.qps is not None else {})
            for c in reference.components
            if c.kind.value == "client"
        ] or [{"id": "users", "kind": "client", "label": "Users"}]
        stages = [stage_skeleton(s) for s in reference.stages]
    text = SCHEMA_LINE + _dump(head)
    text += "# scale.estimates: your back-of-envelope figures as {name, value, unit, derivation}\n"
    text += _dump({"components": clients})
    text += HINTS + "flows: []\n" + FLOW_HINTS
    if stages:
        text += "# Each stage is a constraint the interviewer adds: fill in add/remove/change.\n"
        text += _dump({"stages": stages})
    parse_design(text, f"attempts/{name}.yaml")  # a scaffold that does not validate is a bug
    return text


BLIND_GUIDE = """\
# A blind attempt: only the prompt is given. Write the rest as the session goes on:
#   requirements: {functional: [...], non_functional: [...]}   (requirements phase)
#   scale: {peak_qps: ..., estimates: [{name, value, unit, derivation}]}   (estimates phase)
#   slo: {p99_latency_ms: ..., availability: ...}
#   components: [...] and flows: [...]                          (high-level design)
#   stages: one per constraint, in the order the interviewer adds them   (deep dive)
#     - {id: your-own-id, add: {components: [...], flows: [...]}, remove: {components: [...]},
#        change: [{id: ..., replicas: ...}]}    (title and constraint: the interviewer's)
# The interviewer's answers are revealed phase by phase (`sysdesign practice`).
"""


def blind_text(name: str, reference: Design) -> str:
    """A blind attempt: the schema line and the prompt only (no requirements, numbers or
    stages). It does not validate yet on purpose: filling it in is the exercise."""
    head = {
        "id": name,
        "title": f"{reference.title} (my attempt)",
        "drill": reference.id,
        "prompt": reference.prompt,
    }
    return SCHEMA_LINE + _dump(head) + BLIND_GUIDE


def _backup_name(path: Path) -> Path:
    """Deprecated: use `sysdesign.atomic.backup(path)`, which also creates the copy without
    following a link. The first free `x.bak`, `x.bak.2`, ... (a dangling link counts as taken)."""
    candidate, number = path.with_name(path.name + ".bak"), 2
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{path.name}.bak.{number}")
        number += 1
    return candidate


def write_scaffold(
    name: str,
    reference: Design | None,
    attempts_dir: Path,
    answers_dir: Path,
    answers_text: str | None,
    force: bool = False,
    blind: bool = False,
) -> Scaffolded:
    """Write `<attempts>/NAME.yaml` (and `<answers>/NAME.yaml`) plus the JSON Schema the first
    line points editors at; never overwrite without `force`, and then keep every replaced file
    as a numbered backup. `blind` writes only the prompt."""
    check_name(name)
    target = attempts_dir / f"{name}.yaml"
    answers = answers_dir / f"{name}.yaml"
    targets = [target] + ([answers] if answers_text is not None else [])
    for folder in {p.parent for p in targets}:
        if folder.exists() and not folder.is_dir():
            raise ScaffoldError(f"{folder} is a file, not a folder")
    for path in targets:
        if os.path.lexists(path) and not path.is_file():
            raise ScaffoldError(f"{path} is not a file")
    existing = [p for p in targets if p.exists()]  # links to files: kept as backups
    if existing and not force:
        raise ScaffoldError(
            f"{existing[0]} already exists; pass --force to replace it (a backup is kept)"
        )
    if blind and reference is None:
        raise ScaffoldError("a blind scaffold needs a drill (--from DRILL)")
    text = blind_text(name, reference) if blind and reference else scaffold_text(name, reference)
    files = {target: text.encode("utf-8")}
    if answers_text is not None:
        files[answers] = answers_text.encode("utf-8")
    schema = _schema_update(attempts_dir / SCHEMA_FILE)
    if schema is not None:
        files[attempts_dir / SCHEMA_FILE] = schema
    backups: list[Path] = []
    try:
        for path in existing:
            backups.append(backup(path))
        write_group_atomic(files)  # all or none: no design left behind without its answers
    except OSError as exc:
        raise ScaffoldError(f"cannot write {exc.filename or target}: {exc.strerror}") from None
    return Scaffolded(target, answers if answers_text is not None else None, tuple(backups))


def _schema_update(path: Path) -> bytes | None:
    """The JSON Schema beside the attempts when it is missing or differs from the model's."""
    from sysdesign.schema import design_schema_text

    text = design_schema_text()
    try:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return None
    except (OSError, UnicodeDecodeError):
        pass
    return text.encode("utf-8")
