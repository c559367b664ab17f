"""Running models and storing their results: single runs now; sweeps and ensembles build on these."""

from periphery.experiments.single import RunResult, Target, TargetError, resolve_target, run_target

__all__ = ["RunResult", "Target", "TargetError", "resolve_target", "run_target"]
