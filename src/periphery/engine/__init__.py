"""The engine: state as structure-of-arrays, seeded RNG streams, spaces, the step loop, recorders.

It knows nothing about any particular model; models assemble these parts.
"""

from periphery.engine.loop import Model, run
from periphery.engine.network import CSRNetwork
from periphery.engine.recorder import Recorder
from periphery.engine.rng import Streams
from periphery.engine.space import TorusGrid
from periphery.engine.state import Column, Schema, State, Table

__all__ = [
    "CSRNetwork",
    "Column",
    "Model",
    "Recorder",
    "Schema",
    "State",
    "Streams",
    "Table",
    "TorusGrid",
    "run",
]
