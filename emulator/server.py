"""Running the app under uvicorn: start-up lines, readiness, graceful shutdown.

uvicorn handles SIGINT/SIGTERM by finishing in-flight requests, closing WebSockets (close frame
1012 "service restart" becomes 1001 here via the app's shutdown) and returning, so ``serve``
returns 0 and the process exits cleanly.
"""

from __future__ import annotations

import sys
import time

import uvicorn

from emulator.app import StartupError, build_state, create_app
from emulator.settings import Settings
from emulator.state import AppState


def startup_lines(state: AppState) -> list[str]:
    """The lines the contract asks for, one per line, in order."""
    settings = state.settings
    base = f"http://{settings.public_host}:{settings.port}"
    lines = [
        f"GraphQL endpoint: {base}/graphql",
        f"Realtime endpoint: ws://{settings.public_host}:{settings.port}/graphql/realtime",
        f"DynamoDB endpoint: {settings.dynamodb_endpoint or base}",
        f"Explorer: {base}/",
    ]
    modes = settings.auth.modes
    if "API_KEY" in modes and settings.auth.api_keys:
        lines.append(f"API key: {settings.auth.api_keys[0].key}")
    if "AWS_IAM" in modes and settings.auth.iam.credentials:
        lines.append(f"IAM access key id: {settings.auth.iam.credentials[0].access_key_id}")
    return lines


def serve(settings: Settings) -> int:
    try:
        state = build_state(settings)
    except StartupError as exc:
        print(f"appsync-emulator: {exc}", file=sys.stderr)
        return 2
    app = create_app(state)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        ws="websockets",
        lifespan="on",
        timeout_graceful_shutdown=10,
    )
    server = uvicorn.Server(config)
    original_startup = server.startup

    async def startup(sockets=None):  # type: ignore[no-untyped-def]
        await original_startup(sockets)
        if server.started:
            for line in startup_lines(state):
                print(line, flush=True)
            print(f"Ready in {time.perf_counter() - state.started_at:.2f}s", flush=True)

    server.startup = startup  # type: ignore[method-assign]
    try:
        server.run()
    except OSError as exc:
        print(f"appsync-emulator: cannot listen on {settings.host}:{settings.port}: {exc}", file=sys.stderr)
        return 2
    return 0 if server.started else 2
