"""Tactics family: tactic choice, events versus sustained action, policy reversal, education by practice.

What the texts claim (theory_spec 3.6, source E): direct action grows where the electoral
channel has failed (M63); Big Events bring many together once, keep few activists and change
little, while sustained direct action (blockades, takeovers, general strikes) forces policy
reversals (M51, M66, M67); day-to-day struggles involve more workers and peasants and educate
through practice (M68).

Tactics are the T1-T16 codes of ``world_schema.TACTICS``; the map's "direct action" is
``blockade`` and ``building_takeover``, its "strike" is ``general_strike``. Every functional form
and default is a modeller's choice (theory_spec 7.4).
"""

from __future__ import annotations

import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.organization import (
    PO_ELECTORAL,
    T_DISSOLVED,
    T_RESIDUAL,
    _ext,
    _leave,
    is_event_coalition,
    issue_level,
)
from periphery.theory.world_schema import EVENT_NAMES, STATUS, TACTICS, Var

E = "000_c5680132a7806926.txt"  # Petras 2003 (theory_spec: E)

ORG, ARM = STATUS["organized"], STATUS["armed"]
T = {n: i for i, n in enumerate(TACTICS)}
#: Tactics an organization chooses among (M63); armed orgs and Big-Event coalitions keep theirs.
CHOICE = ("demonstration", "blockade", "general_strike", "electoral", "disruption")
#: Economic paralysis per month of each tactic (M51): direct action paralyses most, events least.
PARALYSIS = np.full(len(TACTICS), 0.1)
for _name, _v in (("blockade", 1.0), ("building_takeover", 1.0), ("general_strike", 0.8), ("disruption", 0.8),
                  ("armed_struggle", 0.5), ("demonstration", 0.2), ("referendum", 0.05), ("electoral", 0.0),
                  ("lobbying", 0.0), ("public_opinion", 0.05)):  # fmt: skip
    PARALYSIS[T[_name]] = _v
#: Tactics of sustained struggle that educate by practice (M68).
PRACTICE = tuple(T[n] for n in ("blockade", "building_takeover", "general_strike", "disruption", "armed_struggle"))
#: Policies sustained disruption can force a government to withdraw, and those it can only limit (M67).
WITHDRAWABLE = ("privatization", "structural_adjustment", "debt_service", "free_trade_agreement", "mine_closure",
                "land_titling_end")  # fmt: skip
LIMITABLE = ("crop_eradication", "intervention", "counterinsurgency")

COLUMNS = (
    Var("orgs", "disruption", "float32", "share", "this month's active members / country population x paralysis of its tactic (M51)", 0),
    Var("orgs", "cum_disruption", "float32", "share", "12-month moving mean of disruption (M51, read by M67)", 0),
    Var("orgs", "months_since_call", "int16", "months", "months since the org last called an action; 999 if never (M66)", 999),
    Var("countries", "electoral_credibility", "float32", "[0,1]", "credibility of the left electoral alternative (M63)", 0.5),
    Var("countries", "policy_withdrawn", "int64", "bitmask", "bit k: event kind k withdrawn under pressure while scheduled (M67); World applies it", 0),
    Var("countries", "policy_limited", "int64", "bitmask", "bit k: event kind k halved under pressure while scheduled (M67); World applies it", 0),
)  # fmt: skip


