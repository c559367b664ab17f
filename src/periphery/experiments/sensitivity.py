"""Global sensitivity analysis of a sweep's outcomes with SALib: Sobol' indices or Morris screening.

The experiment file chooses the method through its design: ``kind = "sobol"`` (Saltelli's
sampling, first-order ``S1`` and total ``ST`` indices, with ``second_order`` also ``S2``) or
``kind = "morris"`` (elementary effects: ``mu_star``, ``sigma``). Replicates of a design point
are averaged before the analysis, so the indices describe the expected outcome; the spread
between replicates is the model's own noise, not a parameter's effect. Bootstrap confidence
intervals use a seed spawned from the experiment's root seed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from periphery.experiments.plan import Plan
from periphery.store import RunStore
from periphery.store import sweeps as book

METHODS = {"sobol": ("S1", "ST"), "morris": ("mu_star", "sigma")}


class SensitivityError(ValueError):
    """The sweep cannot be analysed (wrong design, failed runs, missing outcomes); one line."""


@dataclass(frozen=True)
class Indices:
    """Sensitivity indices of one outcome.

    Attributes
    ----------
    outcome : str
        The outcome analysed.
    method : {"sobol", "morris"}
        The analysis.
    rows : list of dict
        One per parameter: ``parameter`` and the method's indices with their confidence
        half-widths (``S1``, ``S1_conf``, ``ST``, ``ST_conf``; or ``mu_star``,
        ``mu_star_conf``, ``sigma``).
    varies : bool
        False when the outcome is the same at every design point (indices are undefined).
    """

    outcome: str
    method: str
    rows: list[dict[str, Any]]
    varies: bool = True


def outcome_matrix(plan: Plan, store: RunStore, names: list[str]) -> np.ndarray:
    """Mean of each outcome over the replicates of each design point, shape ``(points, outcomes)``.

    Raises
    ------
    SensitivityError
        If a design point has no finished run with the outcome (the analysis needs every point).
    """
    values: dict[int, list[dict[str, Any]]] = defaultdict(list)
    failed: list[tuple[int, str]] = []
    for row in book.sweep_runs(store, plan.sweep_id):
        if row["status"] == "done" and row["outcomes"]:
            values[row["point"]].append(json.loads(row["outcomes"]))
        elif row["status"] == "failed":
            failed.append((row["point"], row["error"] or "failed"))
    n = len(plan.design.points)
    Y = np.full((n, len(names)), np.nan)
    for p in range(n):
        for j, name in enumerate(names):
            xs = [v[name] for v in values.get(p, []) if v.get(name) is not None]
            if xs:
                Y[p, j] = float(np.mean(xs))
    missing = np.isnan(Y).any(axis=1)
    if missing.any():
        example = f"; e.g. {failed[0][1]}" if failed else ""
        raise SensitivityError(
            f"{int(missing.sum())} of {n} design points have no finished run with every outcome "
            f"({', '.join(names)}); the analysis needs all of them{example}")  # fmt: skip
    return Y


def analyze(plan: Plan, store: RunStore, outcomes: list[str] | None = None) -> list[Indices]:
    """Sobol' or Morris indices of each outcome of a finished sweep."""
    exp = plan.experiment
    method = exp.spec.design.kind
    if method not in METHODS:
        raise SensitivityError(f"{exp.path}: design kind is '{method}'; sensitivity analysis needs "
                               "'sobol' or 'morris' (set [design] kind)")  # fmt: skip
    names = outcomes or [o.name for o in exp.spec.outcomes]
    unknown = [n for n in names if n not in {o.name for o in exp.spec.outcomes}]
    if unknown or not names:
        raise SensitivityError(f"outcome {unknown[0] if unknown else '(none)'!r}: not an outcome of "
                               f"{exp.path}; allowed: {', '.join(o.name for o in exp.spec.outcomes)}")  # fmt: skip
    Y = outcome_matrix(plan, store, names)
    seed = int(np.random.SeedSequence(exp.spec.seed).spawn(3)[2].generate_state(1)[0])
    problem = plan.design.problem
    out = []
    for j, name in enumerate(names):
        y = Y[:, j]
        if np.ptp(y) == 0:
            rows = [
                {"parameter": p, **{k: float("nan") for k in _keys(method)}}
                for p in problem["names"]
            ]
            out.append(Indices(name, method, rows, varies=False))
            continue
        if method == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(problem, y, calc_second_order=exp.spec.design.second_order,
                                seed=seed, print_to_console=False)  # fmt: skip
        else:
            from SALib.analyze import morris

            res = morris.analyze(problem, plan.design.X, y, num_levels=exp.spec.design.levels,
                                 seed=seed, print_to_console=False)  # fmt: skip
        rows = [{"parameter": p, **{k: float(res[k][i]) for k in _keys(method)}}
                for i, p in enumerate(problem["names"])]  # fmt: skip
        out.append(Indices(name, method, rows))
    return out


def _keys(method: str) -> tuple[str, ...]:
    if method == "sobol":
        return ("S1", "S1_conf", "ST", "ST_conf")
    return ("mu_star", "mu_star_conf", "sigma")


def long_rows(plan: Plan, results: list[Indices]) -> list[dict[str, Any]]:
    """The indices in long form (``sweep_id, method, outcome, parameter, index, value, conf``)."""
    rows = []
    for res in results:
        for r in res.rows:
            for key in METHODS[res.method]:
                rows.append({"sweep_id": plan.sweep_id, "method": res.method, "outcome": res.outcome,
                             "parameter": r["parameter"], "index": key, "value": r[key],
                             "conf": r.get(f"{key}_conf")})  # fmt: skip
    return rows
