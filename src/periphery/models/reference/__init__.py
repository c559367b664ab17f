"""Slow, literal pure-Python twins of the compiled models, for equivalence tests only."""
