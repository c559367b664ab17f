"""Experiments' scenarios: the repository's scenario files and teaching set-ups derived from them.

mechanism_map 2.0 names six teaching scenarios (T-ISSUE, T-RURAL, T-BREADTH, T-CORE, T-REGIME,
T-TNC). They are built here in code from the two teaching files (``teaching_privatization``:
one aligned periphery country; ``teaching_occupation``: an occupied country and the core), by
changing **initial conditions and events only**: countries' fields, class shares,
organizations and the timeline. Behavioural parameters always come from the one shared
parameter file. Every builder returns scenario data validated by the scenario schema, so a
set-up that needs a field the schema does not have yet fails with the schema's own message
(and the check reports "not testable yet").
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from periphery.scenarios import Country, Scenario, load_scenario
from periphery.theory.world_schema import all_vars
from periphery.validation.check import Arm, Intervention

INIT = "_initial"  # key of state initial values a scenario dict carries until ``arm`` turns them into interventions

#: The repository's scenario folder (src/periphery/validation/ -> repo root / scenarios).
SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
PARAMS = SCENARIOS / "params" / "default.toml"

_dir = [SCENARIOS]


def set_scenario_dir(path: str | Path) -> None:
    """Read scenario files from ``path`` instead of the repository's folder (tests, installed copies)."""
    _dir[0] = Path(path)


def scenario_dir() -> Path:
    """The folder scenario files are read from."""
    return _dir[0]


def load(name: str) -> dict[str, Any]:
    """Scenario ``name`` (file stem under the scenario folder) as plain data; a missing file is a ``ValueError``."""
    if not exists(name):
        raise ValueError(f"scenario file {name}.toml is missing from {scenario_dir()}")
    return load_scenario(scenario_dir() / f"{name}.toml").model_dump(mode="json")


def exists(name: str) -> bool:
    """A scenario file ``name.toml`` is present."""
    return (scenario_dir() / f"{name}.toml").is_file()


def finish(sc: dict[str, Any], framework: str, months: int | None = None) -> dict[str, Any]:
    """Set the framework (and months), validate against the schema, return plain data."""
    if INIT in sc:
        raise ValueError("scenario carries state initial values: build it with arm(), not finish()")
    sc = copy.deepcopy(sc)
    sc["framework"] = framework
    if months is not None:
        sc["months"] = months
        sc["timeline"] = [e for e in sc.get("timeline", []) if e["month"] <= months]
    return Scenario.model_validate(sc).model_dump(mode="json")


