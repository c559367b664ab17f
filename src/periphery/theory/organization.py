"""Organization family: recruitment through organizations, program, leadership, life-cycle, founding.

Organizations are rows of ``orgs`` (few), so rules loop over them or vectorize over the org
table; per-agent work is vectorized (org values are gathered to members through ``agents.org``
with a trailing "no organization" slot, see ``_ext``). Recruitment runs along the builder's tie
networks in a small Numba kernel over candidate agents.

What the texts claim (theory_spec 3.4, source E): movement participants are convoked by
class-based organizations whose leaders have histories in the struggle (M45, M49); single-issue
movements end once their issue is settled unless a program and leadership link them to the
system (M38, M44); they end residual, absorbed into party politics, or, rarely, escalated
(M40); leadership that subordinates the movement to electoral politicians shortens its life and
loses its activists to the parties (M39, M41); mobilizations erupt, extend, routinize and decline
(M42); activists carry over from one issue to the next (M43). The ouster side of M52 is the
regime family's ``government_ouster``; it reads the ``scope``/``power_orientation``/``form`` and
participation of the orgs kept here.

Every functional form and default below is a modeller's choice (theory_spec 7.4); the texts
give directions and conditions, never rates.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.world_schema import (
    EMPLOY,
    EVENT_NAMES,
    N_CLASSES,
    ORG_FORMS,
    ORG_SCOPES,
    POWER_ORIENTATIONS,
        STATUS,
    TACTICS,
    C,
    Var,
)

E = "000_c5680132a7806926.txt"  # Petras 2003 (theory_spec: E)

Q, MOB, ORG, ARM, JAIL = (STATUS[s] for s in ("quiescent", "mobilized", "organized", "armed", "jailed"))
ISSUE, SECTOR, SYSTEM = (ORG_SCOPES.index(s) for s in ("issue", "sector", "system"))
PO_NONE, PO_ELECTORAL, PO_INDEPENDENT = (POWER_ORIENTATIONS.index(s) for s in POWER_ORIENTATIONS)
TERMINALS = ("active", "residual", "dissolved", "escalated")
T_ACTIVE, T_RESIDUAL, T_DISSOLVED, T_ESCALATED = range(4)
#: Tactics of a "Big Event" (M51, M65-M66): one-day demonstrations and referendums.
EVENT_TACTICS = (TACTICS.index("demonstration"), TACTICS.index("referendum"))
HORIZONTAL = ORG_FORMS.index("horizontal")
#: Popular classes (theory_spec 1.4): everyone but capitalists, the local bourgeoisie, state
#: personnel and the core elite; used by the class match of recruitment (M45).
POPULAR = tuple(c for c in range(N_CLASSES) if c not in (
    C["small_medium_capitalist"], C["local_bourgeoisie"], C["state_personnel"], C["core_elite"]))  # fmt: skip

COLUMNS = (
    Var("agents", "party_absorbed", "bool", "flag", "left a movement for mainstream party politics (M39)", 0),
    Var("agents", "ex_member", "bool", "flag", "former member of a single-issue movement: the carry-over pool (M43)", 0),
    Var("orgs", "pull", "float32", "[0,2]", "how strongly the organization calls its members out this month (M45, M49); read by activation", 0),
    Var("orgs", "calling", "bool", "flag", "the organization calls an action this month (M51)", 0),
    Var("orgs", "linked", "bool", "flag", "system program and leadership tied to the mass struggle (M44)", 0),
    Var("orgs", "issue_seen", "bool", "flag", "its issue has been in force at some point (A3 bookkeeping)", 0),
    Var("orgs", "start_scope", "int8", "code", "program scope when the row came into use; -1 before (M40)", -1),
    Var("orgs", "peak_active", "float32", "agents", "largest number of active members so far (M40, M42)", 0),
    Var("orgs", "peak_age", "int32", "months", "age at which peak_active was reached (M42)", 0),
    Var("orgs", "low_months", "int16", "months", "consecutive months with active members below the end fraction of the peak (M40)", 0),
    Var("orgs", "terminal", "int8", "code", "TERMINALS: active, residual, dissolved (into party politics), escalated (M40)", 0),
    Var("orgs", "ended_month", "int32", "month", "month the single-issue movement ended or escalated, 0 if not (M40)", 0),
    Var("orgs", "exits", "int32", "agents", "members who left so far (any route)", 0),
    Var("orgs", "absorbed", "int32", "agents", "members who left for party politics so far (M39)", 0),
    Var("orgs", "heterogeneity", "float32", "[0,1]", "1 - sum of squared member shares over class x (reformer, anti-imperialist) groups (M36, M66)", 0),
    Var("orgs", "informal_share", "float32", "share", "share of members informal or unemployed (M63, P38)", 0),
    Var("orgs", "formal_share", "float32", "share", "share of members in formal employment (M63: strikes)", 0),
    Var("orgs", "member_consciousness", "float32", "[0,1]", "mean consciousness of members (M49)", 0),
)  # fmt: skip


def _ext(values: np.ndarray, fill=0) -> np.ndarray:
    """Org values with one trailing slot for 'no organization', so ``_ext(v)[agents.org]`` works for org == -1."""
    out = np.empty(values.size + 1, dtype=values.dtype)
    out[:-1] = values
    out[-1] = fill
    return out


def is_event_coalition(og) -> np.ndarray:
    """Big-Event coalitions (M51, M66): multi-class, horizontal, issue-scope, event tactics."""
    return (og.class_base == -1) & (og.form == HORIZONTAL) & (og.scope == ISSUE) & np.isin(og.tactic, EVENT_TACTICS)


def issue_level(state) -> np.ndarray:
    """Current intensity of each org's issue in its country (0 for orgs without an issue)."""
    og, cs = state.orgs, state.countries
    out = np.zeros(og.n, dtype=np.float32)
    cols = cs.columns()
    for j in np.flatnonzero(og.exists & (og.issue >= 0)):
        out[j] = cols[EVENT_NAMES[og.issue[j]]][og.country[j]]
    return out


