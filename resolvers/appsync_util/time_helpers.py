"""``util.time``: now, epoch conversions and Java-pattern formatting/parsing, on the request's
clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from emulator.resolvers.appsync_util.java_datetime import (
    JavaTimeError,
    format_datetime,
    from_epoch_millis,
    parse_datetime,
    to_epoch_millis,
    zone,
)
from emulator.resolvers.appsync_util.namespace import Helper, HelperFailure, Namespace
from emulator.resolvers.appsync_util.request import UtilRequest
from emulator.resolvers.appsync_util.values import is_number, java_string

ISO_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"


def _millis(value: Any) -> int:
    if is_number(value):
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    raise HelperFailure(f"Expected epoch milliseconds, got {java_string(value)}")


def _guarded(action: Any) -> Any:
    try:
        return action()
    except JavaTimeError as exc:
        raise HelperFailure(str(exc)) from exc


def iso8601(millis: int) -> str:
    """``2018-02-06T19:01:35.749Z``: UTC, always with milliseconds."""
    return format_datetime(from_epoch_millis(millis), ISO_PATTERN)


def now_iso8601(request: UtilRequest) -> str:
    return iso8601(request.clock())


def now_epoch_seconds(request: UtilRequest) -> int:
    return request.clock() // 1000


def now_epoch_millis(request: UtilRequest) -> int:
    return request.clock()


def now_formatted(request: UtilRequest, pattern: Any, zone_id: Any = "UTC") -> str:
    return _guarded(lambda: format_datetime(from_epoch_millis(request.clock(), zone(java_string(zone_id))), java_string(pattern)))


def parse_formatted_to_epoch_millis(text: Any, pattern: Any, zone_id: Any = None) -> int:
    return _guarded(
        lambda: to_epoch_millis(
            parse_datetime(java_string(text), java_string(pattern), None if zone_id is None else java_string(zone_id))
        )
    )


def parse_iso8601_to_epoch_millis(text: Any) -> int:
    try:
        moment = datetime.fromisoformat(java_string(text))
    except ValueError as exc:
        raise HelperFailure(f"Text '{java_string(text)}' could not be parsed as an ISO 8601 timestamp") from exc
    return to_epoch_millis(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def epoch_millis_to_seconds(millis: Any) -> int:
    return _millis(millis) // 1000


def epoch_millis_to_iso8601(millis: Any) -> str:
    return iso8601(_millis(millis))


def epoch_millis_to_formatted(millis: Any, pattern: Any, zone_id: Any = "UTC") -> str:
    return _guarded(
        lambda: format_datetime(from_epoch_millis(_millis(millis), zone(java_string(zone_id))), java_string(pattern))
    )


TIME = Namespace(
    "time",
    {
        "nowISO8601": Helper(now_iso8601, uses_request=True),
        "nowEpochSeconds": Helper(now_epoch_seconds, uses_request=True),
        "nowEpochMilliSeconds": Helper(now_epoch_millis, uses_request=True),
        "nowFormatted": Helper(now_formatted, uses_request=True),
        "parseFormattedToEpochMilliSeconds": Helper(parse_formatted_to_epoch_millis),
        "parseISO8601ToEpochMilliSeconds": Helper(parse_iso8601_to_epoch_millis),
        "epochMilliSecondsToSeconds": Helper(epoch_millis_to_seconds),
        "epochMilliSecondsToISO8601": Helper(epoch_millis_to_iso8601),
        "epochMilliSecondsToFormatted": Helper(epoch_millis_to_formatted),
    },
)
