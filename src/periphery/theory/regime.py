"""Regime family: ousters and successors, coups, overthrow and drift of left regimes, the policy course.

Who governs and what it does. A government can be ousted by mass mobilization (the regime side
of M52, with M121's outside ally as one successor), overthrown under imperial hostility (M107,
M111), hit by a coup that mass support may reverse (M109, M110, M106), or kept on or pushed off
a transformative course. The two frameworks disagree on why left governments drift (theory_spec
X6/X7): the IMP set runs ``imp_policy_course`` (M33 envelope, M109 split, M111 leadership drift)
and the TNC set runs ``tnc_policy_pull`` (M114, M115, M117, M118, M133); each is the only writer
of ``countries.domestic_policy`` in its set. The repertoire rules of the repression side (M103's
armed turn of organizations, M104's death squads) live here too, next to the regime that
represses; the agent-level arming backfire stays in ``activation``.

Regime codes are ``world_schema.REGIME_NAMES``; a "left" government (``holds_state``) is a
nationalist or revolutionary regime, a modeller's reading of theory_spec Appendix A. Every rate
is a placeholder (theory_spec 7.4) unless its ``why`` names a figure of the texts.
"""

from __future__ import annotations

import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.world_schema import LEFT_REGIMES, POWER_ORIENTATIONS, REGIME_CODE, STATUS, TACTICS, Var, C, code_lut

E = "000_c5680132a7806926.txt"  # Petras 2003 (theory_spec: E)
I = "001_f7b7902be34493f6.txt"  # Robinson 2006 interview (theory_spec: I)  # noqa: E741

Q, MOB, ORG, ARM, JAIL = (STATUS[s] for s in ("quiescent", "mobilized", "organized", "armed", "jailed"))
ALIGNED, NATIONALIST, REVOLUTIONARY = REGIME_CODE["aligned"], REGIME_CODE["nationalist"], REGIME_CODE["revolutionary"]
REPR_ELECT, OCCUPIED, CORE = REGIME_CODE["repressive_electoral"], REGIME_CODE["occupied"], REGIME_CODE["core"]
INDEPENDENT = POWER_ORIENTATIONS.index("independent")
ELECTORAL_SUB = POWER_ORIENTATIONS.index("electoral_subordinate")
SYSTEM_SCOPE = 2  # ORG_SCOPES index of "system"
VERTICAL, HORIZONTAL, HYBRID = 0, 1, 2  # ORG_FORMS
T_ARMED, T_ELECTORAL = TACTICS.index("armed_struggle"), TACTICS.index("electoral")
SUCCESSORS = ("none", "elite", "ally", "movement")  # countries.last_successor codes (M52/M121)

COLUMNS = (
    Var("countries", "domestic_policy", "float32", "[0,1]",
        "domestic economic policy: 0 capital-preferred vector, 1 transformative (M109, M115-M118)", 0, "mechanism"),
    Var("countries", "foreign_policy_autonomy", "float32", "[0,1]",
        "independence of foreign policy from the imperial state (M109)", 0, "mechanism"),
    Var("countries", "policy_regime", "int8", "code",
        "regime code the policy course last saw (-1 before the first step); a change resets policy", -1, "mechanism"),
    Var("countries", "ousted_this_month", "bool", "flag", "the government was ousted by mobilization this month (M52)", 0, "mechanism"),
    Var("countries", "ouster_count", "int16", "count", "ousters by mass mobilization since the start (M52, M121)", 0, "mechanism"),
    Var("countries", "months_since_ouster", "int16", "months", "months since the last ouster (large if none)", 999, "mechanism"),
    Var("countries", "last_successor", "int8", "code", "SUCCESSORS of the last ouster: none, elite, ally, movement", 0, "mechanism"),
    Var("countries", "ally_in_office", "bool", "flag", "an outside ally backed by a movement without a vehicle governs (M121)", 0, "mechanism"),
    Var("countries", "ally_backer", "int32", "index", "org row that backed the ally in office, -1 if none (M121)", -1, "mechanism"),
    Var("countries", "ally_defections", "int16", "count", "allies in office who changed course (texts: \"betrayal\", M121)", 0, "mechanism"),
    Var("countries", "old_state_destroyed", "float32", "[0,1]", "the old state apparatus was destroyed and replaced (M107 factor 1)", 0, "scenario"),
    Var("countries", "cadre_renewal", "float32", "[0,1]", "a new generation of cadres is reproduced (M107 factor 3)", 0, "scenario"),
    Var("countries", "relative_welfare", "float32", "[0,1]", "workers and farmers better off than regional peers (M107 factor 4)", 0, "scenario"),
    Var("countries", "conciliator_share", "float32", "[0,1]", "share of the governing elite oriented to conciliation with the imperial state (M108)", 0.3, "scenario"),
    Var("countries", "coalition_heterogeneity", "float32", "[0,1]", "heterogeneity of the governing coalition (M109)", 0.5, "scenario"),
    Var("countries", "bourgeois_share", "float32", "[0,1]", "weight of pro-imperial bourgeois members in the governing coalition (M109)", 0.3, "scenario"),
    Var("countries", "hostility", "float32", "[0,1]", "imperial pressure on the government: max of blockade, intervention, proxy and air war (M107, M108)", 0, "mechanism"),
    Var("countries", "overthrow_hazard", "float32", "per month", "monthly hazard of overthrow under imperial hostility (M107, M111)", 0, "mechanism"),
    Var("countries", "invasion_cost", "float32", "index", "relative cost of an invasion to the imperial state, 1 = no army-mass linkage (M107)", 1, "mechanism"),
    Var("countries", "overthrows", "int16", "count", "governments overthrown under imperial hostility or by coup", 0, "mechanism"),
    Var("countries", "drifting", "bool", "flag", "the left government's leadership is retreating to the capital-preferred course (M111)", 0, "mechanism"),
    Var("countries", "drifts", "int16", "count", "left governments that drifted to aligned status (M111)", 0, "mechanism"),
    Var("countries", "coalition_defected", "float32", "share", "share of the original governing coalition that defected to the coup opposition (M109)", 0, "mechanism"),
    Var("countries", "defection_events", "int16", "count", "coalition members who defected to the coup opposition (M109)", 0, "mechanism"),
    Var("countries", "coup_defenders", "float32", "share", "share of present agents mobilized in defence of the government in the coup window (M110)", 0, "mechanism"),
    Var("countries", "coup_defenders_organized", "float32", "share", "share of those defenders who belong to an organization (M110)", 0, "mechanism"),
    Var("countries", "coups_failed", "int16", "count", "coup attempts reversed (M110)", 0, "mechanism"),
    Var("countries", "coups_succeeded", "int16", "count", "coup attempts that took power (M110)", 0, "mechanism"),
    Var("countries", "autonomous_mobilization", "float32", "share",
        "form-weighted share of present agents organized in independent organizations (M115-M118, M116 weights)", 0, "mechanism"),
    Var("countries", "allied_regimes", "int16", "count", "other periphery countries with a transformative left government (M114)", 0, "mechanism"),
    Var("countries", "stake_global", "float32", "[0,1]", "governing bloc's stake in global capital (M124)", 0.1, "scenario"),
    Var("countries", "blocked_internal", "int16", "count", "transformative policy steps blocked from inside the bloc (M124)", 0, "mechanism"),
    Var("countries", "blocked_opposition", "int16", "count", "transformative policy steps blocked by the opposition (M124)", 0, "mechanism"),
    Var("countries", "killed", "int32", "agents", "legal activists eliminated by death squads, cumulative (M104)", 0, "mechanism"),
)  # fmt: skip

def _left(regime: np.ndarray) -> np.ndarray:
    """Countries with a left or nationalist government (``holds_state``)."""
    return LEFT_REGIMES[regime.view(np.uint8)]


def _install(cs, rows: np.ndarray, regime: int, r_floor: float = 0.0) -> None:
    """Put a new government in ``rows``: set the regime, count the change, sync ``holds_state``."""
    if rows.size == 0:
        return
    cs.regime[rows] = regime
    cs.regime_changes[rows] += 1
    cs.holds_state[rows] = regime in (NATIONALIST, REVOLUTIONARY)
    cs.drifting[rows] = False
    if regime == ALIGNED:  # M33 envelope: an aligned government keeps a repression floor
        cs.repression[rows] = np.maximum(cs.repression[rows], np.float32(r_floor))
        cs.ally_in_office[rows] = False
        cs.ally_backer[rows] = -1


def _hostility(cs) -> np.ndarray:
    """Imperial pressure on each country from the coercive events (E L215: 'unremitting hostility')."""
    return np.maximum.reduce([cs.blockade, cs.intervention, cs.proxy_war, cs.air_war]).astype(np.float32)


def _consolidation(cs, w) -> np.ndarray:
    """Weighted sum of the five Cuba factors (M107): old state destroyed, army-mass linkage,
    cadre renewal, relative welfare, external partners."""
    return (w[0] * cs.old_state_destroyed + w[1] * cs.army_mass_linkage + w[2] * cs.cadre_renewal
            + w[3] * cs.relative_welfare + w[4] * cs.external_partners)  # fmt: skip


def _policy_reset(cs, p_nat: float, p_rev: float, fpa_nat: float, fpa_rev: float, lock_fp: float) -> None:
    """Where the regime changed since the policy course last looked, restart its policy vector."""
    changed = cs.regime != cs.policy_regime
    if not changed.any():
        return
    r = cs.regime
    dp = np.where(r == REVOLUTIONARY, p_rev, np.where(r == NATIONALIST, p_nat, 0.0)).astype(np.float32)
    fp = np.where(r == REVOLUTIONARY, fpa_rev, np.where(r == NATIONALIST, fpa_nat, lock_fp)).astype(np.float32)
    cs.domestic_policy[changed] = dp[changed]
    cs.foreign_policy_autonomy[changed] = fp[changed]
    cs.policy_regime[changed] = r[changed]


