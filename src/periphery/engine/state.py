"""State as structure-of-arrays with a declared schema.

Agents (and any other entity) are rows, never Python objects: each entity is a ``Table`` of
equally long NumPy columns, and every column is declared once in a ``Schema`` with its dtype
and meaning. The schema is what lets later layers check what a rule reads and writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Column:
    """Declaration of one column: which entity it belongs to, its dtype, unit and meaning."""

    entity: str
    name: str
    dtype: str
    meaning: str
    unit: str = ""

    @property
    def key(self) -> str:
        """Qualified name, ``entity.name``."""
        return f"{self.entity}.{self.name}"


@dataclass(frozen=True)
class Schema:
    """An ordered set of column declarations."""

    columns: tuple[Column, ...]

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"schema declares columns twice: {', '.join(dupes)}")
        for c in self.columns:
            np.dtype(c.dtype)  # fail early on an unknown dtype

    @property
    def entities(self) -> tuple[str, ...]:
        """Entity names in declaration order."""
        seen: dict[str, None] = {}
        for c in self.columns:
            seen.setdefault(c.entity)
        return tuple(seen)

    def of(self, entity: str) -> tuple[Column, ...]:
        """Columns of one entity."""
        return tuple(c for c in self.columns if c.entity == entity)

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    @property
    def _keys(self) -> frozenset[str]:
        # Schedules check hundreds of reads against hundreds of columns at every build; a set
        # (cached on the frozen instance) keeps that check out of the run time.
        keys = self.__dict__.get("_key_set")
        if keys is None:
            keys = frozenset(c.key for c in self.columns)
            object.__setattr__(self, "_key_set", keys)
        return keys

    def allocate(self, sizes: Mapping[str, int]) -> State:
        """Zero-filled state with ``sizes[entity]`` rows per entity."""
        missing = [e for e in self.entities if e not in sizes]
        if missing:
            raise ValueError(f"no row count given for entities: {', '.join(missing)}")
        tables = {
            e: Table(e, int(sizes[e]), {c.name: np.zeros(int(sizes[e]), c.dtype) for c in self.of(e)})
            for e in self.entities
        }
        return State(self, tables)


class Table:
    """The columns of one entity, all of length ``n``; read them as attributes."""

    __slots__ = ("name", "n", "_cols")

    def __init__(self, name: str, n: int, columns: dict[str, np.ndarray]) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "_cols", columns)

    def __getattr__(self, col: str) -> np.ndarray:
        try:
            return self._cols[col]
        except KeyError:
            raise AttributeError(
                f"entity '{self.name}' has no column '{col}'; columns: {', '.join(self._cols)}"
            ) from None

    def __setattr__(self, col: str, values: np.ndarray) -> None:
        # Replacing a column must keep its declared dtype and length, so that kernels compiled
        # for one signature keep working and nothing silently changes precision.
        old = self.__getattr__(col)
        arr = np.asarray(values)
        if arr.shape != old.shape:
            raise ValueError(f"{self.name}.{col}: shape {arr.shape} != {old.shape}")
        self._cols[col] = arr.astype(old.dtype, copy=False)

    def columns(self) -> dict[str, np.ndarray]:
        """The column dict (live arrays, not copies)."""
        return self._cols


@dataclass
class State:
    """All tables of a model, by entity name."""

    schema: Schema
    tables: dict[str, Table] = field(default_factory=dict)

    def __getattr__(self, entity: str) -> Table:
        try:
            return self.__dict__["tables"][entity]
        except KeyError:
            raise AttributeError(f"state has no entity '{entity}'") from None

    def get(self, key: str) -> np.ndarray:
        """Column by qualified name ``entity.column``."""
        entity, col = key.split(".", 1)
        return getattr(self.tables[entity], col)

    def copy(self) -> State:
        """Deep copy of every column."""
        return State(
            self.schema,
            {e: Table(e, t.n, {k: v.copy() for k, v in t.columns().items()}) for e, t in self.tables.items()},
        )

    def nbytes(self) -> int:
        """Memory held by all columns."""
        return sum(v.nbytes for t in self.tables.values() for v in t.columns().values())


def columns(entity: str, specs: Iterable[tuple[str, str, str]]) -> tuple[Column, ...]:
    """Shorthand: declare several ``(name, dtype, meaning)`` columns of one entity."""
    return tuple(Column(entity, name, dtype, meaning) for name, dtype, meaning in specs)
