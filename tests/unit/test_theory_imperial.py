"""Behavioural tests of the imperial-strategy family (theory_spec 3.8; M81, M90, M91, M96).

Small teaching worlds built from scenarios/teaching_occupation.toml; the imperial state's
rules act on the one ``globe`` row, so most tests step a mechanism directly.
"""

from pathlib import Path

import numpy as np

from periphery.engine.rng import Streams
from periphery.engine.schedule import Context, stream_name
from periphery.models.world import build
from periphery.scenarios.loader import load_scenario
from periphery.scenarios.schema import Country, Event
from periphery.theory.core_mobilization import MODE
from periphery.theory.imperial_strategy import (
    InterImperialConflict,
    InterventionModeChoice,
    PostWarRestraint,
    WarExpansionSpillover,
)

ROOT = Path(__file__).resolve().parents[2]
BASE = load_scenario(ROOT / "scenarios" / "teaching_occupation.toml")
CORE, OCC = 1, 0
GROUND = (MODE["ground_conscript"], MODE["ground_volunteer"])


def small_world(sc=None, agents=3000, seed=1):
    sc = (sc or BASE).model_copy(update={"agents": agents})
    return build(sc, None, seed)


def step_one(mech, w, seed=3, **upd):
    params = mech.Params().model_copy(update=upd)
    mech.step(w.state, params, Streams(seed)(stream_name(mech)), Context(t=w.ctx.t, spaces=w.ctx.spaces))


def _request_ground_war(w, conscription=1.0):
    cs = w.state.countries
    cs.ground_war[CORE] = 1.0
    cs.ground_war_months[CORE] = 1
    cs.conscription[CORE] = conscription


def test_fresh_casualty_aversion_turns_a_ground_request_into_a_low_visibility_mode_for_about_15_years():
    """M91 (P24 shape): choices at 0, 10 and 20 years after a costly mobilization."""
    choices = {}
    for years in (0, 10, 20):
        w = small_world()
        g = w.state.globe
        g.casualty_aversion[:] = 1.0
        for _ in range(12 * years):  # months without war: the memory decays
            step_one(InterventionModeChoice(), w)
        _request_ground_war(w)
        step_one(InterventionModeChoice(), w)
        choices[years] = (int(g.intervention_mode[0]), bool(g.mode_substituted[0]), float(g.casualty_factor[0]))
    assert choices[0][0] not in GROUND and choices[0][1] and choices[0][2] < 0.1
    assert choices[10][0] not in GROUND
    assert choices[20][0] == MODE["ground_conscript"] and not choices[20][1] and choices[20][2] == 1.0
    # without the memory, the request is answered with ground troops at once
    w = small_world()
    _request_ground_war(w, conscription=0.0)
    step_one(InterventionModeChoice(), w)
    assert w.state.globe.intervention_mode[0] == MODE["ground_volunteer"]


def test_a_substituted_mode_cuts_the_cores_casualties_in_a_full_run():
    sc = BASE.model_copy(update={"timeline": [
        Event(month=1, country="core_state", kind="ground_war", intensity=1.0),
        Event(month=1, country="core_state", kind="casualties", intensity=0.5),
    ], "months": 6})  # fmt: skip
    w = small_world(sc)
    w.state.globe.casualty_aversion[:] = 1.0
    for _ in range(3):
        w.step()
    assert w.state.globe.mode_substituted[0]
    assert w.state.globe.casualty_rate[0] < 0.05
    w2 = small_world(sc)
    for _ in range(3):
        w2.step()
    assert w2.state.globe.casualty_rate[0] == 0.5


def test_a_costly_mobilization_leaves_a_temporary_spending_cut_and_casualty_aversion():
    """M81: peak core mobilization above the threshold, then the war ends."""

    def after_war(peak_mobilized, months_after):
        w = small_world()
        g, cs = w.state.globe, w.state.countries
        cs.ground_war[CORE] = 1.0
        g.core_mobilized[:] = peak_mobilized
        step_one(PostWarRestraint(), w)
        cs.ground_war[CORE] = 0.0
        cs.occupation[:] = 0.0
        spending = []
        for _ in range(months_after):
            step_one(PostWarRestraint(), w)
            spending.append(float(g.military_spending[0]))
        return float(g.casualty_aversion[0]), spending

    aversion, spending = after_war(0.2, 150)
    assert aversion == 1.0
    assert min(spending) < 0.9  # the dip (default cut 15%)
    assert spending[-1] > 0.99  # temporary: back after the cut ends
    aversion, spending = after_war(0.01, 24)  # no mass mobilization: no episode
    assert aversion == 0.0 and min(spending) == 1.0


def test_inter_imperial_conflict_needs_resistance_and_costs_together():
    """M90 (P47 shape): both high beats each single-high cell."""

    def conflict(resistance, casualties):
        w = small_world()
        cs, g = w.state.countries, w.state.globe
        cs.share_active[OCC] = resistance
        g.casualty_rate[:] = casualties
        for _ in range(60):
            step_one(InterImperialConflict(), w)
        return float(g.inter_imperial_conflict[0])

    both, res_only, cost_only = conflict(0.2, 0.5), conflict(0.2, 0.0), conflict(0.0, 0.5)
    assert both > 0.3
    assert res_only == 0.0 and cost_only == 0.0


def test_war_expansion_raises_consciousness_in_the_new_target_and_the_region():
    """M96 (P46 shape): a three-country world (two periphery countries and the core)."""
    per = BASE.countries[0]
    neighbour = Country(**{**per.model_dump(), "name": "neighbour_land"})
    sc = BASE.model_copy(update={"countries": [per, BASE.countries[1], neighbour], "timeline": []})

    def consciousness(escalate):
        w = small_world(sc, agents=4500)
        w.ctx.t = 1
        if escalate:
            w.state.countries.war_escalation[OCC] = 1.0
            w.state.countries.war_escalation_months[OCC] = 1
        step_one(WarExpansionSpillover(), w)
        a = w.state.agents
        return [float(a.consciousness[a.country == c].mean()) for c in range(3)], w

    (t1, core1, n1), w = consciousness(True)
    (t0, core0, n0), _ = consciousness(False)
    assert t1 - t0 > n1 - n0 > 0.02
    assert core1 == core0
    assert w.state.agents.link_observed[w.state.agents.country == OCC].mean() > 0.3
    # only the onset month acts
    w.state.countries.war_escalation_months[OCC] = 2
    before = w.state.agents.consciousness.copy()
    step_one(WarExpansionSpillover(), w)
    assert np.array_equal(before, w.state.agents.consciousness)
