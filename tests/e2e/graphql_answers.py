"""Reading the emulator's GraphQL answers in end-to-end tests."""

from __future__ import annotations

from typing import Any

import httpx


def data(response: httpx.Response) -> dict[str, Any]:
    """The ``data`` of an answer that must have succeeded: HTTP 200 and no ``errors``."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]