def _leave(a, og, idx: np.ndarray, absorbed: bool = False) -> None:
    """Members ``idx`` leave their organizations: org -1, organized -> quiescent, counted as exits."""
    if idx.size == 0:
        return
    o = a.org[idx]
    og.exits += np.bincount(o, minlength=og.n).astype(np.int32)
    if absorbed:
        og.absorbed += np.bincount(o, minlength=og.n).astype(np.int32)
    a.org[idx] = -1
    st = a.status[idx]
    st[st == ORG] = Q
    a.status[idx] = st


def _found(state, country: int, t: int, *, scope: int, power: int, form: int, class_base: int, tactic: int,
           target: int, issue: int, leader_linkage: float) -> int:  # fmt: skip
    """Put a new organization into a free slot of ``country``; return its row, or -1 if none is free."""
    og = state.orgs
    free = np.flatnonzero(~og.exists & (og.country == country) & (og.members == 0))
    if free.size == 0:
        return -1
    j = int(free[0])
    og.exists[j] = True
    og.scope[j], og.power_orientation[j], og.form[j] = scope, power, form
    og.class_base[j], og.tactic[j], og.target[j], og.issue[j] = class_base, tactic, target, issue
    og.leader_linkage[j] = leader_linkage
    og.credibility[j], og.tradition[j], og.reformer_share[j] = 0.5, 0.0, 0.0
    og.legal[j], og.armed[j] = True, False
    og.issue_resolved[j] = og.issue_seen[j] = og.linked[j] = False
    og.age_months[j] = 0
    og.start_scope[j] = -1
    og.peak_active[j], og.peak_age[j], og.low_months[j] = 0, 0, 0
    og.terminal[j], og.ended_month[j], og.exits[j], og.absorbed[j] = T_ACTIVE, 0, 0, 0
    og.pull[j], og.calling[j] = 0, False
    return j


# --------------------------------------------------------------------------------------------
# Bookkeeping: member composition (no M-id; runs with the indicators)
# --------------------------------------------------------------------------------------------


@register
class OrgComposition(TheoryMechanism):
    """Member composition of each organization: heterogeneity, informal and formal shares, mean consciousness.

    Bookkeeping that M49 (mean member consciousness), M63 (informal share) and M66
    (heterogeneity, the derived form of M36's mixed coalitions) read next month. Heterogeneity is
    ``1 - sum_k s_k^2`` over groups k = class x {reformer, anti-imperialist}, with the reformer
    split taken from ``orgs.reformer_share`` (M36's "imperial reformers").
    """

    name = "org_composition"
    family = "organization"
    phase = "indicators"
    reads = ("agents.org", "agents.class_code", "agents.employment", "agents.consciousness", "orgs.reformer_share")
    writes = ("orgs.heterogeneity", "orgs.informal_share", "orgs.formal_share", "orgs.member_consciousness")

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, og = state.agents, state.orgs
        cells, inf, formal, cons = _composition(a.org, a.class_code, a.employment, a.consciousness, og.n, N_CLASSES,
                                                EMPLOY["informal"], EMPLOY["unemployed"], EMPLOY["formal"])  # fmt: skip
        n = cells.sum(axis=1).astype(np.float64)
        denom = np.maximum(n, 1)
        s = cells / denom[:, None]
        r = og.reformer_share.astype(np.float64)
        hhi = (s**2).sum(axis=1) * (r**2 + (1 - r) ** 2)
        og.heterogeneity = np.where(n > 0, 1.0 - hhi, 0.0)
        og.informal_share = inf / denom
        og.formal_share = formal / denom
        og.member_consciousness = cons / denom


@numba.njit(cache=True)
def _composition(org, cls, emp, cons, no, ncls, informal, unemployed, formal):  # pragma: no cover - numba
    """One pass over agents: members per org and class; informal, formal and consciousness sums per org."""
    cells = np.zeros((no, ncls), np.int64)
    inf = np.zeros(no, np.float64)
    frm = np.zeros(no, np.float64)
    cs = np.zeros(no, np.float64)
    for i in range(org.size):
        o = org[i]
        if o < 0:
            continue
        cells[o, cls[i]] += 1
        e = emp[i]
        if e == informal or e == unemployed:
            inf[o] += 1
        elif e == formal:
            frm[o] += 1
        cs[o] += cons[i]
    return cells, inf, frm, cs


# --------------------------------------------------------------------------------------------
# Recruitment and leadership
# --------------------------------------------------------------------------------------------


