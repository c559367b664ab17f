"""Class formation family: how imperial policy remakes the periphery's classes (theory_spec 3.1-3.2).

The rural channels take land from smallholders (M15, M18, M19); the displaced become landless
workers and then informal urban workers or emigrants (M16) and, where grievance runs high, found
rural movements (M17). Credit, cheap imports and foreign retail bankrupt small capital (M27),
whose stance is tempered by what it gains from cheaper labour, while the associated bourgeoisie
gains outright (M29, M30). Foreign banks' capital flight hits depositors at once (M7); long
military assistance feeds grievance and an armed tradition (M2). Maquila control and union
restraint hold back two urban fractions (M25, M26), while losses traced directly to an imperial
policy weigh more on rural producers (M31). The erosion of the two social pillars lowers
legitimacy (M22).

Conventions as in ``grievance.py`` (the worked example): vectorized over agents, country values
gathered by ``agents.country``, early return when the driving event is off everywhere. Where a
rule needs a fixed individual trait that no column holds (the productive minority of PYMES, the
militant minority of unions), it is derived from the agent's row number by a fixed hash
(``_trait``), so it costs no column and no random draw and is the same in every run.
"""

from __future__ import annotations

import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.grievance import _class_mask, _lower_toward
from periphery.theory.world_schema import CROP, EMPLOY, EVENT_NAMES, STATUS, C, Var, move_class

E = "000_c5680132a7806926.txt"  # Petras 2003 (theory_spec: E)

Q, MOB, ORG, ARM, JAIL, EMIG = (STATUS[s] for s in ("quiescent", "mobilized", "organized", "armed", "jailed", "emigrated"))
_RURAL_HOLDERS = (C["peasant_farmer"], C["indigenous_community"])
_RURAL = (C["peasant_farmer"], C["landless_rural_worker"], C["indigenous_community"])

COLUMNS = (
    Var("countries", "bankruptcy_rate", "float32", "per year",
        "small and medium firms (C11) going bankrupt, 12-month moving rate (M27)", 0, "mechanism"),
    Var("countries", "pillar_grievance", "float32", "[0,1]",
        "mean grievance of the two pillars of stability: landholding smallholders (C1) and public employees (C4) (M22)",
        0, "mechanism"),
)  # fmt: skip


def _trait(idx: np.ndarray) -> np.ndarray:
    """A fixed uniform [0, 1) value per agent row (Knuth multiplicative hash); no randomness consumed."""
    h = (idx.astype(np.uint64) * np.uint64(2654435761)) % np.uint64(4294967296)
    return (h.astype(np.float64) / 4294967296.0).astype(np.float32)


def _country_mean(values: np.ndarray, country: np.ndarray, mask: np.ndarray, nc: int) -> np.ndarray:
    """Mean of ``values`` over agents in ``mask``, per country (0 where a country has none)."""
    ci = country[mask]
    s = np.bincount(ci, weights=values[mask], minlength=nc)
    n = np.bincount(ci, minlength=nc)
    return np.where(n > 0, s / np.maximum(n, 1), 0.0)


# --------------------------------------------------------------------------------------------
# Economy phase
# --------------------------------------------------------------------------------------------


