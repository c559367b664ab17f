"""Imperial strategy family: how the imperial state picks intervention modes and adapts after costly wars.

The imperial state is the ``globe`` row. ``intervention_mode_choice`` (M91) runs first in the
month and turns the timeline's war events into an intervention mode; when the timeline asks for
a ground war while the memory of a costly mobilization is fresh, it answers with a
low-visibility mode instead, and the core's casualties scale by that mode's casualty factor.
``post_war_restraint`` (M81) writes that memory (``casualty_aversion`` = 1) and a temporary
spending cut when a war that mobilized the core ends. ``inter_imperial_conflict`` (M90) and
``war_expansion_spillover`` (M96) are the other rules of theory_spec 3.7-3.8 formalized here.

Mode from events (modeller's mapping; theory_spec 2.1 drivers): ``ground_war`` on a core
country = a ground request (``small_invasion`` if its intensity is at most
``small_war_intensity``, else ``ground_conscript`` while ``conscription`` is on, else
``ground_volunteer``); otherwise ``air_war`` on a periphery country = ``aerial_proxy``,
``proxy_war`` = ``mercenary``, ``coup_attempt`` or ``intervention`` = ``covert``,
``humanitarian_mission`` = ``humanitarian``. Rules and defaults are modeller's choices
(theory_spec 7.4).
"""

from __future__ import annotations

import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.core_mobilization import MODE, WAR_READS, war_situation
from periphery.theory.world_schema import Var

E = "000_c5680132a7806926.txt"  # Petras 2003 (theory_spec: E)

COLUMNS = (
    Var("globe", "casualty_factor", "float32", "factor",
        "scale on the core's casualty rate from the chosen mode (1 unless M91 substituted a low-visibility mode)", 1),
    Var("globe", "mode_substituted", "bool", "flag", "M91 answered a ground-war request with a low-visibility mode"),
    Var("globe", "mobilization_peak", "float32", "share", "highest core_mobilized during the current war (M81)"),
    Var("globe", "spending_cut_left", "int16", "months", "months left of the post-war military spending cut (M81)"),
    Var("globe", "periphery_resistance", "float32", "share", "smoothed active share of the periphery (M90)"),
    Var("globe", "cost_signal", "float32", "[0,1]", "smoothed core casualty rate over about a year (M90)"),
    Var("globe", "inter_imperial_conflict", "float32", "[0,1]", "conflict within and among imperial powers (M90)"),
)  # fmt: skip

_SUBSTITUTES = ("aerial_proxy", "mercenary", "covert")


