"""Behavioural tests of the class-formation family (theory/class_formation.py, theory_spec 3.1-3.2).

Each test switches a driver on and off in a small one-country world and checks the direction
of the effect the rule formalizes. Worlds step only the mechanisms a test names (plus what
they need), so a test isolates its rule. Stochastic comparisons use a few thousand agents
with effects far larger than sampling noise (stated per test).
"""

from __future__ import annotations

from unittest.mock import patch

import numpy as np

import periphery.models.world as W
from periphery.engine.schedule import Schedule, stream_name
from periphery.scenarios.schema import Country, Event, Organization, Scenario
from periphery.theory.base import REGISTRY, load_all, ordered
from periphery.theory.world_schema import CROP, STATUS, C, all_vars

load_all()
MOB = STATUS["mobilized"]
SHARES = {"peasant_farmer": 0.3, "landless_rural_worker": 0.05, "indigenous_community": 0.1, "public_employee": 0.1,
          "teacher_student": 0.05, "informal_unemployed": 0.1, "maquila_worker": 0.05, "industrial_worker": 0.1,
          "service_worker": 0.05, "small_medium_capitalist": 0.08, "local_bourgeoisie": 0.02}  # fmt: skip


def make(events=(), agents=4000, orgs=(), seed=0, shares=SHARES, **country) -> W.World:
    kw = dict(name="patria", regime="aligned", population_weight=1.0, legitimacy=0.5, repression=0.2,
              democratic_space=0.6, coca_share=0.3, indigenous_share=0.3, class_shares=shares)  # fmt: skip
    kw.update(country)
    tl = [Event(month=1, country="patria", kind=k, intensity=x) for k, x in events]
    sc = Scenario(name="t", description="unit test", cites=["test"], framework="imp", months=120, agents=agents,
                  countries=[Country(**kw)], organizations=list(orgs), timeline=tl)  # fmt: skip
    sched = Schedule([REGISTRY["country_indicators"]()], {v.key for v in all_vars()})
    with patch.object(W, "build_schedule", lambda fw: sched):
        return W.build(sc, None, seed)


def advance(w: W.World, names, months=1, params=None) -> None:
    """Step the named mechanisms (in run order) for ``months`` months, events applied first."""
    classes = ordered([REGISTRY[n] for n in names])
    params = params or {}
    for _ in range(months):
        w.ctx.t += 1
        w._apply_events()
        for cls in classes:
            cls().step(w.state, params.get(cls.name, cls.Params()), w.streams(stream_name(cls)), w.ctx)


def count(w, code):
    return int(np.count_nonzero(w.state.agents.class_code == code))


# --------------------------------------------------------------------------------------------


def test_agro_export_credit_takes_land_and_hits_indigenous_holders_harder():
    on, off = make([("agro_export_credit", 1.0)]), make()
    params = {"rural_land_loss": REGISTRY["rural_land_loss"].Params(indigenous_factor=2.0)}
    advance(on, ["rural_land_loss"], 48, params)
    advance(off, ["rural_land_loss"], 48, params)
    a = on.state.agents
    holders0 = np.isin(a.class_code, [C["peasant_farmer"], C["indigenous_community"]])
    assert not off.state.agents.displaced.any()
    lost = a.displaced & holders0
    assert lost.sum() > 30
    # M18: indigenous hazard 3x here; ~800 holders per group over 48 months give shares of
    # ~0.11 vs ~0.30, far apart relative to their binomial s.e. (~0.015)
    share_ind = lost[holders0 & a.indigenous].mean()
    share_non = lost[holders0 & ~a.indigenous].mean()
    assert share_ind > 1.8 * share_non


def test_infrastructure_raises_the_agro_export_hazard_over_time():
    """M19: the same credit program takes more land once its infrastructure is built."""
    early, late = make([("agro_export_credit", 1.0)], seed=3), make([("agro_export_credit", 1.0)], seed=3)
    mech = REGISTRY["rural_land_loss"]
    for w, months in ((early, 1), (late, 60)):
        w.ctx.t = 1
        w._apply_events()
        w.state.countries.agro_export_credit_months[:] = months
        for k in range(24):  # same program age held fixed, many draws
            mech().step(w.state, mech.Params(credit_hazard=0.01), w.streams(f"x{k}"), w.ctx)
    assert late.state.agents.displaced.sum() > 1.2 * early.state.agents.displaced.sum()


