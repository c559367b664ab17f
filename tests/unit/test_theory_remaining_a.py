"""Behavioural tests of M3, M10, M11, M94, M105 and M123 (regime.py, co_optation.py, organization.py).

Each test switches the driving condition of one rule on and off on a small built world and
checks the direction of the effect the rule formalizes. Stochastic checks use thousands of
agent draws or many months; margins are stated at each assert.
"""

import numpy as np

from periphery.scenarios.schema import Event, Organization
from periphery.theory.world_schema import ALCA_STATUS, REGIME_CODE, STATUS, C

from .theory_worlds import PER, REG, country, run  # noqa: E402,F401
from .theory_worlds import make as _make  # noqa: E402


def make(*args, agents=3000, **kw):
    return _make(*args, agents=agents, **kw)


def _sync_members(w):
    a, og = w.state.agents, w.state.orgs
    og.members[:] = np.bincount(a.org[a.org >= 0], minlength=og.n)


# ---------------------------------------------------------------- M3


def _ci_world(on: bool):
    orgs = [Organization(name="union", country="a", class_base="industrial_worker", members_share=0.8)]
    tl = [Event(month=1, country="a", kind="counterinsurgency", intensity=1.0)] if on else []
    w = make([country("a")], orgs, tl)
    a = w.state.agents
    a.status[a.org >= 0] = STATUS["organized"]
    return w


def test_counterinsurgency_impoverishes_polarizes_kills_and_displaces():
    res = {}
    for on in (True, False):
        w = _ci_world(on)
        a, cs = w.state.agents, w.state.countries
        run("counterinsurgency_escalation", w, steps=12, kill_rate=0.02, displace_rate=0.02)
        urban = a.class_code == C["informal_unemployed"]
        res[on] = (a.income[urban].mean(), a.grievance.mean(), int(cs.ci_killed[0]), int(cs.ci_displaced[0]),
                   int(a.displaced.sum()))
    on, off = res[True], res[False]
    assert on[0] < off[0] - 0.05  # 12 months at 1%: ~11% income loss vs none
    assert on[1] > off[1] + 0.1  # 12 x 0.02 = 0.24 polarization for non-elite classes (14/16 of agents)
    # ~150 organized union members x 0.02 x 12 ~ 35 expected killings; ~560 rural agents x 0.02 x 12 ~ 120 displaced
    assert on[2] >= 10 and off[2] == 0
    assert on[3] >= 40 and on[4] == on[3] and off[3] == 0


# ---------------------------------------------------------------- M10, M11


def _alca_world(regime, fta=True):
    tl = [Event(month=1, country="a", kind="free_trade_agreement", intensity=1.0)] if fta else []
    return make([country("a", regime=regime)], (), tl, agents=200)


def test_alca_ratified_only_through_aligned_governments():
    w_al, w_nat = _alca_world("aligned"), _alca_world("nationalist")
    run("alca_advance", w_al, steps=30, ratify_rate=0.5)
    run("alca_advance", w_nat, steps=30, ratify_rate=0.5)
    assert w_al.state.countries.alca_status[0] == ALCA_STATUS.index("ratified")  # P(not in 29 tries) = 2^-29
    assert w_nat.state.countries.alca_status[0] == ALCA_STATUS.index("negotiating")
    w_none = _alca_world("aligned", fta=False)
    run("alca_advance", w_none, steps=30, ratify_rate=0.5)
    assert w_none.state.countries.alca_status[0] == ALCA_STATUS.index("none")


def test_ousting_the_aligned_government_blocks_alca():
    for new, expect in (("nationalist", "blocked"), ("aligned", "negotiating")):
        w = _alca_world("aligned")
        run("alca_advance", w, steps=2, ratify_rate=0.0)
        w.state.countries.regime[0] = REGIME_CODE[new]  # what government_ouster does on an ouster
        run("alca_advance", w, steps=1, block_prob=1.0, ratify_rate=0.0)
        assert w.state.countries.alca_status[0] == ALCA_STATUS.index(expect)


def test_ratified_alca_locks_a_later_government_policy():
    dps = {}
    for status in ("ratified", "none"):
        w = make([country("a", regime="nationalist", alca_status=status, base_organization=1.0)], agents=200)
        run("alca_policy_lock", w)
        run("imp_policy_course", w, steps=6, drift_rate=0.0)
        dps[status] = (float(w.state.countries.domestic_policy[0]), float(w.state.countries.foreign_policy_autonomy[0]))
    assert dps["ratified"][0] <= 0.1 + 1e-6 and dps["ratified"][1] <= 0.2 + 1e-6
    assert dps["none"][0] > 0.5 and dps["none"][1] > 0.5  # start 0.5 pulled up by an organized base; fpa 0.8


# ---------------------------------------------------------------- M94


def _splits(scope, seed):
    orgs = [Organization(name=f"o{i}", country="a", scope=scope, class_base=cb, members_share=0.5)
            for i, cb in enumerate(("industrial_worker", "teacher_student", "public_employee"))]
    tl = [Event(month=1, country="a", kind="faction_alliance", intensity=1.0)]
    w = make([country("a")], orgs, tl, seed=seed)
    _sync_members(w)
    before = w.state.orgs.members[:3].sum()
    run("divide_and_rule", w, steps=24, seed=seed)
    _sync_members(w)
    return int(w.state.countries.split_events[0]), before - w.state.orgs.members[:3].sum(), w


