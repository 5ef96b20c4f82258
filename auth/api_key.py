"""API_KEY: the ``x-api-key`` header against the configured keys and their expiry dates.

An unknown key and an expired key get the same answer AppSync gives; the log says which it was.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from emulator.auth.identity import AuthMode, AuthRequest, Identity, rejected
from emulator.errors import UnauthorizedRequest
from emulator.settings import ApiKey

HEADER = "x-api-key"


def _timestamp(moment: datetime) -> float:
    """Seconds since the epoch; a date-time without a zone is taken as UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


class ApiKeyAuthenticator:
    """Accepts a configured API key until its ``expires`` date."""

    mode = AuthMode.API_KEY

    def __init__(self, keys: Iterable[ApiKey], clock: Callable[[], float] = time.time) -> None:
        self._keys = tuple(keys)
        self._clock = clock

    def recognizes(self, request: AuthRequest) -> bool:
        return HEADER in request.headers

    def authenticate(self, request: AuthRequest) -> Identity:
        presented = request.headers.get(HEADER, "").strip()
        key = self._find(presented)
        if key is None:
            raise rejected(UnauthorizedRequest(), "x-api-key is not a configured API key")
        if key.expires is not None and _timestamp(key.expires) <= self._clock():
            raise rejected(UnauthorizedRequest(), f"API key expired at {key.expires.isoformat()}")
        return Identity(mode=self.mode, api_key=key.key, source_ip=request.source_ip)

    def _find(self, presented: str) -> ApiKey | None:
        matches = [k for k in self._keys if hmac.compare_digest(k.key.encode(), presented.encode())]
        return matches[0] if matches else None
