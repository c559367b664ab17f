"""Grievance family: policies change incomes; income below expectation, occupation and eradication raise grievance.

This module is the worked example the other families copy. Each mechanism is one small class:
declarations as class attributes (``name``, ``mids``, ``cites``, ``framework``, ``phase``,
``Params``, ``reads``, ``writes``), behaviour in a vectorized ``step``. Per-country quantities
are gathered to agents through ``agents.country`` (or per-cell through ``agents.cell``); there
is no Python loop over agents. A mechanism returns early when its event is inactive everywhere,
so an inactive policy costs nothing.

Income is a ratio to the agent's starting income. A policy shock lowers income toward a floor
``1 - max_loss`` while the policy is active (``_lower_toward``); nothing here raises income
again (policy reversal is the regime family's business). Grievance is a stock that relaxes
toward a target set by the gap between income and expected income; expectations adapt slowly,
so a loss that persists is felt less over time.
"""

from __future__ import annotations

import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.world_schema import CROP, EMPLOY, C, code_lut, move_class

E = "000_c5680132a7806926.txt"  # Petras 2003 (theory_spec: E)
I = "001_f7b7902be34493f6.txt"  # Robinson 2006 interview (theory_spec: I)  # noqa: E741


def _lower_toward(income: np.ndarray, mask: np.ndarray, target: np.ndarray | float, speed: np.ndarray | float) -> None:
    """Where ``mask``, move ``income`` a fraction ``speed`` toward ``target``, never raising it."""
    step = np.asarray(speed, dtype=np.float32) * (np.asarray(target, dtype=np.float32) - income)
    np.add(income, np.minimum(step, np.float32(0)), out=income, where=mask)


def _class_mask(class_code: np.ndarray, codes: tuple[int, ...]) -> np.ndarray:
    return code_lut(codes)[class_code.view(np.uint8)]


# --------------------------------------------------------------------------------------------
# Economy phase: policies -> incomes, crops, classes
# --------------------------------------------------------------------------------------------


@register
class SubsidizedImportsIncome(TheoryMechanism):
    """M9, M15: subsidized core farm imports lower food-growing peasants' incomes; some turn to coca.

    Paraphrase: small farmers who cannot match the price of subsidized farm imports from the
    core lose income and become the main rural opposition; in Bolivia many switch to coca as
    the one crop that still pays (E L64). Among the rural channels, cheap subsidized imports
    and falling producer prices squeeze small and medium producers (E L130-133).

    Rule: for peasant farmers (C1) growing food in a country with ``subsidized_imports`` at
    intensity ``s``, income moves toward ``1 - max_loss * s`` at ``speed`` per month (never
    up). Each month a food grower switches to coca with probability ``coca_switch * s``; coca
    growers are not exposed to the import price (they are exposed to eradication, M20).
    IMP only: theory_spec X11 gives the TNC view a different driver (``agribusiness_displacement``).
    """

    name = "subsidized_imports_income"
    mids = ("M9", "M15")
    cites = (f"{E} §Conditions L64", f"{E} §ClassStructure L130-L133")
    framework = "imp"
    phase = "economy"
    reads = ("countries.subsidized_imports", "agents.country", "agents.class_code", "agents.crop", "agents.income")
    writes = ("agents.income", "agents.crop")

    class Params(Params):
        """Parameters of ``subsidized_imports_income``."""

        max_loss: float = param(0.35, ge=0.0, le=1.0, unit="share of income",
            description="income loss of food-growing peasants at full intensity, in the long run",
            why="placeholder of the order of E L139's 'up to forty percent' (a public-sector figure); no rural figure in the texts")  # fmt: skip
        speed: float = param(0.03, ge=0.0, le=1.0, unit="per month",
            description="share of the remaining gap to the floor closed each month",
            why="a loss that builds over a few years (E L139 speaks of a decade)")  # fmt: skip
        coca_switch: float = param(0.005, ge=0.0, le=1.0, unit="per month",
            description="monthly probability that a food grower switches to coca at full intensity",
            why="placeholder; E L64 states the switch, not its rate")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        s = state.countries.subsidized_imports
        if not s.any():
            return
        a = state.agents
        s_agent = s[a.country]
        food = (a.class_code == C["peasant_farmer"]) & (a.crop == CROP["food"]) & (s_agent > 0)
        _lower_toward(a.income, food, 1.0 - params.max_loss * s_agent, params.speed)
        idx = np.flatnonzero(food)
        switch = idx[rng.random(idx.size, dtype=np.float32) < params.coca_switch * s_agent[idx]]
        a.crop[switch] = CROP["coca"]


