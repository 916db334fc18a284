"""The fork server: served commands give the same bytes, exit codes and files as in-process runs,
with the client's folder and environment; start, stop and status; what is never served."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_harness import ROOT, ServerHarness

from sysdesign.commands import COMMANDS, SERVED
from sysdesign.launcher import command_name
from sysdesign.server.protocol import credentials_allowed, import_time_env

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")

BROKEN = "id: t\ncomponents: [\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHarness]:
    harness = ServerHarness(tmp_path_factory.mktemp("rt") / "run")
    try:
        harness.start()
        yield harness
    finally:
        harness.cleanup()


def both(harness: ServerHarness, *args: str, cwd: Path = ROOT, **env: str) -> tuple:
    """(in-process run, served run), asserting the second was served."""
    before = harness.requests()
    alone = harness.run(*args, cwd=cwd, SYSDESIGN_SERVER="off", **env)
    assert harness.requests() == before
    through = harness.run(*args, cwd=cwd, **env)
    assert harness.requests() == before + 1, "the server did not serve it"
    return alone, through


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("check", "qortex"), 0),
        (("check", "qortex", "--all-stages", "--format", "json"), 0),
        (("check", "tests/fixtures/minimal.yaml"), 1),
        (("check", "{broken}"), 2),
        (("validate", "--format", "json", "{broken}"), 2),
        (("explain", "SD2O1"), 2),
    ],
)
def test_served_output_is_byte_identical(
    served: ServerHarness, tmp_path: Path, args: tuple[str, ...], code: int
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN)
    argv = [a.replace("{broken}", str(broken)) for a in args]
    alone, through = both(served, *argv)
    assert (through.returncode, through.stdout, through.stderr) == (
        alone.returncode,
        alone.stdout,
        alone.stderr,
    )
    assert alone.returncode == code and (alone.stdout or alone.stderr)


def test_render_writes_the_same_files(served: ServerHarness, tmp_path: Path) -> None:
    outs = {}
    for mode in ("alone", "served"):
        out = tmp_path / mode
        env = {"SYSDESIGN_SERVER": "off"} if mode == "alone" else {}
        before = served.requests()
        run = served.run(
            "render", "qortex", "-s", "1", "-v", "all", "-f", "dot,mmd,svg", "-o", str(out), **env
        )
        assert run.returncode == 0, run.stderr
        assert served.requests() == before + (mode == "served")
        outs[mode] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        outs[mode + "-stdout"] = run.stdout.replace(str(out).encode(), b"OUT")
    assert outs["alone"] == outs["served"] and len(outs["alone"]) > 3
    assert outs["alone-stdout"] == outs["served-stdout"]


def test_folder_and_environment_are_the_clients(served: ServerHarness, tmp_path: Path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "minimal.yaml", here / "mine.yaml")
    workspace = tmp_path / "ws"
    env = {"SYSDESIGN_WORKSPACE": str(workspace), "NO_COLOR": "1", "COLUMNS": "61"}
    alone, through = both(served, "check", "mine.yaml", cwd=here, **env)
    assert through.stdout == alone.stdout and b"mine.yaml:4:12" in through.stdout
    before = served.requests()
    made = served.run("new", "copy", "--from", "qortex", cwd=here, **env)
    assert made.returncode == 0, made.stderr
    assert served.requests() == before + 1
    assert (workspace / "copy.yaml").is_file() and not (here / "attempts").exists()
    narrow, narrow_served = both(served, "rules", "--long", COLUMNS="50")
    assert narrow_served.stdout == narrow.stdout


def test_interactive_commands_are_never_served(served: ServerHarness) -> None:
    before = served.requests()
    grade = served.run(
        "grade", "qortex", "--no-record", "--no-ask", SYSDESIGN_HISTORY="/nonexistent/h"
    )
    practice = served.run("practice", "nope")
    assert practice.returncode == 2 and grade.stdout
    assert served.requests() == before
    assert not {"practice", "grade", "watch", "server"} & SERVED
    assert set(COMMANDS) >= SERVED


def test_start_twice_stop_none_and_status_fields(tmp_path: Path) -> None:
    harness = ServerHarness(tmp_path / "rt")
    try:
        assert harness.status() == {
            "running": False,
            "socket": harness.status()["socket"],
        }
        pid = harness.start("--idle-minutes", "5")
        again = harness.run("server", "start")
        assert again.returncode == 0 and f"already running (pid {pid}" in again.stdout.decode()
        status = harness.status()
        assert status["running"] and status["pid"] == pid and status["current"] is True
        assert status["requests"] == 0 and status["idle_minutes"] == 5 and status["children"] == []
        assert status["uptime_s"] >= 0 and status["socket"].startswith(str(tmp_path / "rt"))
        assert oct((tmp_path / "rt").stat().st_mode & 0o777) == "0o700"
        stop = harness.run("server", "stop")
        assert stop.returncode == 0 and f"stopped (pid {pid})" in stop.stdout.decode()
        assert not Path(status["socket"]).exists()
        none = harness.run("server", "stop")
        assert none.returncode == 0 and none.stdout.decode().strip() == "no server is running"
        assert "no server is running" in harness.run("server", "status").stdout.decode()
    finally:
        harness.cleanup()


def test_only_the_same_user_may_talk() -> None:
    me = os.getuid()
    assert credentials_allowed((1234, me, 0), me)
    assert not credentials_allowed((1234, me + 1, me), me)
    assert not credentials_allowed((0, me, me), me)  # the kernel did not say who


def test_only_a_peer_in_the_same_world_may_talk() -> None:
    from sysdesign.server.protocol import same_world

    assert same_world(os.getpid(), os.getgid())
    assert not same_world(os.getpid(), os.getgid() + 1)  # another group
    assert not same_world(2**22 + 12345, os.getgid())  # no such process: refused


def test_command_name_skips_the_workspace_option() -> None:
    assert command_name(["check", "x"]) == "check"
    assert command_name(["-w", "d", "render", "x"]) == "render"
    assert command_name(["--workspace=d", "fmt"]) == "fmt"
    assert command_name(["-wd", "drills"]) == "drills"
    assert command_name(["--weird", "check"]) is None
    assert command_name([]) is None


def test_environment_read_at_import_time_is_compared() -> None:
    env = {"PYTHONHASHSEED": "1", "LANG": "C", "NETWORKX_BACKEND_PRIORITY": "x", "NO_COLOR": "1"}
    assert import_time_env(env) == {
        k: env[k] for k in ("PYTHONHASHSEED", "LANG", "NETWORKX_BACKEND_PRIORITY")
    }


def test_without_a_server_the_client_is_not_even_imported(tmp_path: Path) -> None:
    probe = (
        "import sys\nsys.argv = ['sysdesign', 'rules', '--format', 'json']\n"
        "from sysdesign.launcher import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('sysdesign.server.client' in sys.modules, file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "SYSDESIGN_RUNTIME_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0 and run.stdout and run.stderr.strip() == "False"
