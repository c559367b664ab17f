"""What a mechanism of the seed theory adds to the engine's ``Mechanism``, and the registry.

Every mechanism class of the theory subclasses ``TheoryMechanism`` and is decorated with
``@register``; the registry then finds it by name and by M-id, frameworks select from it, the
parameter file is validated against it and the contract tests run over it. Family modules are
discovered by ``load_all()``, which imports every module of ``periphery.theory``, so adding a
family never means editing a central list.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import ClassVar, Literal

import numpy as np

from periphery.engine.schedule import Context, Mechanism

Framework = Literal["shared", "imp", "tnc"]

# Where in the month a mechanism runs. Mechanisms are ordered by (phase, name); a family picks
# the phase of what it models, so nobody edits a central order to add a mechanism.
PHASES: dict[str, int] = {
    "economy": 10,  # policy and capital change incomes, jobs, crops, classes
    "grievance": 20,  # income relative to expectation, occupation, eradication -> grievance
    "consciousness": 30,  # attribution, linkage, diffusion over networks and organizations
    "activation": 40,  # who mobilizes, joins, arms
    "organization": 50,  # organizations: recruitment, program, life-cycle, tactics
    "repression": 60,  # arrests, killings, co-optation, release
    "regime": 70,  # legitimacy, concessions, policy reversal, regime change
    "core": 80,  # the core country's own sub-model and the imperial state's choices
    "indicators": 90,  # per-country aggregates other mechanisms read next month
}

_MID = re.compile(r"^M[1-9][0-9]*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class TheoryMechanism(Mechanism):
    """A cited mechanism of the seed theory.

    Class attributes added to the engine's ``Mechanism``:

    mids : tuple of str
        The M-ids of theory_spec.md section 3 it formalizes (empty only for bookkeeping in the
        ``indicators`` phase).
    framework : {'shared', 'imp', 'tnc'}
        Which framework it belongs to (theory_spec 0.3 and 3.13).
    phase : str
        A key of ``PHASES``; sets its place in the month.
    """

    mids: ClassVar[tuple[str, ...]] = ()
    framework: ClassVar[Framework] = "shared"
    phase: ClassVar[str] = ""

    def step(self, state, params, rng: np.random.Generator, ctx: Context) -> None:  # noqa: D102
        raise NotImplementedError(f"mechanism '{self.name}' does not implement step()")


REGISTRY: dict[str, type[TheoryMechanism]] = {}


def register(cls: type[TheoryMechanism]) -> type[TheoryMechanism]:
    """Class decorator: check a mechanism's declarations and add it to ``REGISTRY``."""
    where = f"{cls.__module__}.{cls.__qualname__}"
    if not _NAME.match(cls.name or ""):
        raise TypeError(f"{where}: name {cls.name!r} must be snake_case")
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        other = REGISTRY[cls.name]
        raise TypeError(f"{where}: name '{cls.name}' is already used by {other.__module__}.{other.__qualname__}")
    if cls.phase not in PHASES:
        raise TypeError(f"{where}: phase {cls.phase!r}; allowed: {', '.join(PHASES)}")
    if cls.framework not in ("shared", "imp", "tnc"):
        raise TypeError(f"{where}: framework {cls.framework!r}; allowed: shared, imp, tnc")
    bad = [m for m in cls.mids if not _MID.match(m)]
    if bad:
        raise TypeError(f"{where}: mids {bad} are not M-ids like 'M9'")
    if not cls.mids and cls.phase != "indicators":
        raise TypeError(f"{where}: a mechanism outside the 'indicators' phase needs at least one M-id")
    if cls.mids and not cls.cites:
        raise TypeError(f"{where}: mids {cls.mids} need cites (seed file and section or lines)")
    for key in (*cls.reads, *cls.writes):
        if "." not in key:
            raise TypeError(f"{where}: '{key}' is not a qualified column 'entity.column'")
    if not cls.family:
        cls.family = cls.__module__.rsplit(".", 1)[-1]
    REGISTRY[cls.name] = cls
    return cls


def load_all() -> dict[str, type[TheoryMechanism]]:
    """Import every module of ``periphery.theory`` (registering its mechanisms); return the registry."""
    import periphery.theory as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{pkg.__name__}.{info.name}")
    return REGISTRY


def by_mid(mid: str) -> tuple[type[TheoryMechanism], ...]:
    """Registered mechanisms that formalize M-id ``mid``."""
    load_all()
    return tuple(c for c in REGISTRY.values() if mid in c.mids)


def ordered(classes) -> list[type[TheoryMechanism]]:
    """Mechanism classes in run order: by phase, then by name."""
    return sorted(classes, key=lambda c: (PHASES[c.phase], c.name))
