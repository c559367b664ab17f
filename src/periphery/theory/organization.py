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
    code_lut,
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
_POPULAR_LUT = code_lut(POPULAR)

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
        popular = _POPULAR_LUT[:N_CLASSES]
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


# --------------------------------------------------------------------------------------------
# Coalitions by goal (M62), forums and their sponsors (M69), ideological work (M143)
# --------------------------------------------------------------------------------------------

S1 = "002_dc39e49cc22728c8.txt"  # short statement c. 2005 (theory_spec: S1)
#: Strategic goal of an organization (M62): code 0 secular, 1 religious.
GOALS = ("secular", "religious")
from periphery.theory.world_schema import TARGETS  # noqa: E402  (appended block; keeps the import list above untouched)

_IMPERIAL_TARGET = TARGETS.index("imperial_state")

COLUMNS = COLUMNS + (
    Var("orgs", "goal", "int8", "code", "GOALS: secular or religious strategic goal (M62; read by M94)", 0, "scenario"),
    Var("orgs", "coalition", "int32", "index",
        "coalition of the organization, named by its anchor row (lowest row when formed), -1 if none (M62; M94 may break it)", -1),
    Var("orgs", "splits", "int16", "count", "coalition splits the organization went through (M62, M94)", 0),
    Var("orgs", "position", "float32", "[0,1]",
        "stance toward imperialism: 1 critic, 0 pro-imperial; a forum tracks its sponsors (M69)", 1),
    Var("orgs", "ideological_work", "float32", "[0,1]",
        "intensity of daily ideological and political work, set by the scenario only (M143)", 0, "scenario"),
)  # fmt: skip