@register
class RuralLandLoss(TheoryMechanism):
    """M15, M18, M19: agro-export credit, the end of communal titles and the credit squeeze take smallholders' land.

    Paraphrase: loans and aid to agro-export firms concentrate ownership and push subsistence
    peasants off the land; ending communal titles and limits on foreign ownership stratifies
    the countryside; falling prices and denied formal credit push small producers to informal
    lenders (E L130-133). The hardest hit are regions with many Indian and black peasants,
    including by coercion to seize land with mineral reserves (E L135, M18). Infrastructure
    funded by the IFIs links almost only the large agro-exporters to markets, which deepens
    the concentration (E L135, M19). (Subsidized imports, the first channel, are in
    ``subsidized_imports_income``.) The texts' driver is imperial-state policy; the TNC view
    names other drivers for the same outcome (theory_spec X11), so this runs in both
    frameworks and scenarios choose the levers.

    Rule, per smallholder (C1, C3) holding land, with country intensities ``ag``
    (agro_export_credit), ``ti`` (land_titling_end), ``cr`` (credit_squeeze), ``ex``
    (resource_extraction) and ``m = agro_export_credit_months``::

        infra  = 1 + infra_gain * min(1, m / infra_build_months)         (M19)
        h      = credit_hazard * ag * infra
               + titles_hazard * ti * communal
               + squeeze_hazard * cr * [income < squeeze_income]
        h     *= 1 + indigenous_factor * indigenous                       (M18)
        h     += seizure_hazard * ex * indigenous                         (M18)
        lose land with probability h: land = 0, displaced = True, income *= 1 - loss_income_drop

    ``communal`` is 1 for indigenous agents and C3 (communal titles). The credit squeeze also
    lowers smallholders' income toward ``1 - squeeze_loss * cr``.
    """

    name = "rural_land_loss"
    mids = ("M15", "M18", "M19")
    cites = (f"{E} §ClassStructure L130-L133", f"{E} §ClassStructure L135")
    framework = "shared"
    phase = "economy"
    reads = ("countries.agro_export_credit", "countries.agro_export_credit_months", "countries.land_titling_end",
             "countries.credit_squeeze", "countries.resource_extraction", "agents.country", "agents.class_code",
             "agents.land", "agents.indigenous", "agents.income", "agents.status")  # fmt: skip
    writes = ("agents.land", "agents.displaced", "agents.income")

    class Params(Params):
        """Parameters of ``rural_land_loss``."""

        credit_hazard: float = param(0.002, ge=0.0, le=1.0, unit="per month",
            description="land-loss probability of a smallholder from agro-export credit at full intensity",
            why="placeholder; E L131 states concentration and displacement, no rate (theory_spec 7.4)")  # fmt: skip
        infra_gain: float = param(0.5, ge=0.0, le=5.0, unit="factor",
            description="extra agro-export hazard once IFI-funded infrastructure is fully built (M19)",
            why="placeholder; E L135 says the infrastructure reinforces concentration, no size")  # fmt: skip
        infra_build_months: int = param(60, ge=1, le=600, unit="months",
            description="months of agro-export programs until their infrastructure is complete",
            why="placeholder: roads and ports take years")  # fmt: skip
        titles_hazard: float = param(0.003, ge=0.0, le=1.0, unit="per month",
            description="land-loss probability of a communal holder when communal titles end, at full intensity",
            why="placeholder; E L132 states stratification, no rate")  # fmt: skip
        squeeze_hazard: float = param(0.002, ge=0.0, le=1.0, unit="per month",
            description="land-loss probability of an indebted smallholder (income below squeeze_income) under a full credit squeeze",
            why="placeholder; E L133 (informal lenders), no rate")  # fmt: skip
        squeeze_income: float = param(0.7, ge=0.0, le=2.0, unit="ratio to baseline",
            description="income below which a squeezed smallholder risks losing the land to debt",
            why="placeholder")  # fmt: skip
        squeeze_loss: float = param(0.2, ge=0.0, le=1.0, unit="share of income",
            description="long-run income loss of smallholders under a full credit squeeze",
            why="placeholder; E L133: prices fall while credit costs rise")  # fmt: skip
        squeeze_speed: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="share of the gap to the squeezed income closed each month", why="a loss over some years")  # fmt: skip
        indigenous_factor: float = param(0.5, ge=0.0, le=10.0, unit="factor",
            description="extra land-loss hazard of indigenous and black smallholders (M18)",
            why="placeholder; E L135: policies hit these populations hardest")  # fmt: skip
        seizure_hazard: float = param(0.003, ge=0.0, le=1.0, unit="per month",
            description="land seizure probability of indigenous holders where mineral extraction advances, at full intensity (M18)",
            why="placeholder; E L135: coercion to seize land with mineral reserves")  # fmt: skip
        loss_income_drop: float = param(0.4, ge=0.0, le=1.0, unit="share of income",
            description="income lost with the land", why="placeholder; no figure in the texts")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        ag, ti, cr, ex = cs.agro_export_credit, cs.land_titling_end, cs.credit_squeeze, cs.resource_extraction
        if not (ag.any() or ti.any() or cr.any() or ex.any()):
            return
        a = state.agents
        on = (ag > 0) | (ti > 0) | (cr > 0) | (ex > 0)
        holder = _class_mask(a.class_code, _RURAL_HOLDERS) & (a.land > 0) & (a.status != EMIG) & on[a.country]
        idx = np.flatnonzero(holder)
        if idx.size == 0:
            return
        ci = a.country[idx]
        if cr.any():
            sq = cr[ci]
            sub = a.income[idx]
            _lower_toward(sub, sq > 0, 1.0 - params.squeeze_loss * sq, params.squeeze_speed)
            a.income[idx] = sub
        infra = 1.0 + params.infra_gain * np.minimum(1.0, cs.agro_export_credit_months / params.infra_build_months)
        base_c = (params.credit_hazard * ag * infra).astype(np.float32)
        indig = a.indigenous[idx]
        communal = indig | (a.class_code[idx] == C["indigenous_community"])
        h = base_c[ci]
        h += np.float32(params.titles_hazard) * ti[ci] * communal
        h += np.float32(params.squeeze_hazard) * cr[ci] * (a.income[idx] < params.squeeze_income)
        h *= np.where(indig, np.float32(1.0 + params.indigenous_factor), np.float32(1.0))
        h += np.float32(params.seizure_hazard) * ex[ci] * indig
        lost = idx[rng.random(idx.size, dtype=np.float32) < h]
        a.land[lost] = 0
        a.displaced[lost] = True
        a.income[lost] *= np.float32(1.0 - params.loss_income_drop)