@register
class TacticChoice(TheoryMechanism):
    """M63: organizations turn to direct action where the electoral channel has failed; the informal turn to disruption.

    Paraphrase: direct action works, and it is itself a response to the failures and betrayals
    of ex-leftist electoral parties; where there is no significant electoral or union
    alternative, opposition is forced "into the street" (E L227). Informal and unemployed
    workers, outside the workplace, act by disruption rather than strikes (map P38 lever, with
    M23).

    Rule: the credibility ``cred`` of the left electoral alternative moves toward ``cred0`` at
    ``recover`` a month and falls by ``drop * ally_defection * cred`` while an ally changes
    course (D43). Each month an org revises its tactic with probability ``revise``, drawing from
    a softmax (temperature 1) over::

        demonstration   u0
        blockade        u0 + u63 * (1 - cred)                     (direct action)
        electoral       u0 + u63 * cred * democratic_space + u_sub * [electoral-subordinate]
        disruption      u0 + u_dis * informal_share of members
        general_strike  u0 + u_strike * formal_share of members

    plus ``u_keep`` on its current tactic. Armed organizations and Big-Event coalitions keep
    their tactic.
    """

    name = "tactic_choice"
    mids = ("M63",)
    cites = (f"{E} §Tactics L227",)
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.armed", "orgs.tactic", "orgs.informal_share", "orgs.formal_share", "orgs.power_orientation",
             "orgs.country", "orgs.class_base", "orgs.form", "orgs.scope", "countries.electoral_credibility",
             "countries.ally_defection", "countries.democratic_space")  # fmt: skip
    writes = ("orgs.tactic", "countries.electoral_credibility")

    class Params(Params):
        """Parameters of ``tactic_choice``."""

        u0: float = param(0.0, ge=-10.0, le=10.0, unit="utility", description="base utility of every tactic",
            why="reference level")  # fmt: skip
        u63: float = param(2.0, ge=0.0, le=10.0, unit="utility",
            description="weight of electoral credibility in the direct-action vs electoral utilities",
            why="mechanism_map M63 default (range 0-5)")  # fmt: skip
        u_dis: float = param(1.0, ge=0.0, le=10.0, unit="utility",
            description="added utility of disruption at an all-informal membership",
            why="mechanism_map M63 default (range 0-3); P38 lever")  # fmt: skip
        u_strike: float = param(1.0, ge=0.0, le=10.0, unit="utility",
            description="added utility of a strike at an all-formal membership",
            why="placeholder, symmetric to u_dis")  # fmt: skip
        u_sub: float = param(1.0, ge=0.0, le=10.0, unit="utility",
            description="added utility of electoral tactics for electoral-subordinate orgs",
            why="placeholder: subordination to party politicians (E L36)")  # fmt: skip
        u_keep: float = param(1.0, ge=0.0, le=10.0, unit="utility",
            description="added utility of the current tactic (inertia)", why="placeholder")  # fmt: skip
        revise: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="monthly probability an org reconsiders its tactic", why="placeholder")  # fmt: skip
        cred0: float = param(0.5, ge=0.0, le=1.0, unit="[0,1]",
            description="credibility of the electoral alternative in the absence of defections",
            why="placeholder (initial value of the column too)")  # fmt: skip
        recover: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="share of the gap to cred0 recovered each month", why="placeholder: slow recovery")  # fmt: skip
        drop: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="share of credibility lost per month of an ally's change of course at full intensity",
            why="placeholder; E L227 names the betrayals, not a rate")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, cs = state.orgs, state.countries
        cred = cs.electoral_credibility
        cred += (params.recover * (params.cred0 - cred) - params.drop * cs.ally_defection * cred).astype(np.float32)
        np.clip(cred, 0, 1, out=cred)
        cand = np.flatnonzero(og.exists & ~og.armed & ~is_event_coalition(og))
        if cand.size == 0:
            return
        cand = cand[rng.random(cand.size) < params.revise]
        if cand.size == 0:
            return
        c = og.country[cand]
        inf = og.informal_share[cand].astype(np.float64)
        u = np.full((cand.size, len(CHOICE)), params.u0)
        u[:, 1] += params.u63 * (1.0 - cred[c])
        u[:, 3] += params.u63 * cred[c] * cs.democratic_space[c] + params.u_sub * (og.power_orientation[cand] == PO_ELECTORAL)
        u[:, 4] += params.u_dis * inf
        u[:, 2] += params.u_strike * og.formal_share[cand]
        codes = np.array([T[n] for n in CHOICE])
        u += params.u_keep * (og.tactic[cand][:, None] == codes[None, :])
        w = np.exp(u - u.max(axis=1, keepdims=True))
        cum = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
        pick = (rng.random(cand.size)[:, None] > cum).sum(axis=1)
        og.tactic[cand] = codes[np.minimum(pick, len(CHOICE) - 1)]


