"""``util.time``: AppSync's documented examples (time-helpers-in-util-time), and Java patterns."""

from __future__ import annotations

import pytest

from emulator.resolvers.appsync_util import HelperFailure
from tests.appsync_util_support import at, call

NOW = at(1517943695749)  # 2018-02-06T19:01:35.749Z, the clock of AppSync's examples


def test_now_in_every_form() -> None:
    assert call("time.nowISO8601", request=NOW) == "2018-02-06T19:01:35.749Z"
    assert call("time.nowEpochSeconds", request=NOW) == 1517943695
    assert call("time.nowEpochMilliSeconds", request=NOW) == 1517943695749
    assert call("time.nowFormatted", "yyyy-MM-dd HH:mm:ssZ", request=NOW) == "2018-02-06 19:01:35+0000"
    assert call("time.nowFormatted", "yyyy-MM-dd HH:mm:ssZ", "+08:00", request=NOW) == "2018-02-07 03:01:35+0800"
    assert call("time.nowFormatted", "yyyy-MM-dd HH:mm:ssZ", "Australia/Perth", request=NOW) == "2018-02-07 03:01:35+0800"
    assert call("time.nowISO8601", request=at(1517943695000)) == "2018-02-06T19:01:35.000Z"


def test_conversions() -> None:
    millis = 1517943695758
    assert call("time.epochMilliSecondsToSeconds", millis) == 1517943695
    assert call("time.epochMilliSecondsToISO8601", millis) == "2018-02-06T19:01:35.758Z"
    assert call("time.epochMilliSecondsToFormatted", millis, "yyyy-MM-dd HH:mm:ssZ") == "2018-02-06 19:01:35+0000"
    assert call("time.epochMilliSecondsToFormatted", millis, "yyyy-MM-dd HH:mm:ssZ", "+08:00") == "2018-02-07 03:01:35+0800"


def test_parsing() -> None:
    assert call("time.parseISO8601ToEpochMilliSeconds", "2018-02-01T17:21:05.180+08:00") == 1517476865180
    assert call("time.parseISO8601ToEpochMilliSeconds", "2018-02-01T09:21:05.180Z") == 1517476865180
    assert call("time.parseFormattedToEpochMilliSeconds", "2018-02-02 01:19:22+0800", "yyyy-MM-dd HH:mm:ssZ") == 1517505562000
    assert call("time.parseFormattedToEpochMilliSeconds", "2018-02-02 01:19:22", "yyyy-MM-dd HH:mm:ss", "+08:00") == 1517505562000
    assert call("time.parseFormattedToEpochMilliSeconds", "02/Feb/2018 01:19 PM", "dd/MMM/yyyy hh:mm a") == 1517577540000
    with pytest.raises(HelperFailure, match="could not be parsed"):
        call("time.parseFormattedToEpochMilliSeconds", "2018-02-02", "yyyy-MM-dd HH:mm")


def test_formats_for_the_aws_scalars() -> None:
    """The page's AWSDate / AWSDateTime examples (15:14:15 at -07:00:30)."""
    moment = at(1531347285000)  # 2018-07-11T22:14:45Z
    assert call("time.nowFormatted", "yyyy-MM-dd[XXX]", "-07:00:30", request=moment) == "2018-07-11-07:00"
    assert call("time.nowFormatted", "yyyy-MM-dd'T'HH:mm:ss[XXXXX]", "-07:00:30", request=moment) == "2018-07-11T15:14:15-07:00:30"


@pytest.mark.parametrize(
    "pattern,expected",
    [
        ("EEE, d MMM yyyy HH:mm:ss", "Tue, 6 Feb 2018 19:01:35"),
        ("EEEE MMMM dd yy", "Tuesday February 06 18"),
        ("h:mm a, 'week' w, D", "7:01 PM, week 6, 37"),
        ("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2018-02-06T19:01:35.749Z"),
        ("HH:mm:ss.SSSSSS x z VV", "19:01:35.749000 +00 UTC UTC"),
        ("Q QQQ QQQQ G", "1 Q1 1st quarter AD"),
        ("''yy''", "'18'"),
    ],
)
def test_java_pattern_letters(pattern: str, expected: str) -> None:
    assert call("time.nowFormatted", pattern, request=NOW) == expected


def test_bad_patterns_and_zones_are_errors() -> None:
    for pattern in ("yyyy-bb", "yyyy[MM", "'open"):
        with pytest.raises(HelperFailure):
            call("time.nowFormatted", pattern, request=NOW)
    with pytest.raises(HelperFailure, match="Unknown time-zone ID: Mars/Base"):
        call("time.nowFormatted", "yyyy", "Mars/Base", request=NOW)
