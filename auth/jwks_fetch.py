"""A user pool's public keys fetched from its JWKS URL, the last good copy kept in the data dir.

A frontend that signs in against the user's real Cognito pool sends tokens signed by Cognito's
keys, which the pool publishes at ``https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json``.
They are fetched when the auth gateway is built (at start and on a reload), with a short overall
deadline and a size cap, and the answer is cached in ``<data dir>/auth/jwks/``. When the fetch
fails (offline, a wrong pool id), the cached copy is used; with no copy either, the start goes on
with a warning: the emulator's own tokens keep working, the pool's are refused until a fetch works.

Own code rather than a library: it is one bounded GET (httpx) and one file write; PyJWT's
``PyJWKClient`` fetches lazily on the request path and keeps nothing across restarts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from emulator.auth.generated import auth_dir
from emulator.auth.jwt_keys import KeySet
from emulator.settings import ConfigError

FETCH_TIMEOUT_SECONDS = 5.0
MAX_JWKS_BYTES = 1024 * 1024
CACHE_DIR = "jwks"

log = logging.getLogger("appsync_emulator.auth")


class JwksFetchError(Exception):
    """The JWKS could not be fetched or is not a usable key set; the message says why."""


@dataclass(frozen=True)
class FetchedKeys:
    """The keys and where they came from (``fetched`` from the URL now, or ``cached`` earlier)."""

    keys: KeySet
    source: str  # "fetched" | "cached" | "none"


def cache_path(data_dir: Path, url: str) -> Path:
    """One cache file per URL, so switching pools never serves another pool's keys."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return auth_dir(data_dir) / CACHE_DIR / f"{digest}.json"


def fetch_jwks_document(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> dict[str, Any]:
    """GET the JWKS within ``timeout`` seconds overall (not per read) and at most ``MAX_JWKS_BYTES``."""
    deadline = time.monotonic() + timeout
    body = bytearray()
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            if response.status_code != 200:
                raise JwksFetchError(f"HTTP {response.status_code}")
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_JWKS_BYTES:
                    raise JwksFetchError(f"the answer is larger than {MAX_JWKS_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise JwksFetchError(f"no complete answer within {timeout:g} s")
    except httpx.HTTPError as exc:
        raise JwksFetchError(str(exc) or type(exc).__name__) from exc
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise JwksFetchError("the answer is not JSON") from exc
    if not isinstance(document, dict):
        raise JwksFetchError('the answer is not a JWKS document ({"keys": [...]})')
    return document


def _write_cache(path: Path, url: str, keys: list[Any]) -> None:
    """The JWKS document plus where and when it was fetched; written whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"url": url, "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"), "keys": keys}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_cache(path: Path) -> tuple[KeySet, str] | None:
    """The cached keys and when they were fetched; None when there is no usable copy."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return KeySet.from_document(document, source=str(path)), str(document.get("fetched_at", "?"))
    except (OSError, ValueError, ConfigError):
        return None


def user_pool_keys(url: str, data_dir: Path, timeout: float = FETCH_TIMEOUT_SECONDS) -> FetchedKeys:
    """The pool's keys from ``url``, else from the cache; never raises for a network or content problem."""
    cache = cache_path(data_dir, url)
    try:
        document = fetch_jwks_document(url, timeout)
        keys = KeySet.from_document(document, source=url)
    except (JwksFetchError, ConfigError) as exc:
        cached = _read_cache(cache)
        if cached is not None:
            log.warning("could not fetch the user pool's keys from %s (%s); using the copy fetched at %s (%s)",
                        url, exc, cached[1], cache)
            return FetchedKeys(cached[0], "cached")
        log.warning(
            "could not fetch the user pool's keys from %s (%s): tokens signed by that pool are refused until "
            "a start can fetch them (or set [auth.user_pools] jwks_file); tokens from `appsync-emulator token` "
            "still work", url, exc,
        )
        return FetchedKeys(KeySet({}), "none")
    try:
        _write_cache(cache, url, document["keys"])
    except OSError as exc:
        log.warning("could not cache the user pool's keys in %s: %s", cache, exc)
    log.info("user pool keys: %d fetched from %s", len(keys), url)
    return FetchedKeys(keys, "fetched")
