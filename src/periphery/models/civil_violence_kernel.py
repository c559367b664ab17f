"""Numba kernel for one step of Epstein's civil violence model (Model I).

A pure function of arrays plus pre-drawn random numbers: the caller draws the activation
order and the uniforms from a seeded NumPy generator, so the kernel itself holds no RNG and
can be tested alone.

Cell codes (int8): 0 empty, 1 quiet citizen, 2 active citizen, 3 jailed citizen, 4 cop.
Agent kinds: 0 citizen, 1 cop. Citizen status: 0 quiet, 1 active, 2 jailed.
"""

from __future__ import annotations

import numba
import numpy as np

EMPTY, QUIET_CELL, ACTIVE_CELL, JAILED_CELL, COP_CELL = 0, 1, 2, 3, 4
CITIZEN, COP = 0, 1
QUIET, ACTIVE, JAILED = 0, 1, 2
RULE_MESA, RULE_NETLOGO, RULE_PAPER = 0, 1, 2


@numba.njit(cache=True, inline="always")
def _round_half_even(x: float) -> float:
    # Python's round(): ties go to the even integer (round(0.5) == 0, round(1.5) == 2).
    r = np.floor(x)
    d = x - r
    if d > 0.5:
        return r + 1.0
    if d == 0.5 and (r % 2.0) == 1.0:
        return r + 1.0
    return r


@numba.njit(cache=True)
def step_kernel(
    order, u_move, u_arrest, u_jail,
    kind, cell, status, jail, hardship, risk,
    grid_id, code, wrap_x, wrap_y, shift, height,
    cit_v, cop_v,
    legitimacy, threshold, k, max_jail, rule, movement,
    counts,
):  # fmt: skip
    """Advance every agent once, in ``order``; update ``counts = [quiet, active, jailed]`` in place.

    Neighbourhoods are von Neumann diamonds of radius ``cit_v`` / ``cop_v``, scanned row by
    row with the centre included (the centre's own code is then corrected for). ``wrap_x`` and
    ``wrap_y`` are lookup tables shifted by ``shift`` (the largest vision), so that
    ``wrap_x[x + dx + shift]`` wraps any ``dx`` in ``[-shift, shift]`` without a modulo.
    Counting is branchless (each comparison adds 0 or 1 and each buffer slot is written, then
    kept or overwritten) because cell codes are random and a branch per cell would be
    mispredicted about half the time.
    """
    vmax = max(cit_v, cop_v)
    size = 2 * vmax * (vmax + 1) + 1
    empty_buf = np.empty(size, dtype=np.int64)
    act_buf = np.empty(size, dtype=np.int64)
    one_minus_l = 1.0 - legitimacy
    for a in order:
        c = cell[a]
        x = c // height
        y = c - x * height
        is_cit = kind[a] == CITIZEN
        if is_cit and jail[a] > 0:
            jail[a] -= 1
            continue
        v = cit_v if is_cit else cop_v
        n_empty = 0
        n_act = 0
        n_cop = 0
        for dx in range(-v, v + 1):
            row = wrap_x[x + dx + shift] * height
            span = v - abs(dx)
            for dy in range(-span, span + 1):
                nc = row + wrap_y[y + dy + shift]
                cd = code[nc]
                n_cop += cd == COP_CELL
                act_buf[n_act] = nc
                n_act += cd == ACTIVE_CELL
                empty_buf[n_empty] = nc
                n_empty += cd == EMPTY
        if is_cit:
            # The diamond included her own cell; Mesa and Epstein count her once as active.
            actives = n_act - (code[c] == ACTIVE_CELL) + 1
            ratio = n_cop / actives
            if rule == RULE_MESA:
                ratio = _round_half_even(ratio)
            elif rule == RULE_NETLOGO:
                ratio = np.floor(ratio)
            p_arrest = 1.0 - np.exp(-k * ratio)
            grievance = hardship[a] * one_minus_l
            old = status[a]
            new = ACTIVE if grievance - risk[a] * p_arrest > threshold else QUIET
            if new != old:
                counts[old] -= 1
                counts[new] += 1
                status[a] = new
            code[c] = ACTIVE_CELL if new == ACTIVE else QUIET_CELL
        elif n_act > 0:
            target_cell = act_buf[int(u_arrest[a] * n_act)]
            t = grid_id[target_cell]
            status[t] = JAILED
            jail[t] = int(u_jail[a] * (max_jail + 1))  # uniform on 0..max_jail, like randint
            counts[ACTIVE] -= 1
            counts[JAILED] += 1
            code[target_cell] = JAILED_CELL
        if movement and n_empty > 0:
            dest = empty_buf[int(u_move[a] * n_empty)]
            code[dest] = code[c]
            code[c] = EMPTY
            grid_id[dest] = a
            grid_id[c] = -1
            cell[a] = dest
