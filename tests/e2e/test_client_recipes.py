"""The README's client recipes (section "Clients"), run as written.

README.md includes each recipe file verbatim after a ``<!-- recipe: PATH -->`` line; the first
test keeps the two identical, the others run the files against the real-clients fixture
(tests/fixtures/clients: one ``Message`` model open to all five auth modes):

- aws-amplify v6 in Node against ``serve --tls``, with no WebSocket shim: only
  ``NODE_EXTRA_CA_CERTS`` (and, on Node 20, ``--experimental-websocket`` for Node's own
  WebSocket), configured from the ``amplify_outputs.json`` that ``--write-client-config`` wrote,
  in every mode: ``apiKey``, ``userPool`` with a token from ``appsync-emulator token`` and with
  one of a "real" pool (its JWKS on a local server), ``iam``, ``lambda`` (``authToken``);
- the same code bundled (esbuild) into a page that a local HTTP server serves, as a dev server
  would, in headless Chromium trusting the emulator's CA by its SPKI hash;
- Apollo Client 4 with the AppSync links (CommonJS) signing with IAM, and gql with the
  ``ws://…/graphql/realtime`` URL, against the plain-HTTP server.

``examples/iam-lambda/call_api.py`` (the Lambda-style botocore caller) is run by
tests/e2e/test_real_clients_py.py.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from emulator.testing import RunningEmulator, start_emulator
from tests.cognito_pool import FakePool, JwksServer, serve_pool
from tests.e2e.tools import CHROMIUM_FLAGS, JS_DIR, chromium_path, node_with_dependencies
from tests.fixtures.clients import (
    API_KEY,
    APP_CLIENT_ID,
    LAMBDA_TOKEN,
    REGION,
    SIGNED_IN_KEYS,
    USER_POOL_ID,
    start_clients_emulator,
)
from tests.node_projects import node_major
from tests.paths import ROOT

RECIPES = ROOT / "examples" / "clients"
README = ROOT / "README.md"
RECIPE_MARK = re.compile(r"<!-- recipe: (?P<path>\S+) -->\n```[a-z]*\n(?P<code>.*?)```\n", re.DOTALL)
SCRIPT_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 30_000


def readme_recipes() -> dict[str, str]:
    return {match["path"]: match["code"] for match in RECIPE_MARK.finditer(README.read_text(encoding="utf-8"))}


def test_the_readme_shows_every_recipe_file_verbatim() -> None:
    shown = readme_recipes()
    files = sorted(f"examples/clients/{p.name}" for p in RECIPES.iterdir() if p.suffix in (".mjs", ".cjs", ".py"))
    assert files and set(files) <= set(shown), f"recipes missing from README.md: {set(files) - set(shown)}"
    for path, code in shown.items():
        assert (ROOT / path).read_text(encoding="utf-8") == code, f"README.md's copy of {path} differs from the file"


# ---------------------------------------------------------------------------------------------
# Servers, the app folder and the runners


@pytest.fixture(scope="module")
def node() -> str:
    return node_with_dependencies()


@pytest.fixture(scope="module")
def pool() -> Iterator[tuple[FakePool, JwksServer]]:
    """A stand-in for the user's real pool: the fixture's pool id, with keys the emulator fetches."""
    fake = FakePool(user_pool_id=USER_POOL_ID, app_client_id=APP_CLIENT_ID, region=REGION)
    server = serve_pool(fake)
    yield fake, server
    server.stop()


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A frontend folder: the recipes, tests/js's node_modules, and the config the emulator writes."""
    folder = tmp_path_factory.mktemp("app")
    for recipe in RECIPES.iterdir():
        shutil.copy(recipe, folder / recipe.name)
    (folder / "node_modules").symlink_to(JS_DIR / "node_modules", target_is_directory=True)
    return folder


