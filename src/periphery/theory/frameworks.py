"""Named mechanism sets: IMP (imperial-state-centred) and TNC (transnational-capital), over a shared core.

A framework is derived, like xarray-simlab's ``Model.update_processes`` / ``drop_processes``:
start from every registered mechanism whose ``framework`` tag is in ``tags``, ``drop`` some by
name, ``add`` others by name. A mechanism tagged ``shared`` runs in both; one tagged ``imp`` or
``tnc`` only in its own (theory_spec 0.3 and 3.13). Order is by phase, then name
(``base.ordered``), so adding a mechanism never means editing a list here.
"""

from __future__ import annotations

from dataclasses import dataclass

from periphery.engine.params import Params
from periphery.engine.schedule import Schedule
from periphery.theory.base import REGISTRY, TheoryMechanism, load_all, ordered
from periphery.theory.world_schema import BuildParams, initialized_keys, schema


@dataclass(frozen=True)
class FrameworkSpec:
    """A mechanism set: the tags it takes from the registry, minus ``drop``, plus ``add`` (names)."""

    name: str
    summary: str
    tags: tuple[str, ...]
    drop: tuple[str, ...] = ()
    add: tuple[str, ...] = ()

    def derive(self, name: str, summary: str = "", drop: tuple[str, ...] = (), add: tuple[str, ...] = ()) -> FrameworkSpec:
        """A variant of this framework with some mechanisms dropped or added."""
        return FrameworkSpec(name, summary or self.summary, self.tags, self.drop + drop, self.add + add)


FRAMEWORKS: dict[str, FrameworkSpec] = {
    "imp": FrameworkSpec("imp", "imperial-state-centred view (seed texts E, S1, S2)", ("shared", "imp")),
    "tnc": FrameworkSpec("tnc", "transnational-capital view (seed text I)", ("shared", "tnc")),
}
FRAMEWORK_NAMES: tuple[str, ...] = tuple(FRAMEWORKS)


def mechanism_classes(framework: str | FrameworkSpec) -> list[type[TheoryMechanism]]:
    """The mechanism classes of a framework, in run order."""
    spec = FRAMEWORKS[framework] if isinstance(framework, str) else framework
    reg = load_all()
    unknown = [n for n in (*spec.drop, *spec.add) if n not in reg]
    if unknown:
        raise KeyError(f"framework '{spec.name}' names unknown mechanisms {unknown}; known: {', '.join(sorted(reg))}")
    chosen = {n: c for n, c in reg.items() if c.framework in spec.tags and n not in spec.drop}
    chosen.update({n: reg[n] for n in spec.add})
    return ordered(chosen.values())


def build_schedule(framework: str | FrameworkSpec) -> Schedule:
    """The checked schedule of a framework over the world schema."""
    return Schedule([c() for c in mechanism_classes(framework)], initialized_keys() | _spaces(), schema())


def _spaces() -> frozenset[str]:
    from periphery.theory.world_schema import SPACES

    return frozenset(f"spaces.{s}" for s in SPACES)


def param_tables() -> dict[str, type[Params]]:
    """Every table the shared parameter file may hold: ``build`` plus one per registered mechanism."""
    load_all()
    tables: dict[str, type[Params]] = {"build": BuildParams}
    tables.update({n: REGISTRY[n].Params for n in sorted(REGISTRY)})
    return tables
