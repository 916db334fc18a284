"""Label text for diagrams: wrapped on word boundaries only, escaped for DOT's HTML labels.

A word longer than a line stays whole on its own line (the box widens); nothing is cut mid-word.
A shortened technology line ends after a whole word with an ellipsis, and the full text goes in
the tooltip (the SVG's title).
"""

from __future__ import annotations

import html
import re
import textwrap

from sysdesign.figures import fmt_number, saturated
from sysdesign.sanitize import display_text

NAME_WIDTH = 22  # characters per line of a component's name
TECH_WIDTH = 30  # the technology line's length at most
_CLAUSE = re.compile(r"\s+[-–—]\s+|[,;(:]\s*")


def clean(text: str) -> str:
    """Control characters (and line/paragraph separators) become spaces and an over-long text
    is shortened: the shared sanitising step (sysdesign.sanitize)."""
    return display_text(text)


def wrap_words(text: str, width: int) -> tuple[str, ...]:
    """Text wrapped to `width` on word boundaries; a longer word keeps a line of its own."""
    lines: list[str] = []
    for paragraph in clean(text).splitlines() or [""]:
        lines.extend(
            textwrap.wrap(paragraph, width, break_long_words=False, break_on_hyphens=False) or [""]
        )
    return tuple(lines)


def short_technology(technology: str, width: int = TECH_WIDTH) -> str:
    """The technology's first clause; a longer clause is cut after a whole word, with '…'."""
    text = " ".join(clean(technology).split())
    first = _CLAUSE.split(text, maxsplit=1)[0].strip() or text
    if len(first) <= width:
        return first  # cut at a clause boundary: the tooltip holds the rest
    words, kept = first.split(), ""
    for word in words:
        if kept and len(kept) + 1 + len(word) > width:
            break
        kept = f"{kept} {word}" if kept else word
    return kept + "…"


def html_text(text: str) -> str:
    """User text escaped for a Graphviz HTML-like label.

    Graphviz expands escapes such as `\\N` (the node's name) even inside HTML labels, and turns
    a doubled backslash into one: every backslash is doubled so it stays a backslash.
    """
    return html.escape(clean(text), quote=True).replace("\\", "\\\\")


def dot_quote(text: str) -> str:
    """User text as a quoted DOT string (an escString: backslashes doubled)."""
    text = clean(text).replace("\n", " ")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def stated_figure(value: object) -> str:
    """A figure as a reader writes it: `2,500` not `2500.0`, `0.9995` and `0.25` as stated."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if saturated(value) or abs(value) >= 1e15:
        return fmt_number(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}"
