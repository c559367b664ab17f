"""What a run's manifest records besides its identity: versions, timings, the machine."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

PACKAGES = ("numpy", "numba", "pyarrow", "duckdb", "pydantic")


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages that can change a run's numbers or files."""
    out = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def environment() -> dict[str, Any]:
    """Everything a manifest records that does not enter the run id."""
    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "packages": package_versions(),
        "platform": platform.platform(),
    }
