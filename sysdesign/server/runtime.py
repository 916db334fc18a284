"""Where the server's socket, lock and log live, and which installation they belong to.

The client imports this module on every served command, so it imports only cheap stdlib modules.
The runtime folder is `$SYSDESIGN_RUNTIME_DIR`, else `$XDG_RUNTIME_DIR/sysdesign`, else
`~/.cache/sysdesign/run`; it must be a folder owned by the user and closed to group and others
(created 0700). File names carry a short hash of this installation (package folder, interpreter,
Python version), so two checkouts or virtualenvs never share a server; the handshake compares the
full key as well.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib

RUNTIME_ENV = "SYSDESIGN_RUNTIME_DIR"
SWITCH_ENV = "SYSDESIGN_SERVER"  # "off": never use a server
MAX_SOCKET_PATH = 100  # sockaddr_un holds 108 bytes


def available() -> bool:
    """True where the server can work: Linux with pidfds and fd passing."""
    import socket

    return (
        sys.platform.startswith("linux")
        and hasattr(os, "pidfd_open")
        and hasattr(socket, "send_fds")
        and hasattr(socket, "SO_PEERCRED")
    )


def package_dir() -> str:
    """The folder of the `sysdesign` package this process runs."""
    import sysdesign

    return os.path.dirname(os.path.abspath(sysdesign.__file__))


def installation_key() -> str:
    """What makes two processes the same installation: package folder, interpreter, version."""
    return "\0".join((package_dir(), sys.executable, sys.version))


def runtime_dir_path() -> str:
    """The runtime folder named by the environment (not checked, not created)."""
    own = os.environ.get(RUNTIME_ENV)
    if own:
        return os.path.abspath(own)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "sysdesign")
    return os.path.join(os.path.expanduser("~"), ".cache", "sysdesign", "run")


def insecure_reason(path: str) -> str | None:
    """Why `path` may not hold the socket (None when it is a private folder of this user)."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"{path}: {exc.strerror}"
    if not stat.S_ISDIR(info.st_mode):
        return f"{path} is not a folder"
    if info.st_uid != os.getuid():
        return f"{path} belongs to another user"
    if info.st_mode & 0o077:
        return f"{path} is open to group or others (mode {stat.S_IMODE(info.st_mode):o}; want 700)"
    return None


def runtime_dir(create: bool = False) -> str | None:
    """The runtime folder when it is safe to use (created 0700 when `create`), else None."""
    path = runtime_dir_path()
    if create and not os.path.exists(path):
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except OSError:
            return None
    return None if insecure_reason(path) else path


def base_name() -> str:
    """`server-<hash>`: this installation's file names in the runtime folder."""
    digest = zlib.crc32(installation_key().encode("utf-8", "surrogateescape"))
    return f"server-{digest:08x}"


def socket_path(folder: str) -> str:
    return os.path.join(folder, base_name() + ".sock")


def live_socket() -> str | None:
    """This installation's socket when one may be used: not switched off, Linux, a safe runtime
    folder, the socket file there. A `stat` or two: no server costs a served command nothing."""
    if os.environ.get(SWITCH_ENV) == "off" or not sys.platform.startswith("linux"):
        return None
    folder = runtime_dir()
    if folder is None:
        return None
    path = socket_path(folder)
    return path if os.path.exists(path) else None


def lock_path(folder: str) -> str:
    """Held (flock) by the live server for its whole life; holds its pid."""
    return os.path.join(folder, base_name() + ".lock")


def log_path(folder: str) -> str:
    return os.path.join(folder, base_name() + ".log")
