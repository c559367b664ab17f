"""A literal pure-Python twin of the civil violence step, one agent at a time.

It follows Mesa's example line by line (scan the neighbourhood, count cops and actives,
estimate the arrest probability, decide, move), with a plain modulo for the torus and the
neighbourhood given as an offset list, so it shares none of the kernel's tricks (padded
grid, branchless counts, per-row skipping). Fed the same pre-drawn random numbers, it must
produce exactly the kernel's trajectory; the tests check that.
"""

from __future__ import annotations

import math

import numpy as np

from periphery.engine.space import von_neumann_offsets


def reference_step(model, order: np.ndarray, u: np.ndarray) -> None:
    """Advance a ``CivilViolence`` model by one step in pure Python, in place.

    Parameters
    ----------
    model : periphery.models.civil_violence.CivilViolence
        The model; its ``cell``, ``status``, ``jail``, ``counts`` and grid are updated.
    order : ndarray of int, shape (n_agents,)
        Activation order.
    u : ndarray of float, shape (3, n_agents)
        Uniforms for the move, arrest and jail-term choices, as the model draws them.
    """
    p = model.params
    w, h = p.width, p.height
    grid = model.snapshot().ravel()  # cell codes: 0 empty, 1 quiet, 2 active, 3 jailed, 4 cop
    grid_id = model.grid_id
    offsets = {v: von_neumann_offsets(v) for v in {p.citizen_vision, p.cop_vision}}
    for a in order:
        a = int(a)
        c = int(model.cell[a])
        x, y = divmod(c, h)
        citizen = model.kind[a] == 0
        if citizen and model.jail[a] > 0:
            model.jail[a] -= 1
            continue
        hood = [((x + dx) % w) * h + (y + dy) % h for dx, dy in offsets[p.citizen_vision if citizen else p.cop_vision]]
        empty = [nc for nc in hood if grid[nc] == 0]
        if citizen:
            cops = sum(1 for nc in hood if grid[nc] == 4)
            actives = 1 + sum(1 for nc in hood if grid[nc] == 2)
            ratio = cops / actives
            if p.arrest_rule == "mesa":
                ratio = round(ratio)
            elif p.arrest_rule == "netlogo":
                ratio = math.floor(ratio)
            prob = 1 - math.exp(-p.arrest_prob_constant * ratio)
            grievance = model.hardship[a] * (1 - model.legitimacy)
            active = grievance - model.risk[a] * prob > p.active_threshold
            new = 1 if active else 0
            model.counts[model.status[a]] -= 1
            model.counts[new] += 1
            model.status[a] = new
            grid[c] = 2 if active else 1
        else:
            actives = [nc for nc in hood if grid[nc] == 2]
            if actives:
                target = actives[int(u[1, a] * len(actives))]
                t = grid_id[target]
                model.status[t] = 2
                model.jail[t] = int(u[2, a] * (p.max_jail_term + 1))
                model.counts[1] -= 1
                model.counts[2] += 1
                grid[target] = 3
        if p.movement and empty:
            dest = empty[int(u[0, a] * len(empty))]
            grid[dest], grid[c] = grid[c], 0
            grid_id[dest], grid_id[c] = a, -1
            model.cell[a] = dest
    model.load_codes(grid.reshape(w, h))