def test_displaced_smallholders_become_landless_then_informal_or_emigrants_and_count_is_conserved():
    w = make([("agro_export_credit", 1.0), ("land_titling_end", 1.0)])
    n0 = w.state.agents.n
    advance(w, ["rural_land_loss", "rural_outmigration"], 120)
    a = w.state.agents
    assert a.n == n0
    disp = a.displaced
    assert disp.sum() > 50
    # no displaced agent is left a landholding farmer
    assert not np.any(disp & np.isin(a.class_code, [C["peasant_farmer"], C["indigenous_community"]]))
    assert np.count_nonzero(disp & (a.class_code == C["informal_unemployed"])) > 0
    assert np.all(a.crop[disp] == CROP["none"])
    assert (a.status == STATUS["emigrated"]).sum() > 0


def test_cheap_imports_bankrupt_small_capital_into_services_and_informality():
    on, off = make([("cheap_imports", 1.0), ("credit_squeeze", 1.0)]), make()
    n11 = count(on, C["small_medium_capitalist"])
    advance(on, ["small_capital_squeeze"], 60)
    advance(off, ["small_capital_squeeze"], 60)
    assert count(off, C["small_medium_capitalist"]) == n11
    assert count(on, C["small_medium_capitalist"]) < 0.9 * n11
    assert on.state.countries.bankruptcy_rate[0] > 0.02  # per year; h = 0.004/month -> ~0.048/year
    assert count(on, C["service_worker"]) > count(off, C["service_worker"])


def _stance(events, **country):
    w = make(events, **country)
    advance(w, ["small_capital_stance"], 36)
    a = w.state.agents
    return a.grievance[a.class_code == C["small_medium_capitalist"]].mean(), a.grievance[a.class_code == C["local_bourgeoisie"]].mean()


def test_labour_flexibilization_tempers_small_capital_and_associates_stay_unaggrieved():
    """M29, M30: the same squeeze aggrieves PYMES far less when they gain from cheaper labour."""
    squeeze = [("credit_squeeze", 1.0), ("cheap_imports", 1.0)]
    g11_flex, g12_flex = _stance([*squeeze, ("informalization", 1.0)], economy={"foreign_ownership": 0.4})
    g11_rigid, _ = _stance(squeeze, economy={"foreign_ownership": 0.4})
    assert g11_rigid > 0.4
    assert g11_flex < 0.5 * g11_rigid
    assert g12_flex < 0.01  # associates: brokered gains outweigh tariff losses


def test_productive_minority_of_pymes_keeps_more_grievance():
    w = make([("credit_squeeze", 1.0), ("informalization", 1.0)])
    advance(w, ["small_capital_stance"], 36)
    from periphery.theory.class_formation import _trait

    a = w.state.agents
    idx = np.flatnonzero(a.class_code == C["small_medium_capitalist"])
    minority = _trait(idx) < REGISTRY["small_capital_stance"].Params().minority_share
    assert minority.any() and (~minority).any()
    assert a.grievance[idx[minority]].mean() > 1.5 * a.grievance[idx[~minority]].mean()


def _held_share(name, events, cls_code, params=None, **kw):
    w = make(events, **kw)
    w.ctx.t = 1
    w._apply_events()
    a = w.state.agents
    target = a.class_code == cls_code
    a.status[target] = MOB
    mech = REGISTRY[name]
    mech().step(w.state, params or mech.Params(), w.streams("t"), w.ctx)
    return 1 - (a.status[target] == MOB).mean()


def test_maquila_control_keeps_protest_occasional():
    held = _held_share("maquila_control", [], C["maquila_worker"])
    none = _held_share("maquila_control", [], C["maquila_worker"], REGISTRY["maquila_control"].Params(control=0.0))
    assert none == 0
    assert held > 0.5  # default 0.7; 200 workers, s.e. ~0.03