class _PolicyInit(Params):
    """Policy vector a new government starts with (shared by both policy courses)."""

    start_nationalist: float = param(0.5, ge=0.0, le=1.0, unit="[0,1]",
        description="domestic policy a new nationalist or movement-backed government starts with",
        why="modeller's midpoint: such governments start between the two vectors (E L217, I L19)")  # fmt: skip
    start_revolutionary: float = param(0.9, ge=0.0, le=1.0, unit="[0,1]",
        description="domestic policy a revolutionary government starts with",
        why="modeller's choice: a revolution replaces the capital-preferred vector (E L211-L213)")  # fmt: skip
    fpa_nationalist: float = param(0.8, ge=0.0, le=1.0, unit="[0,1]",
        description="foreign-policy autonomy a new nationalist government starts with",
        why="E L217: Venezuela's foreign policy is independent")  # fmt: skip
    fpa_revolutionary: float = param(1.0, ge=0.0, le=1.0, unit="[0,1]",
        description="foreign-policy autonomy of a revolutionary government", why="E L213-L215 (Cuba)")  # fmt: skip
    lock_fp: float = param(0.2, ge=0.0, le=1.0, unit="[0,1]",
        description="ceiling on foreign-policy autonomy of aligned and other governments (M33 envelope)",
        why="E L149: subordinate foreign policy; value from mechanism_map M10/M33")  # fmt: skip


# --------------------------------------------------------------------------------------------
# Repression side of the repertoire (M103, M104)
# --------------------------------------------------------------------------------------------


@register
class ArmedTurn(TheoryMechanism):
    """M103: organizations turn to armed struggle where the legal channel is closed, with armed tradition, rural leaders, independence and counter-insurgency.

    Paraphrase: Colombia has the strongest armed movement because a repressive system kills
    critics who use elections, a long tradition of armed rural resistance exists, the guerrilla's
    leaders are close to the peasantry and independent of urban reformists and electoral
    parties, and decades of US counter-insurgency displaced peasants and "radicalized the
    countryside" (E L201, "the lack of democratic space").

    Rule, per legal organization each month (the agent-level arming backfire is ``activation``)::

        z = b0 + b_closed * (1 - democratic_space) * repression + b_tradition * armed_tradition
              + b_rural * leader_linkage * [class_base in C1-C3] + b_independent * [independent]
              + b_ci * counterinsurgency
        P(turns armed this month) = sigmoid(z)

    An organization that turns becomes armed, illegal, with tactic armed_struggle. Each month
    active members of armed organizations are ``armed``, and displaced rural agents (C1-C3)
    without an organization join the largest armed organization of their country with
    probability ``join_rate * armed_tradition``.
    """

    name = "armed_turn"
    family = "tactics"
    mids = ("M103",)
    cites = (f"{E} §Sustained L201",)
    phase = "organization"
    reads = (
        "orgs.exists", "orgs.country", "orgs.legal", "orgs.armed", "orgs.class_base", "orgs.leader_linkage",
        "orgs.power_orientation", "orgs.members", "orgs.tactic", "countries.democratic_space", "countries.repression",
        "countries.armed_tradition", "countries.counterinsurgency", "agents.org", "agents.status",
        "agents.displaced", "agents.class_code", "agents.country",
    )  # fmt: skip
    writes = ("orgs.armed", "orgs.legal", "orgs.tactic", "agents.status", "agents.org")

    class Params(Params):
        """Parameters of ``armed_turn``."""

        b0: float = param(-10.0, ge=-20.0, le=0.0, unit="logit",
            description="baseline log-odds of an organization turning armed in a month",
            why="placeholder; the turn stays rare (<1%/year) in an open polity and in a Bolivia-like one (E L205: mass, not armed, struggle)")  # fmt: skip
        b_closed: float = param(5.0, ge=0.0, le=10.0, unit="logit",
            description="weight of repression times closed democratic space",
            why="E L201 factor (1), the 'over determined' condition; map range [0, 6]")  # fmt: skip
        b_tradition: float = param(3.0, ge=0.0, le=10.0, unit="logit",
            description="weight of the armed rural tradition", why="E L201 factor (2); map range [0, 4]")  # fmt: skip
        b_rural: float = param(1.0, ge=0.0, le=10.0, unit="logit",
            description="weight of leaders linked to a rural base", why="E L201 factor (3); map default")  # fmt: skip
        b_independent: float = param(1.0, ge=0.0, le=10.0, unit="logit",
            description="weight of independence from electoral parties", why="E L201 factor (3); map default")  # fmt: skip
        b_ci: float = param(1.0, ge=0.0, le=10.0, unit="logit",
            description="weight of counter-insurgency intensity", why="E L201 factor (4); map default")  # fmt: skip
        join_rate: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a displaced rural agent joins the armed organization, at full armed tradition",
            why="placeholder; map j103")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, cs, a = state.orgs, state.countries, state.agents
        cand = np.flatnonzero(og.exists & og.legal & ~og.armed)
        if cand.size:
            c = og.country[cand]
            rural = (og.class_base[cand] >= 0) & (og.class_base[cand] <= C["indigenous_community"])
            z = (params.b0 + params.b_closed * (1.0 - cs.democratic_space[c]) * cs.repression[c]
                 + params.b_tradition * cs.armed_tradition[c] + params.b_rural * og.leader_linkage[cand] * rural
                 + params.b_independent * (og.power_orientation[cand] == INDEPENDENT)
                 + params.b_ci * cs.counterinsurgency[c])  # fmt: skip
            turn = cand[rng.random(cand.size) < 1.0 / (1.0 + np.exp(-z))]
            og.armed[turn] = True
            og.legal[turn] = False
            og.tactic[turn] = T_ARMED
        armed_orgs = og.exists & og.armed
        if not armed_orgs.any():
            return
        st = a.status
        members = np.flatnonzero(np.append(armed_orgs, False)[a.org])  # a.org == -1 hits the False sentinel
        sm = st[members]
        st[members[(sm == MOB) | (sm == ORG)]] = ARM
        # displaced rural agents join the largest armed organization of their country
        size = np.where(armed_orgs, og.members, -1)
        best = np.full(cs.n, -1, dtype=np.int64)
        for ci in np.unique(og.country[armed_orgs]):
            rows = np.flatnonzero(armed_orgs & (og.country == ci))
            best[ci] = rows[np.argmax(size[rows])]
        p_c = (params.join_rate * cs.armed_tradition * (best >= 0)).astype(np.float32)
        if not p_c.any():
            return
        pool = np.flatnonzero(a.displaced)
        pool = pool[(a.org[pool] < 0) & (st[pool] < JAIL) & (a.class_code[pool] <= C["indigenous_community"])]
        join = pool[rng.random(pool.size, dtype=np.float32) < p_c[a.country[pool]]]
        a.org[join] = best[a.country[join]]


@register
class DeathSquads(TheoryMechanism):
    """M104: death squads eliminate legal activists; the legal channel closes and survivors' neighbours radicalize.

    Paraphrase: military and paramilitary death squads "decimated the legal civilian
    anti-imperialist movements" in Colombia; over 250 union leaders were killed between 2002
    and August 2003 (E L197), and critics who used elections were physically eliminated (E L201,
    Patriotic Union). Repression moves activity from legal to armed forms rather than ending it
    (theory_spec modeller note on M104; the armed side is ``armed_turn`` and ``activation``).

    Rule, in a country with a ``repression_campaign`` at intensity ``r``: each active legal
    agent (mobilized or organized, not in an armed organization) is eliminated with probability
    ``kill_rate * r`` a month, times ``electoral_factor`` for members of electoral organizations;
    an eliminated agent is recorded as jailed for ``kill_term`` months (the "killed" proxy of the
    plan). Their tie-neighbours (``spaces.neighbourhood``) gain ``backfire * (1 - grievance)``
    grievance and observe the link. ``democratic_space`` falls by ``space_erosion * r * space``.
    """

    name = "death_squads"
    family = "repression"
    mids = ("M104",)
    cites = (f"{E} §Sustained L197", f"{E} §Sustained L201")
    phase = "repression"
    reads = ("countries.repression_campaign", "countries.democratic_space", "agents.country", "agents.status",
             "agents.org", "agents.grievance", "orgs.armed", "orgs.tactic", "orgs.power_orientation",
             "spaces.neighbourhood")  # fmt: skip
    writes = ("agents.status", "agents.jail_left", "agents.grievance", "agents.link_observed",
              "countries.democratic_space", "countries.killed")  # fmt: skip

    class Params(Params):
        """Parameters of ``death_squads``."""

        kill_rate: float = param(0.005, ge=0.0, le=1.0, unit="per month",
            description="monthly elimination probability of an active legal agent at full campaign intensity",
            why="placeholder of the order of F15/F16 (250 union leaders in 20 months; 5,000 UP deaths in a decade); map k104")  # fmt: skip
        electoral_factor: float = param(3.0, ge=1.0, le=20.0, unit="factor",
            description="relative risk of members of electoral organizations",
            why="E L201: critics who use elections are eliminated; map e104")  # fmt: skip
        kill_term: int = param(9999, ge=1, le=30000, unit="months",
            description="jail term recorded for an eliminated agent (never released within a run)",
            why="modeller's proxy for death in a status model")  # fmt: skip
        backfire: float = param(0.1, ge=0.0, le=1.0, unit="[0,1]",
            description="share of the room to full grievance added to each tie-neighbour of a victim",
            why="placeholder; map bf104")  # fmt: skip
        space_erosion: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="share of democratic space lost each month at full campaign intensity",
            why="placeholder; E L201 'the lack of democratic space' as the campaign's result")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        r = cs.repression_campaign
        if not r.any():
            return
        a, og = state.agents, state.orgs
        st = a.status
        cand = np.flatnonzero(((st == MOB) | (st == ORG)) & (r[a.country] > 0))
        o = a.org[cand]
        has = o >= 0
        o0 = np.maximum(o, 0)
        legal = ~(has & og.armed[o0])
        cand, o0, has = cand[legal], o0[legal], has[legal]
        electoral = has & ((og.tactic[o0] == T_ELECTORAL) | (og.power_orientation[o0] == ELECTORAL_SUB))
        p = (params.kill_rate * r[a.country[cand]]).astype(np.float32)
        p[electoral] *= np.float32(params.electoral_factor)
        dead = cand[rng.random(cand.size, dtype=np.float32) < p]
        cs.democratic_space -= (params.space_erosion * r * cs.democratic_space).astype(np.float32)
        if dead.size == 0:
            return
        st[dead] = JAIL
        a.jail_left[dead] = params.kill_term
        cs.killed += np.bincount(a.country[dead], minlength=cs.n).astype(np.int32)
        net = ctx.spaces["neighbourhood"]
        starts, stops = net.indptr[dead], net.indptr[dead + 1]
        lens = stops - starts
        idx = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens) + np.arange(lens.sum())
        nb = np.unique(net.indices[idx])
        nb = nb[a.status[nb] < JAIL]
        a.grievance[nb] += np.float32(params.backfire) * (np.float32(1) - a.grievance[nb])
        a.link_observed[nb] = True


