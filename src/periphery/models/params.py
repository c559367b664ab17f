"""Parameter declarations for models; the helpers live in the engine (see ``periphery.engine.params``)."""

from periphery.engine.params import Params, allowed, describe, param

__all__ = ["Params", "allowed", "describe", "param"]
