"""Epstein's civil violence model (Epstein 2002, "Modeling civil violence", Model I).

Citizens and cops live on a torus. A citizen's grievance is ``G = H * (1 - L)``, hardship
``H ~ U(0, 1)`` times illegitimacy. She estimates her chance of arrest if she turns active from
the cops ``C`` and actives ``A`` (herself included) within her vision,
``P = 1 - exp(-k * f(C / A))``, and is active when ``G - R * P > T`` (``R ~ U(0, 1)`` is her risk
aversion, ``T`` the activation threshold). A cop arrests one random active citizen within his
vision; the arrestee is jailed for a term drawn uniformly from ``0..J_max`` steps. Every step,
all agents act once in a fresh random order (random sequential activation), each acting and
then moving to a random empty cell within its vision.

Vision is a von Neumann neighbourhood of radius ``v`` (``v`` cells north, south, east, west and
the diamond between), as in Mesa's example; jailed citizens keep their cell, as in Mesa.

The arrest-probability rule ``f`` is a named option because the three well-known
implementations differ, and the difference changes the dynamics:

``"paper"``
    ``f(x) = x``, the raw ratio printed in Epstein (2002). With it a lone active citizen next
    to one cop already faces ``P = 1 - exp(-2.3 * 1) ~= 0.9``, and fractional ratios keep
    arrest risk smooth; published figures are hard to reproduce with it.
``"netlogo"``
    ``f(x) = floor(x)``, NetLogo's Rebellion model (Wilensky 2004). Flooring means that any
    neighbourhood with fewer cops than actives estimates zero risk, which makes outbursts
    self-reinforcing.
``"mesa"`` (default)
    ``f(x) = round(x)`` with Python's round-half-to-even, Mesa's example. Mesa's authors note
    the rounding is not in the paper but that without it the paper's dynamics cannot be
    replicated; it is the default here so periphery's results can be checked against Mesa.

Parameter defaults are Mesa's model defaults, which are Epstein's Run 5.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import model_validator

from periphery.engine import Schema, Streams, TorusGrid
from periphery.engine.state import columns
from periphery.engine.space import von_neumann_offsets
from periphery.models import civil_violence_kernel as K
from periphery.models.params import Params, param

RULES = {"mesa": K.RULE_MESA, "netlogo": K.RULE_NETLOGO, "paper": K.RULE_PAPER}


class CivilViolenceParams(Params):
    """Parameters of the civil violence model; defaults are Mesa's, i.e. Epstein's Run 5."""

    width: int = param(40, ge=3, le=100_000, unit="cells", description="grid width",
                       why="Mesa's default; Epstein (2002) used 40x40")  # fmt: skip
    height: int = param(40, ge=3, le=100_000, unit="cells", description="grid height",
                        why="Mesa's default; Epstein (2002) used 40x40")  # fmt: skip
    citizen_density: float = param(0.7, ge=0.0, le=1.0, unit="share of cells",
                                   description="chance that a cell starts with a citizen",
                                   why="Mesa's default and Epstein's Run 5")  # fmt: skip
    cop_density: float = param(0.074, ge=0.0, le=1.0, unit="share of cells",
                               description="chance that a cell starts with a cop",
                               why="Mesa's default and Epstein's Run 5")  # fmt: skip
    citizen_vision: int = param(7, ge=1, le=1000, unit="cells (von Neumann radius)",
                                description="how far a citizen sees",
                                why="Mesa's default and Epstein's Model I")  # fmt: skip
    cop_vision: int = param(7, ge=1, le=1000, unit="cells (von Neumann radius)",
                            description="how far a cop sees", why="Mesa's default")  # fmt: skip
    legitimacy: float = param(0.8, ge=0.0, le=1.0, unit="share",
                              description="perceived legitimacy of the regime, the same for all",
                              why="Mesa's default and Epstein's Run 5")  # fmt: skip
    max_jail_term: int = param(1000, ge=0, le=10_000_000, unit="steps",
                               description="longest jail term; terms are uniform on 0..max",
                               why="Mesa's default and Epstein's Run 5")  # fmt: skip
    active_threshold: float = param(0.1, ge=0.0, le=1.0, unit="grievance units",
                                    description="net grievance above which a citizen turns active",
                                    why="Epstein (2002) and Mesa")  # fmt: skip
    arrest_prob_constant: float = param(2.3, ge=0.0, le=100.0, unit="1",
                                        description="k in P = 1 - exp(-k * f(C/A))",
                                        why="Epstein (2002): makes P about 0.9 when C = A = 1")  # fmt: skip
    movement: bool = param(True, unit="", description="whether agents move after acting",
                           why="Epstein (2002) and Mesa")  # fmt: skip
    arrest_rule: Literal["mesa", "netlogo", "paper"] = param(
        "mesa", unit="", description="f in P = 1 - exp(-k * f(C/A)): round, floor or raw ratio",
        why="matches Mesa's example, against which periphery is checked")  # fmt: skip

    @model_validator(mode="after")
    def _check(self) -> CivilViolenceParams:
        if self.citizen_density + self.cop_density > 1.0:
            raise ValueError(
                f"citizen_density + cop_density must be <= 1; got "
                f"{self.citizen_density} + {self.cop_density}"
            )
        for v in ("citizen_vision", "cop_vision"):
            span = 2 * getattr(self, v) + 1
            if span > min(self.width, self.height):
                raise ValueError(
                    f"{v} = {getattr(self, v)} needs a grid at least {span} cells wide and high; "
                    f"got {self.width}x{self.height}"
                )
        return self


SCHEMA = Schema(
    columns("agents", [
        ("kind", "int8", "0 citizen, 1 cop"),
        ("cell", "int64", "index of the cell the agent stands on (x * height + y)"),
        ("status", "int8", "citizens: 0 quiet, 1 active, 2 jailed; cops: 0"),
        ("jail", "int64", "steps of jail term left"),
        ("hardship", "float64", "H ~ U(0, 1), perceived hardship"),
        ("risk_aversion", "float64", "R ~ U(0, 1)"),
    ])
    + columns("cells", [("occupant", "int64", "agent on the cell, -1 if empty")])
    + columns("padded_cells", [
        ("code", "int8", "0 empty, 1 quiet, 2 active, 3 jailed, 4 cop; grid padded by the "
                         "largest vision with copies of the cells across the torus edge"),
    ])
)  # fmt: skip


class CivilViolence:
    """A running civil violence model; build it with ``CivilViolence(params, seed)``.

    Attributes
    ----------
    legitimacy : float
        May be changed between steps (Epstein's Runs 3 and 4 lower it over time).
    """

    name = "civil-violence"

    def __init__(self, params: CivilViolenceParams | None = None, seed: int = 0) -> None:
        p = params or CivilViolenceParams()
        self.params = p
        self.streams = Streams(seed)
        self.grid = TorusGrid(p.width, p.height)
        self.legitimacy = p.legitimacy
        self.steps = 0

        cat = self.grid.fill_by_category(
            self.streams("placement"), [p.citizen_density, p.citizen_density + p.cop_density]
        )
        occupied = np.flatnonzero(cat < 2)
        n = occupied.size
        self._halo = max(p.citizen_vision, p.cop_vision)
        padded = (p.width + 2 * self._halo) * (p.height + 2 * self._halo)
        self.state = SCHEMA.allocate({"agents": n, "cells": self.grid.n_cells, "padded_cells": padded})
        ag = self.state.agents
        ag.kind[:] = cat[occupied]  # agents are numbered in cell order
        ag.cell[:] = occupied
        attr = self.streams("attributes")
        ag.hardship[:] = attr.random(n)
        ag.risk_aversion[:] = attr.random(n)
        # Short aliases to the state's columns (the same arrays), for the kernel call and tests.
        self.kind, self.cell, self.status, self.jail = ag.kind, ag.cell, ag.status, ag.jail
        self.hardship, self.risk = ag.hardship, ag.risk_aversion

        self.grid_id = self.state.cells.occupant
        self.grid_id[:] = -1
        self.grid_id[self.cell] = np.arange(n)
        code = np.zeros(self.grid.n_cells, np.int8)
        code[self.cell] = np.where(self.kind == K.COP, K.COP_CELL, K.QUIET_CELL)
        self.n_citizens = int((self.kind == K.CITIZEN).sum())
        self.n_cops = n - self.n_citizens
        self.counts = np.array([self.n_citizens, 0, 0], np.int64)  # quiet, active, jailed

        for v in (p.citizen_vision, p.cop_vision):
            self.grid.check_offsets(von_neumann_offsets(v))
        # The kernel reads cell codes from a grid padded by the largest vision on every side,
        # the padding holding copies of the cells across the torus edge (see the kernel).
        self._pcode = self.state.padded_cells.code
        self._pcode[:] = np.pad(code.reshape(p.width, p.height), self._halo, mode="wrap").ravel()
        self._order_rng = self.streams("schedule")

    @property
    def n_agents(self) -> int:
        """Citizens plus cops."""
        return self.kind.size

    def draw(self) -> tuple[np.ndarray, np.ndarray]:
        """The random numbers of one step: activation order and uniforms (move, arrest, jail term)."""
        order = self._order_rng.permutation(self.n_agents)
        return order, self._order_rng.random((3, self.n_agents))

    def step(self) -> None:
        """One step: every agent acts and moves once, in a fresh random order."""
        self.apply(*self.draw())

    def apply(self, order: np.ndarray, u: np.ndarray) -> None:
        """Advance one step with given random numbers (see ``draw``)."""
        p = self.params
        K.step_kernel(
            order, u[0], u[1], u[2],
            self.kind, self.cell, self.status, self.jail, self.hardship, self.risk,
            self.grid_id, self._pcode, p.width, p.height, self._halo,
            p.citizen_vision, p.cop_vision,
            float(self.legitimacy), p.active_threshold, p.arrest_prob_constant,
            p.max_jail_term, RULES[p.arrest_rule], p.movement,
            self.counts,
        )  # fmt: skip
        self.steps += 1

    def observe(self) -> dict[str, int | float]:
        """Citizens quiet, active and jailed, and the legitimacy in force."""
        q, a, j = (int(c) for c in self.counts)
        return {"quiet": q, "active": a, "jailed": j, "legitimacy": float(self.legitimacy)}

    def snapshot(self) -> np.ndarray:
        """Cell codes as a ``(width, height)`` int8 array: 0 empty, 1 quiet, 2 active, 3 jailed, 4 cop."""
        h = self._halo
        padded = self._pcode.reshape(self.params.width + 2 * h, self.params.height + 2 * h)
        return padded[h:-h, h:-h].copy()

    def load_codes(self, codes: np.ndarray) -> None:
        """Replace the grid's cell codes (shape ``(width, height)``), refreshing the padding."""
        self._pcode[:] = np.pad(codes, self._halo, mode="wrap").ravel()