@register
class RuralOutmigration(TheoryMechanism):
    """M16: dispossessed smallholders become landless; the landless displaced drift to informal urban work or emigrate.

    Paraphrase: the rural channels multiply landless producers and bankrupt family farmers and
    push them to the outskirts of regional cities, where they swell the informal sector (E
    L135, with E L139 on the informal sector).

    Rule: a displaced smallholder (C1 or C3 with ``displaced`` and no land) becomes a landless
    rural worker (C2) at once (crop none, employment informal). Each month a displaced C2 moves
    to the urban informal sector (C6, employment informal) with probability ``to_city`` or
    emigrates (status emigrated) with probability ``emigrate``. Agent count is conserved.
    Driven by whichever rule displaced the agent (M15-M18, or M129 under TNC).
    """

    name = "rural_outmigration"
    mids = ("M16",)
    cites = (f"{E} §ClassStructure L135", f"{E} §ClassStructure L139")
    framework = "shared"
    phase = "economy"
    reads = ("agents.displaced", "agents.class_code", "agents.land", "agents.status", "agents.country")
    writes = ("agents.class_code", "agents.cell", "agents.crop", "agents.employment", "agents.status")

    class Params(Params):
        """Parameters of ``rural_outmigration``."""

        to_city: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a displaced landless worker moves to the urban informal sector",
            why="placeholder; E L135 states the migration, not its rate")  # fmt: skip
        emigrate: float = param(0.002, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a displaced landless worker emigrates",
            why="placeholder; no figure in the texts")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a = state.agents
        disp = a.displaced
        if not disp.any():
            return
        idx = np.flatnonzero(disp)
        cls = a.class_code[idx]
        holders = idx[((cls == C["peasant_farmer"]) | (cls == C["indigenous_community"])) & (a.land[idx] <= 0)]
        move_class(a, holders, C["landless_rural_worker"])
        a.crop[holders] = CROP["none"]
        a.employment[holders] = EMPLOY["informal"]
        st = a.status[idx]
        cand = idx[(a.class_code[idx] == C["landless_rural_worker"]) & (st != JAIL) & (st != EMIG)]
        u = rng.random(cand.size, dtype=np.float32)
        city = cand[u < params.to_city]
        move_class(a, city, C["informal_unemployed"])
        a.employment[city] = EMPLOY["informal"]
        gone = cand[(u >= params.to_city) & (u < params.to_city + params.emigrate)]
        a.status[gone] = EMIG


@register
class SmallCapitalSqueeze(TheoryMechanism):
    """M27: scarce credit, cheap imports and foreign retail bankrupt small and medium firms into low-paid services.

    Paraphrase: costly and scarce credit, cheap imports and the squeeze of subcontractors have
    bankrupted very many small and medium manufacturers or pushed them into commerce, and
    foreign department stores and supermarkets shrink small retail; the upshot is many more
    low-paid, non-union service workers (E L145).

    Rule: each month a small or medium capitalist (C11) is bankrupted with probability
    ``h = credit * credit_squeeze + imports * cheap_imports + retail * foreign_retail``; the
    bankrupt become service workers (C10, employment formal) with probability
    ``to_services``, else urban informal workers (C6), and lose ``income_drop`` of income.
    ``bankruptcy_rate`` is a 12-month moving rate per year: ``r += (12 * monthly - r) / 12``.
    """

    name = "small_capital_squeeze"
    mids = ("M27",)
    cites = (f"{E} §ClassStructure L145",)
    framework = "shared"
    phase = "economy"
    reads = ("countries.credit_squeeze", "countries.cheap_imports", "countries.foreign_retail",
             "countries.bankruptcy_rate", "agents.country", "agents.class_code", "agents.status", "agents.income")  # fmt: skip
    writes = ("agents.class_code", "agents.cell", "agents.employment", "agents.income", "countries.bankruptcy_rate")

    class Params(Params):
        """Parameters of ``small_capital_squeeze``."""

        credit: float = param(0.002, ge=0.0, le=1.0, unit="per month",
            description="bankruptcy probability of a small firm under a full credit squeeze",
            why="placeholder; E L145 says 'hundreds of thousands' bankrupted, no rate")  # fmt: skip
        imports: float = param(0.002, ge=0.0, le=1.0, unit="per month",
            description="bankruptcy probability of a small firm under fully open cheap imports",
            why="placeholder; E L145")  # fmt: skip
        retail: float = param(0.002, ge=0.0, le=1.0, unit="per month",
            description="bankruptcy probability of a small firm at full entry of foreign retail chains",
            why="placeholder; E L145")  # fmt: skip
        to_services: float = param(0.5, ge=0.0, le=1.0, unit="share",
            description="share of the bankrupt who become low-paid service workers (the rest: informal sector)",
            why="placeholder; E L145 names both outcomes")  # fmt: skip
        income_drop: float = param(0.4, ge=0.0, le=1.0, unit="share of income",
            description="income lost on bankruptcy", why="placeholder; no figure in the texts")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        h_c = (params.credit * cs.credit_squeeze + params.imports * cs.cheap_imports
               + params.retail * cs.foreign_retail).astype(np.float32)  # fmt: skip
        if not h_c.any():
            if cs.bankruptcy_rate.any():
                cs.bankruptcy_rate *= np.float32(11.0 / 12.0)
            return
        a = state.agents
        idx = np.flatnonzero((a.class_code == C["small_medium_capitalist"]) & (a.status != EMIG))
        ci = a.country[idx]
        broke = rng.random(idx.size, dtype=np.float32) < h_c[ci]
        nc = cs.n
        monthly = np.bincount(ci[broke], minlength=nc) / np.maximum(np.bincount(ci, minlength=nc), 1)
        cs.bankruptcy_rate += ((12.0 * monthly - cs.bankruptcy_rate) / 12.0).astype(np.float32)
        out = idx[broke]
        serv = rng.random(out.size, dtype=np.float32) < params.to_services
        move_class(a, out[serv], C["service_worker"])
        a.employment[out[serv]] = EMPLOY["formal"]
        move_class(a, out[~serv], C["informal_unemployed"])
        a.employment[out[~serv]] = EMPLOY["informal"]
        a.income[out] *= np.float32(1.0 - params.income_drop)