@numba.njit(cache=True)
def _recruit(seed, org, status, absorbed, g, cls, min_g, jail, rate, rate_max, match,
             ip0, ix0, ip1, ix1, ip2, ix2):  # pragma: no cover - numba
    """One pass over agents. A candidate (no org, grievance >= min_g, free, not absorbed) draws
    one tie at random over the three networks; if the tie is a member of org o it joins o with
    probability rate[o] * match[cls, o] * degree * grievance (one draw per candidate reproduces
    1 - (1 - p)^k to first order). The acceptance draw is made first against the largest
    possible probability, so most candidates need no tie lookup. Random numbers come from
    Numba's generator seeded from the mechanism's stream. Returns (agents, orgs) who joined."""
    np.random.seed(seed)
    n = org.size
    buf_i = np.empty(1024, np.int64)
    buf_o = np.empty(1024, np.int32)
    m = 0
    for i in range(n):
        if org[i] >= 0 or g[i] < min_g or status[i] >= jail or absorbed[i]:
            continue
        d0 = ip0[i + 1] - ip0[i]
        d1 = ip1[i + 1] - ip1[i]
        d2 = ip2[i + 1] - ip2[i]
        deg = d0 + d1 + d2
        if deg == 0:
            continue
        u2 = np.random.random()
        if u2 >= rate_max * deg * g[i]:
            continue
        r = int(np.random.random() * deg)
        if r >= deg:
            r = deg - 1
        if r < d0:
            j = ix0[ip0[i] + r]
        elif r < d0 + d1:
            j = ix1[ip1[i] + r - d0]
        else:
            j = ix2[ip2[i] + r - d0 - d1]
        o = org[j]
        if o < 0:
            continue
        if u2 < rate[o] * match[cls[i], o] * deg * g[i]:
            if m == buf_i.size:
                buf_i = np.concatenate((buf_i, np.empty(buf_i.size, np.int64)))
                buf_o = np.concatenate((buf_o, np.empty(buf_o.size, np.int32)))
            buf_i[m] = i
            buf_o[m] = o
            m += 1
    return buf_i[:m], buf_o[:m]