@register
class GoalCoalitions(TheoryMechanism):
    """M62: organizations with a common target ally; after the target falls, allies with different goals split.

    Paraphrase: religious and secular anti-imperialist movements of the Third World agree in
    opposing US dominance but differ in their strategic goals (E L259); the present wave mixes
    "secular and clerical forces, socialists and nationalists" (E L98). The spec's hook: shared
    targets give cooperation, different goals give splits after victory and an opening for
    divide and rule (M94, co_optation family, which reads ``goal`` and ``coalition``).

    Rule, per country and month. A coalition is the set of live orgs sharing ``coalition`` (the
    anchor row). Before victory, a live org outside any coalition joins the coalition of the
    other live orgs of its country with the same target (anchor = the lowest row of that
    target group) with probability ``j62``. Victory = the government was ousted within the
    last ``window`` months (``months_since_ouster``) or, for orgs targeting the imperial state,
    the war was given up (``war_withdrawn``). After victory, each coalition whose members have
    different goals splits with probability ``s62`` a month: members whose goal differs from
    the anchor's leave (and form their own coalition if two or more), every member of the split
    coalition counts one in ``splits`` and loses a share ``x62`` of its members (carry-over pool).
    """

    name = "goal_coalitions"
    mids = ("M62",)
    cites = (f"{E} §Conclusion L259", f"{E} §Historical L98")
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.terminal", "orgs.country", "orgs.target", "orgs.goal", "orgs.coalition",
             "orgs.splits", "orgs.exits", "countries.months_since_ouster", "globe.war_withdrawn",
             "agents.org", "agents.status")  # fmt: skip
    writes = ("orgs.coalition", "orgs.splits", "orgs.exits", "agents.org", "agents.status", "agents.ex_member")

    class Params(Params):
        """Parameters of ``goal_coalitions``."""

        j62: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly probability an org joins the coalition of the orgs sharing its target",
            why="mechanism_map M62 default (range 0-0.2); placeholder, no rate in the texts")  # fmt: skip
        s62: float = param(0.3, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a coalition of mixed goals splits after its common target has fallen",
            why="mechanism_map M62 default (range 0.05-0.8)")  # fmt: skip
        x62: float = param(0.1, ge=0.0, le=1.0, unit="share of members",
            description="share of members each org of a split coalition loses",
            why="mechanism_map M62 default (range 0-0.3)")  # fmt: skip
        window: int = param(12, ge=0, le=600, unit="months",
            description="months after an ouster during which the common target counts as fallen",
            why="placeholder: the post-victory period of E L259's divergence")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, cs = state.orgs, state.countries
        live = og.exists & (og.terminal != T_DISSOLVED) & (og.terminal != T_RESIDUAL)
        co = og.coalition
        co[~live] = -1
        if live.sum() < 2 and not (co >= 0).any():
            return
        victory_c = cs.months_since_ouster <= params.window
        withdrawn = bool(state.globe.war_withdrawn[0])
        split_rows: list[int] = []
        for c in np.unique(og.country[live]):
            rows = np.flatnonzero(live & (og.country == c))
            # re-anchor coalitions whose anchor left; a coalition of one is none
            for cid in np.unique(co[rows][co[rows] >= 0]):
                mem = rows[co[rows] == cid]
                new = cid if live[cid] and og.country[cid] == c else mem.min()
                co[mem] = new if mem.size >= 2 else -1
            vic = victory_c[c] | (withdrawn & (og.target[rows] == _IMPERIAL_TARGET))
            # splits after victory
            for cid in np.unique(co[rows][(co[rows] >= 0) & vic]):
                mem = rows[co[rows] == cid]
                if np.unique(og.goal[mem]).size < 2 or rng.random() >= params.s62:
                    continue
                other = mem[og.goal[mem] != og.goal[cid]]
                stay = mem[og.goal[mem] == og.goal[cid]]
                co[other] = other.min() if other.size >= 2 else -1
                co[stay] = cid if stay.size >= 2 else -1
                split_rows.extend(mem.tolist())
            # formation before victory
            for t in np.unique(og.target[rows]):
                if t == 0:
                    continue
                grp = rows[(og.target[rows] == t) & ~vic]
                if grp.size < 2:
                    continue
                inside = grp[co[grp] >= 0]
                anchor = int(co[inside].min()) if inside.size else int(grp.min())
                cand = grp[(co[grp] < 0) & (grp != anchor)]
                join = cand[rng.random(cand.size) < params.j62]
                if join.size:
                    co[join] = anchor
                    co[anchor] = anchor
        if not split_rows:
            return
        sr = np.asarray(split_rows)
        og.splits[sr] += 1
        a = state.agents
        hit = np.zeros(og.n, dtype=bool)
        hit[sr] = True
        idx = np.flatnonzero(_ext(hit, False)[a.org])
        out = idx[rng.random(idx.size, dtype=np.float32) < params.x62]
        _leave(a, og, out)
        a.ex_member[out] = True


