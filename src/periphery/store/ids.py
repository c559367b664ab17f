"""Run ids derived from what determines a run's result, and the code version that enters them."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import periphery


def canonical_json(obj: Any) -> str:
    """JSON with sorted keys and no whitespace, so equal content gives equal text."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)


def run_id(identity: dict[str, Any]) -> str:
    """A 16-hex-digit id from ``identity`` (model, resolved parameters, seed, steps, code version).

    Anything that changes the result must be in ``identity``; nothing else may be (no wall
    time, no output path), so the same run asked for twice gets the same id.
    """
    return hashlib.sha256(canonical_json(identity).encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def code_version() -> str:
    """The package version plus a digest of its source files.

    A git sha would miss uncommitted edits and is absent from installed copies; hashing the
    sources means any change to the code yields new run ids, and an unchanged tree keeps them.
    """
    root = Path(periphery.__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return f"{periphery.__version__}+{h.hexdigest()[:12]}"