@register
class OrgRecruitment(TheoryMechanism):
    """M45, M42, M41: organizations recruit along their members' ties; issue movements routinize after their peak.

    Paraphrase: in Latin America participants are organized or convoked by class-based social
    organizations whose leaders have histories of struggle at work or in the neighbourhood;
    there are no undifferentiated "multitudes" (E L157-L159). Single-issue mobilizations that
    fail to connect to a challenge for power erupt, extend, then routinize and decline (E L38,
    M42); movements tied to "dissident" politicians of the main parties are short-lived (E L36,
    M41).

    Rule: a candidate (free, not a member, not party-absorbed, grievance >= ``min_grievance``)
    draws one tie at random over the three networks; if that neighbour belongs to org o it joins
    o with probability ``rate_o * match(class, class_base_o) * degree * grievance``, where::

        rate_o = r45 * leader_linkage_o * m42_o * m41_o          (0 if the org is not recruiting)
        m42_o  = exp(-(age - peak_age) / tau42)   issue-scope orgs without an independent power
                                                 orientation, after their peak (routinization)
        m41_o  = r41                              electoral-subordinate orgs after their peak
        match  = 1 same class, 0.5 another popular class, ``match_multi`` multi-class org, 0.1 otherwise

    Not recruiting: ended rows, orgs whose issue is settled (M38), Big-Event coalitions outside
    the month they call an event (M66). A member who is already mobilized becomes organized.
    The pass over agents is a Numba kernel whose generator is seeded from this mechanism's
    stream (deterministic per seed).
    """

    name = "org_recruitment"
    mids = ("M45", "M42", "M41")
    cites = (f"{E} §ClassOrganization L157-L159", f"{E} §AIM L38", f"{E} §AIM L36")
    framework = "shared"
    phase = "organization"
    reads = (
        "agents.org", "agents.status", "agents.grievance", "agents.class_code", "agents.party_absorbed",
        "agents.country", "orgs.exists", "orgs.terminal", "orgs.leader_linkage", "orgs.class_base",
        "orgs.scope", "orgs.power_orientation", "orgs.age_months", "orgs.peak_age", "orgs.peak_active",
        "orgs.issue_resolved", "orgs.calling", "orgs.form", "orgs.tactic", "orgs.members",
        "spaces.within_class", "spaces.neighbourhood", "spaces.cross_class",
    )  # fmt: skip
    writes = ("agents.org", "agents.status")

    class Params(Params):
        """Parameters of ``org_recruitment``."""

        r45: float = param(0.05, ge=0.0, le=1.0, unit="per tie per month",
            description="join probability per tie to a member, at full leader linkage, class match and grievance",
            why="mechanism_map M45 default (range 0.01-0.2); placeholder, no rate in the texts")  # fmt: skip
        min_grievance: float = param(0.05, ge=0.0, le=1.0, unit="[0,1]",
            description="grievance below which an agent is not a recruitment candidate",
            why="organizations convoke the aggrieved (E L157); placeholder that also bounds the cost")  # fmt: skip
        match_ally: float = param(0.5, ge=0.0, le=1.0, unit="factor",
            description="class match for another popular class than the org's class base",
            why="mechanism_map M45 default")  # fmt: skip
        match_other: float = param(0.1, ge=0.0, le=1.0, unit="factor",
            description="class match for a non-popular class (capitalists, bourgeoisie, state personnel, core elite)",
            why="mechanism_map M45 default; E L159 lists the popular classes as the bulk")  # fmt: skip
        match_multi: float = param(0.7, ge=0.0, le=1.0, unit="factor",
            description="class match of a popular-class agent with a multi-class organization",
            why="placeholder between same-class and allied-class match")  # fmt: skip
        tau42: float = param(6.0, gt=0.0, le=240.0, unit="months",
            description="time constant of routinization after an issue movement's peak",
            why="mechanism_map M42 default (range 2-24); E L38 gives no duration")  # fmt: skip
        r41: float = param(0.7, ge=0.0, le=1.0, unit="factor",
            description="recruitment factor of electoral-subordinate orgs after their peak",
            why="mechanism_map M41 default (range 0.3-1)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, og = state.agents, state.orgs
        after_peak = (og.age_months > og.peak_age) & (og.peak_active > 0)
        m42 = np.where(
            (og.scope == ISSUE) & (og.power_orientation != PO_INDEPENDENT) & after_peak,
            np.exp(-(og.age_months - og.peak_age) / params.tau42), 1.0,
        )
        m41 = np.where((og.power_orientation == PO_ELECTORAL) & after_peak, params.r41, 1.0)
        recruiting = og.exists & (og.terminal != T_DISSOLVED) & (og.terminal != T_RESIDUAL) & ~og.issue_resolved
        recruiting &= (og.members > 0) & (~is_event_coalition(og) | og.calling)
        rate = np.where(recruiting, params.r45 * og.leader_linkage * m42 * m41, 0.0).astype(np.float64)
        if not (rate > 0).any():
            return
        match = np.empty((N_CLASSES, og.n), dtype=np.float64)
        popular = np.zeros(N_CLASSES, dtype=bool)
        popular[list(POPULAR)] = True
        for j in range(og.n):
            cb = og.class_base[j]
            if cb < 0:
                match[:, j] = np.where(popular, params.match_multi, params.match_other)
            else:
                match[:, j] = np.where(popular & popular[cb], params.match_ally, params.match_other)
                match[cb, j] = 1.0
        sp = ctx.spaces
        s0, s1, s2 = sp["within_class"], sp["neighbourhood"], sp["cross_class"]
        idx, joined = _recruit(int(rng.integers(2**62)), a.org, a.status, a.party_absorbed, a.grievance,
                               a.class_code, np.float32(params.min_grievance), JAIL, rate, float(rate.max() * match.max()),
                               match, s0.indptr, s0.indices, s1.indptr, s1.indices, s2.indptr, s2.indices)  # fmt: skip
        if idx.size == 0:
            return
        a.org[idx] = joined
        st = a.status[idx]
        st[st == MOB] = ORG
        a.status[idx] = st


@register
class OrgLeadership(TheoryMechanism):
    """M49: leaders tied to the mass struggle and conscious members make an organization's call effective.

    Paraphrase: every successful movement has built a large, politically conscious following that
    can be activated locally and nationally, and has leaders with long-term links to the mass
    struggle (E L221).

    Rule: ``leader_linkage += l49 * sustained * (1 - leader_linkage) - d49 * leader_linkage``
    where ``sustained`` = the org calls an action and at least ``sustained_share`` of its members
    were active last month. The pull on members is
    ``pull = pull_weight * leader_linkage * (1 + member_consciousness)`` while the org calls an
    action, else 0; the activation rule adds ``pull`` of the agent's organization to the factor
    on its grievance (so members of a calling, well-led organization act at lower grievance, and
    nobody without grievance is pulled out).
    """

    name = "org_leadership"
    mids = ("M49",)
    cites = (f"{E} §Sustained L221",)
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.leader_linkage", "orgs.participation", "orgs.calling", "orgs.member_consciousness")
    writes = ("orgs.leader_linkage", "orgs.pull")

    class Params(Params):
        """Parameters of ``org_leadership``."""

        l49: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="growth of leader linkage per month of sustained action (toward 1)",
            why="mechanism_map M49 default (range 0-0.1)")  # fmt: skip
        d49: float = param(0.005, ge=0.0, le=1.0, unit="per month",
            description="decay of leader linkage per month",
            why="mechanism_map M49 default (range 0-0.02)")  # fmt: skip
        sustained_share: float = param(0.2, ge=0.0, le=1.0, unit="share of members",
            description="share of members active for a month to count as sustained action",
            why="placeholder")  # fmt: skip
        pull_weight: float = param(1.0, ge=0.0, le=5.0, unit="factor",
            description="pull at full leader linkage and zero member consciousness",
            why="mechanism_map A0 k_org = 1 (range 0-3)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og = state.orgs
        ex = og.exists
        if not ex.any():
            og.pull[:] = 0
            return
        sustained = ex & og.calling & (og.participation >= params.sustained_share)
        L = og.leader_linkage
        L += (params.l49 * sustained * (1.0 - L) - params.d49 * L * ex).astype(np.float32)
        np.clip(L, 0, 1, out=L)
        og.pull = np.where(ex & og.calling, params.pull_weight * L * (1.0 + og.member_consciousness), 0.0)


# --------------------------------------------------------------------------------------------
# Program, issue settlement, party absorption, fates
# --------------------------------------------------------------------------------------------


@register
class OrgProgram(TheoryMechanism):
    """M41, M44: independent, experienced leadership widens the program; system program plus linkage = linked.

    Paraphrase: whether a single-issue movement advances or retreats depends on its ideology,
    leaders and program; lowest-common-denominator leaders keep to the immediate policy and
    subordinate the movement to electoral politicians (E L36). An eruption becomes a
    radicalizing movement only if it develops a program and leadership linking it to system
    transformation (E L40-L42).

    Rule: each month an org with ``power_orientation = independent`` widens its scope one step
    (issue -> sector -> system) with probability ``u41 * leader_linkage``; electoral-subordinate
    and no-orientation orgs never widen. ``linked = (scope == system) and (leader_linkage >=
    theta44)``.
    """

    name = "org_program"
    mids = ("M41", "M44")
    cites = (f"{E} §AIM L36", f"{E} §AIM L40-L42")
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.scope", "orgs.power_orientation", "orgs.leader_linkage", "orgs.terminal")
    writes = ("orgs.scope", "orgs.linked")

    class Params(Params):
        """Parameters of ``org_program``."""

        u41: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="monthly probability of widening the program one step at full leader linkage (independent orgs)",
            why="mechanism_map M41 default (range 0-0.05)")  # fmt: skip
        theta44: float = param(0.5, ge=0.0, le=1.0, unit="[0,1]",
            description="leader linkage needed for a system program to count as linked",
            why="mechanism_map M44 default (range 0.2-0.8)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og = state.orgs
        cand = np.flatnonzero(og.exists & (og.power_orientation == PO_INDEPENDENT) & (og.scope < SYSTEM)
                              & (og.terminal == T_ACTIVE))  # fmt: skip
        if cand.size:
            up = cand[rng.random(cand.size) < params.u41 * og.leader_linkage[cand]]
            og.scope[up] += 1
        og.linked = og.exists & (og.scope == SYSTEM) & (og.leader_linkage >= params.theta44)


@register
class IssueSettlement(TheoryMechanism):
    """M38: once its issue is settled, an unlinked single-issue movement loses its members fast.

    Paraphrase: single-issue struggles stay apart from a general rejection of imperialism; the
    victory or defeat of the imperial power "usually ends the mobilizations", as the anti-war
    movement declined when conscription ended and the US withdrew (E L30). A program and
    leadership linking the issue to the system keep participation alive (M44, E L40-L42).

    Rule (with the map's A3 bookkeeping): an org's issue is ``seen`` once its event is in force
    in its country and ``resolved`` when a seen issue is no longer in force (ended by the
    timeline or withdrawn under pressure, M67). Members of a resolved, unlinked org without an
    independent power orientation leave each month with probability ``ln 2 / h(scope)``
    (``h_issue``, ``h_sector``; no forced exit for a system scope). Leavers become quiescent and
    join the carry-over pool (``ex_member``, M43).
    """

    name = "issue_settlement"
    mids = ("M38",)
    cites = (f"{E} §AIM L30", f"{E} §AIM L40-L42")
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.issue", "orgs.country", "orgs.issue_seen", "orgs.linked", "orgs.scope",
             "orgs.power_orientation", "agents.org", "agents.status", "orgs.exits",
             *(f"countries.{k}" for k in EVENT_NAMES))  # fmt: skip
    writes = ("orgs.issue_seen", "orgs.issue_resolved", "agents.org", "agents.status", "agents.ex_member", "orgs.exits")

    class Params(Params):
        """Parameters of ``issue_settlement``."""

        h_issue: float = param(2.0, gt=0.0, le=600.0, unit="months",
            description="membership half-life of an issue-scope movement after its issue is settled",
            why="mechanism_map M38 default (range 1-6); E L30 says mobilizations 'usually end'")  # fmt: skip
        h_sector: float = param(6.0, gt=0.0, le=600.0, unit="months",
            description="membership half-life of a sector-scope movement after its issue is settled",
            why="mechanism_map M38 default (range 3-18)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, a = state.orgs, state.agents
        level = issue_level(state)
        has_issue = og.exists & (og.issue >= 0)
        og.issue_seen |= has_issue & (level > 0)
        og.issue_resolved = has_issue & og.issue_seen & (level <= 0)
        half = np.where(og.scope == ISSUE, params.h_issue, np.where(og.scope == SECTOR, params.h_sector, np.inf))
        decays = og.issue_resolved & ~og.linked & (og.power_orientation != PO_INDEPENDENT) & (og.members > 0)
        if not decays.any():
            return
        p = np.where(decays, math.log(2.0) / half, 0.0).astype(np.float32)
        idx = np.flatnonzero(_ext(p)[a.org] > 0)
        out = idx[rng.random(idx.size, dtype=np.float32) < p[a.org[idx]]]
        _leave(a, og, out)
        a.ex_member[out] = True


@register
class PartyAbsorption(TheoryMechanism):
    """M39: activists leave for mainstream party politics, most from electoral-subordinate movements.

    Paraphrase: many single-issue activists joined the liberal wing of the Democratic Party in
    the US, or reformist pro-NATO parties in Europe (E L30-L32).

    Rule: each month a member leaves for party politics (``party_absorbed``, org -1, quiescent)
    with probability ``p39 * (1 + 2 * issue_resolved)`` in an electoral-subordinate org,
    ``none_factor * p39`` with no power orientation, ``independent_factor * p39`` with an
    independent one. Absorbed agents are no longer recruitment candidates.
    """

    name = "party_absorption"
    mids = ("M39",)
    cites = (f"{E} §AIM L30-L32",)
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.power_orientation", "orgs.issue_resolved", "agents.org", "agents.status",
             "orgs.exits", "orgs.absorbed")  # fmt: skip
    writes = ("agents.party_absorbed", "agents.org", "agents.status", "orgs.exits", "orgs.absorbed")

    class Params(Params):
        """Parameters of ``party_absorption``."""

        p39: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly absorption probability of a member of an electoral-subordinate org with its issue open",
            why="mechanism_map M39 default (range 0-0.1)")  # fmt: skip
        none_factor: float = param(0.3, ge=0.0, le=1.0, unit="factor",
            description="absorption rate of orgs with no power orientation, relative to p39",
            why="mechanism_map M39 default")  # fmt: skip
        independent_factor: float = param(0.05, ge=0.0, le=1.0, unit="factor",
            description="absorption rate of independent orgs, relative to p39",
            why="mechanism_map M39 default")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, a = state.orgs, state.agents
        base = np.select([og.power_orientation == PO_ELECTORAL, og.power_orientation == PO_NONE],
                         [1.0 + 2.0 * og.issue_resolved, params.none_factor], params.independent_factor)  # fmt: skip
        p = np.where(og.exists & (og.members > 0), params.p39 * base, 0.0).astype(np.float32)
        if not (p > 0).any():
            return
        idx = np.flatnonzero(a.org >= 0)
        out = idx[rng.random(idx.size, dtype=np.float32) < p[a.org[idx]]]
        _leave(a, og, out, absorbed=True)
        a.party_absorbed[out] = True


