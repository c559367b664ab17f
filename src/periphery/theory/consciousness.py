"""Consciousness family: attribution, target escalation, macro-micro links and linkage across scales (theory_spec 3.5).

An agent's loss is *attributed* to the imperial state in proportion to how visible the policy
makers are, how clearly the policy that hit the agent is of foreign origin, and how hard it hit
(M59). Attribution and protest push the agent's target up the hierarchy firm -> regime -> IFI
-> imperial state (M6, M57, M59). Consciousness rises above the level of economic demands only
once the agent has observed a link between its own loss and a macro policy (M56); that link is
observed through attribution, through eradication and contractors (M20, M4), through
organizations that tie a local or sectoral issue to national ones and to ALCA (M12, M55), and
mobilization spreads between the local and the national scale in both directions (M54).

Conventions as in ``grievance.py``. Consciousness levels use the schema's four codes
(``CONSCIOUSNESS_LEVELS``: none, economic, political_national, anti_systemic); the map's
"economic / political-national / anti-systemic" are codes 1-3 here.
"""

from __future__ import annotations

import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.grievance import _class_mask
from periphery.theory.world_schema import (
    ALCA_STATUS,
    CROP,
    EVENT_NAMES,
    N_CLASSES,
    ORG_SCOPES,
    STATUS,
    TARGETS,
    C,
    Var,
)

E = "000_c5680132a7806926.txt"  # Petras 2003 (theory_spec: E)

Q, MOB, ORG, ARM, JAIL, EMIG = (STATUS[s] for s in ("quiescent", "mobilized", "organized", "armed", "jailed", "emigrated"))
FIRM, REGIME, IFI, IMPERIAL = (TARGETS.index(t) for t in ("firm", "regime", "ifi", "imperial_state"))
ISSUE, SECTOR, SYSTEM = (ORG_SCOPES.index(s) for s in ("issue", "sector", "system"))
_FTA = EVENT_NAMES.index("free_trade_agreement")
_URBAN = tuple(range(C["public_employee"], C["service_worker"] + 1))
_PUBLIC = (C["public_employee"], C["teacher_student"])
_RURAL = (C["peasant_farmer"], C["landless_rural_worker"], C["indigenous_community"])

COLUMNS = (
    Var("countries", "visibility", "float32", "[0,1]",
        "visibility of imperial and IFI policy makers to the population (M59; raised by ALCA, M10)", 0, "mechanism"),
    Var("orgs", "linked_issue", "int16", "event kind index",
        "national issue (EVENT_NAMES index) the organization has linked its own issue to, -1 if none (M12, M55)",
        -1, "mechanism"),
    Var("agents", "locality", "int32", "index",
        "locality (municipality) id, country * localities_per_country + local index; -1 until assigned (M54)",
        -1, "mechanism"),
)  # fmt: skip

#: Policy drivers an agent can trace to a foreign author: (event kind, imperial origin in [0,1],
#: classes it hits). Origins are modeller's weights (mechanism_map M59): how clearly each policy
#: is authored abroad. Eradication hits coca growers only and is handled apart.
_ORIGINS: tuple[tuple[str, float, tuple[int, ...]], ...] = (
    ("occupation", 1.0, tuple(range(16))),
    ("structural_adjustment", 0.9, (*_PUBLIC, C["informal_unemployed"], C["urban_poor"])),
    ("debt_service", 0.9, _PUBLIC),
    ("free_trade_agreement", 0.9, (C["peasant_farmer"], C["indigenous_community"], C["industrial_worker"])),
    ("subsidized_imports", 0.8, (C["peasant_farmer"], C["indigenous_community"])),
    ("agro_export_credit", 0.7, _RURAL),
    ("capital_flight", 0.7, (*_PUBLIC, C["industrial_worker"], C["service_worker"], C["small_medium_capitalist"])),
    ("privatization", 0.6, _URBAN),
    ("land_titling_end", 0.6, (C["peasant_farmer"], C["indigenous_community"])),
    ("cheap_imports", 0.5, (C["industrial_worker"], C["small_medium_capitalist"])),
    ("foreign_retail", 0.5, (C["service_worker"], C["small_medium_capitalist"])),
    ("credit_squeeze", 0.3, (C["peasant_farmer"], C["indigenous_community"], C["small_medium_capitalist"])),
    ("crisis", 0.2, tuple(range(16))),
)
_ERADICATION_ORIGIN = 1.0