@register
class InterventionModeChoice(TheoryMechanism):
    """M91: after a costly mobilization the imperial state avoids ground troops for about fifteen years.

    Paraphrase: after Vietnam the US avoided massive ground troops for some fifteen years, until
    the Gulf War, and relied instead on mercenary armies, intelligence agencies and special
    forces to overthrow governments, and on small forces to invade small countries; these
    covert and mercenary interventions drew little protest (E §Movements L30, §US L114).

    Rule: ``casualty_aversion *= exp(-1 / memory_months)`` each month. At the first month of a
    ground-war request (or when no mode is set yet) the mode is::

        argmin over m in {ground option, aerial_proxy, mercenary, covert} of
            cost[m] + casualty_aversion * expected_opposition[m]

    and held for the war (a ground mode follows conscription switching on or off). A
    substituted mode sets ``casualty_factor`` to that mode's casualty factor, otherwise 1.
    Defaults put the switch back to conscript ground troops at aversion ~ e^-1, i.e. after
    ``memory_months`` = 180 months (F6: "fifteen years").
    """

    name = "intervention_mode_choice"
    mids = ("M91",)
    cites = (f"{E} §Movements L30", f"{E} §US L114")
    framework = "shared"
    phase = "economy"
    reads = ("countries.is_core", "countries.ground_war", "countries.ground_war_months", "countries.conscription",
             "countries.air_war", "countries.proxy_war", "countries.coup_attempt", "countries.intervention",
             "countries.humanitarian_mission", "globe.casualty_aversion", "globe.intervention_mode",
             "globe.mode_substituted", "globe.casualty_factor")  # fmt: skip
    writes = ("globe.intervention_mode", "globe.casualty_aversion", "globe.mode_substituted", "globe.casualty_factor")

    class Params(Params):
        """Parameters of ``intervention_mode_choice``."""

        memory_months: float = param(180.0, ge=1.0, le=1200.0, unit="months",
            description="e-folding time of the casualty aversion left by a costly mobilization",
            why="F6 (E L30): ground-troop restraint for fifteen years")  # fmt: skip
        small_war_intensity: float = param(0.25, ge=0.0, le=1.0, unit="[0,1]",
            description="ground-war intensity up to which a ground request is a small invasion",
            why="modeller's mapping of E L114 'tiny, weak countries'")  # fmt: skip
        opp_ground_conscript: float = param(0.6, ge=0.0, le=1.0, unit="index", description="expected core opposition",
            why="map M91 table")  # fmt: skip
        opp_ground_volunteer: float = param(0.3, ge=0.0, le=1.0, unit="index", description="expected core opposition",
            why="map M91 table")  # fmt: skip
        opp_small_invasion: float = param(0.02, ge=0.0, le=1.0, unit="index", description="expected core opposition",
            why="map M91 table; E L114 no significant opposition")  # fmt: skip
        opp_aerial_proxy: float = param(0.05, ge=0.0, le=1.0, unit="index", description="expected core opposition",
            why="map M91 table; E L116")  # fmt: skip
        opp_mercenary: float = param(0.03, ge=0.0, le=1.0, unit="index", description="expected core opposition",
            why="map M91 table; E L114")  # fmt: skip
        opp_covert: float = param(0.02, ge=0.0, le=1.0, unit="index", description="expected core opposition",
            why="map M91 table; E L110")  # fmt: skip
        cost_aerial_proxy: float = param(0.2, ge=0.0, le=1.0, unit="index",
            description="military cost (lost effectiveness) of answering a ground request from the air",
            why="placeholder, set so the return to conscript ground troops falls at aversion e^-1 (F6)")  # fmt: skip
        cost_mercenary: float = param(0.22, ge=0.0, le=1.0, unit="index", description="military cost of a mercenary army",
            why="placeholder, slightly above the air option")  # fmt: skip
        cost_covert: float = param(0.25, ge=0.0, le=1.0, unit="index", description="military cost of a covert operation",
            why="placeholder, slightly above the mercenary option")  # fmt: skip
        casualties_aerial_proxy: float = param(0.05, ge=0.0, le=1.0, unit="factor",
            description="core casualties of a substituted air war relative to the requested ground war",
            why="E L116: 'a minimum of US casualties'")  # fmt: skip
        casualties_mercenary: float = param(0.0, ge=0.0, le=1.0, unit="factor",
            description="core casualties of a substituted mercenary war", why="mercenaries are not core soldiers")  # fmt: skip
        casualties_covert: float = param(0.0, ge=0.0, le=1.0, unit="factor",
            description="core casualties of a substituted covert operation", why="no troops engaged")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, g = state.countries, state.globe
        g.casualty_aversion[0] = float(g.casualty_aversion[0]) * np.exp(-1.0 / params.memory_months)
        core = cs.is_core.astype(bool)
        per = ~core
        if core.any() and (cs.ground_war[core] > 0).any():
            intensity = float(cs.ground_war[core].max())
            if intensity <= params.small_war_intensity:
                ground = "small_invasion"
            elif (cs.conscription[core] > 0).any():
                ground = "ground_conscript"
            else:
                ground = "ground_volunteer"
            onset = (cs.ground_war_months[core] == 1).any()
            current = int(g.intervention_mode[0])
            if onset or current == MODE["none"]:
                aversion = float(g.casualty_aversion[0])
                options = (ground, *_SUBSTITUTES)
                score = [getattr(params, f"cost_{m}", 0.0) + aversion * getattr(params, f"opp_{m}") for m in options]
                chosen = options[int(np.argmin(score))]
                g.intervention_mode[0] = MODE[chosen]
                g.mode_substituted[0] = chosen != ground
                g.casualty_factor[0] = getattr(params, f"casualties_{chosen}") if chosen != ground else 1.0
            elif not g.mode_substituted[0]:
                g.intervention_mode[0] = MODE[ground]
            return
        if (cs.air_war[per] > 0).any():
            mode = "aerial_proxy"
        elif (cs.proxy_war[per] > 0).any():
            mode = "mercenary"
        elif (cs.coup_attempt[per] > 0).any() or (cs.intervention[per] > 0).any():
            mode = "covert"
        elif (cs.humanitarian_mission[per] > 0).any():
            mode = "humanitarian"
        else:
            mode = "none"
        g.intervention_mode[0] = MODE[mode]
        g.mode_substituted[0] = False
        g.casualty_factor[0] = 1.0


