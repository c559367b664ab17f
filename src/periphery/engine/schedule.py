"""Rules that declare what they read and write, and an ordered schedule that checks the graph.

A ``Mechanism`` is an inert specification: a unique ``name``, a pydantic ``Params`` class, the
qualified columns (``entity.column``) it ``reads`` and ``writes``, and a vectorized
``step(state, params, rng, ctx)``. A ``Schedule`` runs mechanisms in a fixed order and checks,
once, when it is built, that every column a mechanism reads is either initialised by whoever
built the state or written by some mechanism of the schedule (a column written later in the
order is read as last step's value). ``contract_violations`` runs one step on a copy of a state
and reports every column that changed without being declared, or changed dtype or shape; the
contract tests use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from periphery.engine.params import Params
from periphery.engine.rng import Streams
from periphery.engine.state import Schema, State


class ScheduleError(ValueError):
    """A schedule that cannot run: a read nobody provides, an undeclared column, a duplicate name."""


@dataclass
class Context:
    """What a step knows besides state and parameters.

    Attributes
    ----------
    t : int
        The step being computed (the first call of ``step`` sees ``t == 1``).
    spaces : dict
        Non-tabular structures by name (networks, grids), read as ``spaces.<name>``.
    scratch : dict
        Per-step values one mechanism may leave for a later one in the same step; cleared by
        the schedule at the start of every step.
    """

    t: int = 0
    spaces: dict[str, Any] = field(default_factory=dict)
    scratch: dict[str, Any] = field(default_factory=dict)


class Mechanism:
    """Base of every rule: declarations as class attributes, behaviour in ``step``.

    Subclasses set ``name`` (snake_case, unique), ``Params`` (a ``Params`` subclass), ``reads``
    and ``writes`` (qualified column names ``entity.column``; ``spaces.<name>`` for a space),
    and optionally ``family`` and ``cites``. ``step`` must change only the columns in ``writes``,
    in place or by assignment through the table, keeping dtypes and shapes.
    """

    name: ClassVar[str] = ""
    family: ClassVar[str] = ""
    cites: ClassVar[tuple[str, ...]] = ()
    Params: ClassVar[type[Params]] = Params
    reads: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()

    def step(self, state: State, params: Params, rng: np.random.Generator, ctx: Context) -> None:
        """Advance this mechanism by one step (override)."""
        raise NotImplementedError(f"mechanism '{self.name}' does not implement step()")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def stream_name(mechanism: Mechanism | type[Mechanism]) -> str:
    """The name of a mechanism's random stream: one independent stream per mechanism."""
    return f"mechanism.{mechanism.name}"


class Schedule:
    """Mechanisms in the order they run, checked once when built.

    Parameters
    ----------
    mechanisms : sequence of Mechanism
        Instances, in run order.
    initialized : iterable of str
        Qualified columns (and ``spaces.<name>``) the builder or scenario sets before step 1.
    schema : Schema, optional
        When given, every declared read and write must be a column of it (``spaces.*`` aside).

    Raises
    ------
    ScheduleError
        One line naming the mechanism and the column at fault.
    """

    def __init__(
        self,
        mechanisms: Sequence[Mechanism],
        initialized: Iterable[str] = (),
        schema: Schema | None = None,
    ) -> None:
        self.mechanisms: tuple[Mechanism, ...] = tuple(mechanisms)
        self.initialized = frozenset(initialized)
        self.schema = schema
        self._check()

    @property
    def names(self) -> tuple[str, ...]:
        """Mechanism names in run order."""
        return tuple(m.name for m in self.mechanisms)

    def _check(self) -> None:
        seen: set[str] = set()
        for m in self.mechanisms:
            if not m.name:
                raise ScheduleError(f"mechanism class {type(m).__name__} has no name")
            if m.name in seen:
                raise ScheduleError(f"mechanism '{m.name}' appears twice in the schedule")
            seen.add(m.name)
            if self.schema is not None:
                for key in (*m.reads, *m.writes):
                    if not key.startswith("spaces.") and key not in self.schema:
                        raise ScheduleError(
                            f"mechanism '{m.name}' declares '{key}', which is not a column of the schema"
                        )
        written = {key for m in self.mechanisms for key in m.writes}
        for m in self.mechanisms:
            for key in m.reads:
                if key not in self.initialized and key not in written:
                    raise ScheduleError(
                        f"mechanism '{m.name}' reads '{key}', which no mechanism of the schedule "
                        f"writes and the builder does not initialise"
                    )

    def writers(self, key: str) -> tuple[str, ...]:
        """Names of the mechanisms that write ``key``, in run order."""
        return tuple(m.name for m in self.mechanisms if key in m.writes)

    def step(
        self,
        state: State,
        params: Mapping[str, Params],
        streams: Streams,
        ctx: Context,
    ) -> None:
        """Run every mechanism once, in order, each with its own parameters and random stream."""
        ctx.scratch.clear()
        for m in self.mechanisms:
            m.step(state, params[m.name], streams(stream_name(m)), ctx)


def contract_violations(
    mechanism: Mechanism,
    state: State,
    params: Params,
    rng: np.random.Generator,
    ctx: Context,
) -> list[str]:
    """Run one step of ``mechanism`` on a copy of ``state``; list every breach of its declarations.

    A breach is a column that changed without being in ``writes``, or any column whose dtype
    or shape changed. The given ``state`` is left untouched.

    Returns
    -------
    list of str
        One message per breach; empty when the mechanism kept its contract.
    """
    before = state.copy()
    after = state.copy()
    mechanism.step(after, params, rng, ctx)
    declared = set(mechanism.writes)
    problems = []
    for entity, table in before.tables.items():
        for col, old in table.columns().items():
            new = after.tables[entity].columns()[col]
            key = f"{entity}.{col}"
            if new.dtype != old.dtype or new.shape != old.shape:
                problems.append(
                    f"{mechanism.name}: {key} changed from {old.dtype}{old.shape} to {new.dtype}{new.shape}"
                )
            elif key not in declared and not np.array_equal(old, new, equal_nan=old.dtype.kind == "f"):
                problems.append(f"{mechanism.name}: changed {key}, which it does not declare in writes")
    return problems
