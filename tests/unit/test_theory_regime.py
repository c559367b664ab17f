"""Behavioural tests of the regime and co-optation families (regime.py, co_optation.py).

Each test switches the driving condition of one rule on and off on a small built world and
checks the direction (and rough size) of the effect the rule formalizes. Stochastic checks use
many independent draws with margins far outside sampling noise (stated at each assert).
"""

import numpy as np
import pytest

from periphery.engine.rng import Streams
from periphery.engine.schedule import stream_name
from periphery.scenarios.schema import Event, Organization
from periphery.theory import build_schedule
from periphery.theory.world_schema import REGIME_CODE, STATUS

from .theory_worlds import PER, REG, country, make, run  # noqa: E402,F401


def test_exactly_one_writer_of_domestic_policy_per_framework():
    for fw, expected in (("imp", "imp_policy_course"), ("tnc", "tnc_policy_pull")):
        assert build_schedule(fw).writers("countries.domestic_policy") == (expected,)


# ---------------------------------------------------------------- M52 (regime side), M121


def _ouster_world(vehicle: bool, seed: int):
    form = "vertical" if vehicle else "horizontal"
    orgs = [Organization(name="front", country="a", scope="system", power_orientation="independent", form=form,
                         members_share=0.3)]
    w = make([country("a", legitimacy=0.1)], orgs, seed=seed)
    cs, og = w.state.countries, w.state.orgs
    cs.share_active[:] = 0.4
    og.members[0] = 500
    og.participation[0] = 0.8
    return w


@pytest.mark.parametrize("vehicle", [True, False])
def test_ouster_successor_depends_on_program_and_vehicle(vehicle):
    w = _ouster_world(vehicle, seed=2)
    kinds = []
    for s in range(60):
        st = w.state.copy()
        cls = REG["government_ouster"]
        cls().step(st, cls.Params(), Streams(s)(stream_name(cls)), w.ctx)
        if st.countries.ousted_this_month[0]:
            kinds.append(int(st.countries.last_successor[0]))
            assert st.countries.holds_state[0] == (st.countries.regime[0] == REGIME_CODE["nationalist"])
    # hazard ~ h_max = 0.3 far above the threshold: ~18 ousters expected in 60 draws
    assert len(kinds) >= 8
    if vehicle:
        assert set(kinds) == {3}  # always a movement government
    else:
        assert 3 not in kinds and set(kinds) <= {1, 2}  # elite or outside ally, never the movement


def test_no_ouster_without_mobilization():
    w = _ouster_world(True, seed=2)
    w.state.countries.share_active[:] = 0.0
    run("government_ouster", w, steps=120)
    assert w.state.countries.ouster_count[0] == 0


def test_ally_defection_costs_backer_credibility_and_members():
    w = _ouster_world(False, seed=3)
    cs, og, a = w.state.countries, w.state.orgs, w.state.agents
    cs.regime[0] = REGIME_CODE["nationalist"]
    cs.ally_in_office[0], cs.ally_backer[0] = True, 0
    cred0, members0 = float(og.credibility[0]), int((a.org == 0).sum())
    run("ally_defection", w, steps=200, defect_rate=0.5)
    assert not cs.ally_in_office[0] and cs.regime[0] == REGIME_CODE["aligned"] and cs.ally_defections[0] == 1
    assert og.credibility[0] < cred0 - 0.29
    left = members0 - int((a.org == 0).sum())
    assert 0.15 * members0 < left < 0.45 * members0  # exit_prob 0.3 on ~600 members


# ---------------------------------------------------------------- M103, M104


def _org_world(closed: bool, n=30):
    kw = dict(repression=0.8, democratic_space=0.1, traditions={"armed": 0.8}) if closed else dict(
        repression=0.1, democratic_space=0.9)
    orgs = [Organization(name=f"o{i}", country="a", class_base="peasant_farmer", power_orientation="independent",
                         leader_linkage=0.8, members_share=0.01) for i in range(n)]
    tl = [Event(month=1, country="a", kind="counterinsurgency", intensity=0.9)] if closed else []
    return make([country("a", **kw)], orgs, tl)


def test_armed_turn_needs_closed_channel_and_tradition():
    turned = {}
    for closed in (True, False):
        w = _org_world(closed)
        run("armed_turn", w, steps=12)
        turned[closed] = int(w.state.orgs.armed.sum())
    # expected ~29 of 30 vs ~0.7 of 30 over 12 months
    assert turned[True] >= 20 and turned[False] <= 4


def test_death_squads_remove_legal_activists_and_close_space_not_armed_members():
    orgs = [Organization(name="legal", country="a", members_share=0.3),
            Organization(name="guer", country="a", members_share=0.1, armed=True, legal=False)]
    tl = [Event(month=1, country="a", kind="repression_campaign", intensity=1.0)]
    w = make([country("a", democratic_space=0.6)], orgs, tl, agents=4000)
    a = w.state.agents
    a.status[a.org >= 0] = STATUS["organized"]
    g0 = a.grievance.copy()
    run("death_squads", w, steps=24, kill_rate=0.02)
    killed = a.jail_left > 1000
    assert killed[a.org == 0].mean() > 0.2  # 1 - 0.98^24 = 0.38 expected
    assert not killed[a.org == 1].any()
    assert w.state.countries.democratic_space[0] < 0.6 * 0.98**20
    assert a.grievance[~killed].mean() > g0[~killed].mean()  # backfire on neighbours


