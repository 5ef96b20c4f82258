"""The emulator's own RSA signing key: it signs the tokens ``appsync-emulator token`` mints.

Generated once into ``<data dir>/auth/signing-key.pem`` (owner-readable only) and reused, so a
token minted yesterday, or by a ``token`` command running beside ``serve``, still verifies. Its
public half is published at ``/.well-known/jwks.json`` under a ``kid`` that is the key's RFC 7638
thumbprint, so the ``kid`` changes exactly when the key does.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from emulator.auth.generated import auth_dir, read_or_create

KEY_FILE = "signing-key.pem"
ALGORITHM = "RS256"


def _new_private_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 JWK thumbprint of an RSA public key (SHA-256, base64url without padding)."""
    canonical = json.dumps({"e": jwk["e"], "kty": jwk["kty"], "n": jwk["n"]}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    """A private RSA key with its public JWK and ``kid``."""

    private_key: rsa.RSAPrivateKey
    kid: str

    @classmethod
    def load_or_create(cls, data_dir: Path) -> SigningKey:
        pem = read_or_create(auth_dir(data_dir) / KEY_FILE, _new_private_key_pem)
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{data_dir / KEY_FILE} does not hold an RSA private key")
        return cls(key, _thumbprint(_public_jwk_fields(key)))

    def public_jwk(self) -> dict[str, Any]:
        """The public key as a JWK, as Cognito publishes its keys."""
        return {**_public_jwk_fields(self.private_key), "kid": self.kid, "alg": ALGORITHM, "use": "sig"}

    def sign(self, claims: Mapping[str, Any]) -> str:
        """An RS256 JWT of ``claims`` with this key's ``kid`` in the header."""
        return jwt.encode(dict(claims), self.private_key, algorithm=ALGORITHM, headers={"kid": self.kid})


def _public_jwk_fields(key: rsa.RSAPrivateKey) -> dict[str, Any]:
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    assert isinstance(jwk, dict)
    return {"kty": jwk["kty"], "e": jwk["e"], "n": jwk["n"]}
