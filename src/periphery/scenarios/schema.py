"""The scenario file format: initial conditions and a timeline of events, never behavioural parameters.

A scenario names its framework (``imp`` or ``tnc``), the number of months and agents, the
countries (regime type, legitimacy, repression, democratic space, traditions, economy, class
shares), the organizations that exist at the start, and a timeline of events. Event kinds are
the drivers of theory_spec section 2 by plain name (``world_schema.EVENT_KINDS``). Behavioural
parameters live in the one shared parameter file (``scenarios/params/default.toml``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from periphery.theory.frameworks import FRAMEWORK_NAMES
from periphery.theory.world_schema import (
    ALCA_STATUS,
    CLASS_NAMES,
    EVENT_NAMES,
    ORG_FORMS,
    ORG_SCOPES,
    POWER_ORIENTATIONS,
    REGIME_NAMES,
    TACTICS,
    TARGETS,
)

Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
RegimeName = Literal[REGIME_NAMES]  # type: ignore[valid-type]
ClassName = Literal[CLASS_NAMES]  # type: ignore[valid-type]
EventKind = Literal[EVENT_NAMES]  # type: ignore[valid-type]
FrameworkName = Literal[FRAMEWORK_NAMES]  # type: ignore[valid-type]


class LocatedError(ValueError):
    """A cross-field error that knows where it belongs (``loc`` as in pydantic, ``allowed`` in words)."""

    def __init__(self, loc: tuple, message: str, allowed: str = "") -> None:
        super().__init__(message)
        self.loc = loc
        self.allowed = allowed


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Traditions(_Strict):
    """Historical traditions of a country, each in [0, 1]."""

    armed: Share = Field(0.0, description="tradition of armed rural resistance (M103)")
    revolutionary: Share = Field(0.0, description="memory of revolutionary struggle (M105)")
    organizational: Share = Field(0.0, description="density of class-based organizations and syndicates")


class Economy(_Strict):
    """Output shares by sector, public employment share, foreign ownership of strategic sectors."""

    agriculture: Share = 0.0
    industry: Share = 0.0
    services: Share = 0.0
    extractive: Share = 0.0
    public: Share = Field(0.0, description="public-sector share of employment")
    foreign_ownership: Share = Field(0.0, description="share of strategic sectors foreign-owned (M14)")


class Structure(_Strict):
    """Structural attributes of a country's state and governing coalition (regime family, M107-M135).

    Each is optional: left out, the column keeps the default its mechanism family declares.
    """

    old_state_destroyed: Share | None = Field(None, description="old state apparatus destroyed and replaced (M107)")
    cadre_renewal: Share | None = Field(None, description="a new generation of cadres is reproduced (M107)")
    relative_welfare: Share | None = Field(None, description="workers and farmers better off than regional peers (M107)")
    conciliator_share: Share | None = Field(None, description="governing elite oriented to conciliation (M108)")
    coalition_heterogeneity: Share | None = Field(None, description="heterogeneity of the governing coalition (M109)")
    bourgeois_share: Share | None = Field(None, description="pro-imperial bourgeois weight in the governing coalition (M109)")
    stake_global: Share | None = Field(None, description="governing bloc's stake in global capital (M124)")
    export_share_china: Share | None = Field(None, description="share of exports going to China (M134)")
    party_tie_share: Share | None = Field(None, description="share of a core movement tied to pro-imperial institutions (M72)")


class Country(_Strict):
    """One country's initial conditions."""

    name: Name
    regime: RegimeName = Field(description="regime type; 'aligned' is the texts' \"vassal\" regime (ST2)")
    population_weight: float = Field(gt=0.0, le=1e12, description="relative population; agents are split by it")
    legitimacy: Share
    repression: Share
    democratic_space: Share
    electoral_form: bool = True
    alignment: Share = 0.5
    institutional_networking: Share = 0.0
    army_mass_linkage: Share = 0.0
    external_partners: Share = 0.0
    base_organization: Share = 0.0
    alternative_crop: bool = False
    alca_status: Literal[ALCA_STATUS] = "none"  # type: ignore[valid-type]
    coca_share: Share = Field(0.0, description="share of peasant farmers growing coca at the start")
    indigenous_share: Share = Field(0.0, description="share of rural classes (C1, C2) who are indigenous")
    traditions: Traditions = Traditions()
    economy: Economy = Economy()
    structure: Structure = Structure()
    class_shares: dict[ClassName, Share] = Field(min_length=1, description="population share of each class; sums to 1")
    cites: list[str] = []

    @field_validator("class_shares")
    @classmethod
    def _sum_to_one(cls, v: dict[str, float]) -> dict[str, float]:
        total = sum(v.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"class shares sum to {total:.6g}; they must sum to 1")
        return v


class Organization(_Strict):
    """An organization that exists at the start; members are drawn from its country and class base."""

    name: Name
    country: Name
    scope: Literal[ORG_SCOPES] = "issue"  # type: ignore[valid-type]
    power_orientation: Literal[POWER_ORIENTATIONS] = "none"  # type: ignore[valid-type]
    form: Literal[ORG_FORMS] = "vertical"  # type: ignore[valid-type]
    class_base: Literal[(*CLASS_NAMES, "multi")] = "multi"  # type: ignore[valid-type]
    tactic: Literal[TACTICS] = "demonstration"  # type: ignore[valid-type]
    target: Literal[TARGETS] = "regime"  # type: ignore[valid-type]
    issue: Literal[(*EVENT_NAMES, "none")] = "none"  # type: ignore[valid-type]
    legal: bool = True
    armed: bool = False
    members_share: Share = Field(description="share of the class base (or of the country, if multi) who are members")
    leader_linkage: Share = 0.5
    credibility: Share = 0.5
    tradition: Share = 0.0
    reformer_share: Share = 0.0
    goal: Literal["secular", "religious"] = Field("secular", description="strategic goal (M62)")
    ideological_work: Share = Field(0.0, description="daily ideological and political work; 0 = none (M143)")
    cites: list[str] = []


class Event(_Strict):
    """A driver switched on in one country at ``month`` for ``duration`` months (0: to the end)."""

    month: int = Field(ge=0, le=1_000_000)
    country: Name
    kind: EventKind
    intensity: Share = 1.0
    duration: int = Field(0, ge=0, le=1_000_000)
    note: str = ""
    cites: list[str] = []


class Scenario(_Strict):
    """A whole scenario file."""

    name: Name
    description: str
    cites: list[str] = Field(min_length=1)
    framework: FrameworkName
    months: int = Field(ge=1, le=100_000)
    agents: int = Field(ge=1, le=100_000_000)
    countries: list[Country] = Field(min_length=1)
    organizations: list[Organization] = []
    timeline: list[Event] = []

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        names = [c.name for c in self.countries]
        for i, n in enumerate(names):
            if names.index(n) != i:
                raise LocatedError(("countries", i, "name"), f"'{n}' is used by two countries", "a name not used by another country")
        allowed = ", ".join(names)
        for i, o in enumerate(self.organizations):
            if o.country not in names:
                raise LocatedError(("organizations", i, "country"), f"'{o.country}' is not a country of this scenario", allowed)
        for i, e in enumerate(self.timeline):
            if e.country not in names:
                raise LocatedError(("timeline", i, "country"), f"'{e.country}' is not a country of this scenario", allowed)
            if e.month > self.months:
                raise LocatedError(("timeline", i, "month"), f"{e.month} is after the last month", f"an integer in [0, {self.months}]")
        return self
