"""The report of one stored run: what was run, its time series, episodes, events, distributions, grids.

Sections appear when the run has what they need: the by-class and by-country panels for the
world model's columns, grid snapshots for the civil violence model, and so on. Grids and
agent-level distributions come from a deterministic replay of the run (``replay.py``) unless
the dashboard kept the run's grid snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from periphery.engine.episodes import episodes
from periphery.experiments import TargetError
from periphery.report import plots
from periphery.report.columns import WorldColumns, parse_columns
from periphery.report.html import HtmlReport
from periphery.report.replay import find_scenario, replay
from periphery.report.snapshots import load_snapshots
from periphery.store import RunStore, code_version

#: Epstein's (2002) outburst threshold: more than 50 citizens active.
CV_OUTBURST_LEVEL = 50


@dataclass
class ReportFiles:
    """Where a report was written."""

    html: Path
    pngs: list[Path]


def run_report(store: RunStore, rid: str, to: Path | None = None, replay_grid: bool = True) -> ReportFiles:
    """Write the report of run ``rid`` of ``store`` into ``to`` (default ``OUT/reports/<run id>``).

    Parameters
    ----------
    store : RunStore
        The store holding the run.
    rid : str
        The full run id.
    to : path, optional
        Output folder for ``report.html`` and the PNG files.
    replay_grid : bool
        Re-run the run to draw grids and distributions when no snapshots were kept.
    """
    manifest = store.manifest(rid)
    series = store.read_series(rid)
    doc = build_run_report(store, rid, manifest, series, replay_grid)
    page, pngs = doc.write(to or store.root / "reports" / rid)
    return ReportFiles(page, pngs)


def build_run_report(store: RunStore, rid: str, manifest: dict[str, Any], series: pa.Table,
                     replay_grid: bool = True) -> HtmlReport:
    """The report of one run as an ``HtmlReport`` (not yet written)."""
    model = manifest["model"]
    steps = int(manifest["steps"])
    doc = HtmlReport(
        f"Run {rid}: {model}",
        f"{steps} steps, seed {manifest['seed']}, stored {manifest.get('created_at', '?')}, "
        f"code {manifest.get('code_version', '?')}",
    )
    _overview(doc, manifest, series)
    cols = [c for c in series.column_names if c not in ("run_id", "step")]
    step = series.column("step").to_numpy()
    data = {c: series.column(c).to_numpy() for c in cols}
    world = parse_columns(cols)
    if model == "civil-violence":
        _civil_violence_series(doc, step, data, manifest)
    elif model == "threshold":
        _threshold_series(doc, step, data, manifest)
    if world.has_statuses:
        _world_series(doc, step, data, world)
    if model not in ("civil-violence", "threshold") and not world.has_statuses:
        _generic_series(doc, step, data)
    _lifecycles(doc, model, data, world)
    _timeline(doc, step, data, world, model, _scenario_events(manifest, step))
    extra = _replayed(store, rid, manifest, series, replay_grid)
    _distributions(doc, model, extra, manifest)
    if model == "civil-violence":
        _grids(doc, store, rid, data, step, extra)
    _method(doc, manifest, extra)
    return doc


def flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``: parameter tables of the world model as one list."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _overview(doc: HtmlReport, manifest: dict[str, Any], series: pa.Table) -> None:
    doc.section("What was run")
    doc.paragraph(
        f"Model {manifest['model']}, run for {manifest['steps']} steps with seed "
        f"{manifest['seed']}; the run took {manifest.get('wall_seconds', '?')} s. The same "
        "model, parameters, seed and code version give the same numbers."
    )
    rows = [[k, v] for k, v in sorted(flatten(manifest.get("params", {})).items())]
    doc.table(["parameter", "value"], rows, "Parameters of the run, as resolved and stored.")
    last = {c: series.column(c)[-1].as_py() for c in series.column_names if c not in ("run_id",)}
    if len(last) <= 40:
        doc.table(["aggregate", "value at the last step"], [[k, v] for k, v in last.items()],
                  "The last recorded row of the run's per-step aggregates.")  # fmt: skip


def _civil_violence_series(doc, step, data, manifest) -> None:
    doc.section("Citizens over time")
    lines = {k: data[k] for k in ("quiet", "active", "jailed") if k in data}
    fig = plots.series_figure(step, lines, "citizens quiet, active and jailed", "citizens")
    doc.figure(fig, "citizens", "Number of citizens who are quiet (not rebelling), active "
               "(openly rebelling) and jailed at each step. Cops are not counted.")  # fmt: skip


def _threshold_series(doc, step, data, manifest) -> None:
    doc.section("Participants over time")
    fig = plots.series_figure(step, {"active": data["active"]}, "agents who have joined", "agents")
    n = manifest["params"].get("n", "?")
    doc.figure(fig, "participants", f"Number of agents (out of {n}) who have joined at each "
               "step. Joining is permanent, so the line never falls; it stops rising at the "
               "first step where nobody else's threshold is met.")  # fmt: skip


def _generic_series(doc, step, data) -> None:
    doc.section("Time series")
    names = [k for k in data if np.issubdtype(data[k].dtype, np.number)][:8]
    fig = plots.series_figure(step, {k: data[k] for k in names}, "recorded aggregates", "value")
    doc.figure(fig, "series", "The run's recorded per-step aggregates (at most eight).")


def _world_series(doc, step, data, world: WorldColumns) -> None:
    doc.section("Mobilized, organized, armed and jailed agents")
    by_class = world.panels(data, "class")
    if by_class:
        fig = plots.panels_figure(step, by_class)
        doc.figure(fig, "statuses-by-class", "Agents in each status over time, one line per "
                   "class, summed over countries. Each panel shows at most the ten classes "
                   "with the highest peaks.")  # fmt: skip
    by_country = world.panels(data, "country")
    if by_country:
        fig = plots.panels_figure(step, by_country)
        doc.figure(fig, "statuses-by-country", "Agents in each status over time, one line per "
                   "country, summed over classes.")  # fmt: skip
    other = world.other_measures(data)
    if other:
        fig = plots.panels_figure(step, other, ylabel="value")
        doc.figure(fig, "indicators", "Other recorded measures over time (grievance, "
                   "consciousness, organizations and similar), one line per class or country "
                   "where the run records them that way.")  # fmt: skip


def _mobilization(model: str, data: dict[str, np.ndarray], world: WorldColumns):
    """The series whose episodes are the run's movements, with its name and episode level."""
    if model == "civil-violence" and "active" in data:
        return data["active"], "active citizens", float(CV_OUTBURST_LEVEL)
    if world.has_statuses:
        total = world.total(data, ("mobilized", "organized", "armed"))
        if total is not None and total.max() > 0:
            return total, "mobilized, organized or armed agents", 0.1 * float(total.max())
    if "active" in data:
        a = data["active"].astype(float)
        return a, "active agents", 0.1 * float(a.max()) if a.size else 0.0
    return None


