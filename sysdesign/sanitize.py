"""One text-sanitising step shared by every renderer (DOT/SVG/PNG, Mermaid, HTML, Markdown).

Validation accepts any text in labels, titles and notes; a renderer must still be able to draw
it. Before any renderer escapes user text for its own format, the text goes through
`display_text`:

- NUL, other C0/C1 control characters, DEL, and the Unicode line/paragraph separators become a
  space (a newline is kept where the caller allows several lines), so no renderer copies a NUL
  into a file and Graphviz never sees bytes it rejects;
- a text longer than `MAX_DISPLAY` characters (Graphviz refuses labels past 16,384) is cut after
  a whole word and ends with an ellipsis: the full text stays in the YAML and in tooltips'
  source.

Escaping for the target format (HTML entities, DOT escStrings, Mermaid entities, Markdown
backslashes) stays with each renderer and runs after this step.
"""

from __future__ import annotations

import re

MAX_DISPLAY = 2000  # characters of one text drawn or listed; Graphviz's limit is 16,384
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_NO_NEWLINE = re.compile(r"[\x00-\x09\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def shorten(text: str, limit: int = MAX_DISPLAY) -> str:
    """`text` cut to at most `limit` characters after a whole word, with '…' when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def display_text(text: str, limit: int = MAX_DISPLAY, newlines: bool = True) -> str:
    """User text safe to draw or list: control characters as spaces, at most `limit` long."""
    pattern = _CONTROL if newlines else _CONTROL_NO_NEWLINE
    return shorten(pattern.sub(" ", text), limit)


def strip_control(text: str) -> str:
    """Control characters as spaces, newlines kept, nothing shortened (for whole documents and
    embedded data, e.g. every value a checklist template prints)."""
    return _CONTROL.sub(" ", text)


def has_control(text: str) -> bool:
    """Whether `text` holds a character `display_text` would replace (tab and newline aside)."""
    return bool(_CONTROL.search(text.replace("\t", " ")))
