"""The ``periphery`` command, one module per group of commands.

``app.py`` holds the Typer app, the run commands and the error handling; other modules add
their commands to that app when imported here.
"""

from periphery.cli import docs, sweep, validate, view  # noqa: F401  (modules register their commands)
from periphery.cli.app import app, main

__all__ = ["app", "main"]
