"""What one resolver invocation gives ``util`` and collects from it.

A ``UtilRequest`` is made per template (or JS handler) run by the caller: the caller's identity
decides ``authType()``, the field names go into ``unauthorized()``'s message, the clock and the
random source make ids and times reproducible in tests. Helpers append to its lists; the caller
reads them after the run (appended errors into the response, logs to the emulator's log,
response headers onto the HTTP answer, extensions to the subscription hub).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.errors import AppSyncError

# The strings AppSync's ``util.authType()`` returns, per auth mode.
AUTH_TYPES = {
    "API_KEY": "API Key Authorization",
    "AWS_IAM": "IAM Authorization",
    "AMAZON_COGNITO_USER_POOLS": "User Pool Authorization",
    "OPENID_CONNECT": "Open ID Connect Authorization",
    "AWS_LAMBDA": "Lambda Authorization",
}

RESOLVER_LOGGER = logging.getLogger("emulator.resolvers")


def wall_clock_millis() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class Extensions:
    """Calls to ``extensions.*`` (``$extensions`` in VTL), for the caller to act on."""

    subscription_filters: list[Any] = field(default_factory=list)
    invalidation_filters: list[Any] = field(default_factory=list)
    invalidations: list[Any] = field(default_factory=list)
    cache_evictions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class UtilRequest:
    """Per-run inputs and outputs of the ``util`` helpers."""

    auth_mode: str = "API_KEY"
    field_name: str = ""
    parent_type_name: str = ""
    clock: Callable[[], int] = wall_clock_millis
    random_bytes: Callable[[int], bytes] = os.urandom
    logger: logging.Logger = RESOLVER_LOGGER
    appended_errors: list[AppSyncError] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    response_headers: dict[str, Any] = field(default_factory=dict)
    extensions: Extensions = field(default_factory=Extensions)

    @property
    def auth_type(self) -> str:
        return AUTH_TYPES.get(self.auth_mode, AUTH_TYPES["API_KEY"])
