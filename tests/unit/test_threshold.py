"""Granovetter's threshold model: the 1978 paper's exact examples and the equilibrium rule."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from periphery.engine import run
from periphery.models.threshold import Threshold, ThresholdParams


def final(p: ThresholdParams, seed: int = 0, steps: int | None = None) -> int:
    return int(run(Threshold(p, seed), steps or p.n + 1).column("active")[-1])


def test_uniform_thresholds_cascade_to_everyone():
    for n in (2, 10, 100, 1000):
        assert final(ThresholdParams(n=n, distribution="uniform")) == n


def test_replacing_threshold_one_by_two_stops_the_cascade_at_one():
    for n in (3, 10, 100, 1000):
        assert final(ThresholdParams(n=n, distribution="uniform_broken")) == 1


def test_uniform_cascade_advances_one_per_step():
    rec = run(Threshold(ThresholdParams(n=50, distribution="uniform")), 60)
    assert np.array_equal(rec.column("active")[:51], np.arange(51))


def first_fixed_point(thr: np.ndarray) -> int:
    # Granovetter's equilibrium: iterate r -> #(thresholds <= r) from r = 0 until it stops.
    r = 0
    while True:
        nxt = int((thr <= r).sum())
        if nxt == r:
            return r
        r = nxt


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 400), mean=st.floats(0, 60), sd=st.floats(0, 30))
def test_global_model_stops_at_first_fixed_point_of_thresholds(seed, n, mean, sd):
    m = Threshold(ThresholdParams(n=n, mean=mean, sd=sd), seed)
    expected = first_fixed_point(m.threshold)
    rec = run(m, n + 1)
    assert rec.column("active")[-1] == expected
    assert m.settled


def test_normal_thresholds_tip_as_spread_grows():
    # Granovetter (1978): 100 people, thresholds normal with mean 25. Below a critical spread
    # (about 12.2 in his continuous approximation) the riot stays small; above it nearly
    # everyone joins. Over 200 seeds each, the share of runs where at least 90 of 100 join
    # must be under 5% at sd = 5 and over 90% at sd = 20 (the expected shares are ~0% and
    # ~100%; the margins absorb seed noise, whose standard error at n = 200 is under 2.2%).
    def share_full(sd: float) -> float:
        return float(np.mean([final(ThresholdParams(sd=sd), s) >= 90 for s in range(200)]))

    low, high = share_full(5.0), share_full(20.0)
    assert low < 0.05
    assert high > 0.90
    # and the share rises with the spread across the critical region
    mids = [share_full(sd) for sd in (10.0, 13.0, 16.0)]
    assert low <= mids[0] <= mids[1] <= mids[2] <= high


def test_network_variant_depends_on_ties():
    # On a network a threshold is a share of one's ties. A seed of 1% of agents spreads to
    # nearly everyone when thresholds are low (0.1) and barely at all when high (0.5).
    def share(mean: float, seed: int) -> float:
        p = ThresholdParams(n=5000, network="erdos_renyi", mean_degree=8, mean=mean, sd=0.02,
                            seeds_active=50)
        return run(Threshold(p, seed), 100).column("share_active")[-1]

    low = [share(0.1, s) for s in range(5)]
    high = [share(0.5, s) for s in range(5)]
    assert min(low) > 0.9
    assert max(high) < 0.05


def test_network_joiners_have_their_threshold_met():
    p = ThresholdParams(n=3000, network="watts_strogatz", mean_degree=6, mean=0.3, sd=0.1,
                        seeds_active=30)
    m = Threshold(p, 4)
    run(m, 200)
    assert m.settled
    share = m.network.neighbor_sum(m.active.astype(float)) / np.maximum(m.network.degree, 1)
    # at the fixed point every non-seed agent is active exactly when her threshold is met
    inactive = ~m.active
    assert (share[inactive] < m.threshold[inactive]).all()


def test_reproducible_by_seed():
    p = ThresholdParams(n=500, network="erdos_renyi", mean=0.2, sd=0.1, seeds_active=5)
    a = run(Threshold(p, 9), 30).to_arrow()
    b = run(Threshold(p, 9), 30).to_arrow()
    assert a.equals(b)
