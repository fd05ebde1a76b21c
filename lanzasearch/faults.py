"""Crash points for the crash-safety tests.

``LANZASEARCH_CRASH_AT=<point>[:<n>]`` makes the process kill itself with
SIGKILL the n-th time (default 1st) it reaches ``checkpoint(<point>)``, so a
test can stop an ingest inside each phase (parse, embed, write, commit,
rename) and check that the archive recovers. Unset, a checkpoint costs one
comparison.
"""

from __future__ import annotations

import os
import signal

POINTS = ("parse", "embed", "write", "commit", "rename")


def _parse(spec: str | None) -> tuple[str | None, int]:
    if not spec:
        return None, 0
    point, _, count = spec.partition(":")
    if point not in POINTS:
        raise ValueError(f"LANZASEARCH_CRASH_AT={spec!r}: the point must be one of {', '.join(POINTS)}")
    return point, int(count or 1)


_point, _remaining = _parse(os.environ.get("LANZASEARCH_CRASH_AT"))


def checkpoint(point: str) -> None:
    """Die here, without any clean-up, when the crash test asked for this point."""
    global _remaining
    if point != _point:
        return
    _remaining -= 1
    if _remaining <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