# --------------------------------------------------------------------------------------------
# Ouster by mass mobilization and its successor (regime side of M52; M121)
# --------------------------------------------------------------------------------------------


@register
class GovernmentOuster(TheoryMechanism):
    """M52, M121: mass mobilization above a legitimacy-scaled threshold ousts the government; the successor depends on the movement's vehicle.

    Paraphrase: large movements without a power project can bring down governments but cannot
    hold power (E L36, theory_spec M52): the successor comes from existing elites or allies. The
    indigenous movement of Ecuador "overthrew five governments in a row" but had no alternative
    of its own, so it backed an outside ally, colonel Gutierrez (I L31, M121). This mechanism is
    the regime side of M52 (hazard and successor); the organizations' side belongs to the
    organization family.

    Rule, per country with an aligned, repressive-electoral or nationalist government and no
    ouster in the last ``cooldown`` months, with ``m`` = last month's active share::

        h = h_max * sigmoid(k * (m - m_floor - theta * legitimacy))   if m >= m_min, else 0

    (under a movement government ``m`` leaves out the active members of its own vehicle).

    On an ouster the successor is (1) a movement government (nationalist, ``holds_state``) if
    one organization has a system-wide program, an independent power orientation and its own
    vehicle (form vertical or hybrid: M116, horizontal networks have none) and holds at least
    ``vehicle_share`` of the country's active members; otherwise (2) with probability
    ``ally_prob`` an outside ally backed by the largest active organization (nationalist,
    ``ally_in_office``); otherwise (3) an elite government (aligned, repression at least
    ``repression_floor``, the M33 envelope). Legitimacy of the new government starts at least at
    ``honeymoon``; a movement government's base counts as organized (``base_organization`` 1), an
    ally's as unorganized (0), and the new coalition has no defectors yet. ``holds_state`` is kept
    equal to "nationalist or revolutionary" each month.
    """

    name = "government_ouster"
    mids = ("M52", "M121")
    cites = (f"{E} §Theory L36", f"{I} L31")
    phase = "regime"
    reads = (
        "countries.regime", "countries.share_active", "countries.legitimacy", "countries.months_since_ouster",
        "countries.repression", "countries.n_alive", "countries.last_successor", "orgs.exists", "orgs.country", "orgs.scope", "orgs.power_orientation", "orgs.form",
        "orgs.members", "orgs.participation",
    )  # fmt: skip
    writes = (
        "countries.regime", "countries.holds_state", "countries.regime_changes", "countries.ousted_this_month",
        "countries.ouster_count", "countries.months_since_ouster", "countries.last_successor",
        "countries.ally_in_office", "countries.ally_backer", "countries.repression", "countries.legitimacy",
        "countries.drifting", "countries.coalition_defected", "countries.base_organization",
    )  # fmt: skip

    class Params(Params):
        """Parameters of ``government_ouster``."""

        h_max: float = param(0.3, ge=0.0, le=1.0, unit="per month",
            description="monthly ouster hazard when mobilization is far above the threshold",
            why="placeholder; map h_max")  # fmt: skip
        k: float = param(80.0, ge=1.0, le=1000.0, unit="per share",
            description="steepness of the hazard around the threshold",
            why="placeholder; steeper than the map's 40 so a quiet country is almost never ousted")  # fmt: skip
        theta: float = param(0.08, ge=0.0, le=1.0, unit="share",
            description="active share needed at legitimacy 1, above m_floor",
            why="placeholder; map theta52")  # fmt: skip
        m_floor: float = param(0.02, ge=0.0, le=1.0, unit="share",
            description="active share needed even by a government with no legitimacy", why="placeholder")  # fmt: skip
        m_min: float = param(0.01, ge=0.0, le=1.0, unit="share",
            description="below this active share there is no ouster at all", why="placeholder")  # fmt: skip
        cooldown: int = param(18, ge=0, le=600, unit="months",
            description="months after an ouster before the next one can happen",
            why="placeholder; Ecuador's 'five governments in a row' span about a decade (I L31)")  # fmt: skip
        vehicle_share: float = param(0.3, ge=0.0, le=1.0, unit="share",
            description="share of the country's active members a program-and-vehicle organization needs to take power",
            why="placeholder; map s52")  # fmt: skip
        ally_prob: float = param(0.6, ge=0.0, le=1.0, unit="probability",
            description="probability a movement without a vehicle backs an outside ally who takes office",
            why="placeholder; map a121 (Ecuador: Gutierrez, I L31)")  # fmt: skip
        repression_floor: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="repression of an elite successor at least this (M33 envelope)",
            why="placeholder; map r33 (E L151 'repress, co-opt or eliminate')")  # fmt: skip
        honeymoon: float = param(0.6, ge=0.0, le=1.0, unit="[0,1]",
            description="legitimacy a new government starts with at least", why="placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, og = state.countries, state.orgs
        cs.ousted_this_month[:] = False
        cs.holds_state[:] = _left(cs.regime)
        cs.months_since_ouster[:] = np.minimum(cs.months_since_ouster.astype(np.int32) + 1, 999)
        r = cs.regime
        eligible = ((r == ALIGNED) | (r == REPR_ELECT) | (r == NATIONALIST)) & (cs.months_since_ouster > params.cooldown)
        active = (og.members * og.participation).astype(np.float64) * og.exists
        vehicle = (og.exists & (og.scope == SYSTEM_SCOPE) & (og.power_orientation == INDEPENDENT)
                   & (og.form != HORIZONTAL))  # fmt: skip
        # a movement government is not ousted by its own vehicle's members
        own = np.bincount(og.country, weights=active * vehicle, minlength=cs.n) / np.maximum(cs.n_alive, 1)
        movement_gov = (r == NATIONALIST) & (cs.last_successor == SUCCESSORS.index("movement"))
        m = cs.share_active - own * movement_gov
        z = params.k * (m - params.m_floor - params.theta * cs.legitimacy)
        h = params.h_max / (1.0 + np.exp(-z)) * (m >= params.m_min) * eligible
        u = rng.random(cs.n)
        ousted = np.flatnonzero(u < h)
        if ousted.size == 0:
            return
        u2 = rng.random(ousted.size)
        for j, ci in enumerate(ousted):
            rows = np.flatnonzero(og.exists & (og.country == ci))
            total = active[rows].sum()
            cs.ousted_this_month[ci] = True
            cs.ouster_count[ci] += 1
            cs.months_since_ouster[ci] = 0
            cs.legitimacy[ci] = max(cs.legitimacy[ci], params.honeymoon)
            one = np.array([ci])
            if total > 0 and rows.size:
                lead = rows[np.argmax(active[rows])]
                share = active[rows] / total
                prog = rows[vehicle[rows] & (share >= params.vehicle_share)]
            else:
                lead, prog = -1, rows[:0]
            cs.coalition_defected[ci] = 0.0  # a new governing coalition
            if prog.size:
                _install(cs, one, NATIONALIST)
                cs.last_successor[ci] = SUCCESSORS.index("movement")
                cs.ally_in_office[ci], cs.ally_backer[ci] = False, -1
                cs.base_organization[ci] = 1.0  # the movement that carried it is its organized base
            elif lead >= 0 and u2[j] < params.ally_prob:
                _install(cs, one, NATIONALIST)
                cs.last_successor[ci] = SUCCESSORS.index("ally")
                cs.ally_in_office[ci], cs.ally_backer[ci] = True, lead
                cs.base_organization[ci] = 0.0  # an outside ally has no organized base of its own
            else:
                _install(cs, one, ALIGNED, params.repression_floor)
                cs.last_successor[ci] = SUCCESSORS.index("elite")


@register
class AllyDefection(TheoryMechanism):
    """M121: an outside ally in office changes course; the movement that backed it loses credibility and members.

    Paraphrase: having toppled governments without an alternative of its own, Ecuador's
    indigenous movement backed colonel Gutierrez; when he "turned to neo-liberalism" the
    movement "got very burnt", losing credibility with its base (I L31; texts: "betrayal").

    Rule: each month an ally in office defects with probability ``defect_rate``. On defection
    the government becomes aligned (the policy course then resets policy to the capital-preferred
    vector), ``ally_defections`` counts it, the backing organization's credibility falls by
    ``credibility_loss`` and each of its members leaves it with probability ``exit_prob``
    (organized leavers become merely mobilized).
    """

    name = "ally_defection"
    mids = ("M121",)
    cites = (f"{I} L31",)
    phase = "regime"
    reads = ("countries.ally_in_office", "countries.ally_backer", "countries.regime", "orgs.credibility",
             "agents.org", "agents.status")  # fmt: skip
    writes = ("countries.ally_in_office", "countries.ally_backer", "countries.ally_defections", "countries.regime",
              "countries.regime_changes", "countries.holds_state", "countries.repression", "countries.drifting",
              "orgs.credibility", "agents.org", "agents.status")  # fmt: skip

    class Params(Params):
        """Parameters of ``ally_defection``."""

        defect_rate: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly probability an ally in office changes course",
            why="placeholder; map ally_defection_p (Gutierrez turned within months, I L31)")  # fmt: skip
        credibility_loss: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="credibility the backing organization loses on a defection", why="placeholder; map c121")  # fmt: skip
        exit_prob: float = param(0.3, ge=0.0, le=1.0, unit="probability",
            description="probability each member leaves the backing organization on a defection",
            why="placeholder; map c121")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        rows = np.flatnonzero(cs.ally_in_office)
        if rows.size == 0:
            return
        gone = rows[rng.random(rows.size) < params.defect_rate]
        if gone.size == 0:
            return
        backers = cs.ally_backer[gone]
        backers = backers[backers >= 0]
        _install(cs, gone, ALIGNED)
        cs.ally_defections[gone] += 1
        og, a = state.orgs, state.agents
        og.credibility[backers] = np.maximum(og.credibility[backers] - np.float32(params.credibility_loss), np.float32(0))
        lut = np.zeros(og.n + 1, dtype=bool)
        lut[backers] = True
        members = np.flatnonzero(lut[a.org])  # a.org == -1 maps to the sentinel slot og.n
        leave = members[rng.random(members.size, dtype=np.float32) < params.exit_prob]
        a.org[leave] = -1
        a.status[leave[a.status[leave] == ORG]] = MOB


