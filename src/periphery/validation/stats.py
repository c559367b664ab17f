"""Seed-level statistics of the checks: intervals, paired contrasts, slopes, equivalence.

Every function takes per-seed numbers (one value per replicate; arms share seed ``i`` at row
``i``, the common random numbers of mechanism_map 2.0) and returns an ``Estimate``: point
value, 95 % interval, the share of seeds whose own value points in the predicted direction,
and ``n``. Intervals are percentile bootstraps over seeds from a seeded ``Generator`` (the
caller passes it, so a validation run repeats exactly), or Wilson intervals for shares of
seeds. Nothing here knows about the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

N_BOOT = 10_000
Z95 = 1.959963984540054
Z90 = 1.6448536269514722


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its interval over seeds.

    Attributes
    ----------
    value : float
        The statistic on all seeds.
    lo, hi : float
        Interval bounds (95 % unless the producer says otherwise).
    share : float
        Share of seeds whose own value lies in the predicted direction (nan if undefined).
    n : int
        Number of seeds that entered.
    """

    value: float
    lo: float
    hi: float
    share: float
    n: int

    @property
    def excludes_zero(self) -> bool:
        """The interval lies strictly on one side of 0."""
        return bool(self.lo > 0 or self.hi < 0)

    def fmt(self, digits: int = 3) -> str:
        """``value [lo, hi]`` with ``digits`` significant digits."""
        return f"{_g(self.value, digits)} [{_g(self.lo, digits)}, {_g(self.hi, digits)}]"


def _g(x: float, digits: int) -> str:
    return "nan" if not np.isfinite(x) else f"{x:.{digits}g}"


NAN = Estimate(math.nan, math.nan, math.nan, math.nan, 0)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a share ``k / n`` (``(nan, nan)`` when ``n = 0``)."""
    if n <= 0:
        return math.nan, math.nan
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


def share(flags: np.ndarray, z: float = Z95) -> Estimate:
    """Share of seeds where ``flags`` is true, with its Wilson interval; nan flags are dropped."""
    f = np.asarray(flags, dtype=np.float64)
    f = f[np.isfinite(f)]
    k, n = int((f > 0).sum()), int(f.size)
    lo, hi = wilson(k, n, z)
    return Estimate(k / n if n else math.nan, lo, hi, k / n if n else math.nan, n)


def bootstrap(stat: Callable[[np.ndarray], float], n: int, rng: np.random.Generator,
              n_boot: int = N_BOOT, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of ``stat(idx)`` over seeds resampled with replacement.

    ``stat`` receives an index array of length ``n`` (the resampled seeds) so statistics of
    several aligned arrays (paired arms, x and y of a regression) resample together.
    """
    if n < 2:
        return math.nan, math.nan
    idx = rng.integers(0, n, size=(n_boot, n))
    vals = np.array([stat(i) for i in idx], dtype=np.float64)
    vals = vals[np.isfinite(vals)]
    if vals.size < n_boot // 2:  # the statistic is undefined on most resamples
        return math.nan, math.nan
    a = (1 - level) / 2
    lo, hi = np.quantile(vals, [a, 1 - a])
    return float(lo), float(hi)


def _mean_ci(x: np.ndarray, rng: np.random.Generator, level: float) -> tuple[float, float]:
    # Vectorized percentile bootstrap of the mean (the common case; 10k x n is small).
    n = x.size
    if n < 2:
        return math.nan, math.nan
    means = x[rng.integers(0, n, size=(N_BOOT, n))].mean(axis=1)
    a = (1 - level) / 2
    lo, hi = np.quantile(means, [a, 1 - a])
    return float(lo), float(hi)


def mean(x: np.ndarray, rng: np.random.Generator, direction: int = 1, level: float = 0.95) -> Estimate:
    """Mean of per-seed values with a bootstrap interval; ``share`` = seeds with ``sign == direction``.

    Seeds with a nan value are dropped (for instance a half-life that is undefined).
    """
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return NAN
    lo, hi = _mean_ci(x, rng, level)
    return Estimate(float(x.mean()), lo, hi, float((np.sign(x) == direction).mean()), int(x.size))


def paired(a: np.ndarray, b: np.ndarray, rng: np.random.Generator, direction: int = 1,
           level: float = 0.95) -> Estimate:
    """Mean paired difference ``a - b`` over seeds (common random numbers), bootstrap interval."""
    return mean(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64), rng, direction, level)


