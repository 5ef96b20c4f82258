"""AppSync's AWS scalars with AppSync's validation, for graphql-core.

``bind_scalars(schema)`` gives the AWS scalars of a schema built by ``emulator.sdl`` their
coercion: input values (variables and literals) are checked and AWSJSON is parsed, output values
are checked (AppSync refuses to serialize a malformed stored value) and AWSJSON is rendered as a
JSON string.

Failures raise ``ScalarError`` whose ``detail`` is AppSync's own sentence, e.g. ``Unable to
parse `1110004444` as a valid phone number.``; ``appsync_variable_message`` and
``wrong_type_message`` turn graphql-core's wrapping errors into AppSync's full messages
(``Variable 'phone' has an invalid value. …`` / ``Validation error of type WrongType: …``).
Observed texts: DateTime, phone number, JSON; the other nouns follow the same pattern.
"""

from __future__ import annotations

import calendar
import ipaddress
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ariadne import ScalarType
from graphql import GraphQLError, GraphQLScalarType, GraphQLSchema, IntValueNode, StringValueNode, ValueNode

from emulator.java_text import java_literal, java_value

OFFSET = r"(?:Z|[+-](?P<oh>\d{2}):(?P<om>\d{2})(?::(?P<os>\d{2}))?)"
DATE = r"(?P<year>-?\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
TIME = r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d{1,9})?)?"
DATE_RE = re.compile(rf"{DATE}{OFFSET}?")
TIME_RE = re.compile(rf"{TIME}{OFFSET}?")
DATETIME_RE = re.compile(rf"{DATE}T{TIME}{OFFSET}")
EMAIL_RE = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1


class ScalarError(GraphQLError):
    """An AWS scalar value AppSync would refuse; ``detail`` is AppSync's sentence."""

    def __init__(self, detail: str, scalar: str, value: Any, node: ValueNode | None = None) -> None:
        super().__init__(detail, node)
        self.detail = detail
        self.scalar = scalar
        self.value = value
        self.literal = java_literal(node) if node is not None else None


# ---------------------------------------------------------------------------------------------
# Checks: each returns True for values AppSync accepts


