"""The state schema of the world model: entities, columns, codes and the events that drive them.

Four entities (theory_spec Appendix A is the source of the names):

* ``agents``: one row per person (periphery classes C1-C16, core classes C17-C22);
* ``countries``: one row per country, with its regime type, policy columns set by events
  (theory_spec section 2) and per-country indicators written by mechanisms;
* ``orgs``: one row per organization slot (declared by the scenario, plus free slots that
  mechanisms may found into; ``orgs.exists`` tells which are in use);
* ``globe``: one row for world-level quantities (the imperial state, hegemony).

Every column is a ``Var`` with dtype, unit, meaning, initial fill and ``source``: who sets it
before the first step (``builder``, ``scenario``, ``event``), or ``mechanism`` when only
mechanisms write it. The schedule checks reads against this.

Extending the schema: a family module may define a module-level ``COLUMNS: tuple[Var, ...]``;
``schema()`` merges those of every ``periphery.theory`` module, so family engineers add columns
in their own file. A name declared twice is an error naming both modules.

Names are plain and descriptive. Where the seed texts use a loaded word for a category, the
plain name is used here and the texts' word is noted in the meaning (e.g. regime ``aligned``,
the texts' "vassal").
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Literal

import numpy as np

from periphery.engine.params import Params, param
from periphery.engine.state import Column, Schema

Source = Literal["builder", "scenario", "event", "mechanism"]


@dataclass(frozen=True)
class Var:
    """One column of the world state, with its initial value and who sets it first."""

    entity: str
    name: str
    dtype: str
    unit: str
    meaning: str
    fill: float = 0
    source: Source = "mechanism"

    @property
    def key(self) -> str:
        """Qualified name ``entity.name``."""
        return f"{self.entity}.{self.name}"

    def column(self) -> Column:
        """The engine's declaration of this column."""
        return Column(self.entity, self.name, self.dtype, self.meaning, self.unit)


# --------------------------------------------------------------------------------------------
# Codes
# --------------------------------------------------------------------------------------------

#: Classes of theory_spec 1.4; code = C-number - 1. (name, C-id, short description).
CLASSES: tuple[tuple[str, str, str], ...] = (
    ("peasant_farmer", "C1", "peasants and small/medium family farmers (coca growers, C1a, are those with crop == coca)"),
    ("landless_rural_worker", "C2", "landless rural workers and displaced subsistence peasants"),
    ("indigenous_community", "C3", "indigenous and black peasants, farm workers and communities"),
    ("public_employee", "C4", "public-sector employees (services, administration, health)"),
    ("teacher_student", "C5", "teachers and students"),
    ("informal_unemployed", "C6", "urban unemployed, sub-employed and informal sector"),
    ("urban_poor", "C7", "urban poor (the texts single them out for Venezuela)"),
    ("maquila_worker", "C8", "maquiladora and assembly-plant workers"),
    ("industrial_worker", "C9", "industrial workers in private-sector unions"),
    ("service_worker", "C10", "bank employees and low-paid service workers"),
    ("small_medium_capitalist", "C11", "small and medium capitalists (PYMES) and small commerce"),
    ("local_bourgeoisie", "C12", "local bourgeoisie and intermediaries (the texts' \"imperial associates\")"),
    ("state_personnel", "C13", "state apparatus personnel: officers, officials, state managers"),
    ("church_progressive", "C14", "progressive sectors of the Catholic Church and church groups"),
    ("migrant_worker", "C15", "migrant and immigrant labor"),
    ("tourism_worker", "C16", "tourism workers and communities"),
    ("core_middle_class", "C17", "core middle and upper-middle classes, draft-age men and their parents"),
    ("core_worker", "C18", "core working and salaried classes (C18a unionists included)"),
    ("core_elite", "C19", "core ruling and political classes"),
    ("core_professional", "C20", "core middle-class professionals, students and NGO affiliates"),
    ("core_intellectual", "C21", "core progressive intellectuals"),
    ("core_soldier", "C22", "core soldiers and enlisted personnel"),
)
CLASS_NAMES: tuple[str, ...] = tuple(c[0] for c in CLASSES)
CLASS_CODE: dict[str, int] = {n: i for i, n in enumerate(CLASS_NAMES)}
N_CLASSES = len(CLASSES)
PERIPHERY_CLASSES = tuple(range(16))
CORE_CLASSES = tuple(range(16, 22))
C = CLASS_CODE  # short alias for mechanism code: C["peasant_farmer"]

