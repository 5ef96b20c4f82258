"""Errors in AppSync's own shapes.

``AppSyncError`` is what a resolver raises for a field error (``$util.error`` on AppSync): the
field becomes ``null`` and the error is listed with ``errorType``/``errorInfo``/``data``.
``RequestError`` is a whole-request failure with an HTTP status (401 ``UnauthorizedException``,
400 ``MalformedHttpRequestException`` ...). Transports turn both into AppSync's wire shape.
"""

from __future__ import annotations

from typing import Any


class AppSyncError(Exception):
    """A field-level error: AppSync's ``$util.error(message, errorType, data, errorInfo)``."""

    def __init__(
        self,
        message: str,
        error_type: str | None = None,
        data: Any = None,
        error_info: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.error_type = error_type
        self.data = data
        self.error_info = error_info


def unauthorized(field_name: str, parent_type: str) -> AppSyncError:
    """AppSync's ``$util.unauthorized()`` for a field."""
    return AppSyncError(f"Not Authorized to access {field_name} on type {parent_type}", "Unauthorized")


class RequestError(Exception):
    """A failure of the whole request: no GraphQL execution, an HTTP status and AppSync's body."""

    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"errors": [{"errorType": self.error_type, "message": self.message}]}


class UnauthorizedRequest(RequestError):
    """HTTP 401 ``UnauthorizedException`` (bad, missing or unverifiable credentials)."""

    def __init__(self, message: str = "You are not authorized to make this call.") -> None:
        super().__init__(401, "UnauthorizedException", message)