@pytest.fixture(scope="module")
def tls_server(
    node: str, app_dir: Path, pool: tuple[FakePool, JwksServer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningEmulator]:
    fake, jwks = pool
    server = start_clients_emulator(
        start_emulator, tmp_path_factory.mktemp("tls-data"), jwks_url=jwks.url(fake.jwks_path),
        extra_args=["--tls", "--write-client-config", str(app_dir)],
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    server = start_clients_emulator(start_emulator, tmp_path_factory.mktemp("plain-data"))
    yield server
    server.stop()


def run(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run a recipe with only ``env`` (and PATH, HOME); its last stdout line is its JSON result."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    done = subprocess.run(command, cwd=cwd, env={**base, **env}, capture_output=True, text=True,
                          timeout=SCRIPT_TIMEOUT_S, check=False)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines, f"{command} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return json.loads(lines[-1])


def node_command(node: str, script: str) -> list[str]:
    """Node's own WebSocket: built in from Node 22, behind a flag on Node 20."""
    return [node, *(["--experimental-websocket"] if node_major(node) < 22 else []), script]


# ---------------------------------------------------------------------------------------------
# aws-amplify v6 in Node, over TLS, no shim


def amplify_env(mode: str, server: RunningEmulator, pool: FakePool) -> dict[str, str]:
    user = f"recipe-{uuid.uuid4().hex[:8]}"
    return {
        "apiKey": {},
        "userPool-emulator-token": {"USER_POOL_TOKEN": server.token(user, extra=["--token-use", "access"])},
        "userPool-real-pool-token": {"USER_POOL_TOKEN": pool.token(user, token_use="access")},
        "iam": {"AWS_ACCESS_KEY_ID": SIGNED_IN_KEYS.access_key_id, "AWS_SECRET_ACCESS_KEY": SIGNED_IN_KEYS.secret_access_key},
        "lambda": {"LAMBDA_TOKEN": LAMBDA_TOKEN},
    }[mode]


@pytest.mark.parametrize("case", ["apiKey", "userPool-emulator-token", "userPool-real-pool-token", "iam", "lambda"])
def test_amplify_in_node_receives_its_subscription_event_over_wss(
    node: str, tls_server: RunningEmulator, app_dir: Path, pool: tuple[FakePool, JwksServer], case: str
) -> None:
    outputs = json.loads((app_dir / "amplify_outputs.json").read_text())
    assert outputs["data"]["url"] == tls_server.graphql_url and tls_server.graphql_url.startswith("https://")
    mode = case.split("-")[0]
    env = {"NODE_EXTRA_CA_CERTS": str(tls_server.ca_file), **amplify_env(case, tls_server, pool[0])}
    result = run([*node_command(node, "amplify-node.mjs"), mode], app_dir, env)
    assert result["created"]["content"] == f"hello from Node ({mode})"
    assert result["event"] == result["created"]


# ---------------------------------------------------------------------------------------------
# aws-amplify v6 in Chromium, over TLS


def spki_sha256(certificate: Path) -> str:
    """The base64 SHA-256 of a certificate's public key: what ``--ignore-certificate-errors-spki-list`` takes."""
    cert = x509.load_pem_x509_certificate(certificate.read_bytes())
    der = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@pytest.fixture(scope="module")
def dev_server(node: str, tls_server: RunningEmulator, app_dir: Path) -> Iterator[str]:
    """The browser recipe bundled with esbuild and served from loopback, as ``vite`` would serve it."""
    site = app_dir / "site"
    site.mkdir()
    esbuild = JS_DIR / "node_modules" / ".bin" / "esbuild"
    done = subprocess.run(
        [str(esbuild), "amplify-browser.mjs", "--bundle", "--format=esm", f"--outfile={site / 'app.js'}", "--log-level=error"],
        cwd=app_dir, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    (site / "index.html").write_text(
        '<!doctype html>\n<title>recipe</title>\n<pre id="result"></pre>\n<script type="module" src="/app.js"></script>\n'
    )

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://localhost:{http.server_address[1]}/"
    http.shutdown()
    http.server_close()


@pytest.mark.parametrize("mode", ["apiKey", "userPool"])
def test_amplify_in_chromium_receives_its_subscription_event_over_wss(
    dev_server: str, tls_server: RunningEmulator, tmp_path: Path, mode: str
) -> None:
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    query = f"?authMode={mode}"
    if mode == "userPool":
        query += "&token=" + tls_server.token(f"browser-{uuid.uuid4().hex[:6]}", extra=["--token-use", "access"])
    trust = f"--ignore-certificate-errors-spki-list={spki_sha256(tls_server.ca_file)}"  # type: ignore[arg-type]
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile"), executable_path=chromium, headless=True, args=[*CHROMIUM_FLAGS, trust]
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            console: list[str] = []
            page.on("console", lambda message: console.append(message.text))
            page.goto(dev_server + query)
            try:
                page.wait_for_function("document.querySelector('#result').textContent !== ''", timeout=PAGE_TIMEOUT_MS)
            except Exception as exc:  # Playwright's TimeoutError: say what the page logged
                raise AssertionError(f"no result on the page; console: {console}") from exc
            result = json.loads(page.text_content("#result") or "{}")
        finally:
            context.close()
    assert "error" not in result, result
    assert result["created"]["content"] == "hello from the browser" and result["event"] == result["created"]


# ---------------------------------------------------------------------------------------------
# Apollo Client 4 with the AppSync links, and gql, over plain HTTP


def test_apollo_with_the_appsync_links_signs_with_iam(node: str, plain_server: RunningEmulator, app_dir: Path) -> None:
    env = {
        "APPSYNC_URL": plain_server.graphql_url,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": SIGNED_IN_KEYS.access_key_id,
        "AWS_SECRET_ACCESS_KEY": SIGNED_IN_KEYS.secret_access_key,
    }
    result = run([node, "apollo-iam.cjs"], app_dir, env)
    assert result["created"]["content"] == "hello from Apollo, signed with SigV4"
    assert result["fetched"] == result["created"]


def test_gql_subscribes_on_the_realtime_url(plain_server: RunningEmulator) -> None:
    env = {"APPSYNC_URL": plain_server.graphql_url, "APPSYNC_API_KEY": API_KEY}
    result = run([sys.executable, str(RECIPES / "gql_client.py")], RECIPES, env)
    assert result["created"]["content"] == "hello from gql" and result["event"] == result["created"]
