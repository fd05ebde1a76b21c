"""Atomic file writes: readers see the old file or the new one, never a partial one."""

from __future__ import annotations

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .faults import checkpoint

TEMP_SUFFIX = ".tmp"


@contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """Yield a temporary path beside ``path``; on success fsync it and rename it over ``path``.

    The temporary file stays locked (flock) while it is being written, so a
    recovering process can tell a live writer's file from a dead one's: the
    kernel drops the lock when its holder dies, even by SIGKILL.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        checkpoint("rename")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)


def file_generation(name: str, pattern: str) -> int | None:
    """The generation in a file name made from ``pattern`` ("x-g{generation}.bin"), or None if not one of those."""
    prefix, suffix = pattern.split("{generation}")
    number = name[len(prefix) : len(name) - len(suffix)] if name.startswith(prefix) and name.endswith(suffix) else ""
    return int(number) if number.isascii() and number.isdigit() else None


def generation_files(folder: Path, pattern: str) -> list[tuple[int, Path]]:
    """(generation, path) of the files in ``folder`` named from ``pattern``, oldest first."""
    prefix, suffix = pattern.split("{generation}")
    found = [(file_generation(path.name, pattern), path) for path in Path(folder).glob(f"{prefix}*{suffix}")]
    return sorted((number, path) for number, path in found if number is not None)


def atomic_write_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


def remove_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files an interrupted writer left behind; return what was removed.

    A file still locked belongs to a live writer and is left alone.
    """
    removed = []
    for leftover in Path(folder).rglob(f".*{TEMP_SUFFIX}"):
        try:
            fd = os.open(leftover, os.O_RDONLY)
        except FileNotFoundError:  # its writer just renamed it into place
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue
        else:
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
        finally:
            os.close(fd)
    return removed


@contextmanager
def file_lock(path: Path, *, blocking: bool = True) -> Iterator[bool]:
    """An exclusive advisory lock on ``path`` (created if needed), across processes.

    Yields whether the lock is held: always True when ``blocking``; with
    ``blocking=False`` False means another writer holds it right now.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
