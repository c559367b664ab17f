"""The world model of the seed theory: a scenario and the shared parameters turned into state, stepped monthly.

``build(scenario, params, seed)`` lays out agents by country (population weights) and class
(class shares), fills countries and organizations from the scenario, draws individual traits
and the three tie networks from named random streams, and assembles the schedule of the
scenario's framework. ``World.step()`` is one month: the timeline's events due this month set
the countries' policy columns, then the schedule runs. ``observe()`` gives flat scalar
aggregates with stable names; ``identity()`` what the run store needs to name a run.

Event timing: an event with ``month = m`` and ``duration = d`` is active in steps
``max(m, 1) <= t < max(m, 1) + d`` (``d = 0``: to the end); month 0 and month 1 both mean "from
the first step". ``<kind>_months`` is 1 in the first active step.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from periphery.engine.network import CSRNetwork
from periphery.engine.params import Params
from periphery.engine.rng import Streams
from periphery.engine.schedule import Context, Schedule
from periphery.engine.state import State
from periphery.scenarios.loader import load_params, load_scenario
from periphery.scenarios.schema import Scenario
from periphery.theory.frameworks import build_schedule, param_tables
from periphery.theory.world_schema import (
    ALCA_STATUS,
    CLASS_CODE,
    CLASS_EMPLOYMENT,
    CLASS_NAMES,
    CROP,
    EMPLOY,
    EVENT_NAMES,
    N_CLASSES,
    ORG_FORMS,
    ORG_SCOPES,
    POWER_ORIENTATIONS,
    REGIME_CODE,
    STATUSES,
    TACTICS,
    TARGETS,
    all_vars,
    schema,
)

_NS = len(STATUSES)
_OBS_STATUSES = ("mobilized", "organized", "armed", "jailed")


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder; exact sum)."""
    w = np.asarray(weights, dtype=np.float64)
    if total == 0 or w.sum() <= 0:
        return np.zeros(w.size, dtype=np.int64)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(np.int64)
    short = total - out.sum()
    order = np.argsort(-(raw - out), kind="stable")
    out[order[:short]] += 1
    return out


def _apply_reversals(level: np.ndarray, months: np.ndarray, withdrawn: np.ndarray, limited: np.ndarray) -> None:
    """M67 hook: while scheduled, a withdrawn event kind (bit k of ``withdrawn``) is set to 0 and a
    limited one halved; a bit is cleared once the timeline no longer schedules that kind."""
    k = np.arange(level.shape[0], dtype=np.int64)[:, None]
    on = level > 0
    for mask, factor in ((withdrawn, 0.0), (limited, 0.5)):
        bits = ((mask[None, :] >> k) & 1).astype(bool) & on
        mask[:] = (bits.astype(np.int64) << k).sum(axis=0)
        level[bits] *= np.float32(factor)
        if factor == 0.0:
            months[bits] = 0


