"""Co-optation family: how aligned states bind or remove would-be opponents without arresting crowds.

Two rules of the periphery state (theory_spec 3.3, 3.9): aligned regimes intervene in civil
society to "repress, co-opt or eliminate" the leaders of movements (M33; the arrest of crowds is
``activation.arrests``), and public employees who owe their jobs to patronage side with their
party patrons (M112). Rates are placeholders (theory_spec 7.4).
"""

from __future__ import annotations

import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.world_schema import REGIME_CODE, STATUS, C, Var

E = "000_c5680132a7806926.txt"  # Petras 2003 (theory_spec: E)

Q, MOB, ORG, JAIL = (STATUS[s] for s in ("quiescent", "mobilized", "organized", "jailed"))
SYSTEM_SCOPE = 2

COLUMNS = (
    Var("orgs", "leaders_lost", "int16", "count", "leaders eliminated or co-opted by the state (M33)", 0, "mechanism"),
    Var("orgs", "leaders_coopted", "int16", "count", "of those, leaders co-opted rather than eliminated (M33)", 0, "mechanism"),
)  # fmt: skip


@register
class LeaderTargeting(TheoryMechanism):
    """M33: aligned regimes repress, co-opt or eliminate the leaders of system-challenging organizations.

    Paraphrase: the accumulation regime centred on the empire needs lasting state intervention
    in civil society to "repress, co-opt or eliminate" anti-imperialist leaders and activists,
    as in Colombia, Bolivia, Guatemala and Peru (E L151).

    Rule: each month, each organization with a system-wide program in a country with an aligned
    or repressive-electoral government loses a leader with probability ``rate * repression``.
    A lost leader is co-opted with probability ``coopt_share``, otherwise eliminated. Either way
    the replacement is less tied to the mass struggle: ``leader_linkage *= (1 - linkage_loss)``;
    a co-opted leader also costs credibility: ``credibility -= credibility_loss``.
    """

    name = "leader_targeting"
    mids = ("M33",)
    cites = (f"{E} §ClassStructure L151",)
    phase = "repression"
    reads = ("orgs.exists", "orgs.country", "orgs.scope", "orgs.leader_linkage", "orgs.credibility",
             "countries.regime", "countries.repression")  # fmt: skip
    writes = ("orgs.leader_linkage", "orgs.credibility", "orgs.leaders_lost", "orgs.leaders_coopted")

    class Params(Params):
        """Parameters of ``leader_targeting``."""

        rate: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="monthly probability an organization loses a leader at full repression", why="placeholder; map l33")  # fmt: skip
        coopt_share: float = param(0.3, ge=0.0, le=1.0, unit="share",
            description="share of lost leaders who are co-opted rather than eliminated", why="placeholder; map c33")  # fmt: skip
        linkage_loss: float = param(0.2, ge=0.0, le=1.0, unit="share",
            description="relative fall in leader linkage when a leader is replaced", why="placeholder")  # fmt: skip
        credibility_loss: float = param(0.1, ge=0.0, le=1.0, unit="[0,1]",
            description="credibility lost when a leader is co-opted", why="placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, cs = state.orgs, state.countries
        aligned = (cs.regime == REGIME_CODE["aligned"]) | (cs.regime == REGIME_CODE["repressive_electoral"])
        rows = np.flatnonzero(og.exists & (og.scope == SYSTEM_SCOPE) & aligned[og.country])
        if rows.size == 0:
            return
        hit = rows[rng.random(rows.size) < params.rate * cs.repression[og.country[rows]]]
        if hit.size == 0:
            return
        coopt = rng.random(hit.size) < params.coopt_share
        og.leaders_lost[hit] += 1
        og.leaders_coopted[hit[coopt]] += 1
        og.leader_linkage[hit] *= np.float32(1.0 - params.linkage_loss)
        c = hit[coopt]
        og.credibility[c] = np.maximum(og.credibility[c] - np.float32(params.credibility_loss), np.float32(0))


@register
class PatronageLoyalty(TheoryMechanism):
    """M112: public employees who owe their jobs to patronage side with their party patrons, splitting the public sector.

    Paraphrase: public employees are pivotal in Colombia, Brazil, Argentina and Peru, but in
    Venezuela, Paraguay and Mexico they are divided: large sectors "who owe their jobs to
    political patronage" side with their pro-imperial party patrons (E L221).

    Rule: in the first month of a ``patronage`` event (D34) of intensity ``p`` in a country,
    each public employee (C4) gets a patronage job with probability ``p``. Each month, patronage
    employees in countries whose government is not a left government (the patrons' parties
    being the pro-imperial ones) leave any organization and stop protesting (active ->
    quiescent); under a left government they are not available to defend it (``coup_attempt``
    excludes them). They are never recruited while this holds, since they drop out monthly.
    """

    name = "patronage_loyalty"
    mids = ("M112",)
    cites = (f"{E} §Sustained L221",)
    phase = "repression"
    reads = ("countries.patronage", "countries.patronage_months", "countries.regime", "agents.country",
             "agents.class_code", "agents.patronage_job", "agents.status", "agents.org")  # fmt: skip
    writes = ("agents.patronage_job", "agents.status", "agents.org")

    _LEFT = np.zeros(256, dtype=bool)
    _LEFT[[REGIME_CODE["nationalist"], REGIME_CODE["revolutionary"]]] = True

    class Params(Params):
        """Parameters of ``patronage_loyalty``."""

        share_factor: float = param(1.0, ge=0.0, le=1.0, unit="factor",
            description="share of public employees given patronage jobs per unit of event intensity",
            why="map M112: patronage_share is the event intensity (VEN, PRY, MEX ~0.4)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, a = state.countries, state.agents
        onset = (cs.patronage_months == 1) & (cs.patronage > 0)
        if onset.any():
            cand = np.flatnonzero(onset[a.country] & (a.class_code == C["public_employee"]))
            p = params.share_factor * cs.patronage[a.country[cand]]
            a.patronage_job[cand[rng.random(cand.size, dtype=np.float32) < p]] = True
        idx = np.flatnonzero(a.patronage_job)
        if idx.size == 0:
            return
        patron_right = ~self._LEFT[cs.regime.view(np.uint8)]
        st = a.status
        s_i = st[idx]
        idx = idx[patron_right[a.country[idx]] & ((a.org[idx] >= 0) | ((s_i >= MOB) & (s_i < JAIL)))]
        a.org[idx] = -1
        act = idx[(st[idx] >= MOB) & (st[idx] < JAIL)]
        st[act] = Q
