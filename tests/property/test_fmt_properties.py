"""`fmt` on generated valid designs with comments: compact and expand load back to the same
design, keep every comment, are idempotent, and `--check` agrees with what a rewrite would do."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from strategies import design_text, designs, examples

from sysdesign.formatting import Form, format_file, format_text
from sysdesign.loader import parse_design


def _meaning(text: str) -> dict[str, Any]:
    return parse_design(text, "prop.yaml").model_dump(mode="json", by_alias=True)


@st.composite
def commented(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A generated design as YAML with full-line and end-of-line comments at random lines."""
    lines = design_text(draw(designs(max_components=8))).splitlines()
    notes: list[str] = []
    out: list[str] = []
    for n, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip())]
        if n and draw(st.integers(0, 5)) == 0:
            notes.append(f"note{len(notes)}")
            out.append(
                f"{indent}# {notes[-1]} with {draw(st.sampled_from(['ünï', ':', '- x', '#']))}"
            )
        if draw(st.integers(0, 5)) == 0 and not line.rstrip().endswith(("|", ">", "|-", ">-")):
            notes.append(f"note{len(notes)}")
            line = f"{line}  # {notes[-1]}"
        out.append(line)
    return "\n".join(out) + "\n", notes


@examples(8)
@given(commented(), st.sampled_from([Form.COMPACT, Form.EXPAND]))
def test_fmt_keeps_the_design_and_every_comment(case: tuple[str, list[str]], form: Form) -> None:
    text, notes = case
    before = _meaning(text)
    out = format_text(text, form, "prop.yaml")
    assert _meaning(out) == before
    for note in notes:
        assert f"# {note}" in out, note
    assert format_text(out, form, "prop.yaml") == out  # idempotent: --check passes on it
    other = Form.EXPAND if form is Form.COMPACT else Form.COMPACT
    back = format_text(format_text(out, other, "prop.yaml"), form, "prop.yaml")
    assert _meaning(back) == before  # compact <-> expand round trip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prop.yaml"
        path.write_text(text, encoding="utf-8")
        checked = format_file(path, form, check=True)
        assert checked.changed == (out != text)
        assert path.read_text(encoding="utf-8") == text  # --check writes nothing
        written = format_file(path, form)
        assert path.read_text(encoding="utf-8") == out
        if written.changed:
            assert written.backup is not None
            assert written.backup.read_text(encoding="utf-8") == text  # the old text is kept
        assert not format_file(path, form, check=True).changed
