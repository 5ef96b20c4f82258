"""The real-time endpoint's limits and timings, AppSync's values by default (``[limits]``)."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.settings import LimitsSettings


@dataclass(frozen=True)
class RealtimeLimits:
    """Numbers the protocol promises clients, and the bounds that keep one client from hurting
    the others (a bounded send queue per connection: a consumer that falls this far behind is
    disconnected rather than slowing publishers or growing memory)."""

    connection_timeout_ms: int = 300_000  # sent in connection_ack: longest gap between two "ka"
    keep_alive_interval_s: float = 60.0  # Amplify flags a missed ka after 65 s
    max_subscriptions: int = 100  # per connection (MaxSubscriptionsReachedError)
    max_message_bytes: int = 240 * 1024  # AppSync's payload limit, for frames in and events out
    send_queue_size: int = 1000  # frames waiting for one socket before it counts as too slow
    init_timeout_s: float = 300.0  # time allowed between the upgrade and connection_init
    close_timeout_s: float = 2.0  # how long a close frame may take before the socket is dropped

    @classmethod
    def from_settings(cls, limits: LimitsSettings) -> RealtimeLimits:
        """The configured values (``[limits]`` in the TOML config)."""
        return cls(
            connection_timeout_ms=limits.connection_timeout_ms,
            keep_alive_interval_s=limits.keep_alive_seconds,
            max_subscriptions=limits.max_subscriptions_per_connection,
            max_message_bytes=limits.max_message_bytes,
            send_queue_size=limits.send_queue_size,
            init_timeout_s=limits.connection_init_timeout_seconds,
        )