# --------------------------------------------------------------------------------------------
# Overthrow, conciliators, coalition defections, coups (M106-M111)
# --------------------------------------------------------------------------------------------


class _CubaWeights(Params):
    w_old_state: float = param(1.5, ge=0.0, le=5.0, unit="log hazard",
        description="hazard reduction from a destroyed and replaced old state apparatus", why="E L211 factor (1); map beta")  # fmt: skip
    w_army: float = param(1.5, ge=0.0, le=5.0, unit="log hazard",
        description="hazard reduction from army-mass linkage", why="E L211-L213 factor (2); map beta")  # fmt: skip
    w_cadre: float = param(1.0, ge=0.0, le=5.0, unit="log hazard",
        description="hazard reduction from cadre renewal", why="E L213 factor (3); map beta")  # fmt: skip
    w_welfare: float = param(1.0, ge=0.0, le=5.0, unit="log hazard",
        description="hazard reduction from relative welfare", why="E L213 factor (4); map beta")  # fmt: skip
    w_partners: float = param(1.0, ge=0.0, le=5.0, unit="log hazard",
        description="hazard reduction from diversified external partners", why="E L213-L215 factor (5); map beta")  # fmt: skip

    def weights(self) -> tuple[float, ...]:
        return (self.w_old_state, self.w_army, self.w_cadre, self.w_welfare, self.w_partners)


@register
class RegimeOverthrow(TheoryMechanism):
    """M107, M111: under imperial hostility left governments are overthrown unless consolidated by the Cuba factors.

    Paraphrase: Cuba's revolutionary government survived decades of US hostility because the
    old state was destroyed, a large army is linked to the people (a US invasion would cost
    "tens of thousands" of casualties), new cadres are reproduced, most workers and farmers are
    better off than elsewhere in the region, and it has diversified external partners (E
    L211-L215). Allende and Goulart, lacking this, were overthrown (E L211).

    Rule, per nationalist or revolutionary government, with ``hostility`` = max(blockade,
    intervention, proxy_war, air_war) intensity::

        overthrow_hazard = h0 * hostility * exp(-(w1 old_state_destroyed + w2 army_mass_linkage
                                                   + w3 cadre_renewal + w4 relative_welfare
                                                   + w5 external_partners))

    On overthrow the government becomes aligned (repression floor as in M33). Each month
    ``invasion_cost = 1 + kappa * army_mass_linkage`` is published for the imperial-strategy
    family (F22).
    """

    name = "regime_overthrow"
    mids = ("M107", "M111")
    cites = (f"{E} §Sustained L211-L215",)
    phase = "regime"
    reads = ("countries.regime", "countries.blockade", "countries.intervention", "countries.proxy_war",
             "countries.air_war", "countries.old_state_destroyed", "countries.army_mass_linkage",
             "countries.cadre_renewal", "countries.relative_welfare", "countries.external_partners",
             "countries.repression")  # fmt: skip
    writes = ("countries.hostility", "countries.overthrow_hazard", "countries.invasion_cost", "countries.regime",
              "countries.regime_changes", "countries.holds_state", "countries.overthrows", "countries.repression",
              "countries.ally_in_office", "countries.ally_backer", "countries.drifting")  # fmt: skip

    class Params(_CubaWeights):
        """Parameters of ``regime_overthrow``."""

        h0: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly overthrow hazard of an unconsolidated left government at full hostility",
            why="placeholder; map h0 of M111 (Allende, Goulart overthrown within a few years, E L211)")  # fmt: skip
        kappa: float = param(10.0, ge=0.0, le=100.0, unit="factor",
            description="invasion cost multiplier at full army-mass linkage",
            why="E L211: casualties 'in the tens of thousands'; map kappa107")  # fmt: skip
        repression_floor: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="repression of the aligned successor at least this (M33)", why="placeholder; map r33")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        cs.hostility[:] = _hostility(cs)
        cs.invasion_cost[:] = 1.0 + params.kappa * cs.army_mass_linkage
        left = _left(cs.regime)
        h = params.h0 * cs.hostility * np.exp(-_consolidation(cs, params.weights())) * left
        cs.overthrow_hazard[:] = h
        if not h.any():
            return
        fall = np.flatnonzero(rng.random(cs.n) < h)
        _install(cs, fall, ALIGNED, params.repression_floor)
        cs.overthrows[fall] += 1


@register
class ConciliatorAttrition(TheoryMechanism):
    """M108: unremitting hostility removes would-be conciliators from a revolutionary government.

    Paraphrase: US "unremitting hostility and military threats" undermined every group in
    Cuba oriented toward conciliation, making anti-imperialism "a necessity as well as an
    ideal" (E L215). The opposite of co-optation.

    Rule, for revolutionary governments, with ``hostility`` as in ``regime_overthrow``::

        conciliator_share += -shrink * hostility * conciliator_share
                             + regrow * (1 - hostility) * (1 - conciliator_share)

    A larger conciliator share raises the leadership-drift hazard of ``imp_policy_course``.
    """

    name = "conciliator_attrition"
    mids = ("M108",)
    cites = (f"{E} §Sustained L215",)
    phase = "regime"
    reads = ("countries.regime", "countries.hostility", "countries.conciliator_share")
    writes = ("countries.conciliator_share",)

    class Params(Params):
        """Parameters of ``conciliator_attrition``."""

        shrink: float = param(0.03, ge=0.0, le=1.0, unit="per month",
            description="share of conciliators removed per month at full hostility", why="placeholder; map h108")  # fmt: skip
        regrow: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="share of the room regained per month without hostility", why="placeholder; map r108")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        rev = cs.regime == REVOLUTIONARY
        if not rev.any():
            return
        h, c = cs.hostility, cs.conciliator_share
        d = -params.shrink * h * c + params.regrow * (1.0 - h) * (1.0 - c)
        cs.conciliator_share[rev] = np.clip(c + d, 0.0, 1.0)[rev]


@register
class CoalitionDefection(TheoryMechanism):
    """M109: members of a heterogeneous nationalist coalition without an organized base defect to the coup opposition.

    Paraphrase: Chavez reached power through broad alliances that included neo-liberal and
    pro-imperial figures, many of whom later joined the coup-oriented opposition; there was no
    coherent organized mass movement behind him (E L217-L219).

    Rule: the coalition is ``coalition_size`` members; each month each remaining member of a
    nationalist government's coalition defects with probability
    ``rate * coalition_heterogeneity * (1 - base_organization)``. ``coalition_defected`` (the
    coup coalition's share, read by ``coup_attempt``) and ``defection_events`` record them.
    """

    name = "coalition_defection"
    mids = ("M109",)
    cites = (f"{E} §Sustained L217-L219",)
    phase = "regime"
    reads = ("countries.regime", "countries.coalition_heterogeneity", "countries.base_organization",
             "countries.coalition_defected")  # fmt: skip
    writes = ("countries.coalition_defected", "countries.defection_events")

    class Params(Params):
        """Parameters of ``coalition_defection``."""

        rate: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly defection probability of a member at full heterogeneity and no organized base",
            why="placeholder; map d109")  # fmt: skip
        coalition_size: int = param(20, ge=1, le=10_000, unit="members",
            description="members of a governing coalition", why="modeller's granularity for counting defections")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        nat = np.flatnonzero(cs.regime == NATIONALIST)
        if nat.size == 0:
            return
        n = params.coalition_size
        left = np.rint(n * (1.0 - cs.coalition_defected[nat])).astype(np.int64)
        p = np.clip(params.rate * cs.coalition_heterogeneity[nat] * (1.0 - cs.base_organization[nat]), 0.0, 1.0)
        k = rng.binomial(np.maximum(left, 0), p)
        cs.defection_events[nat] += k.astype(np.int16)
        cs.coalition_defected[nat] = np.minimum(cs.coalition_defected[nat] + k / n, 1.0)


