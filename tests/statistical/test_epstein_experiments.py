"""Epstein's (2002) qualitative experiments, reproduced over seeds (Mesa's arrest rule).

What the paper reports and what these tests check:

* Runs 3 and 4 (legitimacy): a sudden drop from 0.9 to 0.7 sets off a burst of activity
  larger than anything a gradual decline from 0.9 to 0.2 (over 300 steps) produces. Checked
  under Run 2's settings (cop density 0.04, max jail term 30), paired by seed (same initial
  world). The paper's stronger form (no outburst at all under the gradual path) is not what
  the model shows there: both paths pass 50 actives; see docs/civil_violence.md, where the
  same experiment under Run 5's settings and the other arrest rules is also reported.
* Run 5 (cop density): Mesa's defaults are quiescent; fewer cops tip the society into
  rebellion past a threshold density.
"""

from __future__ import annotations

import numpy as np
import pytest

from periphery.models.civil_violence import CivilViolenceParams
from periphery.models.epstein_runs import cop_density_response, legitimacy_drop, legitimacy_path

RUN2 = CivilViolenceParams(legitimacy=0.82, cop_density=0.04, max_jail_term=30)


def test_legitimacy_paths():
    s = legitimacy_path("sudden", 100, at=50)
    g = legitimacy_path("gradual", 400, at=50, gradual_over=300)
    assert s[48] == 0.9 and s[49] == 0.7 and np.ptp(s[49:]) == 0
    assert g[48] == 0.9 and np.all(np.diff(g) <= 0) and g[-1] == pytest.approx(0.2)
    # the gradual path never drops by more than 0.7 / 300 in a step
    assert np.abs(np.diff(g)).max() <= 0.7 / 300 + 1e-12


@pytest.mark.slow
def test_sudden_drop_bursts_larger_than_gradual_decline():
    # 20 paired seeds. Observed during development: the sudden peak is larger in all 20, with
    # a median about twice the gradual one. Tolerance: at least 17 of 20 (a one-sided sign
    # test rejects "no difference" at p < 0.002) and a median ratio of at least 1.5.
    r = legitimacy_drop(RUN2, range(20))
    assert r.share_sudden_larger >= 0.85, r
    assert np.median(r.sudden_peak / np.maximum(r.gradual_peak, 1)) >= 1.5, r
    # the sudden drop is an outburst in the paper's sense in nearly every run
    assert r.share_outburst()[0] >= 0.9


@pytest.mark.slow
def test_fewer_cops_tip_run5_into_rebellion():
    # Peak active citizens over 300 steps, 10 seeds per density, Mesa's defaults otherwise.
    densities = [0.074, 0.06, 0.05, 0.04, 0.03, 0.02]
    peaks = cop_density_response(CivilViolenceParams(), densities, range(10))
    share = (peaks > 50).mean(axis=1)  # share of runs with an outburst (> 50 actives)
    # At Run 5's density the society stays quiescent in most runs...
    assert share[0] <= 0.2, share
    # ...at 0.03 and below every run rebels...
    assert share[-2:].min() >= 0.9, share
    # ...and the rise is monotone up to seed noise: 10 runs per density give a standard
    # error of at most 0.16 per share, so a later (lower) density may trail an earlier
    # one by at most 0.2.
    assert np.all(np.diff(share) >= -0.2), share
    # the median peak grows by more than 10x across the range: a tipping, not a drift
    med = np.median(peaks, axis=1)
    assert med[-1] >= 10 * max(med[0], 1), med