@register
class PostWarRestraint(TheoryMechanism):
    """M81: a war that mobilized the core ends with a temporary military spending cut and aversion to ground wars.

    Paraphrase: the anti-war movement's success was relative: a temporary fall in military
    spending (1974-78) and resistance to new massive ground-troop commitments in open
    interventions (E §US L114).

    Rule: while a war is on, ``mobilization_peak = max(peak, core_mobilized)``. When the war
    ends (timeline end or withdrawal, M75) with ``peak > episode_threshold``: ``casualty_aversion
    = 1`` (decays in M91), ``spending_cut_left = cut_months`` and the peak resets. Each month
    ``military_spending`` moves a share ``speed`` toward ``1 - cut`` while the cut lasts, toward
    1 afterwards.
    """

    name = "post_war_restraint"
    mids = ("M81",)
    cites = (f"{E} §US L114",)
    framework = "shared"
    phase = "core"
    reads = (*WAR_READS, "globe.core_mobilized", "globe.mobilization_peak", "globe.spending_cut_left",
             "globe.military_spending", "globe.casualty_aversion")  # fmt: skip
    writes = ("globe.mobilization_peak", "globe.spending_cut_left", "globe.military_spending", "globe.casualty_aversion")

    class Params(Params):
        """Parameters of ``post_war_restraint``."""

        episode_threshold: float = param(0.05, ge=0.0, le=1.0, unit="share",
            description="peak core mobilization that makes a war a costly mobilization episode", why="map M81 theta81")  # fmt: skip
        cut: float = param(0.15, ge=0.0, le=1.0, unit="share", description="military spending cut after the episode",
            why="map M81 c81; placeholder (F7 gives the dates, not the size)")  # fmt: skip
        cut_months: int = param(48, ge=0, le=600, unit="months", description="duration of the cut",
            why="F7 (E L114): 1974-1978")  # fmt: skip
        speed: float = param(0.1, ge=0.0, le=1.0, unit="per month", description="speed at which spending follows its target",
            why="placeholder; budgets adjust within a year or two")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        g = state.globe
        war = war_situation(state)
        peak = float(g.mobilization_peak[0])
        if war.on:
            g.mobilization_peak[0] = max(peak, float(g.core_mobilized[0]))
        elif peak > params.episode_threshold:
            g.casualty_aversion[0] = 1.0
            g.spending_cut_left[0] = params.cut_months
            g.mobilization_peak[0] = 0.0
        left = int(g.spending_cut_left[0])
        target = 1.0 - params.cut if left > 0 else 1.0
        ms = float(g.military_spending[0])
        if left > 0 or abs(ms - 1.0) > 1e-6:
            g.military_spending[0] = ms + params.speed * (target - ms)
        if left > 0:
            g.spending_cut_left[0] = left - 1


@register
class InterImperialConflict(TheoryMechanism):
    """M90: rising resistance in the periphery together with rising costs in the core opens conflicts among imperial powers.

    Paraphrase: as resistance grows in the Third World and the human and economic costs grow
    in the US and Europe, political and social conflicts arise within and among the imperial
    powers (E §Conclusion L263); the text lists a series of tactical defeats as evidence.

    Rule (both factors needed; no drift without them, theory_spec X13)::

        periphery_resistance += (periphery active share - periphery_resistance) / smoothing
        cost_signal      += (casualty_rate - cost_signal) / smoothing
        conflict += rate * min(1, periphery_resistance / resistance_ref) * min(1, cost_signal / cost_ref)
                    * (1 - conflict) - decay * conflict

    The periphery active share is the population-weighted ``share_active`` of non-core countries.
    """

    name = "inter_imperial_conflict"
    mids = ("M90",)
    cites = (f"{E} §Conclusion L263",)
    framework = "shared"
    phase = "core"
    reads = ("countries.is_core", "countries.share_active", "countries.population_weight", "globe.casualty_rate",
             "globe.periphery_resistance", "globe.cost_signal", "globe.inter_imperial_conflict")  # fmt: skip
    writes = ("globe.periphery_resistance", "globe.cost_signal", "globe.inter_imperial_conflict")

    class Params(Params):
        """Parameters of ``inter_imperial_conflict``."""

        smoothing: float = param(12.0, ge=1.0, le=120.0, unit="months", description="time constant of both signals",
            why="map M90: casualties over 12 months")  # fmt: skip
        resistance_ref: float = param(0.1, gt=0.0, le=1.0, unit="share",
            description="periphery active share at which resistance pressure saturates", why="placeholder")  # fmt: skip
        cost_ref: float = param(0.3, gt=0.0, le=1.0, unit="[0,1] casualty rate",
            description="smoothed casualty rate at which cost pressure saturates", why="placeholder (map c_ref_year)")  # fmt: skip
        rate: float = param(0.1, ge=0.0, le=1.0, unit="per month", description="growth rate of conflict", why="map M90 i90")  # fmt: skip
        decay: float = param(0.02, ge=0.0, le=1.0, unit="per month", description="decay of conflict", why="map M90 delta90")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, g = state.countries, state.globe
        per = ~cs.is_core.astype(bool)
        w = cs.population_weight[per].astype(np.float64)
        share = float((cs.share_active[per] * w).sum() / w.sum()) if per.any() and w.sum() > 0 else 0.0
        ch = float(g.periphery_resistance[0]) + (share - float(g.periphery_resistance[0])) / params.smoothing
        cost = float(g.cost_signal[0]) + (float(g.casualty_rate[0]) - float(g.cost_signal[0])) / params.smoothing
        x = float(g.inter_imperial_conflict[0])
        pressure = min(1.0, ch / params.resistance_ref) * min(1.0, cost / params.cost_ref)
        x += params.rate * pressure * (1.0 - x) - params.decay * x
        g.periphery_resistance[0] = ch
        g.cost_signal[0] = cost
        g.inter_imperial_conflict[0] = min(max(x, 0.0), 1.0)


