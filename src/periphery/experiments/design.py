"""Experimental designs: full grid, Latin hypercube (``scipy.stats.qmc``), Sobol and Morris (SALib).

A design turns the varied dimensions into an ordered list of design points (one dict of
parameter values each). Grid points vary the last dimension fastest, as ``itertools.product``
does and as NetLogo's BehaviorSpace lists its runs. Random designs draw from a generator
seeded by the experiment's design ``SeedSequence``, so the same file gives the same points.
For Sobol and Morris the SALib sample matrix is kept beside the points, in the same order,
because the analysis needs it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from periphery.experiments.space import Dimension

KINDS = ("grid", "lhs", "sobol", "morris")


@dataclass(frozen=True)
class Design:
    """An expanded design.

    Attributes
    ----------
    kind : str
        One of ``KINDS``.
    dims : tuple of Dimension
        The varied parameters, in the experiment file's order.
    points : list of dict
        Parameter values of each design point, in design order.
    problem : dict or None
        The SALib problem (``num_vars``, ``names``, ``bounds``) for Sobol and Morris.
    X : ndarray or None
        SALib's sample matrix, shape ``(len(points), len(dims))``, for Sobol and Morris.
    """

    kind: str
    dims: tuple[Dimension, ...]
    points: list[dict[str, Any]]
    problem: dict[str, Any] | None = None
    X: np.ndarray | None = None


def grid_values(dim: Dimension) -> list[Any]:
    """The levels of one dimension in a full grid."""
    if dim.values is not None:
        return list(dim.values)
    space = np.geomspace if dim.scale == "log" else np.linspace
    out: list[Any] = []
    for x in space(dim.low, dim.high, dim.levels):
        v = dim.from_range(x)
        if v not in out:  # rounding an int range can repeat a level
            out.append(v)
    return out


def salib_problem(dims: tuple[Dimension, ...]) -> dict[str, Any]:
    """The SALib problem of ``dims``: categorical ones on ``[0, k]``, log ones in log space."""
    bounds = []
    for d in dims:
        if d.categorical:
            bounds.append([0.0, float(len(d.values))])
        elif d.scale == "log":
            bounds.append([math.log(d.low), math.log(d.high)])
        else:
            bounds.append([float(d.low), float(d.high)])
    return {"num_vars": len(dims), "names": [d.name for d in dims], "bounds": bounds}


def _from_problem(dim: Dimension, x: float) -> Any:
    if dim.categorical:
        return dim.values[min(int(math.floor(x)), len(dim.values) - 1)]
    return dim.from_range(math.exp(x) if dim.scale == "log" else x)


def _int_seed(ss: np.random.SeedSequence) -> int:
    return int(ss.generate_state(1, np.uint32)[0])


def make_design(
    kind: str,
    dims: tuple[Dimension, ...],
    ss: np.random.SeedSequence,
    samples: int | None = None,
    second_order: bool = False,
    levels: int = 4,
    optimization: str | None = None,
) -> Design:
    """Expand a design.

    Parameters
    ----------
    kind : {"grid", "lhs", "sobol", "morris"}
        The design.
    dims : tuple of Dimension
        Varied parameters; a grid with none has one point (the base alone).
    ss : numpy.random.SeedSequence
        Seeds the random designs.
    samples : int, optional
        LHS: number of points; Sobol: base sample size N (``N * (d + 2)`` points, or
        ``N * (2d + 2)`` with ``second_order``); Morris: number of trajectories
        (``samples * (d + 1)`` points).
    second_order : bool
        Sobol: also sample for second-order indices.
    levels : int
        Morris: number of grid levels.
    optimization : {None, "random-cd", "lloyd"}
        LHS: scipy's optimization of the hypercube.
    """
    if kind == "grid":
        names = [d.name for d in dims]
        points = [dict(zip(names, combo)) for combo in itertools.product(*map(grid_values, dims))]
        return Design(kind, dims, points)
    if kind == "lhs":
        from scipy.stats import qmc

        engine = qmc.LatinHypercube(d=len(dims), optimization=optimization,
                                    rng=np.random.default_rng(ss))  # fmt: skip
        unit = engine.random(samples)
        points = [{d.name: d.from_unit(u) for d, u in zip(dims, row)} for row in unit]
        return Design(kind, dims, points)
    problem = salib_problem(dims)
    if kind == "sobol":
        from SALib.sample import sobol

        X = sobol.sample(problem, samples, calc_second_order=second_order, seed=_int_seed(ss))
    elif kind == "morris":
        from SALib.sample import morris

        X = morris.sample(problem, samples, num_levels=levels, seed=_int_seed(ss))
    else:
        raise ValueError(f"design kind {kind!r}: unknown; allowed: {', '.join(KINDS)}")
    points = [{d.name: _from_problem(d, x) for d, x in zip(dims, row)} for row in X]
    return Design(kind, dims, points, problem, np.asarray(X))