@register
class CapitalFlightShock(TheoryMechanism):
    """M7: when foreign banks move deposits abroad, depositors lose savings at once and see who did it.

    Paraphrase: the transfer of depositors' savings abroad by foreign-owned banks was
    followed by a mass popular uprising (Argentina, December 2001; E L54). The uprising itself
    is not written here: it follows from the loss, the grievance and activation.

    Rule: in the first month of a ``capital_flight`` event of intensity ``x``, depositors
    (public employees C4, teachers C5, industrial C9 and service C10 workers, small capital
    C11) lose ``income *= 1 - loss * x``, their grievance rises by ``jump * x`` (capped at 1),
    and a share ``visible * x`` of them observe the link between their loss and the foreign
    banks (``link_observed``; the banks are identifiable).
    """

    name = "capital_flight_shock"
    mids = ("M7",)
    cites = (f"{E} §Conditions L54",)
    framework = "shared"
    phase = "economy"
    reads = ("countries.capital_flight", "countries.capital_flight_months", "agents.country", "agents.class_code",
             "agents.status", "agents.income", "agents.grievance")  # fmt: skip
    writes = ("agents.income", "agents.grievance", "agents.link_observed")

    _DEPOSITORS = (C["public_employee"], C["teacher_student"], C["industrial_worker"], C["service_worker"],
                   C["small_medium_capitalist"])  # fmt: skip

    class Params(Params):
        """Parameters of ``capital_flight_shock``."""

        loss: float = param(0.3, ge=0.0, le=1.0, unit="share of income",
            description="income (savings) lost by depositors at full intensity",
            why="placeholder; E L54 gives no figure")  # fmt: skip
        jump: float = param(0.4, ge=0.0, le=1.0, unit="[0,1]",
            description="immediate grievance rise at full intensity",
            why="placeholder; E L54: a mass uprising followed")  # fmt: skip
        visible: float = param(0.6, ge=0.0, le=1.0, unit="share",
            description="share of hit depositors who trace the loss to the foreign banks, at full intensity",
            why="placeholder; foreign banks are identifiable actors (E L54)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        onset = (cs.capital_flight > 0) & (cs.capital_flight_months == 1)
        if not onset.any():
            return
        a = state.agents
        idx = np.flatnonzero(_class_mask(a.class_code, self._DEPOSITORS) & onset[a.country] & (a.status != EMIG))
        x = cs.capital_flight[a.country[idx]]
        a.income[idx] *= np.float32(1) - np.float32(params.loss) * x
        a.grievance[idx] = np.minimum(a.grievance[idx] + np.float32(params.jump) * x, np.float32(1))
        seen = idx[rng.random(idx.size, dtype=np.float32) < params.visible * x]
        a.link_observed[seen] = True


# --------------------------------------------------------------------------------------------
# Grievance phase (names sort after ``grievance_from_income`` so they act on this month's value)
# --------------------------------------------------------------------------------------------


@register
class MilitaryAssistanceGrievance(TheoryMechanism):
    """M2: long foreign military involvement feeds rural and civilian opposition and an armed tradition.

    Paraphrase: decades of foreign involvement as adviser, arms supplier and financier of a
    local oligarchy (Colombia) have provoked a large, long-lasting guerrilla and civilian
    opposition (E L51).

    Rule: while ``intervention`` is at intensity ``x``, agents of the classes that carry that
    opposition (C1-C3, C4, C6) gain grievance ``rate * x * (1 - grievance)`` a month, and the
    country's ``armed_tradition`` grows by ``tradition_rate * x * (1 - armed_tradition)``.
    """

    name = "military_assistance_grievance"
    mids = ("M2",)
    cites = (f"{E} §Conditions L51",)
    framework = "shared"
    phase = "grievance"
    reads = ("countries.intervention", "countries.armed_tradition", "agents.country", "agents.class_code",
             "agents.grievance")  # fmt: skip
    writes = ("agents.grievance", "countries.armed_tradition")

    _HIT = (*_RURAL, C["public_employee"], C["informal_unemployed"])

    class Params(Params):
        """Parameters of ``military_assistance_grievance``."""

        rate: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="share of the room to full grievance added each month at full intensity",
            why="placeholder; E L51: 'large scale, long term' opposition, no rate")  # fmt: skip
        tradition_rate: float = param(0.002, ge=0.0, le=1.0, unit="per month",
            description="growth of the armed tradition at full intensity",
            why="placeholder: a slow accumulation over decades")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        x = cs.intervention
        if not x.any():
            return
        cs.armed_tradition += (params.tradition_rate * x * (1.0 - cs.armed_tradition)).astype(np.float32)
        a = state.agents
        idx = np.flatnonzero(_class_mask(a.class_code, self._HIT) & (x > 0)[a.country])
        g = a.grievance[idx]
        g += np.float32(params.rate) * x[a.country[idx]] * (np.float32(1) - g)
        a.grievance[idx] = g


