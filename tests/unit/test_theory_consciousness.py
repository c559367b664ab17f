"""Behavioural tests of the consciousness family (theory/consciousness.py, theory_spec 3.5).

Small one-country worlds stepping only the mechanisms a test names; statuses and incomes are
set directly where a test isolates one rule. Tolerances are stated where draws are involved.
"""

from __future__ import annotations

import numpy as np

from periphery.scenarios.schema import Organization
from periphery.theory.base import REGISTRY
from periphery.theory.world_schema import CROP, EVENT_NAMES, ORG_SCOPES, STATUS, TARGETS, C
from tests.unit.test_theory_economy import advance, make

MOB, Q = STATUS["mobilized"], STATUS["quiescent"]
IFI, IMPERIAL = TARGETS.index("ifi"), TARGETS.index("imperial_state")


def _sap_world(visibility, months=24, seed=0):
    """Public employees hit by an SAP, all mobilized; returns their mean target and share >= IFI."""
    w = make([("structural_adjustment", 1.0)], seed=seed)
    a = w.state.agents
    pub = np.isin(a.class_code, [C["public_employee"], C["teacher_student"]])
    params = {"attribution": REGISTRY["attribution"].Params(base_visibility=visibility, alca_gain=0.0)}
    for _ in range(months):
        a.status[pub] = MOB
        advance(w, ["austerity_income", "grievance_from_income", "attribution", "target_escalation"], 1, params)
    t = a.target[pub]
    return t.mean(), (t >= IFI).mean(), a.link_observed[pub].mean()


def test_visible_policy_makers_shift_protest_targets_upward():
    """P16 direction (M6, M57, M59): mean target and share aiming at the IFIs rise with visibility."""
    lo, hi = _sap_world(0.1), _sap_world(1.0)
    assert hi[0] > lo[0] + 0.5  # ~700 agents; the gap is several levels' worth of steps
    assert hi[1] > lo[1] + 0.3
    assert hi[2] > lo[2]


def test_no_visibility_no_attribution_and_only_the_firm_as_target():
    w = make([("structural_adjustment", 1.0)])
    a = w.state.agents
    params = {"attribution": REGISTRY["attribution"].Params(base_visibility=0.0, alca_gain=0.0)}
    advance(w, ["austerity_income", "grievance_from_income", "attribution"], 36, params)
    hit = a.income_loss > 0
    assert hit.sum() > 100
    assert not a.attribution.any() and not a.link_observed.any()
    assert np.all(a.target[hit] == TARGETS.index("firm"))


def test_alca_raises_visibility():
    w = make([("free_trade_agreement", 1.0)])
    advance(w, ["attribution"], 1)
    assert np.isclose(w.state.countries.visibility[0], 0.7)


