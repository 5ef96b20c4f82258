"""``serve --tls`` over the real wire: HTTPS, WSS and the DynamoDB API on the one port, the CA printed.

Real clients over TLS (aws-amplify v6 in Node with no shim, and in Chromium) are in
tests/e2e/test_client_recipes.py; this module checks the server side with Python clients.
"""

from __future__ import annotations

import base64
import json
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets.sync.client

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.waiting import eventually
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    running = start_emulator(BLOG_SCHEMA, BLOG_CONFIG, data_dir=tmp_path_factory.mktemp("tls"), extra_args=["--tls"])
    yield running
    running.stop()


def test_start_lines_name_https_wss_and_the_ca_to_trust(server: RunningEmulator) -> None:
    ca = server.ca_file
    assert ca is not None and ca.is_file() and ca.is_absolute()
    assert server.startup["GraphQL endpoint"] == f"https://127.0.0.1:{server.port}/graphql"
    assert server.startup["Realtime endpoint"] == f"wss://127.0.0.1:{server.port}/graphql/realtime"
    assert server.startup["DynamoDB endpoint"] == f"https://127.0.0.1:{server.port}"
    assert any(f"NODE_EXTRA_CA_CERTS={ca}" in line for line in server.output), server.output


def test_graphql_over_https_trusting_only_the_printed_ca(server: RunningEmulator) -> None:
    created = server.graphql('mutation { createBlog(input: {name: "Over TLS"}) { name } }')
    assert created.json() == {"data": {"createBlog": {"name": "Over TLS"}}}
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.post(server.graphql_url, json={"query": "{ __typename }"})  # the system store does not know our CA
    with pytest.raises(httpx.HTTPError):
        httpx.post(f"http://127.0.0.1:{server.port}/graphql", json={"query": "{ __typename }"}, timeout=5)


def test_the_real_time_protocol_over_wss(server: RunningEmulator) -> None:
    context = ssl.create_default_context(cafile=str(server.ca_file))
    header = {"host": server.host, "x-api-key": server.api_key}
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).decode().rstrip("=")
    with websockets.sync.client.connect(
        server.realtime_url, ssl=context, subprotocols=["graphql-ws", f"header-{encoded}"], open_timeout=10
    ) as socket:
        socket.send(json.dumps({"type": "connection_init"}))
        assert json.loads(socket.recv(timeout=10))["type"] == "connection_ack"


def test_the_explorer_is_served_over_https(server: RunningEmulator) -> None:
    page = httpx.get(server.base_url + "/", verify=server.verify)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


def test_the_dynamodb_api_over_https(server: RunningEmulator) -> None:
    tables = server.dynamodb().list_tables()["TableNames"]
    assert "Blog-emulator-local" in tables


def test_the_config_key_turns_it_on_and_the_ca_survives_a_restart(tmp_path: Path) -> None:
    config = "tls = true\n" + BLOG_CONFIG
    first = start_emulator(BLOG_SCHEMA, config, data_dir=tmp_path)
    try:
        ca = first.ca_file.read_bytes() if first.ca_file else b""
        assert first.tls and ca.startswith(b"-----BEGIN CERTIFICATE-----")
    finally:
        first.stop()
    again = start_emulator(BLOG_SCHEMA, config, data_dir=tmp_path)
    try:
        assert again.ca_file is not None and again.ca_file.read_bytes() == ca  # clients that trust it still do
        assert again.graphql("{ listBlogs { items { id } } }").status_code == 200
        # Hot reload cannot switch TLS on the listening socket: it says so and keeps serving HTTPS.
        assert again.config_path is not None
        again.config_path.write_text("tls = false\n" + BLOG_CONFIG)
        eventually(lambda: any("Reloaded the API" in line for line in again.output))
        assert any("the tls setting changed; restart" in line for line in again.output), again.output
        assert again.graphql("{ listBlogs { items { id } } }").status_code == 200
    finally:
        again.stop()


def test_a_damaged_ca_key_stops_the_start_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "tls").mkdir()
    (tmp_path / "tls" / "ca-key.pem").write_text("damaged")
    done = subprocess.run(
        [sys.executable, "-m", "emulator", "serve", str(BLOG_SCHEMA), "--tls", "--data-dir", str(tmp_path),
         "--in-memory", "--port", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith(f"appsync-emulator: {tmp_path / 'tls' / 'ca-key.pem'}: not a PEM")
    assert "Traceback" not in done.stderr
