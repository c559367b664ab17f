"""The parameter space of an experiment, derived from the parameters' own declarations.

Every model parameter is declared once, as a pydantic field with default, bounds and unit
(``periphery.engine.params``). A sweep dimension takes its type and, where the experiment file
gives none, its range from that declaration: a ``bool`` or a choice (``Literal``) is
categorical, an ``int`` is sampled and rounded, a ``float`` is continuous. World-model
parameters are named ``table.field`` (``grievance.weight``), as in ``--set``.
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from periphery.engine.params import Params, allowed
from periphery.models import MODELS, get_model

Kind = Literal["float", "int", "bool", "choice"]


@dataclass(frozen=True)
class Declared:
    """A parameter's declaration: the pydantic class that owns it and the field's name."""

    cls: type[Params]
    field: str

    @property
    def info(self) -> FieldInfo:
        """The pydantic field."""
        return self.cls.model_fields[self.field]

    @property
    def kind(self) -> Kind:
        """How the parameter is sampled."""
        ann = self.info.annotation
        if ann is bool:
            return "bool"
        if typing.get_origin(ann) is Literal:
            return "choice"
        return "int" if ann is int else "float"

    @property
    def choices(self) -> tuple[Any, ...]:
        """The allowed values of a categorical parameter."""
        if self.kind == "bool":
            return (False, True)
        return typing.get_args(self.info.annotation) if self.kind == "choice" else ()

    def bounds(self) -> tuple[float, float]:
        """Declared closed range (open bounds nudged inwards); ``inf`` where there is none."""
        lo, hi = -math.inf, math.inf
        for m in self.info.metadata:
            if getattr(m, "ge", None) is not None:
                lo = float(m.ge)
            if getattr(m, "gt", None) is not None:
                lo = math.nextafter(float(m.gt), math.inf)
            if getattr(m, "le", None) is not None:
                hi = float(m.le)
            if getattr(m, "lt", None) is not None:
                hi = math.nextafter(float(m.lt), -math.inf)
        if self.kind == "int":
            lo, hi = (
                math.ceil(lo) if lo > -math.inf else lo,
                math.floor(hi) if hi < math.inf else hi,
            )
        return lo, hi

    def check(self, value: Any) -> str | None:
        """Why ``value`` is not allowed for this parameter alone, or None."""
        try:
            TypeAdapter(Annotated[self.info.annotation, self.info]).validate_python(
                value, strict=False
            )
        except ValidationError:
            return f"{value!r} is not allowed; allowed: {allowed(self.cls, self.field)}"
        if self.kind in ("int", "float") and isinstance(value, bool):
            return f"{value!r} is not allowed; allowed: {allowed(self.cls, self.field)}"
        return None

    def describe(self) -> str:
        """The allowed values in words."""
        return allowed(self.cls, self.field)


def parameter_tables(model: str) -> dict[str, type[Params]] | None:
    """Parameter classes of a model: ``{"": cls}`` for a named model, one per table for the world."""
    if model in MODELS:
        return {"": get_model(model).params}
    if model == "world":
        from periphery.theory.frameworks import param_tables

        return dict(param_tables())
    return None


def declared(tables: dict[str, type[Params]] | None, name: str) -> Declared | None:
    """The declaration of parameter ``name``, or None when the model declares no such parameter."""
    if not tables:
        return None
    if "" in tables:
        cls = tables[""]
        return Declared(cls, name) if name in cls.model_fields else None
    table, _, field = name.partition(".")
    cls = tables.get(table)
    return Declared(cls, field) if cls is not None and field in cls.model_fields else None


def known_names(tables: dict[str, type[Params]] | None) -> list[str]:
    """Every parameter name of a model, for error messages."""
    if not tables:
        return []
    return [f"{t}.{f}" if t else f for t, cls in tables.items() for f in cls.model_fields]


@dataclass(frozen=True)
class Dimension:
    """One varied parameter of an experiment.

    Attributes
    ----------
    name : str
        Parameter name as given to the model (``legitimacy``, ``grievance.weight``).
    kind : {"float", "int", "bool", "choice"}
        How values are drawn and rounded.
    values : tuple or None
        Explicit values (a grid's levels, or the categories of a categorical parameter).
    low, high : float or None
        Range of a numeric parameter.
    levels : int or None
        Number of evenly spaced grid levels over ``[low, high]``.
    scale : {"linear", "log"}
        Spacing of levels and samples over the range.
    """

    name: str
    kind: Kind
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    levels: int | None = None
    scale: Literal["linear", "log"] = "linear"

    @property
    def categorical(self) -> bool:
        """True when values are drawn from a list rather than a range."""
        return self.values is not None

    def from_unit(self, u: float) -> Any:
        """The value at position ``u`` in [0, 1] of this dimension (for LHS and SALib samples)."""
        if self.values is not None:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        return self.from_range(self.low + u * (self.high - self.low) if self.scale == "linear"
                               else math.exp(math.log(self.low) + u * math.log(self.high / self.low)))  # fmt: skip

    def from_range(self, x: float) -> Any:
        """A number within ``[low, high]`` as this parameter's type (ints rounded)."""
        x = min(max(float(x), self.low), self.high)
        if self.kind == "int":
            return int(round(x))
        return float(f"{x:.12g}")  # drop float noise such as 0.30000000000000004
