"""Shared helpers for the statistical tests: run civil violence ensembles on all cores."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

import numpy as np

from periphery.engine import run
from periphery.models.civil_violence import CivilViolence, CivilViolenceParams


def _one(params: dict, seed: int, steps: int) -> tuple[np.ndarray, np.ndarray, int]:
    m = CivilViolence(CivilViolenceParams(**params), seed)
    rec = run(m, steps)
    return rec.column("active")[1:].copy(), rec.column("jailed")[1:].copy(), m.n_citizens


@lru_cache(maxsize=None)
def ensemble(params: tuple, seeds: tuple, steps: int) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """Runs of one configuration (given as a sorted tuple of items), one per seed, cached per session."""
    workers = min(len(seeds), os.cpu_count() or 1)
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_one, [dict(params)] * len(seeds), seeds, [steps] * len(seeds)))