@register
class ForumSponsorDrift(TheoryMechanism):
    """M69: a symbolic forum's stance drifts with its sponsors, and so does what it teaches its participants.

    Paraphrase: Latin American forums such as the World Social Forum educate, but their effect
    is mostly symbolic or inspirational for participants; the WSF turned from a critic of
    imperialism into a "much more ambiguous enterprise" as a key sponsor, Brazil's Workers
    Party, became pro-imperial (E L233).

    Rule: a forum is a Big-Event coalition (``is_event_coalition``) in a non-core country. Its
    sponsors' stance in country c is ``sponsor = (1 - ally_defection_c) * (domestic_policy_c if
    holds_state_c else 1)``: an allied party changing course (D43) or a movement-backed
    government drifting to the capital-preferred course (M111/M117) pulls it down. Each month
    ``position += rho69 * (sponsor - position)``. In a month the forum holds its event, each
    active member gains ``c69 * position * (1 - consciousness)``; the forum's effect on policy
    stays M51's small event weight.
    """

    name = "forum_sponsor_drift"
    mids = ("M69",)
    cites = (f"{E} §Tactics L233",)
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.class_base", "orgs.form", "orgs.scope", "orgs.tactic", "orgs.country",
             "orgs.calling", "orgs.position", "countries.is_core", "countries.ally_defection",
             "countries.holds_state", "countries.domestic_policy", "agents.org", "agents.status",
             "agents.consciousness")  # fmt: skip
    writes = ("orgs.position", "agents.consciousness")

    class Params(Params):
        """Parameters of ``forum_sponsor_drift``."""

        rho69: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="share of the gap to the sponsors' stance a forum closes each month",
            why="mechanism_map M69 default (range 0.01-0.5)")  # fmt: skip
        c69: float = param(0.02, ge=0.0, le=1.0, unit="per event",
            description="consciousness gained by an active participant of a forum event at full critical stance (share of the room to 1)",
            why="placeholder: 'educational function', mostly symbolic (E L233); small next to M68's practice")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, cs, a = state.orgs, state.countries, state.agents
        forum = og.exists & is_event_coalition(og) & ~cs.is_core[og.country]
        if not forum.any():
            return
        sponsor = (1.0 - cs.ally_defection) * np.where(cs.holds_state, cs.domestic_policy, 1.0)
        f = np.flatnonzero(forum)
        pos = og.position
        pos[f] += (params.rho69 * (sponsor[og.country[f]] - pos[f])).astype(np.float32)
        np.clip(pos, 0, 1, out=pos)
        event = forum & og.calling
        if not event.any() or params.c69 <= 0:
            return
        gain = np.where(event, params.c69 * pos, 0.0).astype(np.float32)
        idx = np.flatnonzero(_ext(gain)[a.org] > 0)
        st = a.status[idx]
        idx = idx[(st == MOB) | (st == ORG) | (st == ARM)]
        cons = a.consciousness[idx]
        cons += gain[a.org[idx]] * (np.float32(1) - cons)
        a.consciousness[idx] = cons


@register
class IdeologicalWork(TheoryMechanism):
    """M143: where an organization does daily ideological and political work, members' consciousness deepens and it recruits.

    Paraphrase: a 2005 statement reports local activists building independent anti-war,
    anti-imperialist organizations and calls for daily ideological and political work, stronger
    organizations and broad mass actions (S1 L21, L27). Its forecast that "the initiative will
    pass to the people" is not modelled (theory_spec 7.2, X13): nothing here drifts on its own.

    Rule: only orgs whose scenario sets ``ideological_work = w > 0`` act. Each month their
    members gain ``c143 * w * (1 - consciousness)``, and each free agent of the org's country
    outside any organization (not party-absorbed, grievance >= ``min_grievance``, of a popular
    class) joins it with probability ``r143 * w * grievance * match`` (match 1 for the org's
    class base or a multi-class org, ``match_ally`` for another popular class). This is a
    recruitment channel added to M45's ties, not a change of M45's rate (deviation from the map's
    multiplier, which would need an edit of ``org_recruitment``).
    """

    name = "ideological_work"
    mids = ("M143",)
    cites = (f"{S1} L21", f"{S1} L27")
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.terminal", "orgs.ideological_work", "orgs.country", "orgs.class_base",
             "agents.org", "agents.status", "agents.consciousness", "agents.country", "agents.grievance",
             "agents.party_absorbed", "agents.class_code")  # fmt: skip
    writes = ("agents.consciousness", "agents.org", "agents.status")

    class Params(Params):
        """Parameters of ``ideological_work``."""

        c143: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="consciousness gained per month by members at full ideological work (share of the room to 1)",
            why="mechanism_map M143 default (range 0-0.05)")  # fmt: skip
        r143: float = param(0.005, ge=0.0, le=1.0, unit="per month",
            description="monthly join probability of an aggrieved free agent at full ideological work and grievance 1",
            why="placeholder; the map's multiplier r143 = 0.5 recast as a separate channel (see docstring)")  # fmt: skip
        min_grievance: float = param(0.05, ge=0.0, le=1.0, unit="[0,1]",
            description="grievance below which an agent is not reached",
            why="same floor as org_recruitment")  # fmt: skip
        match_ally: float = param(0.5, ge=0.0, le=1.0, unit="factor",
            description="join factor for a popular class other than the org's class base",
            why="mechanism_map M45 default")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, a = state.orgs, state.agents
        iw = og.ideological_work
        on = og.exists & (iw > 0) & (og.terminal != T_DISSOLVED) & (og.terminal != T_RESIDUAL)
        if not on.any():
            return
        gain = np.where(on, params.c143 * iw, 0.0).astype(np.float32)
        idx = np.flatnonzero(_ext(gain)[a.org] > 0)
        cons = a.consciousness[idx]
        cons += gain[a.org[idx]] * (np.float32(1) - cons)
        a.consciousness[idx] = cons
        popular = _POPULAR_LUT
        for j in np.flatnonzero(on):
            c = int(og.country[j])
            lo, hi = np.searchsorted(a.country, [c, c + 1])
            cls = a.class_code[lo:hi]
            g = a.grievance[lo:hi]
            ok = (a.org[lo:hi] < 0) & (a.status[lo:hi] < JAIL) & ~a.party_absorbed[lo:hi] & (g >= params.min_grievance)
            ok &= popular[cls.view(np.uint8)]
            cand = np.flatnonzero(ok)
            if cand.size == 0:
                continue
            cb = og.class_base[j]
            match = np.where((cb < 0) | (cls[cand] == cb), 1.0, params.match_ally)
            p = params.r143 * iw[j] * g[cand] * match
            join = lo + cand[rng.random(cand.size) < p]
            a.org[join] = j
            st = a.status[join]
            st[st == MOB] = ORG
            a.status[join] = st


