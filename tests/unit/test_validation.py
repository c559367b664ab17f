"""Validation as executable checks: gating on missing mechanisms, the statistics, checks that can fail,
the P48 classifier, and ``periphery validate`` end to end."""

import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from periphery.validation import CHECKS, NOT_REPRODUCED, NOT_TESTABLE, REPRODUCED, RESERVED, by_id, run, stats
from periphery.validation import criteria as cr
from periphery.validation.check import Arm, Check, Ensemble, Result
from periphery.validation.checks import composition, lifecycle
from periphery.validation.p48 import LEVELS, classify, confusion

ROOT = Path(__file__).resolve().parents[2]


def rng():
    return np.random.default_rng(np.random.SeedSequence(12345))


# (a) a check whose M-ids are not all registered is "not testable yet" and names them ---------------


def _dummy_check(needs, columns=()):
    def arms(fw):
        raise AssertionError("arms must not be built for an untestable check")

    return Check("P99", "6.1", "dummy", needs=needs, frameworks=("imp",), experiment="-", observable="-",
                 statistic="-", criterion="-", arms=arms, evaluate=lambda e, r, f: None, columns=columns)


def test_missing_mechanism_is_not_testable_and_named():
    (row,) = run((_dummy_check(("M1", "M9999")),), n_seeds=2, agents=100).results
    assert row.status == NOT_TESTABLE
    assert row.missing == ("M9999",)
    assert "M9999" in row.note and "M1," not in row.note


def test_missing_state_column_is_not_testable():
    (row,) = run((_dummy_check(("M1",), ("globe.no_such_column",)),), n_seeds=2, agents=100).results
    assert row.status == NOT_TESTABLE and "globe.no_such_column" in row.missing


def test_every_prediction_has_a_check_or_is_reserved():
    ids = {c.pid for c in CHECKS}
    assert ids.isdisjoint(RESERVED)
    assert ids | set(RESERVED) == {f"P{i}" for i in range(1, 50)}
    with pytest.raises(KeyError, match="reserved"):
        by_id(["P4"])


# (b) the statistics on synthetic data ------------------------------------------------------------


def test_wilson_known_values():
    lo, hi = stats.wilson(15, 30)
    assert lo == pytest.approx(0.3315, abs=1e-3) and hi == pytest.approx(0.6685, abs=1e-3)
    lo, hi = stats.wilson(0, 30)
    assert lo == 0 and hi == pytest.approx(0.1135, abs=1e-3)
    assert all(math.isnan(x) for x in stats.wilson(0, 0))


def test_bootstrap_mean_and_paired_difference():
    g = np.random.default_rng(0)
    x = g.normal(1.0, 1.0, 200)
    est = stats.mean(x, rng())
    assert est.lo < 1.0 < est.hi and est.hi - est.lo == pytest.approx(2 * 1.96 / math.sqrt(200), rel=0.2)
    a, b = g.normal(0.5, 1, 40), g.normal(0.0, 1, 40)
    d = stats.paired(a, b, rng())
    assert d.value == pytest.approx(float(np.mean(a - b)))
    assert d.share == pytest.approx(float(np.mean(a - b > 0)))
    # same inputs, same generator seed: the same interval
    assert stats.paired(a, b, rng()) == d


def test_slope_spearman_kendall_betas_equivalence():
    levels = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.outer(np.ones(30), 2 * levels) + np.random.default_rng(1).normal(0, 0.1, (30, 4))
    est = stats.slope(levels, y, rng())
    assert est.lo < 2.0 < est.hi and est.share == 1.0
    assert stats.spearman(levels, levels ** 3) == pytest.approx(1.0)
    assert stats.kendall_tau(np.array([1, 2, 3]), np.array([3, 2, 1])) == pytest.approx(-1.0)
    X = np.column_stack([levels.repeat(5), np.tile([0.0, 1.0, 0.0, 1.0, 0.5], 4)])
    b = stats.standardized_betas(X, 3 * X[:, 0] + 0.1 * X[:, 1])
    assert b[0] > b[1] > 0
    _, ok = stats.equivalent(np.random.default_rng(2).normal(0, 0.001, 30), 0.005, rng())
    assert ok
    _, ok = stats.equivalent(np.random.default_rng(2).normal(0.02, 0.001, 30), 0.005, rng())
    assert not ok