@register
class RuralDirectImpact(TheoryMechanism):
    """M31: rural producers hit directly by an imperial policy weigh the loss more, moving the movement's centre to the countryside.

    Paraphrase: while many unions bargain with multinationals, peasants' livelihoods are hit
    directly by subsidized food imports, eradication dictated abroad and foreign agro-export
    firms; so the core of the popular base has moved from industrial unions to peasant and
    rural movements (E L161).

    Rule: a rural agent (C1-C3) is *directly hit* when its country runs one of the direct
    channels (``subsidized_imports``, ``crop_eradication``, ``agro_export_credit``,
    ``land_titling_end``) and the agent has an income loss or has been displaced. Each month,
    after grievance has followed income, a directly hit agent's grievance grows by
    ``boost * grievance * (1 - grievance)``. Against the relaxation of grievance toward its
    income-based level this settles at a bounded premium over that level (about +25 % at
    grievance 0.5 with the defaults), never above 1. The union side of M31 is ``union_restraint`` (M26).
    """

    name = "rural_direct_impact"
    mids = ("M31",)
    cites = (f"{E} §ClassOrganization L161",)
    framework = "shared"
    phase = "grievance"
    reads = ("countries.subsidized_imports", "countries.crop_eradication", "countries.agro_export_credit",
             "countries.land_titling_end", "agents.country", "agents.class_code", "agents.income_loss",
             "agents.displaced", "agents.grievance")  # fmt: skip
    writes = ("agents.grievance",)

    class Params(Params):
        """Parameters of ``rural_direct_impact``."""

        boost: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="logistic growth rate of a directly hit agent's grievance",
            why="placeholder; E L161 gives the direction (direct hits matter more), not the size")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        on = (cs.subsidized_imports > 0) | (cs.crop_eradication > 0) | (cs.agro_export_credit > 0) | (cs.land_titling_end > 0)
        if not on.any():
            return
        a = state.agents
        hit = _class_mask(a.class_code, _RURAL) & on[a.country] & ((a.income_loss > 0) | a.displaced)
        idx = np.flatnonzero(hit)
        g = a.grievance[idx]
        g += np.float32(params.boost) * g * (np.float32(1) - g)
        a.grievance[idx] = np.minimum(g, np.float32(1))


