"""Core mobilization family: opinion, exposure, draft risk and mass mobilization in the imperial core.

The core country's population (classes C17-C22 in countries with regime ``core``) reacts to the
imperial state's wars, not to its own material conditions (theory_spec 3.7). The month runs:

* ``casualty_exposure`` (M76): casualties touch random core households; their ties are exposed.
* ``draft_exposure`` (M77): conscription plus casualties put draft-age families at risk.
* ``war_opinion`` (M74, M82, M83, M84): a lagged casualty signal, scaled by how visible the
  intervention mode is, moves core opinion; air wars with few casualties rally support; the
  personal terms of M76 and M77 add to it; opposition raises core agents' grievance.
* ``core_activation`` (M79, M87, M85): runs right after the generic ``activation`` and keeps a
  core agent active only if its war-driven drive, multiplied by the four-condition gate, clears
  a high core threshold; core workers' material losses enter with weight ``w85`` (0 by default).
* ``elite_division`` (M78), ``military_dissent`` (M88), ``war_withdrawal`` (M75),
  ``core_aspect_focus`` (M80, M86) and ``solidarity_asymmetry`` (M70) in the ``core`` phase.

War state is derived each month from the timeline's event columns (``war_situation``): the war
is on while a core country fights a ``ground_war`` or a periphery country is under
``occupation``, ``air_war``, ``proxy_war``, ``intervention`` or ``coup_attempt``; the core's
casualty rate is its ``casualties`` event intensity (already scaled to [0, 1]) times the
casualty factor of the mode the imperial state chose (``imperial_strategy``), and zero after a
withdrawal forced by core opposition (M75). Opinion sign follows the schema: + supports the
war, - opposes it.

Every functional form and default here is a modeller's choice (theory_spec 7.4); the texts give
directions and a few magnitudes (F5-F9), not rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.world_schema import (
    CONSCIOUSNESS_LEVELS,
    INTERVENTION_MODES,
    ORG_SCOPES,
    STATUS,
    TARGETS,
    Var,
    C,
)

E = "000_c5680132a7806926.txt"  # Petras 2003 (theory_spec: E)
S1 = "002_dc39e49cc22728c8.txt"  # short statement c. 2005 (theory_spec: S1)

MODE: dict[str, int] = {n: i for i, n in enumerate(INTERVENTION_MODES)}
CORE_FIRST = C["core_middle_class"]  # core classes are codes CORE_FIRST..CORE_FIRST+5
Q, MOB, ORG, ARM, JAIL = (STATUS[s] for s in ("quiescent", "mobilized", "organized", "armed", "jailed"))
TARGET_EVENTS = ("occupation", "air_war", "proxy_war", "intervention", "coup_attempt")

COLUMNS = (
    Var("agents", "opinion_base", "float32", "[-1,1]",
        "core agent's predisposition toward wars (+ support), drawn once at the first step (war_opinion)"),
    Var("agents", "draft_risk", "float32", "[0,1]",
        "risk that the agent's family member is drafted into a war with casualties (core; M77)"),
    Var("globe", "opinion_drawn", "bool", "flag", "core opinion predispositions have been drawn"),
    Var("globe", "casualty_rate", "float32", "[0,1]",
        "visible core casualty rate this month: event intensity x mode casualty factor x mode visibility, 0 after withdrawal"),
    Var("globe", "casualty_signal", "float32", "[0,1]", "lagged (exponentially smoothed) casualty rate seen by the public (M84)"),
    Var("globe", "opinion_shift", "float32", "[-1,1]", "shift of core opinion toward opposition (+) or support (-) (M83, M84)"),
    Var("globe", "resistance_abroad", "float32", "share", "active share in the war's target countries (M79 R)"),
    Var("globe", "core_gate", "float32", "[0,1]", "gate on core mass mobilization (M79 conjunctive or M87 disjunctive)"),
    Var("globe", "core_mobilized", "float32", "share", "share of core-class agents active"),
    Var("globe", "recruitment_rate", "float32", "index", "military recruitment, 1 = normal (M88)", 1),
    Var("globe", "troop_dissent", "float32", "[0,1]", "dissent inside the armed forces (M88)"),
    Var("globe", "deployable_force", "float32", "index", "deployable military force, 1 = start (M88)", 1),
    Var("globe", "war_withdrawn", "bool", "flag", "core opposition has forced withdrawal or armistice in the current war (M75)"),
    Var("globe", "withdrawals", "int16", "count", "wars ended or cut back under core pressure (M75)"),
    Var("globe", "solidarity_response", "float32", "index", "core solidarity response to repression, decaying (M70)"),
)  # fmt: skip

# Columns the war-situation helper reads; mechanisms that call it declare these.
WAR_READS = (
    "countries.is_core", "countries.ground_war", "countries.ground_war_months", "countries.casualties",
    "countries.conscription", "countries.share_active", "globe.war_withdrawn", "globe.casualty_factor",
    "globe.intervention_mode",
    *(f"countries.{k}" for k in TARGET_EVENTS), *(f"countries.{k}_months" for k in TARGET_EVENTS),
)  # fmt: skip


def sigmoid(x):
    """Logistic function."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


@dataclass(frozen=True)
class War:
    """The current war as the core sees it (derived from event columns each month)."""

    core: np.ndarray  # bool per country
    on: bool  # a war is being fought (and not ended by withdrawal)
    requested: bool  # the timeline has a war on, withdrawn or not
    months: int  # months since it started (0 if none)
    casualties: float  # effective casualty rate in [0, 1]
    reach: float  # conscription reach (intensity of `conscription` on the core)
    resistance: float  # active share in the target countries (last month's indicator)
    mode: int  # INTERVENTION_MODES code


