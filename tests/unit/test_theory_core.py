"""Behavioural tests of the core-mobilization family (theory_spec 3.7; M70, M74-M88).

Each test switches a driving condition on and off in a small teaching world
(scenarios/teaching_occupation.toml: an occupied country plus the core country whose army
occupies it) and checks the direction the rule formalizes. Worlds are small (a few thousand
agents) and runs short, so the whole file stays within a few seconds.
"""

from pathlib import Path

import numpy as np
import pytest

from periphery.engine.rng import Streams
from periphery.engine.schedule import Context, stream_name
from periphery.models.world import build
from periphery.scenarios.loader import load_scenario
from periphery.scenarios.schema import Event
from periphery.theory.core_mobilization import (
    MODE,
    CasualtyExposure,
    CoreActivation,
    CoreAspectFocus,
    DraftExposure,
    EliteDivision,
    MilitaryDissent,
    SolidarityAsymmetry,
    WarWithdrawal,
    core_gate,
)
from periphery.theory.world_schema import CONSCIOUSNESS_LEVELS, ORG_SCOPES, STATUS, TARGETS, C

ROOT = Path(__file__).resolve().parents[2]
BASE = load_scenario(ROOT / "scenarios" / "teaching_occupation.toml")
CORE, OCC = 1, 0  # country rows in the teaching scenario


def scenario(cas=0.8, draft=1.0, war_len=0, events=("ground_war",), months=36, agents=6000, extra=()):
    """The teaching scenario with a controlled war: occupation plus the given war events from month 1."""
    tl = [Event(month=1, country="occupied_land", kind="occupation", intensity=1.0, duration=war_len)]
    for k in events:
        country = "core_state" if k == "ground_war" else "occupied_land"
        tl.append(Event(month=1, country=country, kind=k, intensity=1.0, duration=war_len))
    if cas:
        tl.append(Event(month=1, country="core_state", kind="casualties", intensity=cas, duration=war_len))
    if draft:
        tl.append(Event(month=1, country="core_state", kind="conscription", intensity=draft, duration=war_len))
    tl.extend(extra)
    return BASE.model_copy(update={"timeline": tl, "months": months, "agents": agents})


def world(sc, seed=1, **overrides):
    """Build a world; ``overrides`` maps mechanism name -> dict of parameter changes."""
    w = build(sc, None, seed)
    for name, upd in overrides.items():
        w.params[name] = w.params[name].model_copy(update=upd)
    return w


def run(w, months):
    g = w.state.globe
    series = []
    for _ in range(months):
        w.step()
        series.append({k: float(v[0]) for k, v in g.columns().items()})
    return series


def step_one(mech, w, seed=3, **upd):
    params = mech.Params().model_copy(update=upd)
    mech.step(w.state, params, Streams(seed)(stream_name(mech)), Context(t=w.ctx.t, spaces=w.ctx.spaces))


FORCED_ELITE = {"elite_division": {"rate": 0.0, "decay": 0.0}, "war_withdrawal": {"p_max": 0.0}}


def _peak_mobilized(sc, rule="conjunctive", elite=0.6, seed=1):
    w = world(sc, seed, core_activation={"rule": rule}, **FORCED_ELITE)
    w.state.globe.elite_division[:] = elite
    s = run(w, sc.months)
    return max(r["core_mobilized"] for r in s), sum(r["core_mobilized"] > 0.02 for r in s)


# ----------------------------------------------------------------------------------------------
# M79 / M87 (P19): the gate
# ----------------------------------------------------------------------------------------------


def test_gate_function_conjunctive_needs_every_factor_disjunctive_any():
    p = CoreActivation.Params()
    full = {"R": 0.5, "C": 0.8, "D": 1.0, "E": 0.6, "X": 0.0, "W": 0.0}
    assert core_gate(full, p) > 0.95
    for f in ("R", "C", "D", "E"):
        assert core_gate({**full, f: 0.0}, p) < 0.01, f
    pd = p.model_copy(update={"rule": "disjunctive"})
    assert core_gate({**full, "D": 0.0, "E": 0.0, "R": 0.0}, pd) > 0.95  # heavy losses alone (E L122)
    assert core_gate({"R": 0, "C": 0.0, "D": 0, "E": 0, "X": 0.9, "W": 0.0}, pd) > 0.95  # major crisis alone
    assert core_gate({"R": 0, "C": 0.0, "D": 0, "E": 0, "X": 0.0, "W": 0.0}, pd) < 0.01


def test_core_mass_mobilization_needs_all_four_conditions():
    """P19 shape, one seed per cell: all four on -> sustained mobilization; drop draft, casualties or elite split -> none.

    Deterministic enough for one seed: the cells differ by a gate factor of > 50 (see the gate test).
    """
    peak, months = _peak_mobilized(scenario())
    assert peak > 0.05 and months >= 24
    assert _peak_mobilized(scenario(draft=0.0))[0] < 0.005
    assert _peak_mobilized(scenario(cas=0.1))[0] < 0.005
    assert _peak_mobilized(scenario(), elite=0.0)[0] < 0.005
    # the disjunctive arm (M87) mobilizes on heavy casualties alone
    assert _peak_mobilized(scenario(draft=0.0), rule="disjunctive", elite=0.0)[0] > 0.05


