"""`server start`, `stop` and `status`: start the daemon, ask it to stop, ask how it is.

`start` double-forks a daemon (its own session, stdio on a log file in the runtime folder) that
takes this installation's lock, imports everything, listens, freezes the collector and only then
tells the starting process it is ready, through a pipe. One server per installation: the lock
(flock, held for the daemon's life) makes a second `start` say "already running".
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import sys
import time
from dataclasses import dataclass
from typing import Any

from sysdesign.server import client, runtime

READY_TIMEOUT_S = 120.0
LOG_LIMIT = 1 << 20  # a log past 1 MB starts afresh when a server starts
STOP_TIMEOUT_S = 10.0
UNAVAILABLE = (
    "the server is not available on this platform (it needs Linux: pidfds, fd passing); "
    "commands run in-process as usual"
)


@dataclass
class Outcome:
    """What a server action did: exit status and the one line to print."""

    code: int
    message: str


def lock_holder(folder: str) -> int | None:
    """The pid of the live server of this installation in `folder` (None: there is none)."""
    try:
        fd = os.open(runtime.lock_path(folder), os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else -1
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _folder_or_reason(create: bool) -> tuple[str | None, str]:
    folder = runtime.runtime_dir(create=create)
    if folder is None:
        path = runtime.runtime_dir_path()
        return None, runtime.insecure_reason(path) or f"{path}: cannot be created"
    return folder, ""


def start(idle_minutes: float) -> Outcome:
    """Start this installation's server (or say that one runs)."""
    if not runtime.available():
        return Outcome(1, UNAVAILABLE)
    folder, why = _folder_or_reason(create=True)
    if folder is None:
        return Outcome(1, f"cannot start the server: {why}")
    sock = runtime.socket_path(folder)
    if len(os.fsencode(sock)) > runtime.MAX_SOCKET_PATH:
        return Outcome(1, f"cannot start the server: the socket path is too long: {sock}")
    lock_fd = os.open(runtime.lock_path(folder), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock_fd)
        pid = lock_holder(folder)
        return Outcome(0, f"a server is already running (pid {pid}, socket {sock})")
    ready_r, ready_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    first = os.fork()
    if first == 0:
        os.close(ready_r)
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        _daemon(folder, idle_minutes * 60.0, lock_fd, ready_w)
    os.close(ready_w)
    os.close(lock_fd)
    os.waitpid(first, 0)
    reply = _read_ready(ready_r)
    if reply.startswith("ready "):
        pid = reply.split()[1]
        return Outcome(
            0, f"server started (pid {pid}, socket {sock}); stop it with `sysdesign server stop`"
        )
    return Outcome(
        1, f"the server did not start: {reply or 'no answer'} (log: {runtime.log_path(folder)})"
    )


def _read_ready(fd: int) -> str:
    deadline = time.monotonic() + READY_TIMEOUT_S
    data = b""
    try:
        while b"\n" not in data:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    return data.decode("utf-8", "replace").strip()


def _daemon(folder: str, idle_s: float, lock_fd: int, ready_w: int) -> None:
    """The daemon's life (in the grandchild); never returns."""
    from sysdesign.server import daemon, preload

    def log(message: str) -> None:
        sys.stderr.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} [{os.getpid()}] {message}\n")
        sys.stderr.flush()

    try:
        os.chdir("/")
        null = os.open(os.devnull, os.O_RDWR)
        log_file = runtime.log_path(folder)
        big = os.path.exists(log_file) and os.path.getsize(log_file) > LOG_LIMIT
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if big else 0)
        out = os.open(log_file, flags, 0o600)
        for target, fd in ((0, null), (1, out), (2, out)):
            os.dup2(fd, target)
        os.close(null)
        os.close(out)
        _close_strays(keep={lock_fd, ready_w})
        _check_pidfds()
        os.ftruncate(lock_fd, 0)
        os.pwrite(lock_fd, f"{os.getpid()}\n".encode(), 0)
        started = time.perf_counter()
        count = preload.preload(log)
        server = daemon.Server(folder, idle_s, log, keep_open=[lock_fd])
        server.bind()
        daemon.freeze()
        log(f"ready: {count} modules imported in {time.perf_counter() - started:.2f} s")
        os.write(ready_w, f"ready {os.getpid()}\n".encode())
        os.close(ready_w)
    except BaseException as exc:
        try:
            os.write(ready_w, f"error {type(exc).__name__}: {exc}\n".encode())
        finally:
            os._exit(1)
    code = 0
    try:
        server.serve()
    except BaseException as exc:
        log(f"crashed: {type(exc).__name__}: {exc}")
        code = 1
    finally:
        server.stop(server.stopping or "exiting")
    log("stopped")
    os._exit(code)


def _close_strays(keep: set[int]) -> None:
    """Close every fd the starter left open (a pipe held for the daemon's life would keep its
    reader from ever seeing the end: make, CI wrappers, `$(...)`)."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _check_pidfds() -> None:
    """Refuse to start where pidfds do not work (old kernels, seccomp, WSL1): raises OSError."""
    import signal

    fd = os.pidfd_open(os.getpid())
    try:
        signal.pidfd_send_signal(fd, 0)
    finally:
        os.close(fd)


def stop() -> Outcome:
    """Stop this installation's server (commands it is running finish first)."""
    folder = runtime.runtime_dir()
    if folder is None or not runtime.available():
        return Outcome(0, "no server is running")
    answer = client.ask(folder, {"op": "stop"})
    pid = lock_holder(folder)
    if answer is None and pid is None:
        return Outcome(0, "no server is running")
    if answer is None and pid and pid > 0:
        import signal

        os.kill(pid, signal.SIGTERM)
    pid = pid or (answer or {}).get("pid")
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while lock_holder(folder) is not None:
        if time.monotonic() > deadline:
            return Outcome(1, f"the server (pid {pid}) is still finishing running commands")
        time.sleep(0.02)
    return Outcome(0, f"server stopped (pid {pid})")


def status() -> dict[str, Any]:
    """How this installation's server is: running or not, pid, uptime, requests, code current."""
    path = runtime.runtime_dir_path()
    found: dict[str, Any] = {"running": False, "socket": runtime.socket_path(path)}
    if not runtime.available():
        found["available"] = False
        return found
    folder = runtime.runtime_dir()
    if folder is None:
        if os.path.lexists(path):
            found["problem"] = runtime.insecure_reason(path)
        return found
    answer = client.ask(folder, {"op": "status"})
    if answer is None or answer.get("answer") != "status":
        return found
    del answer["answer"]
    return {"running": True, **answer}


def status_line(found: dict[str, Any]) -> str:
    """`status` in one line."""
    if not found["running"]:
        extra = f" ({found['problem']})" if found.get("problem") else ""
        return f"no server is running{extra} (socket: {found['socket']})"
    code = "code current" if found["current"] else "code changed since it started (stale)"
    return (
        f"server running: pid {found['pid']}, up {found['uptime_s']:.0f} s, "
        f"{found['requests']} commands served, {code} (socket: {found['socket']})"
    )
