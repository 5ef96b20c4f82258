"""Java ``DateTimeFormatter`` patterns and ``ZoneId`` names on Python's ``datetime``.

``util.time`` takes patterns such as ``yyyy-MM-dd HH:mm:ssZ`` or ``EEE, d MMM yyyy`` and zone ids
such as ``Australia/Perth`` or ``+08:00``. No Python library speaks Java's pattern letters, so
this module compiles a pattern once into items that format and parse (Locale.US texts; week-based
fields follow ISO weeks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
QUARTERS = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"]
LETTERS = set("GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZ")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class JavaTimeError(ValueError):
    """A pattern, zone id or timestamp Java would reject."""


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class Letter:
    letter: str
    count: int


@dataclass(frozen=True)
class Optional:
    items: tuple[Literal | Letter | Optional, ...]


Item = Literal | Letter | Optional


# --- zones -----------------------------------------------------------------------------------

OFFSET_RE = re.compile(r"(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?")


@lru_cache(maxsize=256)
def zone(zone_id: str) -> tzinfo:
    """``ZoneId.of``: ``Z``, ``UTC``, ``GMT``, offsets (``+08:00``, ``-07:00:30``, ``UTC+8``)
    and region ids (``Australia/Perth``)."""
    if zone_id == "Z":
        return UTC
    if zone_id in ("UTC", "GMT", "UT"):
        try:
            return ZoneInfo(zone_id)  # a region id: prints as "UTC" (``VV``), not "Z"
        except (ZoneInfoNotFoundError, ValueError):
            return UTC
    match = OFFSET_RE.fullmatch(zone_id)
    if match:
        sign, hours, minutes, seconds = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0), seconds=int(seconds or 0))
        if delta > timedelta(hours=18):
            raise JavaTimeError(f"Zone offset not in valid range: {zone_id}")
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(zone_id)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise JavaTimeError(f"Unknown time-zone ID: {zone_id}") from exc


# --- patterns --------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> tuple[Item, ...]:
    items, end = _items(pattern, 0, nested=False)
    if end != len(pattern):
        raise JavaTimeError(f"Pattern includes unbalanced ']': {pattern}")
    return items


def _items(pattern: str, index: int, nested: bool) -> tuple[tuple[Item, ...], int]:
    items: list[Item] = []
    while index < len(pattern):
        char = pattern[index]
        if char == "'":
            end = index + 1
            text = []
            while True:
                if end >= len(pattern):
                    raise JavaTimeError(f"Pattern ends with an incomplete string literal: {pattern}")
                if pattern[end] == "'":
                    if end + 1 < len(pattern) and pattern[end + 1] == "'":
                        text.append("'")
                        end += 2
                        continue
                    break
                text.append(pattern[end])
                end += 1
            items.append(Literal("".join(text) if end > index + 1 else "'"))
            index = end + 1
        elif char == "[":
            inner, index = _items(pattern, index + 1, nested=True)
            items.append(Optional(inner))
        elif char == "]":
            if not nested:
                raise JavaTimeError(f"Pattern includes unbalanced ']': {pattern}")
            return tuple(items), index + 1
        elif char in "{}#":
            raise JavaTimeError(f"Pattern includes reserved character: '{char}'")
        elif char.isascii() and char.isalpha():
            if char not in LETTERS:
                raise JavaTimeError(f"Unknown pattern letter: {char}")
            count = 1
            while index + count < len(pattern) and pattern[index + count] == char:
                count += 1
            items.append(Letter(char, count))
            index += count
        else:
            items.append(Literal(char))
            index += 1
    if nested:
        raise JavaTimeError(f"Pattern includes unbalanced '[': {pattern}")
    return tuple(items), index


# --- formatting ------------------------------------------------------------------------------


def format_datetime(moment: datetime, pattern: str) -> str:
    return "".join(_format(item, moment) for item in compile_pattern(pattern))


def _format(item: Item, moment: datetime) -> str:
    if isinstance(item, Literal):
        return item.text
    if isinstance(item, Optional):
        return "".join(_format(inner, moment) for inner in item.items)
    return _format_letter(item.letter, item.count, moment)


def _number(value: int, count: int) -> str:
    return f"{'-' if value < 0 else ''}{abs(value):0{count}d}"


def _text(full: str, count: int) -> str:
    return full[:3] if count <= 3 else full if count == 4 else full[0]


def _format_letter(letter: str, count: int, moment: datetime) -> str:  # noqa: C901 - one table
    hour = moment.hour
    if letter in "uyY":
        year = moment.isocalendar().year if letter == "Y" else moment.year
        return _number(year % 100, 2) if count == 2 else _number(year, count)
    if letter in "ML":
        return _number(moment.month, count) if count <= 2 else _text(MONTHS[moment.month - 1], count)
    if letter == "d":
        return _number(moment.day, count)
    if letter == "D":
        return _number(moment.timetuple().tm_yday, count)
    if letter in "Qq":
        quarter = (moment.month - 1) // 3 + 1
        return _number(quarter, count) if count <= 2 else f"Q{quarter}" if count == 3 else QUARTERS[quarter - 1] if count == 4 else str(quarter)
    if letter == "w":
        return _number(moment.isocalendar().week, count)
    if letter == "W":
        return str((moment.day - 1) // 7 + 1)
    if letter == "F":
        return str((moment.day - 1) // 7 + 1)
    if letter in "Eec":
        if letter != "E" and count <= 2:
            return _number((moment.weekday() + 1) % 7 + 1, count)  # Locale.US: Sunday is 1
        return _text(DAYS[moment.weekday()], count)
    if letter == "G":
        return "AD" if count <= 3 else "Anno Domini" if count == 4 else "A"
    if letter == "a":
        return "AM" if hour < 12 else "PM"
    if letter == "B":
        return "in the morning" if 6 <= hour < 12 else "in the afternoon" if 12 <= hour < 18 else "in the evening" if 18 <= hour < 21 else "at night"
    if letter == "h":
        return _number(hour % 12 or 12, count)
    if letter == "K":
        return _number(hour % 12, count)
    if letter == "k":
        return _number(hour or 24, count)
    if letter == "H":
        return _number(hour, count)
    if letter == "m":
        return _number(moment.minute, count)
    if letter == "s":
        return _number(moment.second, count)
    if letter == "S":
        return f"{moment.microsecond:06d}000"[:count].ljust(count, "0")
    if letter == "A":
        return _number(((hour * 60 + moment.minute) * 60 + moment.second) * 1000 + moment.microsecond // 1000, count)
    if letter == "n":
        return _number(moment.microsecond * 1000, count)
    if letter == "N":
        return _number((((hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond) * 1000, count)
    if letter in "Vv":
        return _zone_id(moment)
    if letter == "z":
        name = moment.tzname() or _zone_id(moment)
        return "Coordinated Universal Time" if count == 4 and name == "UTC" else name
    return _format_offset(letter, count, moment.utcoffset() or timedelta(0))


def _zone_id(moment: datetime) -> str:
    zone_info = moment.tzinfo
    if isinstance(zone_info, ZoneInfo):
        return zone_info.key
    offset = moment.utcoffset() or timedelta(0)
    return "Z" if not offset else _offset_text(offset, colon=True, seconds="optional")


def _offset_text(offset: timedelta, colon: bool, seconds: str, minutes: str = "always") -> str:
    total = int(offset.total_seconds())
    sign = "-" if total < 0 else "+"
    hours, rest = divmod(abs(total), 3600)
    mins, secs = divmod(rest, 60)
    separator = ":" if colon else ""
    text = f"{sign}{hours:02d}"
    if minutes == "always" or mins or secs:
        text += f"{separator}{mins:02d}"
    if seconds == "optional" and secs:
        text += f"{separator}{secs:02d}"
    return text


def _format_offset(letter: str, count: int, offset: timedelta) -> str:
    if letter == "O":
        if not offset:
            return "GMT"
        total = int(offset.total_seconds())
        hours, rest = divmod(abs(total), 3600)
        sign = "-" if total < 0 else "+"
        if count == 1:
            return f"GMT{sign}{hours}" + (f":{rest // 60:02d}" if rest else "")
        return f"GMT{sign}{hours:02d}:{rest // 60:02d}"
    if letter == "Z":
        if count <= 3:
            return _offset_text(offset, colon=False, seconds="never")
        if count == 4:
            return "GMT" if not offset else "GMT" + _offset_text(offset, colon=True, seconds="optional")
        return "Z" if not offset else _offset_text(offset, colon=True, seconds="optional")
    if letter == "X" and not offset:
        return "Z"
    return {
        1: _offset_text(offset, colon=False, seconds="never", minutes="optional"),
        2: _offset_text(offset, colon=False, seconds="never"),
        3: _offset_text(offset, colon=True, seconds="never"),
        4: _offset_text(offset, colon=False, seconds="optional"),
    }.get(count, _offset_text(offset, colon=True, seconds="optional"))


def format_epoch_millis(millis: int, pattern: str, zone_id: str = "UTC") -> str:
    return format_datetime(from_epoch_millis(millis, zone(zone_id)), pattern)


def from_epoch_millis(millis: int, zone_info: tzinfo = UTC) -> datetime:
    return (EPOCH + timedelta(milliseconds=millis)).astimezone(zone_info)


def to_epoch_millis(moment: datetime) -> int:
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


# --- parsing ---------------------------------------------------------------------------------

OFFSET_PARSE = r"Z|GMT|UTC|(?:GMT|UTC)?[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?"
ZONE_PARSE = r"[A-Za-z][A-Za-z_]*(?:/[A-Za-z0-9_+\-]+)*|" + OFFSET_PARSE


def parse_datetime(text: str, pattern: str, default_zone: str | None = None) -> datetime:
    """The instant ``text`` names under ``pattern``; the zone comes from the text, else from
    ``default_zone``, else UTC."""
    regex, groups = _parser(pattern)
    match = regex.fullmatch(text)
    if match is None:
        raise JavaTimeError(f"Text '{text}' could not be parsed with pattern '{pattern}'")
    fields = {groups[name]: value for name, value in match.groupdict().items() if value is not None}
    zone_info: tzinfo = zone(default_zone) if default_zone else UTC
    if "zone" in fields:
        zone_info = zone(fields["zone"])
    hour = int(fields.get("H", 0))
    if "h" in fields:
        hour = int(fields["h"]) % 12 + (12 if fields.get("a", "AM").upper() == "PM" else 0)
    fraction = fields.get("S", "0")
    try:
        moment = datetime(
            int(fields.get("y", 1970)), _month(fields.get("M", "1")), int(fields.get("d", 1)),
            hour, int(fields.get("m", 0)), int(fields.get("s", 0)),
            int(fraction.ljust(6, "0")[:6]), tzinfo=zone_info,
        )
    except ValueError as exc:
        raise JavaTimeError(f"Text '{text}' could not be parsed: {exc}") from exc
    return moment


def _month(value: str) -> int:
    if value.isdigit():
        return int(value)
    for index, name in enumerate(MONTHS):
        if name.lower().startswith(value.lower()):
            return index + 1
    raise JavaTimeError(f"Unknown month: {value}")


@lru_cache(maxsize=256)
def _parser(pattern: str) -> tuple[re.Pattern[str], dict[str, str]]:
    groups: dict[str, str] = {}
    source = "".join(_parse_item(item, groups) for item in compile_pattern(pattern))
    return re.compile(source), groups


def _parse_item(item: Item, groups: dict[str, str]) -> str:
    if isinstance(item, Literal):
        return re.escape(item.text)
    if isinstance(item, Optional):
        return "(?:" + "".join(_parse_item(inner, groups) for inner in item.items) + ")?"
    letter, count = item.letter, item.count
    name = f"g{len(groups)}"
    if letter in "uy":
        groups[name] = "y"
        body = r"\d{2}" if count == 2 else rf"[+-]?\d{{{max(count, 1)},9}}"
    elif letter in "ML":
        groups[name] = "M"
        body = r"\d{1,2}" if count == 1 else r"\d{2}" if count == 2 else r"[A-Za-z]+"
    elif letter in "dHhKkms":
        groups[name] = {"K": "h", "k": "H"}.get(letter, letter)
        body = r"\d{1,2}" if count == 1 else rf"\d{{{count}}}"
    elif letter == "S":
        groups[name] = "S"
        body = rf"\d{{{count}}}"
    elif letter == "a":
        groups[name] = "a"
        body = r"AM|PM|am|pm"
    elif letter in "Eec":
        groups[name] = "E"
        body = r"[A-Za-z]+" if letter == "E" or count > 2 else r"\d"
    elif letter in "XxZO":
        groups[name] = "zone"
        body = OFFSET_PARSE
    elif letter in "Vvz":
        groups[name] = "zone"
        body = ZONE_PARSE
    else:
        groups[name] = letter
        body = r"\d+|[A-Za-z]+"
    return f"(?P<{name}>{body})"