@register
class CoupAttempt(TheoryMechanism):
    """M110, M106: spontaneous mass support can reverse a coup; a failed coup radicalizes the defenders.

    Paraphrase: the mass support that restored Chavez after the April 2002 coup "was mostly
    spontaneous" (E L217), an imperial tactical defeat (E L263). In Cuba, Colombia, Bolivia and
    Venezuela failed interventions or coups "radicalized the mass supporters" (E L221).

    Rule, while a ``coup_attempt`` event is active (months 1..``window``): each free agent of the
    popular classes (C1-C10, C14-C16) without a patronage job defends the government (becomes
    mobilized if quiescent) with probability ``defend_rate * consciousness * (1 +
    base_organization)``. ``coup_defenders`` is the defending share, ``coup_defenders_organized``
    the share of defenders in organizations. In month ``window`` the coup succeeds with
    probability ``sigmoid(k * (strength - defenders / theta))``, ``strength = intensity * (0.5 *
    coalition_defected + 0.5 * institutional_networking)``. Success installs an aligned
    government. Failure (M106) raises the defenders' consciousness by ``radicalize``, lowers
    their risk aversion by ``commitment`` (relative), and moves ``base_organization`` half a step
    toward organized with probability ``organize_prob``.
    """

    name = "coup_attempt"
    mids = ("M110", "M106")
    cites = (f"{E} §Sustained L217", f"{E} §Sustained L221", f"{E} §Conclusion L263")
    phase = "regime"
    reads = ("countries.coup_attempt", "countries.coup_attempt_months", "countries.coalition_defected",
             "countries.institutional_networking", "countries.base_organization", "countries.regime",
             "countries.repression", "agents.country", "agents.class_code", "agents.status", "agents.consciousness",
             "agents.patronage_job", "agents.org", "agents.risk_aversion")  # fmt: skip
    writes = ("countries.coup_defenders", "countries.coup_defenders_organized", "countries.coups_failed",
              "countries.coups_succeeded", "countries.base_organization", "countries.regime",
              "countries.regime_changes", "countries.holds_state", "countries.repression", "countries.ally_in_office",
              "countries.ally_backer", "countries.drifting", "agents.status", "agents.consciousness",
              "agents.risk_aversion")  # fmt: skip

    _POPULAR = code_lut((*range(0, 10), 13, 14, 15))

    class Params(Params):
        """Parameters of ``coup_attempt``."""

        window: int = param(2, ge=1, le=12, unit="months",
            description="months of the coup window; the outcome is decided in its last month",
            why="E L217: Chavez was restored within days; one-two model months")  # fmt: skip
        defend_rate: float = param(0.5, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a fully conscious popular-class agent turns out in defence",
            why="placeholder")  # fmt: skip
        k: float = param(8.0, ge=0.0, le=100.0, unit="", description="steepness of the coup outcome", why="placeholder; map k110")  # fmt: skip
        theta: float = param(0.05, gt=0.0, le=1.0, unit="share",
            description="defending share that offsets a coup of strength 1", why="placeholder; map theta110")  # fmt: skip
        radicalize: float = param(0.2, ge=0.0, le=1.0, unit="[0,1]",
            description="consciousness gained by defenders of a failed coup", why="placeholder; map j106")  # fmt: skip
        commitment: float = param(0.2, ge=0.0, le=1.0, unit="share",
            description="relative fall in defenders' risk aversion after a failed coup", why="placeholder; map r106")  # fmt: skip
        organize_prob: float = param(0.3, ge=0.0, le=1.0, unit="probability",
            description="probability a failed coup moves the government's base half a step toward organized",
            why="placeholder; map b106 (E L217: union federation and circles began after the coup years)")  # fmt: skip
        repression_floor: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="repression of a coup government at least this (M33)", why="placeholder; map r33")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        on = (cs.coup_attempt > 0) & (cs.coup_attempt_months >= 1) & (cs.coup_attempt_months <= params.window)
        if not on.any():
            return
        a = state.agents
        ci = a.country
        p_c = (params.defend_rate * (1.0 + cs.base_organization) * on).astype(np.float32)
        cand = np.flatnonzero(on[ci] & self._POPULAR[a.class_code.view(np.uint8)] & (a.status < JAIL) & ~a.patronage_job)
        p = p_c[ci[cand]] * a.consciousness[cand]
        defenders = cand[rng.random(cand.size, dtype=np.float32) < p]
        st = a.status
        st[defenders[st[defenders] == Q]] = MOB
        dc = ci[defenders]
        n_def = np.bincount(dc, minlength=cs.n)
        n_org = np.bincount(dc[a.org[defenders] >= 0], minlength=cs.n)
        alive = np.maximum(np.bincount(ci[st != STATUS["emigrated"]], minlength=cs.n), 1)
        cs.coup_defenders[on] = (n_def / alive)[on]
        cs.coup_defenders_organized[on] = (n_org / np.maximum(n_def, 1))[on]
        decide = np.flatnonzero(on & (cs.coup_attempt_months == params.window))
        if decide.size == 0:
            return
        strength = cs.coup_attempt[decide] * (0.5 * cs.coalition_defected[decide] + 0.5 * cs.institutional_networking[decide])
        z = params.k * (strength - cs.coup_defenders[decide] / params.theta)
        win = rng.random(decide.size) < 1.0 / (1.0 + np.exp(-z))
        _install(cs, decide[win], ALIGNED, params.repression_floor)
        cs.coups_succeeded[decide[win]] += 1
        failed = decide[~win]
        if failed.size == 0:
            return
        cs.coups_failed[failed] += 1
        step_up = failed[rng.random(failed.size) < params.organize_prob]
        cs.base_organization[step_up] = np.minimum(cs.base_organization[step_up] + 0.5, 1.0)
        lut = np.zeros(cs.n, dtype=bool)
        lut[failed] = True
        rad = defenders[lut[dc]]
        a.consciousness[rad] = np.minimum(a.consciousness[rad] + np.float32(params.radicalize), np.float32(1))
        a.risk_aversion[rad] *= np.float32(1.0 - params.commitment)


# --------------------------------------------------------------------------------------------
# The policy course: one writer of domestic_policy per framework (X6/X7)
# --------------------------------------------------------------------------------------------


