"""Running the app under uvicorn: start-up lines, readiness, graceful shutdown.

On SIGINT or SIGTERM uvicorn finishes in-flight requests and closes WebSockets; the contract
then wants exit status 0, while uvicorn re-raises the signal after a graceful stop (which would
end the process with -15). ``EmulatorServer`` keeps uvicorn's handling but not the re-raise.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
import warnings
from collections.abc import Generator
from datetime import UTC, datetime
from types import FrameType

import uvicorn

from emulator.app import StartupError, build_state, create_app
from emulator.function_watch import FunctionWatcher
from emulator.reload import Reloader, SettingsLoader
from emulator.settings import Settings
from emulator.state import AppState


def startup_lines(state: AppState, port: int | None = None) -> list[str]:
    """The lines the contract asks for, one per line, in order (``port``: the one bound, which
    differs from the setting when it is 0)."""
    settings = state.settings
    port = port or settings.port
    base = f"http://{settings.public_host}:{port}"
    lines = [
        f"GraphQL endpoint: {base}/graphql",
        f"Realtime endpoint: ws://{settings.public_host}:{port}/graphql/realtime",
        f"DynamoDB endpoint: {settings.dynamodb_endpoint or base}",
        f"Explorer: {base}/",
    ]
    modes = settings.auth.modes
    usable = [k for k in settings.auth.api_keys if k.expires is None or k.expires > datetime.now(UTC)]
    if "API_KEY" in modes and usable:
        lines.append(f"API key: {usable[0].key}")
    if "AWS_IAM" in modes and settings.auth.iam.credentials:
        lines.append(f"IAM access key id: {settings.auth.iam.credentials[0].access_key_id}")
    return lines


class EmulatorServer(uvicorn.Server):
    """uvicorn's server, printing our start-up lines and exiting 0 on SIGINT/SIGTERM."""

    def __init__(self, config: uvicorn.Config, state: AppState) -> None:
        super().__init__(config)
        self.state = state

    async def startup(self, sockets: list | None = None) -> None:  # type: ignore[type-arg]
        await super().startup(sockets)
        if self.started:
            port = self._bound_port() or self.state.settings.port
            self.state.functions.serve_at(f"http://{self.state.settings.public_host}:{port}")
            for line in startup_lines(self.state, port):
                print(line, flush=True)
            print(f"Ready in {time.perf_counter() - self.state.started_at:.2f}s", flush=True)

    def _bound_port(self) -> int | None:
        for server in self.servers:
            for sock in server.sockets or ():
                return int(sock.getsockname()[1])
        return None

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self._graceful_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)

    def _graceful_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True  # a second Ctrl-C stops waiting for in-flight work
        self.should_exit = True


def _ws_frame_ceiling(settings: Settings) -> int:
    """Frames up to 4x the message limit are read and answered with AppSync's size error; larger
    ones close the socket (1009) before they are buffered."""
    return max(1024 * 1024, 4 * settings.limits.max_message_bytes)


def serve(settings: Settings, reload_settings: SettingsLoader | None = None) -> int:
    """Serve until SIGINT/SIGTERM. With ``reload_settings``, schema and config changes are
    picked up without a restart (hot reload)."""
    # uvicorn flags its "websockets" implementation as legacy; it is the one the real-time
    # endpoint is tested with, so users are not shown that warning at every start.
    warnings.filterwarnings("ignore", message=".*websockets.*implementation is deprecated", category=UserWarning)
    try:
        state = build_state(settings)
    except StartupError as exc:
        print(f"appsync-emulator: {exc}", file=sys.stderr)
        return 2
    background = []
    if reload_settings:
        reloader = Reloader(state, reload_settings)
        background = [reloader.run, FunctionWatcher(state, reloader.reload_once).run]
    config = uvicorn.Config(
        create_app(state, background),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        ws="websockets",
        lifespan="on",
        timeout_graceful_shutdown=10,
        ws_max_size=_ws_frame_ceiling(settings),
    )
    server = EmulatorServer(config, state)
    try:
        server.run()
    except SystemExit:  # uvicorn exits when it cannot bind; it has logged the reason above
        pass
    if not server.started:
        print(f"appsync-emulator: cannot listen on {settings.host}:{settings.port}", file=sys.stderr)
        return 2
    return 0
