"""``util.autoId``, ``util.autoUlid``, ``util.autoKsuid`` from the request's clock and random
source (so tests can fix them).

ULID and KSUID are small formats (a timestamp and random bytes in Crockford base32 / base62);
writing them here avoids two dependencies for a dozen lines each.
"""

from __future__ import annotations

import uuid

from emulator.resolvers.appsync_util.request import UtilRequest

CROCKFORD32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
KSUID_EPOCH = 1_400_000_000  # seconds; KSUID timestamps count from 2014-05-13T16:53:20Z


def auto_id(request: UtilRequest) -> str:
    """A random (version 4) UUID, lower case."""
    return str(uuid.UUID(bytes=request.random_bytes(16), version=4))


def auto_ulid(request: UtilRequest) -> str:
    """26 characters: 48 bits of milliseconds, then 80 random bits, Crockford base32."""
    number = (request.clock() & (2**48 - 1)) << 80 | int.from_bytes(request.random_bytes(10), "big")
    return "".join(CROCKFORD32[(number >> shift) & 31] for shift in range(125, -1, -5))


def auto_ksuid(request: UtilRequest) -> str:
    """27 characters: 32 bits of seconds since the KSUID epoch, then 128 random bits, base62."""
    seconds = (request.clock() // 1000 - KSUID_EPOCH) & 0xFFFFFFFF
    number = seconds << 128 | int.from_bytes(request.random_bytes(16), "big")
    characters = []
    for _ in range(27):
        number, remainder = divmod(number, 62)
        characters.append(BASE62[remainder])
    return "".join(reversed(characters))