@register
class ImpPolicyCourse(TheoryMechanism):
    """M33, M109, M111: aligned governments keep the capital-preferred envelope; nationalist policy splits by coalition; left leaderships may drift.

    Paraphrase: the imperial state fixes the policy of aligned regimes: free markets, SAP,
    debt service first, subordinate foreign policy (E L149-L151, M33). A heterogeneous
    nationalist regime can run an independent foreign policy and a neo-liberal domestic one
    (E L217-L219, M109). Ex-left and ex-nationalist parties "retreat[ed] to pro-imperialist
    politics" (E L211, M111; texts' X7 reading: leadership defection).

    Rule (IMP set only; the TNC set runs ``tnc_policy_pull`` instead): when a country's regime
    changes, its policy vector restarts (aligned and others 0, nationalist ``start_nationalist``,
    revolutionary ``start_revolutionary``). Then each month::

        aligned, repressive_electoral, occupied: dp -= envelope * dp; fpa = min(fpa, lock_fp)
        nationalist:   dp += pull * (base_organization * (1 - dp) - bourgeois_share * dp)
        drift onset (nationalist, revolutionary): prob drift_rate * (0.5 + conciliator_share)
                                                   * exp(-consolidation)
        drifting:      dp -= dp / drift_months;  when dp < drift_done the government is aligned

    ``consolidation`` is the Cuba-factor sum of ``regime_overthrow`` (consolidated revolutionary
    governments do not retreat, E L211). The drift hazard does not depend on mobilization
    from below (the IMP arm of P32).
    """

    name = "imp_policy_course"
    mids = ("M33", "M109", "M111")
    cites = (f"{E} §ClassStructure L149-L151", f"{E} §Sustained L211", f"{E} §Sustained L217-L219")
    framework = "imp"
    phase = "regime"
    reads = ("countries.regime", "countries.policy_regime", "countries.domestic_policy",
             "countries.foreign_policy_autonomy", "countries.base_organization", "countries.bourgeois_share",
             "countries.conciliator_share", "countries.drifting", "countries.old_state_destroyed",
             "countries.army_mass_linkage", "countries.cadre_renewal", "countries.relative_welfare",
             "countries.external_partners", "countries.repression", "countries.policy_ceiling",
             "countries.fpa_ceiling")  # fmt: skip
    writes = ("countries.domestic_policy", "countries.foreign_policy_autonomy", "countries.policy_regime",
              "countries.drifting", "countries.drifts", "countries.regime", "countries.regime_changes",
              "countries.holds_state", "countries.repression", "countries.ally_in_office", "countries.ally_backer")  # fmt: skip

    class Params(_PolicyInit, _CubaWeights):
        """Parameters of ``imp_policy_course``."""

        envelope: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="share of the remaining transformative policy an aligned government removes each month",
            why="placeholder; E L149 'imperialism sets vassal policy'")  # fmt: skip
        pull: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="speed of the pull between organized base and bourgeois coalition members", why="map M109 pull rate")  # fmt: skip
        drift_rate: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="monthly drift-onset probability of a left leadership with conciliator share 0.5",
            why="placeholder; map leader_drift_p 0.02 at (0.5 + 0.5) = 1")  # fmt: skip
        drift_months: int = param(12, ge=1, le=600, unit="months",
            description="months over which a drifting government sheds its transformative policy",
            why="map M111: 'domestic_policy -> 0 over 12 months'")  # fmt: skip
        drift_done: float = param(0.05, ge=0.0, le=1.0, unit="[0,1]",
            description="policy level at which a drifting government counts as aligned", why="placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        _policy_reset(cs, params.start_nationalist, params.start_revolutionary, params.fpa_nationalist,
                      params.fpa_revolutionary, params.lock_fp)  # fmt: skip
        r, dp = cs.regime, cs.domestic_policy
        env = (r == ALIGNED) | (r == REPR_ELECT) | (r == OCCUPIED)
        dp[env] -= np.float32(params.envelope) * dp[env]
        cs.foreign_policy_autonomy[env] = np.minimum(cs.foreign_policy_autonomy[env], np.float32(params.lock_fp))
        nat = (r == NATIONALIST) & ~cs.drifting
        d = params.pull * (cs.base_organization * (1.0 - dp) - cs.bourgeois_share * dp)
        dp[nat] += d[nat].astype(np.float32)
        left = _left(r)
        p = params.drift_rate * (0.5 + cs.conciliator_share) * np.exp(-_consolidation(cs, params.weights()))
        onset = left & ~cs.drifting & (rng.random(cs.n) < p)
        cs.drifting[onset] = True
        dr = cs.drifting & left
        dp[dr] -= dp[dr] / np.float32(params.drift_months)
        np.clip(dp, 0.0, 1.0, out=dp)
        np.minimum(dp, cs.policy_ceiling, out=dp)  # M10: a ratified ALCA binds every government
        np.minimum(cs.foreign_policy_autonomy, cs.fpa_ceiling, out=cs.foreign_policy_autonomy)
        done = np.flatnonzero(dr & (dp < params.drift_done))
        if done.size:
            cs.drifts[done] += 1
            _install(cs, done, ALIGNED)
            cs.policy_regime[done] = ALIGNED


@register
class AutonomyFromBelow(TheoryMechanism):
    """M116: autonomous mobilization counts organized members of independent organizations, weighted by form; vertical parties in power bureaucratize.

    Paraphrase: the vanguard-party model and anti-state autonomism both failed; horizontal
    networks are democratic but lack "any political hammer or political vehicle" (I L15-L17).
    What matters for a government's course is "permanent independent pressure of mass social
    movements from below" (I L21).

    Rule: ``autonomous_mobilization`` = sum over organized agents in organizations with an
    independent power orientation of ``w_form`` (vertical ``w_vertical``, horizontal and hybrid
    1), divided by the country's present agents (last month's ``n_alive``). Where a movement
    government holds the state, members of vertical independent organizations leave them with
    probability ``bureaucratization`` a month. Runs in both frameworks (the IMP set records it
    without using it for policy).
    """

    name = "autonomy_from_below"
    mids = ("M116",)
    cites = (f"{I} L15-L17", f"{I} L21")
    phase = "regime"
    reads = ("agents.status", "agents.org", "agents.country", "orgs.exists", "orgs.power_orientation", "orgs.form",
             "countries.n_alive", "countries.holds_state")  # fmt: skip
    writes = ("countries.autonomous_mobilization", "agents.org", "agents.status")

    class Params(Params):
        """Parameters of ``autonomy_from_below``."""

        w_vertical: float = param(0.5, ge=0.0, le=1.0, unit="weight",
            description="weight of an organized member of a vertical organization in autonomous mobilization",
            why="map M116: vertical orgs count 0.5 (member autonomy low)")  # fmt: skip
        bureaucratization: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a member leaves a vertical independent organization while a movement government holds the state",
            why="placeholder; map v116 (I L65: state managers 'become bureaucratized')")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, og, cs = state.agents, state.orgs, state.countries
        w_org = np.where(og.exists & (og.power_orientation == INDEPENDENT),
                         np.where(og.form == VERTICAL, params.w_vertical, 1.0), 0.0)  # fmt: skip
        organized = np.flatnonzero(a.status == ORG)
        o = a.org[organized]
        ok = o >= 0
        w = np.bincount(a.country[organized[ok]], weights=w_org[o[ok]], minlength=cs.n)
        cs.autonomous_mobilization[:] = w / np.maximum(cs.n_alive, 1)
        vert = og.exists & (og.power_orientation == INDEPENDENT) & (og.form == VERTICAL) & cs.holds_state[og.country]
        if not vert.any() or params.bureaucratization == 0:
            return
        lut = np.append(vert, False)
        members = np.flatnonzero(lut[a.org])
        leave = members[rng.random(members.size, dtype=np.float32) < params.bureaucratization]
        a.org[leave] = -1
        a.status[leave[a.status[leave] == ORG]] = MOB


@register
class CapitalStake(TheoryMechanism):
    """M124, M125: integration gives the governing bloc a growing stake in global capital, slowed by permanent mobilization from below.

    Paraphrase: global capital "has local representation everywhere"; the real threat to
    Venezuela's project is that "chunks of the revolutionary bloc" develop a stake in global
    capitalism and state managers bureaucratize (I L65, M124). Hence "permanent mobilization
    from below" that forces the state to deepen its project is crucial (I L65, M125).

    Rule, for countries where a movement government holds the state, with ``integration`` =
    max(world ``integration_index``, the country's ``integration_wave`` intensity)::

        stake_global += rate * integration * (1 - stake_global) * max(0, 1 - damping * autonomous_mobilization)

    ``tnc_policy_pull`` blocks transformative steps with probability ``stake_global`` once it
    exceeds its threshold (logged as internal blockage).
    """

    name = "capital_stake"
    mids = ("M124", "M125")
    cites = (f"{I} L65",)
    framework = "tnc"
    phase = "regime"
    reads = ("countries.holds_state", "countries.stake_global", "countries.integration_wave",
             "countries.autonomous_mobilization", "globe.integration_index")  # fmt: skip
    writes = ("countries.stake_global",)

    class Params(Params):
        """Parameters of ``capital_stake``."""

        rate: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="growth of the bloc's stake at full integration", why="placeholder; map s124")  # fmt: skip
        damping: float = param(5.0, ge=0.0, le=100.0, unit="per share",
            description="how strongly autonomous mobilization slows the growth (growth stops at 1/damping)",
            why="placeholder; map q125")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        hs = cs.holds_state
        if not hs.any():
            return
        integ = np.maximum(state.globe.integration_index[0], cs.integration_wave)
        s = cs.stake_global
        g = params.rate * integ * (1.0 - s) * np.maximum(0.0, 1.0 - params.damping * cs.autonomous_mobilization)
        s[hs] = np.clip(s + g, 0.0, 1.0)[hs]