# --------------------------------------------------------------------------------------------
# Bolivia's three factors (M105); indigenous organizing on a new basis (M123)
# --------------------------------------------------------------------------------------------

I = "001_f7b7902be34493f6.txt"  # Robinson 2006 interview (theory_spec: I)  # noqa: E741

COLUMNS = COLUMNS + (
    Var("countries", "intervention_history", "float32", "[0,1]",
        "accumulated memory of long-term foreign intervention: military, eradication, mine closures, coups (M105)", 0),
    Var("orgs", "dual_track", "bool", "flag",
        "combines direct action with its own independent electoral vehicle, leaders linked to the base (M105)", 0),
    Var("orgs", "autonomy", "float32", "[0,1]", "autonomy of an indigenous organization's base (M123)", 1),
    Var("orgs", "coalition_linked", "bool", "flag", "an indigenous organization linked into a national coalition (M123)", 0),
)  # fmt: skip

_DIRECT_ACTION = np.zeros(len(TACTICS), dtype=bool)
_DIRECT_ACTION[[TACTICS.index(t) for t in ("blockade", "building_takeover", "general_strike", "disruption")]] = True
_M105_DEEP = np.zeros(64, dtype=bool)
_M105_DEEP[[C["peasant_farmer"], C["landless_rural_worker"], C["indigenous_community"], C["industrial_worker"]]] = True
_POPULAR_LUT = np.zeros(64, dtype=bool)
_POPULAR_LUT[list(POPULAR)] = True
_NATIONAL_ISSUES = ("free_trade_agreement", "structural_adjustment", "privatization", "debt_service")
_INDIGENOUS_ISSUES = ("free_trade_agreement", "resource_extraction", "land_titling_end", "agribusiness")


def _largest(og, rows_mask: np.ndarray, n_countries: int) -> np.ndarray:
    """Per country, the row of the largest organization in ``rows_mask`` (-1 if none)."""
    best = np.full(n_countries, -1, dtype=np.int64)
    for j in np.flatnonzero(rows_mask):
        c = og.country[j]
        if best[c] < 0 or og.members[j] > og.members[best[c]]:
            best[c] = j
    return best


