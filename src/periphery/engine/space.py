"""A torus grid space: cells, neighbourhood offsets and random placement.

The grid itself is just arrays (a cell -> occupant index map and per-cell codes); this module
holds the geometry that models share: neighbourhood shapes as offset lists and wrapping.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def von_neumann_offsets(radius: int) -> np.ndarray:
    """Offsets ``(dx, dy)`` with ``1 <= |dx| + |dy| <= radius`` (centre excluded).

    This is the shape Mesa's ``OrthogonalVonNeumannGrid.get_neighborhood(radius)`` returns and
    Epstein (2002) calls vision: ``radius`` cells north, south, east and west, and the diamond
    between them. Shape ``(2 * radius * (radius + 1), 2)``, ordered by row then column.
    """
    if radius < 1:
        raise ValueError(f"radius must be >= 1; got {radius}")
    out = [
        (dx, dy)
        for dx in range(-radius, radius + 1)
        for dy in range(-radius, radius + 1)
        if 0 < abs(dx) + abs(dy) <= radius
    ]
    return np.array(out, dtype=np.int64)


def moore_offsets(radius: int) -> np.ndarray:
    """Offsets with ``max(|dx|, |dy|) <= radius`` (centre excluded)."""
    if radius < 1:
        raise ValueError(f"radius must be >= 1; got {radius}")
    out = [
        (dx, dy)
        for dx in range(-radius, radius + 1)
        for dy in range(-radius, radius + 1)
        if (dx, dy) != (0, 0)
    ]
    return np.array(out, dtype=np.int64)


def disk_offsets(radius: float) -> np.ndarray:
    """Offsets within Euclidean distance ``radius`` (NetLogo's ``in-radius``), centre excluded."""
    r = int(np.floor(radius))
    out = [
        (dx, dy)
        for dx in range(-r, r + 1)
        for dy in range(-r, r + 1)
        if (dx, dy) != (0, 0) and dx * dx + dy * dy <= radius * radius
    ]
    return np.array(out, dtype=np.int64)


@dataclass(frozen=True)
class TorusGrid:
    """A ``width`` x ``height`` grid whose edges wrap; cell ``(x, y)`` has index ``x * height + y``."""

    width: int
    height: int

    def __post_init__(self) -> None:
        if self.width < 1 or self.height < 1:
            raise ValueError(f"grid must be at least 1x1; got {self.width}x{self.height}")

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return self.width * self.height

    def index(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Cell indices of coordinates, wrapping around the edges."""
        return (np.asarray(x) % self.width) * self.height + (np.asarray(y) % self.height)

    def coords(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Coordinates ``(x, y)`` of cell indices."""
        idx = np.asarray(idx)
        return idx // self.height, idx % self.height

    def check_offsets(self, offsets: np.ndarray) -> None:
        """Refuse neighbourhoods that wrap onto themselves (a cell would be counted twice)."""
        span_x = int(np.abs(offsets[:, 0]).max()) * 2 + 1
        span_y = int(np.abs(offsets[:, 1]).max()) * 2 + 1
        if span_x > self.width or span_y > self.height:
            raise ValueError(
                f"neighbourhood spans {span_x}x{span_y} cells but the grid is only "
                f"{self.width}x{self.height}; reduce the radius or enlarge the grid"
            )

    def fill_by_category(self, rng: np.random.Generator, cum_weights: list[float]) -> np.ndarray:
        """Draw a category per cell independently: category ``k`` with ``cum_weights[k]`` cumulative share.

        Returns an int8 array of length ``n_cells`` with values in ``0..len(cum_weights)``;
        the last value ``len(cum_weights)`` means the cell stays empty.
        """
        u = rng.random(self.n_cells)
        return np.searchsorted(np.asarray(cum_weights), u, side="right").astype(np.int8)