@register
class SmallCapitalStance(TheoryMechanism):
    """M29, M30: small capital's grievance is tempered by cheaper labour; the associated bourgeoisie gains and stays out.

    Paraphrase: imperial policy does not radicalize the bourgeoisie; it creates local
    associates who broker privatizations, contracts and monopolies. A minority of productive
    small and medium firms lobbies for cheaper credit, protection and lower utility rates, but
    their opposition is "tempered" by their support for the IFIs' anti-labour legislation, so
    they play a minor role (E L145-147). Most of the bourgeoisie has subcontracted, become
    associates, been bought out or gained from regressive labour laws, even as lower tariffs
    hurt it, and is absent from the movements despite bankruptcies (E L161, L221).

    Rule, each month after grievance has followed income, for small capital (C11) and the
    local bourgeoisie (C12). Pressure is an inflow, benefit a monthly damping::

        flex = max(informalization, sap_labour_law * structural_adjustment)
        C11: pressure = squeeze * (credit_squeeze + cheap_imports + privatization)
             benefit  = labour_benefit * flex        (x minority_factor for the
                                                     productive minority share)
        C12: pressure = squeeze * cheap_imports
             benefit  = associate_benefit * (foreign_ownership + privatization)
                        + labour_benefit * flex
        grievance += pressure * (1 - grievance)
        grievance *= 1 - min(1, benefit)

    ``flex`` is the regressive labour law of the texts: flexibilization of labour (D51,
    ``informalization``) or the anti-labour legislation that IFI programs carry (theory_spec
    IO1, E L147), a share ``sap_labour_law`` of an SAP; there is no separate labour-law driver. Non-participation is thus an
    outcome of the balance, not a fixed rule: with no labour-cost benefit and no associate
    gains, squeezed firms can become aggrieved (P13's exploratory arm).
    """

    name = "small_capital_stance"
    mids = ("M29", "M30")
    cites = (f"{E} §ClassStructure L145-L147", f"{E} §ClassOrganization L161", f"{E} §Sustained L221")
    framework = "shared"
    phase = "grievance"
    reads = ("countries.credit_squeeze", "countries.cheap_imports", "countries.privatization",
             "countries.informalization", "countries.structural_adjustment", "countries.foreign_ownership", "agents.country", "agents.class_code",
             "agents.grievance")  # fmt: skip
    writes = ("agents.grievance",)

    class Params(Params):
        """Parameters of ``small_capital_stance``."""

        squeeze: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="grievance inflow per unit of credit squeeze, cheap imports and utility-rate pressure",
            why="placeholder; E L145 lists the pressures, not their weight")  # fmt: skip
        labour_benefit: float = param(0.3, ge=0.0, le=5.0, unit="per month",
            description="monthly damping of grievance per unit of labour flexibilization",
            why="placeholder; E L147: opposition 'tempered' by support for anti-labour law")  # fmt: skip
        sap_labour_law: float = param(1.0, ge=0.0, le=1.0, unit="share",
            description="labour flexibilization carried by a structural adjustment program, per unit of its intensity",
            why="theory_spec IO1 and E L147: the IFIs promote the anti-labour legislation; 1 = every SAP carries it")  # fmt: skip
        minority_share: float = param(0.15, ge=0.0, le=1.0, unit="share",
            description="share of small firms that are the productive minority lobbying for credit and protection",
            why="placeholder; E L147 says 'a minority'")  # fmt: skip
        minority_factor: float = param(0.3, ge=0.0, le=1.0, unit="factor",
            description="factor on the labour-cost damping for the productive minority",
            why="placeholder: the minority gains less from cheaper labour than it loses")  # fmt: skip
        associate_benefit: float = param(3.0, ge=0.0, le=20.0, unit="per month",
            description="monthly damping of the local bourgeoisie's grievance per unit of foreign ownership and privatization",
            why="placeholder; E L145-147, L161: associates gain from brokering privatizations and contracts")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        a = state.agents
        idx = np.flatnonzero(_class_mask(a.class_code, (C["small_medium_capitalist"], C["local_bourgeoisie"])))
        if idx.size == 0:
            return
        flex = params.labour_benefit * np.maximum(cs.informalization, params.sap_labour_law * cs.structural_adjustment)
        p11 = params.squeeze * (cs.credit_squeeze + cs.cheap_imports + cs.privatization)
        p12 = params.squeeze * cs.cheap_imports
        b12 = params.associate_benefit * (cs.foreign_ownership + cs.privatization) + flex
        if not (flex.any() or p11.any() or b12.any()):
            return
        ci = a.country[idx]
        pyme = a.class_code[idx] == C["small_medium_capitalist"]
        pressure = np.where(pyme, p11[ci], p12[ci]).astype(np.float32)
        minority = _trait(idx) < params.minority_share
        b11 = flex[ci] * np.where(minority, params.minority_factor, 1.0)
        benefit = np.minimum(np.where(pyme, b11, b12[ci]), 1.0).astype(np.float32)
        g = a.grievance[idx]
        g += pressure * (np.float32(1) - g)
        g *= np.float32(1) - benefit
        a.grievance[idx] = g


# --------------------------------------------------------------------------------------------
# Activation phase: fractions held back after the activation rule (names sort after ``activation``)
# --------------------------------------------------------------------------------------------