@register
class OrgAction(TheoryMechanism):
    """M51: events bring people out for a month; sustained organizations act every month and accumulate disruption.

    Paraphrase: events such as the Brazilian referendum or the social forums bring forces
    together at one moment and then disband, while ongoing organized movements such as the
    Bolivian coca growers struggle continuously and change imperial rule more than publicized
    international events (E L185).

    Rule: an org calls an action this month if it exists, has members, has not ended, and its
    issue is in force (or it has no single issue, or it is linked, M44); a Big-Event coalition
    (``is_event_coalition``) calls only once every ``event_interval`` months. Its disruption is
    ``active members / country population * paralysis(tactic)`` (times ``omega_event`` for an
    event), and ``cum_disruption`` is its 12-month moving mean: policy effects (M67) read that
    integral, not the peak.
    """

    name = "org_action"
    mids = ("M51",)
    cites = (f"{E} §AIMRegimes L185",)
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.members", "orgs.terminal", "orgs.issue", "orgs.country", "orgs.linked",
             "orgs.participation", "orgs.tactic", "orgs.class_base", "orgs.form", "orgs.scope",
             "orgs.months_since_call", "orgs.cum_disruption", "countries.n_alive",
             *(f"countries.{k}" for k in EVENT_NAMES))  # fmt: skip
    writes = ("orgs.calling", "orgs.disruption", "orgs.cum_disruption", "orgs.months_since_call")

    class Params(Params):
        """Parameters of ``org_action``."""

        event_interval: int = param(12, ge=1, le=600, unit="months",
            description="months between two Big Events of an event coalition",
            why="mechanism_map P5 design: one event every 12 months (annual summits, forums)")  # fmt: skip
        omega_event: float = param(0.05, ge=0.0, le=1.0, unit="factor",
            description="weight of a Big Event's participation in disruption",
            why="mechanism_map M51 default (range 0-0.2): a one-day event paralyses little")  # fmt: skip
        window: float = param(12.0, ge=1.0, le=600.0, unit="months",
            description="length of the moving mean of disruption",
            why="mechanism_map M67: 12-month window")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, cs = state.orgs, state.countries
        ev = is_event_coalition(og)
        level = issue_level(state)
        live = og.exists & (og.members > 0) & (og.terminal != T_DISSOLVED) & (og.terminal != T_RESIDUAL)
        open_issue = (og.issue < 0) | (level > 0) | og.linked
        msc = og.months_since_call
        due = msc >= params.event_interval
        calling = live & open_issue & (~ev | due)
        og.calling = calling
        og.months_since_call = np.where(calling, 0, np.minimum(msc.astype(np.int32) + 1, 999))
        pop = np.maximum(cs.n_alive, 1)[og.country].astype(np.float64)
        d = og.participation * og.members / pop * PARALYSIS[og.tactic] * np.where(ev, params.omega_event, 1.0)
        d = np.where(og.exists, d, 0.0)
        og.disruption = d
        og.cum_disruption += ((d - og.cum_disruption) / params.window).astype(np.float32)


