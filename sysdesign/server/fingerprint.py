"""Has the code the server imported changed since? (path, size, mtime) of every file it may use.

The fingerprint covers the package (sources and the data its modules read, `__pycache__` and the
bundled drills left out), the interpreter, and the site-packages folders (an install or upgrade
there changes their mtime).
The server takes it at start and compares before each command: a pull, an edit or a reinstall
makes it stale, and it then answers "stale" and exits.
"""

from __future__ import annotations

import os
import site
import sys

from sysdesign.server.runtime import package_dir

# Not the drills, rubrics and schema it bundles: the server caches no data (every command reads
# them afresh), and a served `fmt` of a drill would make the server stale by itself.
SKIPPED = {"__pycache__", ".mypy_cache", ".pytest_cache", "bundled"}

Fingerprint = tuple[tuple[str, int, int], ...]


def code_folders() -> list[str]:
    """The package folder (its code and the data its modules read)."""
    return [package_dir()]


def _walk(folder: str, into: list[tuple[str, int, int]]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        into.append((folder, -1, -1))
        return
    for entry in entries:
        if entry.name in SKIPPED:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(entry.path, into)
                continue
            info = entry.stat()
        except OSError:
            continue
        if not entry.name.endswith(".pyc"):
            into.append((entry.path, info.st_size, info.st_mtime_ns))


def _stat(path: str) -> tuple[str, int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return (path, -1, -1)
    return (path, info.st_size, info.st_mtime_ns)


def fingerprint() -> Fingerprint:
    """The current state of every file the server's code comes from."""
    from sysdesign import __version__

    found: list[tuple[str, int, int]] = [(f"version {__version__} {sys.version}", 0, 0)]
    for folder in code_folders():
        _walk(folder, found)
    found.append(_stat(sys.executable))
    for folder in [*site.getsitepackages(), site.getusersitepackages()]:
        found.append(_stat(folder))
    return tuple(sorted(found))
