"""`probe` on generated valid designs at every stage: no exception, only finite numbers in
the questions, every placeholder filled, the same questions twice."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from strategies import designs, examples, load

from sysdesign.checks import REGISTRY
from sysdesign.drills import load_reference, reference_ids
from sysdesign.figures import finite_tree
from sysdesign.probe import load_bank, probe

BANK_IDS = {spec.id for spec in load_bank().questions}
REFERENCES = {name: load_reference(name) for name in reference_ids()}
# numbers a question may never show: inf, nan, or a figure printed with its full 300 digits
UNREAD = re.compile(r"\b(inf|nan|None)\b|\d{25,}|\{[a-z_0-9]+\}")


def _texts(value: Any) -> list[str]:
    """Every string of a generated design, whitespace normalised as questions show them."""
    if isinstance(value, str):
        return [" ".join(value.split())]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _own_words_removed(text: str, data: dict[str, Any]) -> str:
    """The question without the design's own text (labels may hold `{x}` or `inf`)."""
    for own in sorted(_texts(data), key=len, reverse=True):
        if own:
            text = text.replace(own, " ")
    return text


@examples(12)
@given(designs(), st.sampled_from([None, *sorted(REFERENCES)]))
def test_probe_questions_are_filled_finite_and_stable(
    data: dict[str, Any], ref: str | None
) -> None:
    design = load(data)
    reference = REFERENCES[ref] if ref else None
    for stage in range(len(design.stages) + 1):
        first = probe(design, stage, reference)
        again = probe(design, stage, reference)
        assert [q.as_dict(True) for q in first] == [q.as_dict(True) for q in again]
        as_json = json.loads(json.dumps([q.as_dict(True) for q in first], allow_nan=False))
        assert finite_tree(as_json)
        ids = [c["id"] for c in data["components"]] + [
            c["id"] for s in data.get("stages", []) for c in s.get("add", {}).get("components", [])
        ]
        for q in first:
            assert q.id in BANK_IDS and q.stage == stage
            assert q.text.strip() and not UNREAD.search(_own_words_removed(q.text, data)), q.text
            assert q.subject in {"design", *ids, *REGISTRY}  # a component, a path's client, a rule
            if reference is None:
                assert q.discussion == ()


@examples(3)
@given(st.sampled_from(sorted(REFERENCES)), st.data())
def test_probe_on_references_at_every_stage_with_any_reference(name: str, data: Any) -> None:
    design = REFERENCES[name]
    reference = REFERENCES[data.draw(st.sampled_from(sorted(REFERENCES)))]
    for stage in range(len(design.stages) + 1):
        questions = probe(design, stage, reference)
        assert questions and questions == probe(design, stage, reference)
        for q in questions:
            assert not UNREAD.search(q.text), q.text
