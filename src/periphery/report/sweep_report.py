"""The report of a sweep's output folder: ensemble means with bands, outcomes against each swept
parameter, sensitivity indices, and the validation table when there is one.

A sweep folder is a run store holding many runs of one model. Swept parameters are those
whose values differ between runs; runs with equal parameters and different seeds are
replicates. Sensitivity indices and validation results written by the experiment and
validation layers (``sensitivity*.json|csv|parquet``, ``validation*.json|csv|parquet`` in the
folder) are shown as they are; without a sensitivity file, a first-order index is estimated
from the runs themselves (the correlation ratio, see ``first_order``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from periphery.report import plots
from periphery.report.columns import parse_columns
from periphery.report.html import HtmlReport
from periphery.report.run_report import ReportFiles, flatten
from periphery.store import RunStore, StoreError

MAX_GROUPS = 6


def outcome_columns(model: str, names: list[str]) -> list[str]:
    """The aggregates a sweep report follows for ``model``."""
    wanted = {"civil-violence": ["active", "jailed"], "threshold": ["active"],
              "world": ["n_mobilized", "n_organized", "n_armed", "n_jailed", "share_active"]}  # fmt: skip
    picked = [c for c in wanted.get(model, []) if c in names]
    if picked:
        return picked
    world = parse_columns(names)
    return [c.name for c in world.cols if c.kind == "status" and not c.cls and not c.country][:4] or \
        [n for n in names if n not in ("run_id", "step", "month")][:4]  # fmt: skip


def first_order(x: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Share of the variance of ``y`` explained by ``x`` alone: ``Var(E[y | x]) / Var(y)``.

    ``x`` is grouped by value when it takes few values (a grid design) and into quantile bins
    otherwise. This is the first-order (main-effect) index of variance-based sensitivity
    analysis, estimated from the runs at hand rather than from a dedicated sampling design;
    with few runs per bin it is biased upwards.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    var = y.var()
    if var == 0 or x.size < 3:
        return 0.0
    ux = np.unique(x)
    if ux.size <= bins:
        labels = np.searchsorted(ux, x)
    else:
        edges = np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1])
        labels = np.searchsorted(edges, x, side="right")
    means = np.zeros(labels.max() + 1)
    counts = np.bincount(labels)
    np.add.at(means, labels, y)
    means = means[counts > 0] / counts[counts > 0]
    return float(np.sum(counts[counts > 0] * (means - y.mean()) ** 2) / (y.size * var))


def _read_table_file(path: Path) -> tuple[list[str], list[list[Any]]] | None:
    """A JSON, CSV or Parquet file as columns and rows, or ``None`` when it cannot be read."""
    try:
        if path.suffix == ".parquet":
            t = pq.read_table(path)
            return t.column_names, [list(r.values()) for r in t.to_pylist()]
        if path.suffix == ".csv":
            import csv

            rows = list(csv.reader(path.read_text().splitlines()))
            return (rows[0], rows[1:]) if rows else None
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        cols = list(dict.fromkeys(k for r in data for k in r))
        return cols, [[r.get(c) for c in cols] for r in data]
    if isinstance(data, dict):
        flat = flatten(data)
        return ["name", "value"], [[k, v] for k, v in flat.items()]
    return None


def sweep_report(folder: Path, to: Path | None = None) -> ReportFiles:
    """Write the report of the sweep stored in ``folder`` (default into ``folder/report``)."""
    store = RunStore(folder)
    runs = [r for r in store.list() if r["status"] == "done"]
    if not runs:
        raise StoreError(f"{folder}: no finished runs to report on")
    doc = build_sweep_report(store, runs, folder)
    page, pngs = doc.write(to or folder / "report")
    return ReportFiles(page, pngs)


def build_sweep_report(store: RunStore, runs: list[dict[str, Any]], folder: Path) -> HtmlReport:
    """The sweep report as an ``HtmlReport`` (not yet written)."""
    models = sorted({r["model"] for r in runs})
    model = runs[0]["model"]
    params = {r["run_id"]: flatten(json.loads(r["params"]) if isinstance(r["params"], str)
                                   else r["params"]) for r in runs}  # fmt: skip
    keys = sorted({k for p in params.values() for k in p})
    swept = [k for k in keys if len({json.dumps(p.get(k), default=str) for p in params.values()}) > 1]
    seeds = sorted({r["seed"] for r in runs})
    doc = HtmlReport(f"Sweep: {len(runs)} runs of {', '.join(models)}",
                     f"folder {folder}; {len(swept)} swept parameters; {len(seeds)} seeds")  # fmt: skip
    doc.section("What was run")
    doc.paragraph(
        f"{len(runs)} finished runs of {', '.join(models)} ({min(r['steps'] for r in runs)} to "
        f"{max(r['steps'] for r in runs)} steps). Parameters whose values differ between runs "
        f"are taken as swept: {', '.join(swept) or 'none (an ensemble over seeds)'}."
    )
    if swept:
        doc.table(["parameter", "values"],
                  [[k, ", ".join(sorted({str(p.get(k)) for p in params.values()}, key=_num))[:300]]
                   for k in swept], "Swept parameters and the values they took.")  # fmt: skip
    series = {r["run_id"]: store.read_series(r["run_id"]) for r in runs if r["model"] == model}
    names = next(iter(series.values())).column_names
    outcomes = outcome_columns(model, names)
    _ensembles(doc, series, params, swept, outcomes)
    scalars = _scalars(series, outcomes)
    _versus(doc, scalars, params, swept, outcomes)
    _sensitivity(doc, folder, scalars, params, swept, outcomes)
    _validation(doc, folder)
    doc.section("How this report was made")
    doc.paragraph(f"Made from the stored series of every run in {folder}. Outcomes are means "
                  "over the second half of each run, so the transient from the initial state "
                  "weighs less.", note=True)  # fmt: skip
    return doc


def _num(s: str):
    try:
        return (0, float(s), "")
    except ValueError:
        return (1, 0.0, s)


def _label(p: dict[str, Any], swept: list[str]) -> str:
    return ", ".join(f"{k}={p.get(k)}" for k in swept) or "all runs"


def _ensembles(doc, series, params, swept, outcomes) -> None:
    groups: dict[str, list[str]] = defaultdict(list)
    for rid in series:
        groups[_label(params[rid], swept)].append(rid)
    labels = sorted(groups, key=lambda s: [_num(x.split("=")[-1]) for x in s.split(", ")])
    if len(labels) > MAX_GROUPS:  # spread the shown groups over the sorted combinations
        labels = [labels[i] for i in np.linspace(0, len(labels) - 1, MAX_GROUPS).astype(int)]
    doc.section("Ensemble means with bands")
    for name in outcomes:
        stacked = {}
        for lab in labels:
            rows = [series[r].column(name).to_numpy().astype(float) for r in groups[lab]]
            n = min(len(r) for r in rows)
            stacked[lab] = np.vstack([r[:n] for r in rows])
        n = min(v.shape[1] for v in stacked.values())
        step = next(iter(series.values())).column("step").to_numpy()[:n]
        fig = plots.ensemble_figure(step, {k: v[:, :n] for k, v in stacked.items()}, name)
        shown = (f" {MAX_GROUPS} of the {len(groups)} parameter combinations are shown, "
                 "spread over their range." if len(groups) > len(labels) else "")  # fmt: skip
        doc.figure(fig, f"ensemble-{name}", f"{name} over time: the line is the mean over the "
                   "runs that share the same swept parameters (n = number of runs, differing "
                   "in seed only), the shaded band holds the middle 90% of those runs." + shown)  # fmt: skip


def _scalars(series, outcomes) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for rid, t in series.items():
        out[rid] = {}
        for name in outcomes:
            v = t.column(name).to_numpy().astype(float)
            out[rid][name] = float(v[len(v) // 2:].mean()) if v.size else float("nan")
    return out


def _numeric(params, rid, k) -> float | None:
    v = params[rid].get(k)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def _versus(doc, scalars, params, swept, outcomes) -> None:
    numeric = [k for k in swept if all(_numeric(params, r, k) is not None for r in scalars)]
    if not numeric:
        return
    doc.section("Outcomes against each swept parameter")
    for k in numeric:
        x = np.array([_numeric(params, r, k) for r in scalars])
        for name in outcomes[:2]:
            y = np.array([scalars[r][name] for r in scalars])
            fig = plots.outcome_vs_parameter_figure(x, y, k, f"{name} (mean, 2nd half)")
            doc.figure(fig, f"{name}-vs-{k}", f"Each dot is one run: the mean of {name} over "
                       f"the second half of the run against its value of {k}. The black line "
                       f"joins the mean over runs at each value of {k} (when {k} takes few "
                       "values).")  # fmt: skip


def _sensitivity(doc, folder, scalars, params, swept, outcomes) -> None:
    files = sorted(p for ext in ("json", "csv", "parquet") for p in folder.glob(f"sensitivity*.{ext}"))
    numeric = [k for k in swept if all(_numeric(params, r, k) is not None for r in scalars)]
    if not files and not numeric:
        return
    doc.section("Sensitivity indices")
    for path in files:
        table = _read_table_file(path)
        if table:
            cols, rows = table
            doc.table(cols, rows[:200], f"Sensitivity indices as written by the experiment in {path.name}.")
            _plot_index_table(doc, cols, rows, path.name)
    if files or not numeric:
        return
    for name in outcomes[:3]:
        y = np.array([scalars[r][name] for r in scalars])
        idx = {k: first_order(np.array([_numeric(params, r, k) for r in scalars]), y) for k in numeric}
        fig = plots.sensitivity_figure(idx, f"first-order index of {name}")
        doc.figure(fig, f"sensitivity-{name}", f"How much of the spread of {name} (mean over "
                   "the second half of each run) each swept parameter explains on its own, "
                   "from 0 (nothing) to 1 (everything). Estimated from these runs by grouping "
                   "them by the parameter's value (the correlation ratio); with few runs per "
                   "value it overstates the effect.")  # fmt: skip


def _plot_index_table(doc, cols, rows, source: str) -> None:
    """Bars for the first-order and total indices when the table has them by parameter."""
    lower = [str(c).lower() for c in cols]
    pcol = next((i for i, c in enumerate(lower) if c in ("parameter", "name", "param")), None)
    if pcol is None:
        return
    ocol = lower.index("outcome") if "outcome" in lower else None
    outcomes = sorted({str(r[ocol]) for r in rows}) if ocol is not None else [""]
    for outcome in outcomes[:6]:
        mine = [r for r in rows if ocol is None or str(r[ocol]) == outcome]
        for key in ("s1", "st", "mu_star"):
            if key not in lower:
                continue
            i = lower.index(key)
            vals = {str(r[pcol]): float(r[i]) for r in mine if _isnum(r[i])}
            if vals:
                what = f"{cols[i]} of {outcome}" if outcome else cols[i]
                fig = plots.sensitivity_figure(vals, f"{what} ({source})")
                doc.figure(fig, f"{source}-{outcome}-{key}", f"{what}, by parameter, from "
                           f"{source}. S1 is the share of the outcome's variance a parameter "
                           "explains alone, ST the share it explains with its interactions; "
                           "mu_star (Morris) is the mean absolute effect of changing it.")  # fmt: skip


def _isnum(v) -> bool:
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def _validation(doc, folder: Path) -> None:
    files = sorted(p for ext in ("json", "csv", "parquet") for p in folder.glob(f"validation*.{ext}"))
    if not files:
        return
    doc.section("Validation")
    for path in files:
        table = _read_table_file(path)
        if table:
            cols, rows = table
            doc.table(cols, rows[:500], f"Checks of the theory's predictions over these runs, "
                      f"from {path.name}.")  # fmt: skip