# ----------------------------------------------------------------------------------------------
# M85 (P22): core workers' material losses alone do not mobilize them
# ----------------------------------------------------------------------------------------------


def _worker_active_share(w, months=18):
    a = w.state.agents
    workers = a.class_code == C["core_worker"]
    a.income[workers] = 0.6  # a 40% fall in living standards, no war
    run(w, months)
    st = a.status[workers]
    return float(np.isin(st, [STATUS["mobilized"], STATUS["organized"], STATUS["armed"]]).mean())


def test_material_losses_alone_do_not_mobilize_core_workers():
    sc = scenario(cas=0.0, draft=0.0, events=())
    sc = sc.model_copy(update={"timeline": []})
    null = _worker_active_share(world(sc))
    assert null < 0.005
    # control: the same shock counts once the material weight is on and the gate is forced open
    crisis = Event(month=1, country="core_state", kind="crisis", intensity=1.0)
    sc_open = sc.model_copy(update={"timeline": [crisis]})
    ctrl = _worker_active_share(world(sc_open, core_activation={"w85": 1.0, "rule": "disjunctive", "threshold": 0.1}))
    assert ctrl > null + 0.05


# ----------------------------------------------------------------------------------------------
# M76, M77, M82-M84: exposure, draft risk, opinion by mode
# ----------------------------------------------------------------------------------------------


def test_casualties_expose_households_and_their_ties_then_fade():
    w = world(scenario())
    w.ctx.t = 1
    w._apply_events()
    w.state.globe.casualty_rate[:] = 0.8
    ex = w.state.agents.casualty_exposure
    step_one(CasualtyExposure(), w, seed_rate=0.05)
    core = w.state.agents.country == CORE
    assert (ex[core] == 1).sum() > 50  # directly touched
    assert ((ex[core] > 0) & (ex[core] < 1)).sum() > (ex[core] == 1).sum()  # their ties, more numerous
    assert (ex[~core] == 0).all()
    before = ex[core].sum()
    w.state.globe.casualty_rate[:] = 0
    step_one(CasualtyExposure(), w)
    assert ex[core].sum() < before


def test_draft_risk_needs_conscription_and_falls_on_draft_age_families():
    for draft, expect in ((1.0, True), (0.0, False)):
        w = world(scenario(draft=draft))
        w.ctx.t = 1
        w._apply_events()
        step_one(DraftExposure(), w)
        a = w.state.agents
        dr = a.draft_risk
        assert (dr > 0).any() == expect
        assert (dr[~a.draft_age] == 0).all()
        assert (dr[a.class_code == C["core_elite"]] == 0).all()


def _opposition_change(events, cas, months=24):
    sc = scenario(cas=cas, draft=0.0, events=events)
    w = world(sc, war_withdrawal={"p_max": 0.0})
    s = run(w, months)
    return s[-1]["core_opposition"] - s[0]["core_opposition"], max(r["core_mobilized"] for r in s)


def test_low_visibility_modes_draw_little_opposition_and_air_wars_rally_support():
    ground_d, _ = _opposition_change(("ground_war",), cas=0.5)
    covert_d, covert_mob = _opposition_change(("coup_attempt",), cas=0.5)
    air_d, air_mob = _opposition_change(("air_war",), cas=0.0)
    assert ground_d > 0.1
    assert covert_d < ground_d / 3
    assert air_d < 0  # M83: rally toward support
    assert covert_mob < 0.005 and air_mob < 0.005


# ----------------------------------------------------------------------------------------------
# M78: elite division
# ----------------------------------------------------------------------------------------------


def test_elite_divides_only_in_a_prolonged_unwon_war():
    def division(months, resistance):
        w = world(scenario())
        w.ctx.t = 1
        w._apply_events()
        cs = w.state.countries
        cs.share_active[OCC] = resistance
        cs.ground_war_months[CORE] = months
        for _ in range(24):
            step_one(EliteDivision(), w)
        return float(w.state.globe.elite_division[0]), float(w.state.globe.market_share[0])

    long_unwon, ms = division(60, 0.2)
    assert long_unwon > 0.2 and ms < 1.0
    assert division(12, 0.2)[0] == 0.0  # not yet prolonged
    assert division(60, 0.0)[0] == 0.0  # no resistance: the war is being won


# ----------------------------------------------------------------------------------------------
# M80, M86: aspects, not the system
# ----------------------------------------------------------------------------------------------


