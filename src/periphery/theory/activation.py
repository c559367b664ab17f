"""Activation family: who turns active given grievance, perceived risk and repression; arrests and release.

The activation rule is Epstein's (2002) civil-violence rule adapted to countries: an agent acts
when grievance outweighs the risk it perceives, and the risk falls as more people act. The seed
texts give no functional form (theory_spec 7.4); they do require a backfire branch where
repression pushes people toward armed forms instead of deterring them (M103), and a breadth
effect where many classes hit at once enlarge protest (M58). Both are here.
"""

from __future__ import annotations

import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.world_schema import STATUS

E = "000_c5680132a7806926.txt"

Q, MOB, ORG, ARM, JAIL = (STATUS[s] for s in ("quiescent", "mobilized", "organized", "armed", "jailed"))


@register
class Activation(TheoryMechanism):
    """M58, M103: agents act when grievance (plus coalition breadth) outweighs risk; repression can push to arms.

    Paraphrase: the largest protests come when macro policy hits a wide range of classes at
    once (E L175, M58). Where a highly repressive system eliminates legal critics and there is
    a long tradition of armed rural resistance, opposition takes armed form (E L201, M103).

    Rule, per free agent (not jailed, not emigrated), with country values gathered by row::

        perceived_risk = 1 - exp(-k * repression * (1 - space_weight * democratic_space)
                                 / (share_active + crowd_floor))
        net_risk  = risk_aversion * perceived_risk
        drive     = hardship * grievance * (1 - legitimacy_weight * legitimacy)
                    * (1 + consciousness_weight * consciousness + pull[org]
                       + breadth_weight * breadth)
        active    = drive - net_risk > threshold

    As in Epstein (2002), the grievance that moves a person is felt hardship times the
    government's illegitimacy; ``hardship`` is a fixed individual trait drawn U(0, 1), so that
    within a class hit by the same policy people differ in how much it moves them (without it a
    whole class crosses the threshold at once). Breadth (M58) amplifies the agent's own
    grievance; it does not move people who have none.

    An active agent is ``organized`` if it belongs to an organization, else ``mobilized``. An
    active agent becomes ``armed`` with probability ``arm_rate * repression * (1 -
    democratic_space) * armed_tradition`` a month (the backfire branch); an armed agent stays
    armed while ``drive - net_risk > threshold - arm_hysteresis``. ``share_active`` and
    ``breadth`` are last month's (written by ``country_indicators``).
    """

    name = "activation"
    mids = ("M58", "M103")
    cites = (f"{E} §Theory L175", f"{E} §Sustained L201")
    framework = "shared"
    phase = "activation"
    reads = (
        "agents.country", "agents.grievance", "agents.consciousness", "agents.risk_aversion",
        "agents.hardship", "countries.legitimacy",
        "agents.org", "agents.status", "agents.months_active",
        "countries.repression", "countries.democratic_space", "countries.share_active",
        "countries.breadth", "countries.armed_tradition",
        "orgs.pull",  # organization family (M45, M49): an organization's call on its members
    )  # fmt: skip
    writes = ("agents.status", "agents.perceived_risk", "agents.net_risk", "agents.months_active")

    class Params(Params):
        """Parameters of ``activation``."""

        k: float = param(0.05, gt=0.0, le=100.0, unit="",
            description="arrest-risk constant (Epstein's k, rescaled to country shares)",
            why="risk ~0.9 for a lone protester under repression 0.5; ~0.2 once a tenth act")  # fmt: skip
        crowd_floor: float = param(0.01, gt=0.0, le=1.0, unit="share",
            description="share of active people assumed even when none act (avoids division by zero)",
            why="plays the role of Epstein's one-active minimum")  # fmt: skip
        space_weight: float = param(0.5, ge=0.0, le=1.0, unit="",
            description="how much democratic space lowers perceived risk",
            why="legal room for protest lowers its risk (E L201, by contrast)")  # fmt: skip
        legitimacy_weight: float = param(1.0, ge=0.0, le=1.0, unit="",
            description="how much the government's legitimacy damps grievance (Epstein's G = H(1 - L))",
            why="Epstein (2002): grievance is hardship times illegitimacy")  # fmt: skip
        threshold: float = param(0.1, ge=0.0, le=1.0, unit="",
            description="margin drive must exceed net risk by to act",
            why="Epstein (2002) threshold 0.1")  # fmt: skip
        consciousness_weight: float = param(0.5, ge=0.0, le=10.0, unit="",
            description="how much consciousness amplifies grievance into action",
            why="placeholder; consciousness turns grievance into action (E L173)")  # fmt: skip
        breadth_weight: float = param(0.1, ge=0.0, le=1.0, unit="",
            description="added drive when every class of the country is above the breadth threshold",
            why="M58 Hook: coalition-breadth effect; placeholder")  # fmt: skip
        arm_rate: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly probability an active agent takes up arms at full repression, no space, full tradition",
            why="placeholder; E L201 names the conditions, not a rate")  # fmt: skip
        arm_hysteresis: float = param(0.1, ge=0.0, le=1.0, unit="",
            description="armed agents stay armed until drive - risk falls this far below threshold",
            why="armed commitment is sticky")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, cs = state.agents, state.countries
        ci = a.country
        pressure = (params.k * cs.repression * (1.0 - params.space_weight * cs.democratic_space)
                    / (cs.share_active + params.crowd_floor))  # fmt: skip
        risk_c = (1.0 - np.exp(-pressure)).astype(np.float32)
        risk = a.perceived_risk
        np.take(risk_c, ci, out=risk)
        np.multiply(a.risk_aversion, risk, out=a.net_risk)
        margin = a.consciousness * np.float32(params.consciousness_weight)
        margin += (np.float32(1) + params.breadth_weight * cs.breadth).astype(np.float32)[ci]
        # organization family (M45, M49): members of an organization calling an action add its
        # pull to the factor on their grievance (orgs.pull, written by org_leadership).
        pull = state.orgs.pull
        if pull.any():
            margin += np.append(pull, np.float32(0)).astype(np.float32)[a.org]
        margin *= a.grievance
        margin *= a.hardship
        margin *= (np.float32(1) - params.legitimacy_weight * cs.legitimacy).astype(np.float32)[ci]
        margin -= a.net_risk
        st = a.status
        free = st < JAIL
        armed = st == ARM
        act = margin > np.float32(params.threshold)
        stay_armed = armed & (margin > np.float32(params.threshold - params.arm_hysteresis))
        new = np.where(act, np.where(a.org >= 0, ORG, MOB), Q).astype(np.int8)
        # backfire: active agents may take up arms under repression without democratic space
        p_arm_c = (params.arm_rate * cs.repression * (1.0 - cs.democratic_space) * cs.armed_tradition).astype(np.float32)
        if p_arm_c.any():
            cand = np.flatnonzero(act & free & ~armed)
            to_arm = cand[rng.random(cand.size, dtype=np.float32) < p_arm_c[ci[cand]]]
            new[to_arm] = ARM
        new[stay_armed] = ARM
        np.copyto(st, new, where=free)
        ma = a.months_active
        ma += np.int16(1)
        ma[~(free & (st != Q))] = 0


