"""Transnational family: hegemony, capital's restructuring, and how global accumulation remakes labor and communities.

Source I (theory_spec 3.10-3.11). Neoliberal hegemony breeds resignation and cracks with crises
and symbolic uprisings (M113, M122); sustained counter-hegemony in a crisis leads capital to
restructure (M137). Tourism draws communities into global capitalism (M128); resource
extraction in indigenous territories meets indigenous resistance whatever the export
destination (M132); China's coastal zones pull raw-material exports (M134), which under the
inter-state-rivalry reading, and only there, move alignment (M135, X1). Informal and unemployed
workers organize around reproduction and disruption (M138); borders segment labor (M139); and
migrant communities carry mobilization across borders (M136, M140).

Framework tags follow mechanism_map 0.6: hegemony, restructuring, M138 and the migrant coupling
run in the TNC set only; the rivalry branch of M135 runs in the IMP set only (its TNC branch is
the absence of any export-to-alignment term); the rest run in both. Every rate is a placeholder
(theory_spec 7.4) unless its ``why`` names a figure of the texts.
"""

from __future__ import annotations

import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.world_schema import EMPLOY, N_CLASSES, STATUS, TACTICS, TARGETS, C, Var, code_lut, move_class

E = "000_c5680132a7806926.txt"  # Petras 2003 (theory_spec: E)
I = "001_f7b7902be34493f6.txt"  # Robinson 2006 interview (theory_spec: I)  # noqa: E741
S2 = "003_78c37153d0bc2d9c.txt"  # short statement S2

Q, MOB, ORG, ARM, JAIL, EMIG = (STATUS[s] for s in ("quiescent", "mobilized", "organized", "armed", "jailed", "emigrated"))

COLUMNS = (
    Var("globe", "counter_hegemony", "float32", "share", "world active share, smoothed (M113, M137)", 0, "mechanism"),
    Var("globe", "crisis_level", "float32", "[0,1]", "population-weighted crisis intensity over periphery countries (M113, M137)", 0, "mechanism"),
    Var("globe", "crisis_months", "int16", "months", "consecutive months of world crisis above the restructuring threshold (M137)", 0, "mechanism"),
    Var("globe", "restructurings", "int16", "count", "restructurings of the accumulation model by capital (M137)", 0, "mechanism"),
    Var("globe", "accumulation_model", "int8", "code", "0 national-corporatist (ISI), 1 global (M126, M137)", 1, "builder"),
    Var("countries", "export_share_china", "float32", "share", "share of the country's exports going to China's coastal zones (M134)", 0.05, "scenario"),
    Var("agents", "migrant_link", "int16", "index", "country row of the agent's relatives across a border, -1 if none (M140)", -1, "mechanism"),
)  # fmt: skip


def _ramp_toward(x: np.ndarray, target: np.ndarray, speed: float) -> None:
    x += np.float32(speed) * (target.astype(np.float32) - x)


# --------------------------------------------------------------------------------------------
# Hegemony and capital's restructuring (M113, M122, M137)
# --------------------------------------------------------------------------------------------