#: Regime types of theory_spec 1.1 (ST1-ST6); plain names, texts' words in the meaning.
REGIMES: tuple[tuple[str, str, str], ...] = (
    ("aligned", "ST2", "government aligned with the imperial state (the texts' \"vassal\" regime)"),
    ("nationalist", "ST3", "nationalist or hybrid regime"),
    ("revolutionary", "ST4", "revolutionary regime"),
    ("repressive_electoral", "ST5", "formal elections with little democratic space"),
    ("occupied", "ST6", "country under foreign occupation with an appointed government"),
    ("core", "ST1", "imperial core state"),
)
REGIME_NAMES: tuple[str, ...] = tuple(r[0] for r in REGIMES)
REGIME_CODE: dict[str, int] = {n: i for i, n in enumerate(REGIME_NAMES)}

STATUSES: tuple[str, ...] = ("quiescent", "mobilized", "organized", "armed", "jailed", "emigrated")
STATUS: dict[str, int] = {n: i for i, n in enumerate(STATUSES)}
ACTIVE_STATUSES = (STATUS["mobilized"], STATUS["organized"], STATUS["armed"])

CONSCIOUSNESS_LEVELS: tuple[str, ...] = ("none", "economic", "political_national", "anti_systemic")
CROPS: tuple[str, ...] = ("none", "food", "coca", "export")
CROP: dict[str, int] = {n: i for i, n in enumerate(CROPS)}
EMPLOYMENT: tuple[str, ...] = ("formal", "informal", "unemployed", "own_account", "student")
EMPLOY: dict[str, int] = {n: i for i, n in enumerate(EMPLOYMENT)}
#: Employment each class starts in (builder); the texts give no finer split.
CLASS_EMPLOYMENT: tuple[str, ...] = (
    "own_account", "informal", "own_account", "formal", "formal", "informal", "informal", "formal",
    "formal", "formal", "own_account", "own_account", "formal", "formal", "informal", "informal",
    "formal", "formal", "own_account", "formal", "formal", "formal",
)  # fmt: skip

ORG_SCOPES = ("issue", "sector", "system")  # theory_spec 7.1 program_scope
POWER_ORIENTATIONS = ("none", "electoral_subordinate", "independent")
ORG_FORMS = ("vertical", "horizontal", "hybrid")
TACTICS = (
    "demonstration", "blockade", "building_takeover", "general_strike", "armed_struggle", "referendum",
    "electoral", "ousting", "disruption", "social_unionism", "bargaining", "lobbying",
    "public_opinion", "military_dissent", "solidarity", "organizing",
)  # theory_spec 1.6, T1-T16 in order  # fmt: skip
TARGETS = ("none", "firm", "regime", "ifi", "imperial_state")  # M6, M59 hierarchy
INTERVENTION_MODES = (
    "none", "ground_conscript", "ground_volunteer", "aerial_proxy", "covert", "mercenary",
    "small_invasion", "humanitarian",
)  # fmt: skip
ALCA_STATUS = ("none", "negotiating", "ratified", "blocked")

