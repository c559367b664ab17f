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
from periphery.theory.world_schema import LEFT_REGIMES, REGIME_CODE, STATUS, C, Var

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
        patron_right = ~LEFT_REGIMES[cs.regime.view(np.uint8)]
        st = a.status
        s_i = st[idx]
        idx = idx[patron_right[a.country[idx]] & ((a.org[idx] >= 0) | ((s_i >= MOB) & (s_i < JAIL)))]
        a.org[idx] = -1
        act = idx[(st[idx] >= MOB) & (st[idx] < JAIL)]
        st[act] = Q


# --------------------------------------------------------------------------------------------
# Divide and rule (M94)
# --------------------------------------------------------------------------------------------

COLUMNS = COLUMNS + (
    Var("orgs", "allied_faction", "bool", "flag", "the faction the imperial state has allied with in this country (M94)", 0, "mechanism"),
    Var("countries", "split_events", "int32", "count", "organization splits under divide and rule, cumulative (M94)", 0, "mechanism"),
    Var("countries", "faction_org", "int32", "index", "org row of the allied faction, -1 if none (M94)", -1, "mechanism"),
)  # fmt: skip

# columns organization._found sets when it puts a new organization into a free slot
_FOUND_WRITES = tuple(f"orgs.{c}" for c in (
    "exists", "scope", "power_orientation", "form", "class_base", "tactic", "target", "issue", "leader_linkage",
    "credibility", "tradition", "reformer_share", "legal", "armed", "issue_resolved", "issue_seen", "linked",
    "age_months", "start_scope", "peak_active", "peak_age", "low_months", "terminal", "ended_month", "exits",
    "absorbed", "pull", "calling"))  # fmt: skip


@register
class DivideAndRule(TheoryMechanism):
    """M94: an imperial alliance with a religious or ethnic faction splits movements that lack a system-level program.

    Paraphrase: E describes imperial power allying with reactionary religious or ethnic forces
    against secular regimes and opponents, in a "selective use and disuse" of such factions, a
    tactic that works best against critics "who lack a class perspective" (E L96-L98). The
    faction is used while the alliance lasts and dropped afterwards.

    Rule, in a country with a ``faction_alliance`` event (D32) at intensity ``x``: the allied
    faction is the largest religious-goal organization of the country (``goal``, M62) or, if
    there is none, one founded in a free slot (multi-class, issue scope, no power orientation,
    religious goal); it leaves any coalition and its leader linkage is raised to at least
    ``base_linkage * bonus`` (recruitment through ``org_recruitment`` scales with it). Each
    month every other organization of the country with members splits with probability::

        p = split_rate * x * (1 - scope_index),   scope_index = 0 issue, 0.5 sector, 1 system

    A split breaks the organization out of its coalition (``coalition`` = -1, one more in
    ``splits``, shared with M62) and each member leaves with probability ``split_share`` to join
    the faction (or becomes unaffiliated if no faction could be formed). When the event ends the faction is dropped
    ("disuse"): it loses the alliance flag and ``disuse_loss`` of its leader linkage and
    credibility.
    """

    name = "divide_and_rule"
    mids = ("M94",)
    cites = (f"{E} §Historical L96-L98",)
    phase = "repression"
    reads = ("countries.faction_alliance", "countries.faction_org", "orgs.exists", "orgs.country", "orgs.scope",
             "orgs.members", "orgs.allied_faction", "orgs.leader_linkage", "orgs.credibility", "orgs.goal",
             "orgs.coalition", "orgs.terminal", "orgs.splits", "agents.org", "agents.status")  # fmt: skip
    writes = ("countries.faction_org", "countries.split_events", "orgs.allied_faction", "orgs.splits",
              "orgs.coalition", "orgs.goal", "agents.org", "agents.status", *_FOUND_WRITES)  # fmt: skip

    class Params(Params):
        """Parameters of ``divide_and_rule``."""

        split_rate: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="monthly split probability of an issue-scope organization at full alliance intensity",
            why="placeholder; map p94")  # fmt: skip
        split_share: float = param(0.3, ge=0.0, le=1.0, unit="share",
            description="probability each member of a splitting organization leaves with the faction",
            why="placeholder; the texts give no size")  # fmt: skip
        base_linkage: float = param(0.5, ge=0.0, le=1.0, unit="[0,1]",
            description="leader linkage of the faction without the alliance", why="placeholder")  # fmt: skip
        bonus: float = param(1.5, ge=1.0, le=5.0, unit="factor",
            description="recruitment factor (through leader linkage) of the allied faction",
            why="map M94: recruitment x1.5 for the alliance period")  # fmt: skip
        disuse_loss: float = param(0.5, ge=0.0, le=1.0, unit="share",
            description="share of leader linkage and credibility the faction loses when dropped",
            why="placeholder; E L98 'use and disuse'")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        from periphery.theory.organization import EVENT_NAMES, TACTICS, _found

        cs, og, a = state.countries, state.orgs, state.agents
        x = cs.faction_alliance
        fo = cs.faction_org
        drop = np.flatnonzero((fo >= 0) & (x <= 0))
        if drop.size:
            f = fo[drop]
            og.allied_faction[f] = False
            keep = np.float32(1.0 - params.disuse_loss)
            og.leader_linkage[f] = np.minimum(og.leader_linkage[f], np.float32(params.base_linkage)) * keep
            og.credibility[f] *= keep
            fo[drop] = -1
        on = np.flatnonzero(x > 0)
        if on.size == 0:
            return
        dest = np.full(og.n + 1, -2, dtype=np.int64)  # per splitting org: faction row, -1 none; -2 not splitting
        for c in on:
            f = int(fo[c])
            if f < 0 or not og.exists[f]:
                rel = np.flatnonzero(og.exists & (og.country == c) & (og.goal == 1) & (og.terminal <= 1))
                if rel.size:
                    f = int(rel[np.argmax(og.members[rel])])
                else:
                    f = _found(state, int(c), ctx.t, scope=0, power=0, form=0, class_base=-1,
                               tactic=TACTICS.index("demonstration"), target=2,
                               issue=EVENT_NAMES.index("faction_alliance"), leader_linkage=0.0)  # fmt: skip
                fo[c] = f
                if f >= 0:
                    og.allied_faction[f] = True
                    og.goal[f] = 1
                    og.coalition[og.coalition == f] = -1
                    og.coalition[f] = -1
                    og.leader_linkage[f] = max(og.leader_linkage[f], min(1.0, params.base_linkage * params.bonus))
            rows = np.flatnonzero(og.exists & (og.country == c) & (og.members > 0) & ~og.allied_faction)
            if rows.size == 0:
                continue
            p = params.split_rate * x[c] * (1.0 - og.scope[rows] / 2.0)
            hit = rows[rng.random(rows.size) < p]
            if hit.size:
                og.coalition[hit] = -1
                og.splits[hit] += 1
                cs.split_events[c] += hit.size
                dest[hit] = f
        if not (dest[:-1] > -2).any():
            return
        members = np.flatnonzero(dest[a.org] > -2)  # a.org == -1 hits the sentinel (-2)
        go = members[rng.random(members.size, dtype=np.float32) < params.split_share]
        to = dest[a.org[go]]
        a.org[go] = to
        lone = go[to < 0]
        a.status[lone[a.status[lone] == ORG]] = MOB
