"""What a child forked by the server does: become the client's command, run it, exit.

It takes the client's stdin, stdout and stderr (fds 0, 1, 2, with text streams set up as the
client's interpreter set them up: encoding, errors, line buffering), current folder, environment,
argv, module path, umask and the interpreter's default signal handling, in a process group of its
own; it dies with the server (PR_SET_PDEATHSIG). It then runs `sysdesign.launcher.main` and ends
as the interpreter would end: SystemExit's code, 1 after a traceback, killed by SIGINT after an
uncaught KeyboardInterrupt, 120 when stdout cannot be flushed.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import signal
import sys
import time
from typing import Any, NoReturn

_STDIO_NAMES = ("<stdin>", "<stdout>", "<stderr>")
PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to send SIGTERM when the server dies; exit now if it already has."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _stream(fd: int, setup: list[Any]) -> io.TextIOWrapper:
    """The text stream a fresh interpreter makes for std fd `fd`."""
    encoding, errors, line_buffering, write_through = setup
    mode = "r" if fd == 0 else "w"
    buffering = -1 if fd == 0 or not write_through else 0
    buffer = open(fd, mode + "b", buffering, closefd=False)  # noqa: SIM115 - lives on as sys.stdX
    raw = getattr(buffer, "raw", buffer)
    raw.name = _STDIO_NAMES[fd]
    stream = io.TextIOWrapper(
        buffer,  # type: ignore[arg-type]
        encoding=encoding,
        errors=errors,
        newline="\n",
        line_buffering=bool(line_buffering),
        write_through=bool(write_through),
    )
    stream.mode = mode  # type: ignore[misc]
    return stream


def _default_signals() -> None:
    """The handlers a fresh interpreter starts with."""
    signal.set_wakeup_fd(-1)
    for signum in signal.valid_signals():
        if signum in (signal.SIGKILL, signal.SIGSTOP):
            continue
        with contextlib.suppress(OSError, ValueError):
            signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for name in ("SIGPIPE", "SIGXFSZ"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def become(request: dict[str, Any], fds: list[int]) -> None:
    """Take on the client's process state (after the server's own fds are closed)."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target, inheritable=True)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    os.setpgid(0, 0)
    _default_signals()
    os.umask(int(request["umask"]))
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()  # a fresh process reads TZ when it starts
    sys.argv = list(request["argv"])
    sys.orig_argv = list(request["orig_argv"])
    sys.path[:] = list(request["path"])
    main = sys.modules["__main__"]
    main.__package__ = request["main_package"]
    streams = [_stream(fd, setup) for fd, setup in enumerate(request["stdio"])]
    sys.stdin, sys.stdout, sys.stderr = streams
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams  # type: ignore[misc]
    sys.excepthook = sys.__excepthook__


def _exit_code(exc: SystemExit) -> int:
    """The status the interpreter exits with for an uncaught SystemExit."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    with contextlib.suppress(Exception):
        sys.stderr.write(f"{code}\n")
    return 1


def run_command() -> NoReturn:
    """Run the CLI in this process and end it as the interpreter would."""
    interrupted = False
    try:
        from sysdesign.launcher import main

        main(via_server=False)
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc)
    except KeyboardInterrupt:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
        code, interrupted = 1, True
    except BaseException:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
        code = 1
    code = _finish(code)
    if interrupted:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(code)


def _finish(code: int) -> int:
    """Atexit handlers, waiting for threads, flushing stdout and stderr, as at interpreter exit."""
    threading = sys.modules.get("threading")
    if threading is not None:
        with contextlib.suppress(Exception):
            threading._shutdown()  # type: ignore[attr-defined]
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except Exception:
            if stream is sys.stdout:
                code = 120
    return code


def start(
    request: dict[str, Any],
    fds: list[int],
    parent: int,
    close: list[Any],
    ready_w: int,
    go_r: int,
) -> NoReturn:
    """The child's whole life: drop the server's fds, become the client's process, say so on
    `ready_w`, wait for the go on `go_r` (the client has committed to waiting for us), then close
    every other fd and run the command. Anything failing before the go runs nothing."""
    try:
        signal.set_wakeup_fd(-1)
        for item in close:
            with contextlib.suppress(OSError):
                item.close() if hasattr(item, "close") else os.close(item)
        _die_with_parent(parent)
        become(request, fds)
        os.write(ready_w, b"1")
        os.close(ready_w)
        go = os.read(go_r, 1)
        if go != b"g":
            os._exit(0)
        os.closerange(3, _max_fd())
    except BaseException:
        os._exit(70)
    run_command()


def _max_fd() -> int:
    try:
        return max(os.sysconf("SC_OPEN_MAX"), 256)
    except (OSError, ValueError):
        return 65536
