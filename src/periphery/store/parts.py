"""Parquet parts: the per-step series of one or more runs in one file, with a recorded digest.

A sweep's worker writes one part per chunk of runs it was given, so no file is shared between
writers and a sweep of ten thousand runs makes a few hundred files, not ten thousand. A part
is written atomically (``atomic.write_bytes``) and its size and SHA-256 go into the catalog's
``parts`` table; a part that is missing, truncated or altered afterwards is reported with its
path instead of being read.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from periphery.store import atomic

PARTS = "parts"


@dataclass(frozen=True)
class PartInfo:
    """What the catalog records about one part.

    Attributes
    ----------
    path : str
        Path relative to the output folder, with ``/`` separators.
    sha256 : str
        Digest of the file's bytes.
    bytes : int
        File size.
    rows : int
        Number of rows (steps summed over the part's runs).
    runs : int
        Number of runs whose series the part holds.
    mtime_ns : int
        Modification time right after writing; a later change of it triggers a full hash check.
    """

    path: str
    sha256: str
    bytes: int
    rows: int
    runs: int
    mtime_ns: int


def parquet_bytes(table: pa.Table) -> bytes:
    """Serialize ``table`` with fixed settings, so equal tables give equal bytes."""
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", use_dictionary=False, write_statistics=True)
    return buf.getvalue()


def write_part(root: Path, rel: str, table: pa.Table) -> PartInfo:
    """Write ``table`` (which must hold a ``run_id`` column) to ``root / rel`` atomically."""
    data = parquet_bytes(table)
    atomic.write_bytes(data, root / rel)
    runs = len(set(table.column("run_id").to_pylist())) if table.num_rows else 0
    mtime = (root / rel).stat().st_mtime_ns
    return PartInfo(rel, hashlib.sha256(data).hexdigest(), len(data), table.num_rows, runs, mtime)


def verify(
    root: Path, rel: str, size: int, sha256: str | None = None, mtime_ns: int | None = None
) -> str | None:
    """The problem with a recorded part, or None.

    Checks that the file exists, has its recorded size and a readable Parquet footer. The whole
    file is hashed and compared with ``sha256`` when ``mtime_ns`` is not given (``runs check``)
    or differs from the file's (it was written again or altered since it was recorded).
    """
    path = root / rel
    try:
        st = path.stat()
    except OSError:
        return f"{path}: part is missing"
    if st.st_size != size:
        return f"{path}: part is truncated or altered ({st.st_size} bytes, catalog says {size})"
    try:
        pq.ParquetFile(path).metadata  # noqa: B018 - reading the footer is the check
    except (OSError, pa.ArrowException) as exc:
        return f"{path}: part is corrupt ({exc})"
    if sha256 is not None and (mtime_ns is None or st.st_mtime_ns != mtime_ns):
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest() != sha256:
            return f"{path}: part content differs from its recorded SHA-256 (corrupt or altered)"
    return None
