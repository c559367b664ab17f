"""Grid snapshots of a run, kept beside it in the store as a compressed ``.npz``.

The store keeps per-step aggregates only; a grid (the civil violence model's cell codes) is
kept when the dashboard runs a model, so the run can be animated and stepped through when it
is reopened. The file lives at ``OUT/snapshots/<run id>.npz`` with two arrays:

``steps``
    int64, shape ``(n,)``: the step of each snapshot (step 0 is the initial state).
``codes``
    int8, shape ``(n, width, height)``: the cell codes at those steps.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from periphery.store import RunStore

SNAPSHOTS = "snapshots"
#: Memory allowed for the snapshots of one run; longer runs keep every k-th step.
BUDGET_BYTES = 200 * 2**20


def snapshots_path(store: RunStore, rid: str) -> Path:
    """Where the snapshots of run ``rid`` are kept."""
    return store.root / SNAPSHOTS / f"{rid}.npz"


def stride_for(steps: int, cells: int, budget: int = BUDGET_BYTES) -> int:
    """Keep every ``stride``-th step so that ``steps + 1`` snapshots of ``cells`` bytes fit ``budget``."""
    need = (steps + 1) * max(cells, 1)
    return max(1, -(-need // budget))


def save_snapshots(store: RunStore, rid: str, steps: np.ndarray, codes: np.ndarray) -> Path:
    """Write snapshots of run ``rid`` (compressed, via a temporary file and a rename)."""
    path = snapshots_path(store, rid)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
    np.savez_compressed(tmp, steps=np.asarray(steps, np.int64), codes=np.asarray(codes, np.int8))
    os.replace(tmp, path)
    return path


def load_snapshots(store: RunStore, rid: str) -> tuple[np.ndarray, np.ndarray] | None:
    """``(steps, codes)`` of run ``rid``, or ``None`` when none were kept or the file is unreadable."""
    path = snapshots_path(store, rid)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            return data["steps"], data["codes"]
    except (OSError, ValueError, KeyError):
        return None
