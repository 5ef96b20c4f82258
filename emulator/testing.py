"""Start the emulator from tests: used by our own suite and offered to users as a pytest plugin.

The emulator runs in a subprocess (``python -m emulator serve``) on a free loopback port, so its
modules never clash with the code under test, and the test talks to it only over the wire, as a
real client does. ``RunningEmulator`` carries the URLs, the API key and helpers for the common
calls; ``emulator_server`` (a pytest fixture factory) starts servers and stops them at the end.
"""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

EMULATOR_COMMAND = (sys.executable, "-P", "-m", "emulator")
"""How the plugin runs the emulator: ``-P`` keeps the user's folder off ``sys.path``, so nothing of theirs
is imported by accident (our own modules live under the one top-level name ``emulator``)."""


class EmulatorStartError(RuntimeError):
    """The emulator did not become ready; carries its output."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningEmulator:
    """A started emulator and what a test needs to reach it."""

    process: subprocess.Popen[str]
    port: int
    data_dir: Path
    config_path: Path | None
    startup: dict[str, str] = field(default_factory=dict)  # "API key" -> value, … from the start-up lines
    output: list[str] = field(default_factory=list)

    @property
    def tls(self) -> bool:
        """Serving HTTPS and WSS (``--tls``), as its start-up lines say."""
        return self.startup.get("GraphQL endpoint", "").startswith("https://")

    @property
    def ca_file(self) -> Path | None:
        """With ``--tls``: the CA certificate to trust (``NODE_EXTRA_CA_CERTS``, ``verify=``)."""
        path = self.startup.get("TLS CA certificate")
        return Path(path) if path else None

    @property
    def verify(self) -> ssl.SSLContext | bool:
        """httpx's ``verify``: a context trusting the emulator's CA with ``--tls``, else the default."""
        return ssl.create_default_context(cafile=str(self.ca_file)) if self.ca_file else True

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def graphql_url(self) -> str:
        return f"{self.base_url}/graphql"

    @property
    def realtime_url(self) -> str:
        return f"{'wss' if self.tls else 'ws'}://127.0.0.1:{self.port}/graphql/realtime"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def api_key(self) -> str | None:
        return self.startup.get("API key")

    @property
    def iam_access_key_id(self) -> str | None:
        return self.startup.get("IAM access key id")

    def graphql(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        api_key: str | None = None,
        token: str | None = None,
        operation_name: str | None = None,
        timeout: float = 30,
    ) -> httpx.Response:
        """POST a GraphQL request; by default authenticated with the API key."""
        sent = dict(headers or {})
        if token is not None:
            sent.setdefault("Authorization", token)
        elif "authorization" not in {k.lower() for k in sent}:
            key = api_key or self.api_key
            if key:
                sent.setdefault("x-api-key", key)
        body: dict[str, Any] = {"query": query, "variables": dict(variables or {})}
        if operation_name:
            body["operationName"] = operation_name
        return httpx.post(self.graphql_url, json=body, headers=sent, timeout=timeout, verify=self.verify)

    def token(self, username: str, *, groups: tuple[str, ...] = (), extra: list[str] | None = None) -> str:
        """A user-pool JWT for ``username`` minted by ``appsync-emulator token`` with our config."""
        command = [*EMULATOR_COMMAND, "token", "--username", username, "--data-dir", str(self.data_dir)]
        if self.config_path:
            command += ["--config", str(self.config_path)]
        if groups:
            command += ["--groups", ",".join(groups)]
        command += extra or []
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"token command failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def iam_graphql(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        session_token: str | None = None,
        guest: bool = False,
        timeout: float = 30,
    ) -> httpx.Response:
        """POST a GraphQL request signed with SigV4 (service ``appsync``) as a Lambda or a server
        signs it with botocore. Without keys: the config's ``[[auth.iam.credentials]]`` entry for
        ``access_key_id`` (default the first), else the key pair generated into the data dir (a
        signed-in identity-pool user's; ``guest=True``: the generated guest's, with the unauth role)."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        if secret_access_key is None:
            access_key_id, secret_access_key, session_token = self._iam_key_pair(access_key_id, guest)
        body = json.dumps({"query": query, "variables": dict(variables or {})})
        request = AWSRequest("POST", self.graphql_url, data=body, headers={"content-type": "application/json"})
        credentials = Credentials(access_key_id, secret_access_key, session_token)
        SigV4Auth(credentials, "appsync", self._iam_settings().get("region", "us-east-1")).add_auth(request)
        return httpx.post(self.graphql_url, content=body, headers=dict(request.headers), timeout=timeout,
                          verify=self.verify)

    def _iam_settings(self) -> dict[str, Any]:
        """``[auth.iam]`` of the config, read with tomllib so the emulator's modules stay out of the test."""
        if self.config_path is None:
            return {}
        config = tomllib.loads(self.config_path.read_text(encoding="utf-8"))
        return config.get("auth", {}).get("iam", {})

    def _iam_key_pair(self, access_key_id: str | None, guest: bool = False) -> tuple[str, str, str | None]:
        for entry in self._iam_settings().get("credentials", []):
            if access_key_id in (None, entry["access_key_id"]) and not guest:
                return entry["access_key_id"], entry["secret_access_key"], entry.get("session_token")
        name = "generated-guest-credentials.json" if guest else "generated-credentials.json"
        generated = self.data_dir / "auth" / name
        if generated.exists():
            iam = json.loads(generated.read_text(encoding="utf-8"))["iam"]
            if access_key_id in (None, iam["access_key_id"]):
                return iam["access_key_id"], iam["secret_access_key"], None
        raise KeyError(f"no IAM key pair {access_key_id or ''} in the config or the data dir; pass secret_access_key")

    def dynamodb(self) -> Any:
        """A boto3 DynamoDB client on the same tables (through the emulator's port)."""
        import boto3

        return boto3.client(
            "dynamodb",
            endpoint_url=self.base_url,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
            verify=str(self.ca_file) if self.ca_file else None,
        )

    def stop(self, timeout: float = 15) -> int:
        """SIGTERM, wait for a graceful exit; returns the exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        return self.process.returncode


_STARTUP_LINE = re.compile(
    r"^(GraphQL endpoint|Realtime endpoint|DynamoDB endpoint|Explorer|API key|IAM access key id|TLS CA certificate): (.+)$"
)


def start_emulator(
    schema: str | Path,
    config: str | None = None,
    *,
    data_dir: Path | None = None,
    in_memory: bool = True,
    extra_args: list[str] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
) -> RunningEmulator:
    """Start ``appsync-emulator serve`` on a free port and wait until ``POST /graphql`` answers.

    ``config`` is TOML text, written beside a temporary data dir (relative paths in it resolve
    against that folder; use absolute ones).
    """
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="appsync-emulator-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    config_path = None
    if config is not None:
        config_path = data_dir / "appsync-emulator.toml"
        config_path.write_text(config, encoding="utf-8")
    port = free_port()
    command = [*EMULATOR_COMMAND, "serve", str(schema), "--port", str(port), "--data-dir", str(data_dir)]
    if config_path:
        command += ["--config", str(config_path)]
    if in_memory:
        command.append("--in-memory")
    command += extra_args or []
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    running = RunningEmulator(process=process, port=port, data_dir=data_dir, config_path=config_path)
    threading.Thread(target=_pump, args=(running,), daemon=True).start()
    _wait_ready(running, timeout)
    return running


def _pump(running: RunningEmulator) -> None:
    assert running.process.stdout is not None
    for line in running.process.stdout:
        line = line.rstrip("\n")
        running.output.append(line)
        match = _STARTUP_LINE.match(line)
        if match:
            running.startup[match[1]] = match[2]


def _wait_ready(running: RunningEmulator, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise EmulatorStartError("emulator exited during start:\n" + "\n".join(running.output))
        if "Explorer" in running.startup:
            try:  # with --tls the CA line follows the endpoints: until it is read, verification fails
                httpx.post(running.graphql_url, content=b"", timeout=2, verify=running.verify)
                return
            except httpx.HTTPError:
                pass
        time.sleep(0.05)
    running.stop()
    raise EmulatorStartError("emulator not ready in time:\n" + "\n".join(running.output))


class EmulatorFactory:
    """Starts emulators on demand and stops them all at the end; same arguments, same server."""

    def __init__(self) -> None:
        self._running: dict[str, RunningEmulator] = {}

    def __call__(self, schema: str | Path, config: str | None = None, **kwargs: Any) -> RunningEmulator:
        key = json.dumps([str(schema), config, sorted((k, str(v)) for k, v in kwargs.items())])
        running = self._running.get(key)
        if running is None or running.process.poll() is not None:
            running = start_emulator(schema, config, **kwargs)
            self._running[key] = running
        return running

    def close(self) -> None:
        for running in self._running.values():
            running.stop()
        self._running.clear()


try:  # the pytest plugin part: only when pytest is there
    import pytest

    @pytest.fixture(scope="session")
    def emulator_server() -> Iterator[EmulatorFactory]:
        """``emulator_server(schema, config_toml) -> RunningEmulator``; servers stop after the session."""
        factory = EmulatorFactory()
        try:
            yield factory
        finally:
            factory.close()

except ImportError:  # pragma: no cover - the emulator itself does not need pytest
    pass
