"""Atomic file writes: write a temporary file beside the target, flush it to disk, rename it.

``os.replace`` is atomic on POSIX file systems, so a reader sees either the old file, the new
one, or none, never a half-written one. Temporary files carry the ``.tmp`` suffix and the
writer's pid, so a crash leaves only files that are recognisably not results.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

TMP_SUFFIX = ".tmp"


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # make the rename itself durable
    finally:
        os.close(dir_fd)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` atomically, with settings fixed so equal tables give equal bytes."""
    _atomic(path, lambda p: pq.write_table(table, p, compression="zstd", use_dictionary=False,
                                           write_statistics=True))  # fmt: skip


def write_bytes(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` atomically."""
    _atomic(path, lambda p: p.write_bytes(data))


def write_json(obj: Any, path: Path) -> None:
    """Write ``obj`` as indented JSON to ``path`` atomically."""
    text = json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n"
    _atomic(path, lambda p: p.write_text(text))