def _visibility(cs, base: float, alca_gain: float) -> np.ndarray:
    """Per-country visibility: ``clip(base + alca_gain * alca)``, alca = max(FTA event, 0.5 negotiating / 1 ratified)."""
    status = np.select([cs.alca_status == ALCA_STATUS.index("negotiating"), cs.alca_status == ALCA_STATUS.index("ratified")],
                       [0.5, 1.0], 0.0)  # fmt: skip
    alca = np.maximum(cs.free_trade_agreement, status)
    return np.clip(base + alca_gain * alca, 0.0, 1.0).astype(np.float32)


def _active(st: np.ndarray) -> np.ndarray:
    return (st >= MOB) & (st <= ARM)


@register
class Attribution(TheoryMechanism):
    """M59: a visible, clearly foreign author of a direct loss gives a clear target and reveals the macro-micro link.

    Paraphrase: high visibility of imperial policy makers, their plain identification with
    the imperial state and the direct, lasting harm of their policies give the exploited
    classes a very clear target; when an IFI-dictated program closes clinics and crowds
    classrooms, blame is easy to assign (E L177).

    Rule, per agent each month::

        visibility[c]  = clip(base_visibility + alca_gain * alca[c])           (ALCA: M10's symbol)
        origin         = max over active policies hitting the agent's class of their imperial
                         origin weight (eradication: 1 for coca growers)
        attribution    = visibility * origin * min(1, income_loss / loss_scale)
        link_observed  <- True with probability observe * attribution
        target         <- max(target, firm + min(3, floor(4 * attribution)))   (agents with a loss)

    An agent with a loss but no attribution aims at the firm or employer (the local
    collaborator, M53's first point of conflict); full attribution aims at the imperial state.
    """

    name = "attribution"
    mids = ("M59",)
    cites = (f"{E} §Theory L177",)
    framework = "shared"
    phase = "consciousness"
    reads = ("countries.alca_status", "countries.free_trade_agreement", "countries.crop_eradication",
             *(f"countries.{k}" for k, _, _ in _ORIGINS), "agents.cell", "agents.country", "agents.crop",
             "agents.income_loss", "agents.attribution", "agents.target", "agents.link_observed")  # fmt: skip
    writes = ("countries.visibility", "agents.attribution", "agents.target", "agents.link_observed")

    class Params(Params):
        """Parameters of ``attribution``."""

        base_visibility: float = param(0.5, ge=0.0, le=1.0, unit="[0,1]",
            description="visibility of imperial and IFI policy makers without ALCA (P16 sweeps it)",
            why="placeholder: middle of the range; E L177 describes 'high visibility' in Latin America")  # fmt: skip
        alca_gain: float = param(0.2, ge=0.0, le=1.0, unit="[0,1]",
            description="visibility added by a ratified ALCA (half while negotiating): a single named symbol",
            why="mechanism_map M10 (vis_alca = 0.2); E L68 on ALCA as an overarching target")  # fmt: skip
        loss_scale: float = param(0.2, gt=0.0, le=1.0, unit="share of income",
            description="income loss at which the impact term of attribution saturates",
            why="mechanism_map M59 (theta59 = 0.2); placeholder")  # fmt: skip
        observe: float = param(0.2, ge=0.0, le=1.0, unit="per month",
            description="monthly probability of observing the macro-micro link at full attribution",
            why="mechanism_map M59 (p59 = 0.2); placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, a = state.countries, state.agents
        vis = _visibility(cs, params.base_visibility, params.alca_gain)
        cs.visibility = vis
        nc = cs.n
        origin_cell = np.zeros((nc, N_CLASSES), dtype=np.float32)
        for kind, w, classes in _ORIGINS:
            x = cs.columns()[kind]
            if x.any():
                on = np.flatnonzero(x > 0)
                origin_cell[np.ix_(on, classes)] = np.maximum(origin_cell[np.ix_(on, classes)], w)
        erad = cs.crop_eradication
        if not (origin_cell.any() or erad.any()):
            if a.attribution.any():
                a.attribution[:] = 0
            return
        loss = a.income_loss
        hit = loss > 0
        idx = np.flatnonzero(hit)
        origin = origin_cell.ravel()[a.cell[idx]]
        if erad.any():
            coca = (a.crop[idx] == CROP["coca"]) & (erad[a.country[idx]] > 0)
            origin[coca] = np.maximum(origin[coca], np.float32(_ERADICATION_ORIGIN))
        attr = vis[a.country[idx]] * origin * np.minimum(np.float32(1), loss[idx] * np.float32(1.0 / params.loss_scale))
        a.attribution[:] = 0
        a.attribution[idx] = attr
        unseen = ~a.link_observed[idx]
        seen = idx[unseen & (rng.random(idx.size, dtype=np.float32) < np.float32(params.observe) * attr)]
        a.link_observed[seen] = True
        code = (FIRM + np.minimum(3, np.floor(attr * 4))).astype(np.int8)
        a.target[idx] = np.maximum(a.target[idx], code)


@register
class TargetEscalation(TheoryMechanism):
    """M6, M57: privatization and austerity protests climb from the firm to the regime, the IFIs and the imperial state.

    Paraphrase: corrupt privatizations and their effects provoke mass protest against the
    foreign firm, against state policy and against the consequences; the campaign then turns
    on the IFIs that sponsor privatization and on the states that back them (E L54; Peru,
    Bolivia, Ecuador). Structural adjustment in Peru and Argentina brought layoffs and pay
    cuts for teachers and health workers, then demonstrations for pay that turned into attacks
    on the regime applying the program, the IFIs dictating it and US policy makers (E L173).

    Rule: each month, an active (mobilized, organized or armed) agent moves one step up the
    target hierarchy (``target <- min(target + 1, imperial_state)``, starting from firm) with
    probability

    * ``privatization_step * attribution`` for urban classes (C4-C10) in a country with
      ``privatization`` (M6), and
    * ``austerity_step * visibility * (1 + crisis_gain * crisis)`` for public employees and
      teachers (C4, C5) in a country with ``structural_adjustment`` or ``debt_service`` (M57;
      the crisis term is E L183's meeting of expansion and falling living standards, M13).

    An agent whose target reaches the IFIs has seen the link between its loss and macro
    policy (``link_observed``).
    """

    name = "target_escalation"
    mids = ("M6", "M57")
    cites = (f"{E} §Conditions L54", f"{E} §Theory L173", f"{E} §Regimes L183")
    framework = "shared"
    phase = "consciousness"
    reads = ("countries.privatization", "countries.structural_adjustment", "countries.debt_service", "countries.crisis",
             "countries.visibility", "agents.country", "agents.class_code", "agents.status", "agents.attribution",
             "agents.target", "agents.link_observed")  # fmt: skip
    writes = ("agents.target", "agents.link_observed")

    class Params(Params):
        """Parameters of ``target_escalation``."""

        privatization_step: float = param(0.1, ge=0.0, le=1.0, unit="per month",
            description="monthly probability of a step up the target hierarchy at full attribution (privatization)",
            why="mechanism_map M6 (e6 = 0.1); placeholder")  # fmt: skip
        austerity_step: float = param(0.15, ge=0.0, le=1.0, unit="per month",
            description="monthly probability of a step up at full visibility (austerity, public sector)",
            why="mechanism_map M57 (e57 = 0.15); placeholder")  # fmt: skip
        crisis_gain: float = param(0.5, ge=0.0, le=5.0, unit="factor",
            description="extra escalation during an economic crisis",
            why="mechanism_map M21/M57 (m_crisis = 0.5); E L183")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, a = state.countries, state.agents
        priv = cs.privatization
        aus = np.maximum(cs.structural_adjustment, cs.debt_service)
        if not (priv.any() or aus.any()):
            return
        idx = np.flatnonzero(_active(a.status) & (a.target < IMPERIAL))
        ci = a.country[idx]
        cls = a.class_code[idx]
        p = np.zeros(idx.size, dtype=np.float32)
        if priv.any():
            m = _class_mask(cls, _URBAN) & (priv[ci] > 0)
            p[m] = np.float32(params.privatization_step) * a.attribution[idx[m]]
        if aus.any():
            pc = (params.austerity_step * cs.visibility * (1.0 + params.crisis_gain * cs.crisis) * (aus > 0)).astype(np.float32)
            m = _class_mask(cls, _PUBLIC)
            p[m] = 1 - (1 - p[m]) * (1 - np.minimum(pc[ci[m]], np.float32(1)))
        up = idx[rng.random(idx.size, dtype=np.float32) < p]
        t = np.maximum(a.target[up], FIRM) + 1
        a.target[up] = np.minimum(t, IMPERIAL).astype(np.int8)
        a.link_observed[up[a.target[up] >= IFI]] = True


@register
class ContractorRadicalization(TheoryMechanism):
    """M4: foreign contractors in combat and eradication radicalize the countryside.

    Paraphrase: the direct part of US private military contractors in combat and in coca
    eradication has added to the growth of anti-imperialist politics in rural areas (E L51).

    Rule: each month, rural agents (C1-C3) of a country with ``contractors`` at intensity
    ``x`` observe the foreign hand in their situation (``link_observed``) with probability
    ``observe * x``, and their consciousness grows by ``rate * x * (1 - consciousness)``.
    """

    name = "contractor_radicalization"
    mids = ("M4",)
    cites = (f"{E} §Conditions L51",)
    framework = "shared"
    phase = "consciousness"
    reads = ("countries.contractors", "agents.country", "agents.class_code", "agents.consciousness",
             "agents.link_observed")  # fmt: skip
    writes = ("agents.consciousness", "agents.link_observed")

    class Params(Params):
        """Parameters of ``contractor_radicalization``."""

        observe: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a rural agent observes the foreign role at full intensity",
            why="mechanism_map M4 (p4 = 0.05); placeholder")  # fmt: skip
        rate: float = param(0.01, ge=0.0, le=1.0, unit="per month",
            description="consciousness growth at full intensity (share of the room to 1)",
            why="mechanism_map M4 (c4 = 0.01); placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        x = state.countries.contractors
        if not x.any():
            return
        a = state.agents
        idx = np.flatnonzero(_class_mask(a.class_code, _RURAL) & (x > 0)[a.country])
        xi = x[a.country[idx]]
        c = a.consciousness[idx]
        c += np.float32(params.rate) * xi * (np.float32(1) - c)
        a.consciousness[idx] = c
        a.link_observed[idx[rng.random(idx.size, dtype=np.float32) < np.float32(params.observe) * xi]] = True


@register
class ConsciousnessLevels(TheoryMechanism):
    """M56: consciousness rises beyond economic demands only where the agent sees the macro-micro link.

    Paraphrase: the direct connection between imperial macro policy and its sectoral and
    local class effects extends workers' and peasants' consciousness from simple economic
    demands to national political struggle (E L173).

    Rule, per agent each month (``c`` = consciousness, ``acting`` = mobilized, organized or
    armed)::

        gain = rate * (income_loss + action_weight * acting)
        linked:    c += gain * (1 - c)
        unlinked:  c += gain * max(0, cap - c) / cap        (cannot pass the economic cap)
        c *= 1 - decay
        level = none;  economic if c >= economic_min;
                political_national if linked and c >= 1/3;
                anti_systemic if linked and c >= 2/3 and (member of a system-scope
                organization or target == imperial_state)

    Without ``link_observed`` an agent never reaches the political-national level, whatever its
    loss (P18's structural zero). Consciousness set by the scenario or by shocks (M20, M4) is
    kept, but counts toward a level above economic only with an observed link.
    """

    name = "consciousness_levels"
    mids = ("M56",)
    cites = (f"{E} §Theory L173",)
    framework = "shared"
    phase = "consciousness"
    reads = ("agents.consciousness", "agents.link_observed", "agents.income_loss", "agents.status", "agents.org",
             "agents.target", "orgs.scope", "orgs.exists")  # fmt: skip
    writes = ("agents.consciousness", "agents.consciousness_level")

    class Params(Params):
        """Parameters of ``consciousness_levels``."""

        rate: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="consciousness gain per unit of income loss (share of the room left)",
            why="mechanism_map M56 (c56 = 0.05); placeholder")  # fmt: skip
        action_weight: float = param(0.5, ge=0.0, le=10.0, unit="",
            description="weight of taking part in action, relative to a full income loss",
            why="mechanism_map M56 (eta56 = 0.5): struggle itself teaches; placeholder")  # fmt: skip
        cap: float = param(0.3, gt=0.0, lt=1.0 / 3.0, unit="[0,1]",
            description="highest consciousness reachable without an observed link (economic demands only)",
            why="just below the political-national boundary 1/3 (mechanism_map M56)")  # fmt: skip
        economic_min: float = param(0.05, ge=0.0, le=0.3, unit="[0,1]",
            description="consciousness from which an agent counts as making economic demands",
            why="placeholder")  # fmt: skip
        decay: float = param(0.005, ge=0.0, le=0.1, unit="per month",
            description="monthly decay of consciousness (it is sticky)",
            why="mechanism_map A1 (delta_c = 0.005); modeller's rule, not a claim of the texts")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, og = state.agents, state.orgs
        c = a.consciousness
        linked = a.link_observed
        gain = (a.income_loss + np.float32(params.action_weight) * _active(a.status)).astype(np.float32)
        gain *= np.float32(params.rate)
        room = np.where(linked, np.float32(1) - c, np.maximum(np.float32(0), np.float32(params.cap) - c)
                        * np.float32(1.0 / params.cap))  # fmt: skip
        c += gain * room
        c *= np.float32(1.0 - params.decay)
        lvl = (c >= np.float32(params.economic_min)).astype(np.int8)
        lvl[linked & (c >= np.float32(1 / 3))] = 2
        top = np.flatnonzero(linked & (c >= np.float32(2 / 3)))
        if top.size:
            o = a.org[top]
            system_org = np.zeros(top.size, dtype=bool)
            mem = o >= 0
            system_org[mem] = og.exists[o[mem]] & (og.scope[o[mem]] == SYSTEM)
            lvl[top[system_org | (a.target[top] == IMPERIAL)]] = 3
        a.consciousness_level = lvl


