"""The dependency direction of design.md, checked by import-linter's contract in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

import periphery

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is a dev dependency; `make test` installs it"
    res = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], capture_output=True,
                         text=True, cwd=ROOT)
    assert res.returncode == 0, res.stdout + res.stderr


def test_public_namespace():
    assert periphery.__all__ == ["__version__"]
    from periphery import engine

    for name in engine.__all__:
        assert hasattr(engine, name), name
