"""Seeds of an experiment: everything random flows from the file's root seed by ``SeedSequence.spawn``.

The root ``SeedSequence(seed)`` spawns two children: the first seeds the design (Latin
hypercube, Sobol and Morris samples), the second spawns one child per run (or one per
replicate with ``common_seeds``, so every design point sees the same random numbers in
replicate ``r``, the common random numbers of variance reduction). A run's seed is a 63-bit
integer drawn from its child, so any run of a sweep can be repeated alone with
``periphery run MODEL --seed SEED``.
"""

from __future__ import annotations

import numpy as np


def run_seed(ss: np.random.SeedSequence) -> int:
    """A non-negative 63-bit run seed from a spawned sequence (fits the catalog's BIGINT)."""
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))


def plan_seeds(
    root: int, points: int, replicates: int, common: bool = False
) -> tuple[np.random.SeedSequence, np.ndarray]:
    """The design's sequence and the seed of every run.

    Parameters
    ----------
    root : int
        The experiment's seed.
    points, replicates : int
        Numbers of design points and of replicates per point.
    common : bool
        One seed per replicate shared by all points (common random numbers).

    Returns
    -------
    design : numpy.random.SeedSequence
        Seeds the design's sampler.
    seeds : ndarray of int64, shape (points, replicates)
        Seed of the run of each design point and replicate.
    """
    design, runs = np.random.SeedSequence(root).spawn(2)
    if common:
        per_rep = [run_seed(c) for c in runs.spawn(replicates)]
        seeds = np.tile(np.array(per_rep, dtype=np.int64), (points, 1))
    else:
        children = runs.spawn(points * replicates)
        seeds = np.array([run_seed(c) for c in children], dtype=np.int64).reshape(
            points, replicates
        )
    return design, seeds
