"""Plots and static reports made from stored runs."""

from periphery.report.plots import plot_series

__all__ = ["plot_series"]