def war_situation(state) -> War:
    """Derive the war state from event columns and the imperial/globe rows (see module docstring)."""
    cs, g = state.countries, state.globe
    core = cs.is_core.astype(bool)
    ground = bool((cs.ground_war[core] > 0).any())
    target = np.zeros(cs.n, dtype=bool)
    months = int(cs.ground_war_months[core].max()) if ground else 0
    for k in TARGET_EVENTS:
        on = (cs.columns()[k] > 0) & ~core
        target |= on
        if on.any():
            months = max(months, int(cs.columns()[f"{k}_months"][on].max()))
    requested = ground or bool(target.any())
    withdrawn = bool(g.war_withdrawn[0])
    on = requested and not withdrawn
    if not target.any():
        target = ~core
    resistance = float(cs.share_active[target].max()) if target.any() else 0.0
    cas = float(cs.casualties[core].max()) if core.any() else 0.0
    cas = cas * float(g.casualty_factor[0]) if on else 0.0
    reach = float(cs.conscription[core].max()) if (core.any() and on) else 0.0
    return War(core, on, requested, months if on else 0, min(cas, 1.0), reach, resistance, int(g.intervention_mode[0]))


def core_slices(state) -> list[tuple[int, int]]:
    """Agent index ranges of the core countries (the builder lays agents out contiguously by country)."""
    cs, a = state.countries, state.agents
    out = []
    for c in np.flatnonzero(cs.is_core):
        lo, hi = np.searchsorted(a.country, [c, c + 1])
        if hi > lo:
            out.append((int(lo), int(hi)))
    return out


def _core_class(class_code: np.ndarray) -> np.ndarray:
    return class_code >= CORE_FIRST


def _neighbours(net, idx: np.ndarray) -> np.ndarray:
    """All tie endpoints of the nodes ``idx`` in a CSR network (vectorized)."""
    starts, ends = net.indptr[idx], net.indptr[idx + 1]
    lens = ends - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offs = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    return net.indices[offs + np.arange(total)]


# --------------------------------------------------------------------------------------------
# Grievance phase: exposure, draft risk, opinion
# --------------------------------------------------------------------------------------------


@register
class CasualtyExposure(TheoryMechanism):
    """M76: heavy, prolonged casualties bring the war home to communities, workplaces and families.

    Paraphrase: where the imperial army cannot win and takes heavy losses over years (hundreds
    of thousands dead or wounded over three to ten years), the defeats and casualties reach the
    core's communities, neighbourhoods, workplaces and families (E §US L112).

    Rule: with ``C`` the visible casualty rate (``globe.casualty_rate``, written by
    ``war_opinion``: near zero in covert, mercenary and small-invasion modes, M82), each month
    ``Binomial(n_core, seed_rate * C)`` random core agents are touched directly (exposure 1) and
    their neighbourhood and same-class ties get ``max(exposure, tie_exposure)`` (one hop; the map
    suggests two, one keeps the cost bounded at 1M agents). Exposure decays by ``decay`` a month.
    ``war_opinion`` turns exposure into opposition while the war is not being won.
    """

    name = "casualty_exposure"
    mids = ("M76",)
    cites = (f"{E} §US L112",)
    framework = "shared"
    phase = "grievance"
    reads = ("countries.is_core", "agents.country", "globe.casualty_rate", "agents.casualty_exposure",
             "spaces.neighbourhood", "spaces.within_class")  # fmt: skip
    writes = ("agents.casualty_exposure",)

    class Params(Params):
        """Parameters of ``casualty_exposure``."""

        seed_rate: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="share of core agents directly touched by a casualty each month at casualty rate 1",
            why="placeholder; F5 (hundreds of thousands over years) fixes only the order of magnitude")  # fmt: skip
        tie_exposure: float = param(0.4, ge=0.0, le=1.0, unit="[0,1]",
            description="exposure of the ties of a directly touched agent (e76 * 0.5 of the map)",
            why="map M76: e76 = 0.8 halved per hop; placeholder")  # fmt: skip
        decay: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly decay of exposure",
            why="a loss nearby is remembered for a year or two; placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        sl = core_slices(state)
        if not sl:
            return
        visible = float(state.globe.casualty_rate[0])
        ex = state.agents.casualty_exposure
        for lo, hi in sl:
            part = ex[lo:hi]
            if part.any():
                part *= np.float32(1.0 - params.decay)
        if visible <= 0 or params.seed_rate <= 0:
            return
        for lo, hi in sl:
            k = rng.binomial(hi - lo, min(1.0, params.seed_rate * visible))
            if k == 0:
                continue
            idx = lo + rng.integers(0, hi - lo, k)
            for net_name in ("neighbourhood", "within_class"):
                net = ctx.spaces.get(net_name)
                if net is not None:
                    nb = _neighbours(net, idx)
                    ex[nb] = np.maximum(ex[nb], np.float32(params.tie_exposure))
            ex[idx] = 1.0


