"""`import` on generated Mermaid flowcharts, hostile labels and malformed lines included: a
compact design that validates (and is already canonical for `fmt`), or located errors; never a
traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st
from strategies import HOSTILE_PIECES, examples

from sysdesign.diagnostics import InputError
from sysdesign.formatting import Form, format_text
from sysdesign.loader import parse_design
from sysdesign.mermaid_reader import slug
from sysdesign.sketch import read_sketch

SHAPES = ["", "[{}]", "({})", "[({})]", "(({}))", "{{{{{}}}}}", "{{{}}}", "[/{}/]", ">{}]",
          '["{}"]', "[[{}]]", "((({})))", "([{}])"]  # fmt: skip
ARROWS = ["-->", "-.->", "==>", "--->", "-- {} -->", "-->|{}|", "-. {} .->"]
BAD_ARROWS = ["---", "<-->", "--x", "->", "-- x"]
IGNORED = ["%% a comment", "style A fill:#f9f", "classDef x fill:#f00", "click A call cb()",
           "direction LR", "linkStyle 0 stroke:red"]  # fmt: skip
WORDS = st.sampled_from(["api", "db", "cache", "queue", "llm", "search", "A", "n1", "_", "B-2"])
label = st.lists(st.one_of(HOSTILE_PIECES, WORDS, st.text(max_size=6)), max_size=5).map("".join)
# hostile but well-formed: nothing that closes a shape, a quote or a statement
clean_label = label.map(lambda s: "".join(ch for ch in s if ch not in '[](){}|";&%\n\r'))
node_id = st.one_of(WORDS, st.from_regex(r"[A-Za-z0-9_]{1,6}(-[A-Za-z0-9_]{1,3})?", fullmatch=True))


@st.composite
def node(draw: st.DrawFn, junk: bool, ident: str | None = None) -> str:
    shape = draw(st.sampled_from(SHAPES))
    text = draw(label if junk else clean_label)
    return (ident or draw(node_id)) + (shape.format(text) if shape else "")


@st.composite
def statement(draw: st.DrawFn, junk: bool) -> str:
    kind = draw(st.integers(0, 9 if junk else 7))
    if kind <= 4:  # a chain of links, some with & fans; clean ones never link a node to itself
        ids = iter([f"{draw(node_id)}{k}" for k in range(8)])  # distinct: the last digit differs
        parts = [draw(node(junk, None if junk else next(ids)))]
        for _ in range(draw(st.integers(0, 3))):
            if draw(st.booleans()):
                parts[-1] += " & " + draw(node(junk, None if junk else next(ids)))
            arrow = draw(st.sampled_from(ARROWS + (BAD_ARROWS if junk else [])))
            text = draw(label if junk else st.from_regex(r"[a-z ]{0,12}", fullmatch=True))
            parts.append(arrow.format(text) if "{}" in arrow else arrow)
            parts.append(draw(node(junk, None if junk else next(ids))))
        return " ".join(parts)
    if kind == 5 and junk:
        return "subgraph " + draw(st.one_of(node_id, label))
    if kind == 6 and junk:
        return "end"
    if kind in (5, 6):  # a whole subgraph, perhaps nested
        inner = draw(st.lists(statement(junk), max_size=3))
        return "; ".join(["subgraph " + draw(node_id), *inner, "end"])
    if kind == 7:
        return draw(st.sampled_from(IGNORED))
    return draw(st.text(max_size=20))  # anything at all


@st.composite
def sketches(draw: st.DrawFn) -> str:
    """A flowchart; one in three has junk (malformed arrows, any text, no header)."""
    junk = draw(st.integers(0, 2)) == 0
    headers = ["flowchart LR", "flowchart TD", "graph TB", "graph"] + (["", "flow"] if junk else [])
    header = draw(st.sampled_from(headers))
    lines = [header] if header else []
    if draw(st.integers(0, 9)) == 0:
        lines = ["---", "title: " + draw(label), "---", *lines]
    for _ in range(draw(st.integers(0 if junk else 1, 12))):
        line = draw(statement(junk))
        if draw(st.integers(0, 4)) == 0:
            line = line + "; " + draw(statement(junk))
        lines.append(draw(st.sampled_from(["", "  ", "\t"])) + line)
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + "\n"


@examples(40)
@given(sketches())
def test_import_gives_a_valid_compact_design_or_located_errors(text: str) -> None:
    from sysdesign.sketch import import_sketch

    lines = max(len(text.split("\n")), 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sketch.mmd"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            out = import_sketch(path, "sketch.mmd")
        except InputError as exc:
            event("located errors")
            assert exc.diagnostics
            for d in exc.diagnostics:
                assert d.file == "sketch.mmd" and 1 <= d.line <= lines and d.col >= 1 and d.message
            return
    event("imported")
    assert out.count(": null  # state the") == 2  # the figures are left to the user, not invented
    stated = out.replace("peak_qps: null", "peak_qps: 100").replace(": null", ": 250", 1)
    design = parse_design(
        stated, "imported.yaml"
    )  # raises (fails the test) if it does not validate
    formatted = format_text(stated, Form.COMPACT)  # fmt can take it (it checks the meaning kept)
    assert parse_design(formatted, "imported.yaml") == design
    sketch = read_sketch(text, "sketch.mmd")
    assert len(design.components) == len(sketch.nodes)  # every node is a component
    assert len(design.flows) == len(sketch.edges)  # every link is a flow
    assert design.id == slug("sketch")
    assert "\x00" not in out