def test_core_opposition_is_capped_at_the_incumbent_unless_in_a_system_organization():
    w = world(scenario())
    a, og = w.state.agents, w.state.orgs
    core = np.flatnonzero(w.state.agents.country == CORE)
    a.target[core] = TARGETS.index("imperial_state")
    a.consciousness_level[core] = CONSCIOUSNESS_LEVELS.index("anti_systemic")
    slot = np.flatnonzero(og.country == CORE)[0]
    og.exists[slot] = True
    og.scope[slot] = ORG_SCOPES.index("system")
    members = core[:100]
    a.org[members] = slot
    step_one(CoreAspectFocus(), w)
    rest = core[100:]
    assert (a.target[rest] <= TARGETS.index("regime")).all()
    share3 = (a.consciousness_level[rest] == CONSCIOUSNESS_LEVELS.index("anti_systemic")).mean()
    # binomial with n ~ 2900 and p = 0.1: sd ~ 0.006; 0.03 is ~5 sd
    assert abs(share3 - 0.1) < 0.03
    assert (a.target[members] == TARGETS.index("imperial_state")).all()
    assert (a.consciousness_level[members] == CONSCIOUSNESS_LEVELS.index("anti_systemic")).all()


# ----------------------------------------------------------------------------------------------
# M88, M75 (P25): dissent, recruitment, withdrawal
# ----------------------------------------------------------------------------------------------


def test_opposition_lowers_recruitment_and_dissent_cuts_force_and_forces_withdrawal():
    def arm(opposition, soldier_opinion):
        w = world(scenario())
        w.ctx.t = 1
        w._apply_events()
        g, a = w.state.globe, w.state.agents
        a.opinion[a.class_code == C["core_soldier"]] = soldier_opinion
        g.core_opposition[:] = opposition
        for _ in range(24):
            step_one(MilitaryDissent(), w)
        withdrawn = 0
        for seed in range(200):
            g.war_withdrawn[:] = False
            step_one(WarWithdrawal(), w, seed=seed)
            withdrawn += bool(g.war_withdrawn[0])
        return float(g.recruitment_rate[0]), float(g.troop_dissent[0]), float(g.deployable_force[0]), withdrawn

    flat = arm(0.2, 0.1)
    high = arm(0.7, -0.8)
    assert high[0] < flat[0]
    assert high[1] > flat[1] + 0.2
    assert high[2] < flat[2]
    # 200 draws: p ~ 0.02 vs ~ 0.0004 a month at the defaults
    assert high[3] > flat[3] and high[3] >= 1


def test_withdrawal_stops_casualties_and_clears_when_the_war_ends():
    w = world(scenario(war_len=12, months=20))
    run(w, 3)
    w.state.globe.war_withdrawn[:] = True
    s = run(w, 2)
    assert s[-1]["casualty_rate"] == 0.0
    s = run(w, 15)
    assert s[-1]["war_withdrawn"] == 0.0


# ----------------------------------------------------------------------------------------------
# M70 (P26): asymmetric solidarity
# ----------------------------------------------------------------------------------------------


def test_one_core_victim_draws_more_solidarity_than_sixty_periphery_victims():
    def response(country, n):
        w = world(scenario())
        a, cs = w.state.agents, w.state.countries
        cs.n_jailed[:] = 0
        a.status[np.flatnonzero(a.country == country)[:n]] = STATUS["jailed"]
        step_one(SolidarityAsymmetry(), w)
        return float(w.state.globe.solidarity_response[0])

    core1 = response(CORE, 1)
    per60 = response(OCC, 60)
    assert core1 > per60 > 0
    assert response(OCC, 0) == 0.0


def test_intervention_mode_follows_the_events_each_month():
    w = world(scenario(draft=0.0))
    run(w, 1)
    assert w.state.globe.intervention_mode[0] == MODE["ground_volunteer"]
    w = world(scenario(events=("proxy_war",)))
    run(w, 1)
    assert w.state.globe.intervention_mode[0] == MODE["mercenary"]


@pytest.mark.parametrize("name", ["core_activation", "war_opinion"])
def test_no_core_country_costs_nothing(name):
    sc = BASE.model_copy(update={"countries": BASE.countries[:1], "timeline": BASE.timeline[:1], "agents": 500})
    w = build(sc, None, 0)
    run(w, 2)
    assert w.state.globe.core_mobilized[0] == 0.0


def test_core_welfare_cuts_lower_core_incomes_only_when_on():
    """M85's material premise: D30 cuts core workers' income; without the event nothing moves."""
    from periphery.theory.base import REGISTRY, load_all
    from periphery.theory.world_schema import CLASS_CODE

    load_all()
    mech = REGISTRY["core_welfare_cuts"]()
    params = mech.Params()
    w = world(scenario(cas=0, draft=0, events=(), agents=3000))
    a, cs = w.state.agents, w.state.countries
    core = np.flatnonzero(a.class_code == CLASS_CODE["core_worker"])
    assert core.size > 0
    before = a.income.copy()
    rng = np.random.default_rng(1)
    for _ in range(24):
        mech.step(w.state, params, rng, w.ctx)
    assert np.array_equal(a.income, before)  # no event: no change
    cs.core_welfare_cuts[:] = np.float32(1.0)
    for _ in range(24):
        mech.step(w.state, params, rng, w.ctx)
    assert a.income[core].mean() < before[core].mean() - 0.05
    others = np.flatnonzero(~np.isin(a.class_code, [CLASS_CODE["core_worker"], CLASS_CODE["core_middle_class"]]))
    assert np.array_equal(a.income[others], before[others])
