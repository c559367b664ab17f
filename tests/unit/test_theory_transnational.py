"""Behavioural tests of the transnational family (transnational.py).

Each test switches one rule's driver on and off on a small built world and checks the
direction of the effect; stochastic margins are stated at each assert.
"""

import numpy as np

from periphery.theory import build_schedule
from periphery.theory.world_schema import CLASS_NAMES, STATUS, C, CLASS_CODE, TACTICS
from periphery.scenarios.schema import Event, Organization

from tests.unit.test_theory_regime import country, make, run

CORE = {n: 1 / 6 for n in CLASS_NAMES[16:]}


def test_hegemony_cracks_with_a_symbolic_uprising_and_a_crisis_and_breeds_resignation():
    w = make([country("a")], timeline=[Event(month=1, country="a", kind="hegemony_crack", intensity=1.0)],
             framework="tnc")
    g = w.state.globe
    h0 = float(g.hegemony[0])
    a = w.state.agents
    a.status[: a.n // 2] = STATUS["mobilized"]
    run("hegemony", w, steps=1)
    assert g.hegemony[0] < h0 - 0.05
    assert 0 < (a.status[: a.n // 2] == STATUS["quiescent"]).mean() < 0.1  # resignation ~ 0.05 * 0.72
    w2 = make([country("a")], timeline=[Event(month=1, country="a", kind="crisis", intensity=1.0)], framework="tnc")
    w2.state.countries.hegemony_crack_months[:] = 0
    run("hegemony", w2, steps=12, resignation=0.0)
    assert w2.state.globe.hegemony[0] < 0.8 * 0.92**12
    w3 = make([country("a")], framework="tnc")
    w3.state.globe.hegemony[:] = 0.3
    run("hegemony", w3, steps=60)
    assert w3.state.globe.hegemony[0] > 0.3  # no resistance, no crisis: it recovers (X13: no built-in drift)


def test_capital_restructures_only_with_counter_hegemony_and_a_long_crisis():
    for ch, crisis, expect in ((0.2, 1.0, True), (0.2, 0.0, False), (0.0, 1.0, False)):
        w = make([country("a")], framework="tnc")
        g = w.state.globe
        g.counter_hegemony[:] = ch
        g.crisis_level[:] = crisis
        run("capital_restructuring", w, steps=120)
        assert (g.restructurings[0] > 0) == expect
        if expect:
            assert g.structural_power[0] > 0.6


def test_tourism_turns_rural_communities_into_tourism_workers():
    w = make([country("a")], timeline=[Event(month=1, country="a", kind="tourism", intensity=1.0)])
    a = w.state.agents
    rural0 = np.isin(a.class_code, [C["peasant_farmer"], C["indigenous_community"]]).sum()
    run("tourism_incorporation", w, steps=60, rate=0.01)
    moved = (a.class_code == C["tourism_worker"]).sum() - 2000 // 16
    assert 0.3 * rural0 < moved < 0.6 * rural0  # 1 - 0.99^60 = 0.45
    assert np.array_equal(a.cell, a.country.astype(np.int32) * 22 + a.class_code)


def test_extraction_raises_indigenous_grievance_whatever_the_export_destination():
    out = []
    for china in (0.1, 0.8):
        w = make([country("a", indigenous_share=0.5)],
                 timeline=[Event(month=1, country="a", kind="resource_extraction", intensity=1.0)])
        w.state.countries.export_share_china[:] = china
        run("extraction_resistance", w, steps=6)
        out.append(w.state.agents.grievance.copy())
        ind = w.state.agents.indigenous
        assert out[-1][ind].mean() > 0.35 and out[-1][~ind].max() == 0
    assert np.array_equal(out[0], out[1])  # P39: no destination term


def test_exports_to_china_move_alignment_only_in_the_rivalry_branch():
    assert "export_alignment" in build_schedule("imp").names
    assert "export_alignment" not in build_schedule("tnc").names
    assert build_schedule("tnc").writers("countries.alignment") == ()
    w = make([country("a", alignment=0.8, economy={"agriculture": 0.4, "extractive": 0.4})],
             timeline=[Event(month=1, country="a", kind="raw_material_demand", intensity=1.0)])
    for _ in range(120):
        run("china_zone_exports", w)
        run("export_alignment", w)
    cs = w.state.countries
    assert cs.export_share_china[0] > 0.3
    # response 0.5 per unit rise of the share, counted from the first month's share (~0.06)
    assert abs(cs.alignment[0] - (0.8 - 0.5 * (cs.export_share_china[0] - 0.0586))) < 0.005


def _members(w, org, employment):
    a = w.state.agents
    idx = np.flatnonzero(a.org == org)
    a.employment[idx] = employment
    return idx


def test_unemployed_organizations_disrupt_and_formal_ones_strike():
    orgs = [Organization(name="piq", country="a", members_share=0.2), Organization(name="uni", country="a", members_share=0.2)]
    w = make([country("a")], orgs, framework="tnc")
    _members(w, 0, 2)  # unemployed
    _members(w, 1, 0)  # formal
    run("informal_tactics", w, steps=60)
    t = w.state.orgs.tactic
    assert t[0] == TACTICS.index("disruption") and t[1] == TACTICS.index("general_strike")


def _labor_world(border, organized):
    shares = {"migrant_worker": 0.3, "industrial_worker": 0.4, "informal_unemployed": 0.3}
    orgs = [Organization(name="centre", country="a", class_base="migrant_worker", members_share=0.8)] if organized else []
    tl = [Event(month=1, country="a", kind="border_regime", intensity=border)] if border else []
    w = make([country("a", class_shares=shares)], orgs, tl, agents=3000, framework="tnc")
    a = w.state.agents
    mig = a.class_code == C["migrant_worker"]
    a.status[mig] = STATUS["mobilized"]
    run("segmented_solidarity", w, steps=6)
    return float(a.grievance[~mig].mean())


def test_border_segmentation_cuts_solidarity_unless_immigrants_are_organized():
    open_, seg, seg_org = _labor_world(0.0, False), _labor_world(0.9, False), _labor_world(0.9, True)
    assert open_ > 2 * seg > 0
    assert seg_org > seg * 1.3


def test_migrant_links_carry_mobilization_across_borders():
    shares_core = dict(CORE)
    shares_core = {k: v * 0.8 for k, v in shares_core.items()}
    shares_core["migrant_worker"] = 0.2
    cs = [country("mex"), country("us", "core", class_shares=shares_core)]
    res = {}
    for linked in (True, False):
        tl = [Event(month=1, country="mex", kind="labor_export", intensity=1.0)] if linked else []
        w = make(cs, timeline=tl, agents=4000, framework="tnc")
        w.state.countries.share_active[:] = [0.4, 0.0]
        run("transnational_communities", w, steps=1)
        w.state.countries.labor_export_months[:] = [2, 0] if linked else 0
        run("transnational_communities", w, steps=5)
        a = w.state.agents
        us_mig = (a.country == 1) & (a.class_code == CLASS_CODE["migrant_worker"])
        res[linked] = float(a.grievance[us_mig].mean())
        if linked:
            assert (a.migrant_link[us_mig] == 0).all()
            home = a.country == 0
            assert 0.1 < (a.migrant_link[home] == 1).mean() < 0.3
    assert res[True] > 0.3 and res[False] == 0.0
