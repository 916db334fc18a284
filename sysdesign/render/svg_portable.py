"""Make Graphviz's SVG portable: icons embedded as data: URIs, no local file paths.

Graphviz writes each icon as `<image xlink:href="resources/...png" .../>`, a path that only
resolves on the machine that rendered it. Each distinct icon becomes one `<symbol>` in `<defs>`
holding the image as a data: URI, and every icon on the diagram a `<use>` of it, so a design with
fifty services embeds the service icon once.
"""

from __future__ import annotations

import re
import struct
from functools import cache

from sysdesign.render.icons import icon_data_uri, icon_images, icon_root

_IMAGE = re.compile(rb"<image\b([^>]*?)/>")
_ATTR = re.compile(rb'([\w:-]+)="([^"]*)"')
_LOCAL_HREF = re.compile(rb'href="(?!data:|#|https?://)([^"]*)"')  # also matches xlink:href
_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")


@cache
def _pixel_size(name: str) -> tuple[int, int]:
    """Width and height of a PNG icon (from its IHDR chunk); 256 x 256 if not a PNG."""
    head = (icon_root() / name).read_bytes()[:24]
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    return 256, 256


def _symbol_id(name: str) -> str:
    stem = name.removeprefix("resources/").rsplit(".", 1)[0]
    return "sd-icon-" + re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-")


def _symbol(symbol_id: str, name: str, aspect: bytes) -> bytes:
    width, height = _pixel_size(name)
    return (
        f'<symbol id="{symbol_id}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="{aspect.decode("ascii")}">'
        f'<image width="{width}" height="{height}" xlink:href="{icon_data_uri(name)}"/>'
        "</symbol>"
    ).encode("ascii")


def embed_icons(svg: bytes) -> bytes:
    """Replace each icon reference (a name relative to the icon root) with an embedded copy."""
    known = {name.encode("utf-8") for name in icon_images()}
    ids: dict[tuple[bytes, bytes], str] = {}  # (icon name, aspect) -> symbol id
    symbols: list[bytes] = []  # in order of first use

    def replace(match: re.Match[bytes]) -> bytes:
        attrs = dict(_ATTR.findall(match.group(1)))
        href = attrs.get(b"xlink:href", attrs.get(b"href"))
        if href not in known:
            return match.group(0)
        name = href.decode("utf-8")
        aspect = attrs.get(b"preserveAspectRatio", b"xMidYMid meet")
        if (href, aspect) not in ids:
            base = _symbol_id(name)
            same_icon = sum(1 for (h, _) in ids if h == href)
            ids[href, aspect] = f"{base}-{same_icon + 1}" if same_icon else base
            symbols.append(_symbol(ids[href, aspect], name, aspect))
        place = b" ".join(
            key + b'="' + attrs[key] + b'"'
            for key in (b"x", b"y", b"width", b"height")
            if key in attrs
        )
        return b'<use xlink:href="#' + ids[href, aspect].encode("ascii") + b'" ' + place + b"/>"

    body = _IMAGE.sub(replace, svg)
    if not symbols:
        return body
    opening = _SVG_OPEN.search(body)
    if opening is None:
        raise ValueError("not an SVG document: no <svg> element")
    defs = b"\n<defs>" + b"".join(symbols) + b"</defs>"
    return body[: opening.end()] + defs + body[opening.end() :]


def local_references(svg: bytes) -> list[str]:
    """Every href that points at a file (neither a data: URI, a fragment nor a web address)."""
    return [m.group(1).decode("utf-8", "replace") for m in _LOCAL_HREF.finditer(svg)]


def portable_svg(svg: bytes) -> bytes:
    """The SVG with icons embedded; raises ValueError if a local reference is left."""
    result = embed_icons(svg)
    left = local_references(result)
    if left:
        raise ValueError(f"SVG still references local files: {', '.join(sorted(set(left)))}")
    return result
