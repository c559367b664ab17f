"""Epstein's (2002) Model I experiments, as reusable functions.

* Runs 3 and 4: legitimacy falls from 0.9, either at once to 0.7 ("sudden") or step by step
  to 0.2 ("gradual"); the paper reports that the sudden drop sets off an outburst that the
  gradual decline, though it ends far lower, does not.
* Run 5 and cop density: starting from Run 5 (Mesa's defaults), fewer cops tip the society
  from quiescence into rebellion past a threshold density.

These functions only run the experiments and measure; tests and reports decide what the
numbers mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from periphery.models.civil_violence import CivilViolence, CivilViolenceParams


def legitimacy_path(kind: str, steps: int, at: int = 50, start: float = 0.9,
                    sudden_to: float = 0.7, gradual_to: float = 0.2,
                    gradual_over: int = 300) -> np.ndarray:
    """Legitimacy in force at each step ``1..steps``: constant ``start`` until step ``at``, then
    a drop to ``sudden_to`` in one step (``"sudden"``) or a linear decline to ``gradual_to``
    over ``gradual_over`` steps (``"gradual"``)."""
    t = np.arange(1, steps + 1)
    if kind == "sudden":
        return np.where(t < at, start, sudden_to)
    if kind == "gradual":
        frac = np.clip((t - at) / gradual_over, 0.0, 1.0)
        return start + (gradual_to - start) * frac
    raise ValueError(f"kind must be 'sudden' or 'gradual'; got {kind!r}")


def run_with_legitimacy(params: CivilViolenceParams, seed: int, path: np.ndarray) -> np.ndarray:
    """Active citizens after each step, legitimacy set from ``path`` before each step."""
    m = CivilViolence(params, seed)
    out = np.empty(path.size, np.int64)
    for i, level in enumerate(path):
        m.legitimacy = float(level)
        m.step()
        out[i] = m.counts[1]
    return out


@dataclass(frozen=True)
class DropResult:
    """Peak active citizens after the legitimacy change, per seed, for both paths."""

    sudden_peak: np.ndarray
    gradual_peak: np.ndarray

    @property
    def share_sudden_larger(self) -> float:
        """Share of seeds (paired: same seed, same initial world) where the sudden peak is larger."""
        return float(np.mean(self.sudden_peak > self.gradual_peak))

    def share_outburst(self, level: int = 50) -> tuple[float, float]:
        """Share of seeds with an outburst (peak above ``level``): sudden, gradual."""
        return float(np.mean(self.sudden_peak > level)), float(np.mean(self.gradual_peak > level))


def legitimacy_drop(params: CivilViolenceParams, seeds: range, at: int = 50,
                    after: int = 100, gradual_over: int = 300) -> DropResult:
    """Runs 3 and 4 over ``seeds``: peak actives from the change to ``after`` steps past its end."""
    sudden = legitimacy_path("sudden", at + after, at)
    gradual = legitimacy_path("gradual", at + gradual_over + after, at, gradual_over=gradual_over)
    s = [run_with_legitimacy(params, seed, sudden)[at - 1:].max() for seed in seeds]
    g = [run_with_legitimacy(params, seed, gradual)[at - 1:].max() for seed in seeds]
    return DropResult(np.array(s), np.array(g))


def cop_density_response(base: CivilViolenceParams, densities: list[float], seeds: range,
                         steps: int = 300) -> np.ndarray:
    """Peak active citizens over ``steps``, shape ``(len(densities), len(seeds))``."""
    out = np.empty((len(densities), len(seeds)), np.int64)
    for i, d in enumerate(densities):
        p = base.model_copy(update={"cop_density": d})
        for k, seed in enumerate(seeds):
            out[i, k] = run_with_legitimacy(p, seed, np.full(steps, p.legitimacy)).max()
    return out