class World:
    """A built world: state, schedule, parameters, streams and the event timeline."""

    def __init__(self, scenario: Scenario, params: dict[str, Params], seed: int, state: State,
                 schedule: Schedule, spaces: dict[str, CSRNetwork], streams: Streams) -> None:  # fmt: skip
        self.scenario = scenario
        self.params = params
        self.seed = seed
        self.state = state
        self.schedule = schedule
        self.streams = streams
        self.ctx = Context(t=0, spaces=spaces)
        names = [c.name for c in scenario.countries]
        tl = scenario.timeline
        self._ev_kind = np.array([EVENT_NAMES.index(e.kind) for e in tl], dtype=np.int64)
        self._ev_country = np.array([names.index(e.country) for e in tl], dtype=np.int64)
        self._ev_start = np.array([max(e.month, 1) for e in tl], dtype=np.int64)
        self._ev_end = np.array([max(e.month, 1) + e.duration if e.duration else np.iinfo(np.int64).max for e in tl],
                                dtype=np.int64)  # fmt: skip
        self._ev_intensity = np.array([e.intensity for e in tl], dtype=np.float32)
        self._country_names = names

    @property
    def t(self) -> int:
        """Months stepped so far."""
        return self.ctx.t

    def _apply_events(self) -> None:
        t, cs = self.ctx.t, self.state.countries
        nk, nc = len(EVENT_NAMES), cs.n
        level = np.zeros((nk, nc), dtype=np.float32)
        months = np.zeros((nk, nc), dtype=np.int16)
        for i in np.flatnonzero((self._ev_start <= t) & (t < self._ev_end)):
            k, c = self._ev_kind[i], self._ev_country[i]
            level[k, c] = max(level[k, c], self._ev_intensity[i])
            m = t - self._ev_start[i] + 1
            months[k, c] = m if months[k, c] == 0 else min(months[k, c], m)
        cols = cs.columns()
        if "policy_withdrawn" in cols:  # tactics family (M67): policies reversed under pressure
            _apply_reversals(level, months, cols["policy_withdrawn"], cols["policy_limited"])
        for k, kind in enumerate(EVENT_NAMES):
            cols[kind][:] = level[k]
            cols[f"{kind}_months"][:] = months[k]

    def step(self) -> None:
        """One month: apply the events due, then run the framework's schedule."""
        self.ctx.t += 1
        self._apply_events()
        self.schedule.step(self.state, self.params, self.streams, self.ctx)

    def observe(self) -> dict[str, int | float]:
        """Flat scalar aggregates of the current state (stable names, usable as Parquet columns)."""
        a, cs = self.state.agents, self.state.countries
        counts = np.bincount(a.status, minlength=_NS)
        n = max(int(a.status.size - counts[STATUSES.index("emigrated")]), 1)
        out: dict[str, int | float] = {"month": int(self.ctx.t)}
        for s, c in zip(STATUSES, counts):
            out[f"n_{s}"] = int(c)
        active = int(counts[1] + counts[2] + counts[3])
        out["n_active"] = active
        out["share_active"] = active / n
        out["mean_grievance"] = float(a.grievance.mean(dtype=np.float64))
        out["mean_consciousness"] = float(a.consciousness.mean(dtype=np.float64))
        out["mean_income"] = float(a.income.mean(dtype=np.float64))
        by_class = np.bincount(a.class_code.astype(np.intp) * _NS + a.status, minlength=N_CLASSES * _NS)
        by_class = by_class.reshape(N_CLASSES, _NS)
        for j, cname in enumerate(CLASS_NAMES):
            out[f"class.{cname}.n"] = int(by_class[j].sum())
            for s in _OBS_STATUSES:
                out[f"class.{cname}.n_{s}"] = int(by_class[j, STATUSES.index(s)])
        for i, name in enumerate(self._country_names):
            p = f"country.{name}."
            out[p + "regime"] = int(cs.regime[i])
            out[p + "n_alive"] = int(cs.n_alive[i])
            for s in _OBS_STATUSES:
                out[p + f"n_{s}"] = int(cs.columns()[f"n_{s}"][i])
            out[p + "share_active"] = float(cs.share_active[i])
            out[p + "mean_grievance"] = float(cs.mean_grievance[i])
            out[p + "mean_consciousness"] = float(cs.mean_consciousness[i])
            out[p + "breadth"] = float(cs.breadth[i])
            out[p + "unemployment_rate"] = float(cs.unemployment_rate[i])
            out[p + "legitimacy"] = float(cs.legitimacy[i])
            out[p + "repression"] = float(cs.repression[i])
            out[p + "democratic_space"] = float(cs.democratic_space[i])
        return out

    def identity(self) -> dict[str, Any]:
        """What names this run: scenario content hash, framework, mechanisms, resolved parameters, seed."""
        body = json.dumps(self.scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return {
            "model": "world",
            "scenario": self.scenario.name,
            "scenario_hash": hashlib.sha256(body.encode()).hexdigest(),
            "framework": self.scenario.framework,
            "mechanisms": list(self.schedule.names),
            "params": {k: v.model_dump(mode="json") for k, v in self.params.items()},
            "seed": int(self.seed),
            "agents": int(self.state.agents.n),
        }

    def snapshot(self) -> State:
        """A deep copy of the current state."""
        return self.state.copy()


# ------------------------------------------------------------------------------------------
# Building
# ------------------------------------------------------------------------------------------


def _csr(n: int, src: np.ndarray, dst: np.ndarray) -> CSRNetwork:
    """Symmetric CSR network from edge lists, duplicates and self-ties dropped."""
    return CSRNetwork.from_edges(n, src, dst, symmetric=True)


def _networks(cell: np.ndarray, country: np.ndarray, bp, streams: Streams) -> dict[str, CSRNetwork]:
    n = cell.size
    spaces: dict[str, CSRNetwork] = {}

    def bounds(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # agents are sorted by key at build, so each key value is one contiguous block
        counts = np.bincount(keys)
        stop = np.cumsum(counts)
        return stop - counts, stop

    def block(keys: np.ndarray, rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray]:
        # random partners within the same key block
        lo, hi = bounds(keys)
        src = rng.integers(0, n, m)
        k = keys[src]
        dst = lo[k] + (rng.random(m) * (hi[k] - lo[k])).astype(np.int64)
        return src, dst

    rng = streams("build.network.within_class")
    spaces["within_class"] = _csr(n, *block(cell, rng, int(round(n * bp.ties_within_class / 2))))
    rng = streams("build.network.cross_class")
    spaces["cross_class"] = _csr(n, *block(country, rng, int(round(n * bp.ties_cross_class / 2))))
    rng = streams("build.network.neighbourhood")
    m = int(round(n * bp.ties_neighbourhood / 2))
    lo, hi = bounds(country)
    src = rng.integers(0, n, m)
    k = country[src]
    dst = np.clip(src + rng.integers(-bp.neighbourhood_width, bp.neighbourhood_width + 1, m), lo[k], hi[k] - 1)
    spaces["neighbourhood"] = _csr(n, src, dst)
    return spaces


def build(scenario: Scenario, params: dict[str, Params] | None = None, seed: int = 0) -> World:
    """Turn a scenario and resolved parameters into a ``World`` ready to step.

    Parameters
    ----------
    scenario : Scenario
        Validated scenario (``load_scenario``).
    params : dict of str to Params, optional
        Resolved parameters by table (``load_params``); defaults when omitted.
    seed : int
        Run seed; every random draw flows from it through named streams.
    """
    tables = param_tables()
    params = {**{k: c() for k, c in tables.items()}, **(params or {})}
    streams = Streams(seed)
    bp = params["build"]
    sch = schema()
    sc = scenario
    nc = len(sc.countries)
    n_per_country = allocate(sc.agents, np.array([c.population_weight for c in sc.countries]))
    n_orgs = len(sc.organizations) + bp.org_slots_per_country * nc
    state = sch.allocate({"agents": sc.agents, "countries": nc, "orgs": n_orgs, "globe": 1})
    for v in all_vars():
        if v.fill:
            state.get(v.key)[:] = v.fill

    # agents: contiguous by country, then class
    a = state.agents
    cls_parts, cty_parts = [], []
    for i, c in enumerate(sc.countries):
        shares = np.zeros(N_CLASSES)
        for k, s in c.class_shares.items():
            shares[CLASS_CODE[k]] = s
        per_class = allocate(int(n_per_country[i]), shares)
        cls_parts.append(np.repeat(np.arange(N_CLASSES), per_class))
        cty_parts.append(np.full(int(n_per_country[i]), i))
    cls = np.concatenate(cls_parts) if cls_parts else np.zeros(0, dtype=np.int64)
    a.class_code = cls
    a.country = np.concatenate(cty_parts)
    a.cell = a.country.astype(np.int64) * N_CLASSES + cls
    employ_lut = np.array([EMPLOY[e] for e in CLASS_EMPLOYMENT], dtype=np.int8)
    a.employment = employ_lut[cls]
    a.risk_aversion = streams("build.risk_aversion").random(sc.agents, dtype=np.float32)
    a.hardship = streams("build.hardship").random(sc.agents, dtype=np.float32)
    u = streams("build.traits").random((4, sc.agents), dtype=np.float32)
    coca_share = np.array([c.coca_share for c in sc.countries], dtype=np.float32)[a.country]
    indig_share = np.array([c.indigenous_share for c in sc.countries], dtype=np.float32)[a.country]
    farmer = cls == CLASS_CODE["peasant_farmer"]
    rural = farmer | (cls == CLASS_CODE["landless_rural_worker"])
    a.crop = np.where(farmer | (cls == CLASS_CODE["indigenous_community"]), CROP["food"], CROP["none"])
    a.crop[farmer & (u[0] < coca_share)] = CROP["coca"]
    a.indigenous = (cls == CLASS_CODE["indigenous_community"]) | (rural & (u[1] < indig_share))
    a.land = np.where(farmer | (cls == CLASS_CODE["indigenous_community"]), 1.0, 0.0)
    a.credit_access = np.where(farmer | (cls == CLASS_CODE["small_medium_capitalist"]), 0.5, 0.0)
    unionized = np.isin(cls, [CLASS_CODE[k] for k in ("public_employee", "teacher_student", "industrial_worker")])
    a.union_member = unionized & (u[2] < 0.5)
    core_young = np.isin(cls, [CLASS_CODE[k] for k in ("core_middle_class", "core_worker")])
    a.draft_age = (core_young & (u[3] < 0.3)) | (cls == CLASS_CODE["core_soldier"])

    # countries
    cs = state.countries
    cs.n_agents = n_per_country
    cs.regime = [REGIME_CODE[c.regime] for c in sc.countries]
    cs.is_core = [c.regime == "core" for c in sc.countries]
    cs.population_weight = np.array([c.population_weight for c in sc.countries]) / sum(c.population_weight for c in sc.countries)
    for col in ("legitimacy", "repression", "democratic_space", "electoral_form", "alignment", "institutional_networking",
                "army_mass_linkage", "external_partners", "base_organization", "alternative_crop"):  # fmt: skip
        cs.columns()[col][:] = [getattr(c, col) for c in sc.countries]
    cs.alca_status = [ALCA_STATUS.index(c.alca_status) for c in sc.countries]
    cs.armed_tradition = [c.traditions.armed for c in sc.countries]
    cs.revolutionary_tradition = [c.traditions.revolutionary for c in sc.countries]
    cs.organizational_tradition = [c.traditions.organizational for c in sc.countries]
    for sector in ("agriculture", "industry", "services", "extractive", "public"):
        cs.columns()[f"share_{sector}"][:] = [getattr(c.economy, sector) for c in sc.countries]
    cs.foreign_ownership = [c.economy.foreign_ownership for c in sc.countries]
    for i, c in enumerate(sc.countries):  # structural attributes the scenario sets explicitly
        for col, value in c.structure.model_dump(exclude_none=True).items():
            cs.columns()[col][i] = value

    # organizations and their members
    og = state.orgs
    names = [c.name for c in sc.countries]
    rng = streams("build.orgs")
    for j, o in enumerate(sc.organizations):
        ci = names.index(o.country)
        og.exists[j] = True
        og.country[j] = ci
        og.scope[j] = ORG_SCOPES.index(o.scope)
        og.power_orientation[j] = POWER_ORIENTATIONS.index(o.power_orientation)
        og.form[j] = ORG_FORMS.index(o.form)
        og.class_base[j] = -1 if o.class_base == "multi" else CLASS_CODE[o.class_base]
        og.tactic[j] = TACTICS.index(o.tactic)
        og.target[j] = TARGETS.index(o.target)
        og.issue[j] = -1 if o.issue == "none" else EVENT_NAMES.index(o.issue)
        og.legal[j], og.armed[j] = o.legal, o.armed
        og.leader_linkage[j], og.credibility[j] = o.leader_linkage, o.credibility
        og.tradition[j], og.reformer_share[j] = o.tradition, o.reformer_share
        og.goal[j], og.ideological_work[j] = ("secular", "religious").index(o.goal), o.ideological_work
        lo, hi = np.searchsorted(a.country, [ci, ci + 1])
        pool = np.arange(lo, hi)
        if o.class_base != "multi":
            pool = pool[cls[lo:hi] == CLASS_CODE[o.class_base]]
        k = int(round(o.members_share * pool.size))
        free = pool[a.org[pool] < 0]
        chosen = free[rng.permutation(free.size)[: min(k, free.size)]]
        a.org[chosen] = j
        a.consciousness[chosen] = np.maximum(a.consciousness[chosen], o.tradition)
    og.country[len(sc.organizations):] = np.repeat(np.arange(nc), bp.org_slots_per_country)

    state.globe.framework = [0 if sc.framework == "imp" else 1]
    spaces = _networks(a.cell, a.country, bp, streams)
    world = World(sc, params, seed, state, build_schedule(sc.framework), spaces, streams)
    for m in world.schedule.mechanisms:  # month-0 indicators, so lagged reads start consistent
        if m.phase == "indicators":
            m.step(state, params[m.name], streams("build.indicators"), world.ctx)
    return world


def from_files(scenario_path: str | Path, params_path: str | Path | None = None, seed: int = 0) -> World:
    """Load a scenario (and optionally a parameter file) and build the world; errors are one line."""
    return build(load_scenario(scenario_path), load_params(params_path), seed)


@dataclass
class WorldTarget:
    """A validated world-model run request (same fields as ``experiments.single.Target``)."""

    model: str
    params: dict[str, Any]
    build: Callable[[int], World]
    identity_extra: dict[str, Any] = field(default_factory=dict)


def resolve_params(params_path: str | Path | None, overrides: dict[str, str], error=ValueError) -> dict[str, Params]:
    """Parameters from a file (or defaults) with ``table.field=value`` overrides, validated (one-line errors)."""
    from periphery.engine.params import allowed

    try:
        params = load_params(params_path)
    except ValueError as e:
        raise error(str(e)) from None
    tables: dict[str, dict[str, str]] = {}
    for key, value in overrides.items():
        table, sep, fld = key.partition(".")
        if not sep or table not in params:
            raise error(f"--set {key}: expected mechanism.parameter; mechanisms: {', '.join(params)}")
        if fld not in type(params[table]).model_fields:
            raise error(f"--set {key}: unknown parameter; allowed: {', '.join(type(params[table]).model_fields)}")
        tables.setdefault(table, {})[fld] = value
    for table, values in tables.items():
        cls = type(params[table])
        try:
            params[table] = cls.model_validate({**params[table].model_dump(), **values})
        except Exception:  # noqa: BLE001 - pydantic's error, reworded below
            fld = next(iter(values))
            raise error(f"--set {table}.{fld}: must be {allowed(cls, fld)}; got {values[fld]!r}") from None
    return params


def target(scenario_path: str | Path, values: dict[str, str], error=ValueError) -> WorldTarget:
    """Validate a scenario file plus ``--set`` items into a run request.

    ``values`` may hold ``params=<file>`` (a parameter file instead of the defaults) and
    ``mechanism.parameter=value`` overrides. Errors are raised as ``error`` with one line.
    """
    values = dict(values)
    params_path = values.pop("params", None)
    try:
        scenario = load_scenario(scenario_path)
    except ValueError as e:
        raise error(str(e)) from None
    params = resolve_params(params_path, values, error)
    body = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return WorldTarget(
        "world",
        {k: v.model_dump(mode="json") for k, v in params.items()},
        lambda seed: build(scenario, params, seed),
        {"scenario": scenario.name, "scenario_hash": hashlib.sha256(body.encode()).hexdigest(),
         "framework": scenario.framework},  # fmt: skip
    )