# ---------------------------------------------------------------- M107, M108, M111


def _regimes(cuba: bool, n=40, regime="revolutionary"):
    f = 1.0 if cuba else 0.0
    cs = [country(f"c{i}", regime, army_mass_linkage=f, external_partners=f) for i in range(n)]
    tl = [Event(month=1, country=f"c{i}", kind="blockade", intensity=1.0) for i in range(n)]
    w = make(cs, timeline=tl, agents=n * 5)
    w.state.countries.old_state_destroyed[:] = f
    w.state.countries.cadre_renewal[:] = f
    w.state.countries.relative_welfare[:] = f
    return w


def test_cuba_factors_keep_revolutionary_regimes_alive_under_hostility():
    fallen = {}
    for cuba in (True, False):
        w = _regimes(cuba)
        run("regime_overthrow", w, steps=120)
        fallen[cuba] = int((w.state.countries.regime == REGIME_CODE["aligned"]).sum())
        assert w.state.countries.invasion_cost[0] == pytest.approx(11.0 if cuba else 1.0)
    # expected 91% of 40 without the factors, 0.3% with them
    assert fallen[False] >= 30 and fallen[True] <= 2


def test_hostility_shrinks_conciliators_and_peace_regrows_them():
    for hostile, sign in ((True, -1), (False, 1)):
        w = _regimes(True, n=2)
        if not hostile:
            w.state.countries.blockade[:] = 0
        run("regime_overthrow", w, steps=1)  # writes hostility
        c0 = w.state.countries.conciliator_share.copy()
        run("conciliator_attrition", w, steps=24)
        assert np.all(sign * (w.state.countries.conciliator_share - c0) > 0.05)


def test_imp_drift_ignores_mobilization_and_ends_in_aligned_status():
    outs = []
    for auto in (0.0, 0.3):
        w = make([country(f"c{i}", "nationalist") for i in range(30)], agents=300)
        w.state.countries.autonomous_mobilization[:] = auto
        run("imp_policy_course", w, steps=240, seed=5, drift_rate=0.02)
        outs.append(w.state.countries.domestic_policy.copy())
        drifted = int(w.state.countries.drifts.sum())
        assert drifted >= 15  # hazard 0.02*(0.5+0.3)/month over 240 months: ~95% drift
    assert np.array_equal(outs[0], outs[1])  # X7: IMP drift does not read mobilization


# ---------------------------------------------------------------- M109, M110, M106


def test_heterogeneous_unorganized_coalition_defects_and_splits_policy():
    res = {}
    for het, base in ((0.8, 0.0), (0.2, 1.0)):
        w = make([country(f"c{i}", "nationalist", base_organization=base) for i in range(20)], agents=200)
        cs = w.state.countries
        cs.coalition_heterogeneity[:] = het
        run("coalition_defection", w, steps=36)
        run("imp_policy_course", w, steps=36, drift_rate=0.0)
        res[het] = (int(cs.defection_events.sum()), float(np.abs(cs.foreign_policy_autonomy - cs.domestic_policy).mean()))
    assert res[0.8][0] > 3 * max(res[0.2][0], 1)
    assert res[0.8][1] > res[0.2][1] + 0.2


def test_mass_defence_reverses_a_coup_and_radicalizes_defenders():
    out = {}
    for conscious in (0.9, 0.0):
        tl = [Event(month=1, country=f"c{i}", kind="coup_attempt", intensity=1.0, duration=3) for i in range(10)]
        w = make([country(f"c{i}", "nationalist", institutional_networking=0.6) for i in range(10)], timeline=tl,
                 agents=5000)
        a = w.state.agents
        a.consciousness[:] = conscious
        c0 = a.consciousness.copy()
        w.state.countries.coalition_defected[:] = 0.5
        w.state.countries.coup_attempt_months[:] = 1
        run("coup_attempt", w, steps=1)
        w.state.countries.coup_attempt_months[:] = 2
        run("coup_attempt", w, steps=1, seed=1)
        cs = w.state.countries
        out[conscious] = int(cs.coups_succeeded.sum())
        if conscious:
            assert cs.coups_failed.sum() == 10 and (a.consciousness > c0).sum() > 1000
            assert np.all(cs.coup_defenders_organized <= 0.3)  # spontaneous: few defenders in orgs
    assert out[0.9] == 0 and out[0.0] == 10


# ---------------------------------------------------------------- TNC: M114-M118, M124, M125, M133, M116


def _left_gov(n, auto, integ=0.5, framework="tnc"):
    w = make([country(f"c{i}", "nationalist") for i in range(n)], agents=n * 50, framework=framework)
    cs = w.state.countries
    cs.holds_state[:] = True
    cs.autonomous_mobilization[:] = auto
    w.state.globe.integration_index[:] = integ
    return w


