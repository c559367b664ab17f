"""Calibration: fit chosen parameters to observed summary statistics by ABC-SMC (pyabc).

The experiment file's ``[calibration]`` table names the parameters to fit (uniform priors over
their ``[parameters]`` ranges; log-uniform for ``scale = "log"``), the observed values of some
outcomes (the targets of the fit), and held-out observed values: outcomes compared with the
fitted model afterwards but never used to fit it, so the check is out of sample. Every other
parameter stays at its ``[fixed]`` value or its declared default, and the report says so.

Why pyabc: it implements sequential Monte Carlo ABC (Toni et al. 2009; Beaumont et al. 2009)
with adaptive distances and population sizes, is maintained, installs from PyPI with pure
Python wheels, and accepts any ``concurrent.futures`` executor (``ConcurrentFutureSampler``),
so calibration runs on the same local pool or Dask cluster as sweeps.

Randomness. Each simulation's seed comes from a ``SeedSequence`` keyed by the experiment's
root seed and the parameter values, so a parameter vector always gives the same run. pyabc
itself draws proposals from NumPy's legacy global generator; it is seeded from the root seed,
which makes a calibration on one worker repeatable. With several workers pyabc reseeds each
worker from the operating system on purpose, so a parallel calibration is not repeatable to
the bit; its posterior is a Monte Carlo estimate either way, and the report records the
number of workers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from periphery.experiments.backends import Backend
from periphery.experiments.outcomes import compute
from periphery.experiments.single import resolve, simulate
from periphery.experiments.spec import Experiment
from periphery.store import code_version
from periphery.store.atomic import write_json
from periphery.store.parts import write_part


class CalibrationError(ValueError):
    """The experiment file cannot be calibrated as written; one line."""


class Simulator:
    """Runs the base at given parameter values and returns the calibration's target outcomes.

    pyabc names parameters ``p0, p1, ...`` (model names such as ``grievance.weight`` are not
    valid there); ``values`` maps them back. Instances are plain data, so they pickle.
    """

    def __init__(self, exp: Experiment, names: list[str]) -> None:
        self.base, self.steps, self.fixed = exp.base, exp.spec.steps, dict(exp.spec.fixed)
        self.dims = {d.name: d for d in exp.dims}
        self.names = names
        self.root = exp.spec.seed
        self.outcomes = exp.outcomes
        c = exp.spec.calibration
        self.targets = {**{k: ("fitted", float(v)) for k, v in c.observed.items()},
                        **{k: ("held out", float(v)) for k, v in c.held_out.items()}}  # fmt: skip
        self.keep = list(self.targets)

    def values(self, pars: dict[str, float]) -> dict[str, Any]:
        """Model parameter values of a pyabc parameter vector (log-scale ones exponentiated)."""
        out = {}
        for i, name in enumerate(self.names):
            d, x = self.dims[name], float(pars[f"p{i}"])
            out[name] = d.from_range(math.exp(x) if d.scale == "log" else x)
        return out

    def seed(self, values: dict[str, Any]) -> int:
        """The run seed for these values: a function of the root seed and the values only."""
        digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).digest()
        words = list(struct.unpack("<4I", digest[:16]))
        ss = np.random.SeedSequence([self.root & 0xFFFFFFFF, self.root >> 32, *words])
        return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))

    def run(self, values: dict[str, Any], seed: int) -> dict[str, float]:
        """Outcomes of one run (NaN for a failed run or a missing outcome, which ABC rejects)."""
        try:
            series, _, _ = simulate(resolve(self.base, {**self.fixed, **values}), self.steps, seed)
            res = compute(self.outcomes, series)
        except Exception:  # noqa: BLE001 - a failed simulation is a rejected particle
            res = {}
        return {k: float("nan") if res.get(k) is None else float(res[k]) for k in self.keep}


def _check(exp: Experiment) -> None:
    c = exp.spec.calibration
    if c is None:
        raise CalibrationError(f"{exp.path}: no [calibration] table; add one naming parameters, "
                               "observed and (optionally) held_out outcomes")  # fmt: skip
    for d in exp.dims:
        if d.name in c.parameters and d.categorical:
            raise CalibrationError(f"{exp.path}: calibration.parameters: '{d.name}' takes listed "
                                   "values; calibration fits parameters with a range (low, high)")  # fmt: skip


@dataclass
class CalibrationResult:
    """What a calibration produced; ``summary`` is also written as JSON beside the pyabc database."""

    calibration_id: str
    summary: dict[str, Any]
    json_path: Path
    db_path: Path
    posterior_path: Path


def calibrate(exp: Experiment, out: Path, backend: Backend, notify=None) -> CalibrationResult:
    """Fit ``exp``'s calibration parameters by ABC-SMC and check the fit on fresh runs."""
    import pyabc  # heavy (about 3 s); imported only when calibrating

    _check(exp)
    c = exp.spec.calibration
    notify = notify or (lambda _m: None)
    cid = hashlib.sha256(f"{exp.digest}:{code_version()}:calibration".encode()).hexdigest()[:16]
    folder = Path(out) / "calibration"
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"{cid}.db"
    if db.exists():  # a repeated calibration replaces the earlier one
        db.unlink()
    names = list(c.parameters)
    dims = {d.name: d for d in exp.dims}
    sim = Simulator(exp, names)
    priors = {}
    for i, name in enumerate(names):
        d = dims[name]
        lo, hi = (math.log(d.low), math.log(d.high)) if d.scale == "log" else (d.low, d.high)
        priors[f"p{i}"] = pyabc.RV("uniform", lo, hi - lo)
    observed = {k: float(v) for k, v in c.observed.items()}
    if c.distance == "adaptive":
        # Scales follow each statistic's spread in the last population; the cap keeps a
        # statistic that barely varies from taking all the weight.
        distance = pyabc.distance.AdaptivePNormDistance(p=2, max_scale_weight_ratio=100)
    else:  # relative errors: each statistic weighted by 1 / |observed|
        distance = pyabc.distance.PNormDistance(
            p=2, fixed_weights={k: 1.0 / max(abs(v), 1e-12) for k, v in observed.items()}
        )
    fitted_sim = _Fitted(sim, list(observed))
    root = np.random.SeedSequence(exp.spec.seed).spawn(4)[3]
    # pyabc draws from NumPy's global generator; seed it from the experiment (see module doc).
    np.random.seed(root.generate_state(1)[0])
    _quiet_pyabc(notify)
    with backend as executor:
        if backend.workers <= 1:
            sampler = pyabc.sampler.SingleCoreSampler()
        else:
            sampler = pyabc.sampler.ConcurrentFutureSampler(
                executor, client_max_jobs=2 * backend.workers
            )
        abc = pyabc.ABCSMC(fitted_sim, pyabc.Distribution(**priors), distance,
                           population_size=c.population, sampler=sampler)  # fmt: skip
        abc.new(f"sqlite:///{db}", observed)
        history = abc.run(minimum_epsilon=c.min_epsilon, max_nr_populations=c.generations,
                          max_total_nr_simulations=c.max_simulations or np.inf)  # fmt: skip
        df, w = history.get_distribution(m=0, t=history.max_t)
        rows = [sim.values(dict(zip(df.columns, r))) for r in df.itertuples(index=False)]
        particles = {name: [r[name] for r in rows] for name in names}
        w = np.asarray(w, dtype=float)
        w = w / w.sum()
        checks = _posterior_checks(sim, particles, w, c.checks, root, executor)
    posterior = {name: _weighted_summary(np.asarray(v, float), w) for name, v in particles.items()}
    pops = history.get_all_populations()
    rel = f"calibration/{cid}-posterior.parquet"
    table = pa.table({**{k: pa.array(v) for k, v in particles.items()}, "weight": pa.array(w),
                      "run_id": pa.array([cid] * len(w))})  # fmt: skip
    write_part(Path(out), rel, table)
    held_fixed = {n: exp.spec.fixed.get(n, "declared default") for n in exp.spec.parameters
                  if n not in names}  # fmt: skip
    summary = {
        "calibration_id": cid, "experiment": str(exp.path), "name": exp.spec.name,
        "base": exp.spec.base, "code_version": code_version(), "method": "ABC-SMC (pyabc "
        f"{pyabc.__version__})", "distance": c.distance, "workers": backend.workers,
        "fitted_parameters": {n: {"prior": "log-uniform" if dims[n].scale == "log" else "uniform",
                                  "low": dims[n].low, "high": dims[n].high} for n in names},
        "held_fixed_parameters": {**{k: v for k, v in exp.spec.fixed.items()}, **held_fixed},
        "observed": observed, "held_out": dict(c.held_out),
        "generations": int(history.max_t) + 1, "simulations": int(history.total_nr_simulations),
        "epsilons": [float(e) for e in pops["epsilon"] if np.isfinite(e)],
        "population": c.population, "posterior": posterior, "fit": checks,
        "database": str(db), "posterior_particles": str(Path(out) / rel),
    }  # fmt: skip
    path = folder / f"{cid}.json"
    write_json(summary, path)
    return CalibrationResult(cid, summary, path, db, Path(out) / rel)


