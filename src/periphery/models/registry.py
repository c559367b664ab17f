"""The models periphery can run by name, with their parameter classes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from periphery.models.params import Params


@dataclass(frozen=True)
class ModelSpec:
    """A runnable model: its name, one-line summary, parameter class and constructor."""

    name: str
    summary: str
    params: type[Params]
    build: Callable[[Params, int], Any]


def _civil_violence() -> ModelSpec:
    from periphery.models.civil_violence import CivilViolence, CivilViolenceParams

    return ModelSpec(
        "civil-violence",
        "Epstein (2002) civil violence, Model I: citizens and cops on a torus",
        CivilViolenceParams,
        CivilViolence,
    )


def _threshold() -> ModelSpec:
    from periphery.models.threshold import Threshold, ThresholdParams

    return ModelSpec(
        "threshold",
        "Granovetter (1978) threshold model of collective behaviour, global or on a network",
        ThresholdParams,
        Threshold,
    )


_FACTORIES: dict[str, Callable[[], ModelSpec]] = {
    "civil-violence": _civil_violence,
    "threshold": _threshold,
}
MODELS: tuple[str, ...] = tuple(_FACTORIES)


def get_model(name: str) -> ModelSpec:
    """The model called ``name``; a ``KeyError`` names the known models otherwise."""
    try:
        return _FACTORIES[name]()
    except KeyError:
        raise KeyError(f"unknown model '{name}'; allowed: {', '.join(MODELS)}") from None
