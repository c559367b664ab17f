"""Seeded random streams.

Every random number in periphery flows from one run seed through ``numpy.random.SeedSequence``.
A run gets a root sequence; each named part of a model (placement, activation order, a rule)
draws from its own child stream, so adding draws to one part does not shift any other part,
and the same seed gives the same numbers on every machine.
"""

from __future__ import annotations

import hashlib

import numpy as np


# Named streams live under a tag no spawned replicate index reaches in practice, so a named
# stream never coincides with ``spawn()``'s children (keys 0, 1, 2, ...).
_NAMED = 0xFFFFFFFF


def _name_key(name: str) -> int:
    # A stable 32-bit key per stream name (Python's hash() is salted per process).
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "little")


class Streams:
    """Named, independent ``Generator`` streams derived from one seed.

    Parameters
    ----------
    seed : int or numpy.random.SeedSequence
        The run seed (a non-negative integer) or an already spawned sequence.
    """

    def __init__(self, seed: int | np.random.SeedSequence) -> None:
        if isinstance(seed, np.random.SeedSequence):
            self.root = seed
        else:
            if int(seed) < 0:
                raise ValueError(f"seed must be a non-negative integer; got {seed}")
            self.root = np.random.SeedSequence(int(seed))
        self._streams: dict[str, np.random.Generator] = {}

    def __call__(self, name: str) -> np.random.Generator:
        """The generator for stream ``name`` (created on first use, then reused)."""
        gen = self._streams.get(name)
        if gen is None:
            child = np.random.SeedSequence(
                entropy=self.root.entropy,
                spawn_key=(*self.root.spawn_key, _NAMED, _name_key(name)),
                pool_size=self.root.pool_size,
            )
            gen = np.random.Generator(np.random.PCG64(child))
            self._streams[name] = gen
        return gen

    def spawn(self, n: int) -> list[np.random.SeedSequence]:
        """``n`` independent child sequences, e.g. one per replicate."""
        return self.root.spawn(n)

    @property
    def entropy(self) -> int:
        """The root entropy, recorded in run metadata so a run can be replayed."""
        return int(self.root.entropy)
