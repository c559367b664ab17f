"""Scenario files: the pydantic schema and the TOML loader with line-precise, one-line errors."""

from periphery.scenarios.loader import ScenarioError, load_params, load_scenario
from periphery.scenarios.schema import Country, Event, Organization, Scenario

__all__ = ["Country", "Event", "Organization", "Scenario", "ScenarioError", "load_params", "load_scenario"]
