"""A server in a private runtime folder for one test, always stopped (or killed) afterwards."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parent.parent
DEADLINE_S = 30.0


def wait_for(condition: Callable[[], Any], what: str, deadline_s: float = DEADLINE_S) -> Any:
    """Poll `condition` until it is truthy (generous deadline; no timing is asserted)."""
    end = time.monotonic() + deadline_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie of ours is not alive
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        pass
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


class ServerHarness:
    """Run `python -m sysdesign` with this test's runtime folder; start and stop its server."""

    def __init__(self, runtime: Path) -> None:
        self.runtime = runtime
        self.env = {k: v for k, v in os.environ.items() if k != "SYSDESIGN_SERVER"}
        self.env.update({"SYSDESIGN_RUNTIME_DIR": str(runtime), "SYSDESIGN_ROOT": str(ROOT)})
        self.env.setdefault("COLUMNS", "100")
        self.pids: set[int] = set()
        self.clients: list[subprocess.Popen[bytes]] = []

    def run(
        self, *args: str, cwd: Path = ROOT, input: bytes | None = None, **env: str
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "sysdesign", *args],
            cwd=cwd,
            env={**self.env, **env},
            input=input if input is not None else b"",
            capture_output=True,
            check=False,
            timeout=120,
        )

    def popen(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        """The client in a process group of its own, as a shell's job control starts a command.
        Its parent (pytest) is in another group of the same session, so the group is never
        orphaned: the kernel discards stop signals (Ctrl-Z) sent into an orphaned group, which
        is what pytest's own group is under `setsid` or a CI runner."""
        process = subprocess.Popen(
            [sys.executable, "-m", "sysdesign", *args],
            cwd=ROOT,
            env={**self.env, **env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            process_group=0,
        )
        self.clients.append(process)
        return process

    def start(self, *options: str) -> int:
        run = self.run("server", "start", *options)
        assert run.returncode == 0, run.stdout + run.stderr
        pid = int(re.search(rb"\(pid (\d+),", run.stdout).group(1))  # type: ignore[union-attr]
        self.pids.add(pid)
        return pid

    def status(self) -> dict[str, Any]:
        run = self.run("server", "status", "--format", "json")
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    def ask_status(self) -> dict[str, Any]:
        """The server's status, asked from this process (quicker than `server status`)."""
        from sysdesign.server.client import ask

        return ask(str(self.runtime), {"op": "status"}) or {}

    def requests(self) -> int:
        return int(self.ask_status().get("requests", -1))

    def cleanup(self) -> None:
        """Stop the server; kill whatever of it is left (the daemon, its children)."""
        try:
            subprocess.run(
                [sys.executable, "-m", "sysdesign", "server", "stop"],
                env=self.env,
                capture_output=True,
                timeout=30,
                check=False,
            )
        finally:
            for pid in self.pids:
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
            for process in self.clients:  # a client left waiting (a test failed midway)
                if process.poll() is None:
                    process.kill()
                process.communicate()