def _link_members(a, orgs_idx: np.ndarray, p: float, rng) -> None:
    """Members (organization in ``orgs_idx``) observe the link with probability ``p``."""
    if orgs_idx.size == 0 or p <= 0:
        return
    member = np.zeros(int(orgs_idx.max()) + 2, dtype=bool)
    member[orgs_idx] = True
    o = a.org
    idx = np.flatnonzero((o >= 0) & (o <= orgs_idx.max()))
    idx = idx[member[o[idx]] & ~a.link_observed[idx]]
    a.link_observed[idx[rng.random(idx.size, dtype=np.float32) < np.float32(p)]] = True


@register
class AlcaIssueLinkage(TheoryMechanism):
    """M12: under ALCA, single-issue struggles are explicitly linked to the opposition to ALCA.

    Paraphrase: the shift from free trade to ALCA-style mercantilism widens the opposition;
    struggles that began over one policy and one sector, such as oil workers in Ecuador or
    electricity workers in Mexico, are increasingly tied explicitly to the opposition to ALCA
    and to US conquest (E L68, L26).

    Rule: while ALCA is active in a country (``free_trade_agreement`` > 0, or ``alca_status``
    negotiating or ratified), each issue-scope organization not yet linked takes ALCA as a
    second issue with probability ``link * (1 + symbol)`` a month (``linked_issue`` = ALCA,
    scope issue -> sector). Each month, members of ALCA-linked organizations observe the
    macro-micro link with probability ``member_link``. ``symbol`` = 0 removes the overarching
    symbol (ablation).
    """

    name = "alca_issue_linkage"
    mids = ("M12",)
    cites = (f"{E} §Conditions L68", f"{E} §AIM L26")
    framework = "shared"
    phase = "consciousness"
    reads = ("countries.free_trade_agreement", "countries.alca_status", "orgs.exists", "orgs.country", "orgs.scope",
             "orgs.linked_issue", "agents.org", "agents.link_observed")  # fmt: skip
    writes = ("orgs.scope", "orgs.linked_issue", "agents.link_observed")

    class Params(Params):
        """Parameters of ``alca_issue_linkage``."""

        link: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly probability an issue organization links its issue to ALCA (without the symbol term)",
            why="mechanism_map M12 (l12 = 0.02); placeholder")  # fmt: skip
        symbol: float = param(1.0, ge=0.0, le=5.0, unit="factor",
            description="strength of ALCA as an overarching symbol (0 switches it off)",
            why="mechanism_map M12 (overarching_symbol = 1)")  # fmt: skip
        member_link: float = param(0.02, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a member of an ALCA-linked organization observes the link",
            why="mechanism_map M12 (l12); placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, og, a = state.countries, state.orgs, state.agents
        on = (cs.free_trade_agreement > 0) | np.isin(cs.alca_status, (ALCA_STATUS.index("negotiating"),
                                                                       ALCA_STATUS.index("ratified")))  # fmt: skip
        if not on.any():
            return
        cand = np.flatnonzero(og.exists & on[og.country] & (og.scope == ISSUE) & (og.linked_issue < 0))
        new = cand[rng.random(cand.size) < params.link * (1.0 + params.symbol)]
        og.linked_issue[new] = _FTA
        og.scope[new] = SECTOR
        _link_members(a, np.flatnonzero(og.exists & on[og.country] & (og.linked_issue == _FTA)), params.member_link, rng)


_NATIONAL = ("structural_adjustment", "debt_service", "privatization", "subsidized_imports", "cheap_imports")


@register
class LocalNationalLinkage(TheoryMechanism):
    """M55: local struggles with linked leaders join national struggles against neo-liberal policy.

    Paraphrase: in Bolivia the local fights of Cochabamba (foreign water privatization) and
    of the Chapare (eradication) were linked to wider struggles against the neo-liberal
    policies hurting farm and factory jobs and public finance, and grew into movements
    against ALCA, the IMF and US imperialism (E L171).

    Rule: each month, an organization not yet linked, with ``leader_linkage`` >= ``min_linkage``,
    links its issue to the national struggle with probability ``link * n`` where ``n`` is the
    number of active national policy drivers (SAP, debt service, privatization, subsidized and
    cheap imports) other than its own issue; it records the most intense one as
    ``linked_issue``, its scope widens (issue -> sector, sector -> system), and its members
    then observe the macro-micro link with probability ``member_link`` a month. (ALCA is
    M12's route.)
    """

    name = "local_national_linkage"
    mids = ("M55",)
    cites = (f"{E} §Theory L171",)
    framework = "shared"
    phase = "consciousness"
    reads = ("orgs.exists", "orgs.country", "orgs.scope", "orgs.issue", "orgs.leader_linkage", "orgs.linked_issue",
             "agents.org", "agents.link_observed", *(f"countries.{k}" for k in _NATIONAL))  # fmt: skip
    writes = ("orgs.scope", "orgs.linked_issue", "agents.link_observed")

    _IDX = np.array([EVENT_NAMES.index(k) for k in _NATIONAL])

    class Params(Params):
        """Parameters of ``local_national_linkage``."""

        link: float = param(0.03, ge=0.0, le=1.0, unit="per month per active driver",
            description="monthly linking probability per active national driver",
            why="mechanism_map M55 (l55 = 0.03); placeholder")  # fmt: skip
        min_linkage: float = param(0.5, ge=0.0, le=1.0, unit="[0,1]",
            description="leader linkage needed to tie a local issue to national ones",
            why="mechanism_map M44 (theta44 = 0.5)")  # fmt: skip
        member_link: float = param(0.05, ge=0.0, le=1.0, unit="per month",
            description="monthly probability a member of a linked organization observes the link",
            why="placeholder")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        cs, og, a = state.countries, state.orgs, state.agents
        drivers = np.stack([cs.columns()[k] for k in _NATIONAL])  # (n_drivers, n_countries)
        if not drivers.any():
            return
        cand = np.flatnonzero(og.exists & (og.linked_issue < 0) & (og.leader_linkage >= params.min_linkage))
        if cand.size:
            d = drivers[:, og.country[cand]].copy()  # (n_drivers, n_cand)
            d[self._IDX[:, None] == og.issue[cand][None, :]] = 0
            n = (d > 0).sum(axis=0)
            new = rng.random(cand.size) < params.link * n
            j = cand[new]
            if j.size:
                og.linked_issue[j] = self._IDX[np.argmax(d[:, new], axis=0)]
                og.scope[j] = np.minimum(og.scope[j] + 1, SYSTEM)
        linked = np.flatnonzero(og.exists & (og.linked_issue >= 0) & (og.linked_issue != _FTA))
        _link_members(a, linked, params.member_link, rng)


@register
class EscalationAcrossScales(TheoryMechanism):
    """M54: mobilization spreads from linked localities up to the nation and from the nation down to linked localities.

    Paraphrase: since imperialism acts at the macro and the micro level at once,
    anti-imperialism shows up nationally (large demonstrations in the main cities) and
    locally (municipality and village); the movements interconnect and escalate from the
    local to the national level "but also vice versa" (E L169).

    Localities: each country's agents are split, in row order, into ``localities`` blocks
    (the builder's neighbourhood ties run along the same row order, so a locality is a block
    of neighbours). A locality's linkage ``lam`` is the share of its present agents who have
    observed a macro-micro link (M56): its struggle is tied to national issues.

    Rule, after the activation rule, for each quiescent free agent with grievance ``g`` and
    net risk ``r`` (this month's, from activation), in locality ``l`` of country ``c``::

        m_nat[c] = active share of country c
        U[c]     = sum_l lam[l] * active[l] / present[c]      (linked local mobilization)
        p        = g * (1 - r) * (down * m_nat[c] * lam[l] + up * U[c])
        mobilized (organized if in an organization) with probability min(1, p)

    ``down`` carries national mobilization into linked localities, ``up`` carries the
    mobilization of linked localities to the whole country. With ``up = down = 0`` the rule
    does nothing (P17's linkage-off arm).
    """

    name = "escalation_across_scales"
    mids = ("M54",)
    cites = (f"{E} §Theory L169",)
    framework = "shared"
    phase = "activation"
    reads = ("agents.country", "agents.status", "agents.grievance", "agents.net_risk", "agents.link_observed",
             "agents.org", "agents.locality", "agents.months_active")  # fmt: skip
    writes = ("agents.status", "agents.months_active", "agents.locality")

    class Params(Params):
        """Parameters of ``escalation_across_scales``."""

        localities: int = param(50, ge=1, le=30_000, unit="localities per country",
            description="number of localities (municipalities) each country's agents are split into",
            why="placeholder; the texts name municipalities and villages, no number")  # fmt: skip
        up: float = param(0.5, ge=0.0, le=5.0, unit="per month",
            description="pull of linked local mobilization on agents across the country (local -> national)",
            why="mechanism_map M54 (u54 = 0.5); placeholder")  # fmt: skip
        down: float = param(0.5, ge=0.0, le=5.0, unit="per month",
            description="pull of national mobilization on agents of linked localities (national -> local)",
            why="mechanism_map M54 (d54 = 0.5); placeholder")  # fmt: skip

    def _assign(self, a, L: int) -> None:
        country = a.country.astype(np.int64)
        order = np.argsort(country, kind="stable")
        counts = np.bincount(country)
        start = np.concatenate(([0], np.cumsum(counts)[:-1]))
        rank = np.empty(country.size, dtype=np.int64)
        rank[order] = np.arange(country.size) - start[country[order]]
        local = rank * L // np.maximum(counts[country], 1)
        a.locality = (country * L + local).astype(np.int32)

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, nc, L = state.agents, state.countries.n, params.localities
        if a.n == 0:
            return
        if a.locality[0] < 0 or a.locality.max() >= nc * L:
            self._assign(a, L)
        if params.up == 0 and params.down == 0:
            return
        st = a.status
        act = _active(st)
        if not act.any():
            return
        gid = a.locality
        code = gid.astype(np.int64) * 5 + np.where(st == EMIG, 4, act + 2 * a.link_observed)
        n = np.bincount(code, minlength=nc * L * 5).reshape(nc * L, 5)
        present = n[:, :4].sum(axis=1)
        active = n[:, 1] + n[:, 3]
        lam = (n[:, 2] + n[:, 3]) / np.maximum(present, 1)
        pres_c = present.reshape(nc, L).sum(axis=1)
        m_nat = active.reshape(nc, L).sum(axis=1) / np.maximum(pres_c, 1)
        U = (lam * active).reshape(nc, L).sum(axis=1) / np.maximum(pres_c, 1)
        down_l = (params.down * np.repeat(m_nat, L) * lam).astype(np.float32)
        up_c = (params.up * U).astype(np.float32)
        if not (down_l.any() or up_c.any()):
            return
        idx = np.flatnonzero((st == Q) & (a.grievance > 0))
        pull = down_l[gid[idx]] + up_c[a.country[idx]]
        pull *= a.grievance[idx] * (np.float32(1) - a.net_risk[idx])
        join = idx[rng.random(idx.size, dtype=np.float32) < pull]
        st[join] = np.where(a.org[join] >= 0, ORG, MOB).astype(np.int8)
        a.months_active[join] = 1
