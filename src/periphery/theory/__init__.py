"""The seed theory as cited mechanisms over the world schema; frameworks name the mechanism sets.

Family modules (``grievance``, ``activation``, ...) register their mechanisms with
``base.register``; ``base.load_all()`` imports them all.
"""

from periphery.theory.base import REGISTRY, TheoryMechanism, by_mid, load_all, register
from periphery.theory.frameworks import FRAMEWORK_NAMES, FRAMEWORKS, build_schedule, mechanism_classes, param_tables

__all__ = [
    "FRAMEWORKS",
    "FRAMEWORK_NAMES",
    "REGISTRY",
    "TheoryMechanism",
    "build_schedule",
    "by_mid",
    "load_all",
    "mechanism_classes",
    "param_tables",
    "register",
]
