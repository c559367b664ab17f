"""Benchmark sizes as data (cf. Mesa's ``benchmarks/configurations.py``).

Each configuration names the implementation to time, the model parameters (keyword
arguments accepted both by Mesa's ``EpsteinCivilViolence`` and by periphery's
``CivilViolenceParams``), the seeds (one fresh model per seed) and the number of timed steps
per seed. ``run.py`` runs each configuration in its own child process.

``FULL`` is what ``make bench`` runs; ``QUICK`` is a tiny stand-in used by the smoke test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Mesa's default civil violence configuration (Epstein's Run 5 on a 40x40 torus).
MESA_DEFAULTS: dict[str, float | int] = {
    "width": 40,
    "height": 40,
    "citizen_density": 0.7,
    "cop_density": 0.074,
    "citizen_vision": 7,
    "cop_vision": 7,
    "legitimacy": 0.8,
    "max_jail_term": 1000,
}


@dataclass(frozen=True)
class Configuration:
    """One benchmark configuration.

    Attributes
    ----------
    name : str
        Key in the results file, e.g. ``"periphery_40x40"``.
    implementation : {"mesa", "periphery"}
        Which model to time.
    parameters : dict
        Model parameters; Mesa's defaults overridden by these.
    seeds : tuple of int
        One model is built and run per seed; figures are summed over seeds.
    steps : int
        Timed steps per seed (after construction; a warm-up run comes first).
    """

    name: str
    implementation: str
    parameters: dict = field(default_factory=dict)
    seeds: tuple[int, ...] = (1,)
    steps: int = 10

    @property
    def grid(self) -> str:
        """Grid size as ``"WxH"``."""
        p = {**MESA_DEFAULTS, **self.parameters}
        return f"{p['width']}x{p['height']}"

    @property
    def model_parameters(self) -> dict:
        """Mesa's defaults overridden by ``parameters``."""
        return {**MESA_DEFAULTS, **self.parameters}


def _size(n: int) -> dict[str, int]:
    return {"width": n, "height": n}


# Mesa and periphery run the same parameters over the same number of steps from a fresh
# model, so both are timed over the same stretch of the dynamics (jailed citizens, who are
# cheap to step, accumulate over time under Run 5). Periphery gets more seeds so its timed
# window is long enough to measure; Mesa's two seeds take about 20 s.
FULL: tuple[Configuration, ...] = (
    Configuration("mesa_40x40", "mesa", {}, seeds=(1, 2), steps=150),
    Configuration("periphery_40x40", "periphery", {}, seeds=tuple(range(1, 41)), steps=150),
    # About 0.77 million agents.
    Configuration("periphery_1000x1000", "periphery", _size(1000), seeds=(1,), steps=20),
    # About 7 million agents.
    Configuration("periphery_3000x3000", "periphery", _size(3000), seeds=(1,), steps=5),
)

QUICK: tuple[Configuration, ...] = (
    Configuration("mesa_40x40", "mesa", {}, seeds=(1,), steps=3),
    Configuration("periphery_40x40", "periphery", {}, seeds=(1, 2), steps=20),
    Configuration("periphery_100x100", "periphery", _size(100), seeds=(1,), steps=5),
    Configuration("periphery_200x200", "periphery", _size(200), seeds=(1,), steps=3),
)

# Figures run.py reports against.
TARGET_RATIO_VS_MESA = 100.0  # periphery / Mesa agent-steps per second at 40x40
TARGET_AGENT_STEPS_PER_S = 2_000_000.0  # periphery on one core at about 1M agents
TARGET_CONFIGURATION = "periphery_1000x1000"