@register
class MaquilaControl(TheoryMechanism):
    """M25: tight workplace control keeps maquila workers' protest occasional.

    Paraphrase: workers in the tightly controlled maquiladoras protest only now and then;
    the traditional industrial unions show no interest in, or ability for, unionizing the
    imperial-owned plants (E L141-143).

    Rule: after the activation rule, each maquila worker (C8) who turned mobilized or
    organized this month is sent back to quiescent with probability ``control`` (times
    ``1 + expansion_gain * maquila_expansion`` in the country, capped at 1), so a worker
    willing to act shows up in only a fraction of months: protest is occasional rather than
    sustained. Armed and jailed agents are untouched.
    """

    name = "maquila_control"
    mids = ("M25",)
    cites = (f"{E} §ClassStructure L141-L143",)
    framework = "shared"
    phase = "activation"
    reads = ("agents.class_code", "agents.status", "agents.country", "countries.maquila_expansion")
    writes = ("agents.status", "agents.months_active")

    class Params(Params):
        """Parameters of ``maquila_control``."""

        control: float = param(0.7, ge=0.0, le=1.0, unit="per month",
            description="probability a maquila worker willing to act is held back in a given month",
            why="placeholder; E L141: 'occasional' protest")  # fmt: skip
        expansion_gain: float = param(0.3, ge=0.0, le=5.0, unit="factor",
            description="extra control where maquila production chains are expanding (D45)",
            why="placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a = state.agents
        st = a.status
        idx = np.flatnonzero((a.class_code == C["maquila_worker"]) & ((st == MOB) | (st == ORG)))
        if idx.size == 0:
            return
        p = np.minimum(1.0, params.control * (1.0 + params.expansion_gain * state.countries.maquila_expansion))
        held = idx[rng.random(idx.size, dtype=np.float32) < p.astype(np.float32)[a.country[idx]]]
        st[held] = Q
        a.months_active[held] = 0


@register
class UnionRestraint(TheoryMechanism):
    """M26: fear of unemployment and unions bound into pacts hold industrial workers back.

    Paraphrase: industrial workers and their unions are the least active and least militant
    part of the movements: workers fear losing their jobs amid mass unemployment, union
    officials are bound to tripartite pacts and reject independent action, and unions prefer
    bargaining with multinationals to raising nationalization; a minority within some
    confederations is the exception (E L143, L161).

    Rule: after the activation rule, each industrial worker (C9) who turned mobilized or
    organized this month is sent back to quiescent with probability
    ``min(1, fear * unemployment_rate + pact * union_pact * union_member)``, except the
    militant minority (a fixed share ``militant_share`` of workers). ``unemployment_rate`` is
    last month's indicator.
    """

    name = "union_restraint"
    mids = ("M26",)
    cites = (f"{E} §ClassStructure L143", f"{E} §ClassOrganization L161")
    framework = "shared"
    phase = "activation"
    reads = ("agents.class_code", "agents.status", "agents.country", "agents.union_member",
             "countries.unemployment_rate", "countries.union_pact")  # fmt: skip
    writes = ("agents.status", "agents.months_active")

    class Params(Params):
        """Parameters of ``union_restraint``."""

        fear: float = param(1.0, ge=0.0, le=10.0, unit="per month per unit unemployment",
            description="hold-back probability per unit of the unemployment rate (reserve-army fear)",
            why="placeholder; E L143: 'many workers fear the loss of employment'")  # fmt: skip
        pact: float = param(0.7, ge=0.0, le=1.0, unit="per month",
            description="hold-back probability of a union member under a full tripartite pact",
            why="placeholder; E L143: officials tied to tripartite pacts")  # fmt: skip
        militant_share: float = param(0.2, ge=0.0, le=1.0, unit="share",
            description="share of industrial workers in the militant minority, exempt from restraint",
            why="placeholder; E L143 names a minority in four confederations")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, cs = state.agents, state.countries
        st = a.status
        idx = np.flatnonzero((a.class_code == C["industrial_worker"]) & ((st == MOB) | (st == ORG)))
        if idx.size == 0:
            return
        idx = idx[_trait(idx) >= params.militant_share]
        ci = a.country[idx]
        p = (params.fear * cs.unemployment_rate).astype(np.float32)[ci]
        p += np.float32(params.pact) * cs.union_pact[ci] * a.union_member[idx]
        held = idx[rng.random(idx.size, dtype=np.float32) < p]
        st[held] = Q
        a.months_active[held] = 0


# --------------------------------------------------------------------------------------------
# Organization and regime phases
# --------------------------------------------------------------------------------------------

_RURAL_ISSUES = ("crop_eradication", "subsidized_imports", "agro_export_credit", "land_titling_end", "credit_squeeze")


@register
class RuralMovementFounding(TheoryMechanism):
    """M17: where dispossession drives rural grievance high, rural movements are founded.

    Paraphrase: impoverishment, land concentration and displacement caused by imperial
    policy are a key factor igniting rural social movements, which then lead the struggles
    against ALCA, the IFIs and neo-liberalism (E L135).

    Rule: per country and month, if no organization with a rural class base (C1-C3) exists
    and a free slot does, one is founded with probability
    ``found * max(0, mean rural grievance - threshold) * (1 + organizational_tradition)``.
    The new organization is class-based (class base: peasants, or landless workers if they
    are the majority of the aggrieved), sector scope, blockade tactic, aimed at the regime,
    with ``leader_linkage`` = ``founding_linkage``; its issue is the most intense active
    rural driver. A founding core, the share ``core_share`` of the country's rural agents
    whose grievance exceeds the threshold (not already in an organization), joins it; later
    recruitment is the organization family's rule (M45).
    """

    name = "rural_movement_founding"
    mids = ("M17",)
    cites = (f"{E} §ClassStructure L135",)
    framework = "shared"
    phase = "organization"
    reads = ("agents.country", "agents.class_code", "agents.grievance", "agents.status", "agents.org",
             "orgs.exists", "orgs.country", "orgs.class_base", "countries.organizational_tradition",
             *(f"countries.{k}" for k in _RURAL_ISSUES))  # fmt: skip
    writes = ("orgs.exists", "orgs.scope", "orgs.power_orientation", "orgs.class_base", "orgs.tactic", "orgs.target",
              "orgs.issue", "orgs.leader_linkage", "orgs.credibility", "orgs.age_months", "agents.org")  # fmt: skip

    class Params(Params):
        """Parameters of ``rural_movement_founding``."""

        found: float = param(0.3, ge=0.0, le=10.0, unit="per month per unit excess grievance",
            description="founding probability per unit of mean rural grievance above the threshold",
            why="placeholder; E L135 gives no rate")  # fmt: skip
        threshold: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="mean rural grievance above which founding becomes possible", why="placeholder")  # fmt: skip
        core_share: float = param(0.05, ge=0.0, le=1.0, unit="share",
            description="share of aggrieved rural agents (above the threshold) who form the founding core",
            why="placeholder")  # fmt: skip
        founding_linkage: float = param(0.5, ge=0.0, le=1.0, unit="[0,1]",
            description="leader linkage of a newly founded rural movement", why="placeholder: middle of the range")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        from periphery.theory.world_schema import ORG_SCOPES, TACTICS, TARGETS

        cs, og, a = state.countries, state.orgs, state.agents
        drivers = np.stack([cs.columns()[k] for k in _RURAL_ISSUES])
        if not drivers.any():
            return
        nc = cs.n
        rural = _class_mask(a.class_code, _RURAL) & (a.status != EMIG)
        mean_g = _country_mean(a.grievance, a.country, rural, nc)
        rural_org = og.exists & (og.class_base >= 0) & (og.class_base <= C["indigenous_community"])
        has = np.bincount(og.country[rural_org], minlength=nc) > 0
        p = params.found * np.maximum(0.0, mean_g - params.threshold) * (1.0 + cs.organizational_tradition)
        p[has | ~drivers.any(axis=0)] = 0
        u = rng.random(nc)
        for c in np.flatnonzero(u < p):
            slots = np.flatnonzero(~og.exists & (og.country == c))
            if slots.size == 0:
                continue
            j = slots[0]
            pool = np.flatnonzero(rural & (a.country == c) & (a.grievance > params.threshold) & (a.org < 0))
            landless = np.count_nonzero(a.class_code[pool] == C["landless_rural_worker"])
            og.exists[j] = True
            og.class_base[j] = C["landless_rural_worker"] if 2 * landless > pool.size else C["peasant_farmer"]
            og.scope[j] = ORG_SCOPES.index("sector")
            og.power_orientation[j] = 0
            og.tactic[j] = TACTICS.index("blockade")
            og.target[j] = TARGETS.index("regime")
            og.issue[j] = EVENT_NAMES.index(_RURAL_ISSUES[int(np.argmax(drivers[:, c]))])
            og.leader_linkage[j] = params.founding_linkage
            og.credibility[j] = params.founding_linkage
            og.age_months[j] = 0
            k = int(round(params.core_share * pool.size))
            if k:
                a.org[pool[rng.permutation(pool.size)[:k]]] = j


