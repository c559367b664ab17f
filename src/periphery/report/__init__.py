"""Plots and static reports made from stored runs and sweeps."""

from periphery.report.plots import plot_series
from periphery.report.run_report import ReportFiles, run_report
from periphery.report.sweep_report import sweep_report

__all__ = ["ReportFiles", "plot_series", "run_report", "sweep_report"]
