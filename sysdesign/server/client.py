"""The launcher's side: run this command in a child of the server, or say it cannot (None).

Imported by `sysdesign.launcher` only for a served command, before anything heavy: stdlib only.
Everything that can go wrong before the child starts (no runtime folder, no socket, nobody
listening, another user at the other end, a stale or mismatched server) answers None, and the
command runs in-process as it always did. Once the child runs, the client forwards SIGINT, SIGTERM,
SIGHUP and SIGQUIT to it through the server (Ctrl-Z stops it too, and `fg` continues it) and exits
with its status (128 + N when signal N ended
it). If the server vanishes meanwhile, it says so in one line and exits 1: the command may have
written files, so it is not run again.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from typing import Any

from sysdesign.server import protocol, runtime

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
VANISHED = "sysdesign: the server stopped during the command; run it again"
FIRST_ANSWER_TIMEOUT_S = 10.0


def _real_stdio() -> bool:
    """True when sys.stdin/stdout/stderr are the process's own fds 0, 1, 2 (not redirected)."""
    streams = (sys.stdin, sys.stdout, sys.stderr)
    if any(s is None for s in streams) or streams != (
        sys.__stdin__,
        sys.__stdout__,
        sys.__stderr__,
    ):
        return False
    try:
        return [s.fileno() for s in streams] == [0, 1, 2] and all(
            os.fstat(fd) is not None for fd in (0, 1, 2)
        )
    except (OSError, ValueError, AttributeError):
        return False


def _stream_setup(stream: Any) -> list[Any]:
    """How the interpreter set up one std stream (the child rebuilds it the same way)."""
    return [stream.encoding, stream.errors, stream.line_buffering, stream.write_through]


def build_request() -> dict[str, Any]:
    """Everything the child needs to be this process."""
    umask = os.umask(0o022)
    os.umask(umask)
    main = sys.modules.get("__main__")
    return {
        "op": "run",
        "version": protocol.VERSION,
        "key": runtime.installation_key(),
        "argv": sys.argv,
        "orig_argv": getattr(sys, "orig_argv", sys.argv),
        "main_package": getattr(main, "__package__", None),
        "path": sys.path,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": umask,
        "stdio": [_stream_setup(s) for s in (sys.stdin, sys.stdout, sys.stderr)],
        **protocol.interpreter_settings(),
    }


def connect(folder: str) -> socket.socket | None:
    """A connection to this installation's server in `folder` (None: there is none; a socket file
    nobody listens on is removed when no server holds the lock)."""
    path = runtime.socket_path(folder)
    if not os.path.exists(path):
        return None
    sock = socket.socket(socket.AF_UNIX, protocol.KIND)
    sock.settimeout(FIRST_ANSWER_TIMEOUT_S)  # a stalled server with a full backlog: give up
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        _remove_dead_socket(folder, path)
        return None
    if not protocol.same_user(sock):
        sock.close()
        return None
    return sock


def _remove_dead_socket(folder: str, path: str) -> None:
    """Remove the socket file of a server that died, unless a (starting) server holds the lock."""
    import fcntl

    try:
        fd = os.open(runtime.lock_path(folder), os.O_RDONLY)
    except FileNotFoundError:
        fd = -1
    except OSError:
        return
    try:
        if fd >= 0:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.unlink(path)
    except OSError:
        pass
    finally:
        if fd >= 0:
            os.close(fd)


def ask(folder: str, message: dict[str, Any]) -> dict[str, Any] | None:
    """Send `message` (status, stop) to the server in `folder`; its answer, or None."""
    sock = connect(folder)
    if sock is None:
        return None
    try:
        sock.settimeout(FIRST_ANSWER_TIMEOUT_S)
        protocol.send(
            sock, {"version": protocol.VERSION, "key": runtime.installation_key(), **message}
        )
        answer, _ = protocol.receive(sock)
        return answer
    except (OSError, protocol.ProtocolError):
        return None
    finally:
        sock.close()


def run_served() -> int | None:
    """Run the command of `sys.argv` in a child of the server: its exit status, or None when the
    server cannot run it (then the caller runs it in-process)."""
    if os.environ.get(runtime.SWITCH_ENV) == "off" or not sys.platform.startswith("linux"):
        return None
    folder = runtime.runtime_dir()
    if folder is None or not _real_stdio():
        return None
    try:
        request = build_request()
    except OSError:  # e.g. the current folder was removed
        return None
    sock = connect(folder)
    if sock is None:
        return None
    with sock:
        return _run(sock, request)


def _run(sock: socket.socket, request: dict[str, Any]) -> int | None:
    """Send the request, commit with "go" once the child is ready, wait for its end. Signals
    that come before the child is ready are queued and forwarded then."""
    pending: list[int] = []
    started = False

    def forward(signum: int, _frame: object) -> None:
        if not started:
            pending.append(signum)
            return
        with contextlib.suppress(OSError, protocol.ProtocolError):
            protocol.send(sock, {"op": "signal", "signal": signum})

    def suspend(_signum: int, _frame: object) -> None:
        """Ctrl-Z: stop the command (SIGSTOP: its process group has no terminal to obey
        SIGTSTP), stop here; on `fg`, continue it."""
        forward(signal.SIGSTOP, None)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # returns when continued
        signal.signal(signal.SIGTSTP, suspend)
        forward(signal.SIGCONT, None)

    previous = {signum: signal.getsignal(signum) for signum in (*FORWARDED, signal.SIGTSTP)}
    for signum in FORWARDED:
        signal.signal(signum, forward)
    signal.signal(signal.SIGTSTP, suspend)
    try:
        try:
            protocol.send(sock, request, [0, 1, 2])
            answer, _ = protocol.receive(sock)
        except (OSError, protocol.ProtocolError):
            answer = None
        if answer is None or answer.get("answer") != "started":
            return _not_served(pending)
        sock.settimeout(None)
        # "go" and `started` together, with the signals held at the kernel meanwhile: a Ctrl-Z
        # taken after "go" but before `started` was queued here while this process stopped, and
        # the running command was never stopped
        held = signal.pthread_sigmask(signal.SIG_BLOCK, (*FORWARDED, signal.SIGTSTP))
        try:  # from here on the command runs (or the server says it died)
            protocol.send(sock, {"op": "go"})
            started = True
            for signum in pending:  # before those held meanwhile, in the order they came
                forward(signum, None)
        except (OSError, protocol.ProtocolError):
            return _vanished()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return _wait(sock)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _not_served(pending: list[int]) -> None:
    """Nothing started: signals that came meanwhile act on this process as they would have."""
    for signum in pending:
        signal.signal(
            signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL
        )
        signal.raise_signal(signum)
    return None


def _vanished() -> int:
    sys.stderr.write(VANISHED + "\n")
    sys.stderr.flush()
    return 1


def _wait(sock: socket.socket) -> int:
    """The command's end: its exit status, or death by the same signal that ended it."""
    while True:
        try:
            answer, _ = protocol.receive(sock)
        except (OSError, protocol.ProtocolError):
            answer = None
        if answer is None:
            return _vanished()
        if answer.get("answer") == "exit":
            return int(answer["code"])
        if answer.get("answer") == "signal":
            return _die_by(int(answer["signal"]))


def _die_by(signum: int) -> int:
    """End as the command ended, killed by `signum` (a shell loop stops on death by SIGINT, not
    on exit 130); 128 + signum if that signal does not end this process."""
    sys.stderr.flush()
    with contextlib.suppress(OSError, ValueError):
        signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signum})
        os.kill(os.getpid(), signum)
    return 128 + signum
