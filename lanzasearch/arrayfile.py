"""NumPy arrays in one file, written atomically and read back as memory maps.

Layout: 8 bytes of header length (little-endian), a JSON header (the caller's
own entries plus each array's dtype, shape and offset), then each array's raw
bytes at a 64-byte boundary. Reading maps the arrays instead of loading them,
so opening a large index costs a header read and the pages a query touches.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Callable

import numpy as np

from .fsutil import atomic_path

MAGIC = "lanzasearch-arrays/1"
_ALIGN = 64


class ArrayFileError(ValueError):
    """The file is not an array file of this format, or it is cut short."""


def save_arrays(path: Path, header: dict, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` and ``header`` to ``path`` atomically (readers see the old file or the new one)."""
    arrays = {name: np.ascontiguousarray(array) for name, array in arrays.items()}

    def copy(maps: dict[str, np.ndarray]) -> None:
        for name, array in arrays.items():
            maps[name][...] = array

    write_arrays(path, header, {name: (a.dtype, a.shape) for name, a in arrays.items()}, copy)


def write_arrays(path: Path, header: dict, specs: dict[str, tuple[np.dtype, tuple[int, ...]]],
                 fill: Callable[[dict[str, np.ndarray]], None]) -> None:
    """Write arrays of these (dtype, shape) atomically, filled in place by ``fill`` through writable maps.

    What is larger than memory is written as it is read: nothing but the file holds it.
    """
    layout, offset = {}, 0
    for name, (dtype, shape) in specs.items():
        dtype, shape = np.dtype(dtype), tuple(int(n) for n in shape)
        offset = -(-offset // _ALIGN) * _ALIGN
        layout[name] = {"dtype": dtype.str, "shape": list(shape), "offset": offset}
        offset += dtype.itemsize * int(np.prod(shape))
    head = json.dumps({"format": MAGIC, "header": header, "arrays": layout, "size": offset}).encode()
    start = -(-(8 + len(head)) // _ALIGN) * _ALIGN
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as out:
            out.write(struct.pack("<Q", len(head)) + head)
            out.truncate(start + offset)
        maps = {}
        for name, spec in layout.items():
            dtype, shape = np.dtype(spec["dtype"]), tuple(spec["shape"])
            empty = int(np.prod(shape)) == 0
            maps[name] = np.zeros(shape, dtype) if empty else \
                np.memmap(tmp, dtype=dtype, mode="r+", offset=start + spec["offset"], shape=shape)
        fill(maps)
        for array in maps.values():
            if isinstance(array, np.memmap):
                array.flush()
        del maps


def load_arrays(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """(header, arrays) of a file written by ``save_arrays``; the arrays are read-only memory maps."""
    path = Path(path)
    with open(path, "rb") as handle:
        raw = handle.read(8)
        if len(raw) < 8:
            raise ArrayFileError(f"{path.name}: cut short")
        (length,) = struct.unpack("<Q", raw)
        if length > 1 << 26:
            raise ArrayFileError(f"{path.name}: not an array file")
        try:
            meta = json.loads(handle.read(length))
        except ValueError as exc:
            raise ArrayFileError(f"{path.name}: unreadable header ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != MAGIC:
        raise ArrayFileError(f"{path.name}: not an array file")
    start = -(-(8 + length) // _ALIGN) * _ALIGN
    if path.stat().st_size < start + meta["size"]:
        raise ArrayFileError(f"{path.name}: cut short")
    arrays = {}
    for name, spec in meta["arrays"].items():
        dtype, shape = np.dtype(spec["dtype"]), tuple(spec["shape"])
        if int(np.prod(shape)) == 0:
            arrays[name] = np.zeros(shape, dtype)
        else:
            # A plain array over the map: numpy's memmap subclass costs microseconds on every slice.
            arrays[name] = np.asarray(np.memmap(path, dtype=dtype, mode="r", offset=start + spec["offset"], shape=shape))
    return meta["header"], arrays