@register
class BoliviaSustainedMovement(TheoryMechanism):
    """M105: long intervention, a revolutionary tradition and disciplined mass leadership combining direct action and elections sustain a movement.

    Paraphrase: E explains Bolivia's strong movement by three factors (E L203-L205): long US
    intervention (coups, eradication, mine closures) that left a "deep seated and widespread"
    anti-imperialist consciousness among peasants and workers; a revolutionary tradition giving
    a "capacity for sustained struggle"; and a mass-based, disciplined leadership of coca
    farmers that "combines rural-based direct action with urban electoral politics" and links the
    local demand to national opposition (ALCA).

    Rule, each month (``x`` = max of the country's ``intervention``, ``crop_eradication``,
    ``mine_closure``, ``coup_attempt`` intensities)::

        intervention_history += memory_rate * x * (1 - intervention_history)
        C1-C3, C9: consciousness = max(consciousness, floor * intervention_history)      (1)
        dual_track = exists, independent power orientation, own vehicle (form not horizontal),
                     direct-action main tactic, leader_linkage >= min_linkage          (3)

    The largest dual-track organization of a country recruits nationally (urban and rural):
    each unaffiliated, free popular-class agent with grievance >= ``min_grievance`` joins it with
    probability ``national_rate * leader_linkage * grievance * (1 + tradition_weight *
    revolutionary_tradition)`` (factor (2): the tradition widens the pool's readiness). A
    dual-track organization below system scope widens its program one step (issue -> sector ->
    system) with probability ``link_rate * dual_track_bonus * n`` (``n`` = active national
    policy issues), and its members then observe the macro-micro link.
    """

    name = "bolivia_sustained_movement"
    mids = ("M105",)
    cites = (f"{E} §Sustained L203-L205",)
    phase = "organization"
    reads = ("countries.intervention", "countries.crop_eradication", "countries.mine_closure",
             "countries.coup_attempt", "countries.intervention_history", "countries.revolutionary_tradition",
             *(f"countries.{k}" for k in _NATIONAL_ISSUES), "orgs.exists", "orgs.country", "orgs.power_orientation",
             "orgs.form", "orgs.tactic", "orgs.leader_linkage", "orgs.members", "orgs.scope", "orgs.terminal",
             "agents.country", "agents.class_code", "agents.consciousness", "agents.org", "agents.status",
             "agents.grievance", "agents.party_absorbed")  # fmt: skip
    writes = ("countries.intervention_history", "orgs.dual_track", "orgs.scope", "agents.consciousness",
              "agents.org", "agents.status", "agents.link_observed")  # fmt: skip

    class Params(Params):
        """Parameters of ``bolivia_sustained_movement``."""

        memory_rate: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="growth of the intervention memory at full intensity", why="placeholder; 'long-term' (E L203)")  # fmt: skip
        floor: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="consciousness floor of peasants and workers at full intervention memory",
            why="placeholder; map f105 (E L203 'deep seated and widespread')")  # fmt: skip
        min_linkage: float = param(0.6, ge=0.0, le=1.0, unit="[0,1]",
            description="leader linkage a dual-track organization needs (disciplined mass-based leadership)",
            why="placeholder; E L205")  # fmt: skip
        national_rate: float = param(0.005, ge=0.0, le=1.0, unit="per month",
            description="monthly join probability of a popular-class agent at full linkage and grievance",
            why="placeholder; map M105 (3): recruitment across urban and rural classes")  # fmt: skip
        min_grievance: float = param(0.1, ge=0.0, le=1.0, unit="[0,1]",
            description="grievance below which an agent is not drawn in", why="placeholder")  # fmt: skip
        tradition_weight: float = param(1.0, ge=0.0, le=5.0, unit="factor",
            description="how much the revolutionary tradition raises readiness to be drawn in",
            why="placeholder; E L203 'capacity for sustained struggle'")  # fmt: skip
        link_rate: float = param(0.03, ge=0.0, le=1.0, unit="per month per issue",
            description="monthly probability of widening the program per active national issue",
            why="map l55 (M55 default)")  # fmt: skip
        dual_track_bonus: float = param(2.0, ge=1.0, le=4.0, unit="factor",
            description="factor on the widening probability for a dual-track organization", why="map dual_track_bonus")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, og, a = state.countries, state.orgs, state.agents
        x = np.maximum.reduce([cs.intervention, cs.crop_eradication, cs.mine_closure, cs.coup_attempt])
        h = cs.intervention_history
        h += (params.memory_rate * x * (1.0 - h)).astype(np.float32)
        if h.any():
            fl = (np.float32(params.floor) * h)[a.country]
            idx = np.flatnonzero(_M105_DEEP[a.class_code] & (a.consciousness < fl))
            a.consciousness[idx] = fl[idx]
        dual = (og.exists & (og.terminal == T_ACTIVE) & (og.power_orientation == PO_INDEPENDENT)
                & (og.form != HORIZONTAL) & _DIRECT_ACTION[og.tactic] & (og.leader_linkage >= params.min_linkage))  # fmt: skip
        og.dual_track[:] = dual
        if not dual.any():
            return
        n_issues = sum((cs.columns()[k] > 0).astype(np.int32) for k in _NATIONAL_ISSUES)
        rows = np.flatnonzero(dual & (og.scope < SYSTEM))
        widen = rows[rng.random(rows.size) < params.link_rate * params.dual_track_bonus * n_issues[og.country[rows]]]
        if widen.size:
            og.scope[widen] += 1
            lut = np.zeros(og.n + 1, dtype=bool)
            lut[widen] = True
            a.link_observed[lut[a.org]] = True
        best = _largest(og, dual, cs.n)
        lin = np.where(best >= 0, og.leader_linkage[np.maximum(best, 0)], 0.0)
        rate = (params.national_rate * lin * (1.0 + params.tradition_weight * cs.revolutionary_tradition)).astype(np.float32)
        r_a = rate[a.country]
        pool = np.flatnonzero((r_a > 0) & (a.org < 0) & (a.status < ORG) & _POPULAR_LUT[a.class_code]
                              & (a.grievance >= params.min_grievance) & ~a.party_absorbed)  # fmt: skip
        join = pool[rng.random(pool.size, dtype=np.float32) < r_a[pool] * a.grievance[pool]]
        if join.size:
            a.org[join] = best[a.country[join]]
            st = a.status[join]
            st[st == MOB] = ORG
            a.status[join] = st