def test_tnc_policy_drifts_without_pressure_from_below_and_holds_with_it():
    dp = {}
    for auto in (0.01, 0.15):
        w = _left_gov(1, auto)
        run("tnc_policy_pull", w, steps=60)
        dp[auto] = float(w.state.countries.domestic_policy[0])
    assert dp[0.01] < 0.2 and dp[0.15] > 0.5


def test_isolated_transformative_regime_decays_faster_than_a_bloc():
    dp = {}
    for n in (1, 5):
        w = _left_gov(n, 0.0)
        w.state.countries.policy_regime[:] = REGIME_CODE["nationalist"]
        w.state.countries.domestic_policy[:] = 0.9
        run("tnc_policy_pull", w, steps=24)
        dp[n] = float(w.state.countries.domestic_policy[0])
        assert w.state.countries.allied_regimes[0] == n - 1 or dp[n] < 0.5
    assert dp[5] > dp[1] + 0.2


def test_stake_in_global_capital_grows_with_integration_and_is_damped_from_below():
    s = {}
    for integ, auto in ((0.3, 0.0), (0.8, 0.0), (0.8, 0.15)):
        w = _left_gov(1, auto, integ)
        run("capital_stake", w, steps=60)
        s[(integ, auto)] = float(w.state.countries.stake_global[0])
    assert s[(0.8, 0.0)] > s[(0.3, 0.0)] + 0.1 > 0.1
    assert s[(0.8, 0.15)] < s[(0.8, 0.0)] - 0.2


def test_blockage_comes_from_inside_when_the_bloc_has_a_stake():
    w = _left_gov(1, 0.15)
    w.state.countries.stake_global[:] = 0.9
    run("tnc_policy_pull", w, steps=200)
    cs = w.state.countries
    assert cs.blocked_internal[0] > 5 * max(int(cs.blocked_opposition[0]), 1)


def test_autonomous_mobilization_counts_independent_organized_members_by_form():
    orgs = [Organization(name="h", country="a", power_orientation="independent", form="horizontal", members_share=0.2),
            Organization(name="v", country="a", power_orientation="independent", form="vertical", members_share=0.2),
            Organization(name="p", country="a", power_orientation="electoral_subordinate", members_share=0.2)]
    w = make([country("a")], orgs, agents=3000)
    a = w.state.agents
    a.status[a.org >= 0] = STATUS["organized"]
    run("autonomy_from_below", w, steps=1, bureaucratization=0.0)
    n = w.state.countries.n_alive[0]
    expect = ((a.org == 0).sum() + 0.5 * (a.org == 1).sum()) / n
    assert w.state.countries.autonomous_mobilization[0] == pytest.approx(expect, rel=1e-5)


# ---------------------------------------------------------------- M119, M120


def test_rigid_abstainers_lose_members_only_when_state_power_is_on_the_agenda():
    lost = {}
    for on in (True, False):
        orgs = [Organization(name="auto", country="a", form="horizontal", members_share=0.3),
                Organization(name="adapt", country="a", form="vertical", members_share=0.3)]
        tl = [Event(month=1, country="a", kind="elections", intensity=1.0)] if on else []
        w = make([country("a")], orgs, tl, agents=4000, framework="tnc")
        a = w.state.agents
        m0 = [(a.org == 0).sum(), (a.org == 1).sum()]
        run("state_power_agenda", w, steps=12)
        lost[on] = [1 - (a.org == k).sum() / m0[k] for k in (0, 1)]
        assert w.state.orgs.engages_state[1] == on and not w.state.orgs.engages_state[0]
    # rigid: 1 - 0.97^12 ~ 0.31 of non-own-base members; adaptive pays only during the lag months
    assert lost[True][0] > 0.15 and lost[True][1] < 0.07
    assert lost[False] == [0.0, 0.0]


# ---------------------------------------------------------------- M33, M112


def test_leader_targeting_hits_system_orgs_under_aligned_regimes_only():
    hit = {}
    for regime in ("aligned", "nationalist"):
        orgs = [Organization(name=f"o{i}", country="a", scope="system", members_share=0.01) for i in range(20)]
        w = make([country("a", regime, repression=1.0)], orgs, agents=500)
        run("leader_targeting", w, steps=60, rate=0.05)
        hit[regime] = int(w.state.orgs.leaders_lost.sum())
    assert hit["aligned"] > 30 and hit["nationalist"] == 0  # expected 60 vs 0


def test_patronage_employees_leave_opposition_under_aligned_patrons():
    orgs = [Organization(name="union", country="a", class_base="public_employee", members_share=0.8)]
    tl = [Event(month=1, country="a", kind="patronage", intensity=0.4)]
    w = make([country("a")], orgs, tl, agents=4000)
    a = w.state.agents
    run("patronage_loyalty", w, steps=1)
    pj = a.patronage_job
    c4 = a.class_code == 3
    assert 0.3 < pj[c4].mean() < 0.5 and not pj[~c4].any()
    assert (a.org[pj] < 0).all() and (a.org[c4 & ~pj] == 0).mean() > 0.7