@register
class Hegemony(TheoryMechanism):
    """M113, M122: neoliberal hegemony breeds resignation; crises and symbolic uprisings crack it.

    Paraphrase: neoliberalism became hegemonic "in the Gramscian sense", with elites agreed and
    many popular forces resigned to "no alternative"; that hegemony "cracked in the late '90s",
    the Argentine crisis being a major turning point, and the outcome is open (I L5, M113). The
    Zapatista uprising of 1994, at the height of "no alternative", marked "the beginning of the
    end of neoliberalism's hegemony" (I L33, M122).

    Rule (TNC set; IMP runs do not use hegemony)::

        crisis_level     = population-weighted mean of periphery ``crisis`` intensity
        counter_hegemony += smooth * (world active share - counter_hegemony)
        salience         = hegemony_crack intensity in its first month (max over countries)
                           + ouster_salience * [a government was ousted this month]
        hegemony        += -erode * crisis_level * hegemony - symbolic * salience * hegemony
                           + recover * (1 - counter_hegemony / ch_full) * (1 - hegemony)

    (recovery clipped at 0). Resignation: each month a mobilized agent without an organization
    goes quiescent with probability ``resignation * hegemony``. No directional drift is built in
    (X13): hegemony recovers when resistance is low.
    """

    name = "hegemony"
    family = "consciousness"
    mids = ("M113", "M122")
    cites = (f"{I} L5", f"{I} L33")
    framework = "tnc"
    phase = "regime"
    reads = ("globe.hegemony", "globe.counter_hegemony", "globe.n_active", "countries.crisis", "countries.is_core",
             "countries.n_alive", "countries.hegemony_crack", "countries.hegemony_crack_months",
             "countries.ousted_this_month", "agents.status", "agents.org")  # fmt: skip
    writes = ("globe.hegemony", "globe.counter_hegemony", "globe.crisis_level", "agents.status")

    class Params(Params):
        """Parameters of ``hegemony``."""

        erode: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="share of hegemony lost per month at full world crisis", why="placeholder; map d113")  # fmt: skip
        symbolic: float = param(0.1, ge=0.0, le=1.0, unit="share",
            description="share of hegemony lost to a fully salient symbolic uprising", why="placeholder; map s122")  # fmt: skip
        ouster_salience: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="salience of a government ousted by mobilization anywhere",
            why="placeholder; I L5 names the Argentine crisis (ousters of 2001) a turning point")  # fmt: skip
        recover: float = param(0.002, ge=0.0, le=1.0, unit="per month",
            description="monthly recovery toward full hegemony when there is no resistance", why="placeholder; map r113")  # fmt: skip
        ch_full: float = param(0.1, gt=0.0, le=1.0, unit="share",
            description="world active share at which hegemony stops recovering", why="placeholder")  # fmt: skip
        smooth: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="smoothing of the world active share into counter-hegemony", why="a memory of about a year")  # fmt: skip
        resignation: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly probability an unorganized mobilized agent gives up, at full hegemony",
            why="placeholder; I L5 'resigned to no alternative'")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        g, cs = state.globe, state.countries
        per = ~cs.is_core
        w = cs.n_alive * per
        g.crisis_level[0] = float((cs.crisis * w).sum() / max(w.sum(), 1))
        share = g.n_active[0] / max(int(cs.n_alive.sum()), 1)
        g.counter_hegemony[0] += params.smooth * (share - g.counter_hegemony[0])
        onset = (cs.hegemony_crack_months == 1) * cs.hegemony_crack
        salience = min(1.0, float(onset.max(initial=0.0)) + params.ouster_salience * bool(cs.ousted_this_month.any()))
        h = float(g.hegemony[0])
        rec = max(0.0, 1.0 - g.counter_hegemony[0] / params.ch_full)
        h += -params.erode * g.crisis_level[0] * h - params.symbolic * salience * h + params.recover * rec * (1.0 - h)
        g.hegemony[0] = min(max(h, 0.0), 1.0)
        p = params.resignation * g.hegemony[0]
        if p <= 0:
            return
        st = state.agents.status
        cand = np.flatnonzero((st == MOB) & (state.agents.org < 0))
        st[cand[rng.random(cand.size, dtype=np.float32) < p]] = Q