@register
class Arrests(TheoryMechanism):
    """M33, M104: the state arrests active opponents in proportion to its repression; jailed agents are released.

    Paraphrase: regimes aligned with the imperial state intervene in civil society to
    repress, co-opt or eliminate movement leaders and activists (E L151); in Colombia
    military and paramilitary squads decimated legal civilian movements (E L197, L201).

    Rule: each month an active agent (mobilized, organized, armed) is jailed with probability
    ``arrest_rate * repression * (1 - protection * democratic_space)`` (armed agents times
    ``armed_factor``), for a uniform 1..``max_jail`` months; jailed agents count down and are
    released quiescent. Killing and co-optation belong to the repression family.
    """

    name = "arrests"
    family = "repression"
    mids = ("M33", "M104")
    cites = (f"{E} §ClassStructure L151", f"{E} §Sustained L197-L201")
    framework = "shared"
    phase = "repression"
    reads = ("agents.country", "agents.status", "agents.jail_left", "countries.repression", "countries.democratic_space")
    writes = ("agents.status", "agents.jail_left")

    class Params(Params):
        """Parameters of ``arrests``."""

        arrest_rate: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly arrest probability of an active agent at full repression and no democratic space",
            why="placeholder; the texts give killings, not arrest rates")  # fmt: skip
        protection: float = param(0.8, ge=0.0, le=1.0, unit="",
            description="how much democratic space protects legal activity from arrest",
            why="legal protest is rarely jailed where space exists")  # fmt: skip
        armed_factor: float = param(0.5, ge=0.0, le=10.0, unit="factor",
            description="arrest probability of armed agents relative to unarmed ones",
            why="armed agents are harder to seize")  # fmt: skip
        max_jail: int = param(12, ge=1, le=600, unit="months",
            description="longest jail term", why="placeholder; Epstein's runs use up to 30 steps")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, cs = state.agents, state.countries
        st, jl = a.status, a.jail_left
        jailed = st == JAIL
        if jailed.any():
            jl[jailed] -= np.int16(1)
            released = jailed & (jl <= 0)
            st[released] = Q
            jl[released] = 0
        p_c = (params.arrest_rate * cs.repression * (1.0 - params.protection * cs.democratic_space)).astype(np.float32)
        if not p_c.any():
            return
        cand = np.flatnonzero((st >= MOB) & (st <= ARM))
        p = p_c[a.country[cand]]
        p[st[cand] == ARM] *= np.float32(params.armed_factor)
        caught = cand[rng.random(cand.size, dtype=np.float32) < p]
        st[caught] = JAIL
        jl[caught] = rng.integers(1, params.max_jail + 1, caught.size).astype(np.int16)