def ols_slope(x: np.ndarray, y: np.ndarray) -> float:
    """Least-squares slope of ``y`` on ``x`` (nan if ``x`` does not vary)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 2 or np.ptp(x) == 0:
        return math.nan
    xc = x - x.mean()
    return float((xc * (y - y.mean())).sum() / (xc * xc).sum())


def slope(levels: np.ndarray, y: np.ndarray, rng: np.random.Generator, direction: int = 1) -> Estimate:
    """Per-seed slope of ``y`` (seeds x levels) on ``levels``; mean slope with bootstrap interval.

    Each seed's slope uses that seed's runs at every level (common random numbers), so the
    interval is over seeds, not over runs.
    """
    y = np.asarray(y, dtype=np.float64)
    per_seed = np.array([ols_slope(levels, row) for row in y])
    return mean(per_seed, rng, direction)


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman rank correlation (average ranks for ties; nan if either side is constant)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    rx, ry = _rank(x[ok]), _rank(y[ok])
    if rx.size < 2 or np.ptp(rx) == 0 or np.ptp(ry) == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


def kendall_tau(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-b between two short vectors (O(n^2); for rankings of a few classes)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    dx = np.sign(x[:, None] - x[None, :])
    dy = np.sign(y[:, None] - y[None, :])
    iu = np.triu_indices(x.size, 1)
    dx, dy = dx[iu], dy[iu]
    den = math.sqrt(float((dx != 0).sum()) * float((dy != 0).sum()))
    return float((dx * dy).sum() / den) if den else math.nan


def _rank(v: np.ndarray) -> np.ndarray:
    order = np.argsort(v, kind="stable")
    ranks = np.empty(v.size, dtype=np.float64)
    ranks[order] = np.arange(v.size, dtype=np.float64)
    for u in np.unique(v):  # average ranks of ties
        m = v == u
        if m.sum() > 1:
            ranks[m] = ranks[m].mean()
    return ranks


def standardized_betas(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Coefficients of ``y`` on the columns of ``X`` after standardizing both (with intercept)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    sx = X.std(axis=0)
    sy = y.std()
    if (sx == 0).any() or sy == 0:
        return np.full(X.shape[1], math.nan)
    Z = np.column_stack([np.ones(len(y)), (X - X.mean(axis=0)) / sx])
    beta, *_ = np.linalg.lstsq(Z, (y - y.mean()) / sy, rcond=None)
    return beta[1:]


def equivalent(d: np.ndarray, margin: float, rng: np.random.Generator) -> tuple[Estimate, bool]:
    """Two one-sided tests by interval: the 90 % bootstrap interval of ``mean(d)`` inside ``±margin``.

    Returns the estimate (with its 90 % interval) and whether equivalence holds.
    """
    est = mean(d, rng, direction=0, level=0.90)
    ok = bool(np.isfinite(est.lo) and -margin < est.lo and est.hi < margin)
    # share: seeds whose own difference lies inside the margin
    d = np.asarray(d, dtype=np.float64)
    d = d[np.isfinite(d)]
    inside = float((np.abs(d) < margin).mean()) if d.size else math.nan
    return Estimate(est.value, est.lo, est.hi, inside, est.n), ok


def betas2(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Standardized coefficients of ``y`` on two regressors, vectorized over leading axes.

    ``X`` has shape ``(..., n, 2)`` and ``y`` ``(..., n)``; returns ``(..., 2)``. Closed form
    from the correlations (``beta = R_xx^-1 r_xy``); nan where a column or ``y`` is constant.
    Used for seed-clustered bootstraps, where a loop of least-squares fits would be slow.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    Xc = X - X.mean(axis=-2, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    sx = np.sqrt((Xc ** 2).mean(axis=-2))
    sy = np.sqrt((yc ** 2).mean(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        r12 = (Xc[..., 0] * Xc[..., 1]).mean(axis=-1) / (sx[..., 0] * sx[..., 1])
        r1y = (Xc[..., 0] * yc).mean(axis=-1) / (sx[..., 0] * sy)
        r2y = (Xc[..., 1] * yc).mean(axis=-1) / (sx[..., 1] * sy)
        det = 1 - r12 ** 2
        b1 = (r1y - r12 * r2y) / det
        b2 = (r2y - r12 * r1y) / det
    return np.stack([b1, b2], axis=-1)


def bootstrap_betas2(X: np.ndarray, y: np.ndarray, rng: np.random.Generator,
                     n_boot: int = N_BOOT) -> tuple[np.ndarray, np.ndarray]:
    """Seed-clustered bootstrap of ``betas2``: ``X`` (seeds, cells, 2), ``y`` (seeds, cells).

    Resamples whole seeds (every cell of a seed together, so common random numbers stay paired)
    and returns the point coefficients and an array ``(n_boot, 2)`` of resampled ones.
    """
    n, cells = y.shape
    point = betas2(X.reshape(n * cells, 2), y.reshape(-1))
    out = np.empty((n_boot, 2))
    for start in range(0, n_boot, 1000):  # in blocks, to bound memory
        idx = rng.integers(0, n, size=(min(1000, n_boot - start), n))
        out[start:start + idx.shape[0]] = betas2(X[idx].reshape(idx.shape[0], n * cells, 2), y[idx].reshape(idx.shape[0], -1))
    return point, out