@register
class CapitalRestructuring(TheoryMechanism):
    """M137: sustained counter-hegemony during a prolonged crisis leads capital to restructure accumulation.

    Paraphrase: 1968 signalled "the rise of a world counter-hegemony" that led capital to
    conclude it had to restructure; the crisis of the early 1970s gave it the means, and capital
    "went global and unleashed neoliberalism" (I L81).

    Rule (TNC set): ``crisis_months`` counts consecutive months with world ``crisis_level`` at
    least ``crisis_min``. When ``counter_hegemony > threshold`` and ``crisis_months >=
    min_months``, capital restructures with probability ``rate`` a month: ``restructurings``
    counts it, ``accumulation_model`` becomes global, ``structural_power`` rises by ``power_gain``
    (capped at 1), ``hegemony`` is restored by ``hegemony_gain`` of its gap (a new consensus),
    and the crisis count restarts. The class-structure consequence (M126) is not formalized.
    """

    name = "capital_restructuring"
    mids = ("M137",)
    cites = (f"{I} L81",)
    framework = "tnc"
    phase = "core"
    reads = ("globe.counter_hegemony", "globe.crisis_level", "globe.crisis_months", "globe.structural_power",
             "globe.hegemony")  # fmt: skip
    writes = ("globe.crisis_months", "globe.restructurings", "globe.accumulation_model", "globe.structural_power",
              "globe.hegemony")  # fmt: skip

    class Params(Params):
        """Parameters of ``capital_restructuring``."""

        threshold: float = param(0.1, ge=0.0, le=1.0, unit="share",
            description="counter-hegemony (smoothed world active share) needed", why="placeholder; map theta137")  # fmt: skip
        crisis_min: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="world crisis level that counts as a crisis month", why="placeholder")  # fmt: skip
        min_months: int = param(12, ge=1, le=600, unit="months",
            description="consecutive crisis months needed", why="placeholder; map T137")  # fmt: skip
        rate: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly probability of restructuring once both conditions hold", why="placeholder; map p137")  # fmt: skip
        power_gain: float = param(0.2, ge=0.0, le=1.0, unit="[0,1]",
            description="rise of capital's structural power on restructuring", why="placeholder; map M137")  # fmt: skip
        hegemony_gain: float = param(0.5, ge=0.0, le=1.0, unit="share",
            description="share of the gap to full hegemony restored by a restructuring",
            why="placeholder; neoliberalism became the new consensus (I L5, L81)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        g = state.globe
        crisis = g.crisis_level[0] >= params.crisis_min
        g.crisis_months[0] = min(int(g.crisis_months[0]) + 1, 30000) if crisis else 0
        if not (g.counter_hegemony[0] > params.threshold and g.crisis_months[0] >= params.min_months):
            return
        if rng.random() >= params.rate:
            return
        g.restructurings[0] += 1
        g.accumulation_model[0] = 1
        g.structural_power[0] = min(1.0, g.structural_power[0] + params.power_gain)
        g.hegemony[0] += params.hegemony_gain * (1.0 - g.hegemony[0])
        g.crisis_months[0] = 0


# --------------------------------------------------------------------------------------------
# Labor and communities (M128, M132, M138, M139)
# --------------------------------------------------------------------------------------------


@register
class TourismIncorporation(TheoryMechanism):
    """M128: global tourism draws rural communities into global capitalism as low-paid tourism workers.

    Paraphrase: the global tourist industry is "sweeping across Latin America", employs millions
    and penetrates many "traditional" communities, bringing them into global capitalism (I L51).

    Rule: in a country with ``tourism`` at intensity ``t``, each peasant farmer (C1) or
    indigenous community member (C3) becomes a tourism worker (C16) with probability ``rate *
    t`` a month: employment informal, crop none, income at most ``wage`` of its starting level.
    No effect on mobilization is claimed (theory_spec 7.4).
    """

    name = "tourism_incorporation"
    family = "transnational"
    mids = ("M128",)
    cites = (f"{I} L51",)
    phase = "economy"
    reads = ("countries.tourism", "agents.country", "agents.class_code", "agents.income")
    writes = ("agents.class_code", "agents.cell", "agents.employment", "agents.crop", "agents.income")

    class Params(Params):
        """Parameters of ``tourism_incorporation``."""

        rate: float = param(0.002, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a rural community member enters tourism work at full intensity",
            why="placeholder; map t128")  # fmt: skip
        wage: float = param(0.8, ge=0.0, le=2.0, unit="ratio to baseline",
            description="income of a new tourism worker relative to its starting income", why="placeholder; map y16 (low-paid)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        t = state.countries.tourism
        if not t.any():
            return
        a = state.agents
        cand = np.flatnonzero(((a.class_code == C["peasant_farmer"]) | (a.class_code == C["indigenous_community"]))
                              & (t[a.country] > 0))  # fmt: skip
        moved = cand[rng.random(cand.size, dtype=np.float32) < params.rate * t[a.country[cand]]]
        move_class(a, moved, C["tourism_worker"])
        a.employment[moved] = EMPLOY["informal"]
        a.crop[moved] = 0
        a.income[moved] = np.minimum(a.income[moved], np.float32(params.wage))


@register
class ExtractionResistance(TheoryMechanism):
    """M132: transnational resource extraction in indigenous territories triggers indigenous resistance, whatever the export destination.

    Paraphrase: indigenous communities have "intensified that resistance in a direct
    confrontation with transnational capital" over oil, gas, energy and mining in their
    territories (I L59), a confrontation with global capitalism "no matter where that oil is
    going to" (I L75).

    Rule: in a country with ``resource_extraction`` at intensity ``x``, indigenous agents gain
    ``entry_jump * x`` grievance (capped at 1) in the first month, observe the link and aim at
    the top of the target hierarchy (``imperial_state``, read as global capital under TNC);
    every later month of the project adds ``pressure * x * (1 - grievance)``. No term depends
    on ``export_share_china`` (P39).
    """

    name = "extraction_resistance"
    family = "grievance"
    mids = ("M132",)
    cites = (f"{I} L59", f"{I} L75")
    phase = "grievance"
    reads = ("countries.resource_extraction", "countries.resource_extraction_months", "agents.country",
             "agents.indigenous", "agents.grievance")  # fmt: skip
    writes = ("agents.grievance", "agents.link_observed", "agents.target")

    class Params(Params):
        """Parameters of ``extraction_resistance``."""

        entry_jump: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="grievance added to indigenous agents when a project enters, at full intensity",
            why="placeholder; map a132")  # fmt: skip
        pressure: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="share of the room to full grievance added each month while the project runs",
            why="placeholder; sustained confrontation (I L59)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        x = cs.resource_extraction
        if not x.any():
            return
        a = state.agents
        hit = np.flatnonzero(a.indigenous & (x[a.country] > 0))
        xa = x[a.country[hit]]
        onset = (cs.resource_extraction_months == 1)[a.country[hit]]
        g = a.grievance[hit]
        g += np.where(onset, params.entry_jump * xa, params.pressure * xa * (1.0 - g)).astype(np.float32)
        a.grievance[hit] = np.minimum(g, np.float32(1))
        first = hit[onset]
        a.link_observed[first] = True
        a.target[first] = TARGETS.index("imperial_state")


@register
class InformalTactics(TheoryMechanism):
    """M138: organizations of informal workers turn to social-movement unionism, those of the unemployed to disruption.

    Paraphrase: the working class is "increasingly informalized, flexiblized", so organizing
    moves from the point of production to production and reproduction; the structurally
    unemployed cannot withhold labor and must "disrupt the daily functioning of the system"
    (the piqueteros); informal workers need "social movement unionism" (I L83).

    Rule (TNC set; P38's TNC lever): for each unarmed organization with members, shares of
    formal, informal and unemployed members are counted. Each month with probability
    ``revise`` its tactic becomes the best of::

        general_strike   u * formal_share
        social_unionism  u * informal_share
        disruption       u * unemployed_share

    plus ``keep`` for its current tactic if that is one of the three. Armed organizations keep
    their tactic.
    """

    name = "informal_tactics"
    family = "tactics"
    mids = ("M138",)
    cites = (f"{I} L83",)
    framework = "tnc"
    phase = "organization"
    reads = ("agents.org", "agents.employment", "agents.status", "orgs.exists", "orgs.armed", "orgs.tactic")
    writes = ("orgs.tactic",)

    _CHOICES = np.array([TACTICS.index("general_strike"), TACTICS.index("social_unionism"), TACTICS.index("disruption")])

    class Params(Params):
        """Parameters of ``informal_tactics``."""

        u: float = param(1.5, ge=0.0, le=10.0, unit="utility",
            description="weight of member employment composition in the tactic utilities", why="placeholder; map u138")  # fmt: skip
        keep: float = param(0.2, ge=0.0, le=10.0, unit="utility",
            description="added utility of the current tactic (inertia)", why="placeholder")  # fmt: skip
        revise: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="monthly probability an organization reconsiders its tactic", why="placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        og, a = state.orgs, state.agents
        live = og.exists & ~og.armed
        if not live.any():
            return
        mem = np.flatnonzero((a.org >= 0) & (a.status != EMIG))
        o, e = a.org[mem], a.employment[mem]
        n = og.n
        formal = np.bincount(o[e == EMPLOY["formal"]], minlength=n)
        informal = np.bincount(o[e == EMPLOY["informal"]], minlength=n)
        unemp = np.bincount(o[e == EMPLOY["unemployed"]], minlength=n)
        tot = formal + informal + unemp
        rows = np.flatnonzero(live & (tot > 0))
        rows = rows[rng.random(rows.size) < params.revise]
        if rows.size == 0:
            return
        u = params.u * np.stack([formal[rows], informal[rows], unemp[rows]], axis=1) / tot[rows, None]
        u += params.keep * (og.tactic[rows, None] == self._CHOICES[None, :])
        og.tactic[rows] = self._CHOICES[np.argmax(u, axis=1)]


@register
class SegmentedSolidarity(TheoryMechanism):
    """M139: a border regime segments immigrant and national labor and cuts the solidarity between them, unless immigrants are organized.

    Paraphrase: global accumulation depends on immigrant labor pools; borders are "barriers to
    labor and not to capital", functional to transnational capital (Nicaraguans in Costa Rica,
    Latinos in the US); organizing informal and immigrant workers, e.g. in workers' centres, is
    "the only way forward" (I L87-L89).

    Rule: in each country, solidarity passes between immigrant workers (C15) and national
    workers (C6, C9, C10, C18) in proportion to the other group's active share (last month's
    statuses)::

        segmentation_eff = border_regime * (1 - centres * organized share of immigrants)
        grievance += spill * active_share(other group) * (1 - segmentation_eff) * (1 - grievance)

    ``border_regime`` (D52) is the segmentation; ``organized share of immigrants`` is the share
    of C15 agents who belong to an organization (a workers' centre or union).
    """

    name = "segmented_solidarity"
    family = "transnational"
    mids = ("M139",)
    cites = (f"{I} L87-L89",)
    phase = "grievance"
    reads = ("countries.border_regime", "agents.cell", "agents.status", "agents.org", "agents.grievance")  # fmt: skip
    writes = ("agents.grievance",)

    _NATIONAL = code_lut((C["informal_unemployed"], C["industrial_worker"], C["service_worker"], C["core_worker"]))

    class Params(Params):
        """Parameters of ``segmented_solidarity``."""

        spill: float = param(0.2, ge=0.0, le=1.0, unit="per month per share",
            description="grievance passed across the immigrant-national line per unit of the other group's active share",
            why="placeholder")  # fmt: skip
        centres: float = param(0.5, ge=0.0, le=1.0, unit="share",
            description="share of the segmentation undone when every immigrant worker is organized",
            why="placeholder; map w139 (I L89 workers' centres)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, cs = state.agents, state.countries
        n, ncls = cs.n, N_CLASSES
        n_cell = np.bincount(a.cell, minlength=n * ncls).reshape(n, ncls)
        mig_c = C["migrant_worker"]
        nat_cls = np.flatnonzero(self._NATIONAL[:ncls])
        n_m = n_cell[:, mig_c]
        n_n = n_cell[:, nat_cls].sum(axis=1)
        if not ((n_m > 0) & (n_n > 0)).any():
            return
        st = a.status
        act = np.flatnonzero((st >= MOB) & (st <= ARM))
        act_cell = np.bincount(a.cell[act], minlength=n * ncls).reshape(n, ncls)
        mem = np.flatnonzero(a.org >= 0)
        org_m = np.bincount(a.cell[mem], minlength=n * ncls).reshape(n, ncls)[:, mig_c] / np.maximum(n_m, 1)
        act_m = act_cell[:, mig_c] / np.maximum(n_m, 1)
        act_n = act_cell[:, nat_cls].sum(axis=1) / np.maximum(n_n, 1)
        seg = cs.border_regime * (1.0 - params.centres * org_m)
        open_ = params.spill * (1.0 - seg) * ((n_m > 0) & (n_n > 0))
        k_cell = np.zeros((n, ncls), dtype=np.float32)
        k_cell[:, nat_cls] = (open_ * act_m)[:, None]
        k_cell[:, mig_c] = open_ * act_n
        k = k_cell.ravel()[a.cell]
        idx = np.flatnonzero(k)
        if idx.size == 0:
            return
        g = a.grievance[idx]
        a.grievance[idx] = g + k[idx] * (np.float32(1) - g)


# --------------------------------------------------------------------------------------------
# Migrant communities across borders (M136, M140)
# --------------------------------------------------------------------------------------------


@register
class TransnationalCommunities(TheoryMechanism):
    """M136, M140: migrant communities tie sending and receiving countries, and mobilization crosses the border both ways.

    Paraphrase: organic communities are now transnational, families split across borders and
    sending remittances, so their struggles are "transnational by definition": the March 25
    Coalition led the May 1 2006 strike in the US and sent a delegation to Mexico City after the
    electoral fraud (I L93, M140). North-South relations are social relations inside global
    capitalism; the US immigrant-rights movement is part of the same wave as Latin American
    movements (I L79, M136).

    Rule (TNC set; IMP runs, with no cross-border coupling, are the X5 contrast). In the first
    month of a ``labor_export`` event (D48) of intensity ``e`` in a sending country ``o``, the
    receiving country ``h`` is the other country with most migrant workers (C15); each C15
    agent of ``h`` without a link gets ``migrant_link = o`` and each agent of ``o`` gets
    ``migrant_link = h`` with probability ``link_share * e``. Then each month every linked agent
    gains ``coupling * active_share[linked country] * (1 - grievance)`` grievance (last month's
    active share).
    """

    name = "transnational_communities"
    family = "transnational"
    mids = ("M136", "M140")
    cites = (f"{I} L79", f"{I} L93")
    framework = "tnc"
    phase = "grievance"
    reads = ("countries.labor_export", "countries.labor_export_months", "countries.share_active",
             "agents.country", "agents.class_code", "agents.migrant_link", "agents.grievance")  # fmt: skip
    writes = ("agents.migrant_link", "agents.grievance")

    class Params(Params):
        """Parameters of ``transnational_communities``."""

        link_share: float = param(0.2, ge=0.0, le=1.0, unit="share",
            description="share of a sending country's agents with relatives abroad, at full labor-export intensity",
            why="placeholder; I L55 remittances reach hundreds of millions")  # fmt: skip
        coupling: float = param(0.5, ge=0.0, le=5.0, unit="per month per share",
            description="grievance drawn from the linked country's active share", why="placeholder; map x140")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, a = state.countries, state.agents
        ci = a.country
        onset = np.flatnonzero((cs.labor_export_months == 1) & (cs.labor_export > 0))
        if onset.size:
            mig = a.class_code == C["migrant_worker"]
            n_mig = np.bincount(ci[mig], minlength=cs.n)
            for o in onset:
                counts = n_mig.copy()
                counts[o] = -1
                h = int(np.argmax(counts))
                if counts[h] <= 0:
                    continue
                a.migrant_link[mig & (ci == h) & (a.migrant_link < 0)] = o
                lo, hi = np.searchsorted(ci, [o, o + 1]) if np.all(ci[:-1] <= ci[1:]) else (0, 0)
                home = np.arange(lo, hi) if hi > lo else np.flatnonzero(ci == o)
                home = home[a.migrant_link[home] < 0]
                pick = home[rng.random(home.size, dtype=np.float32) < params.link_share * cs.labor_export[o]]
                a.migrant_link[pick] = h
        if not (cs.share_active > 0).any():
            return
        linked = np.flatnonzero(a.migrant_link >= 0)
        if linked.size == 0:
            return
        k = (params.coupling * cs.share_active).astype(np.float32)[a.migrant_link[linked]]
        g = a.grievance[linked]
        a.grievance[linked] = np.minimum(g + k * (np.float32(1) - g), np.float32(1))


# --------------------------------------------------------------------------------------------
# China and alignment (M134, M135; X1)
# --------------------------------------------------------------------------------------------


@register
class ChinaZoneExports(TheoryMechanism):
    """M134: raw-material demand from China's coastal accumulation zones draws periphery exports there.

    Paraphrase: China is the "workhouse of transnational capital", a transnationalized territory
    where global capital lands for a phase of accumulation; Latin America exports soy, copper
    and oil to those coastal zones (I L69-L73). Only the demand link is formalized: the
    investment-location choice among zones (labor cost, skills, agglomeration) has no zone
    attributes in this world and is not modelled.

    Rule: with ``raw_material_demand`` (D50) at intensity ``d`` in a country and its primary
    export base ``b = share_agriculture + share_extractive`` (capped at 1)::

        export_share_china += speed * (d * b * max_share - export_share_china)     while d > 0

    Runs in both frameworks; what exports do to alignment is ``export_alignment`` (IMP only).
    """

    name = "china_zone_exports"
    family = "transnational"
    mids = ("M134",)
    cites = (f"{I} L69-L73",)
    phase = "economy"
    reads = ("countries.raw_material_demand", "countries.share_agriculture", "countries.share_extractive",
             "countries.export_share_china")  # fmt: skip
    writes = ("countries.export_share_china",)

    class Params(Params):
        """Parameters of ``china_zone_exports``."""

        max_share: float = param(0.6, ge=0.0, le=1.0, unit="share",
            description="share of exports going to China at full demand and an all-primary export base",
            why="placeholder")  # fmt: skip
        speed: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="share of the gap to the demand-driven export share closed each month",
            why="placeholder: trade shifts over several years")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        d = cs.raw_material_demand
        if not d.any():
            return
        base = np.minimum(cs.share_agriculture + cs.share_extractive, 1.0)
        on = d > 0
        x = cs.export_share_china
        x[on] += (params.speed * (d * base * params.max_share - x)).astype(np.float32)[on]


@register
class ExportAlignment(TheoryMechanism):
    """M135: inter-state-rivalry branch: exports to China move a country's alignment away from the imperial state.

    Paraphrase: I rejects the reading that raw-material exports to China mean Latin America "is
    breaking away from the US": the exports feed "global capitalism in China" and the rivalry
    framing "totally misses the point" (I L71-L73). The rivalry reading it criticizes is
    supplied by the IMP texts' framing of imperial rivals (E L112; S2 L19; theory_spec X1, M100).
    This class is that counterfactual branch, run only in the IMP set; in the TNC set no rule
    links export destination to alignment, which is M135's claim.

    Rule (IMP set)::

        alignment -= response * max(0, change of export_share_china since last month)

    using the previous month's export share (``export_share_seen``), clipped to [0, 1].
    """

    name = "export_alignment"
    family = "transnational"
    mids = ("M135",)
    cites = (f"{I} L71-L73", f"{E} §US L112", f"{S2} L19")
    framework = "imp"
    phase = "regime"
    reads = ("countries.export_share_china", "countries.export_share_seen", "countries.alignment")
    writes = ("countries.alignment", "countries.export_share_seen")

    class Params(Params):
        """Parameters of ``export_alignment``."""

        response: float = param(0.5, ge=0.0, le=5.0, unit="per share",
            description="fall in alignment per unit rise of the export share to China", why="placeholder; map r135")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        seen = cs.export_share_seen
        first = seen < 0
        seen[first] = cs.export_share_china[first]
        rise = np.maximum(cs.export_share_china - seen, 0.0)
        if rise.any():
            cs.alignment[:] = np.clip(cs.alignment - params.response * rise, 0.0, 1.0)
        seen[:] = cs.export_share_china


COLUMNS = COLUMNS + (
    Var("countries", "export_share_seen", "float32", "share", "export share to China seen last month by export_alignment (-1 before)", -1, "mechanism"),
)  # fmt: skip
