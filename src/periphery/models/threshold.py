"""Granovetter's threshold model of collective behaviour (Granovetter 1978).

Each of ``n`` agents joins once at least ``threshold_i`` others have joined. In the classic
(global) form everybody sees the whole population, so the count of participants evolves as
``r(t + 1) = #{i : threshold_i <= r(t)}`` from ``r(0) = 0`` and stops at the first fixed point
of the threshold distribution. Granovetter's two lessons are tests of this module: thresholds
``0, 1, ..., n - 1`` give a cascade of all ``n``, while replacing the agent with threshold 1 by
one with threshold 2 stops the cascade at one participant; and with normally distributed
thresholds the outcome jumps from a small crowd to nearly everyone as the spread grows.

On a network (``network != "global"``) an agent sees only her ties, and her threshold is a
share of her neighbours (Watts 2002 generalises the model this way); the count form is kept for
the global case so that Granovetter's examples read as printed.

Joining is irreversible (as in the 1978 model, which studies the equilibrium size of a riot);
all agents update at once each step (synchronous update), so one step is one round of
"seeing who has joined".
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import model_validator

from periphery.engine import CSRNetwork, Schema, Streams
from periphery.engine.state import columns
from periphery.models.params import Params, param


class ThresholdParams(Params):
    """Parameters of the threshold model; defaults are Granovetter's normal example."""

    n: int = param(100, ge=1, le=100_000_000, unit="agents", description="number of agents",
                   why="Granovetter (1978) reasons with a crowd of 100")  # fmt: skip
    distribution: Literal["uniform", "normal", "uniform_broken"] = param(
        "normal", unit="", description="how thresholds are set: 'uniform' is 0, 1, ..., n-1; "
        "'uniform_broken' the same with the 1 replaced by a 2; 'normal' draws them",
        why="Granovetter's normal example")  # fmt: skip
    mean: float = param(25.0, ge=0.0, le=1e9, unit="agents (global) or share (network)",
                        description="mean threshold for 'normal'",
                        why="Granovetter (1978), normal thresholds with mean 25 in a crowd of 100")  # fmt: skip
    sd: float = param(10.0, ge=0.0, le=1e9, unit="same as mean",
                      description="standard deviation of thresholds for 'normal'",
                      why="a spread below Granovetter's critical value (about 12.2)")  # fmt: skip
    network: Literal["global", "erdos_renyi", "watts_strogatz"] = param(
        "global", unit="", description="who sees whom: everybody, or ties of a random network",
        why="Granovetter's model is global")  # fmt: skip
    mean_degree: float = param(8.0, gt=0.0, le=10_000.0, unit="ties per agent",
                               description="average number of ties on a network",
                               why="a sparse network in the range Watts (2002) studies")  # fmt: skip
    rewire: float = param(0.1, ge=0.0, le=1.0, unit="share of ties",
                          description="rewiring probability for 'watts_strogatz'",
                          why="small-world regime of Watts and Strogatz (1998)")  # fmt: skip
    seeds_active: int = param(0, ge=0, le=100_000_000, unit="agents",
                              description="agents active from the start regardless of threshold",
                              why="none: Granovetter's cascade starts from zero-threshold agents")  # fmt: skip

    @model_validator(mode="after")
    def _check(self) -> ThresholdParams:
        if self.seeds_active > self.n:
            raise ValueError(f"seeds_active must be <= n = {self.n}; got {self.seeds_active}")
        if self.network != "global" and self.distribution == "normal" and self.mean > 1.0:
            raise ValueError(
                f"on a network thresholds are shares of neighbours, so mean must be in [0, 1]; "
                f"got {self.mean}"
            )
        return self


def thresholds_for(p: ThresholdParams, rng: np.random.Generator) -> np.ndarray:
    """The threshold of every agent under ``p``."""
    if p.distribution == "uniform":
        return np.arange(p.n, dtype=np.float64)
    if p.distribution == "uniform_broken":
        thr = np.arange(p.n, dtype=np.float64)
        if p.n > 1:
            thr[1] = 2.0
        return thr
    # Negative draws mean "joins unconditionally"; clip so they read as threshold 0.
    return np.clip(rng.normal(p.mean, p.sd, p.n), 0.0, None)


SCHEMA = Schema(
    columns("agents", [
        ("threshold", "float64", "others (global) or share of ties (network) needed to join"),
        ("active", "bool", "has joined"),
    ])
)  # fmt: skip


class Threshold:
    """A running threshold model; build it with ``Threshold(params, seed)``."""

    name = "threshold"

    def __init__(self, params: ThresholdParams | None = None, seed: int = 0) -> None:
        p = params or ThresholdParams()
        self.params = p
        self.streams = Streams(seed)
        self.state = SCHEMA.allocate({"agents": p.n})
        self.state.agents.threshold = thresholds_for(p, self.streams("thresholds"))
        if p.seeds_active:
            chosen = self.streams("seeds").choice(p.n, p.seeds_active, replace=False)
            self.state.agents.active[chosen] = True
        self.network: CSRNetwork | None = None
        if p.network == "erdos_renyi":
            self.network = CSRNetwork.erdos_renyi(p.n, p.mean_degree, self.streams("network"))
        elif p.network == "watts_strogatz":
            k = max(1, int(round(p.mean_degree / 2)))
            self.network = CSRNetwork.watts_strogatz(p.n, k, p.rewire, self.streams("network"))
        self.steps = 0
        self.changed = True

    def step(self) -> None:
        """One synchronous round: everyone whose threshold is met joins."""
        if self.network is None:
            joins = self.threshold <= self.active.sum()
        else:
            deg = self.network.degree
            seen = self.network.neighbor_sum(self.active.astype(np.float64))
            share = np.divide(seen, deg, out=np.zeros_like(seen), where=deg > 0)
            joins = share >= self.threshold
        new = self.active | joins
        self.changed = bool((new != self.active).any())
        self.state.agents.active = new
        self.steps += 1

    @property
    def threshold(self) -> np.ndarray:
        """Each agent's threshold."""
        return self.state.agents.threshold

    @property
    def active(self) -> np.ndarray:
        """Whether each agent has joined."""
        return self.state.agents.active

    @property
    def settled(self) -> bool:
        """True once a step changed nobody (joining is irreversible, so nothing will change again)."""
        return not self.changed

    def observe(self) -> dict[str, int | float]:
        """Number and share of agents who have joined."""
        a = int(self.active.sum())
        return {"active": a, "share_active": a / self.params.n}
