"""periphery's civil violence model against Mesa's example, statistically.

Reference data: ``data/mesa_civil_violence.parquet``, made by ``data/make_mesa_reference.py``
(Mesa's own example, 20 seeds x 3000 steps per configuration; the JSON beside it names the
Mesa version). periphery runs the same configurations with 20 seeds of its own. The two
cannot agree run by run (different random streams), so we compare distributions.

Test: two-sample Kolmogorov-Smirnov (scipy.stats.ks_2samp), two-sided. There are 5 statistics
x 2 configurations = 10 comparisons; each uses alpha = 0.005, a Bonferroni split of a
family-wise 5% level, so that the suite as a whole wrongly reports a difference less than 5%
of the time when the models are equivalent. Per-run statistics (mean shares, outburst
counts) give one value per run; waiting times and activation per outburst are pooled over
runs (outbursts are the events). With fewer than 5 events on either side a distribution is
not compared; the event counts are (exact binomial test of equal rates).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from scipy.stats import binomtest, ks_2samp

from periphery.models.civil_violence_summary import summarize

from .conftest import ensemble

DATA = Path(__file__).parent / "data"
ALPHA = 0.005
SEEDS = tuple(range(1001, 1021))
META = json.loads((DATA / "mesa_civil_violence.json").read_text())
CONFIGS = META["configs"]
STEPS = META["steps"]


def mesa_stats(config: str) -> dict[str, np.ndarray]:
    tab = pq.read_table(DATA / "mesa_civil_violence.parquet").to_pandas()
    tab = tab[tab.config == config]
    runs = [
        summarize(g.active.to_numpy(), g.jailed.to_numpy(), int(g.n_citizens.iloc[0]))
        for _, g in tab.sort_values("step").groupby("seed")
    ]
    return collect(runs)


def periphery_stats(config: str) -> dict[str, np.ndarray]:
    params = tuple(sorted(CONFIGS[config].items()))
    runs = [summarize(a, j, n) for a, j, n in ensemble(params, SEEDS, STEPS)]
    return collect(runs)


def collect(runs) -> dict[str, np.ndarray]:
    return {
        "share_active": np.array([r.share_active for r in runs]),
        "share_jailed": np.array([r.share_jailed for r in runs]),
        "outbursts": np.array([r.outbursts for r in runs], dtype=float),
        "waiting": np.concatenate([r.waiting for r in runs]),
        "activation": np.concatenate([r.activation for r in runs]),
    }


@pytest.mark.slow
@pytest.mark.parametrize("config", sorted(CONFIGS))
@pytest.mark.parametrize("stat", ["share_active", "share_jailed", "outbursts", "waiting", "activation"])
def test_distribution_matches_mesa(config, stat):
    ours, theirs = periphery_stats(config)[stat], mesa_stats(config)[stat]
    if min(ours.size, theirs.size) < 5:
        # Too few events to compare distributions; compare how often they occur instead. With
        # equal numbers of runs and equal event rates, periphery's share of all events is
        # Binomial(total, 1/2) (exact conditional test of two Poisson rates).
        total = ours.size + theirs.size
        if total:
            assert binomtest(ours.size, total, 0.5).pvalue > ALPHA, (ours.size, theirs.size)
        return
    res = ks_2samp(ours, theirs)
    print(f"{config} {stat}: periphery mean {ours.mean():.4g} (n={ours.size}), "
          f"mesa mean {theirs.mean():.4g} (n={theirs.size}), KS D={res.statistic:.3f} p={res.pvalue:.3g}")
    assert res.pvalue > ALPHA, (
        f"{stat} under {config} differs from Mesa: KS D={res.statistic:.3f}, p={res.pvalue:.2g}"
    )