@register
class DraftExposure(TheoryMechanism):
    """M77: conscription that reaches middle-class sons, in a war with casualties, puts their families at risk.

    Paraphrase: conscript armies that drafted, or threatened to draft, sons of the middle and
    upper-middle classes touched an important electoral constituency; the threat of being sent
    into a long war with heavy losses moved many draft-age men and their parents to oppose it
    actively (E §US L112).

    Rule: for draft-age agents (and parents, the ``draft_age`` flag) of classes C17 (middle class)
    and C18 (workers) in core countries::

        draft_risk = reach * min(1, C / casualty_ref)     (C17)
        draft_risk = min(1, C / casualty_ref) * worker_exposure   (C18, drafted regardless of reach)

    where ``reach`` is the intensity of the ``conscription`` event (how far the draft reaches the
    middle class) and ``C`` the effective casualty rate; zero when there is no draft.
    """

    name = "draft_exposure"
    mids = ("M77",)
    cites = (f"{E} §US L112",)
    framework = "shared"
    phase = "grievance"
    reads = (*WAR_READS, "agents.country", "agents.class_code", "agents.draft_age")
    writes = ("agents.draft_risk",)

    class Params(Params):
        """Parameters of ``draft_exposure``."""

        casualty_ref: float = param(0.5, gt=0.0, le=1.0, unit="[0,1] casualty rate",
            description="casualty rate at which draft risk saturates",
            why="map M77 c_ref (2000/month) on the scaled casualty axis; placeholder")  # fmt: skip
        worker_exposure: float = param(1.0, ge=0.0, le=1.0, unit="factor",
            description="draft risk of draft-age working-class families relative to full reach",
            why="the draft always reached working-class sons; the texts single out the middle class as the new constituency (E L112)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        sl = core_slices(state)
        if not sl:
            return
        war = war_situation(state)
        dr = state.agents.draft_risk
        a = state.agents
        base = min(1.0, war.casualties / params.casualty_ref) if war.reach > 0 else 0.0
        for lo, hi in sl:
            if base <= 0:
                if dr[lo:hi].any():
                    dr[lo:hi] = 0
                continue
            lut = np.zeros(256, dtype=np.float32)
            lut[C["core_middle_class"]] = base * war.reach
            lut[C["core_worker"]] = base * params.worker_exposure
            out = dr[lo:hi]
            np.take(lut, a.class_code[lo:hi].view(np.uint8), out=out)
            out *= a.draft_age[lo:hi]


@register
class WarOpinion(TheoryMechanism):
    """M74, M82, M83, M84: core opinion on a war follows lagged, visible casualties; air wars rally support.

    Paraphrase: public and electoral protest against particular incursions is not rare, but
    sustained mass activity is (E §US L102, M74). Covert, mercenary and small invasions with
    very few casualties drew little or no protest (E L110, L114, M82); mostly aerial wars with
    local ground allies drew significant public support, as did the fast, low-casualty
    conquest of Iraq (E L116, M83); as the occupation's resistance grew and casualties mounted,
    opinion shifted from support to opposition with a lag (E L116, M84).

    Rule (per month; ``C`` = effective casualty rate, ``vis`` = 1 except ``low_visibility`` for
    covert, mercenary and small-invasion modes)::

        casualty_rate = C * vis  (the visible rate; read by casualty_exposure next month)
        signal += (C * vis - signal) / lag                                   (M84)
        shift  += shift_rate * signal - relax * shift
                  - rally   [mode == aerial_proxy and C < low_casualties]    (M83)
                  + onset   [casualties start in this war]                   (M74)
        opinion = clip(base - shift - exposure_weight * exposure * unwon
                       - draft_weight * draft_risk, -1, 1)                   (M76, M77 terms)
        unwon   = min(1, resistance_abroad / resistance_ref)
        grievance = max(grievance, max(0, -opinion))   for core classes
        core_opposition = share of core-class agents with opinion < 0

    ``base`` is drawn once per agent, N(base_mean, base_sd) clipped to [-1, 1].
    """

    name = "war_opinion"
    mids = ("M74", "M82", "M83", "M84")
    cites = (f"{E} §US L102", f"{E} §US L110-L116")
    framework = "shared"
    phase = "grievance"
    reads = (*WAR_READS, "agents.country", "agents.class_code", "agents.casualty_exposure", "agents.draft_risk",
             "agents.opinion_base", "agents.grievance", "globe.opinion_drawn", "globe.casualty_rate",
             "globe.casualty_signal", "globe.opinion_shift", "countries.casualties_total")  # fmt: skip
    writes = ("agents.opinion", "agents.opinion_base", "agents.grievance", "globe.opinion_drawn", "globe.casualty_rate",
              "globe.casualty_signal", "globe.opinion_shift", "globe.core_opposition", "globe.resistance_abroad",
              "countries.casualties_total")  # fmt: skip

    class Params(Params):
        """Parameters of ``war_opinion``."""

        lag: float = param(3.0, ge=1.0, le=60.0, unit="months",
            description="time constant of the public casualty signal",
            why="map M84 tau84 = 3 months; E L116 reports a shift within months")  # fmt: skip
        shift_rate: float = param(0.015, ge=0.0, le=1.0, unit="per month per unit signal",
            description="monthly opinion shift toward opposition per unit casualty signal",
            why="placeholder; to calibrate on F8-F9 (49% opposed after ~4 months of occupation casualties)")  # fmt: skip
        relax: float = param(0.03, ge=0.0, le=1.0, unit="per month",
            description="monthly relaxation of the opinion shift toward 0",
            why="placeholder; a steady signal s shifts opinion by s * shift_rate / relax")  # fmt: skip
        low_visibility: float = param(0.1, ge=0.0, le=1.0, unit="factor",
            description="visibility of casualties in covert, mercenary and small-invasion modes",
            why="map M82 v82 = 0.1; E L110-L114: little or no protest")  # fmt: skip
        rally: float = param(0.02, ge=0.0, le=0.5, unit="per month",
            description="monthly shift toward support during an air war with few casualties",
            why="map M83 s83 (0.05) scaled to this shift's units; E L116 'significant public support'")  # fmt: skip
        low_casualties: float = param(0.05, ge=0.0, le=1.0, unit="[0,1] casualty rate",
            description="casualty rate below which an air war rallies support",
            why="placeholder for E L116 'a minimum of US casualties'")  # fmt: skip
        onset: float = param(0.05, ge=0.0, le=1.0, unit="[-1,1]",
            description="one-time shift toward opposition when casualties start in a war",
            why="map M74 o74 = 0.05; opinion protest against particular incursions (E L102)")  # fmt: skip
        exposure_weight: float = param(0.5, ge=0.0, le=2.0, unit="[-1,1] per unit exposure",
            description="opinion shift of a fully exposed agent while the war is not being won",
            why="placeholder; E L112: defeats and casualties bring the war home")  # fmt: skip
        draft_weight: float = param(0.6, ge=0.0, le=2.0, unit="[-1,1] per unit risk",
            description="opinion shift of a family at full draft risk",
            why="placeholder; E L112: draft-age men and parents 'actively oppose'")  # fmt: skip
        resistance_ref: float = param(0.05, gt=0.0, le=1.0, unit="share",
            description="active share abroad at which the war counts as fully unwon",
            why="map M79 theta_R = 0.05")  # fmt: skip
        base_mean: float = param(0.2, ge=-1.0, le=1.0, unit="[-1,1]",
            description="mean predisposition of core agents (+ supports wars)",
            why="map S-US-IRQ: opinion at start slightly supportive (E L116 'outright support')")  # fmt: skip
        base_sd: float = param(0.25, ge=0.0, le=2.0, unit="[-1,1]",
            description="spread of predispositions", why="placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        sl = core_slices(state)
        if not sl:
            return
        a, g, cs = state.agents, state.globe, state.countries
        war = war_situation(state)
        if not g.opinion_drawn[0]:
            for lo, hi in sl:
                b = rng.normal(params.base_mean, params.base_sd, hi - lo).astype(np.float32)
                a.opinion_base[lo:hi] = np.clip(b, -1, 1)
            g.opinion_drawn[0] = True
        vis = params.low_visibility if war.mode in (MODE["covert"], MODE["mercenary"], MODE["small_invasion"]) else 1.0
        c_now = war.casualties
        sig = float(g.casualty_signal[0]) + (c_now * vis - float(g.casualty_signal[0])) / params.lag
        shift = float(g.opinion_shift[0])
        shift += params.shift_rate * sig - params.relax * shift
        if war.on and war.mode == MODE["aerial_proxy"] and c_now < params.low_casualties:
            shift -= params.rally
        if c_now > 0 and g.casualty_rate[0] <= 0:
            shift += params.onset * vis  # M74: casualties start in this war
        shift = float(np.clip(shift, -1, 1))
        g.casualty_signal[0] = sig
        g.opinion_shift[0] = shift
        g.casualty_rate[0] = c_now * vis
        g.resistance_abroad[0] = war.resistance
        cs.casualties_total[war.core] += np.float32(c_now)
        unwon = min(1.0, war.resistance / params.resistance_ref) if war.on else 0.0
        n_core = n_opp = 0
        for lo, hi in sl:
            cls = _core_class(a.class_code[lo:hi])
            op = a.opinion_base[lo:hi] - np.float32(shift)
            if unwon > 0:
                op -= np.float32(params.exposure_weight * unwon) * a.casualty_exposure[lo:hi]
            op -= np.float32(params.draft_weight) * a.draft_risk[lo:hi]
            np.clip(op, -1, 1, out=op)
            op[~cls] = 0
            a.opinion[lo:hi] = op
            motive = np.maximum(-op, np.float32(0))
            gr = a.grievance[lo:hi]
            np.maximum(gr, motive, out=gr)
            n_core += int(cls.sum())
            n_opp += int(((op < 0) & cls).sum())
        g.core_opposition[0] = n_opp / max(n_core, 1)


# --------------------------------------------------------------------------------------------
# Activation phase: the core gate
# --------------------------------------------------------------------------------------------


def core_gate(x: dict[str, float], params) -> float:
    """M79 (conjunctive, soft AND) or M87 (disjunctive, soft OR) gate on core mass mobilization."""
    k = params.steepness

    def soft(f):  # soft threshold on the relative excess x / theta - 1 (scale-free across factors)
        theta = max(getattr(params, f"theta_{f}"), 1e-6)
        return sigmoid(k * (x[f] / theta - 1.0))

    if params.rule == "conjunctive":
        return float(np.prod([soft(f) for f in ("R", "C", "D", "E")]))
    return float(max(soft("C"), soft("X"), soft("W")))


@register
class CoreActivation(TheoryMechanism):
    """M79, M85, M87: core mass mobilization needs resistance abroad, casualties, a middle-class draft and elite division together.

    Paraphrase: the combination of sustained resistance abroad, the army's casualties, fear of
    conscription and divisions inside the elite produced organized mass movements and lasting
    opposition in the core (E §US L114, M79). The same text elsewhere says it takes extreme
    conditions such as a major economic crisis, heavy loss of life or prolonged wars of
    attrition (E L122, M87; theory_spec 7.3 T3: an "or"). Workers' falling living standards
    during the Iraq war, with no social gains from it, produced little movement against the
    war from the working and salaried classes (E L118-L120, M85): a declared null.

    Rule: runs right after ``activation`` and overrides it for core-class agents in core
    countries. With ``R = resistance_abroad * min(1, war_months / sustain_months)``,
    ``C = casualty_signal``, ``D = reach * [mode == ground_conscript]``, ``E = elite_division``::

        soft(f) = sigmoid(k (x_f / theta_f - 1))      (relative excess, so a small theta is not soft)
        gate = prod_{R,C,D,E} soft(f)                  (rule = conjunctive, M79)
        gate = max(soft(C), soft(X), soft(W))          (rule = disjunctive, M87; X = core crisis,
                                                        W = war_months / 120)
        drive = (floor + (1 - floor) gate) * max(0, -opinion) + w85 * gate * min(1, income_loss / loss_scale)
        active iff the generic rule made it active and drive - net_risk > threshold

    Agents the gate stops return to quiescent with ``months_active = 0``. ``core_mobilized`` is
    the active share of core-class agents. The generic rule always passes where this one does
    (core grievance is at least the opposition motive, ``war_opinion``), so this only filters.
    """

    name = "core_activation"
    mids = ("M79", "M85", "M87")
    cites = (f"{E} §US L114", f"{E} §US L118-L122")
    framework = "shared"
    phase = "activation"
    reads = (*WAR_READS, "agents.country", "agents.class_code", "agents.status", "agents.opinion", "agents.net_risk",
             "agents.income_loss", "agents.months_active", "globe.casualty_signal", "globe.elite_division",
             "countries.crisis")  # fmt: skip
    writes = ("agents.status", "agents.months_active", "globe.core_gate", "globe.core_mobilized")

    class Params(Params):
        """Parameters of ``core_activation``."""

        rule: Literal["conjunctive", "disjunctive"] = param("conjunctive", unit="choice",
            description="conjunctive: all four conditions (M79); disjunctive: any extreme condition (M87)",
            why="theory_spec 7.3 T3; the map defaults to the conjunctive reading and runs the other as an arm (P19)")  # fmt: skip
        steepness: float = param(5.0, gt=0.0, le=100.0, unit="",
            description="steepness k of each soft threshold, on the relative excess x / theta - 1",
            why="map M79 uses k79 = 20 on the absolute excess, which leaves the R factor at 0.27 with no resistance (theta_R = 0.05); 5 on the relative scale gives < 0.01 at x = 0 and > 0.99 at x = 2 theta")  # fmt: skip
        theta_R: float = param(0.05, ge=0.0, le=1.0, unit="share", description="threshold on sustained resistance abroad",
            why="map M79")  # fmt: skip
        theta_C: float = param(0.3, ge=0.0, le=1.0, unit="[0,1] casualty rate", description="threshold on the casualty signal",
            why="map M79")  # fmt: skip
        theta_D: float = param(0.2, ge=0.0, le=1.0, unit="share", description="threshold on middle-class draft reach",
            why="map M79")  # fmt: skip
        theta_E: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]", description="threshold on elite division",
            why="map M79")  # fmt: skip
        theta_X: float = param(0.5, ge=0.0, le=1.0, unit="[0,1]", description="disjunctive arm: threshold on core economic crisis",
            why="map M87")  # fmt: skip
        theta_W: float = param(0.4, ge=0.0, le=1.0, unit="share of 120 months",
            description="disjunctive arm: threshold on war length / 120 months", why="map M87")  # fmt: skip
        sustain_months: float = param(12.0, ge=1.0, le=240.0, unit="months",
            description="war months after which resistance abroad counts as sustained",
            why="E L112: 'a prolonged period of time (three to ten years)'; placeholder at the short end")  # fmt: skip
        floor: float = param(0.05, ge=0.0, le=1.0, unit="factor",
            description="weight of war opposition on core action when the gate is shut",
            why="map A0: core class weight 0.05 (E L102: weakest in the US)")  # fmt: skip
        threshold: float = param(0.5, ge=0.0, le=2.0, unit="",
            description="margin core drive must exceed net risk by (theta_act + delta theta_74)",
            why="map M74: 0.1 + 0.4")  # fmt: skip
        w85: float = param(0.0, ge=0.0, le=1.0, unit="",
            description="weight of core material losses on action (times the gate)",
            why="M85: a declared zero (E L120); > 0 only for sensitivity and the P22 control")  # fmt: skip
        loss_scale: float = param(0.15, gt=0.0, le=1.0, unit="share of income",
            description="income loss at which material hardship saturates (M85 term)",
            why="same scale as grievance_from_income")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        sl = core_slices(state)
        if not sl:
            return
        a, g, cs = state.agents, state.globe, state.countries
        war = war_situation(state)
        x = {
            "R": war.resistance * min(1.0, war.months / params.sustain_months),
            "C": float(g.casualty_signal[0]),
            "D": war.reach if war.mode == MODE["ground_conscript"] else 0.0,
            "E": float(g.elite_division[0]),
            "X": float(cs.crisis[war.core].max()),
            "W": war.months / 120.0,
        }
        gate = core_gate(x, params)
        g.core_gate[0] = gate
        w_war = np.float32(params.floor + (1.0 - params.floor) * gate)
        w_mat = np.float32(params.w85 * gate)
        n_core = n_act = 0
        for lo, hi in sl:
            st = a.status[lo:hi]
            cls = _core_class(a.class_code[lo:hi])
            n_core += int(cls.sum())
            idx = np.flatnonzero(cls & (st >= MOB) & (st <= ARM))
            if idx.size == 0:
                continue
            j = lo + idx
            drive = w_war * np.maximum(-a.opinion[j], np.float32(0))
            if w_mat > 0:
                drive += w_mat * np.minimum(a.income_loss[j] / np.float32(params.loss_scale), np.float32(1))
            keep = drive - a.net_risk[j] > np.float32(params.threshold)
            stop = j[~keep]
            a.status[stop] = Q
            a.months_active[stop] = 0
            n_act += int(keep.sum())
        g.core_mobilized[0] = n_act / max(n_core, 1)