#: Events a scenario timeline may schedule: kind -> (theory_spec drivers, meaning). Each kind is
#: a country column (intensity in [0, 1] while active, 0 otherwise) plus ``<kind>_months``
#: (months since it started, 0 when inactive), so mechanisms can tell onset from duration.
EVENT_KINDS: dict[str, tuple[str, str]] = {
    "occupation": ("D1", "foreign military occupation of the country"),
    "intervention": ("D2", "long-term foreign military involvement: advisors, arms, finance"),
    "counterinsurgency": ("D3", "escalated counter-insurgency campaign"),
    "contractors": ("D4", "foreign private contractors in combat and eradication"),
    "coup_attempt": ("D5", "foreign-backed coup attempt against the government"),
    "proxy_war": ("D6", "proxy or mercenary armies and paramilitaries"),
    "air_war": ("D8", "aerial war with local ground proxies"),
    "ground_war": ("D9", "prolonged ground war (set on the core country fighting it)"),
    "conscription": ("D10", "military draft in force (core country)"),
    "casualties": ("D11", "military casualties of the core country; intensity = monthly rate scaled to [0, 1]"),
    "repression_campaign": ("D12", "assassinations, death squads, elimination of the opposition"),
    "militarization": ("D13", "integration of the country's forces under foreign command"),
    "war_escalation": ("D14", "war spreading to neighbouring countries"),
    "privatization": ("D15", "privatization of public firms and utilities to foreign buyers"),
    "structural_adjustment": ("D16", "structural adjustment program (SAP), austerity"),
    "debt_service": ("D17", "budget cuts to service foreign debt"),
    "subsidized_imports": ("D18", "subsidized core farm exports entering the country's market"),
    "trade_barriers": ("D19", "core barriers against the country's exports"),
    "free_trade_agreement": ("D20", "ALCA/FTAA or bilateral free-trade agreement advancing"),
    "land_titling_end": ("D21", "end of limits on foreign land ownership and of communal titles"),
    "agro_export_credit": ("D22", "loans and infrastructure for agro-export firms"),
    "credit_squeeze": ("D23", "formal credit denied to small producers"),
    "crop_eradication": ("D24", "chemical eradication of coca without an alternative crop"),
    "mine_closure": ("D25", "closure of state mines"),
    "capital_flight": ("D26", "foreign banks move deposits abroad; bank takeovers"),
    "foreign_retail": ("D27", "entry of foreign retail chains"),
    "cheap_imports": ("D28", "tariff cuts and cheap manufactured imports"),
    "crisis": ("D29", "economic crisis or recession"),
    "core_welfare_cuts": ("D30", "falling living standards in the core during war"),
    "co_optation": ("D31", "co-optation of dissident elites, intellectuals and union leaders"),
    "union_pact": ("D33", "unions bound into tripartite pacts"),
    "patronage": ("D34", "patronage employment in the public sector"),
    "humanitarian_mission": ("D35", "humanitarian 'hearts and minds' missions"),
    "labelling": ("D37", "media and government labelling of movements"),
    "electoral_fraud": ("D39", "coups, electoral manipulation, fraud"),
    "blockade": ("D40", "economic blockade or embargo"),
    "diplomatic_initiative": ("D41", "diplomatic initiative of the imperial state"),
    "ally_defection": ("D43", "an allied party or leader changes course"),
    "integration_wave": ("D44", "deeper integration into world capitalism"),
    "maquila_expansion": ("D45", "maquiladoras and global production chains"),
    "tourism": ("D46", "global tourism penetrating communities"),
    "agribusiness": ("D47", "transnational agribusiness expansion (soy and similar)"),
    "labor_export": ("D48", "labor export and remittances"),
    "resource_extraction": ("D49", "transnational oil, gas and mining in indigenous territories"),
    "raw_material_demand": ("D50", "raw-material demand from China's coastal zones"),
    "informalization": ("D51", "informalization and flexibilization of labor"),
    "border_regime": ("D52", "border regime dividing national and immigrant labor"),
    "hegemony_crack": ("D53", "neoliberal hegemony cracking"),
    "elections": ("D54", "electoral conjuncture putting state power on the agenda"),
    "faction_alliance": ("D32", "imperial alliance with a religious or ethnic faction ('selective use and disuse', M94)"),
}
EVENT_NAMES: tuple[str, ...] = tuple(EVENT_KINDS)


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------

