"""Summary statistics of civil violence runs, as Epstein (2002) reports them.

An *outburst* is a maximal run of consecutive steps with more than 50 active citizens (the
paper's definition). For each run we report the mean shares of citizens active and jailed,
the number of outbursts, the waiting times between outbursts (start to start, in steps) and
the total activation of each outburst (the sum of active counts over its steps, i.e.
agent-steps of activity; the paper does not spell its measure out, and this is the reading
under which its Run 2 figure of about 700 per outburst is of the right order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from periphery.engine.episodes import episodes

OUTBURST_LEVEL = 50


@dataclass(frozen=True)
class RunSummary:
    """Per-run statistics of one civil violence time series."""

    share_active: float
    share_jailed: float
    outbursts: int
    waiting: np.ndarray
    activation: np.ndarray
    peak_active: int


def summarize(active: np.ndarray, jailed: np.ndarray, n_citizens: int,
              level: float = OUTBURST_LEVEL, skip: int = 0) -> RunSummary:
    """Summarize one run from its per-step counts, ignoring the first ``skip`` entries."""
    a = np.asarray(active)[skip:]
    j = np.asarray(jailed)[skip:]
    ep = episodes(a, level)
    return RunSummary(
        share_active=float(a.mean() / n_citizens),
        share_jailed=float(j.mean() / n_citizens),
        outbursts=len(ep),
        waiting=ep.waiting.astype(np.float64),
        activation=ep.total,
        peak_active=int(a.max()) if a.size else 0,
    )
