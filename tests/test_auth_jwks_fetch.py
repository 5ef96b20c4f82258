"""Keys of a real user pool: fetched from its JWKS URL, cached in the data dir, never fatal when missing."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from emulator.auth import gateway as gateway_module
from emulator.auth.gateway import AuthGateway
from emulator.auth.identity import AuthMode, AuthRequest, Headers
from emulator.auth.jwks_fetch import cache_path, user_pool_keys
from emulator.errors import UnauthorizedRequest
from emulator.settings import AuthSettings, ConfigError, UserPoolSettings, load_config
from tests.cognito_pool import FakePool, JwksServer, serve_pool


@pytest.fixture(scope="module")
def pool() -> FakePool:
    return FakePool()


@pytest.fixture
def server(pool: FakePool) -> Iterator[JwksServer]:
    running = serve_pool(pool)
    yield running
    running.stop()


def closed_port_url() -> str:
    """A loopback URL nothing listens on (connection refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/jwks.json"


def pool_gateway(pool: FakePool, jwks_url: str, data_dir: Path) -> AuthGateway:
    settings = AuthSettings(
        default="AMAZON_COGNITO_USER_POOLS",
        additional=(),
        user_pools=UserPoolSettings(pool.user_pool_id, pool.app_client_id, pool.region, jwks_url=jwks_url),
    )
    return AuthGateway(settings, data_dir)


def bearer(token: str) -> AuthRequest:
    return AuthRequest(Headers({"Authorization": token}))


# --- where the keys come from ----------------------------------------------------------------


def test_the_url_defaults_to_cognitos_for_a_real_pool_and_to_nothing_for_the_emulators_own() -> None:
    assert UserPoolSettings().fetched_jwks_url is None  # a default start makes no network call
    real = UserPoolSettings(user_pool_id="eu-west-1_AbCdEf123", app_client_id="c", region="eu-west-1")
    assert real.fetched_jwks_url == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json"
    assert replace(real, jwks_url="").fetched_jwks_url is None
    assert replace(real, jwks_url="http://127.0.0.1:9/k.json").fetched_jwks_url == "http://127.0.0.1:9/k.json"


def test_jwks_url_is_read_from_the_config_and_checked(tmp_path: Path) -> None:
    config = tmp_path / "appsync-emulator.toml"
    config.write_text('[auth.user_pools]\nuser_pool_id = "eu-west-1_X"\njwks_url = "https://keys.example/jwks.json"\n')
    assert load_config(config).auth.user_pools.jwks_url == "https://keys.example/jwks.json"
    config.write_text('[auth.user_pools]\njwks_url = "keys.json"\n')
    with pytest.raises(ConfigError, match=r"'auth.user_pools.jwks_url' must be an http:// or https:// URL"):
        load_config(config)


def test_a_default_gateway_fetches_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fetch(*args: object, **kwargs: object) -> None:
        raise AssertionError("a default start must not fetch any JWKS")

    monkeypatch.setattr(gateway_module, "user_pool_keys", no_fetch)
    AuthGateway(AuthSettings(), tmp_path)


# --- fetch, cache, fallback --------------------------------------------------------------------


def test_fetched_keys_verify_the_pools_tokens_and_are_cached(pool: FakePool, server: JwksServer, tmp_path: Path) -> None:
    url = server.url(pool.jwks_path)
    fetched = user_pool_keys(url, tmp_path)
    assert fetched.source == "fetched" and fetched.keys.get(pool.kid) is not None
    cached = json.loads(cache_path(tmp_path, url).read_text())
    assert cached["url"] == url and cached["keys"] == pool.jwks()["keys"]

    identity = pool_gateway(pool, url, tmp_path).authenticate(bearer(pool.token("alice", groups=("Editors",))))
    assert (identity.mode, identity.username, identity.groups) == (AuthMode.AMAZON_COGNITO_USER_POOLS, "alice", ("Editors",))
    access = pool_gateway(pool, url, tmp_path).authenticate(bearer(pool.token("bob", token_use="access")))
    assert access.username == "bob"


def test_the_cache_is_used_when_the_url_cannot_be_reached(
    pool: FakePool, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = serve_pool(pool)
    url = server.url(pool.jwks_path)
    user_pool_keys(url, tmp_path)
    server.stop()

    with caplog.at_level(logging.WARNING, logger="appsync_emulator.auth"):
        gateway = pool_gateway(pool, url, tmp_path)
    assert gateway.authenticate(bearer(pool.token("carol"))).username == "carol"
    assert "using the copy fetched at" in caplog.text and url in caplog.text


@pytest.mark.parametrize(
    "answer",
    [None, {"keys": "not a list"}, {"keys": [{"kid": "k", "kty": "EC"}]}],
    ids=["404", "not-a-jwks", "not-rsa"],
)
def test_an_unusable_answer_is_a_warning_and_keeps_the_cache(
    answer: object, pool: FakePool, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = serve_pool(pool)
    user_pool_keys(good.url(pool.jwks_path), tmp_path)
    good.stop()
    bad = JwksServer({pool.jwks_path: answer} if answer is not None else {})
    try:
        url = bad.url(pool.jwks_path)
        # The same URL path on another port is another cache entry: seed it from the good copy.
        cache_path(tmp_path, url).write_text(cache_path(tmp_path, good.url(pool.jwks_path)).read_text())
        with caplog.at_level(logging.WARNING, logger="appsync_emulator.auth"):
            fetched = user_pool_keys(url, tmp_path)
    finally:
        bad.stop()
    assert fetched.source == "cached" and fetched.keys.get(pool.kid) is not None
    assert "could not fetch the user pool's keys" in caplog.text


def test_no_keys_and_no_cache_is_a_warning_not_an_error(
    pool: FakePool, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = closed_port_url()
    with caplog.at_level(logging.WARNING, logger="appsync_emulator.auth"):
        gateway = pool_gateway(pool, url, tmp_path)
    assert "tokens signed by that pool are refused" in caplog.text and url in caplog.text
    with pytest.raises(UnauthorizedRequest, match="Valid authorization header not provided."):
        gateway.authenticate(bearer(pool.token("dave")))
    assert not cache_path(tmp_path, url).exists()


def test_a_server_that_never_answers_is_given_up_on(pool: FakePool, tmp_path: Path) -> None:
    """A listener that accepts and stays silent must not hold the start: the fetch has a deadline."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    try:
        fetched = user_pool_keys(f"http://127.0.0.1:{listener.getsockname()[1]}/jwks.json", tmp_path, timeout=0.5)
    finally:
        for sock in accepted:
            sock.close()
        listener.close()
    assert fetched.source == "none" and len(fetched.keys) == 0
