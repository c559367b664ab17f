"""What a validation run records each month besides ``World.observe()``.

Two kinds of probe, both named in a check's ``probes``:

* a **state column** ``entity.column`` of a small entity is recorded row by row:
  ``countries.x`` as ``country.<name>.x``, ``globe.x`` as ``globe.x``, ``orgs.x`` as
  ``org.<row>.x`` for every organization slot (declared organizations first, in file order);
* a **named aggregate** (``PROBES``) summarises agent columns, e.g. the activity of each
  organization's members, or the consciousness of coca growers.

Each named probe declares the state columns it reads, so a check can tell before running that
a column is missing (and report "not testable yet" instead of failing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from periphery.theory.world_schema import CLASS_CODE, CROP, STATUS

_ACTIVE = np.zeros(16, dtype=bool)
_ACTIVE[[STATUS["mobilized"], STATUS["organized"], STATUS["armed"]]] = True

#: Class groups for composition and persistence (theory_spec F72 order of participation).
GROUPS: dict[str, tuple[str, ...]] = {
    "rural": ("peasant_farmer", "landless_rural_worker", "indigenous_community"),
    "public": ("public_employee", "teacher_student"),
    "urban_poor": ("informal_unemployed", "urban_poor"),
    "workers": ("maquila_worker", "industrial_worker", "service_worker"),
    "bourgeois": ("small_medium_capitalist", "local_bourgeoisie"),
}
_GROUP_OF = np.full(32, len(GROUPS), dtype=np.int64)  # class code -> group index ("other" last)
for _gi, _names in enumerate(GROUPS.values()):
    for _n in _names:
        _GROUP_OF[CLASS_CODE[_n]] = _gi


@dataclass(frozen=True)
class Probe:
    """A named aggregate: the state columns it reads and ``fn(world) -> {name: value}``."""

    reads: tuple[str, ...]
    fn: Callable[[object], dict[str, float]]


def _active(status: np.ndarray) -> np.ndarray:
    return _ACTIVE[status.astype(np.intp)]


def _org_activity(world) -> dict[str, float]:
    a, n = world.state.agents, world.state.orgs.n
    member = a.org >= 0
    org = a.org[member].astype(np.intp)
    act = _active(a.status[member])
    armed = a.status[member] == STATUS["armed"]
    members = np.bincount(org, minlength=n)
    active = np.bincount(org, weights=act, minlength=n)
    arm = np.bincount(org, weights=armed, minlength=n)
    out: dict[str, float] = {}
    for j in range(n):
        out[f"org.{j}.n_members"] = float(members[j])
        out[f"org.{j}.n_active"] = float(active[j])
        out[f"org.{j}.n_armed"] = float(arm[j])
    return out


def _crops(world) -> dict[str, float]:
    # Farmers by current crop (food growers and coca growers): the groups eradication and
    # subsidized imports hit (M15, M20).
    a = world.state.agents
    out: dict[str, float] = {}
    for name in ("food", "coca"):
        m = a.crop == CROP[name]
        k = int(m.sum())
        out[f"crop.{name}.n"] = float(k)
        out[f"crop.{name}.share_active"] = float(_active(a.status[m]).mean()) if k else 0.0
        out[f"crop.{name}.mean_consciousness"] = float(a.consciousness[m].mean(dtype=np.float64)) if k else 0.0
        out[f"crop.{name}.mean_income"] = float(a.income[m].mean(dtype=np.float64)) if k else 0.0
        out[f"crop.{name}.share_level2"] = float((a.consciousness_level[m] >= 2).mean()) if k else 0.0
    return out


def _localities(world) -> dict[str, float]:
    # Share active in the focal localities of the first country and in the rest of it (P17, M54).
    from periphery.validation.interventions import focal_mask

    a = world.state.agents
    act = _active(a.status)
    present = (a.status != STATUS["emigrated"]) & (a.country == 0) & (a.locality >= 0)
    focal = present & focal_mask(a)
    rest = present & ~focal
    return {"locality.focal.share_active": float(act[focal].mean()) if focal.any() else 0.0,
            "locality.rest.share_active": float(act[rest].mean()) if rest.any() else 0.0}


def _targets(world) -> dict[str, float]:
    a = world.state.agents
    act = _active(a.status)
    t = a.target[act].astype(np.float64)
    if t.size == 0:
        return {"target.mean": 0.0, "target.share_ifi_up": 0.0}
    # TARGETS = none, firm, regime, ifi, imperial_state: codes >= 3 are IFI or the imperial state
    return {"target.mean": float(t.mean()), "target.share_ifi_up": float((t >= 3).mean())}


def _groups(world) -> dict[str, float]:
    a = world.state.agents
    g = _GROUP_OF[a.class_code.astype(np.intp)]
    act = _active(a.status)
    ng = len(GROUPS) + 1
    n_act = np.bincount(g[act], minlength=ng)
    months = np.bincount(g[act], weights=a.months_active[act].astype(np.float64), minlength=ng)
    out: dict[str, float] = {}
    for i, name in enumerate((*GROUPS, "other")):
        out[f"group.{name}.n_active"] = float(n_act[i])
        out[f"group.{name}.months_active"] = float(months[i] / n_act[i]) if n_act[i] else 0.0
    return out


def _levels(world) -> dict[str, float]:
    a = world.state.agents
    lvl = a.consciousness_level
    linked = a.link_observed.astype(bool)
    out = {"level.ge2": float((lvl >= 2).mean())}
    for name, m in (("linked", linked), ("unlinked", ~linked)):
        out[f"level.{name}.n"] = float(m.sum())
        out[f"level.{name}.ge2"] = float((lvl[m] >= 2).mean()) if m.any() else 0.0
    return out


def _core_scope(world) -> dict[str, float]:
    # Share of active core-class agents whose opposition is system-level: anti-systemic
    # consciousness (level 3) or aiming at the imperial state (target 4) (M80, M86).
    a = world.state.agents
    m = _active(a.status) & (a.class_code >= CLASS_CODE["core_middle_class"])
    k = int(m.sum())
    system = (a.consciousness_level[m] >= 3) | (a.target[m] >= 4)
    return {"core.n_active": float(k), "core.share_system": float(system.mean()) if k else 0.0}


def _class_income(world) -> dict[str, float]:
    # Mean income by class (manipulation checks: did a shock lower the incomes it targets?).
    a = world.state.agents
    n = np.bincount(a.class_code.astype(np.intp), minlength=len(CLASS_CODE))
    inc = np.bincount(a.class_code.astype(np.intp), weights=a.income.astype(np.float64), minlength=len(CLASS_CODE))
    return {f"class.{name}.mean_income": float(inc[c] / n[c]) if n[c] else 0.0 for name, c in CLASS_CODE.items()}


PROBES: dict[str, Probe] = {
    "org_activity": Probe(("agents.org", "agents.status"), _org_activity),
    "crops": Probe(("agents.crop", "agents.status", "agents.consciousness", "agents.consciousness_level",
                    "agents.income"), _crops),
    "localities": Probe(("agents.locality", "agents.status"), _localities),
    "targets": Probe(("agents.target", "agents.status"), _targets),
    "groups": Probe(("agents.class_code", "agents.status", "agents.months_active"), _groups),
    "core_scope": Probe(("agents.consciousness_level", "agents.target", "agents.class_code", "agents.status"), _core_scope),
    "class_income": Probe(("agents.class_code", "agents.income"), _class_income),
    "levels": Probe(("agents.consciousness_level", "agents.link_observed"), _levels),
}


def reads(names: tuple[str, ...]) -> tuple[str, ...]:
    """State columns the probes ``names`` read (column probes read themselves)."""
    out: list[str] = []
    for n in names:
        out.extend(PROBES[n].reads if n in PROBES else (n,))
    return tuple(dict.fromkeys(out))


def _has(state, key: str) -> bool:
    try:
        state.get(key)
    except (KeyError, AttributeError):
        return False
    return True


def recorder(world, names: tuple[str, ...]) -> Callable[[], dict[str, float]]:
    """A function returning this month's values of the probes ``names`` for ``world``."""
    countries = list(world._country_names)
    # Column probes of columns the schema lacks are skipped: the check then finds the
    # observable missing and reports "not testable yet" instead of the run failing.
    cols = [n for n in names if n not in PROBES and _has(world.state, n)]
    named = [PROBES[n] for n in names if n in PROBES]
    state = world.state

    def record() -> dict[str, float]:
        out: dict[str, float] = {}
        for key in cols:
            entity, col = key.split(".", 1)
            values = state.get(key)
            if entity == "countries":
                for i, c in enumerate(countries):
                    out[f"country.{c}.{col}"] = float(values[i])
            elif entity == "globe":
                out[f"globe.{col}"] = float(values[0])
            elif entity == "orgs":
                for j in range(values.size):
                    out[f"org.{j}.{col}"] = float(values[j])
            else:
                raise ValueError(f"probe '{key}': only countries, globe and orgs columns are recorded as is")
        for p in named:
            out.update(p.fn(world))
        return out

    return record
