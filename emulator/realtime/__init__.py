"""AppSync's real-time WebSocket protocol (``graphql-ws`` subprotocol, AppSync message set).

Mount ``RealtimeEndpoint(RealtimeDeps(...))`` as a WebSocket route at both ``/graphql`` and
``/graphql/realtime``; publish mutation results with ``Hub.publish``.
"""

from emulator.realtime.deps import RealtimeDeps
from emulator.realtime.endpoint import RealtimeEndpoint
from emulator.realtime.limits import RealtimeLimits

__all__ = ["RealtimeDeps", "RealtimeEndpoint", "RealtimeLimits"]