def set_country(sc: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
    """Set initial conditions of country ``name``.

    A field of the scenario schema is set in the scenario (structural attributes such as the
    Cuba factors go to the country's ``structure`` table). A field the schema does not have but
    the state does (a ``countries`` column initialised with a default) is kept aside and set in
    the state before the first month by ``arm`` (an initial condition, not a parameter).
    Anything else is an error naming the field.
    """
    i = next(k for k, c in enumerate(sc["countries"]) if c["name"] == name)
    c = sc["countries"][i]
    state_cols = {v.name for v in all_vars() if v.entity == "countries"}
    structure = Country.model_fields.get("structure")
    structure_fields = set(structure.annotation.model_fields) if structure is not None else set()
    for k, v in fields.items():
        if k in Country.model_fields:
            c[k] = {**c[k], **v} if k in ("traditions", "economy") and isinstance(v, dict) else v
        elif k in structure_fields:
            c["structure"] = {**(c.get("structure") or {}), k: v}
        elif k in state_cols:
            sc.setdefault(INIT, []).append((f"countries.{k}", i, float(v)))
        else:
            raise ValueError(f"country field '{k}': neither the scenario schema nor the state has it")
    return sc


def arm(name: str, sc: dict[str, Any], framework: str, interventions: tuple[Intervention, ...] = (),
        months: int | None = None) -> Arm:
    """An experiment arm: ``finish`` the scenario and turn kept-aside initial values into month-1 settings."""
    sc = copy.deepcopy(sc)
    init = sc.pop(INIT, [])
    ivs = tuple(Intervention.make(1, "force", column=col, row=row, value=val) for col, row, val in init)
    return Arm(name, finish(sc, framework, months), ivs + tuple(interventions))


def event(month: int, kind: str, country: str = "patria", intensity: float = 1.0,
          duration: int = 0, note: str = "") -> dict[str, Any]:
    """A timeline entry (``duration = 0``: to the end)."""
    return {"month": month, "country": country, "kind": kind, "intensity": intensity,
            "duration": duration, "note": note}  # fmt: skip


def org(name: str, *, country: str = "patria", share: float = 0.1, **fields: Any) -> dict[str, Any]:
    """An organization entry; ``fields`` are any of the schema's organization fields."""
    return {"name": name, "country": country, "members_share": share, **fields}


# --------------------------------------------------------------------------------------------
# Teaching set-ups (mechanism_map 2.0), all in one country "patria" unless said otherwise
# --------------------------------------------------------------------------------------------


def periphery(*, months: int, events: list[dict] = (), orgs: list[dict] = (),
              **country: Any) -> dict[str, Any]:
    """``teaching_privatization`` with its timeline and organizations replaced and country fields set."""
    sc = load("teaching_privatization")
    sc["months"] = months
    sc["timeline"] = [dict(e) for e in events]
    sc["organizations"] = [dict(o) for o in orgs]
    return set_country(sc, sc["countries"][0]["name"], **country)


#: A rural-majority class composition (T-RURAL); placeholder shares, as in the teaching files.
RURAL_SHARES = {
    "peasant_farmer": 0.34, "landless_rural_worker": 0.12, "indigenous_community": 0.1,
    "public_employee": 0.07, "teacher_student": 0.06, "informal_unemployed": 0.14,
    "urban_poor": 0.03, "industrial_worker": 0.05, "service_worker": 0.04,
    "small_medium_capitalist": 0.03, "local_bourgeoisie": 0.01, "state_personnel": 0.01,
}  # fmt: skip


def rural(*, months: int, events: list[dict] = (), orgs: list[dict] = (), **country: Any) -> dict[str, Any]:
    """T-RURAL: one country with a rural majority, a coca-growing minority and no alternative crop."""
    base = {"class_shares": RURAL_SHARES, "coca_share": 0.3, "indigenous_share": 0.4,
            "alternative_crop": False}  # fmt: skip
    return periphery(months=months, events=events, orgs=orgs, **{**base, **country})


#: Drivers that hit different class fractions in the world model (T-BREADTH's "k fractions"),
#: in a fixed order: the first k are switched on in an arm with breadth k.
BREADTH_DRIVERS = ("structural_adjustment", "subsidized_imports", "privatization", "crop_eradication")


def breadth(k: int, s: float, *, months: int = 60, start: int = 12) -> dict[str, Any]:
    """T-BREADTH: the first ``k`` drivers of ``BREADTH_DRIVERS`` at intensity ``s`` from ``start``."""
    ev = [event(start, kind, intensity=s) for kind in BREADTH_DRIVERS[:k]]
    return rural(months=months, events=ev)


def core(*, months: int, events: list[dict] = (), **countries: dict) -> dict[str, Any]:
    """T-CORE: ``teaching_occupation`` (core country ``core_state``, target ``occupied_land``), new timeline."""
    sc = load("teaching_occupation")
    sc["months"] = months
    sc["timeline"] = [dict(e) for e in events]
    for name, fields in countries.items():
        set_country(sc, name, **fields)
    return sc


CORE, TARGET = "core_state", "occupied_land"


def last_month(sc: dict[str, Any], kind: str) -> int:
    """Last month an event ``kind`` is in force in the scenario's timeline (0 if never)."""
    ends = [e["month"] + (e["duration"] or sc["months"]) - 1 for e in sc["timeline"] if e["kind"] == kind]
    return min(max(ends, default=0), sc["months"])
