"""When the server cannot or must not serve, the command runs in-process, silently; signals reach
the served command; a server that dies mid-command is said in one line; idle servers go."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_harness import ROOT, ServerHarness, alive, wait_for

from sysdesign.server import runtime
from sysdesign.server.client import VANISHED

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


@pytest.fixture()
def harness(tmp_path: Path) -> Iterator[ServerHarness]:
    h = ServerHarness(tmp_path / "rt")
    try:
        yield h
    finally:
        h.cleanup()


def expected_check() -> bytes:
    return ServerHarness(Path("/nonexistent")).run("check", "qortex", SYSDESIGN_SERVER="off").stdout


def socket_file(h: ServerHarness) -> Path:
    return Path(h.ask_status().get("socket") or h.status()["socket"])


def test_stale_code_runs_in_process_and_the_server_exits(harness: ServerHarness) -> None:
    pid = harness.start()
    source = ROOT / "sysdesign" / "server" / "__init__.py"
    before = source.stat()
    try:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
        assert harness.ask_status()["current"] is False
        run = harness.run("check", "qortex")
        assert run.returncode == 0 and run.stdout == expected_check()
    finally:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    wait_for(lambda: not alive(pid), "the stale server to exit")
    assert not harness.status()["running"]


def test_dead_socket_file_is_removed(harness: ServerHarness) -> None:
    pid = harness.start()
    sock = socket_file(harness)
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: not alive(pid), "the server to die")
    assert sock.exists()
    run = harness.run("check", "qortex")
    assert run.returncode == 0 and run.stdout == expected_check() and not run.stderr
    assert not sock.exists()


def test_an_open_runtime_folder_is_refused(harness: ServerHarness) -> None:
    harness.runtime.mkdir(mode=0o700)
    harness.runtime.chmod(0o755)
    start = harness.run("server", "start")
    assert start.returncode == 1 and b"open to group or others" in start.stdout
    harness.runtime.chmod(0o700)
    harness.start()
    harness.runtime.chmod(0o755)
    run = harness.run("check", "qortex")
    assert run.returncode == 0 and run.stdout == expected_check()
    harness.runtime.chmod(0o700)
    assert harness.requests() == 0


def test_switched_off(harness: ServerHarness) -> None:
    harness.start()
    run = harness.run("check", "qortex", SYSDESIGN_SERVER="off")
    assert run.returncode == 0 and harness.requests() == 0
    assert runtime.SWITCH_ENV == "SYSDESIGN_SERVER"


def waiting_in_open(pid: int) -> bool:
    """True once `pid` waits in open() for a FIFO writer."""
    try:
        wchan = Path(f"/proc/{pid}/wchan").read_text()
        call = Path(f"/proc/{pid}/syscall").read_text().split()[0]
    except OSError:
        return False
    return wchan in ("wait_for_partner", "fifo_open") or call in ("257", "56")  # openat


def blocked_command(harness: ServerHarness, fifo: Path, **env: str):  # type: ignore[no-untyped-def]
    """`check` of a FIFO nobody writes: it waits in open() until a signal comes. Returns the
    client and the process that waits (the served child, or the client itself when off)."""
    os.mkfifo(fifo)
    client = harness.popen("check", str(fifo), **env)
    if env.get("SYSDESIGN_SERVER") == "off":
        child = client.pid
    else:
        child = wait_for(lambda: harness.ask_status().get("children"), "the served child")[0]
        harness.pids.add(child)
    wait_for(lambda: waiting_in_open(child), "the command to wait for its design")
    return client, child


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_client_reaches_the_command(
    harness: ServerHarness, tmp_path: Path, signum: int
) -> None:
    alone, _ = blocked_command(harness, tmp_path / "alone.yaml", SYSDESIGN_SERVER="off")
    alone.send_signal(signum)
    _, alone_err = alone.communicate(timeout=60)
    harness.start()
    client, child = blocked_command(harness, tmp_path / "served.yaml")
    client.send_signal(signum)
    _, err = client.communicate(timeout=60)
    wait_for(lambda: not alive(child), "the served command to end")
    # as the in-process command ended: killed by SIGTERM (a shell loop stops on a death by a
    # signal), exit 130 after Ctrl-C (sysdesign's own signal policy)
    assert client.returncode == alone.returncode
    assert alone.returncode == (-signal.SIGTERM if signum == signal.SIGTERM else 130)
    assert err.replace(b"served.yaml", b"alone.yaml") == alone_err
    assert harness.ask_status()["children"] == []


def state(pid: int) -> str:
    """The process state letter (R, S, T, Z...) of `pid`."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][:1]
    except OSError:
        return ""


def test_ctrl_z_stops_the_command_and_fg_continues_it(
    harness: ServerHarness, tmp_path: Path
) -> None:
    harness.start()
    client, child = blocked_command(harness, tmp_path / "design.yaml")
    client.send_signal(signal.SIGTSTP)
    wait_for(lambda: state(client.pid) == "T" and state(child) == "T", "both to stop")
    client.send_signal(signal.SIGCONT)
    wait_for(
        lambda: state(client.pid) in ("R", "S") and state(child) in ("R", "S"), "both to continue"
    )
    assert waiting_in_open(child)
    client.send_signal(signal.SIGTERM)
    client.communicate(timeout=60)
    assert client.returncode == -signal.SIGTERM


