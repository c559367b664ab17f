"""Starting the dashboard: Solara's Starlette app under uvicorn, bound to 127.0.0.1 by default.

Solara reads its settings from the environment when imported, so they are set here first:
production mode (no hot reload, no check that calls solara.dev), no usage telemetry, and
no banner. The page's scripts and styles come from the ``solara-assets`` package, installed
in the environment, so the browser fetches nothing from any other host.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"


def environment(out: str | os.PathLike[str]) -> dict[str, str]:
    """The environment variables the server runs with (the store folder among them)."""
    return {
        "PERIPHERY_STORE": str(Path(out).resolve()),
        "SOLARA_APP": "periphery.app.dashboard",
        "SOLARA_MODE": "production",
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_THEME_SHOW_BANNER": "false",
        "SOLARA_THEME_TITLE": "periphery",
    }


def serve(out: str | os.PathLike[str], host: str = DEFAULT_HOST, port: int = 8765) -> None:
    """Serve the dashboard for the run store at ``out`` on ``http://host:port`` until interrupted."""
    os.environ.update(environment(out))
    import uvicorn

    print(f"periphery dashboard on http://{host}:{port} (store {Path(out).resolve()}); Ctrl-C stops it",
          flush=True)  # fmt: skip
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning",
                workers=1)  # fmt: skip
