"""Each command imports only what it uses, so a start-up gain cannot quietly come undone:
`check` and `validate` of a reference never load the renderers, the rubric history, Rich for
JSON output, or (validate) networkx. Run in a fresh interpreter; sys.modules is the evidence."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = (
    "import sys; sys.argv = ['sysdesign', *sys.argv[1:]]\n"
    "from sysdesign.launcher import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "sys.stdout.flush()\n"
    "names = {m.split('.')[0] for m in sys.modules}\n"
    "names |= {m for m in sys.modules if m.startswith('sysdesign.')}\n"
    "print(' '.join(sorted(names)), file=sys.stderr)\n"
)
NEVER_FOR_A_CHECK = {
    "diagrams",
    "graphviz",
    "jinja2",
    "matplotlib",
    "sqlite3",
    "ruamel",
    "watchfiles",
    "sysdesign.render",
    "sysdesign.rubric",
    "sysdesign.practice.*",
    "sysdesign.compare",
    "sysdesign.probe",
    "sysdesign.watch",
    "sysdesign.yaml_nodes",  # only for documents with aliases
}


# a design file is read with its practice session when one is beside it (that module alone; the
# session's own machinery only when there is one)
PRACTICE_FOR_A_FILE = {"sysdesign.practice", "sysdesign.practice.attempt"}


def loaded(*args: str) -> set[str]:
    """The modules a command loads; any practice module but the attempt reader is named
    'sysdesign.practice.*' so the sets below catch it."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    names = set(run.stderr.split())
    practice = {n for n in names if n.startswith("sysdesign.practice")} - PRACTICE_FOR_A_FILE
    return (names - practice) | ({"sysdesign.practice.*"} if practice else set())


@pytest.mark.parametrize("design", ["qortex", "mcp-gateway"])
def test_check_loads_only_what_checking_needs(design: str) -> None:
    text = loaded("check", design, "--all-stages")
    assert {"pydantic", "yaml", "rich", "sysdesign.checks"} <= text  # the probe sees imports
    assert not NEVER_FOR_A_CHECK & text, NEVER_FOR_A_CHECK & text
    as_json = loaded("check", design, "--format", "json")
    assert not (NEVER_FOR_A_CHECK | {"rich"}) & as_json, (NEVER_FOR_A_CHECK | {"rich"}) & as_json


def test_validate_loads_neither_networkx_nor_the_checks() -> None:
    names = loaded("validate", "qortex", "--format", "json")
    assert "sysdesign.loader" in names
    unwanted = NEVER_FOR_A_CHECK | {"networkx", "rich", "sysdesign.checks", "sysdesign.analyses"}
    assert not unwanted & names, unwanted & names


def test_the_vocabulary_lists_load_no_design_machinery() -> None:
    names = loaded("profiles", "--format", "json")
    unwanted = {"yaml", "networkx", "rich", "sysdesign.loader", "sysdesign.model"}
    assert not unwanted & names, unwanted & names
