"""How each field of a searchable model is indexed: OpenSearch's dynamic mapping, decided by type.

Amplify never writes an index mapping: OpenSearch maps each field from the first value it sees.
For a model's items that means, by GraphQL type:

* ``Int``, ``AWSTimestamp``: ``long``; ``Float``: ``double``; ``Boolean``: ``boolean``;
* ``AWSDate``, ``AWSDateTime``: ``date`` (ISO strings are date-detected), stored as epoch millis,
  with no ``.keyword`` sub-field (so an ``eq`` on them, which Amplify sends to ``.keyword``,
  matches nothing, as in the cloud);
* everything else (``String``, ``ID``, enums, ``AWSEmail``, ``AWSJSON``...): ``text`` analysed by
  the standard analyzer, plus ``.keyword`` holding the exact string when it is at most 256
  characters long (``ignore_above``).

Lists index every element. ``IndexedField`` is one field of one item, ready for the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from emulator.apimodel import ModelSpec
from emulator.resolvers.search.analysis import analyze

FieldKind = Literal["text", "long", "double", "boolean", "date"]
KEYWORD_IGNORE_ABOVE = 256

_KINDS: dict[str, FieldKind] = {
    "Int": "long", "BigInt": "long", "AWSTimestamp": "long", "Float": "double", "Double": "double",
    "Boolean": "boolean", "AWSDate": "date", "AWSDateTime": "date",
}
#: The types Amplify's request template sorts and aggregates on without ``.keyword``.
NON_KEYWORD_TYPES = frozenset({"Int", "Float", "Boolean", "AWSTimestamp", "AWSDate", "AWSDateTime"})


class BadValue(ValueError):
    """A query value the field cannot take (OpenSearch answers 400 for it)."""


def field_kinds(model: ModelSpec) -> dict[str, FieldKind]:
    """The indexed scalar and enum fields of a model, with their mapping."""
    return {name: _KINDS.get(spec.type_name, "text") for name, spec in model.fields.items() if spec.is_scalar}


def keyword_fields(model: ModelSpec) -> frozenset[str]:
    """Fields Amplify's template sorts and aggregates on as ``<field>.keyword``."""
    return frozenset(name for name, spec in model.fields.items() if spec.type_name not in NON_KEYWORD_TYPES)


@dataclass(frozen=True)
class IndexedField:
    """One field of one document: the values as doc values, and for text the analysed elements."""

    values: tuple[Any, ...]  # keyword strings (text), numbers (long/double/date), 0/1 (boolean)
    tokens: tuple[tuple[str, ...], ...] = ()  # text: the tokens of each element, in order
    exists: bool = False


_MISSING = IndexedField(())


def index_field(kind: FieldKind, raw: Any) -> IndexedField:
    """The indexed form of a stored value; values the mapping cannot take are left out (OpenSearch
    would refuse the whole document; here the rest of the item stays searchable)."""
    if kind == "text" and isinstance(raw, str):
        return IndexedField((raw,) if len(raw) <= KEYWORD_IGNORE_ABOVE else (), (analyze(raw),), True)
    if raw is None:
        return _MISSING
    elements = [e for e in (raw if isinstance(raw, list | tuple | set | frozenset) else [raw]) if e is not None]
    if kind == "text":
        strings = [e if isinstance(e, str) else _text(e) for e in elements]
        strings = [s for s in strings if s is not None]
        keywords = tuple(s for s in strings if len(s) <= KEYWORD_IGNORE_ABOVE)
        return IndexedField(keywords, tuple(analyze(s) for s in strings), bool(strings))
    values = []
    for element in elements:
        try:
            value = field_value(kind, element)
        except BadValue:
            continue
        values.append(int(value) if kind == "long" else value)  # a long field keeps the integer part
    return IndexedField(tuple(values), (), bool(values))


def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return None


def field_value(kind: FieldKind, value: Any, round_up: bool = False) -> Any:
    """A value as the field's doc values hold it (a query value or a stored one); ``BadValue`` when
    the field cannot take it. ``round_up``: a partial date bound means its last millisecond."""
    if kind == "text":
        return value if isinstance(value, str) else _text(value)
    if kind == "boolean":
        return _boolean(value)
    if kind == "date":
        return date_millis(value, round_up)
    return _number(value)


def _boolean(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if value in ("true", "false"):
        return int(value == "true")
    raise BadValue(f"Can't parse boolean value [{value}], expected [true] or [false]")


def _number(value: Any) -> float | int:
    if isinstance(value, bool):
        raise BadValue(f"For input string: \"{str(value).lower()}\"")
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value))
    except ValueError as exc:
        raise BadValue(f"For input string: \"{value}\"") from exc
    return int(number) if number.is_integer() and "." not in str(value) else number


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?"
                   r"(Z|[+-]\d{2}(?::?\d{2})?)?$")  # AWSDate may carry a zone too: 2024-01-01Z


@lru_cache(maxsize=4096)
def _cached_date_millis(text: str, round_up: bool) -> int:
    return _date_millis(text, round_up)


def date_millis(value: Any, round_up: bool = False) -> int:
    if isinstance(value, str):
        return _cached_date_millis(value, round_up)
    return _date_millis(value, round_up)


def _date_millis(value: Any, round_up: bool = False) -> int:
    """``strict_date_optional_time||epoch_millis``: an ISO date or date-time, or epoch millis.

    Missing components are the first instant (or, with ``round_up``, the last millisecond) of the
    period the value names, as OpenSearch fills them in for ``gt``/``lte`` range bounds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    text = str(value)
    if re.fullmatch(r"-?\d{5,}", text):
        return int(text)
    match = _DATE.match(text)
    if match is None:
        raise BadValue(f"failed to parse date field [{text}] with format [strict_date_optional_time||epoch_millis]")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        start = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                         int(second or 0), int((fraction or "0")[:6].ljust(6, "0")), tzinfo=UTC)
    except ValueError as exc:
        raise BadValue(f"failed to parse date field [{text}] with format [strict_date_optional_time]") from exc
    start -= _offset(zone)
    millis = _epoch_millis(start)
    if round_up:
        millis = _epoch_millis(_period_end(start, month, day, hour, minute, second, fraction)) - 1
    return millis


def _offset(zone: str | None) -> timedelta:
    if not zone or zone == "Z":
        return timedelta(0)
    digits = zone[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return delta if zone[0] == "+" else -delta


def _period_end(start: datetime, month: str | None, day: str | None, hour: str | None, minute: str | None,
                second: str | None, fraction: str | None) -> datetime:
    if fraction is not None or second is not None:
        return start + timedelta(milliseconds=1) if fraction is not None else start + timedelta(seconds=1)
    if minute is not None:
        return start + timedelta(minutes=1)
    if hour is not None:
        return start + timedelta(hours=1)
    if day is not None:
        return start + timedelta(days=1)
    if month is not None:
        return start.replace(year=start.year + (start.month == 12), month=start.month % 12 + 1)
    return start.replace(year=start.year + 1)


def _epoch_millis(moment: datetime) -> int:
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000