@register
class AgribusinessDisplacement(TheoryMechanism):
    """M129: transnational agribusiness displaces smallholders, who become landless rural workers.

    Paraphrase: a transnational agribusiness complex (soy above all) has replaced the older
    agro-export and domestic farm models across the region and pushes millions of small
    holders off the land (I L53).

    Rule: each month a food-growing peasant farmer (C1) in a country with ``agribusiness`` at
    intensity ``a`` is displaced with probability ``rate * a``: class becomes landless rural
    worker (C2), ``displaced`` is set, crop becomes none and income drops by ``income_drop``.
    TNC only (theory_spec X11: same outcome as the IMP channels, different driver).
    """

    name = "agribusiness_displacement"
    mids = ("M129",)
    cites = (f"{I} L53",)
    framework = "tnc"
    phase = "economy"
    reads = ("countries.agribusiness", "agents.country", "agents.class_code", "agents.crop", "agents.income")
    writes = ("agents.class_code", "agents.cell", "agents.displaced", "agents.crop", "agents.income")

    class Params(Params):
        """Parameters of ``agribusiness_displacement``."""

        rate: float = param(0.004, ge=0.0, le=1.0, unit="per month",
            description="monthly displacement probability of a smallholder at full intensity",
            why="placeholder; I L53 gives 'millions' displaced, no rate")  # fmt: skip
        income_drop: float = param(0.3, ge=0.0, le=1.0, unit="share of income",
            description="income lost on displacement",
            why="placeholder; no figure in the texts")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        g = state.countries.agribusiness
        if not g.any():
            return
        a = state.agents
        cand = np.flatnonzero((a.class_code == C["peasant_farmer"]) & (a.crop == CROP["food"]))
        p = params.rate * g[a.country[cand]]
        moved = cand[rng.random(cand.size, dtype=np.float32) < p]
        move_class(a, moved, C["landless_rural_worker"])
        a.displaced[moved] = True
        a.crop[moved] = CROP["none"]
        a.income[moved] *= np.float32(1.0 - params.income_drop)


@register
class AusterityIncome(TheoryMechanism):
    """M21, M24: structural adjustment and debt-service cuts lower public employees' and teachers' pay.

    Paraphrase: budget cuts made to pay foreign creditors cost millions of public employees
    their jobs or security, and most lost up to two fifths of their income over a decade,
    which the text calls their "proletarianization"; teachers and students oppose the same
    cuts (E L139). SAPs in Peru and Argentina brought layoffs and pay cuts for teachers and
    health workers (E L173).

    Rule: with ``s = max(structural_adjustment, debt_service)`` in the agent's country, public
    employees (C4) and teachers/students (C5) see income move toward ``1 - max_loss * s``; an
    employed public employee loses the job with probability ``layoff * s`` a month (employment
    becomes unemployed, income drops by ``layoff_income_drop``). Tagged IMP in theory_spec
    (E is its only source); I does not dispute it, so it runs in both frameworks.
    """

    name = "austerity_income"
    mids = ("M21", "M24")
    cites = (f"{E} §ClassStructure L139", f"{E} §Theory L173")
    framework = "shared"
    phase = "economy"
    reads = ("countries.structural_adjustment", "countries.debt_service", "agents.country",
             "agents.class_code", "agents.employment", "agents.income")  # fmt: skip
    writes = ("agents.income", "agents.employment")

    class Params(Params):
        """Parameters of ``austerity_income``."""

        max_loss: float = param(0.4, ge=0.0, le=1.0, unit="share of income",
            description="long-run income loss of public employees at full intensity",
            why="E L139: 'income declines of up to forty percent over the past decade'")  # fmt: skip
        speed: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="share of the gap to the floor closed each month",
            why="most of the loss within about a decade (E L139)")  # fmt: skip
        layoff: float = param(0.003, ge=0.0, le=1.0, unit="per month",
            description="monthly layoff probability of a public employee at full intensity",
            why="placeholder; E L139 says 'millions' lost their jobs, no rate")  # fmt: skip
        layoff_income_drop: float = param(0.5, ge=0.0, le=1.0, unit="share of income",
            description="income lost on layoff",
            why="placeholder; no figure in the texts")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        s = np.maximum(cs.structural_adjustment, cs.debt_service)
        if not s.any():
            return
        a = state.agents
        s_agent = s[a.country]
        hit = _class_mask(a.class_code, (C["public_employee"], C["teacher_student"])) & (s_agent > 0)
        _lower_toward(a.income, hit, 1.0 - params.max_loss * s_agent, params.speed)
        pub = np.flatnonzero(hit & (a.class_code == C["public_employee"]) & (a.employment == EMPLOY["formal"]))
        fired = pub[rng.random(pub.size, dtype=np.float32) < params.layoff * s_agent[pub]]
        a.employment[fired] = EMPLOY["unemployed"]
        a.income[fired] *= np.float32(1.0 - params.layoff_income_drop)