@register
class EventRetention(TheoryMechanism):
    """M66: after a Big Event, heterogeneous coalitions keep few of their participants.

    Paraphrase: northern movements mix reformers of imperialism, anti-capitalist radicals and
    protectionist unionists, which makes it hard to turn participants into ongoing activists;
    Big Events leave little lasting effect on political structures (E L235).

    Rule: in the month after a Big-Event coalition's event has brought its members out (its
    call was two months ago), each member stays with probability ``ret = ret0 * (1 - h66 *
    heterogeneity)`` and otherwise leaves (quiescent, carry-over pool). Class-based and other
    sustained organizations have no such purge. The event's near-zero policy weight is M51's
    ``omega_event``.
    """

    name = "event_retention"
    mids = ("M66",)
    cites = (f"{E} §Tactics L235",)
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.class_base", "orgs.form", "orgs.scope", "orgs.tactic", "orgs.months_since_call",
             "orgs.heterogeneity", "agents.org", "agents.status", "orgs.exits")  # fmt: skip
    writes = ("agents.org", "agents.status", "agents.ex_member", "orgs.exits")

    class Params(Params):
        """Parameters of ``event_retention``."""

        ret0: float = param(0.6, ge=0.0, le=1.0, unit="share",
            description="share of event participants retained by a homogeneous coalition",
            why="mechanism_map M66 default (range 0.3-0.9)")  # fmt: skip
        h66: float = param(0.7, ge=0.0, le=1.0, unit="factor",
            description="how much heterogeneity lowers retention",
            why="mechanism_map M66 default (range 0-1)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, a = state.orgs, state.agents
        after = og.exists & is_event_coalition(og) & (og.months_since_call == 1)
        if not after.any():
            return
        p_leave = np.where(after, 1.0 - params.ret0 * (1.0 - params.h66 * og.heterogeneity), 0.0).astype(np.float32)
        idx = np.flatnonzero(_ext(p_leave)[a.org] > 0)
        out = idx[rng.random(idx.size, dtype=np.float32) < p_leave[a.org[idx]]]
        _leave(a, og, out)
        a.ex_member[out] = True


@register
class PolicyReversal(TheoryMechanism):
    """M67: sustained disruption forces governments to withdraw policies (or limit eradication and intervention).

    Paraphrase: sustained mass blockades, takeovers of public buildings and general strikes
    against privatization paralysed transport and economic activity and forced regimes to
    withdraw privatization decrees, limited US eradication programs and countered US military
    intervention; these tactics are "more tuned to power than to symbolic protests" (E L237).

    Rule: for each country and each scheduled policy in ``WITHDRAWABLE`` or ``LIMITABLE``,
    ``D = sum of cum_disruption of the country's orgs with that issue + general_weight * sum of
    cum_disruption of its orgs without a single issue``; the policy is reversed this month
    with probability ``1 - exp(-kappa67 * D * (1 - repression_damp * repression))``. A reversed
    withdrawable policy is set to 0 and a limitable one halved, for as long as the timeline keeps
    it scheduled (bits of ``policy_withdrawn`` / ``policy_limited``, applied by ``World``); the
    orgs whose issue it was see it settled (M38). ``policy_reversal`` is the share of the
    country's scheduled policies of these kinds that have been reversed.
    """

    name = "policy_reversal"
    mids = ("M67",)
    cites = (f"{E} §Tactics L237",)
    framework = "shared"
    phase = "regime"
    reads = ("orgs.exists", "orgs.country", "orgs.issue", "orgs.cum_disruption", "countries.repression",
             "countries.policy_withdrawn", "countries.policy_limited",
             *(f"countries.{k}" for k in WITHDRAWABLE + LIMITABLE))  # fmt: skip
    writes = ("countries.policy_withdrawn", "countries.policy_limited", "countries.policy_reversal")

    class Params(Params):
        """Parameters of ``policy_reversal``."""

        kappa67: float = param(2.0, ge=0.0, le=100.0, unit="per unit disruption per month",
            description="reversal hazard per unit of 12-month mean disruption",
            why="mechanism_map M67 default (range 0.2-10)")  # fmt: skip
        repression_damp: float = param(0.5, ge=0.0, le=1.0, unit="factor",
            description="how much repression blunts the effect of disruption",
            why="mechanism_map M67 default")  # fmt: skip
        general_weight: float = param(0.5, ge=0.0, le=1.0, unit="factor",
            description="weight of disruption by orgs without a single issue on each scheduled policy",
            why="placeholder: sector and system orgs press on every policy at once")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, cs = state.orgs, state.countries
        cols = cs.columns()
        ex = og.exists & (og.cum_disruption > 0)
        general = np.bincount(og.country[ex & (og.issue < 0)], weights=og.cum_disruption[ex & (og.issue < 0)],
                              minlength=cs.n)  # fmt: skip
        scheduled = reversed_n = np.zeros(cs.n)
        wd, lm = cs.policy_withdrawn, cs.policy_limited
        for kind in WITHDRAWABLE + LIMITABLE:
            k = EVENT_NAMES.index(kind)
            bit = np.int64(1) << np.int64(k)
            mask = wd if kind in WITHDRAWABLE else lm
            done = (mask & bit) != 0
            on = (cols[kind] > 0) | done
            scheduled = scheduled + on
            reversed_n = reversed_n + done
            sel = ex & (og.issue == k)
            D = np.bincount(og.country[sel], weights=og.cum_disruption[sel], minlength=cs.n) + params.general_weight * general
            p = 1.0 - np.exp(-params.kappa67 * D * (1.0 - params.repression_damp * cs.repression))
            cand = np.flatnonzero(on & ~done & (p > 0))
            if cand.size == 0:
                continue
            hit = cand[rng.random(cand.size) < p[cand]]
            mask[hit] |= bit
            reversed_n[hit] += 1
        cs.policy_reversal = np.where(scheduled > 0, reversed_n / np.maximum(scheduled, 1), 0.0)


@register
class PracticeEducation(TheoryMechanism):
    """M68: day-to-day direct struggle raises participants' consciousness and the country's organizational tradition.

    Paraphrase: daily struggles against privatization, adjustment, debt, counter-insurgency,
    eradication and coups get less publicity than northern Big Events but involve more workers
    and peasants, win concrete results and educate the local population through the practice
    of their leaders rather than through lectures (E L231, L237).

    Rule: each month an active member (organized or armed) of an org calling a sustained tactic
    (blockade, takeover, strike, disruption, armed struggle) gains ``c68 * (1 - consciousness)``
    consciousness; the country's organizational tradition gains ``tau68 * share * (1 -
    tradition)``, where ``share`` is those members' share of the country's population.
    """

    name = "practice_education"
    mids = ("M68",)
    cites = (f"{E} §Tactics L231", f"{E} §Tactics L237")
    framework = "shared"
    phase = "organization"
    reads = ("orgs.exists", "orgs.calling", "orgs.tactic", "agents.org", "agents.status", "agents.country",
             "agents.consciousness", "countries.organizational_tradition", "countries.n_alive")  # fmt: skip
    writes = ("agents.consciousness", "countries.organizational_tradition")

    class Params(Params):
        """Parameters of ``practice_education``."""

        c68: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="consciousness gained per month of sustained action (share of the room to 1)",
            why="mechanism_map M68 default (range 0-0.05)")  # fmt: skip
        tau68: float = param(0.05, ge=0.0, le=1.0, unit="per month per unit share",
            description="growth of organizational tradition per unit share of the population in sustained action",
            why="mechanism_map M68 default (range 0-0.2)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, a, cs = state.orgs, state.agents, state.countries
        practising = og.exists & og.calling & np.isin(og.tactic, PRACTICE)
        if not practising.any():
            return
        st = a.status
        idx = np.flatnonzero(_ext(practising, False)[a.org] & ((st == ORG) | (st == ARM)))
        if idx.size == 0:
            return
        cons = a.consciousness[idx]
        cons += np.float32(params.c68) * (np.float32(1) - cons)
        a.consciousness[idx] = cons
        share = np.bincount(a.country[idx], minlength=cs.n) / np.maximum(cs.n_alive, 1)
        tr = cs.organizational_tradition
        tr += (params.tau68 * share * (1.0 - tr)).astype(np.float32)


# --------------------------------------------------------------------------------------------
# What northern Big Events do (M65)
# --------------------------------------------------------------------------------------------

COLUMNS = COLUMNS + (
    Var("globe", "solidarity_network", "float32", "index",
        "meeting-place and solidarity networks built at northern Big Events, decaying (M65)", 0),
)  # fmt: skip


@register
class BigEventEffects(TheoryMechanism):
    """M65: a northern Big Event shows the scope of opposition, educates the passive public and builds networks.

    Paraphrase: in the US and Europe the main form is the Big Event (Seattle, Genoa, Davos,
    Barcelona), where NGOs, unions and anti-globalization groups converge on meetings of the
    imperial powers; such events show how wide and deep opposition is, educate the "passive
    public", may make European rulers "more circumspect" about US plans, and serve as meeting
    places that build networks of solidarity against repression (E L229).

    Rule: in a month a Big-Event coalition of a core country holds its event (M51's ``calling``),
    its active members are the participants; ``e = min(1, participants / n_alive / scale)`` is
    the event's size relative to a very large one. Non-participating core-class agents of that
    country gain ``ed65 * e * (1 - consciousness)``; with ``E`` the largest ``e`` over core
    countries this month::

        solidarity_network = (1 - decay) * solidarity_network + n65 * E
        isolation         += i65 * E * (1 - isolation)
    """

    name = "big_event_effects"
    mids = ("M65",)
    cites = (f"{E} §Tactics L229",)
    framework = "shared"
    phase = "core"
    reads = ("orgs.exists", "orgs.class_base", "orgs.form", "orgs.scope", "orgs.tactic", "orgs.calling",
             "orgs.country", "countries.is_core", "countries.n_alive", "agents.country", "agents.org",
             "agents.status", "agents.class_code", "agents.consciousness", "globe.solidarity_network",
             "globe.isolation")  # fmt: skip
    writes = ("agents.consciousness", "globe.solidarity_network", "globe.isolation")

    class Params(Params):
        """Parameters of ``big_event_effects``."""

        scale: float = param(0.01, gt=0.0, le=1.0, unit="share of population",
            description="participation share at which an event counts as full size",
            why="placeholder; Seattle's 50,000 (S-SEA) is far below 1 % of the US population")  # fmt: skip
        ed65: float = param(0.02, ge=0.0, le=1.0, unit="per event",
            description="consciousness gained by a non-participant at a full-size event (share of the room to 1)",
            why="mechanism_map M65 default (range 0-0.1)")  # fmt: skip
        n65: float = param(0.5, ge=0.0, le=10.0, unit="index per event",
            description="solidarity network built by a full-size event",
            why="mechanism_map M65 default (range 0-2)")  # fmt: skip
        decay: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly decay of the solidarity network",
            why="mechanism_map M65: 5 % a month")  # fmt: skip
        i65: float = param(0.01, ge=0.0, le=1.0, unit="per event",
            description="rise of the imperial state's isolation after a full-size event (European circumspection)",
            why="mechanism_map M65 default (range 0-0.05); E L229 'perhaps'")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        from periphery.theory.core_mobilization import core_slices  # the core's agent ranges

        og, cs, a, g = state.orgs, state.countries, state.agents, state.globe
        net = float(g.solidarity_network[0]) * (1.0 - params.decay)
        ev = og.exists & og.calling & is_event_coalition(og) & cs.is_core[og.country]
        top = 0.0
        if ev.any():
            for lo, hi in core_slices(state):
                st = a.status[lo:hi]
                part = _ext(ev, False)[a.org[lo:hi]] & (st >= STATUS["mobilized"]) & (st <= ARM)
                e = min(1.0, part.sum() / max(int(cs.n_alive[a.country[lo]]), 1) / params.scale)
                if e <= 0:
                    continue
                top = max(top, e)
                who = ~part & (a.class_code[lo:hi] >= 16)  # core classes C17-C22
                cons = a.consciousness[lo:hi]
                cons[who] += np.float32(params.ed65 * e) * (np.float32(1) - cons[who])
        g.solidarity_network[0] = net + params.n65 * top
        if top > 0:
            iso = float(g.isolation[0])
            g.isolation[0] = iso + params.i65 * top * (1.0 - iso)