def _lifecycles(doc, model, data, world) -> None:
    found = _mobilization(model, data, world)
    if found is None:
        return
    values, name, level = found
    values = np.asarray(values, dtype=float)
    ep = episodes(values, level)
    doc.section("Movement life-cycles")
    if len(ep) == 0:
        doc.paragraph(f"No episode: the number of {name} never rose above {level:g}.")
        return
    fig = plots.lifecycle_figure(values, ep.start, ep.end, level, name)
    rule = ("Epstein's (2002) definition of an outburst" if model == "civil-violence"
            else "a tenth of the run's peak")  # fmt: skip
    doc.figure(fig, "lifecycles", f"Episodes of mobilization: stretches of steps with more "
               f"than {level:g} {name} ({rule}). Left: each episode from its first step, "
               "showing how it rose, peaked and fell (the largest twelve). Right: how long "
               "each episode lasted against its peak.")  # fmt: skip
    rows = [[int(s), int(e - s), float(p), float(t)]
            for s, e, p, t in zip(ep.start, ep.end, ep.peak, ep.total)][:30]  # fmt: skip
    doc.table(["first step", "duration (steps)", "peak", "agent-steps"], rows,
              f"{len(ep)} episodes (the first 30 shown). Agent-steps is the sum of {name} "
              "over the episode's steps.")  # fmt: skip


def _scenario_events(manifest: dict[str, Any], step: np.ndarray) -> dict[str, np.ndarray]:
    """Intensity of each timeline event of a world run's scenario at each step (0 when off).

    Timing follows ``World``: an event of month ``m`` and duration ``d`` is in force for
    ``max(m, 1) <= t < max(m, 1) + d``, to the end when ``d = 0``.
    """
    if manifest.get("model") != "world":
        return {}
    path = find_scenario(manifest)
    if path is None:
        return {}
    from periphery.scenarios.loader import load_scenario

    out: dict[str, np.ndarray] = {}
    for ev in load_scenario(path).timeline:
        start = max(ev.month, 1)
        on = (step >= start) & ((step < start + ev.duration) if ev.duration else True)
        key = f"{ev.kind} ({ev.country})"
        out[key] = np.maximum(out.get(key, 0.0), np.where(on, float(ev.intensity), 0.0))
    return out


def _timeline(doc, step, data, world: WorldColumns, model: str,
              scenario_events: dict[str, np.ndarray]) -> None:
    events = {**world.events(data), **scenario_events}
    regimes = world.regimes(data)
    legit = data.get("legitimacy")
    if not events and not regimes and (legit is None or np.ptp(legit) == 0):
        if model == "civil-violence" and legit is not None:
            doc.section("Exogenous events")
            doc.paragraph(f"Legitimacy stayed at {float(legit[0]):g} for the whole run; the "
                          "model has no other exogenous events.")  # fmt: skip
        return
    doc.section("Exogenous events and regime outcomes")
    if events or regimes:
        from periphery.report.columns import REGIME_NAMES

        fig = plots.timeline_figure(step, events, regimes, REGIME_NAMES)
        doc.figure(fig, "timeline", "When each exogenous event of the scenario was in force "
                   "(orange bars, one row per event and country) and the regime type of each "
                   "country over time (coloured stripes; a change of colour is a change of "
                   "regime).")  # fmt: skip
    if legit is not None and np.ptp(legit) > 0:
        fig = plots.series_figure(step, {"legitimacy": legit}, "legitimacy", "share")
        doc.figure(fig, "legitimacy", "Legitimacy of the regime over time, set from outside "
                   "the model (as in Epstein's runs where legitimacy falls).")  # fmt: skip