@register
class CoreWelfareCuts(TheoryMechanism):
    """M85: falling living standards in the core during a war lower core workers' incomes.

    Paraphrase: during the Iraq war unemployment rose and health and education benefits were
    cut for the mass of wage and salaried people in the core while corporate profits rose; the
    text reports that these losses did not bring those classes into an anti-war movement
    (E L118-L120, driver D30). This rule formalizes only the material premise: the loss of
    income. Whether the loss mobilizes anyone is left to the activation rules (``activation``
    and the core gate of ``core_activation``), which is what prediction P22 checks.

    Rule: with ``w = core_welfare_cuts`` in the agent's country, core workers (C18) and the core
    middle class (C17) see income move toward ``1 - max_loss * w`` at ``speed`` per month; an
    employed core worker loses the job with probability ``layoff * w`` a month.
    """

    name = "core_welfare_cuts"
    mids = ("M85",)
    cites = (f"{E} §US L118-L120",)
    framework = "shared"
    phase = "economy"
    reads = ("countries.core_welfare_cuts", "agents.country", "agents.class_code", "agents.employment",
             "agents.income")  # fmt: skip
    writes = ("agents.income", "agents.employment")

    class Params(Params):
        """Parameters of ``core_welfare_cuts``."""

        max_loss: float = param(0.2, ge=0.0, le=1.0, unit="share of income",
            description="long-run income loss of core workers at full intensity (benefits and jobs)",
            why="placeholder; E L120 names unemployment and benefit cuts, no figure")  # fmt: skip
        speed: float = param(0.03, ge=0.0, le=1.0, unit="per month",
            description="share of the gap to the floor closed each month",
            why="placeholder: cuts felt within a few years of a war")  # fmt: skip
        layoff: float = param(0.002, ge=0.0, le=1.0, unit="per month",
            description="monthly layoff probability of an employed core worker at full intensity",
            why="placeholder; E L120 says unemployment rose, no rate")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        w = state.countries.core_welfare_cuts
        if not w.any():
            return
        a = state.agents
        w_agent = w[a.country]
        hit = _class_mask(a.class_code, (C["core_worker"], C["core_middle_class"])) & (w_agent > 0)
        _lower_toward(a.income, hit, 1.0 - params.max_loss * w_agent, params.speed)
        workers = np.flatnonzero(hit & (a.class_code == C["core_worker"]) & (a.employment == EMPLOY["formal"]))
        fired = workers[rng.random(workers.size, dtype=np.float32) < params.layoff * w_agent[workers]]
        a.employment[fired] = EMPLOY["unemployed"]


