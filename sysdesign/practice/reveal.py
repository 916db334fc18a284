"""What a blind attempt hides, when each part is revealed, and the design the session checks.

The interviewer's answers (requirements, headline numbers and SLOs, who the clients are, each
stage's constraint) come from the reference drill. They are revealed as phases start and stages
are asked, kept in the session's state file, and overlaid on the user's file for checking: the
user's own text always wins; a revealed part fills in only what the user has not written.
"""

from __future__ import annotations

import copy
from typing import Any

from sysdesign.model import Design
from sysdesign.scaffold import stage_skeleton

# the scale figures an interviewer states when asked; the rest (average QPS, storage, payload,
# read/write ratio) are the candidate's to estimate
STATED_SCALE = ("peak_qps", "daily_active_users", "documents", "tenants")

# phase id -> the hidden parts revealed when that phase starts
PHASE_REVEALS: dict[str, tuple[str, ...]] = {
    "estimates": ("requirements", "scale", "slo"),
    "high-level": ("clients",),
}


def hidden_parts(reference: Design) -> dict[str, Any]:
    """Everything the blind scaffold leaves out, as plain data (stages in the drill's order)."""
    clients = [
        {"id": c.id, "kind": c.kind.value, "label": c.display}
        | ({"qps": c.qps} if c.qps is not None else {})
        for c in reference.components
        if c.kind.value == "client"
    ]
    return {
        "requirements": reference.requirements.model_dump(mode="json", exclude_defaults=True),
        "scale": {
            k: v
            for k, v in reference.scale.model_dump(exclude_unset=True).items()
            if k in STATED_SCALE
        },
        "slo": reference.slo.model_dump(exclude_unset=True),
        "clients": clients,
        "stages": [stage_skeleton(s) for s in reference.stages],
    }


def overlay(data: Any, revealed: dict[str, Any], stages: list[dict[str, Any]]) -> Any:
    """The user's data with revealed parts filled in where the user wrote nothing, and the
    revealed stages merged with the user's own stages of the same id (the user's fields win)."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for key in ("scale", "slo"):
        if key not in out and key in revealed:
            out[key] = copy.deepcopy(revealed[key])
    if "components" not in out and "clients" in revealed:
        out["components"] = copy.deepcopy(revealed["clients"])
    if stages:
        mine = out.get("stages")
        mine = mine if isinstance(mine, list) else []
        out["stages"] = _merged_stages(mine, stages)
    return out


def _merged_stages(mine: list[Any], revealed: list[dict[str, Any]]) -> list[Any]:
    """Each revealed stage merged with the user's answer to it: the user's stage of the same id,
    else the user's next stage whose id names no revealed stage (the user writes them in the
    order they come, under ids of their own: the interviewer never says the drill's ids). The
    user's fields win; the user's stages left over follow."""
    ids = {s["id"] for s in revealed}
    by_id = {s.get("id"): s for s in mine if isinstance(s, dict) and s.get("id") in ids}
    in_order = iter([s for s in mine if isinstance(s, dict) and s.get("id") not in ids])
    used: set[int] = set()  # the user's stages taken, by identity
    merged: list[Any] = []
    for skeleton in revealed:
        own = by_id.get(skeleton["id"]) or next(in_order, None)
        if own is not None:
            used.add(id(own))
        merged.append({**copy.deepcopy(skeleton), **own} if own else copy.deepcopy(skeleton))
    merged.extend(s for s in mine if id(s) not in used)
    return merged