def _v(entity: str, specs) -> tuple[Var, ...]:
    return tuple(Var(entity, *s) for s in specs)


AGENTS = _v("agents", [
    # name, dtype, unit, meaning, fill, source
    ("country", "int16", "index", "row of the agent's country in `countries`", 0, "builder"),
    ("class_code", "int8", "code", "class, index into CLASS_NAMES (theory_spec 1.4, C-number - 1)", 0, "builder"),
    ("cell", "int32", "index", "country * N_CLASSES + class_code; keep in step with class_code (see move_class)", 0, "builder"),
    ("indigenous", "bool", "flag", "member of an indigenous or black community (C3, X10 ethnic axis)", 0, "builder"),
    ("income", "float32", "ratio to baseline", "real income; 1 = the agent's starting income", 1, "builder"),
    ("expected_income", "float32", "ratio to baseline", "income the agent expects (adapts slowly)", 1, "builder"),
    ("income_loss", "float32", "share", "max(0, 1 - income / expected_income)", 0, "mechanism"),
    ("grievance", "float32", "[0,1]", "grievance", 0, "mechanism"),
    ("consciousness", "float32", "[0,1]", "latent anti-imperialist consciousness (theory_spec 1.8, 7.1)", 0, "builder"),
    ("consciousness_level", "int8", "code", "CONSCIOUSNESS_LEVELS: none, economic, political_national, anti_systemic (M56)", 0, "builder"),
    ("attribution", "float32", "[0,1]", "how far the agent attributes its loss to the imperial state (M59)", 0, "mechanism"),
    ("target", "int8", "code", "TARGETS: what the agent's protest is aimed at (M6, M59)", 0, "mechanism"),
    ("link_observed", "bool", "flag", "has observed a link between its loss and a macro policy (M56)", 0, "mechanism"),
    ("risk_aversion", "float32", "[0,1]", "risk aversion (fixed trait)", 0, "builder"),
    ("hardship", "float32", "[0,1]", "how strongly the person feels grievance as a reason to act (fixed trait; Epstein's H)", 0, "builder"),
    ("perceived_risk", "float32", "probability", "estimated chance of arrest if active", 0, "mechanism"),
    ("net_risk", "float32", "[0,1]", "risk_aversion * perceived_risk, the cost side of activation", 0, "mechanism"),
    ("status", "int8", "code", "STATUSES: quiescent, mobilized, organized, armed, jailed, emigrated", 0, "builder"),
    ("jail_left", "int16", "months", "months of jail left (0 if free)", 0, "builder"),
    ("months_active", "int16", "months", "consecutive months active (mobilized, organized or armed)", 0, "mechanism"),
    ("org", "int32", "index", "row in `orgs` of the agent's organization, -1 if none", -1, "builder"),
    ("crop", "int8", "code", "CROPS: none, food, coca, export", 0, "builder"),
    ("employment", "int8", "code", "EMPLOYMENT: formal, informal, unemployed, own_account, student", 0, "builder"),
    ("land", "float32", "ratio to class mean", "land held", 0, "builder"),
    ("credit_access", "float32", "[0,1]", "access to formal credit (M15)", 0, "builder"),
    ("displaced", "bool", "flag", "displaced from land or home (M15, M16)", 0, "mechanism"),
    ("patronage_job", "bool", "flag", "owes the job to a party patron (M112)", 0, "builder"),
    ("union_member", "bool", "flag", "member of a trade union", 0, "builder"),
    ("remittance_share", "float32", "share", "share of household income from remittances (M130)", 0, "builder"),
    ("draft_age", "bool", "flag", "draft-age man or his parent (core; M77)", 0, "builder"),
    ("party_tie", "bool", "flag", "tied to a pro-war party or confederation (core; M72)", 0, "builder"),
    ("opinion", "float32", "[-1,1]", "support (+) or opposition (-) to the current war (core; M84)", 0, "mechanism"),
    ("casualty_exposure", "float32", "[0,1]", "closeness to a war casualty through ties (core; M76)", 0, "mechanism"),
])

