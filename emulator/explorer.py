"""The explorer page at ``GET /``: a minimal query console served from the package.

Every asset is served from the package (no CDN), so it works offline.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"


async def page(request: Request) -> Response:
    return HTMLResponse((STATIC_DIR / "explorer.html").read_text(encoding="utf-8"))


def routes() -> list[BaseRoute]:
    return [Mount("/explorer", app=StaticFiles(directory=STATIC_DIR), name="explorer")]