# --------------------------------------------------------------------------------------------
# Core phase: elite division, aspects vs system, military dissent, withdrawal, solidarity
# --------------------------------------------------------------------------------------------


@register
class EliteDivision(TheoryMechanism):
    """M78: a prolonged, costly war the army cannot win costs market share and splits the elite.

    Paraphrase: long and costly imperial wars stimulate the economy but lose world-market
    share, strengthen rival powers and limit the capacity to intervene elsewhere; sectors of
    the ruling and political classes come to put the empire's strategic interests ahead of a
    stalemated war, and the elite divides over how to build the empire (E §US L112).

    Rule, with ``unwon = min(1, resistance_abroad / resistance_ref)`` while a war is on::

        market_share   *= 1 - share_loss * unwon                     (war on)
        market_share   += recovery * (1 - market_share)             (no war)
        pressure        = [war_months > prolonged] * unwon * min(1, (1 - market_share) / loss_ref)
        elite_division += rate * pressure * (1 - elite_division) - decay * elite_division
    """

    name = "elite_division"
    mids = ("M78",)
    cites = (f"{E} §US L112",)
    framework = "shared"
    phase = "core"
    reads = (*WAR_READS, "globe.elite_division", "globe.market_share")
    writes = ("globe.elite_division", "globe.market_share")

    class Params(Params):
        """Parameters of ``elite_division``."""

        share_loss: float = param(0.002, ge=0.0, le=0.1, unit="per month",
            description="monthly loss of world-market share during an unwon war", why="map M78 m78")  # fmt: skip
        recovery: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="monthly recovery of market share toward 1 without war", why="placeholder")  # fmt: skip
        prolonged: int = param(36, ge=0, le=600, unit="months",
            description="war length after which the cost splits the elite",
            why="map M78 T78; E L112 'three to ten years'")  # fmt: skip
        loss_ref: float = param(0.1, gt=0.0, le=1.0, unit="share",
            description="market-share loss at which the pressure saturates", why="placeholder")  # fmt: skip
        rate: float = param(0.05, ge=0.0, le=1.0, unit="per month", description="growth rate of division", why="map M78 e78")  # fmt: skip
        decay: float = param(0.02, ge=0.0, le=1.0, unit="per month", description="decay of division", why="map M78 delta78")  # fmt: skip
        resistance_ref: float = param(0.05, gt=0.0, le=1.0, unit="share",
            description="active share abroad at which the war counts as fully unwon", why="map M79 theta_R")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        g = state.globe
        war = war_situation(state)
        ms = float(g.market_share[0])
        ed = float(g.elite_division[0])
        if war.on:
            unwon = min(1.0, war.resistance / params.resistance_ref)
            ms *= 1.0 - params.share_loss * unwon
            pressure = float(war.months > params.prolonged) * unwon * min(1.0, (1.0 - ms) / params.loss_ref)
        else:
            ms += params.recovery * (1.0 - ms)
            pressure = 0.0
        ed += params.rate * pressure * (1.0 - ed) - params.decay * ed
        g.market_share[0] = ms
        g.elite_division[0] = min(max(ed, 0.0), 1.0)


