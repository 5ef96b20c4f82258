"""The errors of a Lambda invocation, in the shape AppSync gives them.

A handler that throws, a call that times out and a runner that dies all reach the client as
AppSync shows a failed Lambda data source: the field ``null`` and
``{"errorType": "Lambda:Unhandled", "message": <the function's message>}``.
"""

from __future__ import annotations

UNHANDLED = "Lambda:Unhandled"


class FunctionError(Exception):
    """A failed invocation. ``error_type`` is what AppSync reports (``Lambda:Unhandled``);
    ``cause`` is the function's own error type (``TypeError``, ``Sandbox.Timedout`` …) for logs."""

    def __init__(self, message: str, *, error_type: str = UNHANDLED, cause: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.error_type = error_type
        self.cause = cause


class UnknownFunction(FunctionError):
    """No function of that name was found; the message lists the ones that were."""

    def __init__(self, message: str) -> None:
        super().__init__(message, error_type="Lambda:ResourceNotFoundException", cause="ResourceNotFoundException")
