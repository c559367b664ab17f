"""Designs, seeds and summary outcomes: deterministic, within bounds, of the documented sizes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from periphery.experiments.design import grid_values, make_design, salib_problem
from periphery.experiments.outcomes import STATS, compute, summarize
from periphery.experiments.seeds import plan_seeds
from periphery.experiments.space import Dimension

A = Dimension("a", "float", None, 0.0, 1.0)
B = Dimension("b", "int", None, 1, 10)
C = Dimension("c", "choice", ("x", "y", "z"))
L = Dimension("l", "float", None, 1.0, 1000.0, scale="log")


def ss(seed=0):
    return np.random.SeedSequence(seed)


def test_grid_is_the_full_product_last_dimension_fastest():
    d = make_design("grid", (Dimension("a", "float", (0.1, 0.2)), C), ss())
    assert d.points == [{"a": 0.1, "c": "x"}, {"a": 0.1, "c": "y"}, {"a": 0.1, "c": "z"},
                        {"a": 0.2, "c": "x"}, {"a": 0.2, "c": "y"}, {"a": 0.2, "c": "z"}]  # fmt: skip
    assert make_design("grid", (), ss()).points == [{}]


def test_grid_levels_are_clean_numbers_and_ints_do_not_repeat():
    assert grid_values(Dimension("a", "float", None, 0.6, 0.9, levels=4)) == [0.6, 0.7, 0.8, 0.9]
    assert grid_values(Dimension("b", "int", None, 1, 3, levels=5)) == [1, 2, 3]
    assert grid_values(Dimension("l", "float", None, 1, 100, levels=3, scale="log")) == [
        1.0,
        10.0,
        100.0,
    ]


def test_lhs_is_stratified_deterministic_and_typed():
    d1 = make_design("lhs", (A, B, C, L), ss(5), samples=30)
    d2 = make_design("lhs", (A, B, C, L), ss(5), samples=30)
    assert d1.points == d2.points
    assert d1.points != make_design("lhs", (A, B, C, L), ss(6), samples=30).points
    a = np.array([p["a"] for p in d1.points])
    # one point in each of the 30 strata of [0, 1]
    assert sorted(np.floor(a * 30).astype(int)) == list(range(30))
    assert all(isinstance(p["b"], int) and 1 <= p["b"] <= 10 for p in d1.points)
    assert {p["c"] for p in d1.points} == {"x", "y", "z"}
    assert all(1.0 <= p["l"] <= 1000.0 for p in d1.points)


def test_sobol_and_morris_sizes_and_problem():
    dims = (A, B, C)
    sob = make_design("sobol", dims, ss(1), samples=16)
    assert len(sob.points) == 16 * (3 + 2) and sob.X.shape == (80, 3)
    assert len(make_design("sobol", dims, ss(1), samples=16, second_order=True).points) == 16 * (
        2 * 3 + 2
    )
    mor = make_design("morris", dims, ss(1), samples=5, levels=4)
    assert len(mor.points) == 5 * (3 + 1)
    assert salib_problem(dims)["bounds"] == [[0.0, 1.0], [1.0, 10.0], [0.0, 3.0]]
    assert make_design("sobol", dims, ss(1), samples=16).points == sob.points
    for p in sob.points + mor.points:
        assert 0 <= p["a"] <= 1 and isinstance(p["b"], int) and p["c"] in C.values


def test_run_seeds_are_spawned_distinct_and_reproducible():
    design, seeds = plan_seeds(42, points=10, replicates=3)
    assert seeds.shape == (10, 3) and len(set(seeds.ravel())) == 30
    assert (seeds >= 0).all()
    assert (plan_seeds(42, 10, 3)[1] == seeds).all()
    # the seeds are SeedSequence(42).spawn(2)[1].spawn(30)
    child = np.random.SeedSequence(42).spawn(2)[1].spawn(30)[4]
    assert seeds[1, 1] == int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
    _, common = plan_seeds(42, 10, 3, common=True)
    assert (common == common[0]).all() and len(set(common[0])) == 3


def test_each_statistic():
    x = np.array([0.0, 5.0, 60.0, 70.0, 10.0, 55.0, 3.0])
    t = np.arange(x.size)
    expect = {"final": 3.0, "mean": x.mean(), "max": 70.0, "min": 0.0, "sum": x.sum(), "std": x.std(),
              "peak_step": 3.0, "time_above": 3.0, "share_above": 3 / 7, "first_above": 2.0,
              "episodes": 2.0}  # fmt: skip
    for stat, want in expect.items():
        assert summarize(x, t, stat, level=50) == pytest.approx(want), stat
    assert summarize(x, t, "at", step=4) == 10.0
    assert summarize(x, t, "at", step=40) is None
    assert summarize(x, t, "first_above", level=100) is None
    assert summarize(x, t, "max", skip=4) == 55.0 and summarize(x, t, "peak_step", skip=4) == 5.0
    assert set(expect) | {"at"} == set(STATS)


def test_compute_names_outcomes_and_turns_missing_into_none():
    table = pa.table({"step": [0, 1, 2], "active": [0, 4, 2]})
    got = compute([{"name": "peak", "column": "active", "stat": "max"},
                   {"name": "never", "column": "active", "stat": "first_above", "level": 9}], table)  # fmt: skip
    assert got == {"peak": 4.0, "never": None}