def test_consciousness_climbs_past_economic_demands_only_with_an_observed_link():
    """P18 (M56): same losses; without a link no agent reaches the political-national level."""
    shares = []
    for linked in (True, False):
        w = make(seed=4)
        a = w.state.agents
        a.income[:] = 0.6
        a.link_observed[: a.n // 2] = linked
        advance(w, ["grievance_from_income", "consciousness_levels"], 60)
        half = slice(0, a.n // 2)
        shares.append((a.consciousness_level[half] >= 2).mean())
        if not linked:
            assert a.consciousness[half].max() < 1 / 3
            assert (a.consciousness_level[half] == 1).mean() > 0.9  # economic demands
    assert shares[1] == 0
    assert shares[0] > 0.5


def test_anti_systemic_level_needs_a_system_program_or_an_imperial_target():
    w = make()
    a = w.state.agents
    a.consciousness[:] = 0.9
    a.link_observed[:] = True
    a.target[: a.n // 2] = IMPERIAL
    advance(w, ["consciousness_levels"], 1)
    assert np.all(a.consciousness_level[: a.n // 2] == 3)
    assert np.all(a.consciousness_level[a.n // 2:] == 2)


def test_eradication_raises_consciousness_more_than_an_income_equivalent_shock():
    """P11 direction (M20 with M59, M56): coca growers, same income path in both arms."""
    out = []
    for events in ([("crop_eradication", 1.0)], []):
        w = make(events, seed=2)
        a = w.state.agents
        coca = a.crop == CROP["coca"]
        names = ["eradication_shock", "grievance_from_income", "attribution", "consciousness_levels"]
        for _ in range(12):
            advance(w, names, 1)
            a.income[coca] = np.minimum(a.income[coca], 0.3)  # the matched loss, applied in both arms
        out.append(((a.consciousness_level[coca] >= 2).mean(), a.consciousness[coca].mean()))
    assert out[0][0] > out[1][0] + 0.5
    assert out[0][1] > out[1][1]


def test_contractors_reveal_the_foreign_hand_to_rural_agents():
    on, off = make([("contractors", 1.0)]), make()
    advance(on, ["contractor_radicalization"], 24)
    advance(off, ["contractor_radicalization"], 24)
    a = on.state.agents
    rural = np.isin(a.class_code, [C["peasant_farmer"], C["landless_rural_worker"], C["indigenous_community"]])
    assert a.link_observed[rural].mean() > 0.5  # 1 - 0.95^24 = 0.71
    assert not a.link_observed[~rural].any() and not off.state.agents.link_observed.any()
    assert a.consciousness[rural].mean() > 0.15


def _issue_org(**kw):
    base = dict(name="water", country="patria", scope="issue", class_base="informal_unemployed", members_share=0.5,
                issue="privatization", leader_linkage=0.7)  # fmt: skip
    base.update(kw)
    return Organization(**base)


def test_alca_links_single_issue_organizations_and_their_members():
    on = make([("free_trade_agreement", 1.0)], orgs=[_issue_org(name=f"o{i}") for i in range(6)])
    off = make(orgs=[_issue_org(name=f"o{i}") for i in range(6)])
    advance(on, ["alca_issue_linkage"], 60)
    advance(off, ["alca_issue_linkage"], 60)
    og = on.state.orgs
    fta = EVENT_NAMES.index("free_trade_agreement")
    assert (og.linked_issue[:6] == fta).sum() >= 4  # p = 0.04/month: 1 - 0.96^60 = 0.91 per org
    assert np.all(og.scope[:6][og.linked_issue[:6] == fta] == ORG_SCOPES.index("sector"))
    assert np.all(off.state.orgs.linked_issue[:6] == -1)
    assert on.state.agents.link_observed[on.state.agents.org >= 0].mean() > 0.1


def test_local_struggles_with_linked_leaders_join_national_ones():
    orgs = [_issue_org(name="linked", leader_linkage=0.8), _issue_org(name="unlinked", leader_linkage=0.2)]
    w = make([("structural_adjustment", 1.0), ("privatization", 1.0)], orgs=orgs)
    advance(w, ["local_national_linkage"], 60)
    og = w.state.orgs
    assert og.linked_issue[0] == EVENT_NAMES.index("structural_adjustment")  # privatization is its own issue
    assert og.scope[0] == ORG_SCOPES.index("sector")
    assert og.linked_issue[1] == -1
    a = w.state.agents
    assert a.link_observed[a.org == 0].mean() > 0.3 and not a.link_observed[a.org == 1].any()


def _scales(up, down, shocked, linked, seed=0):
    """Status after one pull step; localities in ``shocked`` all active; ``linked`` ones have the link."""
    w = make(agents=5000, seed=seed)
    a = w.state.agents
    mech = REGISTRY["escalation_across_scales"]
    p = mech.Params(localities=10, up=up, down=down)
    mech().step(w.state, p, w.streams("init"), w.ctx)  # assigns localities
    loc = a.locality
    a.grievance[:] = 0.5
    a.link_observed[np.isin(loc, linked)] = True
    a.status[np.isin(loc, shocked)] = MOB
    mech().step(w.state, p, w.streams("s"), w.ctx)
    return loc, a.status == MOB


def test_mobilization_escalates_upward_from_linked_localities_and_downward_into_them():
    """P17 direction (M54): off arm pulls nobody; a linked local shock spreads across the country;
    national mobilization reaches linked localities more than unlinked ones."""
    loc, act = _scales(0.0, 0.0, shocked=[0, 1], linked=[0, 1])
    assert act[~np.isin(loc, [0, 1])].sum() == 0
    loc, act = _scales(0.5, 0.0, shocked=[0, 1], linked=[0, 1])
    up_linked = act[~np.isin(loc, [0, 1])].mean()
    loc, act = _scales(0.5, 0.0, shocked=[0, 1], linked=[])
    up_unlinked = act[~np.isin(loc, [0, 1])].mean()
    assert up_linked > 0.03 and up_unlinked == 0  # expected 0.5*0.5*0.2 = 0.05 over 4000 agents
    loc, act = _scales(0.0, 0.5, shocked=[0, 1, 2, 3, 4], linked=[5, 6])
    into_linked, into_other = act[np.isin(loc, [5, 6])].mean(), act[np.isin(loc, [7, 8, 9])].mean()
    assert into_linked > 0.05 and into_other == 0  # expected 0.5*0.5*0.5 = 0.125 over 1000 agents
