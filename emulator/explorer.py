"""The explorer at ``GET /``: GraphiQL plus an auth panel, served from the package (no CDN).

The page is static (``emulator/static/``: ``explorer.html``, our scripts in ``app/``, GraphiQL
and React in ``vendor/``, written by ``scripts/vendor-explorer.sh``). Three small endpoints
give it what a browser cannot do on its own:

- ``GET /explorer/config``: the API's auth modes, its API keys, IAM access key ids (never the
  secrets) and the endpoints;
- ``POST /explorer/token``: a user-pool or OIDC JWT for the username and groups typed in the
  panel, minted by ``auth.tokens.mint_token`` as ``appsync-emulator token`` does;
- ``POST /explorer/sign``: SigV4 headers (botocore) for a request the page is about to send
  with one of the configured IAM key pairs.

They exist for local development only: whoever reaches the emulator's port can use them, so
they listen only where the emulator listens (127.0.0.1 by default). They refuse requests whose
``Origin`` is another site, and want JSON bodies, so a web page elsewhere cannot use them
through the developer's browser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from emulator.settings import AuthSettings, Settings

STATIC_DIR = Path(__file__).parent / "static"
SIGNING_SERVICE = "appsync"
SIGNABLE_PATHS = ("/graphql", "/graphql/connect")


class ExplorerRequestError(Exception):
    """A bad request from the page; answered 400 with the message."""


async def page(request: Request) -> Response:
    return HTMLResponse((STATIC_DIR / "explorer.html").read_text(encoding="utf-8"))


def _settings(request: Request) -> Settings:
    return request.app.state.emulator.settings


def explorer_config(settings: Settings) -> dict[str, Any]:
    """What the auth panel offers: enabled modes and the non-secret parts of their settings."""
    auth = settings.auth
    return {
        "graphqlPath": "/graphql",
        "realtimePath": "/graphql/realtime",
        "defaultMode": auth.default,
        "modes": list(auth.modes),
        "apiKeys": [{"key": k.key, "expires": k.expires.isoformat() if k.expires else None} for k in auth.api_keys],
        "userPools": {
            "userPoolId": auth.user_pools.user_pool_id,
            "appClientId": auth.user_pools.app_client_id,
            "region": auth.user_pools.region,
        },
        "oidc": {"issuer": auth.oidc.issuer, "clientId": auth.oidc.client_id},
        "iam": {
            "region": auth.iam.region,
            "credentials": [{"accessKeyId": c.access_key_id, "roleArn": c.role_arn} for c in auth.iam.credentials],
        },
    }


def _text(body: Mapping[str, Any], key: str, default: str | None = None) -> str | None:
    value = body.get(key, default)
    if value is not None and not isinstance(value, str):
        raise ExplorerRequestError(f"{key!r} must be a string")
    return value


def _groups(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(g.strip() for g in value.split(",") if g.strip())
    if isinstance(value, list) and all(isinstance(g, str) for g in value):
        return tuple(g.strip() for g in value if g.strip())
    raise ExplorerRequestError("'groups' must be a list of strings or a comma-separated string")


def mint(auth: AuthSettings, data_dir: Path, body: Mapping[str, Any]) -> str:
    """A JWT for the panel's identity; ``oidc`` picks the OIDC issuer instead of the user pool."""
    from emulator.auth.tokens import mint_token

    username = (_text(body, "username") or "").strip()
    if not username:
        raise ExplorerRequestError("a username is needed to mint a token")
    token_use = _text(body, "tokenUse", "id")
    if token_use not in ("id", "access"):
        raise ExplorerRequestError("'tokenUse' must be 'id' or 'access'")
    expires_in = body.get("expiresIn", 3600)
    if not isinstance(expires_in, int) or isinstance(expires_in, bool):
        raise ExplorerRequestError("'expiresIn' must be a whole number of seconds")
    claims = body.get("claims") or {}
    if not isinstance(claims, dict):
        raise ExplorerRequestError("'claims' must be an object")
    return mint_token(
        auth,
        data_dir,
        username=username,
        sub=_text(body, "sub") or None,
        groups=_groups(body.get("groups", [])),
        email=_text(body, "email") or None,
        token_use=token_use,
        expires_in=expires_in,
        claims=claims,
        oidc=bool(body.get("oidc", False)),
    )


def sign(auth: AuthSettings, body: Mapping[str, Any]) -> dict[str, str]:
    """SigV4 headers (service ``appsync``) over ``POST https://<host><path>`` with ``body``.

    ``/graphql`` signs an HTTP request or a real-time ``start`` (body = its ``data`` string);
    ``/graphql/connect`` signs the real-time connection (body ``{}``), as AppSync clients do.
    """
    access_key_id = _text(body, "accessKeyId")
    credential = next((c for c in auth.iam.credentials if c.access_key_id == access_key_id), None)
    if credential is None:
        raise ExplorerRequestError(f"no configured IAM credential has access key id {access_key_id!r}")
    host, path, payload = _text(body, "host"), _text(body, "path"), _text(body, "body", "")
    if not host or path not in SIGNABLE_PATHS:
        raise ExplorerRequestError(f"'host' is required and 'path' must be one of {', '.join(SIGNABLE_PATHS)}")
    headers = body.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise ExplorerRequestError("'headers' must be an object of strings")
    request = AWSRequest(
        method="POST", url=f"https://{host}{path}", data=(payload or "").encode(), headers={**headers, "host": host}
    )
    keys = Credentials(credential.access_key_id, credential.secret_access_key, credential.session_token)
    SigV4Auth(keys, SIGNING_SERVICE, auth.iam.region).add_auth(request)
    return dict(request.headers.items())


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


async def _json_body(request: Request) -> Mapping[str, Any]:
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise ExplorerRequestError("send a JSON body (content-type: application/json)")
    try:
        body = json.loads(await request.body())
    except json.JSONDecodeError as exc:
        raise ExplorerRequestError(f"body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ExplorerRequestError("body must be a JSON object")
    return body


async def _config_endpoint(request: Request) -> Response:
    return JSONResponse(explorer_config(_settings(request)))


async def _token_endpoint(request: Request) -> Response:
    if not _same_origin(request):
        return JSONResponse({"error": "cross-origin requests are refused"}, status_code=403)
    settings = _settings(request)
    try:
        return JSONResponse({"token": mint(settings.auth, settings.data_dir, await _json_body(request))})
    except ExplorerRequestError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)


async def _sign_endpoint(request: Request) -> Response:
    if not _same_origin(request):
        return JSONResponse({"error": "cross-origin requests are refused"}, status_code=403)
    try:
        return JSONResponse({"headers": sign(_settings(request).auth, await _json_body(request))})
    except ExplorerRequestError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)


def routes() -> list[BaseRoute]:
    return [
        Route("/explorer/config", _config_endpoint, methods=["GET"]),
        Route("/explorer/token", _token_endpoint, methods=["POST"]),
        Route("/explorer/sign", _sign_endpoint, methods=["POST"]),
        Mount("/explorer", app=StaticFiles(directory=STATIC_DIR), name="explorer"),
    ]