@register
class IndigenousOrganizing(TheoryMechanism):
    """M123: indigenous communities organize on a new basis; class-only programs fail to hold them; linkage trades autonomy for reach.

    Paraphrase: the twentieth-century Left built broad class bases but often "ignored particular
    ethnic and racial oppression"; after its collapse, indigenous communities "organized on a
    new basis" and have led popular movements, e.g. the resistance to the FTA in Colombia (I
    L41). The open problem is how to "preserve autonomy at the base" while linking diverse forces
    in a collective project (I L17). TNC side of X10 (in the IMP set C3 is a class fraction).

    Rule, each month (TNC set)::

        indigenous agents:            grievance = max(grievance, ethnic_grievance)   (ethnic axis)
        indigenous members of organizations whose class base is not C3 (class-only programs)
                                      leave with prob exit_rate * (1 - class_match)
        indigenous organization (class base C3), the largest per country:
            unaffiliated free indigenous agents with grievance >= min_grievance join with prob
            join_rate * leader_linkage * (link_reach if coalition_linked else 1)
        unlinked indigenous organization, national issue at intensity y (FTA, extraction,
        communal titles, agribusiness): links into the national coalition with prob
        link_rate * y; on linking autonomy -= autonomy_cost.

    The trade-off is recorded (reach up, autonomy down); no preference is built in.
    """

    name = "indigenous_organizing"
    mids = ("M123",)
    cites = (f"{I} L41", f"{I} L17")
    framework = "tnc"
    phase = "organization"
    reads = ("agents.indigenous", "agents.grievance", "agents.org", "agents.status", "agents.country",
             "agents.party_absorbed", "orgs.exists", "orgs.country", "orgs.class_base", "orgs.terminal",
             "orgs.leader_linkage", "orgs.members", "orgs.autonomy", "orgs.coalition_linked",
             *(f"countries.{k}" for k in _INDIGENOUS_ISSUES))  # fmt: skip
    writes = ("agents.grievance", "agents.org", "agents.status", "orgs.autonomy", "orgs.coalition_linked",
              "orgs.exits")  # fmt: skip

    class Params(Params):
        """Parameters of ``indigenous_organizing``."""

        ethnic_grievance: float = param(0.45, ge=0.0, le=1.0, unit="[0,1]",
            description="grievance floor of indigenous agents from ethnic and racial oppression",
            why="placeholder; midpoint of the map's 0.3-0.6")  # fmt: skip
        class_match: float = param(0.3, ge=0.0, le=1.0, unit="factor",
            description="how well a class-only organization holds indigenous members (1 = as well as its own class)",
            why="map m123")  # fmt: skip
        exit_rate: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly exit probability of an indigenous member of a class-only organization at class_match 0",
            why="placeholder")  # fmt: skip
        join_rate: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly join probability of an unaffiliated indigenous agent at full leader linkage",
            why="placeholder; indigenous organizations recruit at the full rate (map M123)")  # fmt: skip
        min_grievance: float = param(0.1, ge=0.0, le=1.0, unit="[0,1]",
            description="grievance below which an agent is not drawn in", why="placeholder")  # fmt: skip
        link_rate: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly linking probability of an indigenous organization at full national-issue intensity",
            why="placeholder; I L41 (national FTA resistance)")  # fmt: skip
        link_reach: float = param(1.5, ge=1.0, le=5.0, unit="factor",
            description="recruitment factor of a linked indigenous organization", why="map M123 reach x1.5")  # fmt: skip
        autonomy_cost: float = param(0.2, ge=0.0, le=1.0, unit="[0,1]",
            description="autonomy an indigenous organization loses on linking", why="map M123")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, og, cs = state.agents, state.orgs, state.countries
        ind = np.flatnonzero(a.indigenous)
        if ind.size == 0:
            return
        g = a.grievance
        low = ind[g[ind] < params.ethnic_grievance]
        g[low] = np.float32(params.ethnic_grievance)
        own = og.exists & (og.class_base == C["indigenous_community"]) & (og.terminal == T_ACTIVE)
        # class-only organizations fail to hold indigenous members
        o = a.org[ind]
        mem = ind[o >= 0]
        mem = mem[~own[a.org[mem]]]
        leave = mem[rng.random(mem.size, dtype=np.float32) < params.exit_rate * (1.0 - params.class_match)]
        _leave(a, og, leave)
        if not own.any():
            return
        # linking into a national coalition: reach up, autonomy down
        y = np.maximum.reduce([cs.columns()[k] for k in _INDIGENOUS_ISSUES])
        cand = np.flatnonzero(own & ~og.coalition_linked)
        link = cand[rng.random(cand.size) < params.link_rate * y[og.country[cand]]]
        og.coalition_linked[link] = True
        og.autonomy[link] = np.maximum(og.autonomy[link] - np.float32(params.autonomy_cost), np.float32(0))
        # indigenous organizations recruit indigenous agents at the full rate
        best = _largest(og, own, cs.n)
        b0 = np.maximum(best, 0)
        rate = np.where(best >= 0, params.join_rate * og.leader_linkage[b0]
                        * np.where(og.coalition_linked[b0], params.link_reach, 1.0), 0.0).astype(np.float32)  # fmt: skip
        pool = ind[(a.org[ind] < 0) & (a.status[ind] < ORG) & (g[ind] >= params.min_grievance) & ~a.party_absorbed[ind]]
        r = rate[a.country[pool]]
        join = pool[rng.random(pool.size, dtype=np.float32) < r]
        if join.size:
            a.org[join] = best[a.country[join]]
            st = a.status[join]
            st[st == MOB] = ORG
            a.status[join] = st
