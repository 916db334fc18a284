"""What the server imports before it forks covers what the served commands import: after the
preload, running them imports nothing of the package or of its heavy libraries again."""

from __future__ import annotations

import subprocess
import sys

from server_harness import ROOT

PROBE = """
import io, os, sys
from sysdesign.server.preload import preload
problems = []
preload(problems.append)
before = set(sys.modules)
from sysdesign.launcher import main
for args in (["check", "qortex", "--all-stages"], ["check", "qortex", "--format", "json"],
             ["validate", "mcp-gateway"], ["probe", "qortex"], ["fail", "qortex"], ["rules"]):
    sys.argv = ["sysdesign", *args]
    sys.stdout = io.StringIO()
    try:
        main(via_server=False)
    except SystemExit:
        pass
    sys.stdout = sys.__stdout__
new = sorted(set(sys.modules) - before)
print(" ".join(problems) or "-")
print(" ".join(new))
"""
HEAVY = ("sysdesign", "networkx", "pydantic", "rich", "typer", "yaml", "ruamel", "graphviz")


def test_the_preload_covers_the_served_commands() -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    problems, new = run.stdout.splitlines()
    assert problems == "-"
    late = [m for m in new.split() if m.split(".")[0] in HEAVY]
    assert not late, f"imported after the preload (add them to sysdesign/server/preload.py): {late}"
