"""Behavioural tests of the tactics family (M51, M63, M66-M68) and the World's M67 reversal hook."""

import numpy as np

from periphery.engine.rng import Streams
from periphery.engine.schedule import Context, stream_name
from periphery.models.world import _apply_reversals
from periphery.scenarios.schema import Event
from periphery.theory import REGISTRY
from periphery.theory.tactics import T
from periphery.theory.world_schema import EVENT_NAMES
from .test_theory_organization import org, run, world


def _step(name, w, t=2, **params):
    cls = REGISTRY[name]
    cls().step(w.state, cls.Params(**params), Streams(1)(stream_name(cls)), Context(t=t, spaces=w.ctx.spaces))


def test_informal_orgs_choose_disruption_formal_orgs_strikes():
    """M63 / P38 lever: membership composition shifts the tactic mix (200 draws per org; the
    expected gap at the defaults is about 0.3 in share, the asserted 0.1 is far outside noise)."""
    w = world([org("a", class_base="informal_unemployed"), org("b", class_base="public_employee")])
    og = w.state.orgs
    dis = np.zeros(2)
    strike = np.zeros(2)
    rng = Streams(2)("x")
    cls = REGISTRY["tactic_choice"]
    for _ in range(200):
        og.informal_share[:2] = (1.0, 0.0)
        og.formal_share[:2] = (0.0, 1.0)
        cls().step(w.state, cls.Params(revise=1.0, u_keep=0.0), rng, Context(t=1, spaces=w.ctx.spaces))
        dis += og.tactic[:2] == T["disruption"]
        strike += og.tactic[:2] == T["general_strike"]
    assert dis[0] > dis[1] + 20 and strike[1] > strike[0] + 20, (dis, strike)


def test_ally_defection_pushes_tactics_toward_direct_action():
    """M63: a failing electoral channel (D43) lowers its credibility and raises blockades."""
    share = {}
    for defect in (0.0, 1.0):
        w = world([org("a", class_base="public_employee")])
        cs, og = w.state.countries, w.state.orgs
        counts = 0
        rng = Streams(3)("x")
        cls = REGISTRY["tactic_choice"]
        for _ in range(120):
            cs.ally_defection[:] = defect
            cls().step(w.state, cls.Params(revise=1.0, u_keep=0.0), rng, Context(t=1, spaces=w.ctx.spaces))
            counts += og.tactic[0] == T["blockade"]
        share[defect] = counts / 120
        if defect:
            assert cs.electoral_credibility[0] < 0.1
    assert share[1.0] > share[0.0] + 0.15, share


def test_sustained_direct_action_reverses_policy_big_events_do_not():
    """P5 in miniature: same members and issue; blockading class org vs annual-event coalition.
    Three seeds each; the blockade arm reverses in every seed, the event arm in none (its
    disruption weight is omega_event x 1/12 of the months)."""
    priv = Event(month=1, country="patria", kind="privatization", intensity=1.0)
    sap = Event(month=1, country="patria", kind="structural_adjustment", intensity=1.0)
    rev = {"sustained": 0, "event": 0}
    fixed = {"tactic_choice": {"revise": 0.0}, "issue_movement_founding": {"f43": 0.0},
             "informal_org_founding": {"f23": 0.0}}  # fmt: skip
    for seed in range(3):
        for arm, kw in (("sustained", dict(tactic="blockade", class_base="public_employee", scope="sector")),
                        ("event", dict(tactic="demonstration", form="horizontal", scope="issue"))):  # fmt: skip
            o = [org("x", issue="privatization", members_share=0.3, leader_linkage=0.8, **kw)]
            w = run(world(o, [priv, sap], seed=seed, params=fixed), 36)
            bit = np.int64(1) << EVENT_NAMES.index("privatization")
            rev[arm] += int((w.state.countries.policy_withdrawn[0] & bit) != 0)
    assert rev["sustained"] == 3 and rev["event"] == 0, rev


def test_heterogeneous_event_coalitions_retain_fewer_members():
    """M66 / P6: one post-event purge; retention 0.6*(1-0.7*h): 0.56 at h=0.1, 0.31 at h=0.7."""
    kept = {}
    for het in (0.1, 0.7):
        w = world([org("e", tactic="demonstration", form="horizontal", scope="issue", members_share=0.5)])
        og, a = w.state.orgs, w.state.agents
        og.months_since_call[0] = 1
        og.heterogeneity[0] = het
        n0 = (a.org == 0).sum()
        _step("event_retention", w)
        kept[het] = (a.org == 0).sum() / n0
    assert abs(kept[0.1] - 0.558) < 0.05 and abs(kept[0.7] - 0.306) < 0.05, kept


def test_practice_raises_consciousness_of_active_members_only_for_sustained_tactics():
    """M68: organized members of a blockading org gain consciousness; a demonstrating org's do not."""
    gain = {}
    for tactic in ("blockade", "demonstration"):
        w = world([org("a", class_base="public_employee", tactic=tactic)])
        og, a = w.state.orgs, w.state.agents
        og.calling[0] = True
        a.status[a.org == 0] = 2  # organized
        c0 = a.consciousness.copy()
        _step("practice_education", w)
        gain[tactic] = float((a.consciousness - c0)[a.org == 0].mean())
    assert gain["blockade"] > 0.005 and gain["demonstration"] == 0.0, gain


def test_world_hook_zeroes_withdrawn_and_halves_limited_policies_while_scheduled():
    level = np.array([[0.8, 0.8], [0.6, 0.0]], dtype=np.float32)  # kinds x countries
    months = np.array([[3, 3], [2, 0]], dtype=np.int16)
    withdrawn = np.array([0b01, 0b10], dtype=np.int64)  # kind 0 in country 0; kind 1 in country 1
    limited = np.array([0b10, 0], dtype=np.int64)  # kind 1 in country 0
    _apply_reversals(level, months, withdrawn, limited)
    assert level[0, 0] == 0 and months[0, 0] == 0 and level[0, 1] == np.float32(0.8)
    assert level[1, 0] == np.float32(0.3)
    assert withdrawn[1] == 0  # kind 1 is not scheduled in country 1: the bit is cleared
    assert withdrawn[0] == 1 and limited[0] == 2