@register
class CoreAspectFocus(TheoryMechanism):
    """M80, M86: core opposition, even at its peak, targets aspects of a war and the incumbent, not the system.

    Paraphrase: even in the largest protests against the Indochina war most participants
    opposed particular aspects (the war, the draft, casualties), not the imperial system
    (E §US L114, M80). Official and semi-official opposition attacks the government's
    misleading propaganda and the administration, not the imperial state, and its solidarity
    goes to its own soldiers (E §US L120, M86).

    Rule, for core-class agents who are not members of an organization with ``system`` scope:
    the target is capped at ``regime`` (the incumbent administration); an agent at the
    ``anti_systemic`` consciousness level falls back to ``political_national`` with probability
    ``1 - keep_system`` a month (so the level-3 share is damped, not forbidden). Members of
    system-scope organizations are left alone (the texts' exception, S1 L21-L27).
    """

    name = "core_aspect_focus"
    mids = ("M80", "M86")
    cites = (f"{E} §US L114", f"{E} §US L120")
    framework = "shared"
    phase = "core"
    reads = ("countries.is_core", "agents.country", "agents.class_code", "agents.org", "agents.target",
             "agents.consciousness_level", "orgs.scope")  # fmt: skip
    writes = ("agents.target", "agents.consciousness_level")

    class Params(Params):
        """Parameters of ``core_aspect_focus``."""

        keep_system: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a core agent outside system-scope organizations keeps a system-level view",
            why="map M80 s80 = 0.1; E L114 'the great majority did not oppose the US imperial system'")  # fmt: skip

    _SYS = CONSCIOUSNESS_LEVELS.index("anti_systemic")
    _NAT = CONSCIOUSNESS_LEVELS.index("political_national")
    _CAP = TARGETS.index("regime")

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, og = state.agents, state.orgs
        sys_org = og.scope == ORG_SCOPES.index("system")
        for lo, hi in core_slices(state):
            cls = _core_class(a.class_code[lo:hi])
            org = a.org[lo:hi]
            free = cls & ~((org >= 0) & sys_org[np.maximum(org, 0)])
            tg = a.target[lo:hi]
            tg[free & (tg > self._CAP)] = self._CAP
            lv = a.consciousness_level[lo:hi]
            idx = np.flatnonzero(free & (lv == self._SYS))
            if idx.size:
                back = idx[rng.random(idx.size) >= params.keep_system]
                lv[back] = self._NAT