def test_undefined_statistics_never_pass():
    nan_runs = Ensemble([{"x": np.array([np.nan, np.nan])}] * 5)
    part = cr.above("a", cr.at("x", -1), 0.0, "x")({"a": nan_runs}, rng())
    assert not part.passed


# (c) a check can report "not reproduced" ------------------------------------------------------------


class Synthetic(dict):
    """A run's series where every observable follows ``shape(months, arm index, seed)``."""

    def __init__(self, months, arm, seed, shape):
        super().__init__()
        self.months, self.arm, self.seed, self.shape = months, arm, seed, shape

    def __missing__(self, key):
        return self.shape(self.months, self.arm, self.seed, key)


def _key(name):  # a stable small number per observable name
    return sum(name.encode()) % 7


SHAPES = {
    "zeros": lambda t, i, k, c: np.zeros(t + 1),
    "rising, larger in later arms": lambda t, i, k, c: np.linspace(0, 1, t + 1) * (i + 1),
    "falling, larger in earlier arms": lambda t, i, k, c: np.linspace(1, 0, t + 1) / (i + 1),
    "per observable and arm": lambda t, i, k, c: np.full(t + 1, (1 + _key(c)) * (1 + (i * _key(c)) % 3)),
    "noise": lambda t, i, k, c: np.random.default_rng([i, k, _key(c)]).random(t + 1),
}


def _synthetic(check, fw, shape, n=30):
    return {a.name: Ensemble([Synthetic(a.scenario["months"], i, k, shape) for k in range(n)])
            for i, a in enumerate(check.arms(fw))}


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.pid)
def test_every_check_can_fail(check):
    # A check that cannot fail is a defect: for every check some synthetic ensemble must give
    # "not reproduced" (for predictions of an absence, e.g. P13, P22, an ensemble *with* an effect).
    for fw in check.frameworks:
        try:
            check.arms(fw)
        except ValueError:  # a set-up the scenario format cannot express yet: "not testable yet"
            continue
        outs = [check.evaluate(_synthetic(check, fw, shape), rng(), fw) for shape in SHAPES.values()]
        # "not reproduced" proper: the criterion was judged (no unmet precondition) and failed
        assert any(not o.passed and not o.untestable for o in outs), f"{check.pid}/{fw} cannot report 'not reproduced'"


# rows whose prediction is an absence (no participation, no effect, no change, survival): a
# series without any effect is what they predict, so they are covered by test_every_check_can_fail
ABSENCES = {("P13", "imp"), ("P22", "imp"), ("P23", "imp"), ("P32", "imp"), ("P36", "imp"), ("P40", "tnc")}


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.pid)
def test_effect_predictions_are_not_reproduced_without_an_effect(check):
    for fw in check.frameworks:
        if (check.pid, fw) in ABSENCES:
            continue
        try:
            ens = _synthetic(check, fw, SHAPES["zeros"])
        except ValueError:
            continue
        assert not check.evaluate(ens, rng(), fw).passed, f"{check.pid}/{fw} passes with no effect anywhere"


def _series(months, **cols):
    s = {k: np.asarray(v, dtype=float) for k, v in cols.items()}
    return s


def test_knockout_check_reports_both_outcomes():
    t = lifecycle.P7_MONTHS
    g = np.random.default_rng(3)

    def ens(effect):
        runs_o, runs_r = [], []
        for _ in range(30):
            base = 0.1 + g.normal(0, 0.01, t + 1)
            runs_o.append(_series(t, **{"country.patria.share_active": base}))
            runs_r.append(_series(t, **{"country.patria.share_active": base + effect}))
        return {"orgs_removed": Ensemble(runs_o), "random_removed": Ensemble(runs_r)}

    assert lifecycle.P7.evaluate(ens(0.05), rng(), "imp").passed
    assert not lifecycle.P7.evaluate(ens(0.0), rng(), "imp").passed
    assert not lifecycle.P7.evaluate(ens(-0.05), rng(), "imp").passed