_POLICY = tuple(
    Var("countries", k, "float32", "[0,1]", f"event intensity: {m} ({d})", 0, "event")
    for k, (d, m) in EVENT_KINDS.items()
) + tuple(
    Var("countries", f"{k}_months", "int16", "months", f"months since '{k}' started, 0 if inactive", 0, "event")
    for k in EVENT_KINDS
)

COUNTRIES = _v("countries", [
    ("regime", "int8", "code", "REGIME_NAMES: aligned (texts: \"vassal\"), nationalist, revolutionary, repressive_electoral, occupied, core", 0, "scenario"),
    ("is_core", "bool", "flag", "regime == core", 0, "scenario"),
    ("population_weight", "float32", "share", "share of all agents living here", 0, "scenario"),
    ("n_agents", "int32", "agents", "agents allocated at build (including emigrated)", 0, "builder"),
    ("legitimacy", "float32", "[0,1]", "legitimacy of the government (M22 hook)", 0, "scenario"),
    ("repression", "float32", "[0,1]", "repression capacity", 0, "scenario"),
    ("democratic_space", "float32", "[0,1]", "room for legal opposition (E L201; separate from electoral_form)", 0, "scenario"),
    ("electoral_form", "bool", "flag", "government chosen in formal elections (E L193)", 0, "scenario"),
    ("alignment", "float32", "[0,1]", "subordination of policy to the imperial state", 0, "scenario"),
    ("institutional_networking", "float32", "[0,1]", "permanent institutions trained and networked abroad (M32)", 0, "scenario"),
    ("armed_tradition", "float32", "[0,1]", "tradition of armed rural resistance (M103)", 0, "scenario"),
    ("revolutionary_tradition", "float32", "[0,1]", "memory of revolutionary struggle (M105)", 0, "scenario"),
    ("organizational_tradition", "float32", "[0,1]", "density of class-based organizations and syndicates", 0, "scenario"),
    ("army_mass_linkage", "float32", "[0,1]", "armed forces linked to the mass of people (M107)", 0, "scenario"),
    ("external_partners", "float32", "[0,1]", "diversified external trade and military partners (M107, X3)", 0, "scenario"),
    ("base_organization", "float32", "[0,1]", "organization of the government's own base: 0 none, 1 organized (T11)", 0, "scenario"),
    ("share_agriculture", "float32", "share", "economy: agriculture share of output", 0, "scenario"),
    ("share_industry", "float32", "share", "economy: manufacturing share", 0, "scenario"),
    ("share_services", "float32", "share", "economy: services share", 0, "scenario"),
    ("share_extractive", "float32", "share", "economy: mining, oil and gas share", 0, "scenario"),
    ("share_public", "float32", "share", "public sector share of employment", 0, "scenario"),
    ("foreign_ownership", "float32", "share", "share of strategic sectors foreign-owned (M14)", 0, "scenario"),
    ("alternative_crop", "bool", "flag", "a viable alternative to coca is offered (M20)", 0, "scenario"),
    ("alca_status", "int8", "code", "ALCA_STATUS: none, negotiating, ratified, blocked (M10-M11)", 0, "scenario"),
    ("state_power_on_agenda", "bool", "flag", "an electoral conjuncture makes state power contestable (M119)", 0, "mechanism"),
    ("holds_state", "bool", "flag", "a movement-backed government holds the state (M115-M118)", 0, "mechanism"),
    ("policy_reversal", "float32", "[0,1]", "share of the current policy package withdrawn under pressure (M67)", 0, "mechanism"),
    ("regime_changes", "int16", "count", "regime changes since the start", 0, "mechanism"),
    ("unemployment_rate", "float32", "share", "share of the labor force unemployed", 0, "mechanism"),
    ("casualties_total", "float32", "persons (scaled)", "cumulative casualties of this (core) country", 0, "mechanism"),
    # indicators, written by the `country_indicators` mechanism each month
    ("n_alive", "int32", "agents", "agents present (not emigrated)", 0, "mechanism"),
    ("n_mobilized", "int32", "agents", "agents with status mobilized", 0, "mechanism"),
    ("n_organized", "int32", "agents", "agents with status organized", 0, "mechanism"),
    ("n_armed", "int32", "agents", "agents with status armed", 0, "mechanism"),
    ("n_jailed", "int32", "agents", "agents with status jailed", 0, "mechanism"),
    ("share_active", "float32", "share", "(mobilized + organized + armed) / present", 0, "mechanism"),
    ("mean_grievance", "float32", "[0,1]", "mean grievance of present agents", 0, "mechanism"),
    ("mean_consciousness", "float32", "[0,1]", "mean consciousness of present agents", 0, "mechanism"),
    ("breadth", "float32", "share of classes", "share of present classes whose mean grievance exceeds the breadth threshold (M58)", 0, "mechanism"),
]) + _POLICY