def _replayed(store, rid, manifest, series, enabled: bool) -> dict[str, Any]:
    """Grids and agent-level values from a replay, or from kept snapshots; notes what was done."""
    out: dict[str, Any] = {"note": ""}
    steps = int(manifest["steps"])
    kept = load_snapshots(store, rid) if manifest["model"] == "civil-violence" else None
    if kept is not None:
        out["snapshots"] = kept
    if not enabled:
        out["note"] = "Replays were turned off for this report."
        return out
    at = {0, steps}
    if manifest["model"] == "civil-violence" and kept is None:
        a = series.column("active").to_numpy()
        at |= {steps // 4, steps // 2, (3 * steps) // 4, int(np.argmax(a))}
    try:
        rep = replay(manifest, series, at, _grab)
    except (TargetError, KeyError, ValueError) as exc:
        out["note"] = f"The run could not be replayed ({exc}); grids and distributions are left out."
        return out
    out["grabbed"] = rep.grabbed
    out["final"] = rep.grabbed.get(max(rep.grabbed)) if rep.grabbed else None
    if rep.matches:
        out["note"] = ("Grids and distributions come from re-running the stored run (same model, "
                       "parameters and seed); the replay's aggregates matched the stored series "
                       "at every step.")  # fmt: skip
    else:
        out["note"] = (f"The replay did not reproduce the stored series ({rep.mismatch}); the "
                       f"run was stored with code {manifest.get('code_version')} and this is "
                       f"{code_version()}. Grids and distributions below are from the replay "
                       "and may differ from the stored run.")  # fmt: skip
    return out


def _grab(model) -> dict[str, np.ndarray]:
    """Agent-level values worth a histogram, and the grid if the model has one."""
    got: dict[str, np.ndarray] = {}
    if getattr(model, "name", "") == "civil-violence":
        got["grid"] = model.snapshot()
        cit = model.kind == 0
        got["grievance"] = model.hardship[cit] * (1.0 - float(model.legitimacy))
        got["risk aversion"] = model.risk[cit]
    elif getattr(model, "name", "") == "threshold":
        got["threshold"] = np.asarray(model.threshold)
    else:
        agents = getattr(getattr(model, "state", None), "agents", None)
        for name in ("grievance", "consciousness"):
            values = getattr(agents, name, None) if agents is not None else None
            if values is not None:
                got[name] = np.asarray(values, dtype=float)
    return got


def _distributions(doc, model, extra, manifest) -> None:
    final = extra.get("final")
    if not final:
        return
    samples = {k: v for k, v in final.items() if k != "grid"}
    if not samples:
        return
    doc.section("Distributions")
    fig = plots.histograms_figure(samples)
    if model == "civil-violence":
        cap = ("Across citizens at the last step: grievance (hardship times one minus "
               "legitimacy) and risk aversion. The dashed line is the mean.")  # fmt: skip
    elif model == "threshold":
        cap = ("Thresholds of all agents: how many others (or what share of ties) each needs "
               "to see joining before she joins. The dashed line is the mean.")  # fmt: skip
    else:
        cap = ("Across agents at the last step: grievance and consciousness. The dashed line "
               "is the mean.")  # fmt: skip
    doc.figure(fig, "distributions", cap)


def _grids(doc, store, rid, data, step, extra) -> None:
    snaps: list[tuple[int, np.ndarray]] = []
    if "snapshots" in extra:
        s, codes = extra["snapshots"]
        pick = sorted({0, len(s) // 4, len(s) // 2, (3 * len(s)) // 4, len(s) - 1})
        snaps = [(int(s[i]), codes[i]) for i in pick if 0 <= i < len(s)]
        source = "kept by the dashboard when it ran the model"
    elif extra.get("grabbed"):
        snaps = [(t, g["grid"]) for t, g in sorted(extra["grabbed"].items()) if "grid" in g]
        source = "re-computed by replaying the run"
    if not snaps:
        return
    doc.section("The grid")
    fig = plots.grid_snapshots_figure(snaps)
    doc.figure(fig, "grid-snapshots", "The grid at a few steps (" + source + "), including "
               "the start, the end and, for a replay, the step with the most active "
               "citizens. Red cells are active citizens, light blue quiet ones, dark grey "
               "jailed ones (they keep their cell), dark blue cops.")  # fmt: skip


def _method(doc, manifest, extra) -> None:
    doc.section("How this report was made")
    doc.paragraph(f"Made from the run's stored series and manifest by periphery "
                  f"{code_version()}. {extra.get('note', '')}", note=True)  # fmt: skip
