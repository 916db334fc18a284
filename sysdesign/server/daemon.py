"""The server's event loop: accept, fork a child per command, report its end; no threads.

One selector watches the listening socket, each running command's client connection (forwarded
signals; end of stream means the client died, so its child is killed) and each child's pidfd (its
exit status goes to its client). SIGTERM, a `stop` request, a stale fingerprint or N idle minutes
end the loop: the socket is removed at once, running commands finish, then the process exits.
"""

from __future__ import annotations

import contextlib
import gc
import os
import selectors
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sysdesign.server import protocol, runtime
from sysdesign.server.fingerprint import Fingerprint, fingerprint


@dataclass
class Job:
    """One running command: its child and its client's connection."""

    pid: int
    pidfd: int
    conn: socket.socket
    go_w: int = -1  # written once the client said "go" (then closed, -1)


@dataclass
class Server:
    """The state of a live server."""

    folder: str
    idle_s: float
    log: Callable[[str], None]
    keep_open: list[int] = field(default_factory=list)  # fds a child must close (lock, log)
    started: float = field(default_factory=time.time)
    requests: int = 0
    stopping: str = ""
    code: Fingerprint = ()
    listener: socket.socket | None = None
    jobs: dict[int, Job] = field(default_factory=dict)  # by pidfd
    last_active: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        self.key = runtime.installation_key()
        self.env = protocol.import_time_env(dict(os.environ))
        self.settings = protocol.interpreter_settings()
        self.wake_r, self.wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)

    # -- life cycle --------------------------------------------------------------------------
    def bind(self) -> None:
        """Listen on this installation's socket (replacing a dead one) and take a fingerprint."""
        path = runtime.socket_path(self.folder)
        if len(os.fsencode(path)) > runtime.MAX_SOCKET_PATH:
            raise OSError(f"socket path too long ({len(path)} bytes): {path}")
        if os.path.exists(path):
            os.unlink(path)
        listener = socket.socket(socket.AF_UNIX, protocol.KIND)
        listener.bind(path)
        os.chmod(path, 0o600)
        listener.listen(64)
        listener.setblocking(False)
        self.listener = listener
        self.selector.register(listener, selectors.EVENT_READ, "accept")
        self.selector.register(self.wake_r, selectors.EVENT_READ, "wake")
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        self.code = fingerprint()

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.stopping = self.stopping or f"signal {signum}"

    def stop(self, why: str) -> None:
        """Stop taking commands: remove the socket now; the loop ends when the running ones end."""
        if self.listener is None:
            return
        self.stopping = self.stopping or why
        self.log(f"stopping: {self.stopping}")
        self.selector.unregister(self.listener)
        self.listener.close()
        self.listener = None
        with contextlib.suppress(OSError):
            os.unlink(runtime.socket_path(self.folder))

    def serve(self) -> None:
        """Run until stopped (and the running commands have ended)."""
        while True:
            if self.stopping and self.listener is not None:
                self.stop(self.stopping)
            if self.listener is None and not self.jobs:
                return
            timeout = None
            if not self.jobs and self.listener is not None:
                timeout = max(0.0, self.last_active + self.idle_s - time.monotonic())
            events = self.selector.select(timeout)
            if not events and not self.jobs and self.listener is not None:
                if time.monotonic() >= self.last_active + self.idle_s:
                    self.stop(f"idle for {self.idle_s / 60:g} minutes")
                continue
            for key, _ in events:
                self._dispatch(key.data, key.fileobj)

    def _dispatch(self, what: Any, fileobj: Any) -> None:
        if what == "accept":
            self._accept()
        elif what == "wake":
            try:
                while os.read(self.wake_r, 512):
                    pass
            except BlockingIOError:
                pass
        elif isinstance(what, Job):
            if fileobj is what.conn:
                self._from_client(what)
            else:
                self._reap(what)

    # -- requests ----------------------------------------------------------------------------
    def _accept(self) -> None:
        while self.listener is not None:
            try:
                conn, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                self.log(f"accept: {exc}")
                return
            try:
                self._handle(conn)
            except Exception as exc:
                self.log(f"request failed: {type(exc).__name__}: {exc}")
                conn.close()

    def _handle(self, conn: socket.socket) -> None:
        if not protocol.same_user(conn):
            self.log("refused a connection from another user")
            conn.close()
            return
        conn.settimeout(2.0)
        try:
            request, fds = protocol.receive(conn, max_fds=3)
        except (OSError, protocol.ProtocolError) as exc:
            self.log(f"bad request: {exc}")
            conn.close()
            return
        if request is None:
            conn.close()
            return
        op = request.get("op")
        if op == "stop":  # from any version of the client: the way to replace this server
            self._answer_and_close(conn, fds, {"answer": "stopping", "pid": os.getpid()})
            self.stop("stop requested")
            return
        if request.get("version") != protocol.VERSION or request.get("key") != self.key:
            self._answer_and_close(conn, fds, {"answer": "refused", "why": "another version"})
            return
        if op == "status":
            self._answer_and_close(conn, fds, self.status())
        elif op == "run":
            self._run(conn, request, fds)
        else:
            self._answer_and_close(conn, fds, {"answer": "refused", "why": f"unknown op {op!r}"})

    def _answer_and_close(
        self, conn: socket.socket, fds: list[int], answer: dict[str, Any]
    ) -> None:
        for fd in fds:
            os.close(fd)
        with contextlib.suppress(OSError, protocol.ProtocolError):
            protocol.send(conn, answer)
        conn.close()

    def status(self) -> dict[str, Any]:
        return {
            "answer": "status",
            "pid": os.getpid(),
            "uptime_s": round(time.time() - self.started, 3),
            "requests": self.requests,
            "current": fingerprint() == self.code,
            "socket": runtime.socket_path(self.folder),
            "idle_minutes": self.idle_s / 60,
            "children": sorted(job.pid for job in self.jobs.values()),
        }

    def mismatch(self, request: dict[str, Any], fds: list[int]) -> str | None:
        """Why this server cannot be the client's process (None: it can)."""
        if len(fds) != 3:
            return "stdin, stdout and stderr not received"
        for name in ("flags", "warnoptions", "xoptions"):
            if request.get(name) != self.settings[name]:
                return f"interpreter {name} differ"
        env = request.get("env")
        if not isinstance(env, dict) or protocol.import_time_env(env) != self.env:
            return "environment read at import time differs"
        stdio = request.get("stdio")
        if not (isinstance(stdio, list) and len(stdio) == 3 and all(len(s) == 4 for s in stdio)):
            return "no stdio setup"
        if not os.path.isdir(str(request.get("cwd"))):
            return "current folder not found"
        return None

    def _run(self, conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
        try:
            if fingerprint() != self.code:
                self._answer_and_close(conn, [], {"answer": "stale"})
                self.stop("code changed")
                return
            why = self.mismatch(request, fds) or _client_gone(conn)
            if why:
                self.log(f"refused: {why}")
                self._answer_and_close(conn, [], {"answer": "refused", "why": why})
                return
            job = self._fork(conn, request, fds)
        finally:  # the client's stdio never stays open here (a `$(...)` would wait for it)
            for fd in fds:
                os.close(fd)
        if job is None:
            self._answer_and_close(conn, [], {"answer": "refused", "why": "could not start"})
            return
        self.requests += 1
        self.last_active = time.monotonic()
        self.jobs[job.pidfd] = job
        self.selector.register(job.pidfd, selectors.EVENT_READ, job)
        self.selector.register(conn, selectors.EVENT_READ, job)
        try:
            protocol.send(conn, {"answer": "started", "pid": job.pid})
        except (OSError, protocol.ProtocolError):
            self._signal(job, signal.SIGKILL)  # never released: it ran nothing

    def _fork(self, conn: socket.socket, request: dict[str, Any], fds: list[int]) -> Job | None:
        """Fork a child that takes on the client's state, then waits to be released (`go`):
        None, with the child killed and reaped, if anything fails before it is ready."""
        ready_r, ready_w = os.pipe()
        go_r, go_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError as exc:
            for fd in (ready_r, ready_w, go_r, go_w):
                os.close(fd)
            self.log(f"fork failed: {exc}")
            return None
        if pid == 0:
            from sysdesign.server import child

            close: list[Any] = [self.selector, self.listener, self.wake_r, self.wake_w, conn]
            close += [job.conn for job in self.jobs.values()] + list(self.jobs) + self.keep_open
            close += [job.go_w for job in self.jobs.values() if job.go_w >= 0]
            close += [ready_r, go_w]
            child.start(request, fds, parent, [c for c in close if c is not None], ready_w, go_r)
        os.close(ready_w)
        os.close(go_r)
        pidfd = -1
        try:
            pidfd = os.pidfd_open(pid)
            ready = os.read(ready_r, 1)
        except OSError as exc:
            self.log(f"could not follow the child: {exc}")
            ready = b""
        finally:
            os.close(ready_r)
        if ready != b"1":  # become() failed: nothing ran; the client runs it in-process
            os.close(go_w)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            if pidfd >= 0:
                os.close(pidfd)
            return None
        conn.settimeout(None)
        conn.setblocking(False)
        return Job(pid, pidfd, conn, go_w)

    def _from_client(self, job: Job) -> None:
        try:
            message, fds = protocol.receive(job.conn)
        except BlockingIOError:
            return
        except (OSError, protocol.ProtocolError):
            message, fds = None, []
        for fd in fds:
            os.close(fd)
        if message is None:  # the client died: so does its command, as in-process it would
            self.selector.unregister(job.conn)
            self._signal(job, signal.SIGKILL)
            self._release(job, b"")
            return
        if message.get("op") == "go":
            self._release(job, b"g")
        elif message.get("op") == "signal" and isinstance(message.get("signal"), int):
            self._signal(job, message["signal"])

    def _release(self, job: Job, word: bytes) -> None:
        """Let the child run the command (b"g"), or make it exit having run nothing (b"")."""
        if job.go_w < 0:
            return
        with contextlib.suppress(OSError):
            if word:
                os.write(job.go_w, word)
        os.close(job.go_w)
        job.go_w = -1

    def _signal(self, job: Job, signum: int) -> None:
        """Signal the command's whole process group (pool workers, `dot`), as a terminal would;
        its leader is unreaped until we reap it, so the group id cannot be reused meanwhile."""
        try:
            os.killpg(job.pid, signum)
        except OSError:
            with contextlib.suppress(OSError, ValueError):
                signal.pidfd_send_signal(job.pidfd, signum)

    def _reap(self, job: Job) -> None:
        _, status = os.waitpid(job.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        answer = (
            {"answer": "exit", "code": code} if code >= 0 else {"answer": "signal", "signal": -code}
        )
        self.selector.unregister(job.pidfd)
        os.close(job.pidfd)
        self._release(job, b"")
        del self.jobs[job.pidfd]
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(job.conn)
        try:
            job.conn.setblocking(True)
            job.conn.settimeout(2.0)
            protocol.send(job.conn, answer)
        except (OSError, protocol.ProtocolError):
            pass
        job.conn.close()
        self.last_active = time.monotonic()


def _client_gone(conn: socket.socket) -> str | None:
    """Why not to start: the client hung up (it gave up waiting and runs the command itself)."""
    timeout = conn.gettimeout()
    conn.setblocking(False)
    try:
        data = conn.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return None
    except OSError:
        return "client gone"
    finally:
        conn.settimeout(timeout)
    return "client gone" if data == b"" else None


def freeze() -> None:
    """Move everything imported so far out of the collector's sight (shared by every child)."""
    gc.collect()
    gc.freeze()
