"""Safe access to files of the run store: nothing outside the store's folder is ever read or served.

Every path the dashboard reads or offers for download goes through ``inside``, which accepts
only relative paths that stay under the store's root after resolving ``..`` and symbolic
links. Run ids are checked by the store (hexadecimal digits only) before they name a file.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """A path that would leave the run store (absolute, with ``..``, or a link pointing out)."""


def inside(root: str | os.PathLike[str], rel: str | os.PathLike[str]) -> Path:
    """The path ``root / rel``, provided it stays inside ``root``.

    Parameters
    ----------
    root : path
        The run store's folder.
    rel : path
        A path relative to ``root``, with ``/`` as separator.

    Raises
    ------
    UnsafePath
        When ``rel`` is absolute, contains ``..``, a NUL byte or a backslash, or resolves
        (through symbolic links) to somewhere outside ``root``.
    """
    text = os.fspath(rel)
    if not text or "\x00" in text or "\\" in text:
        raise UnsafePath(f"{text!r}: not a plain relative path inside the run store")
    pure = PurePosixPath(text)
    if pure.is_absolute() or ".." in pure.parts or text.startswith("~"):
        raise UnsafePath(f"{text!r}: paths must stay inside the run store ({root})")
    base = Path(root).resolve()
    target = (base / pure).resolve()
    if target != base and base not in target.parents:
        raise UnsafePath(f"{text!r}: leads outside the run store ({root})")
    return target


def read_bytes(root: str | os.PathLike[str], rel: str) -> bytes:
    """The bytes of a file inside the run store (see ``inside``)."""
    path = inside(root, rel)
    if not path.is_file():
        raise UnsafePath(f"{rel!r}: no such file in the run store")
    return path.read_bytes()