@register
class PrivatizationEffects(TheoryMechanism):
    """M5, M23: privatization to foreign firms brings layoffs and higher utility prices.

    Paraphrase: when banks, utilities, mines and oil pass to foreign firms, the results are
    mass firings, higher prices and fewer regions served (E L52); the urban informal sector
    and the unemployed bear the rate rises of newly privatized utilities (E L139).

    Rule: with ``p = privatization`` in the agent's country, formal public employees (C4),
    industrial (C9) and service (C10) workers lose their job with probability ``layoff * p`` a
    month; every urban class (C4-C10) sees income move toward ``1 - price_loss * p``.
    Runs in both frameworks (theory_spec tags it IMP; I does not dispute it).
    """

    name = "privatization_effects"
    mids = ("M5", "M23")
    cites = (f"{E} §Conditions L52", f"{E} §ClassStructure L139")
    framework = "shared"
    phase = "economy"
    reads = ("countries.privatization", "agents.country", "agents.class_code", "agents.employment", "agents.income")
    writes = ("agents.income", "agents.employment")

    _URBAN = tuple(range(C["public_employee"], C["service_worker"] + 1))
    _LAID_OFF = (C["public_employee"], C["industrial_worker"], C["service_worker"])

    class Params(Params):
        """Parameters of ``privatization_effects``."""

        layoff: float = param(0.004, ge=0.0, le=1.0, unit="per month",
            description="monthly layoff probability in privatized sectors at full intensity",
            why="placeholder; E L52 says 'massive firings', no rate")  # fmt: skip
        layoff_income_drop: float = param(0.5, ge=0.0, le=1.0, unit="share of income",
            description="income lost on layoff", why="placeholder; no figure in the texts")  # fmt: skip
        price_loss: float = param(0.1, ge=0.0, le=1.0, unit="share of income",
            description="long-run real income loss from higher utility prices at full intensity",
            why="placeholder; E L52 says 'higher prices', no figure")  # fmt: skip
        speed: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="share of the gap to the price floor closed each month",
            why="rate rises pass through within a couple of years")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        p = state.countries.privatization
        if not p.any():
            return
        a = state.agents
        p_agent = p[a.country]
        urban = _class_mask(a.class_code, self._URBAN) & (p_agent > 0)
        _lower_toward(a.income, urban, 1.0 - params.price_loss * p_agent, params.speed)
        cand = np.flatnonzero(urban & _class_mask(a.class_code, self._LAID_OFF) & (a.employment == EMPLOY["formal"]))
        fired = cand[rng.random(cand.size, dtype=np.float32) < params.layoff * p_agent[cand]]
        a.employment[fired] = EMPLOY["unemployed"]
        a.income[fired] *= np.float32(1.0 - params.layoff_income_drop)


# --------------------------------------------------------------------------------------------
# Grievance phase
# --------------------------------------------------------------------------------------------


@register
class GrievanceFromIncome(TheoryMechanism):
    """M13: grievance follows the fall of income below what the agent expected.

    Paraphrase: movements are most intense where imperial expansion coincides with falling
    living standards, as after four years of negative growth in Latin America (E L183, and
    the classes bearing its full impact, E L122).

    Rule (functional form is a modeller's choice, theory_spec 7.4)::

        income_loss = max(0, 1 - income / expected_income)
        hardship    = 1 - exp(-income_loss / loss_scale)
        target      = hardship * (1 - legitimacy_weight * legitimacy[country])
        grievance  += memory * (target - grievance)
        expected   += adapt * (income - expected)

    The legitimacy factor is Epstein's (2002) ``H (1 - L)`` form, weighted; theory_spec M22
    names legitimacy as where that term attaches.
    """

    name = "grievance_from_income"
    mids = ("M13",)
    cites = (f"{E} §Regimes L183", f"{E} §US L122")
    framework = "shared"
    phase = "grievance"
    reads = ("agents.income", "agents.expected_income", "agents.grievance", "agents.country", "countries.legitimacy")
    writes = ("agents.income_loss", "agents.expected_income", "agents.grievance")

    class Params(Params):
        """Parameters of ``grievance_from_income``."""

        loss_scale: float = param(0.15, gt=0.0, le=10.0, unit="share of income",
            description="income loss at which hardship reaches 1 - 1/e",
            why="a 15% loss is felt strongly; placeholder (theory_spec 7.4)")  # fmt: skip
        legitimacy_weight: float = param(0.5, ge=0.0, le=1.0, unit="",
            description="how much a legitimate government damps grievance (0: not at all)",
            why="between no effect and Epstein's full H(1-L)")  # fmt: skip
        memory: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="share of the gap to the target grievance closed each month",
            why="grievance builds and fades over about a year")  # fmt: skip
        adapt: float = param(0.005, ge=0.0, le=1.0, unit="per month",
            description="speed at which expected income follows actual income",
            why="expectations adapt over many years (half-life ~12 years)")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a = state.agents
        loss = a.income_loss
        np.divide(a.income, a.expected_income, out=loss)
        np.subtract(np.float32(1), loss, out=loss)
        np.maximum(loss, np.float32(0), out=loss)
        target = np.exp(loss * np.float32(-1.0 / params.loss_scale))
        np.subtract(np.float32(1), target, out=target)
        damp = (1.0 - params.legitimacy_weight * state.countries.legitimacy).astype(np.float32)
        target *= damp[a.country]
        target -= a.grievance
        target *= np.float32(params.memory)
        a.grievance += target
        a.expected_income += np.float32(params.adapt) * (a.income - a.expected_income)