@register
class TncPolicyPull(TheoryMechanism):
    """M114, M115, M117, M118, M133: a left government's policy is pulled between capital's structural power and autonomous mobilization from below.

    Paraphrase: in Brazil popular forces took state power but "there is no mass autonomous
    organization from below", so "the structural power of global capital can impose itself"
    (I L19, M117); in Venezuela "mass mobilization from below" keeps the radicals in the state
    from succumbing (I L21, M118). Transformation needs both state power and "permanent
    independent pressure" from below (I L15, L21, M115). A national project alone is not viable
    and needs a wider Latin American project (I L9, L13, M114); individual delinking is not
    viable under functional integration (I L63, M133).

    Rule (TNC set only; the IMP set runs ``imp_policy_course``): on a regime change the policy
    vector restarts as in the IMP course. Each month, for every periphery country::

        integration = max(world integration_index, integration_wave)
        allies      = other periphery countries with a left government and dp > 0.5 (M114)
        isolated    = [dp > 0.5 and allies < bloc_size]                       (M133)
        decay       = capture * structural_power * integration * exp(-bloc * allies)
                      * (1 + integration * isolated)
        push        = lift * max(0, autonomous_mobilization - theta) * (1 - dp)   if holds_state (M115)
        dp         += push - decay * dp

    A positive push is blocked (set to 0) with probability ``stake_global`` when ``stake_global
    > stake_threshold`` (counted in ``blocked_internal``), otherwise with probability
    ``opposition_block`` (counted in ``blocked_opposition``) (M124). With mobilization near 0
    the policy converges to the capital-preferred vector (P32, TNC arm).
    """

    name = "tnc_policy_pull"
    mids = ("M114", "M115", "M117", "M118", "M133")
    cites = (f"{I} L9-L13", f"{I} L15-L21", f"{I} L63")
    framework = "tnc"
    phase = "regime"
    reads = ("countries.regime", "countries.policy_regime", "countries.domestic_policy", "countries.holds_state",
             "countries.is_core", "countries.autonomous_mobilization", "countries.integration_wave",
             "countries.stake_global", "countries.foreign_policy_autonomy", "globe.integration_index",
             "globe.structural_power", "countries.policy_ceiling", "countries.fpa_ceiling")  # fmt: skip
    writes = ("countries.domestic_policy", "countries.foreign_policy_autonomy", "countries.policy_regime",
              "countries.allied_regimes", "countries.blocked_internal", "countries.blocked_opposition")  # fmt: skip

    class Params(_PolicyInit):
        """Parameters of ``tnc_policy_pull``."""

        capture: float = param(0.08, ge=0.0, le=1.0, unit="per month",
            description="decay rate of transformative policy at full structural power and integration",
            why="placeholder; above the map's s117 so a Brazil-path government is near the capital vector within ~5 years (P32)")  # fmt: skip
        lift: float = param(0.5, ge=0.0, le=10.0, unit="per month per share",
            description="push toward transformation per unit of autonomous mobilization above theta",
            why="placeholder; map a117")  # fmt: skip
        theta: float = param(0.05, ge=0.0, le=1.0, unit="share",
            description="autonomous mobilization needed before policy can deepen", why="placeholder; map theta115")  # fmt: skip
        bloc: float = param(0.5, ge=0.0, le=5.0, unit="per ally",
            description="how much each allied transformative government slows the decay", why="placeholder; map b114")  # fmt: skip
        bloc_size: int = param(3, ge=1, le=50, unit="countries",
            description="allies needed before a delinking government stops paying the isolation penalty",
            why="placeholder; map n133")  # fmt: skip
        stake_threshold: float = param(0.5, ge=0.0, le=1.0, unit="[0,1]",
            description="stake in global capital above which the bloc blocks steps from inside", why="placeholder; map theta124")  # fmt: skip
        opposition_block: float = param(0.05, ge=0.0, le=1.0, unit="probability",
            description="probability the opposition blocks a step", why="placeholder; map o124")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, g = state.countries, state.globe
        _policy_reset(cs, params.start_nationalist, params.start_revolutionary, params.fpa_nationalist,
                      params.fpa_revolutionary, params.lock_fp)  # fmt: skip
        dp = cs.domestic_policy
        per = ~cs.is_core
        transf = per & cs.holds_state & (dp > 0.5)
        allies = transf.sum() - transf
        cs.allied_regimes[:] = allies * per
        integ = np.maximum(g.integration_index[0], cs.integration_wave)
        isolated = transf & (allies < params.bloc_size)
        decay = (params.capture * g.structural_power[0] * integ * np.exp(-params.bloc * allies)
                 * (1.0 + integ * isolated))  # fmt: skip
        push = params.lift * np.maximum(0.0, cs.autonomous_mobilization - params.theta) * (1.0 - dp) * cs.holds_state
        want = np.flatnonzero(per & (push > 0))
        if want.size:
            u = rng.random(want.size)
            internal = (cs.stake_global[want] > params.stake_threshold) & (u < cs.stake_global[want])
            opposition = ~internal & (rng.random(want.size) < params.opposition_block)
            cs.blocked_internal[want[internal]] += 1
            cs.blocked_opposition[want[opposition]] += 1
            push[want[internal | opposition]] = 0.0
        new = np.clip(dp + push - decay * dp, 0.0, 1.0)
        dp[per] = new[per]
        np.minimum(dp, cs.policy_ceiling, out=dp)  # M10: a ratified ALCA binds every government
        np.minimum(cs.foreign_policy_autonomy, cs.fpa_ceiling, out=cs.foreign_policy_autonomy)


# --------------------------------------------------------------------------------------------
# Engaging state power when it is on the agenda (M119, M120)
# --------------------------------------------------------------------------------------------

ORG_COLUMNS_NOTE = "engages_state is derived each month; rigid abstention = horizontal form with no power orientation"

COLUMNS = COLUMNS + (
    Var("orgs", "engages_state", "bool", "flag", "the organization engages the contest for state power (M119, M120)", 0, "mechanism"),
    Var("orgs", "agenda_months", "int16", "months", "months the organization has seen state power on the agenda (M120 lag)", 0, "mechanism"),
)


@register
class StatePowerAgenda(TheoryMechanism):
    """M119, M120: when state power is on the agenda, organizations that abstain lose members; adaptive ones engage.

    Paraphrase: refusing to engage state power may have been right for the Zapatistas in the
    early 1990s, but in 2006 the fraud and the mass upsurge put state power "on the agenda";
    not engaging, they "stagnated", their base narrowing to young radicals and their own
    communities (I L25-L27, M119). Raising non-engagement to "a rigid principle" is a mistake;
    strategy must follow the shifting arena (I L37, M120).

    Rule: ``state_power_on_agenda`` is set while an ``elections`` (D54) or ``electoral_fraud``
    (D39) event is active in a country. An organization's stance: rigid abstainers are
    horizontal organizations with no power orientation (the autonomist anti-state stance, I
    L15-L17, modeller's mapping); every other organization is adaptive and engages once the
    agenda has been on for ``lag`` months (and engages anyway if it has a power orientation).
    While the agenda is on, each member of a non-engaging organization leaves it with
    probability ``loss`` a month, except its own base (indigenous members and students, C5);
    each free, unaffiliated active agent of the country joins an engaging organization (chosen
    in proportion to size) with probability ``gain``. Off the agenda nothing happens.
    """

    name = "state_power_agenda"
    family = "organization"
    mids = ("M119", "M120")
    cites = (f"{I} L25-L27", f"{I} L37")
    framework = "tnc"
    phase = "organization"
    reads = ("countries.elections", "countries.electoral_fraud", "orgs.exists", "orgs.country", "orgs.form",
             "orgs.power_orientation", "orgs.members", "orgs.agenda_months", "agents.org", "agents.status",
             "agents.country", "agents.indigenous", "agents.class_code")  # fmt: skip
    writes = ("countries.state_power_on_agenda", "orgs.engages_state", "orgs.agenda_months", "agents.org",
              "agents.status")  # fmt: skip

    class Params(Params):
        """Parameters of ``state_power_agenda``."""

        lag: int = param(1, ge=0, le=60, unit="months",
            description="months an adaptive organization takes to engage once state power is on the agenda",
            why="map L120; I L37 'at the exact moment' the arena shifted")  # fmt: skip
        loss: float = param(0.03, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a member outside its own base leaves a non-engaging organization while the agenda is on",
            why="placeholder; map l119")  # fmt: skip
        gain: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly probability an unaffiliated active agent joins an engaging organization while the agenda is on",
            why="placeholder; map g119")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, og, a = state.countries, state.orgs, state.agents
        agenda = (cs.elections > 0) | (cs.electoral_fraud > 0)
        cs.state_power_on_agenda[:] = agenda
        on_org = og.exists & agenda[og.country]
        og.agenda_months[:] = np.where(on_org, np.minimum(og.agenda_months.astype(np.int32) + 1, 30000), 0)
        rigid = (og.form == HORIZONTAL) & (og.power_orientation == 0)
        engages = og.exists & ~rigid & ((og.power_orientation != 0) | (on_org & (og.agenda_months > params.lag)))
        og.engages_state[:] = engages
        if not on_org.any():
            return
        # abstainers lose members outside their own base
        abstain = np.append(on_org & ~engages, False)
        members = np.flatnonzero(abstain[a.org])
        own = a.indigenous[members] | (a.class_code[members] == C["teacher_student"])
        members = members[~own]
        leave = members[rng.random(members.size, dtype=np.float32) < params.loss]
        a.org[leave] = -1
        a.status[leave[a.status[leave] == ORG]] = MOB
        # engaging organizations draw unaffiliated active agents
        eng = on_org & engages
        if not eng.any():
            return
        lo, hi = np.searchsorted(a.country, np.flatnonzero(agenda)), np.searchsorted(a.country, np.flatnonzero(agenda), "right")
        pool = np.concatenate([np.arange(l_, h_) for l_, h_ in zip(lo, hi)])  # agents are contiguous by country (world.build)
        pool = pool[(a.org[pool] < 0) & (a.status[pool] == MOB)]
        join = pool[rng.random(pool.size, dtype=np.float32) < params.gain]
        if join.size == 0:
            return
        for ci in np.unique(a.country[join]):
            rows = np.flatnonzero(eng & (og.country == ci))
            who = join[a.country[join] == ci]
            if rows.size == 0:
                continue
            w = og.members[rows].astype(np.float64) + 1.0
            a.org[who] = rows[rng.choice(rows.size, who.size, p=w / w.sum())]
            a.status[who] = ORG


# --------------------------------------------------------------------------------------------
# Escalated counter-insurgency (M3); ALCA as a formal framework and its advance (M10, M11)
# --------------------------------------------------------------------------------------------

COLUMNS = COLUMNS + (
    Var("countries", "ci_killed", "int32", "agents", "organized members of legal organizations killed in counter-insurgency, cumulative (M3)", 0, "mechanism"),
    Var("countries", "ci_displaced", "int32", "agents", "rural agents displaced by counter-insurgency, cumulative (M3)", 0, "mechanism"),
    Var("countries", "alca_regime", "int8", "code", "regime code the ALCA rule last saw (-1 before the first step; M11)", -1, "mechanism"),
    Var("countries", "policy_ceiling", "float32", "[0,1]", "ceiling a ratified trade-and-legal framework puts on domestic_policy (M10)", 1, "mechanism"),
    Var("countries", "fpa_ceiling", "float32", "[0,1]", "ceiling a ratified trade-and-legal framework puts on foreign_policy_autonomy (M10)", 1, "mechanism"),
)  # fmt: skip

