"""Complete model assemblies built on the engine, and the registry the CLI reads."""

from periphery.models.registry import MODELS, ModelSpec, get_model

__all__ = ["MODELS", "ModelSpec", "get_model"]