class _Fitted:
    """The simulator as pyabc sees it: only the fitted (observed) statistics."""

    def __init__(self, sim: Simulator, keys: list[str]) -> None:
        self.sim, self.keys = sim, keys

    def __call__(self, pars: dict[str, float]) -> dict[str, float]:
        values = self.sim.values(pars)
        out = self.sim.run(values, self.sim.seed(values))
        return {k: out[k] for k in self.keys}


def _weighted_summary(x: np.ndarray, w: np.ndarray) -> dict[str, float]:
    mean = float(np.sum(w * x))
    sd = float(np.sqrt(np.sum(w * (x - mean) ** 2)))
    order = np.argsort(x)
    cdf = np.cumsum(w[order])
    q = {f"q{int(p * 100):02d}": float(x[order][min(np.searchsorted(cdf, p), len(x) - 1)])
         for p in (0.05, 0.5, 0.95)}  # fmt: skip
    return {"mean": mean, "sd": sd, **q}


def _check_run(args: tuple[Simulator, dict[str, Any], int]) -> dict[str, float]:
    sim, values, seed = args
    return sim.run(values, seed)


def _posterior_checks(
    sim: Simulator,
    particles: dict[str, list],
    w: np.ndarray,
    n: int,
    root: np.random.SeedSequence,
    executor,
) -> dict[str, Any]:
    """Run ``n`` fresh simulations at posterior draws; compare every target with its observation."""
    if n == 0:
        return {}
    rng = np.random.default_rng(root.spawn(1)[0])
    picks = rng.choice(len(w), size=n, p=w)
    seeds = [int(s >> 1) for s in rng.integers(0, 2**63, size=n, dtype=np.uint64)]
    jobs = [(sim, {k: v[i] for k, v in particles.items()}, s) for i, s in zip(picks, seeds)]
    results = list(executor.map(_check_run, jobs))
    out = {}
    for key, (role, obs) in sim.targets.items():
        sims = np.array([r[key] for r in results], dtype=float)
        ok = sims[np.isfinite(sims)]
        lo, hi = np.quantile(ok, [0.05, 0.95]) if ok.size else (np.nan, np.nan)
        out[key] = {"role": role, "observed": obs, "simulated_mean": float(np.mean(ok)) if ok.size else None,
                    "simulated_sd": float(np.std(ok)) if ok.size else None,
                    "q05": float(lo), "q95": float(hi), "within_90": bool(lo <= obs <= hi),
                    "relative_error": float(abs(np.mean(ok) - obs) / max(abs(obs), 1e-12)) if ok.size else None,
                    "runs": int(ok.size)}  # fmt: skip
    return out


def _quiet_pyabc(notify) -> None:
    # pyabc logs each generation at INFO; pass those lines to ``notify`` instead of stderr.
    class Forward(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            msg = record.getMessage()
            if record.name == "ABC" and msg.startswith("t:"):
                notify(f"ABC-SMC {msg}")

    for name in (
        "ABC",
        "Sampler",
        "Epsilon",
        "Acceptor",
        "Distance",
        "ABC.History",
        "Redis",
        "Adaptation",
        "ABC.Sampler",
        "ABC.Distance",
        "ABC.Epsilon",
    ):
        logging.getLogger(name).setLevel(logging.WARNING)
    logger = logging.getLogger("ABC")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.handlers = [Forward()]
