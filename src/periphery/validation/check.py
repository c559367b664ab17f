"""What a check is: a prediction of theory_spec section 6 as an experiment, a statistic and a criterion.

A ``Check`` declares the prediction (P-id, a neutral paraphrase), the mechanisms it needs
(M-ids; a check whose M-ids are not all registered reports "not testable yet" and names the
missing ones), the state columns its observables read (same rule), the framework(s) it runs
under, its experiment as ``Arm``s (scenario content plus in-run interventions, never
behavioural parameters) and an ``evaluate`` function from the arms' ensembles to an
``Outcome``. ``Result`` is what the table shows.

A check must be able to fail: ``evaluate`` returns ``passed = False`` whenever the criterion's
interval condition is not met, and the unit tests feed every kind of criterion an ensemble
without the effect.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from periphery.validation.stats import NAN, Estimate

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
NOT_TESTABLE = "not testable yet"
STATUSES = (REPRODUCED, NOT_REPRODUCED, NOT_TESTABLE)


@dataclass(frozen=True)
class Intervention:
    """A manipulation of the running world at the start of ``month`` (before that month's step).

    ``kind`` names a function in ``interventions.KINDS``; ``args`` are its keyword arguments
    as a sorted tuple of pairs (hashable, picklable, part of the cache key).
    """

    month: int
    kind: str
    args: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def make(cls, month: int, kind: str, **kw: Any) -> Intervention:
        """Build with keyword arguments."""
        return cls(month, kind, tuple(sorted(kw.items())))


@dataclass(frozen=True)
class Arm:
    """One experimental condition: a scenario (as validated JSON data) and interventions.

    Attributes
    ----------
    name : str
        Arm label used by ``evaluate``.
    scenario : dict
        Scenario content (``Scenario.model_dump(mode="json")``); its ``framework`` is set.
    interventions : tuple of Intervention
        In-run manipulations (knock-outs, forced series), applied in every seed alike.
    """

    name: str
    scenario: dict
    interventions: tuple[Intervention, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What ``evaluate`` returns.

    Attributes
    ----------
    passed : bool
        The pass criterion holds.
    effect : Estimate
        The headline effect (point, 95 % interval, share of seeds in the predicted direction).
    label : str
        What ``effect`` measures, with its unit.
    note : str
        One line: the other parts of the criterion and their values.
    extra : dict
        Anything a report shows besides the row (P48's confusion matrix).
    untestable : str
        Non-empty when the prediction cannot be judged although runs were made (e.g. scenario
        files missing); the row is then "not testable yet" and the numbers are exploratory.
    """

    passed: bool
    effect: Estimate
    label: str
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    untestable: str = ""


@dataclass(frozen=True)
class Result:
    """One row of the validation table (a prediction under one framework)."""

    pid: str
    title: str
    framework: str
    status: str
    share: float = math.nan
    effect: float = math.nan
    lo: float = math.nan
    hi: float = math.nan
    label: str = ""
    n: int = 0
    note: str = ""
    missing: tuple[str, ...] = ()
    discriminating: bool = False
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_outcome(cls, check: Check, framework: str, out: Outcome, n: int, seconds: float) -> Result:
        """A finished row from an outcome."""
        e = out.effect
        status = NOT_TESTABLE if out.untestable else (REPRODUCED if out.passed else NOT_REPRODUCED)
        note = f"{out.untestable}; exploratory: {out.note}" if out.untestable else out.note
        # n: seeds that entered the headline statistic (fewer than seeds per arm where it is undefined)
        return cls(check.pid, check.title, framework, status, e.share, e.value, e.lo, e.hi, out.label, e.n or n, note,
                   discriminating=check.discriminating, seconds=seconds, extra=out.extra)  # fmt: skip

    @classmethod
    def untestable(cls, check: Check, framework: str, missing: tuple[str, ...], note: str) -> Result:
        """A "not testable yet" row naming what is missing."""
        return cls(check.pid, check.title, framework, NOT_TESTABLE, note=note, missing=missing,
                   discriminating=check.discriminating)  # fmt: skip

    def with_missing(self, missing: tuple[str, ...], note: str) -> Result:
        """This (exploratory) row turned "not testable yet" because of ``missing``."""
        joint = f"{note}; {self.note}" if self.status == NOT_TESTABLE else f"{note}; exploratory: {self.note}"
        return replace(self, status=NOT_TESTABLE, missing=missing, note=joint)


class Ensemble:
    """The runs of one arm: one series (column name -> array over months 0..T) per seed, seed-aligned."""

    def __init__(self, runs: list[dict[str, np.ndarray]]) -> None:
        self.runs = runs

    def __len__(self) -> int:
        return len(self.runs)

    def per_seed(self, fn: Callable[[dict[str, np.ndarray]], float]) -> np.ndarray:
        """``fn(series)`` for every seed, as a float array (nan where ``fn`` returns None)."""
        return np.array([np.nan if (v := fn(s)) is None else v for s in self.runs], dtype=np.float64)

    def col(self, name: str) -> np.ndarray:
        """Column ``name`` stacked over seeds: shape (seeds, months + 1)."""
        return np.stack([np.asarray(s[name], dtype=np.float64) for s in self.runs])

    def has(self, name: str) -> bool:
        """Every run recorded ``name``."""
        return all(name in s for s in self.runs)


Evaluate = Callable[[dict[str, Ensemble], np.random.Generator, str], Outcome]


@dataclass(frozen=True)
class Check:
    """A prediction of theory_spec section 6 as an executable check.

    Attributes
    ----------
    pid : str
        Prediction id, ``"P1"``..``"P49"``.
    section : str
        Subsection of theory_spec section 6 (``"6.1"``...).
    title : str
        Short neutral paraphrase of the prediction.
    needs : tuple of str
        M-ids the check cannot run without (mechanism_map 2.1 "Needs").
    frameworks : tuple of str
        Framework(s) it runs under; both for predictions marked with a diamond.
    experiment, observable, statistic, criterion : str
        The design in words (mechanism_map 2.1, adapted to the schema; differences noted).
    arms : callable
        ``arms(framework) -> list[Arm]``; called only when the check is testable.
    evaluate : callable
        ``evaluate(ensembles_by_arm, rng, framework) -> Outcome``.
    also : tuple of str
        Supporting M-ids (listed, not required).
    columns : tuple of str
        State columns (``entity.column``) the observables read; missing ones make the check
        "not testable yet".
    probes : tuple of str
        Named probes (``probes.PROBES``) or state columns to record each month.
    discriminating : bool
        Marked with a diamond in theory_spec (discriminates IMP from TNC).
    """

    pid: str
    section: str
    title: str
    needs: tuple[str, ...]
    frameworks: tuple[str, ...]
    experiment: str
    observable: str
    statistic: str
    criterion: str
    arms: Callable[[str], list[Arm]]
    evaluate: Evaluate
    also: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    probes: tuple[str, ...] = ()
    discriminating: bool = False
    needs_by_framework: dict[str, tuple[str, ...]] = field(default_factory=dict)
    explore_when_missing: bool = False

    def needs_for(self, framework: str) -> tuple[str, ...]:
        """M-ids needed under ``framework`` (a diamond prediction may need different ones per side)."""
        return self.needs_by_framework.get(framework, self.needs)

    @property
    def number(self) -> int:
        """Numeric part of the P-id (sort key)."""
        return int(self.pid[1:])


__all__ = ["NAN", "Arm", "Check", "Ensemble", "Estimate", "Intervention", "Outcome", "Result",
           "REPRODUCED", "NOT_REPRODUCED", "NOT_TESTABLE", "STATUSES"]  # fmt: skip
