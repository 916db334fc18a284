"""The messages between client and server: one JSON object per SOCK_SEQPACKET packet.

A command: the client sends `{"op": "run", ...}` with its fds 0, 1 and 2 attached (SCM_RIGHTS);
the server answers `{"answer": "started", "pid": N}` at once, then `{"answer": "exit", "code": C}`
or `{"answer": "signal", "signal": N}` when the child ends. Meanwhile the client may send
`{"op": "signal", "signal": N}` to forward a signal. Any other answer ("stale", "refused") means:
run in-process. `{"op": "status"}` and `{"op": "stop"}` drive the server. Both ends check that the
peer runs as the same user (SO_PEERCRED).
"""

from __future__ import annotations

import json
import os
import socket
import struct
import sys
from typing import Any

VERSION = 1
MAX_PACKET = 1 << 20
KIND = socket.SOCK_SEQPACKET

# Read from the environment when modules are imported (the interpreter's own settings, locale,
# networkx's backends, Typer's Rich switches, Matplotlib's config): a server imported them under its
# own environment, so a client whose values differ runs in-process instead.
IMPORT_TIME_ENV_PREFIXES = ("PYTHON", "LC_", "NETWORKX_", "TYPER_", "_TYPER_", "MPL")
IMPORT_TIME_ENV_NAMES = frozenset(
    {"LANG", "LANGUAGE", "HOME", "TERMINAL_WIDTH", "GITHUB_ACTIONS", "FORCE_COLOR", "PY_COLORS"}
    | {"XDG_CONFIG_HOME", "XDG_CACHE_HOME"}
)


class ProtocolError(Exception):
    """The peer sent something this end does not understand."""


def import_time_env(env: dict[str, str]) -> dict[str, str]:
    """The part of `env` that modules read when they are imported."""
    return {
        k: v
        for k, v in env.items()
        if k in IMPORT_TIME_ENV_NAMES or k.startswith(IMPORT_TIME_ENV_PREFIXES)
    }


def interpreter_settings() -> dict[str, Any]:
    """What a running interpreter fixed at start-up and cannot change later."""
    return {
        "flags": list(sys.flags),
        "warnoptions": list(sys.warnoptions),
        "xoptions": {k: str(v) for k, v in sys._xoptions.items()},
    }


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    """Send one message (with `fds` attached when given)."""
    data = json.dumps(message, ensure_ascii=False).encode("utf-8", "surrogateescape")
    if len(data) > MAX_PACKET:
        raise ProtocolError("message too large")
    sent = socket.send_fds(sock, [data], fds) if fds else sock.send(data)
    if sent != len(data):
        raise ProtocolError("message cut short")


def receive(sock: socket.socket, max_fds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
    """One message and the fds that came with it; (None, []) at end of stream."""
    data, fds, flags, _ = socket.recv_fds(sock, MAX_PACKET, max_fds)
    if flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
        for fd in fds:
            os.close(fd)
        raise ProtocolError("message truncated")
    if not data:
        for fd in fds:
            os.close(fd)
        return None, []
    try:
        message = json.loads(data.decode("utf-8", "surrogateescape"))
    except ValueError as exc:
        for fd in fds:
            os.close(fd)
        raise ProtocolError("not JSON") from exc
    if not isinstance(message, dict):
        for fd in fds:
            os.close(fd)
        raise ProtocolError("not an object")
    return message, fds


def peer_credentials(sock: socket.socket) -> tuple[int, int, int]:
    """(pid, uid, gid) of the process at the other end of a Unix socket."""
    raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, gid = struct.unpack("3i", raw)
    return pid, uid, gid


def credentials_allowed(credentials: tuple[int, int, int], own_uid: int) -> bool:
    """Only a process of the same user may talk to us (pid 0 means the kernel did not say)."""
    pid, uid, _gid = credentials
    return pid > 0 and uid == own_uid


def same_world(pid: int, gid: int) -> bool:
    """True when process `pid` (with group `gid`) sees what this one sees: the same group and
    supplementary groups, mount namespace and root folder (a container, chroot or `sg` shell at
    the other end is refused: its files and rights may differ)."""
    if gid != os.getgid():
        return False
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            line = next((row for row in status if row.startswith("Groups:")), "Groups:")
        groups = {int(g) for g in line.split()[1:]}
        for link in ("ns/mnt", "root"):
            if os.readlink(f"/proc/{pid}/{link}") != os.readlink(f"/proc/self/{link}"):
                return False
    except (OSError, ValueError):
        return False
    return groups == set(os.getgroups())


def same_user(sock: socket.socket) -> bool:
    """True when the peer of `sock` runs as this process's user, in the same world."""
    try:
        credentials = peer_credentials(sock)
        return credentials_allowed(credentials, os.getuid()) and same_world(
            credentials[0], credentials[2]
        )
    except OSError:
        return False
