"""Building blocks of pass criteria, and the per-run statistics they combine.

A criterion is a list of ``Part``s; each part computes one seed-level statistic from the arms'
ensembles, its estimate and whether its own condition holds. ``combine`` makes a check's
``evaluate`` from parts: the check passes only if every gating part passes, the first part is
the headline effect, and the note lists every part with its interval and a mark. Parts made
with ``info`` are reported but never gate.

Conditions are always interval conditions (an interval excluding 0, a Wilson bound beyond a
share, an equivalence interval inside a margin): an undefined statistic (no data, nan) never
passes, so a check can always come out "not reproduced".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from periphery.validation import stats
from periphery.validation.check import Ensemble, Outcome
from periphery.validation.stats import Estimate

Series = dict[str, np.ndarray]
Stat = Callable[[Series], float | None]


@dataclass(frozen=True)
class PartResult:
    """One part of a criterion: did it hold, its estimate, what it measures.

    ``role`` is ``"gate"`` (decides the status), ``"info"`` (reported only) or ``"pre"`` (a
    precondition: the experiment did what it must for the prediction to be judged at all,
    e.g. the shock lowered the incomes it is meant to lower; if not, the row is "not testable
    yet" rather than a vacuous pass).
    """

    passed: bool
    est: Estimate
    label: str
    role: str = "gate"

    @property
    def gating(self) -> bool:
        """Whether the part decides the status."""
        return self.role == "gate"


Part = Callable[[dict[str, Ensemble], np.random.Generator], PartResult]


def _ok(est: Estimate) -> bool:
    return bool(np.isfinite(est.lo) and np.isfinite(est.hi) and np.isfinite(est.value))


# --------------------------------------------------------------------------------------------
# Per-run statistics over one series (months 0..T)
# --------------------------------------------------------------------------------------------


def col(s: Series, name: str) -> np.ndarray:
    """Column ``name`` of a run (KeyError names the column if it was not recorded)."""
    try:
        return np.asarray(s[name], dtype=np.float64)
    except KeyError:
        raise KeyError(f"observable '{name}' was not recorded") from None


def window(name: str, t0: int, t1: int | None = None, how: str = "mean") -> Stat:
    """``how`` in {mean, max, min, sum} of ``name`` over months ``t0..t1`` (inclusive; None: to the end)."""
    def f(s: Series) -> float:
        x = col(s, name)[t0:None if t1 is None else t1 + 1]
        return float(getattr(np, how)(x)) if x.size else np.nan
    return f


def at(name: str, t: int) -> Stat:
    """Value of ``name`` at month ``t`` (negative: from the end)."""
    return lambda s: float(col(s, name)[t])


def change(name: str, t0: int, t1: int) -> Stat:
    """``name`` at month ``t1`` minus at ``t0``."""
    return lambda s: float(col(s, name)[t1] - col(s, name)[t0])


def months_above(name: str, level: float, t0: int = 1) -> Stat:
    """Number of months from ``t0`` on with ``name > level``."""
    return lambda s: float((col(s, name)[t0:] > level).sum())


def longest_above(name: str, level: float, t0: int = 1) -> Stat:
    """Longest run of consecutive months from ``t0`` on with ``name > level``."""
    def f(s: Series) -> float:
        best = cur = 0
        for v in col(s, name)[t0:] > level:
            cur = cur + 1 if v else 0
            best = max(best, cur)
        return float(best)
    return f


def half_life(name: str, t0: int, horizon: int) -> Stat:
    """Months after ``t0`` until ``name`` first falls to half its value at ``t0``; censored at ``horizon``.

    Undefined (nan) when the value at ``t0`` is 0: nothing to fade.
    """
    def f(s: Series) -> float:
        x = col(s, name)
        if x[t0] <= 0:
            return np.nan
        after = np.flatnonzero(x[t0 + 1:t0 + 1 + horizon] <= x[t0] / 2)
        return float(after[0] + 1) if after.size else float(horizon)
    return f


def ratio(num: Stat, den: Stat, min_den: float = 1e-9) -> Stat:
    """``num / den`` per run (nan where the denominator is below ``min_den``)."""
    def f(s: Series) -> float:
        d = den(s)
        return np.nan if d is None or not np.isfinite(d) or abs(d) < min_den else num(s) / d
    return f


def combo(fn: Callable[..., float], *parts: Stat) -> Stat:
    """``fn(part1(s), part2(s), ...)`` per run."""
    return lambda s: fn(*(p(s) for p in parts))


def share_of(num: list[str], den: list[str], t0: int, t1: int | None = None) -> Stat:
    """Time-mean over ``t0..t1`` of ``sum(num columns) / sum(den columns)`` (0 where den is 0)."""
    def f(s: Series) -> float:
        n = sum(col(s, c) for c in num)[t0:None if t1 is None else t1 + 1]
        d = sum(col(s, c) for c in den)[t0:None if t1 is None else t1 + 1]
        return float(np.mean(np.divide(n, d, out=np.zeros_like(n), where=d > 0)))
    return f


# --------------------------------------------------------------------------------------------
# Parts
# --------------------------------------------------------------------------------------------


def diff(a: str, b: str, stat: Stat, label: str, direction: int = 1) -> Part:
    """Paired difference ``stat(a) - stat(b)`` over seeds; holds if its interval excludes 0 on the predicted side."""
    def part(ens, rng) -> PartResult:
        est = stats.paired(ens[a].per_seed(stat), ens[b].per_seed(stat), rng, direction)
        ok = _ok(est) and (est.lo > 0 if direction > 0 else est.hi < 0)
        return PartResult(ok, est, label)
    return part


def interaction(a: str, b: str, c: str, d: str, stat: Stat, label: str, direction: int = 1) -> Part:
    """``(stat(a) - stat(b)) - (stat(c) - stat(d))`` per seed; interval excludes 0 on the predicted side."""
    def part(ens, rng) -> PartResult:
        x = (ens[a].per_seed(stat) - ens[b].per_seed(stat)) - (ens[c].per_seed(stat) - ens[d].per_seed(stat))
        est = stats.mean(x, rng, direction)
        ok = _ok(est) and (est.lo > 0 if direction > 0 else est.hi < 0)
        return PartResult(ok, est, label)
    return part


def _bounded(x: np.ndarray, rng, below_bound: bool, bound: float) -> Estimate:
    # mean with its interval; share = seeds on the predicted side of the bound
    est = stats.mean(x, rng)
    x = x[np.isfinite(x)]
    side = float(np.mean(x < bound if below_bound else x > bound)) if x.size else np.nan
    return Estimate(est.value, est.lo, est.hi, side, est.n)


def below(arm: str, stat: Stat, bound: float, label: str) -> Part:
    """Mean of ``stat`` in ``arm``; holds if the upper 95 % bound is below ``bound``."""
    def part(ens, rng) -> PartResult:
        est = _bounded(ens[arm].per_seed(stat), rng, True, bound)
        return PartResult(_ok(est) and est.hi < bound, est, label)
    return part


def above(arm: str, stat: Stat, bound: float, label: str) -> Part:
    """Mean of ``stat`` in ``arm``; holds if the lower 95 % bound is above ``bound``."""
    def part(ens, rng) -> PartResult:
        est = _bounded(ens[arm].per_seed(stat), rng, False, bound)
        return PartResult(_ok(est) and est.lo > bound, est, label)
    return part


def share_at_least(arm: str, flag: Stat, p: float, label: str) -> Part:
    """Share of seeds with ``flag`` true; holds if its Wilson lower bound exceeds ``p``."""
    def part(ens, rng) -> PartResult:
        est = stats.share(ens[arm].per_seed(flag))
        return PartResult(_ok(est) and est.lo > p, est, label)
    return part


def share_at_most(arm: str, flag: Stat, p: float, label: str) -> Part:
    """Share of seeds with ``flag`` true; holds if its Wilson upper bound is below ``p``."""
    def part(ens, rng) -> PartResult:
        est = stats.share(ens[arm].per_seed(flag))
        est = Estimate(est.value, est.lo, est.hi, 1 - est.share, est.n)  # share of seeds in the predicted direction
        return PartResult(_ok(est) and est.hi < p, est, label)
    return part


def slope(arms: list[tuple[str, float]], stat: Stat, label: str, direction: int = 1) -> Part:
    """Per-seed slope of ``stat`` on the arms' levels; mean slope's interval excludes 0 on the predicted side."""
    def part(ens, rng) -> PartResult:
        x = np.array([lv for _, lv in arms], dtype=np.float64)
        y = np.column_stack([ens[a].per_seed(stat) for a, _ in arms])
        est = stats.slope(x, y, rng, direction)
        ok = _ok(est) and (est.lo > 0 if direction > 0 else est.hi < 0)
        return PartResult(ok, est, label)
    return part


def slope_above(arms: list[tuple[str, float]], stat: Stat, bound: float, label: str) -> Part:
    """Per-seed slope of ``stat`` on the levels; holds if its lower 95 % bound exceeds ``bound``."""
    def part(ens, rng) -> PartResult:
        x = np.array([lv for _, lv in arms], dtype=np.float64)
        y = np.column_stack([ens[a].per_seed(stat) for a, _ in arms])
        est = stats.slope(x, y, rng, 1)
        return PartResult(_ok(est) and est.lo > bound, est, label)
    return part


def equivalent(a: str, b: str, stat: Stat, margin: float, label: str) -> Part:
    """TOST: the 90 % interval of the paired difference lies inside ``±margin``."""
    def part(ens, rng) -> PartResult:
        d = ens[a].per_seed(stat) - ens[b].per_seed(stat)
        est, ok = stats.equivalent(d, margin, rng)
        return PartResult(ok, est, label + f" (90% CI within ±{margin:g})")
    return part


def info(p: Part) -> Part:
    """Report ``p`` in the note without letting it decide the status."""
    def part(ens, rng) -> PartResult:
        r = p(ens, rng)
        return PartResult(True, r.est, r.label, "info")
    return part


def precondition(p: Part) -> Part:
    """``p`` must hold for the prediction to be judged; if it fails the row is "not testable yet"."""
    def part(ens, rng) -> PartResult:
        r = p(ens, rng)
        return PartResult(r.passed, r.est, r.label, "pre")
    return part


def combine(*parts: Part) -> Callable[[dict[str, Ensemble], np.random.Generator, str], Outcome]:
    """An ``evaluate`` from parts: all gating parts must hold; the first part is the headline.

    A failed precondition makes the outcome untestable (its values stay in the note).
    """
    def evaluate(ens, rng, framework) -> Outcome:
        results = [p(ens, rng) for p in parts]
        passed = all(r.passed for r in results if r.gating)
        head = next(r for r in results if r.gating)
        notes = []
        for r in results:
            mark = {"info": "info", "pre": "precondition " + ("met" if r.passed else "NOT MET")}.get(
                r.role, "ok" if r.passed else "FAILS")
            notes.append(f"{r.label}: {r.est.fmt()} ({mark})")
        unmet = [r.label for r in results if r.role == "pre" and not r.passed]
        why = f"precondition not met: {'; '.join(unmet)}" if unmet else ""
        return Outcome(passed and not unmet, head.est, head.label, "; ".join(notes), untestable=why)
    return evaluate


def never(arm: str, stat: Stat, label: str) -> Part:
    """A structural zero: holds iff ``stat`` is <= 0 in every seed (estimate: the largest value)."""
    def part(ens, rng) -> PartResult:
        x = ens[arm].per_seed(stat)
        x = x[np.isfinite(x)]
        if x.size == 0:
            return PartResult(False, stats.NAN, label)
        top = float(x.max())
        est = Estimate(top, float(x.min()), top, float((x <= 0).mean()), int(x.size))
        return PartResult(top <= 0, est, label + " (must be 0 in every seed)")
    return part


def share_point(arm: str, flag: Stat, p: float, label: str) -> Part:
    """Share of seeds with ``flag`` true; holds if the share itself is at least ``p`` (Wilson interval reported).

    For criteria stated as a plain share of seeds ("in at least half of the seeds").
    """
    def part(ens, rng) -> PartResult:
        est = stats.share(ens[arm].per_seed(flag))
        return PartResult(_ok(est) and est.value >= p, est, label)
    return part
