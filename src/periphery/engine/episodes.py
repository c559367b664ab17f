"""Episodes of a time series: maximal runs of consecutive steps above a level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Episodes:
    """Maximal runs where a series exceeds a level.

    Attributes
    ----------
    start, end : ndarray of int
        First step of each episode and the step just after it (``end`` is exclusive).
    total : ndarray of float
        Sum of the series over each episode.
    peak : ndarray of float
        Largest value within each episode.
    """

    start: np.ndarray
    end: np.ndarray
    total: np.ndarray
    peak: np.ndarray

    def __len__(self) -> int:
        return int(self.start.size)

    @property
    def duration(self) -> np.ndarray:
        """Length of each episode in steps."""
        return self.end - self.start

    @property
    def waiting(self) -> np.ndarray:
        """Steps from the start of one episode to the start of the next (length ``len - 1``)."""
        return np.diff(self.start)


def episodes(series: np.ndarray, level: float) -> Episodes:
    """Find the maximal runs of ``series > level`` (strictly above)."""
    x = np.asarray(series, dtype=np.float64)
    above = np.concatenate([[False], x > level, [False]])
    edges = np.flatnonzero(above[1:] != above[:-1])
    start, end = edges[0::2], edges[1::2]
    csum = np.concatenate([[0.0], np.cumsum(x)])
    total = csum[end] - csum[start]
    peak = np.array([x[s:e].max() for s, e in zip(start, end)], dtype=np.float64)
    return Episodes(start, end, total, peak)
