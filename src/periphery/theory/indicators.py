"""Per-country, per-organization and world indicators, computed once a month for next month's rules.

Bookkeeping, not theory: it formalizes no passage (so it carries no M-id) and runs last in the
month. Mechanisms that react to how many people act (activation's safety in numbers, M58's
breadth) read these lagged values.
"""

from __future__ import annotations

import numba
import numpy as np

from periphery.engine.params import Params, param
from periphery.theory.base import TheoryMechanism, register
from periphery.theory.world_schema import EMPLOY, N_CLASSES, STATUS, STATUSES

_NS = len(STATUSES)


@register
class CountryIndicators(TheoryMechanism):
    """Counts by status, mean grievance and consciousness, breadth and unemployment per country; org sizes.

    ``breadth`` (M58's Hook) is the share of classes present in a country whose mean grievance
    is above ``breadth_threshold``. Emigrated agents are not counted as present.
    """

    name = "country_indicators"
    family = "indicators"
    phase = "indicators"
    reads = ("agents.country", "agents.cell", "agents.status", "agents.grievance", "agents.consciousness",
             "agents.employment", "agents.org", "orgs.exists")  # fmt: skip
    writes = (
        "countries.n_alive", "countries.n_mobilized", "countries.n_organized", "countries.n_armed",
        "countries.n_jailed", "countries.share_active", "countries.mean_grievance",
        "countries.mean_consciousness", "countries.breadth", "countries.unemployment_rate",
        "orgs.members", "orgs.participation", "globe.n_active", "globe.month",
    )  # fmt: skip

    class Params(Params):
        """Parameters of ``country_indicators``."""

        breadth_threshold: float = param(0.3, ge=0.0, le=1.0, unit="[0,1]",
            description="mean grievance above which a class counts toward breadth",
            why="placeholder for M58's 'classes affected'")  # fmt: skip

    def step(self, state, params, rng, ctx):  # noqa: D102
        a, cs, og = state.agents, state.countries, state.orgs
        nc = cs.n
        status_n, n_cell, g_cell, c_country, unemployed, members, org_active = _aggregate(
            a.country, a.cell, a.status, a.grievance, a.consciousness, a.employment, a.org,
            nc, N_CLASSES, _NS, og.n, STATUS["emigrated"], EMPLOY["unemployed"],
        )
        alive = status_n.sum(axis=1) - status_n[:, STATUS["emigrated"]]
        cs.n_alive = alive
        cs.n_mobilized = status_n[:, STATUS["mobilized"]]
        cs.n_organized = status_n[:, STATUS["organized"]]
        cs.n_armed = status_n[:, STATUS["armed"]]
        cs.n_jailed = status_n[:, STATUS["jailed"]]
        active = status_n[:, STATUS["mobilized"]] + status_n[:, STATUS["organized"]] + status_n[:, STATUS["armed"]]
        denom = np.maximum(alive, 1)
        cs.share_active = active / denom
        cs.mean_grievance = g_cell.sum(axis=1) / denom
        cs.mean_consciousness = c_country / denom
        has = n_cell > 0
        above = (g_cell / np.maximum(n_cell, 1) > params.breadth_threshold) & has
        cs.breadth = above.sum(axis=1) / np.maximum(has.sum(axis=1), 1)
        cs.unemployment_rate = unemployed / denom
        og.members = members
        og.participation = org_active / np.maximum(members, 1)
        state.globe.n_active = np.array([active.sum()])
        state.globe.month = np.array([ctx.t])


@numba.njit(cache=True)
def _aggregate(country, cell, status, grievance, consciousness, employment, org,
               nc, ncls, ns, norg, emigrated, unemployed_code):  # fmt: skip
    """One pass over agents: status counts per country; present agents and grievance per cell;
    consciousness and unemployment per country; members and active members per organization."""
    status_n = np.zeros((nc, ns), np.int64)
    n_cell = np.zeros(nc * ncls, np.int64)
    g_cell = np.zeros(nc * ncls, np.float64)
    c_country = np.zeros(nc, np.float64)
    unemployed = np.zeros(nc, np.int64)
    members = np.zeros(norg, np.int64)
    org_active = np.zeros(norg, np.int64)
    for i in range(country.size):
        c = country[i]
        s = status[i]
        status_n[c, s] += 1
        if s == emigrated:
            continue
        n_cell[cell[i]] += 1
        g_cell[cell[i]] += grievance[i]
        c_country[c] += consciousness[i]
        if employment[i] == unemployed_code:
            unemployed[c] += 1
        o = org[i]
        if o >= 0:
            members[o] += 1
            if 1 <= s <= 3:
                org_active[o] += 1
    return (status_n, n_cell.reshape(nc, ncls), g_cell.reshape(nc, ncls), c_country, unemployed,
            members, org_active)  # fmt: skip
