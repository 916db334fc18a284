"""Strategies for valid designs (as plain data) and for hostile text; the Hypothesis profile.

Small example counts by default (CI); SYSDESIGN_HYPOTHESIS=long runs 100x (a number N: Nx),
one property at a time with its statistics: `bash tests/property/long_run.sh` (docs/testing.md).
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from sysdesign.checks import REGISTRY
from sysdesign.taxonomy import Kind

PROFILE = os.environ.get("SYSDESIGN_HYPOTHESIS", "ci")
# the long profile: 100x every property's examples; a number N runs Nx (for a partial long run)
FACTOR = 100 if PROFILE == "long" else int(PROFILE) if PROFILE.isdigit() else 1
settings.register_profile(
    "sysdesign",
    deadline=None,  # a shared 2-core machine: time is measured in bench/, never in tests
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=FACTOR == 1,  # CI runs the same examples every time
    print_blob=True,
)
settings.load_profile("sysdesign")
KINDS = [k.value for k in Kind]
CANARY = "<zq>"  # a tag no template uses: it must never appear unescaped in any output


def examples(n: int) -> settings:
    """`n` examples by default, 100x under SYSDESIGN_HYPOTHESIS=long."""
    return settings(max_examples=n * FACTOR)


HOSTILE_PIECES = st.sampled_from(
    [
        "\x00", "\x07", "\x1b[31m", "\u2028", "\u202e", "\r", "\t", "\\N", "\\", '"', "'", "`",
        "<", ">", "&", "&amp;", "#", "|", "[", "]", "{", "}", "*", "_", "~", ";", "-->", "%%",
        "end", "subgraph", "<script>", "</svg>", "]]>", "${x}", "{{x}}", "名前", "😀", " ",
    ]
)  # fmt: skip

_short = st.lists(
    st.one_of(HOSTILE_PIECES, st.text(min_size=1, max_size=8)), min_size=1, max_size=12
).map(lambda parts: CANARY + "".join(parts))
_long = st.integers(16_000, 20_000).map(lambda n: CANARY + ("word " * n)[:n])  # over 16 KB
hostile_text = st.one_of(*[_short] * 15, _long).filter(lambda s: s.strip() != "")

extreme = st.one_of(
    st.floats(min_value=1e-300, max_value=1e300, allow_nan=False, allow_infinity=False),
    st.sampled_from([1e-300, 1e-9, 1.0, 1e300, 1.7e308]),
)
ratio = st.one_of(st.sampled_from([0.0, 1.0, 0.5, 0.99]), st.floats(0, 1))
share = st.one_of(st.sampled_from([1.0, 1e-300]), st.floats(min_value=1e-9, max_value=1))


@st.composite
def components(draw: Any, n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"id": "c0", "kind": "client"}]
    for i in range(1, n):
        c: dict[str, Any] = {"id": f"c{i}", "kind": draw(st.sampled_from(KINDS))}
        if draw(st.booleans()):
            c["replicas"] = draw(st.integers(1, 10_000_000))
        if draw(st.booleans()):
            c["capacity_rps"] = draw(extreme)
        if draw(st.booleans()):
            c["latency_ms"] = draw(st.one_of(st.just(0.0), extreme))
        if draw(st.booleans()):
            c["label"] = draw(hostile_text)
        if draw(st.booleans()):
            c["technology"] = draw(hostile_text)
        out.append(c)
    return out


@st.composite
def flows(draw: Any, comps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [c["id"] for c in comps]
    kinds = {c["id"]: c["kind"] for c in comps}
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3 * len(ids))
    )
    out = []
    for src, dst in dict.fromkeys((s, d) for s, d in pairs if s != d and kinds[d] != "client"):
        f: dict[str, Any] = {"from": src, "to": dst}
        if draw(st.booleans()):
            f["share"] = draw(share)
        if draw(st.booleans()):
            f["fan_out"] = draw(st.sampled_from([1, 2, 64, 1_000_000]))
        if kinds[src] == "cache" and draw(st.booleans()):
            f["hit_ratio"] = draw(ratio)
        if draw(st.booleans()):
            f["mode"] = draw(st.sampled_from(["sync", "async"]))
        if draw(st.booleans()):
            f["op"] = draw(st.sampled_from(["read", "write", "stream"]))
        if draw(st.booleans()):
            f["latency_ms"] = draw(st.one_of(st.just(0.0), extreme))
        if draw(st.booleans()):
            f["step"] = draw(st.integers(1, 4))
        if draw(st.booleans()):
            f["label"] = draw(hostile_text)
        out.append(f)
    return out


@st.composite
def designs(draw: Any, max_components: int = 10) -> dict[str, Any]:
    """A design that validates: kinds, flows with cycles and fan-outs, groups, stages that add,
    remove and change, acceptances, overrides, extreme numbers and hostile text."""
    n = draw(st.integers(1, max_components))
    comps = draw(components(n))
    d: dict[str, Any] = {
        "id": "prop",
        "title": draw(hostile_text),
        "prompt": draw(hostile_text),
        "scale": {"peak_qps": draw(extreme)},
        "slo": {"p99_latency_ms": draw(extreme)},
        "components": comps,
        "flows": draw(flows(comps)),
    }
    if n > 2 and draw(st.booleans()):
        d["groups"] = [
            {"id": "g0", "label": draw(hostile_text)},
            {"id": "g1", "parent": "g0"},
            {"id": "g2", "parent": draw(st.sampled_from(["g0", "g1"]))},  # siblings or nested
        ]
        for c in comps[1:]:
            if draw(st.booleans()):
                c["group"] = draw(st.sampled_from(["g0", "g1", "g2"]))
    if draw(st.booleans()):
        d["accepted"] = [
            {
                "code": draw(st.sampled_from(sorted(REGISTRY))),
                "reason": draw(hostile_text) + " (a reason)",
            }
        ]
    if draw(st.booleans()):
        d["checks"] = {
            "severity": {draw(st.sampled_from(sorted(REGISTRY))): draw(
                st.sampled_from(["off", "info", "warning", "error"])
            )}
        }  # fmt: skip
    stages = []
    for s in range(draw(st.integers(0, 2))):
        stage: dict[str, Any] = {
            "id": f"s{s}",
            "title": draw(hostile_text),
            "constraint": draw(hostile_text),
        }
        new_id = f"n{s}"
        if draw(st.booleans()):
            stage["add"] = {
                "components": [{"id": new_id, "kind": draw(st.sampled_from(KINDS))}],
                "flows": [{"from": "c0", "to": new_id}],
            }
        if n > 1 and draw(st.booleans()):
            stage["change"] = [{"id": "c1", "replicas": draw(st.integers(1, 1000))}]
        elif n > 2 and s == 0 and draw(st.booleans()):
            stage["remove"] = {"components": [f"c{n - 1}"]}
        if draw(st.booleans()):
            stage["scale"] = {"peak_qps": draw(extreme)}
        stages.append(stage)
    if stages:
        d["stages"] = stages
    return d


def design_text(data: dict[str, Any]) -> str:
    """A generated design as YAML text, one entry per line (no folding of long strings)."""
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1_000_000)


def load(data: dict[str, Any]) -> Any:
    """The generated design, validated (the strategy promises valid designs)."""
    from sysdesign.loader import parse_design

    return parse_design(design_text(data), "prop.yaml")
