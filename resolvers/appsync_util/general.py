"""The general helpers of ``$util``: JSON, encodings, errors, null and type checks, patterns.

Semantics follow AppSync's resolver-util reference (VTL) and its JavaScript twin; where the two
runtimes share a name they share this code.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from emulator.errors import AppSyncError, unauthorized
from emulator.resolvers.appsync_util.java_regex import JavaRegexError, java_pattern
from emulator.resolvers.appsync_util.namespace import HelperFailure
from emulator.resolvers.appsync_util.request import UtilRequest
from emulator.resolvers.appsync_util.values import is_list, is_map, is_number, java_string


def quiet(*_values: Any) -> str:
    """``$util.qr`` / ``$util.quiet``: the argument was evaluated; nothing is rendered."""
    return ""


# --- JSON and encodings ----------------------------------------------------------------------


def parse_json(text: Any) -> Any:
    if text is None:
        return None
    try:
        return json.loads(java_string(text))
    except ValueError as exc:
        raise HelperFailure(f"Unable to parse JSON document: {exc}") from exc


def escape_javascript(text: Any) -> str | None:
    """Apache Commons ``StringEscapeUtils.escapeJavaScript``: quotes, backslash and ``/``
    escaped, control and non-ASCII characters as ``\\uXXXX`` (upper-case hex)."""
    if text is None:
        return None
    out: list[str] = []
    for char in java_string(text):
        code = ord(char)
        if char in "'\"\\/":
            out.append("\\" + char)
        elif char in JS_SHORT_ESCAPES:
            out.append(JS_SHORT_ESCAPES[char])
        elif code < 0x20 or code > 0x7E:
            out.extend(f"\\u{unit:04X}" for unit in _utf16_units(code))
        else:
            out.append(char)
    return "".join(out)


JS_SHORT_ESCAPES = {"\b": "\\b", "\n": "\\n", "\t": "\\t", "\f": "\\f", "\r": "\\r"}


def _utf16_units(code: int) -> list[int]:
    if code < 0x10000:
        return [code]
    code -= 0x10000
    return [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]


def url_encode(text: Any) -> str | None:
    """``URLEncoder.encode(text, "UTF-8")``: form encoding, space as ``+``, ``*`` kept."""
    if text is None:
        return None
    return quote_plus(java_string(text), safe="*").replace("~", "%7E")


def url_decode(text: Any) -> str | None:
    if text is None:
        return None
    try:
        return unquote_plus(java_string(text), errors="strict")
    except UnicodeDecodeError as exc:
        raise HelperFailure(f"URLDecoder: Illegal hex characters or bytes in {java_string(text)!r}") from exc


def base64_encode(text: Any) -> str | None:
    if text is None:
        return None
    data = bytes(text) if isinstance(text, bytes | bytearray) else java_string(text).encode()
    return base64.b64encode(data).decode("ascii")


def base64_decode(text: Any) -> str | None:
    """The decoded bytes, as UTF-8 text (what templates do with them)."""
    if text is None:
        return None
    try:
        return base64.b64decode(java_string(text), validate=False).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError) as exc:
        raise HelperFailure(f"Illegal base64 character: {exc}") from exc


# --- errors ----------------------------------------------------------------------------------


def _error(message: Any, error_type: Any = None, data: Any = None, error_info: Any = None) -> AppSyncError:
    return AppSyncError(
        java_string(message),
        None if error_type is None else java_string(error_type),
        data,
        error_info,
    )


def error(request: UtilRequest, message: Any, error_type: Any = None, data: Any = None, error_info: Any = None) -> None:
    """``util.error``: ends the template (or handler) with this error."""
    raise _error(message, error_type, data, error_info)


def append_error(
    request: UtilRequest, message: Any, error_type: Any = None, data: Any = None, error_info: Any = None
) -> None:
    """``util.appendError``: records the error; evaluation goes on."""
    request.appended_errors.append(_error(message, error_type, data, error_info))


def unauthorized_error(request: UtilRequest) -> None:
    """``util.unauthorized()``: AppSync's ``Not Authorized to access <field> on type <type>``."""
    raise unauthorized(request.field_name, request.parent_type_name)


def validate(
    request: UtilRequest, condition: Any, message: Any, error_type: Any = "CustomTemplateException", data: Any = None
) -> None:
    """``util.validate``: throws ``CustomTemplateException`` (or ``error_type``) when false."""
    if condition is not True:
        raise _error(message, error_type, data)


def auth_type(request: UtilRequest) -> str:
    return request.auth_type


# --- null and emptiness ----------------------------------------------------------------------


def is_null(value: Any) -> bool:
    return value is None


def _is_empty(value: Any) -> bool:
    if isinstance(value, str | list | tuple | dict):
        return len(value) == 0
    return False


def is_null_or_empty(value: Any) -> bool:
    return value is None or _is_empty(value)


def is_null_or_blank(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip() == ""
    return is_null_or_empty(value)


def default_if_null(value: Any, default: Any) -> Any:
    return default if value is None else value


def default_if_null_or_empty(value: Any, default: Any) -> Any:
    return default if is_null_or_empty(value) else value


def default_if_null_or_blank(value: Any, default: Any) -> Any:
    return default if is_null_or_blank(value) else value


# --- types and patterns ----------------------------------------------------------------------


def is_string(value: Any) -> bool:
    return isinstance(value, str)


def is_boolean(value: Any) -> bool:
    return isinstance(value, bool)


def is_number_value(value: Any) -> bool:
    return is_number(value)


def is_list_value(value: Any) -> bool:
    return is_list(value)


def is_map_value(value: Any) -> bool:
    return is_map(value)


def type_of(value: Any) -> str:
    """``Null``, ``Number``, ``String``, ``Map``, ``List``, ``Boolean``, else ``Object``."""
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "Boolean"
    if is_number(value):
        return "Number"
    if isinstance(value, str):
        return "String"
    if is_map(value):
        return "Map"
    if is_list(value):
        return "List"
    return "Object"


def matches(pattern: Any, text: Any) -> bool:
    """``Pattern.matches(pattern, text)``: the whole text must match."""
    if pattern is None or text is None:
        raise HelperFailure("util.matches needs a pattern and a string")
    try:
        return java_pattern(java_string(pattern)).fullmatch(java_string(text)) is not None
    except JavaRegexError as exc:
        raise HelperFailure(str(exc)) from exc