@register
class OrgFates(TheoryMechanism):
    """M40: single-issue movements end residual, dissolved into party politics, or (rarely) escalated.

    Paraphrase: single-issue movements leave residual effects in the medium term, dissolve into
    traditional politics, or in a few cases feed into larger social movements, as anti-colonial
    struggles fed Paris 1968 and the Italian "hot autumn" (E L34). Escalation needs a program and
    leadership linking the issue to the system (M44, E L40-L42).

    Rule, per org and month (ages and peaks are tracked here): ``age += 1``; ``peak_active`` is
    the largest count of active members. A movement that started with issue or sector scope
    and is now ``linked`` becomes ``escalated`` (it is no longer bound to its issue and continues
    as a system-level movement). Otherwise, once active members stay below ``eps40 * peak`` for
    ``end_months`` months (after a peak of at least ``min_peak`` members), or has had no members
    for that long, it ends: ``dissolved``
    if at least ``absorbed_share`` of its exits went to party politics, else ``residual`` (the
    country's organizational tradition gains ``residual_tradition * (1 - tradition)``). An
    ended row stops existing and its members leave. A row new this month (age 0: scenario start
    or founded by any family) has this bookkeeping reset first.
    """

    name = "org_fates"
    mids = ("M40",)
    cites = (f"{E} §AIM L34", f"{E} §AIM L40-L42")
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.age_months", "orgs.participation", "orgs.members", "orgs.peak_active",
             "orgs.peak_age", "orgs.low_months", "orgs.start_scope", "orgs.scope", "orgs.linked", "orgs.terminal",
             "orgs.exits", "orgs.absorbed", "orgs.country", "orgs.issue", "countries.organizational_tradition",
             "agents.org", "agents.status")  # fmt: skip
    writes = ("orgs.age_months", "orgs.peak_active", "orgs.peak_age", "orgs.low_months", "orgs.start_scope",
              "orgs.issue_seen", "orgs.issue_resolved", "orgs.months_since_call", "orgs.cum_disruption",
              "orgs.absorbed", "orgs.terminal", "orgs.ended_month", "orgs.exists", "orgs.issue", "orgs.exits",
              "countries.organizational_tradition", "agents.org", "agents.status", "agents.ex_member")  # fmt: skip

    class Params(Params):
        """Parameters of ``org_fates``."""

        eps40: float = param(0.1, ge=0.0, le=1.0, unit="share of peak",
            description="active members below this share of the peak count as a dying movement",
            why="mechanism_map M40 default (range 0.02-0.3)")  # fmt: skip
        end_months: int = param(6, ge=1, le=120, unit="months",
            description="consecutive months below the end share before the movement ends",
            why="mechanism_map M40 default")  # fmt: skip
        min_peak: float = param(20.0, ge=0.0, le=1e9, unit="agents",
            description="smallest peak (active members) for the end rule to apply",
            why="keeps orgs that never mobilized from ending on noise; placeholder")  # fmt: skip
        absorbed_share: float = param(0.5, ge=0.0, le=1.0, unit="share of exits",
            description="share of exits to party politics above which the end is 'dissolved'",
            why="mechanism_map M40 default")  # fmt: skip
        residual_tradition: float = param(0.05, ge=0.0, le=1.0, unit="[0,1]",
            description="gain in the country's organizational tradition when a movement ends residual",
            why="mechanism_map M40 default (range 0-0.2)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og = state.orgs
        ex = og.exists
        if not ex.any():
            return
        fresh = ex & (og.age_months == 0)  # new this month (scenario start, or founded by any family)
        if fresh.any():
            og.start_scope[fresh] = og.scope[fresh]
            og.terminal[fresh] = T_ACTIVE
            for col in ("ended_month", "exits", "absorbed", "peak_active", "peak_age", "low_months", "cum_disruption"):
                og.columns()[col][fresh] = 0
            og.issue_seen[fresh] = False
            og.issue_resolved[fresh] = False
            og.months_since_call[fresh] = 999
        og.age_months[ex] += 1
        active = og.participation * og.members
        up = ex & (active > og.peak_active)
        og.peak_active[up] = active[up]
        og.peak_age[up] = og.age_months[up]
        live = ex & (og.terminal == T_ACTIVE)
        esc = live & og.linked & (og.start_scope < SYSTEM) & (og.issue >= 0)
        og.terminal[esc] = T_ESCALATED
        og.ended_month[esc] = ctx.t
        og.issue[esc] = -1
        low = live & ~esc & (((og.peak_active >= params.min_peak) & (active < params.eps40 * og.peak_active))
                             | ((og.members == 0) & (og.age_months > 1)))  # fmt: skip
        og.low_months = np.where(low, og.low_months + 1, 0).astype(np.int16)
        ends = np.flatnonzero(low & (og.low_months >= params.end_months))
        if ends.size == 0:
            return
        dissolved = og.absorbed[ends] >= params.absorbed_share * np.maximum(og.exits[ends], 1)
        og.terminal[ends] = np.where(dissolved, T_DISSOLVED, T_RESIDUAL)
        og.ended_month[ends] = ctx.t
        og.exists[ends] = False
        for j in ends[~dissolved]:
            c = og.country[j]
            tr = state.countries.organizational_tradition
            tr[c] += params.residual_tradition * (1.0 - tr[c])
        a = state.agents
        gone = np.zeros(og.n + 1, dtype=bool)
        gone[ends] = True
        idx = np.flatnonzero(gone[a.org])
        _leave(a, og, idx)
        a.ex_member[idx] = True


@register
class IssueMovementFounding(TheoryMechanism):
    """M43: a new issue draws a new single-issue movement, seeded by activists of earlier movements.

    Paraphrase: activists of the anti-globalization movement moved to the anti-war movement, which
    surged and then collapsed after the conquest (E L38): activists carry over from one issue to
    the next, and the new movement has the same termination rule (M38).

    Rule: in a country where an issue event is in force and no existing org has that issue, a
    single-issue org (issue scope, no power orientation, multi-class, demonstrations) is founded
    in a free slot with probability ``f43 * max(0, mean_grievance - theta43)`` a month. Its
    founding members are former single-issue activists of the country (``ex_member``, not
    party-absorbed, free), each joining with probability ``t43``, plus a share ``seed_share`` of
    the country's agents with grievance above ``theta43`` (so a first issue can start one). It
    then recruits through M45 and decays through M38.
    """

    name = "issue_movement_founding"
    mids = ("M43",)
    cites = (f"{E} §AIM L38",)
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.issue", "orgs.country", "orgs.members", "countries.mean_grievance",
             "agents.ex_member", "agents.party_absorbed", "agents.org", "agents.status", "agents.country",
             "agents.grievance", *(f"countries.{k}" for k in EVENT_NAMES))  # fmt: skip
    writes = ("orgs.exists", "orgs.scope", "orgs.power_orientation", "orgs.form", "orgs.class_base", "orgs.tactic",
              "orgs.target", "orgs.issue", "orgs.leader_linkage", "orgs.credibility", "orgs.tradition",
              "orgs.reformer_share", "orgs.legal", "orgs.armed", "orgs.issue_resolved", "orgs.issue_seen",
              "orgs.linked", "orgs.age_months", "orgs.start_scope", "orgs.peak_active", "orgs.peak_age",
              "orgs.low_months", "orgs.terminal", "orgs.ended_month", "orgs.exits", "orgs.absorbed", "orgs.pull",
              "orgs.calling", "agents.org", "agents.ex_member")  # fmt: skip

    #: Issues that can start a single-issue movement: policy and war drivers (not structural ones).
    ISSUES = ("occupation", "ground_war", "conscription", "privatization", "structural_adjustment", "debt_service",
              "free_trade_agreement", "crop_eradication", "mine_closure", "air_war", "counterinsurgency")  # fmt: skip

    class Params(Params):
        """Parameters of ``issue_movement_founding``."""

        f43: float = param(0.5, ge=0.0, le=10.0, unit="per month per unit excess grievance",
            description="founding rate of a single-issue movement per unit of mean grievance above theta43",
            why="placeholder; E L38 describes the carry-over, not a rate")  # fmt: skip
        theta43: float = param(0.2, ge=0.0, le=1.0, unit="[0,1]",
            description="mean grievance above which an open issue can start a movement",
            why="placeholder")  # fmt: skip
        t43: float = param(0.3, ge=0.0, le=1.0, unit="probability",
            description="probability that a former single-issue activist joins the new movement",
            why="mechanism_map M43 default (range 0-0.8)")  # fmt: skip
        seed_share: float = param(0.002, ge=0.0, le=1.0, unit="share",
            description="share of the country's aggrieved agents among the founders",
            why="placeholder: a small founding core")  # fmt: skip
        leader_linkage: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="leader linkage of a newly founded single-issue movement",
            why="placeholder: new leaders without long histories (E L221 by contrast)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, cs, a = state.orgs, state.countries, state.agents
        cols = cs.columns()
        excess = np.maximum(cs.mean_grievance - params.theta43, 0.0)
        if not (excess > 0).any():
            return
        for k in self.ISSUES:
            ki = EVENT_NAMES.index(k)
            for c in np.flatnonzero((cols[k] > 0) & (excess > 0)):
                if (og.exists & (og.issue == ki) & (og.country == c)).any():
                    continue
                if rng.random() >= params.f43 * excess[c]:
                    continue
                j = _found(state, int(c), ctx.t, scope=ISSUE, power=PO_NONE, form=ORG_FORMS.index("hybrid"),
                           class_base=-1, tactic=TACTICS.index("demonstration"), target=2, issue=ki,
                           leader_linkage=params.leader_linkage)  # fmt: skip
                if j < 0:
                    continue
                free = (a.country == c) & (a.org < 0) & (a.status < JAIL) & ~a.party_absorbed
                pool = np.flatnonzero(free & a.ex_member)
                join = pool[rng.random(pool.size) < params.t43]
                fresh = np.flatnonzero(free & ~a.ex_member & (a.grievance > params.theta43))
                join = np.concatenate([join, fresh[rng.random(fresh.size) < params.seed_share]])
                a.org[join] = j
                a.ex_member[join] = False


