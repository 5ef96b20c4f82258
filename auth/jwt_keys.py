"""The public keys a JWT may be signed with, looked up by ``kid``.

A user pool or OIDC issuer accepts the emulator's own signing key plus the keys of an optional
JWKS file (for tokens from a real Cognito pool or another identity provider). Only RSA keys for
RS256 are kept: a token must name one of them by ``kid``, and its ``alg`` must be RS256, so a
token cannot choose its own verification method (``alg: none``, HS256 keyed with a public key).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jwt import PyJWK
from jwt.exceptions import PyJWKError

from emulator.settings import ConfigError

RS256 = "RS256"


class KeySet:
    """RS256 public keys by ``kid``."""

    def __init__(self, keys: Mapping[str, PyJWK]) -> None:
        self._keys = dict(keys)

    @classmethod
    def from_jwks(cls, jwks: Iterable[Mapping[str, Any]], source: str = "JWKS") -> KeySet:
        """Keys from JWK dicts; a key that is not a usable RS256 signing key is a config error."""
        keys: dict[str, PyJWK] = {}
        for jwk in jwks:
            kid = jwk.get("kid")
            if not isinstance(kid, str) or not kid:
                raise ConfigError(f"{source}: every key needs a 'kid', got {dict(jwk)!r}")
            if jwk.get("kty") != "RSA" or jwk.get("alg", RS256) != RS256 or jwk.get("use", "sig") != "sig":
                raise ConfigError(f"{source}: key {kid!r} must be an RSA signing key for RS256")
            try:
                keys[kid] = PyJWK(dict(jwk), algorithm=RS256)
            except PyJWKError as exc:
                raise ConfigError(f"{source}: key {kid!r} is not a valid RSA JWK: {exc}") from exc
        return cls(keys)

    @classmethod
    def from_document(cls, document: object, source: str) -> KeySet:
        """Keys from a JWKS document (``{"keys": [...]}``), as Cognito serves at ``/.well-known/jwks.json``."""
        if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
            raise ConfigError(f'{source}: a JWKS document must be {{"keys": [...]}}')
        return cls.from_jwks(document["keys"], source=source)

    @classmethod
    def from_file(cls, path: Path) -> KeySet:
        """Keys from a JWKS file."""
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: not a readable JWKS JSON file: {exc}") from exc
        return cls.from_document(document, source=str(path))

    def merged(self, other: KeySet) -> KeySet:
        return KeySet({**self._keys, **other._keys})

    def get(self, kid: object) -> PyJWK | None:
        return self._keys.get(kid) if isinstance(kid, str) else None

    def __len__(self) -> int:
        return len(self._keys)


def issuer_keys(own: Mapping[str, Any], jwks_file: Path | None) -> KeySet:
    """The keys one issuer accepts: the emulator's own public JWK and the issuer's JWKS file, if any."""
    keys = KeySet.from_jwks([own], source="emulator signing key")
    return keys.merged(KeySet.from_file(jwks_file)) if jwks_file else keys