@register
class OccupationGrievance(TheoryMechanism):
    """M1: foreign occupation raises the grievance of the whole occupied population.

    Paraphrase: occupying powers loot the economy, install their own rulers, wreck
    infrastructure, kill civilians and torture suspects; the daily humiliation of millions
    breeds hostility and resistance (E L50, Iraq and Afghanistan).

    Rule: each month, agents of a country with ``occupation`` at intensity ``o`` gain
    ``rate * o * (1 - grievance)`` grievance (a saturating inflow). Tagged IMP in theory_spec;
    I does not dispute it, so it runs in both frameworks.
    """

    name = "occupation_grievance"
    mids = ("M1",)
    cites = (f"{E} §Conditions L50",)
    framework = "shared"
    phase = "grievance"
    reads = ("countries.occupation", "agents.country", "agents.grievance")
    writes = ("agents.grievance",)

    class Params(Params):
        """Parameters of ``occupation_grievance``."""

        rate: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="share of the remaining room to full grievance added each month at full intensity",
            why="placeholder; E L50 states the direction, not the size")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        o = state.countries.occupation
        if not o.any():
            return
        a = state.agents
        k = (params.rate * o).astype(np.float32)[a.country]
        k *= np.float32(1) - a.grievance
        a.grievance += k


@register
class EradicationShock(TheoryMechanism):
    """M20: coca eradication without an alternative crop ruins growers and sharply raises consciousness.

    Paraphrase: chemical eradication designed abroad wiped out the livelihood of millions of
    households in Bolivia, Peru and Colombia with no workable alternative to coca; the result
    was mass peasant organization and a steep rise in anti-imperialist consciousness
    (E L135-137).

    Rule: for coca growers in a country with ``crop_eradication`` at intensity ``e``, income
    moves toward ``1 - max_loss * e`` at ``speed`` a month; in the first month of a campaign
    (``crop_eradication_months == 1``) their grievance and consciousness jump by ``jump * e``
    (times ``with_alternative`` if the country offers an alternative crop), and they observe
    the link between their loss and a foreign policy (``link_observed``).
    """

    name = "eradication_shock"
    mids = ("M20",)
    cites = (f"{E} §ClassStructure L135-L137",)
    framework = "shared"
    phase = "grievance"
    reads = ("countries.crop_eradication", "countries.crop_eradication_months", "countries.alternative_crop",
             "agents.country", "agents.crop", "agents.income", "agents.grievance", "agents.consciousness")  # fmt: skip
    writes = ("agents.income", "agents.grievance", "agents.consciousness", "agents.link_observed")

    class Params(Params):
        """Parameters of ``eradication_shock``."""

        max_loss: float = param(0.7, ge=0.0, le=1.0, unit="share of income",
            description="long-run income loss of coca growers under eradication at full intensity",
            why="E L135: 'destroyed the livelihood'; placeholder")  # fmt: skip
        speed: float = param(0.2, ge=0.0, le=1.0, unit="per month",
            description="share of the gap to the floor closed each month", why="eradication acts fast")  # fmt: skip
        jump: float = param(0.4, ge=0.0, le=1.0, unit="[0,1]",
            description="onset jump in grievance and consciousness at full intensity (capped at 1)",
            why="E L137: 'a sharp increase'; placeholder")  # fmt: skip
        with_alternative: float = param(0.3, ge=0.0, le=1.0, unit="factor",
            description="factor on the jump where an alternative crop is offered",
            why="M20 Hook: the increment is larger without an alternative crop")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs = state.countries
        e = cs.crop_eradication
        if not e.any():
            return
        a = state.agents
        e_agent = e[a.country]
        hit = (a.crop == CROP["coca"]) & (e_agent > 0)
        _lower_toward(a.income, hit, 1.0 - params.max_loss * e_agent, params.speed)
        onset_c = (cs.crop_eradication_months == 1) & (e > 0)
        if onset_c.any():
            size_c = (params.jump * e * np.where(cs.alternative_crop, params.with_alternative, 1.0)).astype(np.float32)
            idx = np.flatnonzero(hit & onset_c[a.country])
            size = size_c[a.country[idx]]
            a.grievance[idx] = np.minimum(a.grievance[idx] + size, np.float32(1))
            a.consciousness[idx] = np.minimum(a.consciousness[idx] + size, np.float32(1))
            a.link_observed[idx] = True