@register
class MilitaryDissent(TheoryMechanism):
    """M88: public opposition lowers recruitment and feeds dissent in the ranks, cutting deployable force.

    Paraphrase: overseas troop demonstrations after 1945 and large-scale discontent inside the
    army in Vietnam weakened imperial power (E §US L104, L108); a later statement reports
    growing resistance inside the armed forces and a nose-dive in recruitment reflecting broad
    opposition to the war (S1 L19). The occupied population's hostility erodes the morale of
    ordinary soldiers (E L183, M89: here only the inline shortcut ``morale = 1 - 0.5 R``).

    Rule::

        recruitment_rate = 1 - sensitivity * core_opposition
        soldiers_opposed = share of C22 with opinion < -dissent_threshold
        troop_dissent    = soldiers_opposed * (1 + (1 - morale)) / 2,  morale = 1 - 0.5 R (war on)
        deployable_force += replenish * (recruitment_rate - deployable_force)
                            - attrition * troop_dissent * deployable_force
    """

    name = "military_dissent"
    mids = ("M88",)
    cites = (f"{E} §US L104-L108", f"{S1} L19", f"{E} §Regimes L183")
    framework = "shared"
    phase = "core"
    reads = (*WAR_READS, "agents.country", "agents.class_code", "agents.opinion", "globe.core_opposition",
             "globe.deployable_force")  # fmt: skip
    writes = ("globe.recruitment_rate", "globe.troop_dissent", "globe.deployable_force")

    class Params(Params):
        """Parameters of ``military_dissent``."""

        sensitivity: float = param(0.8, ge=0.0, le=1.0, unit="", description="fall of recruitment at full opposition",
            why="map M88 rho88; S1 L19 'nose-dive'")  # fmt: skip
        dissent_threshold: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="opposition strength at which a soldier counts as dissenting", why="map M88 theta88")  # fmt: skip
        attrition: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly loss of deployable force per unit dissent", why="map M88 d88")  # fmt: skip
        replenish: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="speed at which recruitment refills the force", why="placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, g = state.agents, state.globe
        sl = core_slices(state)
        if not sl:
            return
        war = war_situation(state)
        n_sol = n_opp = 0
        for lo, hi in sl:
            sol = a.class_code[lo:hi] == C["core_soldier"]
            n_sol += int(sol.sum())
            n_opp += int((sol & (a.opinion[lo:hi] < -params.dissent_threshold)).sum())
        morale = 1.0 - 0.5 * war.resistance if war.on else 1.0
        dissent = (n_opp / max(n_sol, 1)) * (1.0 + (1.0 - morale)) / 2.0
        recruit = 1.0 - params.sensitivity * float(g.core_opposition[0])
        force = float(g.deployable_force[0])
        force += params.replenish * (recruit - force) - params.attrition * dissent * force
        g.recruitment_rate[0] = recruit
        g.troop_dissent[0] = min(dissent, 1.0)
        g.deployable_force[0] = max(force, 0.0)