@register
class PillarErosion(TheoryMechanism):
    """M22: grievance among smallholders and public employees, the two pillars of stability, erodes legitimacy.

    Paraphrase: imperial policies undermine the two social pillars of the political
    stability that imperial hegemony relies on: small rural property owners and
    middle-income public-sector professionals (E L139). theory_spec M22 names this as where
    an Epstein-type legitimacy term attaches.

    Rule: ``pillar_grievance = w * mean_g(C1 holding land) + (1 - w) * mean_g(C4)`` (over the
    pillars present; a missing pillar gets no weight); each month
    ``legitimacy -= erosion * max(0, pillar_grievance - tolerance) * legitimacy``.
    Only erosion is modelled here; what restores legitimacy (concessions, a new government)
    belongs to the regime family.
    """

    name = "pillar_erosion"
    mids = ("M22",)
    cites = (f"{E} §ClassStructure L139",)
    framework = "shared"
    phase = "regime"
    reads = ("agents.country", "agents.class_code", "agents.land", "agents.grievance", "agents.status",
             "countries.legitimacy", "countries.is_core")  # fmt: skip
    writes = ("countries.legitimacy", "countries.pillar_grievance")

    class Params(Params):
        """Parameters of ``pillar_erosion``."""

        erosion: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="share of legitimacy lost per month per unit of pillar grievance above tolerance",
            why="placeholder; E L139 gives the direction only")  # fmt: skip
        tolerance: float = param(0.1, ge=0.0, le=1.0, unit="[0,1]",
            description="pillar grievance a regime absorbs without losing legitimacy", why="placeholder")  # fmt: skip
        smallholder_weight: float = param(0.5, ge=0.0, le=1.0, unit="share",
            description="weight of smallholders (vs public employees) in pillar grievance",
            why="E L139 names the two pillars without ranking them")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, cs = state.agents, state.countries
        nc = cs.n
        present = a.status != EMIG
        sh = (a.class_code == C["peasant_farmer"]) & (a.land > 0) & present
        pe = (a.class_code == C["public_employee"]) & present
        g1 = _country_mean(a.grievance, a.country, sh, nc)
        g4 = _country_mean(a.grievance, a.country, pe, nc)
        w1 = params.smallholder_weight * (np.bincount(a.country[sh], minlength=nc) > 0)
        w4 = (1.0 - params.smallholder_weight) * (np.bincount(a.country[pe], minlength=nc) > 0)
        pg = (w1 * g1 + w4 * g4) / np.maximum(w1 + w4, 1e-12)
        cs.pillar_grievance = pg.astype(np.float32)
        drop = params.erosion * np.maximum(0.0, pg - params.tolerance) * cs.legitimacy
        drop[cs.is_core] = 0
        cs.legitimacy -= drop.astype(np.float32)