ORGS = _v("orgs", [
    ("exists", "bool", "flag", "slot in use", 0, "scenario"),
    ("country", "int16", "index", "row of its country", 0, "scenario"),
    ("scope", "int8", "code", "ORG_SCOPES: issue, sector, system (program scope)", 0, "scenario"),
    ("power_orientation", "int8", "code", "POWER_ORIENTATIONS: none, electoral_subordinate, independent", 0, "scenario"),
    ("form", "int8", "code", "ORG_FORMS: vertical, horizontal, hybrid", 0, "scenario"),
    ("class_base", "int8", "code", "main class of its members, -1 if multi-class", -1, "scenario"),
    ("tactic", "int8", "code", "TACTICS (T1-T16) main tactic", 0, "scenario"),
    ("target", "int8", "code", "TARGETS: what it campaigns against", 0, "scenario"),
    ("legal", "bool", "flag", "operates legally", 1, "scenario"),
    ("armed", "bool", "flag", "armed organization", 0, "scenario"),
    ("leader_linkage", "float32", "[0,1]", "leaders' long-term links to the mass struggle (M49)", 0, "scenario"),
    ("credibility", "float32", "[0,1]", "credibility with its base (M121)", 0, "scenario"),
    ("tradition", "float32", "[0,1]", "memory of past struggle", 0, "scenario"),
    ("issue", "int16", "event kind index", "issue it was formed around (index into EVENT_NAMES), -1 if none", -1, "scenario"),
    ("issue_resolved", "bool", "flag", "its issue has been settled (M38)", 0, "mechanism"),
    ("members", "int32", "agents", "members (agents with org == this row)", 0, "mechanism"),
    ("participation", "float32", "share", "share of members active this month", 0, "mechanism"),
    ("age_months", "int32", "months", "months since founding", 0, "mechanism"),
    ("reformer_share", "float32", "share", "share of members who are reformers, not anti-imperialists (M36)", 0, "scenario"),
])

GLOBE = _v("globe", [
    ("framework", "int8", "code", "0 imp, 1 tnc", 0, "scenario"),
    ("month", "int32", "months", "months since start", 0, "builder"),
    ("hegemony", "float32", "[0,1]", "neoliberal hegemony (M113)", 0.8, "builder"),
    ("structural_power", "float32", "[0,1]", "structural power of global capital (TNC, M124)", 0.5, "builder"),
    ("integration_index", "float32", "[0,1]", "integration of the periphery into global capitalism (M126)", 0.5, "builder"),
    ("intervention_mode", "int8", "code", "INTERVENTION_MODES of the imperial state", 0, "mechanism"),
    ("core_opposition", "float32", "share", "share of core agents opposing the war", 0, "mechanism"),
    ("elite_division", "float32", "[0,1]", "division of the core elite (M78)", 0, "mechanism"),
    ("military_spending", "float32", "index", "imperial military spending, 1 = start", 1, "builder"),
    ("market_share", "float32", "index", "core share of world market, 1 = start", 1, "builder"),
    ("isolation", "float32", "[0,1]", "diplomatic isolation of the imperial state (M141)", 0, "builder"),
    ("casualty_aversion", "float32", "[0,1]", "memory of a costly war, decays over ~15 years (M91)", 0, "builder"),
    ("n_active", "int32", "agents", "active agents world-wide", 0, "mechanism"),
])

