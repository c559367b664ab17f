"""Networks in compressed sparse row (CSR) form, and a kernel that sums over neighbours.

A node's neighbours are ``indices[indptr[i]:indptr[i + 1]]``. CSR keeps millions of ties in two
flat arrays, which Numba kernels and NumPy reductions read without Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np


@dataclass(frozen=True)
class CSRNetwork:
    """An undirected or directed network over ``n`` nodes in CSR form."""

    n: int
    indptr: np.ndarray  # int64, shape (n + 1,)
    indices: np.ndarray  # int32, shape (n_edges,)

    def __post_init__(self) -> None:
        if self.indptr.shape != (self.n + 1,):
            raise ValueError(f"indptr must have n + 1 = {self.n + 1} entries; got {self.indptr.shape}")
        if self.indptr[0] != 0 or self.indptr[-1] != self.indices.size:
            raise ValueError("indptr must start at 0 and end at the number of ties")
        if self.indices.size and (self.indices.min() < 0 or self.indices.max() >= self.n):
            raise ValueError(f"tie endpoints must be in [0, {self.n - 1}]")

    @classmethod
    def from_edges(cls, n: int, src: np.ndarray, dst: np.ndarray, symmetric: bool = True) -> CSRNetwork:
        """Build from edge lists; with ``symmetric`` each edge is a tie both ways. Duplicates and self-loops are dropped."""
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
        if symmetric:
            src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
        keep = src != dst
        # Sorted unique keys (by source, then target). An in-place sort plus a neighbour mask
        # gives what np.unique gives, several times faster at millions of ties.
        key = src[keep] * np.int64(n) + dst[keep]
        key.sort()
        key = key[np.concatenate(([True], key[1:] != key[:-1]))] if key.size else key
        s, d = key // n, key % n
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(s, minlength=n), out=indptr[1:])
        return cls(n, indptr, d.astype(np.int32))

    @classmethod
    def erdos_renyi(cls, n: int, mean_degree: float, rng: np.random.Generator) -> CSRNetwork:
        """G(n, m) random graph with about ``n * mean_degree / 2`` undirected ties."""
        m = int(round(n * mean_degree / 2))
        return cls.from_edges(n, rng.integers(0, n, m), rng.integers(0, n, m))

    @classmethod
    def ring_lattice(cls, n: int, k: int) -> CSRNetwork:
        """Each node tied to its ``k`` nearest neighbours on each side of a ring."""
        i = np.repeat(np.arange(n), k)
        j = (i + np.tile(np.arange(1, k + 1), n)) % n
        return cls.from_edges(n, i, j)

    @classmethod
    def watts_strogatz(cls, n: int, k: int, p: float, rng: np.random.Generator) -> CSRNetwork:
        """Ring lattice with ``k`` ties per side, each rewired to a random target with probability ``p``."""
        i = np.repeat(np.arange(n), k)
        j = (i + np.tile(np.arange(1, k + 1), n)) % n
        rewire = rng.random(j.size) < p
        j = np.where(rewire, rng.integers(0, n, j.size), j)
        return cls.from_edges(n, i, j)

    @property
    def degree(self) -> np.ndarray:
        """Number of ties per node."""
        return np.diff(self.indptr)

    def neighbors(self, i: int) -> np.ndarray:
        """Neighbours of node ``i``."""
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def neighbor_sum(self, values: np.ndarray) -> np.ndarray:
        """For each node, the sum of ``values`` over its neighbours."""
        return _neighbor_sum(self.indptr, self.indices, np.ascontiguousarray(values, dtype=np.float64))


@numba.njit(cache=True, parallel=False)
def _neighbor_sum(indptr: np.ndarray, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
    n = indptr.size - 1
    out = np.zeros(n, dtype=np.float64)
    for i in range(n):
        acc = 0.0
        for k in range(indptr[i], indptr[i + 1]):
            acc += values[indices[k]]
        out[i] = acc
    return out
