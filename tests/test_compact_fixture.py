"""Issue 9's "done when": one 19-component graph, long and compact, checks identically."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, run_cli

from sysdesign.formatting import Form, format_text
from sysdesign.loader import load_design

FIXTURES = ROOT / "tests" / "fixtures"
LONG = FIXTURES / "search-long.yaml"
COMPACT = FIXTURES / "search-compact.yaml"


def _check_json(path: Path) -> list[dict[str, object]]:
    result = run_cli(ROOT, "check", str(path), "--format", "json", "--all-stages")
    assert result.returncode in (0, 1), result.stderr
    reports = json.loads(result.stdout)
    for report in reports:
        assert report.pop("file") == str(path.relative_to(ROOT))
    return reports


def test_same_graph_checks_identically() -> None:
    long, compact = _check_json(LONG), _check_json(COMPACT)
    assert long == compact
    assert len(load_design(COMPACT).components) == 19
    assert long[0]["findings"], "a realistic attempt has findings to compare"


def test_compact_is_at_most_a_third_of_the_long_form() -> None:
    long_lines = len(LONG.read_text().splitlines())
    compact_lines = len(COMPACT.read_text().splitlines())
    assert compact_lines * 3 <= long_lines, (compact_lines, long_lines)


def test_the_two_files_are_fmt_of_each_other() -> None:
    assert format_text(COMPACT.read_text(), Form.COMPACT) == COMPACT.read_text()
    assert format_text(LONG.read_text(), Form.EXPAND) == LONG.read_text()
    assert load_design(LONG) == load_design(COMPACT)