BASE_VARS: tuple[Var, ...] = AGENTS + COUNTRIES + ORGS + GLOBE


class BuildParams(Params):
    """How the builder lays out the population; table ``[build]`` of the parameter file."""

    ties_within_class: float = param(4.0, ge=0.0, le=100.0, unit="ties per agent",
        description="mean ties to agents of the same class and country",
        why="a sparse network; no figure in the texts")  # fmt: skip
    ties_neighbourhood: float = param(4.0, ge=0.0, le=100.0, unit="ties per agent",
        description="mean ties to nearby agents of the same country (any class)",
        why="a sparse local network; no figure in the texts")  # fmt: skip
    neighbourhood_width: int = param(50, ge=1, le=100_000, unit="agents",
        description="how far along the country's agent list a neighbourhood tie may reach",
        why="keeps neighbourhoods local")  # fmt: skip
    ties_cross_class: float = param(1.0, ge=0.0, le=100.0, unit="ties per agent",
        description="mean ties to random agents of the same country, any class (weak ties across classes)",
        why="weak ties across classes")  # fmt: skip
    org_slots_per_country: int = param(8, ge=0, le=10_000, unit="organizations",
        description="free organization slots per country that mechanisms may found into",
        why="room for new organizations without reallocating")  # fmt: skip


# --------------------------------------------------------------------------------------------
# The merged schema
# --------------------------------------------------------------------------------------------

def all_vars() -> tuple[Var, ...]:
    """Base columns plus every ``COLUMNS`` tuple defined by a ``periphery.theory`` module."""
    import periphery.theory as pkg

    out = list(BASE_VARS)
    owner = {v.key: __name__ for v in BASE_VARS}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name == "world_schema":
            continue
        mod = importlib.import_module(f"{pkg.__name__}.{info.name}")
        for v in getattr(mod, "COLUMNS", ()):
            if v.key in owner:
                raise ValueError(f"column '{v.key}' declared by both {owner[v.key]} and {mod.__name__}")
            owner[v.key] = mod.__name__
            out.append(v)
    return tuple(out)


def schema() -> Schema:
    """The world state schema (base plus family extensions)."""
    return Schema(tuple(v.column() for v in all_vars()))


def initialized_keys() -> frozenset[str]:
    """Columns set before the first step (by builder, scenario or events), for the schedule check."""
    return frozenset(v.key for v in all_vars() if v.source != "mechanism")


SPACES: tuple[str, ...] = ("within_class", "neighbourhood", "cross_class")
"""Networks the builder provides (CSR over agents), read as ``spaces.<name>``."""


def code_lut(codes) -> np.ndarray:
    """A 256-entry boolean table that is True at ``codes``.

    Index it with int8 codes viewed as ``uint8`` (``lut[x.view(np.uint8)]``) to test membership
    of a whole column at once; -1 ("none") maps to entry 255, which is False.
    """
    lut = np.zeros(256, dtype=bool)
    lut[list(codes)] = True
    return lut


#: Regimes whose government holds state power for a left or nationalist project (``holds_state``).
LEFT_REGIMES = code_lut((REGIME_CODE["nationalist"], REGIME_CODE["revolutionary"]))


def move_class(agents, idx, new_class: int, n_classes: int = N_CLASSES) -> None:
    """Move agents ``idx`` to class ``new_class``, keeping ``cell`` consistent (declare both in writes)."""
    agents.class_code[idx] = new_class
    agents.cell[idx] = agents.country[idx].astype("int32") * n_classes + new_class