def test_a_killed_client_takes_its_command_along(harness: ServerHarness, tmp_path: Path) -> None:
    harness.start()
    client, child = blocked_command(harness, tmp_path / "design.yaml")
    client.kill()
    client.communicate(timeout=60)
    wait_for(lambda: not alive(child), "the served command of a killed client to end")
    assert client.returncode == -signal.SIGKILL


def test_the_server_dying_mid_command_is_said_in_one_line(
    harness: ServerHarness, tmp_path: Path
) -> None:
    pid = harness.start()
    client, child = blocked_command(harness, tmp_path / "design.yaml")
    os.kill(pid, signal.SIGKILL)
    out, err = client.communicate(timeout=60)
    assert client.returncode == 1 and err.decode() == VANISHED + "\n" and out == b""
    wait_for(lambda: not alive(child), "the orphaned command to end")


def test_an_idle_server_exits_by_itself(harness: ServerHarness) -> None:
    pid = harness.start("--idle-minutes", "0.005")
    sock = socket_file(harness)
    wait_for(lambda: not alive(pid), "the idle server to exit")
    assert not sock.exists()
    assert harness.run("check", "qortex").returncode == 0


def test_sigterm_stops_the_server(harness: ServerHarness) -> None:
    pid = harness.start()
    sock = socket_file(harness)
    os.kill(pid, signal.SIGTERM)
    wait_for(lambda: not alive(pid), "the server to exit on SIGTERM")
    assert not sock.exists()


def test_the_daemon_keeps_no_fd_of_whoever_started_it(harness: ServerHarness) -> None:
    """A pipe the starter had open must not stay open for the daemon's life (its reader would
    never see the end: make, CI wrappers, `$(sysdesign server start)`)."""
    read_end, write_end = os.pipe()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "sysdesign", "server", "start"],
            env=harness.env,
            pass_fds=[write_end],
            capture_output=True,
            check=False,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        harness.pids.add(harness.ask_status()["pid"])
        os.close(write_end)
        write_end = -1
        os.set_blocking(read_end, False)

        def at_end() -> bool:
            try:
                return os.read(read_end, 1) == b""
            except BlockingIOError:
                return False

        wait_for(at_end, "the pipe's end (no process holds its write end)")
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


def test_a_client_that_hung_up_is_not_started() -> None:
    import socket as sockets

    from sysdesign.server.daemon import _client_gone

    here, there = sockets.socketpair(sockets.AF_UNIX, sockets.SOCK_SEQPACKET)
    with here:
        here.settimeout(2.0)
        assert _client_gone(here) is None
        assert here.gettimeout() == 2.0
        there.close()
        assert _client_gone(here) == "client gone"


def test_the_fingerprint_is_code_only() -> None:
    from sysdesign.server.fingerprint import fingerprint

    paths = [path for path, _, _ in fingerprint()]
    assert any(p.endswith(os.path.join("sysdesign", "server", "daemon.py")) for p in paths)
    assert not [p for p in paths if os.sep + "designs" + os.sep in p or "__pycache__" in p]


def test_a_child_that_cannot_take_the_clients_place_runs_nothing(
    harness: ServerHarness, tmp_path: Path
) -> None:
    """become() failing (here: an environment variable name the OS refuses) is answered
    "refused" before anything runs, so the client's in-process run is the only one."""
    import socket as sockets

    from sysdesign.server import protocol
    from sysdesign.server.runtime import installation_key

    harness.start()
    workspace = tmp_path / "ws"
    request = {
        "op": "run",
        "version": protocol.VERSION,
        "key": installation_key(),
        "argv": ["sysdesign", "new", "x", "--from", "qortex"],
        "orig_argv": [sys.executable, "-m", "sysdesign"],
        "main_package": "sysdesign",
        "path": sys.path,
        "cwd": str(tmp_path),
        "env": {**harness.env, "SYSDESIGN_WORKSPACE": str(workspace), "BAD=NAME": "1"},
        "umask": 0o022,
        "stdio": [["utf-8", "strict", False, False]] * 3,
        **protocol.interpreter_settings(),
    }
    read_end, write_end = os.pipe()
    sock = sockets.socket(sockets.AF_UNIX, protocol.KIND)
    try:
        sock.settimeout(60)
        sock.connect(str(socket_file(harness)))
        protocol.send(sock, request, [read_end, write_end, write_end])
        answer, _ = protocol.receive(sock)
    finally:
        sock.close()
        os.close(read_end)
        os.close(write_end)
    assert answer is not None and answer["answer"] == "refused"
    assert not workspace.exists()
    assert harness.ask_status()["children"] == [] and harness.requests() == 0
