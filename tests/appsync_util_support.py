"""Calling ``util`` helpers by their AppSync names, as both template runtimes do."""

from __future__ import annotations

from typing import Any

from emulator.resolvers.appsync_util import UTIL, Helper, Namespace, UtilRequest


def helper(path: str) -> Helper:
    node: Helper | Namespace | None = UTIL
    for name in path.split("."):
        assert isinstance(node, Namespace), path
        node = node.member(name)
    assert isinstance(node, Helper), path
    return node


def call(path: str, *args: Any, request: UtilRequest | None = None) -> Any:
    """``util.<path>(*args)``; ``request`` defaults to a fresh one."""
    return helper(path).call(request or UtilRequest(), list(args))


def at(millis: int, **fields: Any) -> UtilRequest:
    """A request whose clock reads ``millis``."""
    return UtilRequest(clock=lambda: millis, **fields)
