"""A stand-in for a real Cognito user pool: its RSA key, tokens it signs, its JWKS on a local HTTP server.

Cognito publishes a pool's public keys at ``/<pool>/.well-known/jwks.json``; ``JwksServer`` serves
the same document from a loopback port, so the emulator's ``jwks_url`` can point at it and tests
never reach the internet. Shared by the unit and end-to-end tests of real-pool tokens.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass
class FakePool:
    """A pool id, app client and region with one RSA signing key, as Cognito has."""

    user_pool_id: str = "eu-west-1_TestPool1"
    app_client_id: str = "5testwebclient00000000000"
    region: str = "eu-west-1"
    kid: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:12]}")
    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_path(self) -> str:
        return f"/{self.user_pool_id}/.well-known/jwks.json"

    def jwks(self) -> dict[str, Any]:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def token(self, username: str, token_use: str = "id", groups: tuple[str, ...] = ()) -> str:
        """A token shaped as Cognito issues them (id: ``aud``; access: ``client_id``)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, username)),
            "iss": self.issuer,
            "token_use": token_use,
            "iat": now,
            "auth_time": now,
            "exp": now + 3600,
            "cognito:groups": list(groups),
        }
        if token_use == "id":
            claims |= {"aud": self.app_client_id, "cognito:username": username}
        else:
            claims |= {"client_id": self.app_client_id, "username": username}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def config(self, jwks_url: str) -> str:
        """The ``[auth.user_pools]`` table pointing the emulator at this pool."""
        return (
            "[auth.user_pools]\n"
            f'user_pool_id = "{self.user_pool_id}"\n'
            f'app_client_id = "{self.app_client_id}"\n'
            f'region = "{self.region}"\n'
            f'jwks_url = "{jwks_url}"\n'
        )


class JwksServer:
    """Serves documents by path on a loopback port until ``stop()``; records the paths asked for."""

    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                owner.requests.append(self.path)
                document = owner.documents.get(self.path)
                body = json.dumps(document).encode() if document is not None else b'{"message":"not found"}'
                self.send_response(200 if document is not None else 404)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def serve_pool(pool: FakePool) -> JwksServer:
    return JwksServer({pool.jwks_path: pool.jwks()})