def test_union_pact_and_unemployment_hold_industrial_workers_back_except_a_militant_minority():
    calm = _held_share("union_restraint", [], C["industrial_worker"])
    pact = _held_share("union_restraint", [("union_pact", 1.0)], C["industrial_worker"])
    assert calm == 0  # no unemployment yet (indicator), no pact
    assert pact > 0.2  # 0.7 * ~50% union members * 80% non-militant ~ 0.28
    w = make([("union_pact", 1.0)])
    w.ctx.t = 1
    w._apply_events()
    w.state.countries.unemployment_rate[:] = 1.0  # fear alone holds back every non-militant worker
    a = w.state.agents
    ind = a.class_code == C["industrial_worker"]
    a.status[ind] = MOB
    REGISTRY["union_restraint"]().step(w.state, REGISTRY["union_restraint"].Params(), w.streams("t"), w.ctx)
    still = (a.status[ind] == MOB).mean()
    assert 0.1 < still < 0.3  # the militant minority (0.2) stays active


def test_direct_imperial_hits_weigh_more_on_rural_grievance_than_the_same_loss_otherwise():
    """M31: same income loss; with a direct channel active, rural grievance settles higher."""
    out = []
    for events in ([("subsidized_imports", 1.0)], []):
        w = make(events)
        a = w.state.agents
        rural = np.isin(a.class_code, [C["peasant_farmer"], C["landless_rural_worker"], C["indigenous_community"]])
        for _ in range(36):
            a.income[rural] = 0.8  # identical loss in both arms
            advance(w, ["grievance_from_income", "rural_direct_impact"], 1)
        out.append(a.grievance[rural].mean())
    assert out[0] > 1.1 * out[1]


def test_capital_flight_hits_depositors_once_and_reveals_the_banks():
    w = make([("capital_flight", 1.0)])
    a = w.state.agents
    dep = np.isin(a.class_code, [C["public_employee"], C["service_worker"], C["small_medium_capitalist"]])
    advance(w, ["capital_flight_shock"], 1)
    assert np.allclose(a.income[dep], 0.7)
    assert np.all(a.income[a.class_code == C["peasant_farmer"]] == 1)
    assert 0.5 < a.link_observed[dep].mean() < 0.7  # visible share 0.6
    advance(w, ["capital_flight_shock"], 1)
    assert np.allclose(a.income[dep], 0.7)  # onset only


def test_military_assistance_builds_grievance_and_armed_tradition():
    on, off = make([("intervention", 1.0)]), make()
    advance(on, ["military_assistance_grievance"], 60)
    advance(off, ["military_assistance_grievance"], 60)
    assert on.state.countries.armed_tradition[0] > 0.1
    assert off.state.countries.armed_tradition[0] == 0
    a = on.state.agents
    assert a.grievance[a.class_code == C["peasant_farmer"]].mean() > 0.3
    assert a.grievance[a.class_code == C["small_medium_capitalist"]].mean() == 0


def test_pillar_grievance_erodes_legitimacy():
    hi, lo = make(), make()
    for w, g in ((hi, 0.8), (lo, 0.05)):
        a = w.state.agents
        a.grievance[np.isin(a.class_code, [C["peasant_farmer"], C["public_employee"]])] = g
        advance(w, ["pillar_erosion"], 24)
    assert lo.state.countries.legitimacy[0] == np.float32(0.5)
    assert hi.state.countries.legitimacy[0] < 0.25


def test_rural_grievance_under_dispossession_founds_a_rural_movement():
    on, calm = make([("agro_export_credit", 1.0)]), make([("agro_export_credit", 1.0)])
    a = on.state.agents
    rural = np.isin(a.class_code, [C["peasant_farmer"], C["landless_rural_worker"], C["indigenous_community"]])
    a.grievance[rural] = 0.9
    advance(on, ["rural_movement_founding"], 24)
    advance(calm, ["rural_movement_founding"], 24)
    og = on.state.orgs
    assert og.exists.sum() == 1 and not calm.state.orgs.exists.any()
    j = int(np.flatnonzero(og.exists)[0])
    assert og.class_base[j] == C["peasant_farmer"]
    assert (a.org == j).sum() > 20 and np.all(rural[a.org == j])
