"""In-run manipulations of an experiment arm, applied before a month's step.

Some designs of mechanism_map 2.1 act on a running world: the knock-out of P7 removes an
organization's members at month *k*; P25 forces core opinion along a ramp. These are
experimental manipulations of state (like Epstein's legitimacy drop), never changes of
behavioural parameters. Each is a function ``fn(world, t, **args)`` called every month in
``[month, end]`` (``end`` defaults to ``month``); random choices use a named stream of the
run's own seed, so arms that share a seed share everything up to the manipulation.
"""

from __future__ import annotations

import numpy as np

from periphery.theory.world_schema import STATUS

_GONE = STATUS["emigrated"]


def _country_range(world, country: int) -> tuple[int, int]:
    a = world.state.agents
    lo, hi = np.searchsorted(a.country, [country, country + 1])
    return int(lo), int(hi)


def _largest_orgs(world, k: int, country: int) -> np.ndarray:
    og, a = world.state.orgs, world.state.agents
    members = np.bincount(a.org[a.org >= 0].astype(np.intp), minlength=og.n)
    members[og.country != country] = 0
    order = np.argsort(-members, kind="stable")
    return order[:k][members[order[:k]] > 0]


def knockout_orgs(world, t: int, k: int = 3, country: int = 0) -> None:
    """Remove the members of the ``k`` largest organizations of ``country`` and delete the organizations."""
    a, og = world.state.agents, world.state.orgs
    orgs = _largest_orgs(world, k, country)
    hit = np.isin(a.org, orgs) & (a.status != _GONE)
    a.status[hit] = _GONE
    a.org[hit] = -1
    og.exists[orgs] = False


def knockout_random(world, t: int, k: int = 3, country: int = 0) -> None:
    """Remove as many random non-members as the ``k`` largest organizations have members, class by class.

    The count and class mix are those of ``knockout_orgs`` on the same state, so the two arms
    remove the same number of people of the same classes.
    """
    a = world.state.agents
    lo, hi = _country_range(world, country)
    orgs = _largest_orgs(world, k, country)
    idx = np.arange(lo, hi)
    target = np.isin(a.org[idx], orgs) & (a.status[idx] != _GONE)
    pool = (a.org[idx] < 0) & (a.status[idx] != _GONE)
    rng = world.streams("validation.knockout_random")
    for c in np.unique(a.class_code[idx][target]):
        need = int((a.class_code[idx][target] == c).sum())
        cand = idx[pool & (a.class_code[idx] == c)]
        pick = cand[rng.permutation(cand.size)[: min(need, cand.size)]]
        a.status[pick] = _GONE


FOCAL_EVERY = 10  # P17's "locality": every tenth locality of the first country


def focal_mask(agents) -> np.ndarray:
    """Agents of the first country in the focal localities (ids divisible by ``FOCAL_EVERY``).

    Agents are laid out by class, so consecutive localities hold one class each; taking every
    tenth spreads the focal set over the classes instead of picking one class.
    """
    return (agents.country == 0) & (agents.locality >= 0) & (agents.locality % FOCAL_EVERY == 0)


def _focal(world, focal: bool) -> np.ndarray:
    a = world.state.agents
    inside = focal_mask(a)
    return inside if focal else (a.country == 0) & (a.locality >= 0) & ~inside


def grievance_shock(world, t: int, focal: bool, level: float, end: int = 0) -> None:
    """Raise the grievance of agents in the focal localities (or in the rest of the first country) to ``level``.

    A local (or national) grievance shock without a driver of its own: the schema's events act
    on whole countries, so P17's local shock is set on the state.
    """
    a = world.state.agents
    m = _focal(world, focal)
    a.grievance[m] = np.maximum(a.grievance[m], np.float32(level))


def jail(world, t: int, country: int, n: int, term: int = 12) -> None:
    """Jail ``n`` random free agents of ``country`` for ``term`` months (victims of repression, P26)."""
    a = world.state.agents
    lo, hi = _country_range(world, country)
    idx = np.arange(lo, hi)
    free = idx[(a.status[idx] != _GONE) & (a.status[idx] != STATUS["jailed"])]
    pick = free[world.streams("validation.jail").permutation(free.size)[: min(n, free.size)]]
    a.status[pick] = STATUS["jailed"]
    a.jail_left[pick] = term


def force(world, t: int, column: str, value: float, row: int = -1, end: int = 0) -> None:
    """Set ``column`` (``entity.column``) to ``value`` in ``row`` (all rows if -1)."""
    arr = world.state.get(column)
    if row < 0:
        arr[:] = value
    else:
        arr[row] = value


def ramp(world, t: int, column: str, start: float, stop: float, month0: int, end: int, row: int = -1) -> None:
    """Set ``column`` along a straight line from ``start`` (month ``month0``) to ``stop`` (month ``end``)."""
    frac = 1.0 if end == month0 else (t - month0) / (end - month0)
    force(world, t, column, start + (stop - start) * min(max(frac, 0.0), 1.0), row)


KINDS = {"knockout_orgs": knockout_orgs, "knockout_random": knockout_random, "force": force, "ramp": ramp,
         "grievance_shock": grievance_shock, "jail": jail}


def apply(world, t: int, interventions) -> None:
    """Apply every intervention due at month ``t`` (``month <= t <= end``)."""
    for iv in interventions:
        args = dict(iv.args)
        end = int(args.get("end", iv.month)) or iv.month
        if iv.month <= t <= end:
            if iv.kind == "ramp":
                KINDS["ramp"](world, t, month0=iv.month, **args)
            else:
                KINDS[iv.kind](world, t, **args)