@register
class WarWithdrawal(TheoryMechanism):
    """M75: core opposition and dissent in the ranks can force troop cuts, an armistice or withdrawal.

    Paraphrase: three times core opposition changed policy: in 1945-47 public opposition and
    troop demonstrations forced large cuts in overseas deployments; in 1951-53 opposition to the
    Korean war defeated the pro-war presidential candidate and pushed the next president to an
    armistice without victory; in 1966-72 demonstrations, polarization and discontent in the
    army undermined the war and contributed to defeat (E §US L104-L108).

    Rule, each month a war is on and not yet withdrawn::

        p = p_max * sigmoid(k (core_opposition - theta) + k_dissent * troop_dissent
                            + k_force * (1 - deployable_force))
        at the first month of an `elections` event in a core country the pro-war incumbent
        loses with probability sigmoid(k_election (core_opposition - 0.5))

    Either sets ``war_withdrawn`` (core casualties and draft risk stop, ``war_situation``) and
    counts one in ``withdrawals``. ``war_withdrawn`` clears when the timeline's war ends.
    """

    name = "war_withdrawal"
    mids = ("M75",)
    cites = (f"{E} §US L104-L108",)
    framework = "shared"
    phase = "core"
    reads = (*WAR_READS, "globe.core_opposition", "globe.troop_dissent", "globe.deployable_force",
             "globe.withdrawals", "countries.elections_months")  # fmt: skip
    writes = ("globe.war_withdrawn", "globe.withdrawals")

    class Params(Params):
        """Parameters of ``war_withdrawal``."""

        p_max: float = param(0.02, ge=0.0, le=1.0, unit="per month", description="highest monthly withdrawal probability",
            why="map M75 gives 0.1; lowered so a war under majority opposition lasts years, as 1966-72 (E L108)")  # fmt: skip
        k: float = param(15.0, ge=0.0, le=100.0, unit="", description="steepness on core opposition", why="map M75 k75")  # fmt: skip
        theta: float = param(0.5, ge=0.0, le=1.0, unit="share", description="opposition share at half pressure",
            why="map M75 theta75")  # fmt: skip
        k_dissent: float = param(5.0, ge=0.0, le=50.0, unit="", description="weight of troop dissent", why="map M75 k75d")  # fmt: skip
        k_force: float = param(2.0, ge=0.0, le=50.0, unit="", description="weight of lost deployable force",
            why="placeholder; dissent acts through deployable force too (P25)")  # fmt: skip
        k_election: float = param(10.0, ge=0.0, le=100.0, unit="", description="steepness of the election-loss probability",
            why="placeholder; E L106")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        g, cs = state.globe, state.countries
        war = war_situation(state)
        if not war.requested:
            if g.war_withdrawn[0]:
                g.war_withdrawn[0] = False
            return
        if not war.on:
            return
        opp = float(g.core_opposition[0])
        z = params.k * (opp - params.theta) + params.k_dissent * float(g.troop_dissent[0])
        z += params.k_force * (1.0 - float(g.deployable_force[0]))
        p = params.p_max * float(sigmoid(z))
        if (cs.elections_months[war.core] == 1).any():
            p = 1.0 - (1.0 - p) * (1.0 - float(sigmoid(params.k_election * (opp - 0.5))))
        if rng.random() < p:
            g.war_withdrawn[0] = True
            g.withdrawals[0] += 1


@register
class SolidarityAsymmetry(TheoryMechanism):
    """M70: northern solidarity responds far more to northern victims of repression than to southern ones.

    Paraphrase: sixty Bolivian activists killed early in 2003 drew hardly an outcry from
    northern NGOs, while one Italian activist killed in Genoa drew a world outcry and calls
    for an inquiry (E §Tactics L239-L241).

    Rule: victims are the net new jailings of the month by country (jailed now minus last
    month's ``n_jailed``)::

        new = w_core * log1p(victims in core countries) + w_periphery * log1p(victims elsewhere)
        solidarity_response = (1 - decay) * solidarity_response + new
        core grievance += grievance_weight * new * (1 - grievance)   (core classes)
    """

    name = "solidarity_asymmetry"
    mids = ("M70",)
    cites = (f"{E} §Tactics L239-L241",)
    framework = "shared"
    phase = "core"
    reads = ("countries.is_core", "countries.n_jailed", "agents.country", "agents.status", "agents.class_code",
             "agents.grievance", "globe.solidarity_response")  # fmt: skip
    writes = ("globe.solidarity_response", "agents.grievance")

    class Params(Params):
        """Parameters of ``solidarity_asymmetry``."""

        w_core: float = param(1.0, ge=0.0, le=10.0, unit="per log victim", description="weight of core victims",
            why="map M70 w_N")  # fmt: skip
        w_periphery: float = param(0.02, ge=0.0, le=10.0, unit="per log victim", description="weight of periphery victims",
            why="map M70 w_S; E L239 'hardly an outcry' for sixty")  # fmt: skip
        decay: float = param(0.3, ge=0.0, le=1.0, unit="per month", description="monthly decay of the response",
            why="an outcry fades within months; placeholder")  # fmt: skip
        grievance_weight: float = param(0.02, ge=0.0, le=1.0, unit="per unit response",
            description="core grievance raised per unit of new response", why="map M70 s70")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, cs, g = state.agents, state.countries, state.globe
        resp = float(g.solidarity_response[0]) * (1.0 - params.decay)
        jailed = np.flatnonzero(a.status == JAIL)
        new = 0.0
        if jailed.size:
            now = np.bincount(a.country[jailed], minlength=cs.n)
            victims = np.maximum(now - cs.n_jailed, 0)
            core = cs.is_core.astype(bool)
            new = params.w_core * np.log1p(victims[core].sum()) + params.w_periphery * np.log1p(victims[~core].sum())
        g.solidarity_response[0] = resp + new
        if new > 0 and params.grievance_weight > 0:
            for lo, hi in core_slices(state):
                cls = _core_class(a.class_code[lo:hi])
                gr = a.grievance[lo:hi]
                gr[cls] += np.float32(min(1.0, params.grievance_weight * new)) * (np.float32(1) - gr[cls])


