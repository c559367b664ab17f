"""Summary outcomes of a run: one number per run from one recorded column.

An experiment file lists its outcomes; each names a column of the run's per-step series, a
statistic, and where needed a level or a step. The first ``skip`` steps (a burn-in) are left
out of every statistic; ``peak_step`` and ``first_above`` still report steps of the full run.

Statistics
----------
``final``        value at the last step
``mean``         mean over steps
``max``, ``min`` largest and smallest value
``sum``          sum over steps
``std``          standard deviation over steps (population, ``ddof = 0``)
``peak_step``    step of the first maximum
``time_above``   number of steps with value > ``level``
``share_above``  share of steps with value > ``level``
``first_above``  first step with value > ``level`` (missing if never)
``episodes``     number of maximal runs of consecutive steps with value > ``level``
``at``           value at step ``step`` (missing if the run is shorter)

A missing value is stored as JSON ``null`` (SQL ``NULL``), never as a made-up number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from periphery.engine.episodes import episodes

STATS = ("final", "mean", "max", "min", "sum", "std", "peak_step", "time_above", "share_above",
         "first_above", "episodes", "at")  # fmt: skip
NEEDS_LEVEL = ("time_above", "share_above", "first_above", "episodes")


def summarize(
    values: np.ndarray,
    steps: np.ndarray,
    stat: str,
    level: float | None = None,
    step: int | None = None,
    skip: int = 0,
) -> float | None:
    """One statistic of one series.

    Parameters
    ----------
    values, steps : ndarray
        The series and its step numbers, same length.
    stat : str
        One of ``STATS``.
    level : float, optional
        Threshold of the ``*_above`` statistics and ``episodes``.
    step : int, optional
        The step of ``at``.
    skip : int
        Leading steps left out.
    """
    if stat == "at":
        hit = np.flatnonzero(steps == step)
        return float(values[hit[0]]) if hit.size else None
    x = np.asarray(values, dtype=np.float64)[skip:]
    t = np.asarray(steps)[skip:]
    if x.size == 0:
        return None
    if stat == "final":
        return float(x[-1])
    if stat in ("mean", "max", "min", "sum", "std"):
        return float(getattr(np, stat)(x))
    if stat == "peak_step":
        return float(t[int(np.argmax(x))])
    above = x > level
    if stat == "time_above":
        return float(above.sum())
    if stat == "share_above":
        return float(above.mean())
    if stat == "first_above":
        return float(t[int(np.argmax(above))]) if above.any() else None
    if stat == "episodes":
        return float(len(episodes(x, level)))
    raise ValueError(f"stat {stat!r}: unknown; allowed: {', '.join(STATS)}")


def compute(outcomes: Sequence[Mapping[str, Any]], series: pa.Table) -> dict[str, float | None]:
    """All ``outcomes`` (dicts with ``name``, ``column``, ``stat``, ``level``, ``step``, ``skip``) of a series."""
    steps = series.column("step").to_numpy()
    cache: dict[str, np.ndarray] = {}
    out: dict[str, float | None] = {}
    for o in outcomes:
        col = o["column"]
        if col not in cache:
            cache[col] = series.column(col).to_numpy()
        v = summarize(cache[col], steps, o["stat"], o.get("level"), o.get("step"), o.get("skip", 0))
        out[o["name"]] = None if v is None or not np.isfinite(v) else v
    return out