_URBAN_CI = np.zeros(64, dtype=bool)
_URBAN_CI[[C["public_employee"], C["informal_unemployed"], C["urban_poor"], C["industrial_worker"]]] = True
_RURAL_CI = np.zeros(64, dtype=bool)
_RURAL_CI[[C["peasant_farmer"], C["landless_rural_worker"], C["indigenous_community"]]] = True
_NON_ELITE = np.zeros(64, dtype=bool)
_NON_ELITE[[c for c in range(16) if c not in (C["local_bourgeoisie"], C["state_personnel"])]] = True
ALCA_NONE, ALCA_NEGOTIATING, ALCA_RATIFIED, ALCA_BLOCKED = range(4)  # world_schema.ALCA_STATUS


@register
class CounterinsurgencyEscalation(TheoryMechanism):
    """M3: an escalated counter-insurgency campaign polarizes the country, impoverishes urban workers and kills organized civilians.

    Paraphrase: E reads the new phase of US intervention in Colombia (Plan Colombia) as having
    "polarized the country, impoverished the urban workers" and raised the killing of peasants,
    human-rights activists, journalists and trade unionists (E L51). The rule formalizes the
    four effects as monthly rates scaled by the campaign's intensity; the armed turn it favours
    is ``armed_turn`` (M103), the drift of the displaced to the cities is M16.

    Rule, in a country with a ``counterinsurgency`` event at intensity ``ci``, each month::

        urban workers (C4, C6, C7, C9):    income *= 1 - impoverish * ci
        non-elite periphery classes:       grievance = min(1, grievance + polarize * ci)
        organized members of legal orgs:   killed with prob kill_rate * ci (recorded as jailed for kill_term)
        rural C1-C3 not yet displaced:     displaced (land 0) with prob displace_rate * ci

    Killings are counted in ``ci_killed`` and ``killed`` (shared with M104), displacements in
    ``ci_displaced``.
    """

    name = "counterinsurgency_escalation"
    family = "repression"
    mids = ("M3",)
    cites = (f"{E} §Conditions L51",)
    phase = "repression"
    reads = ("countries.counterinsurgency", "agents.country", "agents.class_code", "agents.income",
             "agents.grievance", "agents.status", "agents.org", "agents.displaced", "agents.land", "orgs.legal",
             "orgs.armed")  # fmt: skip
    writes = ("agents.income", "agents.grievance", "agents.status", "agents.jail_left", "agents.displaced",
              "agents.land", "countries.killed", "countries.ci_killed", "countries.ci_displaced")  # fmt: skip

    class Params(Params):
        """Parameters of ``counterinsurgency_escalation``."""

        impoverish: float = param(0.01, ge=0.0, le=0.2, unit="share of income per month",
            description="monthly income loss of urban workers at full campaign intensity",
            why="placeholder; map l3 (E L51 'impoverished the urban workers', no rate)")  # fmt: skip
        polarize: float = param(0.02, ge=0.0, le=0.2, unit="[0,1] per month",
            description="monthly grievance increment of non-elite classes at full intensity (polarization)",
            why="placeholder; map a3 (E L51 'polarized the country')")  # fmt: skip
        kill_rate: float = param(0.002, ge=0.0, le=0.05, unit="per month",
            description="monthly probability an organized member of a legal organization is killed at full intensity",
            why="placeholder; map k3 (E L51 lists peasants, activists, journalists, trade unionists)")  # fmt: skip
        kill_term: int = param(9999, ge=1, le=30000, unit="months",
            description="jail term recorded for a killed agent (never released within a run)",
            why="modeller's proxy for death in a status model (as in M104)")  # fmt: skip
        displace_rate: float = param(0.003, ge=0.0, le=0.1, unit="per month",
            description="monthly probability a rural C1-C3 agent is displaced at full intensity",
            why="placeholder; map d3 (E L201: decades of counter-insurgency displaced peasants)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        ci = cs.counterinsurgency
        if not ci.any():
            return
        a, og = state.agents, state.orgs
        x = ci.astype(np.float32)[a.country]
        on = x > 0
        cls = a.class_code
        urban = np.flatnonzero(on & _URBAN_CI[cls])
        a.income[urban] *= np.float32(1) - np.float32(params.impoverish) * x[urban]
        ne = np.flatnonzero(on & _NON_ELITE[cls])
        a.grievance[ne] = np.minimum(np.float32(1), a.grievance[ne] + np.float32(params.polarize) * x[ne])
        cand = np.flatnonzero(on & (a.status == ORG) & (a.org >= 0))
        o = a.org[cand]
        cand = cand[og.legal[o] & ~og.armed[o]]
        dead = cand[rng.random(cand.size, dtype=np.float32) < np.float32(params.kill_rate) * x[cand]]
        if dead.size:
            a.status[dead] = JAIL
            a.jail_left[dead] = params.kill_term
            k = np.bincount(a.country[dead], minlength=cs.n).astype(np.int32)
            cs.killed += k
            cs.ci_killed += k
        rural = np.flatnonzero(on & _RURAL_CI[cls] & ~a.displaced & (a.status < JAIL))
        moved = rural[rng.random(rural.size, dtype=np.float32) < np.float32(params.displace_rate) * x[rural]]
        if moved.size:
            a.displaced[moved] = True
            a.land[moved] = 0
            cs.ci_displaced += np.bincount(a.country[moved], minlength=cs.n).astype(np.int32)


@register
class AlcaAdvance(TheoryMechanism):
    """M11: the ALCA agreement advances through aligned governments; a change away from them blocks it.

    Paraphrase: E holds that the key to ALCA's advance lies in the aligned regimes (texts:
    "vassal regimes") and that defeating it "passes through" their overthrow or ousting (E L60,
    L64). Ousters come from ``government_ouster`` (M52), coups and drifts from the other regime
    rules; this rule only reads ``countries.regime``.

    Rule, per country, on ``alca_status`` (none, negotiating, ratified, blocked)::

        none and a free_trade_agreement event at intensity f > 0      -> negotiating
        negotiating, government aligned or repressive-electoral       -> ratified with prob ratify_rate * f
        negotiating or ratified, the government changed since last month from aligned or
        repressive-electoral to another type                          -> blocked with prob block_prob

    Blocked is absorbing (the agreement is defeated). Non-aligned governments never ratify.
    """

    name = "alca_advance"
    mids = ("M11",)
    cites = (f"{E} §Conditions L60", f"{E} §Conditions L64")
    phase = "regime"
    reads = ("countries.alca_status", "countries.alca_regime", "countries.regime", "countries.free_trade_agreement")
    writes = ("countries.alca_status", "countries.alca_regime")

    class Params(Params):
        """Parameters of ``alca_advance``."""

        ratify_rate: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="monthly ratification probability under an aligned government at full event intensity",
            why="placeholder; map r11")  # fmt: skip
        block_prob: float = param(0.8, ge=0.0, le=1.0, unit="probability",
            description="probability a change away from an aligned government blocks the agreement",
            why="placeholder; map b11 (E L64: defeat 'passes through' ousting the aligned regimes)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        st, r = cs.alca_status, cs.regime
        prev = cs.alca_regime
        was_aligned = (prev == ALIGNED) | (prev == REPR_ELECT)
        aligned = (r == ALIGNED) | (r == REPR_ELECT)
        cs.alca_regime[:] = r
        f = cs.free_trade_agreement
        u = rng.random(cs.n)
        left = (prev >= 0) & was_aligned & ~aligned & ((st == ALCA_NEGOTIATING) | (st == ALCA_RATIFIED))
        blocked = left & (u < params.block_prob)
        ratify = (st == ALCA_NEGOTIATING) & aligned & ~left & (u < params.ratify_rate * f)
        start = (st == ALCA_NONE) & (f > 0)
        st[start] = ALCA_NEGOTIATING
        st[ratify] = ALCA_RATIFIED
        st[blocked] = ALCA_BLOCKED


@register
class AlcaPolicyLock(TheoryMechanism):
    """M10: a ratified ALCA is a formal trade-and-legal framework that locks domestic and foreign policy.

    Paraphrase: ALCA sets up a legal-political framework under a US-controlled commission that
    consolidates unequal trade and would turn aligned states into formal dependencies, "a
    colonial mercantile zone" (E L56, L153). Formalized as ceilings on the policy vector that
    bind every later government while the agreement stays ratified.

    Rule: where ``alca_status`` is ratified, ``policy_ceiling = lock_dom`` and ``fpa_ceiling =
    lock_fp``; elsewhere both are 1. The single writer of ``domestic_policy`` in each framework
    (``imp_policy_course`` / ``tnc_policy_pull``) applies the ceilings after its own update.
    The visibility gain of the agreement (a single, named symbol) is in ``attribution`` (M59).
    """

    name = "alca_policy_lock"
    mids = ("M10",)
    cites = (f"{E} §Conditions L56", f"{E} §ClassStructure L153")
    phase = "regime"
    reads = ("countries.alca_status",)
    writes = ("countries.policy_ceiling", "countries.fpa_ceiling")

    class Params(Params):
        """Parameters of ``alca_policy_lock``."""

        lock_dom: float = param(0.1, ge=0.0, le=1.0, unit="[0,1]",
            description="ceiling on domestic policy under a ratified agreement", why="placeholder; map lock_dom")  # fmt: skip
        lock_fp: float = param(0.2, ge=0.0, le=1.0, unit="[0,1]",
            description="ceiling on foreign-policy autonomy under a ratified agreement", why="placeholder; map lock_fp")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        rat = cs.alca_status == ALCA_RATIFIED
        cs.policy_ceiling[:] = np.where(rat, params.lock_dom, 1.0)
        cs.fpa_ceiling[:] = np.where(rat, params.lock_fp, 1.0)
