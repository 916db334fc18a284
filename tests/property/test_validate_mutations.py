"""Mutated YAML never makes `validate` raise: it returns a design or located errors."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from strategies import examples

from sysdesign.diagnostics import InputError
from sysdesign.loader import parse_design

DESIGNS = sorted((Path(__file__).parents[2] / "designs").glob("*.yaml"))
SOURCES = [p.read_text(encoding="utf-8") for p in DESIGNS]
NOISE = st.sampled_from(
    [":", "- ", "  ", "\t", "{", "}", "[", "]", "'", '"', "&a", "*a", "!!python/object", "\x00",
     "\n", "#", "? ", "|", ">", "1e999", "-.inf", ".nan", "null", "~", "yes", "0x1F", "\ufeff",
     "<<: *a", "%YAML 1.1\n", "---\n", "...\n", "\\u0000", "9" * 400]
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines(keepends=True)
        op = draw(st.sampled_from(["insert", "delete", "dup", "swap", "indent", "token"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "insert":
            pos = draw(st.integers(0, len(text)))
            text = text[:pos] + draw(st.one_of(NOISE, st.text(max_size=5))) + text[pos:]
        elif op == "delete":
            pos = draw(st.integers(0, len(text)))
            text = text[:pos] + text[pos + draw(st.integers(1, 40)) :]
        elif op == "dup" and lines:
            text = "".join(lines[: i + 1] + lines[i:])
        elif op == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        elif op == "indent" and lines:
            lines[i] = draw(st.sampled_from(["", " ", "    ", "\t"])) + lines[i].lstrip(" ")
            text = "".join(lines)
        elif op == "token" and lines:
            head, _, _ = lines[i].partition(":")
            lines[i] = f"{head}: {draw(NOISE)}\n"
            text = "".join(lines)
    return text


@examples(450)
@given(mutated())
def test_validate_returns_located_errors_never_a_traceback(text: str) -> None:
    try:
        parse_design(text, "mutated.yaml")
    except InputError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.file == "mutated.yaml" and d.line >= 1 and d.col >= 1 and d.message
