"""Designs that validate always render: NUL and control characters, over-long labels and titles."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

import designs
from sysdesign.render.view_set import render_views
from sysdesign.rubric.checklist import md_escape
from sysdesign.sanitize import MAX_DISPLAY, display_text, has_control, strip_control


def _hostile():  # type: ignore[no-untyped-def]
    d = designs.data()
    d["title"] = "bell\a and <b>"
    designs.component(d, "app")["label"] = "a\0b"
    designs.component(d, "db")["label"] = "word " * 3500  # 17,500 characters: over 16,384
    designs.component(d, "cache")["technology"] = "<<x>>"  # once mistaken for an HTML label
    return designs.build(d)


def test_display_text() -> None:
    assert display_text("a\0b\x1b[1m\u2028c") == "a b [1m c"
    assert display_text("a\nb") == "a\nb" and display_text("a\nb", newlines=False) == "a b"
    long = display_text("word " * 1000)
    assert len(long) <= MAX_DISPLAY and long.endswith("…") and not long.endswith(" …")
    assert strip_control("x\0" * 3000) == "x " * 3000  # documents are never shortened
    assert has_control("a\0") and not has_control("a\tb\n")
    assert "\0" not in md_escape("a\0b")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")
def test_hostile_text_renders_in_every_view_and_format() -> None:
    items = render_views(
        _hostile(), 0, None, ("full", "overview", "journey"), ("svg", "dot", "mmd")
    )
    for item in items:
        assert item.problem is None
        for fmt, data in item.outputs.items():
            assert b"\0" not in data and b"\a" not in data, (item.view, fmt)
        ET.fromstring(item.outputs["svg"])


def test_checklist_has_no_nul() -> None:
    from sysdesign.rubric.checklist import Diagram, render_checklist
    from sysdesign.rubric.evaluate import evaluate
    from sysdesign.rubric.loader import load_rubric

    evaluation = evaluate(_hostile(), load_rubric("general"), 0)
    for text in render_checklist(evaluation, Diagram(mermaid='flowchart LR\n  a["a\0b"]')):
        assert "\0" not in text and "\a" not in text