@register
class InformalOrgFounding(TheoryMechanism):
    """M23: under privatization, organizations of the informal and unemployed form and lead the protest.

    Paraphrase: the displaced and urban poor swell the informal sector, which bears the rate rises
    of privatized utilities; their organizations are at the head of protest against
    privatization (E L139; E L54 for Cochabamba).

    Rule: per country-month, if no organization based on the informal sector (class base C6)
    exists, one is founded in a free slot with probability ``f23 * informal_share *
    privatization`` (informal share = informal or unemployed share of present agents). It has
    sector scope, an independent power orientation, issue ``privatization``, tactic
    ``disruption`` (the prior M63 then updates) and leader linkage drawn from
    U(``leader_lo``, ``leader_hi``); a share ``seed_share`` of the country's aggrieved informal
    or unemployed agents are its founders.
    """

    name = "informal_org_founding"
    mids = ("M23",)
    cites = (f"{E} §ClassStructure L139", f"{E} §Conditions L54")
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.class_base", "orgs.country", "orgs.members", "countries.privatization",
             "countries.unemployment_rate", "agents.employment", "agents.org", "agents.status", "agents.country",
             "agents.grievance", "agents.party_absorbed")  # fmt: skip
    writes = IssueMovementFounding.writes

    class Params(Params):
        """Parameters of ``informal_org_founding``."""

        f23: float = param(0.5, ge=0.0, le=10.0, unit="per month",
            description="founding rate at full informal share and full privatization intensity",
            why="mechanism_map M23 default (range 0.1-2)")  # fmt: skip
        leader_lo: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="lowest leader linkage of a new informal-sector organization",
            why="mechanism_map M23: leader experience ~ U(0.3, 0.8)")  # fmt: skip
        leader_hi: float = param(0.8, ge=0.0, le=1.0, unit="[0,1]",
            description="highest leader linkage of a new informal-sector organization",
            why="mechanism_map M23: leader experience ~ U(0.3, 0.8)")  # fmt: skip
        seed_share: float = param(0.01, ge=0.0, le=1.0, unit="share",
            description="share of aggrieved informal or unemployed agents among the founders",
            why="placeholder: a small founding core")  # fmt: skip
        min_grievance: float = param(0.1, ge=0.0, le=1.0, unit="[0,1]",
            description="grievance a founder must have",
            why="placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, cs, a = state.orgs, state.countries, state.agents
        priv = cs.privatization
        if not priv.any():
            return
        informal_c = None
        for c in np.flatnonzero(priv > 0):
            if (og.exists & (og.country == c) & (og.class_base == C["informal_unemployed"])).any():
                continue
            u = rng.random()
            if u >= params.f23 * priv[c]:  # cannot succeed whatever the informal share: skip the agent pass
                continue
            if informal_c is None:
                emp = a.employment
                inf = (emp == EMPLOY["informal"]) | (emp == EMPLOY["unemployed"])
                informal_c = np.bincount(a.country, weights=inf, minlength=cs.n) / np.maximum(
                    np.bincount(a.country, minlength=cs.n), 1)
            if u >= params.f23 * informal_c[c] * priv[c]:
                continue
            lead = params.leader_lo + (params.leader_hi - params.leader_lo) * rng.random()
            j = _found(state, int(c), ctx.t, scope=SECTOR, power=PO_INDEPENDENT, form=ORG_FORMS.index("horizontal"),
                       class_base=C["informal_unemployed"], tactic=TACTICS.index("disruption"), target=2,
                       issue=EVENT_NAMES.index("privatization"), leader_linkage=lead)  # fmt: skip
            if j < 0:
                continue
            emp = a.employment
            pool = np.flatnonzero((a.country == c) & (a.org < 0) & (a.status < JAIL) & ~a.party_absorbed
                                  & ((emp == EMPLOY["informal"]) | (emp == EMPLOY["unemployed"]))
                                  & (a.grievance >= params.min_grievance))  # fmt: skip
            a.org[pool[rng.random(pool.size) < params.seed_share]] = j
