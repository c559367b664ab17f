"""periphery: a laboratory for simulating class formation and socio-political action.

The public API is small on purpose; everything else lives in subpackages.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("periphery")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
