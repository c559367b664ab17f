"""The checks, one module per subsection of theory_spec section 6, plus P48 and the reserved list.

Reserved predictions are kept out of theory_spec and checked independently; they are listed
here by id only, never reconstructed.
"""

from __future__ import annotations

from periphery.validation.check import Check
from periphery.validation.checks import composition, core, lifecycle, regimes, strategy, structural
from periphery.validation.p48 import P48

#: Predictions kept out of theory_spec (used as an independent check of the model).
RESERVED: tuple[str, ...] = ("P4", "P9", "P12", "P14", "P21", "P28", "P29", "P37", "P49")

CHECKS: tuple[Check, ...] = tuple(sorted(
    (*lifecycle.CHECKS, *composition.CHECKS, *core.CHECKS, *regimes.CHECKS, *structural.CHECKS,
     *strategy.CHECKS, P48),
    key=lambda c: c.number,
))  # fmt: skip


def by_id(pids: list[str] | tuple[str, ...]) -> tuple[Check, ...]:
    """The checks with the given P-ids (a reserved or unknown id is a ``KeyError`` naming the allowed ones)."""
    known = {c.pid: c for c in CHECKS}
    out = []
    for p in pids:
        p = p.strip().upper()
        if p in RESERVED:
            raise KeyError(f"{p} is reserved (checked independently, not here)")
        if p not in known:
            raise KeyError(f"{p}: no such check; allowed: {', '.join(known)}")
        out.append(known[p])
    return tuple(out)


__all__ = ["CHECKS", "RESERVED", "by_id"]
