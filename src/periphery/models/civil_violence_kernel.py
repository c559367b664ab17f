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


@numba.njit(cache=True, inline="always")
def _put(pcode, x, y, val, width, height, halo, ph):
    # Write a cell's code into the padded grid and into its halo copies (at most one extra
    # copy per axis, since validation ensures width, height >= 2 * halo + 1).
    px0 = x + halo
    px1 = px0 + width if x < halo else (px0 - width if x >= width - halo else -1)
    py0 = y + halo
    py1 = py0 + height if y < halo else (py0 - height if y >= height - halo else -1)
    pcode[px0 * ph + py0] = val
    if px1 >= 0:
        pcode[px1 * ph + py0] = val
        if py1 >= 0:
            pcode[px1 * ph + py1] = val
    if py1 >= 0:
        pcode[px0 * ph + py1] = val


@numba.njit(cache=True, inline="always")
def _nth(pcode, x, y, v, halo, ph, want, r, per_row):
    # Padded index of the r-th cell (in scan order) of the diamond whose code is `want`;
    # per_row[i] counts such cells in row i, so only one row is scanned cell by cell.
    i = 0
    while r >= per_row[i]:
        r -= per_row[i]
        i += 1
    dx = i - v
    base = (x + halo + dx) * ph + y + halo
    span = v - abs(dx)
    for j in range(base - span, base + span + 1):
        if pcode[j] == want:
            if r == 0:
                return j
            r -= 1
    return -1


@numba.njit(cache=True)
def step_kernel(
    order, u_move, u_arrest, u_jail,
    kind, cell, status, jail, hardship, risk,
    grid_id, pcode, width, height, halo,
    cit_v, cop_v,
    legitimacy, threshold, k, max_jail, rule, movement,
    counts,
):  # fmt: skip
    """Advance every agent once, in ``order``; update ``counts = [quiet, active, jailed]`` in place.

    ``pcode`` is the grid of cell codes padded by ``halo`` (the largest vision) on every side,
    the padding holding copies of the cells across the torus edge, so that each row of a
    von Neumann diamond is a contiguous slice and the counting loop needs no wrapping. A
    first pass only counts cops, actives and empty cells, per row, in loops the compiler can
    vectorize; the randomly chosen empty cell or active citizen is then found by skipping whole
    rows by their counts and scanning one row.
    """
    ph = height + 2 * halo
    one_minus_l = 1.0 - legitimacy
    rows = 2 * max(cit_v, cop_v) + 1
    row_act = np.zeros(rows, dtype=np.int64)
    row_empty = np.zeros(rows, dtype=np.int64)
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
            base = (x + halo + dx) * ph + y + halo
            span = v - abs(dx)
            r_act = 0
            r_empty = 0
            for j in range(base - span, base + span + 1):
                cd = pcode[j]
                n_cop += cd == COP_CELL
                r_act += cd == ACTIVE_CELL
                r_empty += cd == EMPTY
            row_act[dx + v] = r_act
            row_empty[dx + v] = r_empty
            n_act += r_act
            n_empty += r_empty
        own = pcode[(x + halo) * ph + y + halo]
        if is_cit:
            # The diamond included her own cell; Mesa and Epstein count her once as active.
            actives = n_act - (own == ACTIVE_CELL) + 1
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
            own = ACTIVE_CELL if new == ACTIVE else QUIET_CELL
            _put(pcode, x, y, own, width, height, halo, ph)
        elif n_act > 0:
            j = _nth(pcode, x, y, v, halo, ph, ACTIVE_CELL, int(u_arrest[a] * n_act), row_act)
            tx = (j // ph - halo + width) % width
            ty = (j % ph - halo + height) % height
            t = grid_id[tx * height + ty]
            status[t] = JAILED
            jail[t] = int(u_jail[a] * (max_jail + 1))  # uniform on 0..max_jail, like randint
            counts[ACTIVE] -= 1
            counts[JAILED] += 1
            _put(pcode, tx, ty, JAILED_CELL, width, height, halo, ph)
        if movement and n_empty > 0:
            j = _nth(pcode, x, y, v, halo, ph, EMPTY, int(u_move[a] * n_empty), row_empty)
            tx = (j // ph - halo + width) % width
            ty = (j % ph - halo + height) % height
            dest = tx * height + ty
            _put(pcode, tx, ty, own, width, height, halo, ph)
            _put(pcode, x, y, EMPTY, width, height, halo, ph)
            grid_id[dest] = a
            grid_id[c] = -1
            cell[a] = dest