def _calendar_date(match: re.Match[str]) -> bool:
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if not 1 <= month <= 12:
        return False
    leap = calendar.isleap(year) if year > 0 else (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
    days = calendar.mdays[month] + (1 if month == 2 and leap else 0)
    return 1 <= day <= days


def _clock(match: re.Match[str]) -> bool:
    second = match["second"]
    return int(match["hour"]) <= 23 and int(match["minute"]) <= 59 and (second is None or int(second) <= 59)


def _offset(match: re.Match[str]) -> bool:
    if match["oh"] is None:
        return True
    seconds = match["os"]
    return int(match["oh"]) <= 18 and int(match["om"]) <= 59 and (seconds is None or int(seconds) <= 59)


def is_date(text: str) -> bool:
    match = DATE_RE.fullmatch(text)
    return bool(match) and _calendar_date(match) and _offset(match)  # type: ignore[arg-type]


def is_time(text: str) -> bool:
    match = TIME_RE.fullmatch(text)
    return bool(match) and _clock(match) and _offset(match)  # type: ignore[arg-type]


def is_datetime(text: str) -> bool:
    match = DATETIME_RE.fullmatch(text)
    return bool(match) and _calendar_date(match) and _clock(match) and _offset(match)  # type: ignore[arg-type]


def is_email(text: str) -> bool:
    return bool(EMAIL_RE.fullmatch(text))


def is_url(text: str) -> bool:
    """RFC 1738 URL: a scheme is required, and the path may not contain ``//``."""
    if not text or any(ch.isspace() for ch in text) or ":" not in text:
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    if not SCHEME_RE.fullmatch(parts.scheme) or "//" in parts.path:
        return False
    rest = text[len(parts.scheme) + 1 :]
    if rest.startswith("//"):
        return bool(parts.netloc)
    return bool(rest)


def is_phone(text: str) -> bool:
    """A phone number, whitespace- or hyphen-delimited; without ``+`` a North American number."""
    if not re.fullmatch(r"\+?[0-9(][0-9 \-().]*[0-9]", text.strip()) or text != text.strip():
        return False
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        if digits.startswith("1"):
            return _nanp(digits[1:])
        return 7 <= len(digits) <= 15 and not digits.startswith("0")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return _nanp(digits)


def _nanp(digits: str) -> bool:
    """North American Numbering Plan: NXX-NXX-XXXX (area code and exchange start with 2-9)."""
    return len(digits) == 10 and digits[0] not in "01" and digits[3] not in "01"


def is_ip_address(text: str) -> bool:
    """IPv4 (dotted quad) or IPv6 (unbracketed), optionally with a CIDR suffix."""
    try:
        if "/" in text:
            ipaddress.ip_network(text, strict=False)
        else:
            ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Scalar definitions


@dataclass(frozen=True)
class StringScalar:
    """An AWS scalar carried as a string and checked by ``check``; ``noun`` names it in errors."""

    name: str
    check: Callable[[str], bool]
    noun: str

    def coerce_input_value(self, value: Any) -> str:
        if isinstance(value, str) and self.check(value):
            return value
        raise ScalarError(f"Unable to parse `{java_value(value)}` as a valid {self.noun}.", self.name, value)

    def coerce_input_literal(self, node: ValueNode) -> str:
        if isinstance(node, StringValueNode) and self.check(node.value):
            return node.value
        shown = node.value if isinstance(node, StringValueNode) else java_literal(node)
        raise ScalarError(f"Unable to parse `{shown}` as a valid {self.noun}.", self.name, shown, node)

    def coerce_output_value(self, value: Any) -> str:
        if isinstance(value, str) and self.check(value):
            return value
        raise ScalarError(f"Unable to serialize `{java_value(value)}` as a valid {self.noun}.", self.name, value)


class TimestampScalar:
    """``AWSTimestamp``: whole seconds since the epoch, a Long."""

    name = "AWSTimestamp"

    def coerce_input_value(self, value: Any) -> int:
        if _is_long(value):
            return int(value)
        raise ScalarError(f"Unable to parse `{java_value(value)}` as a valid timestamp.", self.name, value)

    def coerce_input_literal(self, node: ValueNode) -> int:
        if isinstance(node, IntValueNode) and _is_long(int(node.value)):
            return int(node.value)
        raise ScalarError(f"Unable to parse `{java_literal(node)}` as a valid timestamp.", self.name, None, node)

    def coerce_output_value(self, value: Any) -> int:
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
            value = int(value)
        if _is_long(value):
            return int(value)
        raise ScalarError(f"Unable to serialize `{java_value(value)}` as a valid timestamp.", self.name, value)


def _is_long(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer() and LONG_MIN <= value <= LONG_MAX
    return isinstance(value, int) and LONG_MIN <= value <= LONG_MAX


class JsonScalar:
    """``AWSJSON``: a JSON string on the wire, parsed into maps/lists/scalars for resolvers."""

    name = "AWSJSON"

    def coerce_input_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value, parse_constant=_reject_constant)
            except ValueError:
                pass
        raise ScalarError(f"Unable to parse {java_value(value)} as valid JSON.", self.name, value)

    def coerce_input_literal(self, node: ValueNode) -> Any:
        if isinstance(node, StringValueNode):
            try:
                return json.loads(node.value, parse_constant=_reject_constant)
            except ValueError:
                pass
        shown = node.value if isinstance(node, StringValueNode) else java_literal(node)
        raise ScalarError(f"Unable to parse {shown} as valid JSON.", self.name, shown, node)

    def coerce_output_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value  # already JSON text (e.g. a Lambda result or a string stored by hand)
        try:
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ScalarError(f"Unable to serialize {java_value(value)} as valid JSON.", self.name, value) from exc


def _reject_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


SCALARS: dict[str, Any] = {
    "AWSDate": StringScalar("AWSDate", is_date, "Date Object"),
    "AWSTime": StringScalar("AWSTime", is_time, "Time Object"),
    "AWSDateTime": StringScalar("AWSDateTime", is_datetime, "DateTime Object"),
    "AWSEmail": StringScalar("AWSEmail", is_email, "email address"),
    "AWSURL": StringScalar("AWSURL", is_url, "URL"),
    "AWSPhone": StringScalar("AWSPhone", is_phone, "phone number"),
    "AWSIPAddress": StringScalar("AWSIPAddress", is_ip_address, "IP address"),
    "AWSTimestamp": TimestampScalar(),
    "AWSJSON": JsonScalar(),
}


def scalar_type(name: str) -> GraphQLScalarType:
    """A standalone ``GraphQLScalarType`` for one AWS scalar."""
    behaviour = SCALARS[name]
    return GraphQLScalarType(
        name,
        coerce_output_value=behaviour.coerce_output_value,
        coerce_input_value=behaviour.coerce_input_value,
        coerce_input_literal=behaviour.coerce_input_literal,
    )


class AppSyncScalar(ScalarType):
    """ariadne's ``ScalarType`` bindable with AppSync's coercion of one AWS scalar.

    ariadne binds the output and variable coercers; the literal coercer is graphql-core 3.3's own
    ``coerce_input_literal`` (ariadne only knows the older ``parse_literal``), bound here too so
    literals keep AppSync's messages."""

    def __init__(self, behaviour: Any) -> None:
        super().__init__(behaviour.name, serializer=behaviour.coerce_output_value,
                         value_parser=behaviour.coerce_input_value)
        self._coerce_input_literal = behaviour.coerce_input_literal

    def bind_to_schema(self, schema: GraphQLSchema) -> None:
        super().bind_to_schema(schema)
        scalar = schema.type_map[self.name]
        assert isinstance(scalar, GraphQLScalarType)
        scalar.coerce_input_literal = self._coerce_input_literal


def scalar_bindables(schema: GraphQLSchema) -> list[AppSyncScalar]:
    """One bindable per AWS scalar the schema declares (a schema without them gets none)."""
    return [AppSyncScalar(behaviour) for name, behaviour in SCALARS.items()
            if isinstance(schema.type_map.get(name), GraphQLScalarType)]


def bind_scalars(schema: GraphQLSchema) -> None:
    """Install AppSync's coercion on the AWS scalars a schema declares (others are untouched)."""
    for bindable in scalar_bindables(schema):
        bindable.bind_to_schema(schema)


VARIABLE_MESSAGE = re.compile(r"Variable '\$(?P<name>\w+)' has invalid value(?: at (?P<path>\S+))?: ")


def appsync_variable_message(error: GraphQLError) -> str | None:
    """``Variable 'phone' has an invalid value. Unable to parse …`` for a variable whose AWS
    scalar value failed (AppSync names the innermost input field); ``None`` for other errors."""
    cause = error.original_error
    if not isinstance(cause, ScalarError):
        return None
    match = VARIABLE_MESSAGE.match(error.message)
    if match is None:
        return f"Variable has an invalid value. {cause.detail}"
    names = re.findall(r"\.(\w+)", match["path"] or "")
    return f"Variable '{names[-1] if names else match['name']}' has an invalid value. {cause.detail}"


def wrong_type_message(argument: str, literal: str, type_name: str, field_path: str) -> str:
    """graphql-java's literal check: ``Validation error of type WrongType: argument 'input.email'
    with value 'StringValue{value='x'}' is not a valid 'AWSEmail' @ 'createUser'``."""
    return (
        f"Validation error of type WrongType: argument '{argument}' with value '{literal}'"
        f" is not a valid '{type_name}' @ '{field_path}'"
    )