def test_divide_and_rule_splits_issue_movements_not_system_ones():
    n_issue, lost_issue, w = _splits("issue", 3)
    n_system, lost_system, _ = _splits("system", 3)
    # issue scope: 3 orgs x 24 months x 0.1 ~ 7 splits expected (P(<2) < 1%); system scope: probability 0
    assert n_issue >= 2 and n_system == 0
    assert lost_issue > 0 and lost_system == 0
    f = int(w.state.countries.faction_org[0])
    assert f >= 0 and w.state.orgs.allied_faction[f] and w.state.orgs.members[f] == lost_issue


def test_faction_is_dropped_when_the_alliance_ends():
    _, _, w = _splits("issue", 4)
    f = int(w.state.countries.faction_org[0])
    lk = float(w.state.orgs.leader_linkage[f])
    w.state.countries.faction_alliance[:] = 0
    run("divide_and_rule", w)
    assert not w.state.orgs.allied_faction[f] and w.state.countries.faction_org[0] == -1
    assert w.state.orgs.leader_linkage[f] < lk


# ---------------------------------------------------------------- M105


def _bolivia(tactic, intervention=0.0):
    orgs = [Organization(name="cocaleros", country="a", scope="issue", power_orientation="independent",
                         form="vertical", class_base="peasant_farmer", tactic=tactic, members_share=0.5,
                         leader_linkage=0.9)]
    tl = [Event(month=1, country="a", kind="free_trade_agreement", intensity=1.0)]
    if intervention:
        tl.append(Event(month=1, country="a", kind="intervention", intensity=intervention))
    w = make([country("a", traditions={"revolutionary": 0.8})], orgs, tl)
    w.state.agents.grievance[:] = 0.6
    _sync_members(w)
    return w


def test_dual_track_leadership_recruits_urban_and_rural_and_links_issues():
    out = {}
    for tactic in ("blockade", "electoral"):  # direct action + own vehicle vs electoral only
        w = _bolivia(tactic)
        run("bolivia_sustained_movement", w, steps=12)
        a, og = w.state.agents, w.state.orgs
        urban = np.isin(a.class_code, [C["informal_unemployed"], C["industrial_worker"], C["public_employee"]])
        out[tactic] = (int(((a.org == 0) & urban).sum()), int(og.scope[0]), bool(og.dual_track[0]))
    # ~560 urban agents x 0.005 x 0.9 x 1.8 x 0.6 x 12 ~ 33 expected recruits; none without the dual track
    assert out["blockade"][2] and not out["electoral"][2]
    assert out["blockade"][0] >= 10 and out["electoral"][0] == 0
    assert out["blockade"][1] > 0 and out["electoral"][1] == 0  # 12 months at 0.06: P(no widening) ~ 0.5%


def test_intervention_history_sets_a_consciousness_floor_for_peasants_and_workers():
    w_on, w_off = _bolivia("electoral", intervention=1.0), _bolivia("electoral")
    for w in (w_on, w_off):
        w.state.agents.consciousness[:] = 0
        run("bolivia_sustained_movement", w, steps=24)
    a_on, a_off = w_on.state.agents, w_off.state.agents
    peas = a_on.class_code == C["peasant_farmer"]
    assert a_on.consciousness[peas].min() > 0.05  # 0.3 x (1 - 0.98^24) ~ 0.11
    assert a_off.consciousness.max() == 0
    assert a_on.consciousness[a_on.class_code == C["local_bourgeoisie"]].max() == 0


# ---------------------------------------------------------------- M123


def test_indigenous_leave_class_only_orgs_and_join_indigenous_ones():
    orgs = [Organization(name="union", country="a", class_base="multi", members_share=0.5),
            Organization(name="conaie", country="a", class_base="indigenous_community", form="horizontal",
                         members_share=0.2, leader_linkage=0.8)]
    tl = [Event(month=1, country="a", kind="free_trade_agreement", intensity=1.0)]
    w = make([country("a", indigenous_share=0.6)], orgs, tl, framework="tnc")
    a, og = w.state.agents, w.state.orgs
    _sync_members(w)
    ind = a.indigenous
    in_union0 = int(((a.org == 0) & ind).sum())
    in_own0 = int(((a.org == 1) & ind).sum())
    run("indigenous_organizing", w, steps=24, link_rate=0.5)
    assert a.grievance[ind].min() >= 0.45 - 1e-6 and a.grievance[~ind].max() == 0
    # exit 0.05 x 0.7 per month over 24 months: ~57% leave
    assert ((a.org == 0) & ind).sum() < 0.7 * in_union0
    assert ((a.org == 1) & ind).sum() > in_own0 + 20
    assert og.coalition_linked[1] and abs(og.autonomy[1] - 0.8) < 1e-6  # linked once: autonomy 1 - 0.2
