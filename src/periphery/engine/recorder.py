"""A recorder of per-step aggregates, kept as growing columns and handed out as an Arrow table."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa


class Recorder:
    """Collects one row of named scalar aggregates per step.

    The columns are fixed by the first row; every later row must carry the same names. Storage
    grows by doubling, so recording costs a few array writes per step, not a Python dict per row.
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._cap = max(int(capacity), 1)
        self._n = 0
        self._cols: dict[str, np.ndarray] = {}
        self._steps = np.zeros(self._cap, dtype=np.int64)

    def __len__(self) -> int:
        return self._n

    def record(self, step: int, row: Mapping[str, float | int]) -> None:
        """Append the aggregates of one step."""
        if not self._cols:
            for k, v in row.items():
                dtype = np.int64 if isinstance(v, (int, np.integer)) else np.float64
                self._cols[k] = np.zeros(self._cap, dtype=dtype)
        elif row.keys() != self._cols.keys():
            raise ValueError(
                f"step {step} recorded columns {sorted(row)}, expected {sorted(self._cols)}"
            )
        if self._n == self._cap:
            self._grow()
        self._steps[self._n] = step
        for k, v in row.items():
            self._cols[k][self._n] = v
        self._n += 1

    def _grow(self) -> None:
        self._cap *= 2
        self._steps = np.resize(self._steps, self._cap)
        for k in self._cols:
            self._cols[k] = np.resize(self._cols[k], self._cap)

    def column(self, name: str) -> np.ndarray:
        """One recorded column (a view of the filled part)."""
        if name == "step":
            return self._steps[: self._n]
        return self._cols[name][: self._n]

    @property
    def names(self) -> list[str]:
        """Recorded aggregate names (without ``step``)."""
        return list(self._cols)

    def to_arrow(self) -> pa.Table:
        """The recorded rows as an Arrow table with a leading ``step`` column."""
        data = {"step": self._steps[: self._n].copy()}
        data.update({k: v[: self._n].copy() for k, v in self._cols.items()})
        return pa.table(data)