@register
class WarExpansionSpillover(TheoryMechanism):
    """M96: spreading a war to new countries heightens resistance and raises consciousness across the region.

    Paraphrase: efforts to spread the Middle East war to Iran, Syria and Lebanon and to renew
    the war on the Palestinians (attributed in the text to Israeli efforts with Pentagon
    backing; the model reads it only as war expansion, theory_spec 7.3 T10) heighten
    anti-imperialist activity and raise consciousness throughout the region (E §Regimes L183).

    Rule: in the first month of a ``war_escalation`` event of intensity ``e`` on a periphery
    country, its agents get ``consciousness += rise * e * (1 - consciousness)``, ``grievance +=
    grievance_rise * e * (1 - grievance)`` and observe the link to the imperial war with
    probability ``link_p * e``; agents of every other periphery country (the scenario's region;
    the schema has no adjacency) get the same times ``neighbour_weight``.
    """

    name = "war_expansion_spillover"
    mids = ("M96",)
    cites = (f"{E} §Regimes L183",)
    framework = "shared"
    phase = "consciousness"
    reads = ("countries.is_core", "countries.war_escalation", "countries.war_escalation_months", "agents.country",
             "agents.consciousness", "agents.grievance", "agents.link_observed")  # fmt: skip
    writes = ("agents.consciousness", "agents.grievance", "agents.link_observed")

    class Params(Params):
        """Parameters of ``war_expansion_spillover``."""

        rise: float = param(0.1, ge=0.0, le=1.0, unit="share of room to 1", description="consciousness rise in the new target",
            why="map M96 s96")  # fmt: skip
        grievance_rise: float = param(0.1, ge=0.0, le=1.0, unit="share of room to 1",
            description="grievance rise in the new target", why="E L183 'heightening anti-imperialist activity'; placeholder")  # fmt: skip
        link_p: float = param(0.5, ge=0.0, le=1.0, unit="probability", description="chance to observe the link to the war",
            why="map M96")  # fmt: skip
        neighbour_weight: float = param(0.5, ge=0.0, le=1.0, unit="factor", description="effect on other periphery countries",
            why="map M96 w = 0.5 for neighbours")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, a = state.countries, state.agents
        per = ~cs.is_core.astype(bool)
        onset = per & (cs.war_escalation_months == 1) & (cs.war_escalation > 0)
        if not onset.any():
            return
        e = float(cs.war_escalation[onset].max())
        w = np.where(onset, cs.war_escalation, np.where(per, params.neighbour_weight * e, 0.0)).astype(np.float32)
        wa = w[a.country]
        hit = np.flatnonzero(wa > 0)
        wh = wa[hit]
        c = a.consciousness[hit]
        a.consciousness[hit] = c + np.float32(params.rise) * wh * (np.float32(1) - c)
        gr = a.grievance[hit]
        a.grievance[hit] = gr + np.float32(params.grievance_rise) * wh * (np.float32(1) - gr)
        seen = hit[rng.random(hit.size, dtype=np.float32) < np.float32(params.link_p) * wh]
        a.link_observed[seen] = True
