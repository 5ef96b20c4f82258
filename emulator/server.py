"""Running the app under uvicorn: start-up lines, readiness, graceful shutdown.

On SIGINT or SIGTERM uvicorn finishes in-flight requests and closes WebSockets; the contract
then wants exit status 0, while uvicorn re-raises the signal after a graceful stop (which would
end the process with -15). ``EmulatorServer`` keeps uvicorn's handling but not the re-raise.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
import threading
import time
import warnings
from collections.abc import Generator
from datetime import UTC, datetime
from types import FrameType

import uvicorn

from emulator.app import StartupError, build_state, create_app
from emulator.auth.generated import generated_credentials_file
from emulator.function_watch import FunctionWatcher
from emulator.reload import Reloader, SettingsLoader
from emulator.settings import Settings
from emulator.state import AppState
from emulator.tls import TlsError, ca_cert_path, ensure_tls


def startup_lines(state: AppState, port: int | None = None) -> list[str]:
    """The lines the contract asks for, one per line, in order (``port``: the one bound, which
    differs from the setting when it is 0)."""
    settings = state.settings
    port = port or settings.port
    web, socket = ("https", "wss") if settings.tls else ("http", "ws")
    base = f"{web}://{settings.public_host}:{port}"
    lines = [
        f"GraphQL endpoint: {base}/graphql",
        f"Realtime endpoint: {socket}://{settings.public_host}:{port}/graphql/realtime",
        f"DynamoDB endpoint: {settings.dynamodb_endpoint or base}",
        f"Explorer: {base}/",
    ]
    modes = settings.auth.modes
    usable = [k for k in settings.auth.api_keys if k.expires is None or k.expires > datetime.now(UTC)]
    if "API_KEY" in modes and usable:
        lines.append(f"API key: {usable[0].key}")
    if "AWS_IAM" in modes and settings.auth.iam.credentials:
        credential = settings.auth.iam.credentials[0]
        lines.append(f"IAM access key id: {credential.access_key_id}")
        generated = generated_credentials_file(settings.data_dir, credential.access_key_id)
        if generated is not None:  # a local dev key: its secret is printed, configured ones are the user's
            lines.append(f"IAM secret access key: {credential.secret_access_key} (generated, kept in {generated})")
    if settings.tls:
        ca = ca_cert_path(settings.data_dir)
        lines.append(f"TLS CA certificate: {ca}")
        lines.append(f"  trust it: NODE_EXTRA_CA_CERTS={ca} for Node; the system or browser store for browsers"
                     " (README: TLS)")
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


def bind_listener(host: str, port: int) -> socket.socket:
    """The listening socket, bound here rather than by uvicorn, so that a port in use (or a host
    that is not this machine's) stops the start with one line of ours before any table is opened;
    uvicorn would log its own error line and then exit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family=family)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
    except OSError:
        listener.close()
        raise
    listener.set_inheritable(True)
    return listener


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
        listener = bind_listener(settings.host, settings.port)
    except OSError as exc:
        print(f"appsync-emulator: cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    try:
        tls = ensure_tls(settings.data_dir, settings.host) if settings.tls else None
        state = build_state(settings)
    except (StartupError, TlsError) as exc:
        listener.close()
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
        ssl_certfile=str(tls.server) if tls else None,  # the file holds the chain and the key
    )
    server = EmulatorServer(config, state)
    try:
        server.run(sockets=[listener])
    except SystemExit:  # uvicorn exits when it cannot start; it has logged the reason above
        pass
    if not server.started:
        print(f"appsync-emulator: could not start serving on {settings.host}:{settings.port} (see above)", file=sys.stderr)
        return 2
    return 0
