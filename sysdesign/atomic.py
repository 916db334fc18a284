"""Safe file writes: every file sysdesign writes goes through here.

Guarantees:
- A reader never sees a half-written file: data goes to a temporary file beside the target,
  is fsynced, then renamed over it (`write_bytes_atomic`).
- A link is never followed for writing: renaming over a symbolic link replaces the link itself
  (its target is untouched), and `write_new` / `backup` create their file with `os.link`, which
  fails on anything already at the name, a dangling link included. Nothing is ever written
  outside the folder the caller named.
- Nothing is overwritten by accident: `write_new` refuses an existing name; `backup` picks the
  first free `x.bak`, `x.bak.2`, ...; `write_group_atomic` replaces several files all or none
  (a failure while preparing any of them leaves every target as it was).
- New files follow the user's umask (mkstemp alone would make them 0600).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _staged(path: Path, data: bytes) -> Path:
    """A fsynced temporary file beside `path` holding `data` (the caller renames or links it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:200]}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; follow the user's umask
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Replace `path` with `data` in one rename (a link at `path` is replaced, not followed)."""
    path = Path(path)
    tmp = _staged(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path | str, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_new(path: Path | str, data: bytes) -> None:
    """Create `path` holding `data`, complete or not at all; FileExistsError if anything is
    already there (a file, a folder, a link, even a dangling one). Never follows a link."""
    path = Path(path)
    tmp = _staged(path, data)
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:  # a file system without hard links: exclusive create instead
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        _create_exclusive(path, data)
    finally:
        tmp.unlink(missing_ok=True)


def _create_exclusive(path: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def free_name(path: Path) -> Path:
    """`path` if nothing (not even a dangling link) is there, else `stem.2.suffix`, `.3`, ..."""
    candidate, number = path, 2
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{path.stem}.{number}{path.suffix}")
        number += 1
    return candidate


def write_numbered(path: Path | str, data: bytes) -> Path:
    """Create `path`, or `stem.2.suffix`, `.3`, ... if taken: never replaces anything; returns
    the path written."""
    path = Path(path)
    while True:
        candidate = free_name(path)
        try:
            write_new(candidate, data)
        except FileExistsError:  # taken between the check and the link: try the next name
            continue
        return candidate


def backup(path: Path | str) -> Path:
    """Copy `path` to `path.bak`, else `path.bak.2`, `.3`, ...: an earlier backup is never
    overwritten and a link at a backup name (dangling or not) is never followed."""
    path = Path(path)
    data = path.read_bytes()
    number = 1
    while True:
        kept = path.with_name(path.name + (".bak" if number == 1 else f".bak.{number}"))
        number += 1
        if os.path.lexists(kept):
            continue
        try:
            write_new(kept, data)
        except FileExistsError:
            continue
        with contextlib.suppress(OSError):
            shutil.copystat(path, kept, follow_symlinks=False)
        return kept


def write_group_atomic(files: Mapping[Path, bytes]) -> None:
    """Replace several files all or none: every file is staged beside its target first; only
    when all are staged are they renamed into place (a staging failure changes nothing)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_staged(Path(path), data), Path(path)))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
