"""The step loop.

A model is anything with ``step()`` (advance one step) and ``observe()`` (the per-step
aggregates as a mapping of names to numbers). The loop records the initial state as step 0,
then steps and records, reporting progress through an optional callback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from periphery.engine.recorder import Recorder


class Model(Protocol):
    """What the loop needs from a model."""

    def step(self) -> None:
        """Advance one step."""

    def observe(self) -> Mapping[str, float | int]:
        """Aggregates describing the current state."""


def run(
    model: Model,
    steps: int,
    recorder: Recorder | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 1,
) -> Recorder:
    """Advance ``model`` by ``steps`` steps and record its aggregates.

    Parameters
    ----------
    model : Model
        The model to run; it is changed in place.
    steps : int
        Number of steps, ``>= 0``.
    recorder : Recorder, optional
        Where rows go; a new one is made when omitted.
    progress : callable, optional
        Called with the number of steps done, every ``every`` steps and at the end.
    every : int
        Progress callback period in steps.

    Returns
    -------
    Recorder
        Rows for steps ``0..steps`` (step 0 is the initial state).
    """
    if steps < 0:
        raise ValueError(f"steps must be >= 0; got {steps}")
    rec = recorder if recorder is not None else Recorder(capacity=steps + 1)
    rec.record(0, model.observe())
    for t in range(1, steps + 1):
        model.step()
        rec.record(t, model.observe())
        if progress is not None and (t % every == 0 or t == steps):
            progress(t)
    return rec
