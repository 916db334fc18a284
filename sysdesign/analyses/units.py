"""Human-readable figures for messages: decimal byte units and durations."""

from __future__ import annotations

from sysdesign.figures import fmt_number

BYTE_UNITS = (("EB", 1e18), ("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3))


def human_bytes(value: float) -> str:
    """1.5e15 -> '1.5 PB' (decimal units, as disks and RAM are sold)."""
    if value >= 1e21:
        return f"{fmt_number(value)} B"
    for unit, size in BYTE_UNITS:
        if value >= size:
            return f"{value / size:,.3g} {unit}"
    return f"{fmt_number(value)} B"


def human_count(value: float) -> str:
    """1e11 -> '100B', 2.5e6 -> '2.5M'."""
    if value >= 1e15:
        return fmt_number(value)
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if value >= size:
            return f"{value / size:,.3g}{unit}"
    return f"{value:,.3g}"


def human_ms(value: float) -> str:
    """Milliseconds, switching to seconds from 10 s."""
    if value >= 10_000:
        return f"{fmt_number(value / 1000, 1)} s"
    return f"{fmt_number(value, 1)} ms"