def test_breadth_check_tells_breadth_from_intensity():
    t = composition.P15_MONTHS
    g = np.random.default_rng(4)

    def ens(driver):
        out = {}
        for k in composition.P15_K:
            for s in composition.P15_S:
                x = (k / 4) if driver == "k" else s
                out[f"k{k}_s{s}"] = Ensemble([
                    _series(t, **{"country.patria.share_active": np.full(t + 1, 0.1 * x + g.normal(0, 0.005)),
                                  "country.patria.mean_grievance": np.zeros(t + 1)})
                    for _ in range(30)])
        return out

    assert composition.P15.evaluate(ens("k"), rng(), "imp").passed
    out = composition.P15.evaluate(ens("s"), rng(), "imp")
    assert not out.passed and out.effect.value < 0


# (d) the P48 classifier on synthetic series -----------------------------------------------------------


def test_p48_classifier_each_class():
    T = 120
    sustained = np.full(T + 1, 0.06)
    assert classify(sustained, np.full(T + 1, 0.04)) == "a"
    assert classify(sustained, np.full(T + 1, 0.01)) == "c"  # large and persistent but unorganized: not (a)
    spike = np.full(T + 1, 0.002)
    spike[100:103] = 0.12
    assert classify(spike, spike / 2) == "b"
    assert classify(np.full(T + 1, 0.01), np.full(T + 1, 0.005)) == "c"
    burst = np.full(T + 1, 0.002)
    burst[100:103] = 0.03
    assert classify(burst, burst) == "c"
    # the window: a spike before the last 60 months does not count
    early = np.full(T + 1, 0.002)
    early[10:13] = 0.2
    assert classify(early, early) == "c"


def test_p48_confusion_matrix():
    classes = {"colombia": ["a", "a", "b"], "argentina_2001": ["b", "c", "b"], "peru": ["c", "c", "c"],
               "cuba": ["a", "a", "a"]}  # cuba is not a primary case and must not enter
    mat = confusion(classes)
    assert mat.tolist() == [[2, 1, 0], [0, 2, 1], [0, 0, 3]]
    assert LEVELS == ("a", "b", "c")


# (e) periphery validate end to end -------------------------------------------------------------------


def test_validate_command_end_to_end(tmp_path):
    out = tmp_path / "validation.md"
    exe = Path(sys.executable).parent / "periphery"
    t0 = time.perf_counter()
    res = subprocess.run([str(exe), "validate", "--only", "P10", "--seeds", "30", "--agents", "300", "--jobs", "2",
                          "--cache", str(tmp_path / "cache"), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert time.perf_counter() - t0 < 60
    text = out.read_text()
    row = next(line for line in text.splitlines() if line.startswith("| P10 "))
    assert any(f"| {s} |" in row for s in (REPRODUCED, NOT_REPRODUCED, NOT_TESTABLE))
    assert "30 seeds per arm" in text and "P4, P9, P12" in text
    assert "reproduced" in res.stdout
    # the second run reads every run from the cache
    res = subprocess.run([str(exe), "validate", "--only", "P10", "--seeds", "30", "--agents", "300", "--jobs", "1",
                          "--cache", str(tmp_path / "cache"), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)  # fmt: skip
    text = out.read_text()
    assert res.returncode == 0 and "(30 from the cache)" in text and "computing every run afresh took" in text


def test_validate_refuses_too_few_seeds_for_the_docs():
    exe = Path(sys.executable).parent / "periphery"
    res = subprocess.run([str(exe), "validate", "--seeds", "5"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2 and "at least 30" in res.stderr


def test_arms_differ_only_in_scenario_content_never_parameters():
    # every arm's scenario validates against the scenario schema, which has no behavioural parameters
    from periphery.scenarios import Scenario

    arm = lifecycle.P1.arms("imp")[0]
    assert isinstance(arm, Arm)
    Scenario.model_validate(arm.scenario)
    assert "params" not in arm.scenario


def test_unmet_precondition_makes_the_row_not_testable():
    runs = Ensemble([{"x": np.array([0.0, 1.0]), "dose": np.array([0.0, 0.0])} for _ in range(30)])
    evaluate = cr.combine(cr.above("a", cr.at("x", -1), 0.0, "effect"),
                          cr.precondition(cr.above("a", cr.at("dose", -1), 0.0, "the shock bites")))
    out = evaluate({"a": runs}, rng(), "imp")
    assert not out.passed and "the shock bites" in out.untestable
    row = Result.from_outcome(_dummy_check(("M1",)), "imp", out, 30, 0.0)
    assert row.status == NOT_TESTABLE and "exploratory" in row.note