# --------------------------------------------------------------------------------------------
# Northern support for southern movements: labelling (M71) and institutional ties (M72)
# --------------------------------------------------------------------------------------------

COLUMNS = COLUMNS + (
    Var("countries", "party_tie_share", "float32", "share",
        "share of this core country's movement tied to pro-imperial institutions: a party's left wing, the main union confederation (M72)",
        0, "scenario"),
    Var("countries", "northern_support", "float32", "share",
        "solidarity the core's active movement extends to this periphery country's movements or revolutionary government, per core agent (M71, M72)"),
)  # fmt: skip


@register
class NorthernSupport(TheoryMechanism):
    """M71, M72: labelling makes northern intellectuals hedge, and ties to pro-imperial institutions limit support for the South.

    Paraphrase: media, peer and government pressure labels Latin American anti-imperialists
    "terrorists", "authoritarians" or "narco-traffickers", and northern progressive
    intellectuals and NGO anti-imperialists temper their criticism of imperialism by condemning
    them (E L247-L251, M71). Northern movements and intellectuals stay tied to pro-imperial
    institutions (the Democratic Party's left wing, the AFL-CIO) and "have always drawn back"
    from supporting successful revolutions in Latin America, which limits any North-South
    alliance (E L253, M72).

    Rule: the core's supporters are core-class agents who are active or members of an
    organization, each weighted by its consciousness; in core country k their weight is cut by
    ``(1 - t72 * party_tie_share_k)``. For a periphery country c with an active movement
    (``share_active > 0``) or a revolutionary government, with ``L_c`` its ``labelling`` (D37)::

        northern_support_c = sum_i w_i * (1 - t72 * tie_k(i)) * (1 - l71 * L_c * h_i) / n_core

    where ``h_i`` is 1 for intellectuals (C21), ``professional_weight`` for professionals, students
    and NGO affiliates (C20), 0 otherwise; other countries get 0. While the strongest labelling of
    any periphery country exceeds ``cap_threshold``, an intellectual at the anti-systemic level
    keeps it with probability ``keep_system`` a month, else falls back to political-national
    (the map's cap at level 1).
    """

    name = "northern_support"
    mids = ("M71", "M72")
    cites = (f"{E} §Tactics L247-L251", f"{E} §Tactics L253")
    framework = "shared"
    phase = "core"
    reads = ("countries.is_core", "countries.labelling", "countries.party_tie_share", "countries.share_active",
             "countries.regime", "agents.country", "agents.class_code", "agents.status", "agents.org",
             "agents.consciousness", "agents.consciousness_level")  # fmt: skip
    writes = ("countries.northern_support", "agents.consciousness_level")

    class Params(Params):
        """Parameters of ``northern_support``."""

        l71: float = param(0.8, ge=0.0, le=1.0, unit="factor",
            description="share of an intellectual's support withdrawn from a fully labelled country",
            why="mechanism_map M71 default (range 0-1)")  # fmt: skip
        t72: float = param(0.8, ge=0.0, le=1.0, unit="factor",
            description="share of support withdrawn at a fully tied movement",
            why="mechanism_map M72 default (range 0-1)")  # fmt: skip
        professional_weight: float = param(0.5, ge=0.0, le=1.0, unit="factor",
            description="how far professionals, students and NGO affiliates (C20) hedge, relative to intellectuals",
            why="placeholder; E L247 names 'Northern intellectuals and NGO anti-imperialists'")  # fmt: skip
        cap_threshold: float = param(0.5, ge=0.0, le=1.0, unit="[0,1]",
            description="labelling intensity above which intellectuals' anti-systemic views are capped",
            why="mechanism_map M71: cap while labelling > 0.5")  # fmt: skip
        keep_system: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="monthly probability an intellectual keeps an anti-systemic view under strong labelling",
            why="placeholder, as core_aspect_focus keep_system (map M80 s80)")  # fmt: skip

    _REV = 2  # REGIME_NAMES.index("revolutionary")
    _SYS = CONSCIOUSNESS_LEVELS.index("anti_systemic")
    _NAT = CONSCIOUSNESS_LEVELS.index("political_national")

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, cs = state.agents, state.countries
        sl = core_slices(state)
        if not sl:
            return
        periph = ~cs.is_core.astype(bool)
        lab = np.where(periph, cs.labelling, 0.0)
        pressure = float(lab.max()) if lab.size else 0.0
        hedge_w = np.zeros(256, dtype=np.float64)
        hedge_w[C["core_intellectual"]] = 1.0
        hedge_w[C["core_professional"]] = params.professional_weight
        s_plain = s_hedge = 0.0
        n_core = 0
        for lo, hi in sl:
            k = int(a.country[lo])
            cls = a.class_code[lo:hi]
            core = _core_class(cls)
            st = a.status[lo:hi]
            sup = core & (((st >= MOB) & (st <= ARM)) | (a.org[lo:hi] >= 0))
            idx = np.flatnonzero(sup)
            tie = 1.0 - params.t72 * float(cs.party_tie_share[k])
            w = a.consciousness[lo:hi][idx].astype(np.float64)
            h = hedge_w[cls[idx].view(np.uint8)]
            s_hedge += tie * float((w * h).sum())
            s_plain += tie * float((w * (1.0 - h)).sum())
            n_core += int(core.sum())
            if pressure > params.cap_threshold:
                lv = a.consciousness_level[lo:hi]
                hit = np.flatnonzero((cls == C["core_intellectual"]) & (lv == self._SYS))
                if hit.size:
                    back = hit[rng.random(hit.size) >= params.keep_system]
                    lv[back] = self._NAT
        target = periph & ((cs.share_active > 0) | (cs.regime == self._REV))
        support = (s_plain + s_hedge * (1.0 - params.l71 * lab)) / max(n_core, 1)
        cs.northern_support = np.where(target, support, 0.0)
