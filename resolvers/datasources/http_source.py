"""The HTTP data source: ``{method, resourcePath, params: {headers, query, body}}`` -> ``httpx``.

``$ctx.result`` is ``{statusCode, headers, body}`` with the body as text, whatever the status:
a 404 or 500 is a result for the response template to look at, not an error. Errors are only
for requests that get no answer (refused, timed out) and for endpoints the emulator will not
call: it calls loopback endpoints (``localhost``, ``127.0.0.0/8``, ``::1``) and others only when
the data source's config allows them (``allow_external``), so a local run never reaches a real
service by accident.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from typing import Any

import httpx

from emulator.errors import AppSyncError
from emulator.resolvers.datasources.documents import Document, json_type, mapping_error
from emulator.resolvers.datasources.result import DataSourceResult, failed
from emulator.resolvers.datasources.sources import HttpSource

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
REQUEST_FAILED = "HTTP:RequestFailed"
NOT_ALLOWED = "HTTP:EndpointNotAllowed"
TIMEOUT_SECONDS = 30.0


def execute_http(source: HttpSource, document: Document) -> DataSourceResult:
    document.only({"version", "method", "resourcePath", "params"})
    method = (document.text("method", required=True) or "").upper()
    if method not in METHODS:
        raise mapping_error(f"Unsupported value '{method}' for '$[method]'; expected one of: {', '.join(METHODS)}.")
    path = document.text("resourcePath", required=True) or ""
    params = document.mapping("params") or Document({}, "$[params]")
    params.only({"headers", "query", "body"})
    headers = _strings(params, "headers")
    query = _query(params)
    body = _body(params)
    try:
        url = _url(source, path)
    except AppSyncError as error:
        return failed(error)
    try:
        response = _send(source, method, url, headers, query, body)
    except httpx.HTTPError as exc:
        return failed(AppSyncError(f"HTTP request to {url} failed: {exc or type(exc).__name__}", REQUEST_FAILED))
    return DataSourceResult(
        result={"statusCode": response.status_code, "headers": dict(response.headers.items()), "body": response.text}
    )


def endpoint_allowed(endpoint: str, allow_external: bool) -> bool:
    """Loopback endpoints always; others only when the data source allows them."""
    return allow_external or is_loopback(httpx.URL(endpoint).host)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url(source: HttpSource, path: str) -> str:
    try:
        endpoint = httpx.URL(source.endpoint)
    except httpx.InvalidURL as exc:
        raise AppSyncError(f"Data source {source.name}: invalid endpoint {source.endpoint!r}: {exc}", REQUEST_FAILED) from exc
    if endpoint.scheme not in ("http", "https") or not endpoint.host:
        raise AppSyncError(f"Data source {source.name}: the endpoint {source.endpoint!r} is not an http(s) URL", REQUEST_FAILED)
    if not endpoint_allowed(source.endpoint, source.allow_external):
        raise AppSyncError(
            f"Data source {source.name} points at {endpoint.host}, which is not a loopback address: the emulator "
            f"calls other hosts only when allowed (appsync-emulator.toml: [data_sources.{source.name}] "
            "allow_external = true), or point it at a local service (endpoint = \"http://127.0.0.1:...\")",
            NOT_ALLOWED,
        )
    return source.endpoint.rstrip("/") + "/" + path.lstrip("/")


def _send(
    source: HttpSource, method: str, url: str, headers: dict[str, str], query: list[tuple[str, str]], body: str | None
) -> httpx.Response:
    arguments: dict[str, Any] = {"headers": headers, "params": query, "content": body}
    if source.client is not None:
        return source.client.request(method, url, **arguments)
    with httpx.Client(timeout=TIMEOUT_SECONDS) as client:
        return client.request(method, url, **arguments)


def _strings(params: Document, name: str) -> dict[str, str]:
    values = params.raw_mapping(name) or {}
    return {str(key): _scalar_text(value, f"{params.at(name)}[{key}]") for key, value in values.items() if value is not None}


def _query(params: Document) -> list[tuple[str, str]]:
    values: Mapping[str, Any] = params.raw_mapping("query") or {}
    pairs = []
    for key, value in values.items():
        members = value if isinstance(value, list) else [value]
        pairs += [(str(key), _scalar_text(member, f"{params.at('query')}[{key}]")) for member in members if member is not None]
    return pairs


def _body(params: Document) -> str | None:
    body = params.value.get("body")
    if body is None or isinstance(body, str):
        return body
    return json.dumps(body, separators=(",", ":"))  # an object from a JS handler: sent as JSON


def _scalar_text(value: Any, path: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise mapping_error(f"Expected JSON string for '{path}' but got '{json_type(value)}' instead.")
