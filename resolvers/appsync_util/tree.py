"""The whole ``util`` tree under AppSync's names (``$util`` / ``$utils`` in VTL, ``util`` in
APPSYNC_JS)."""

from __future__ import annotations

from emulator.resolvers.appsync_util import general, ids
from emulator.resolvers.appsync_util.collection_helpers import LIST, MAP
from emulator.resolvers.appsync_util.dynamodb_helpers import DYNAMODB
from emulator.resolvers.appsync_util.http_log_helpers import HTTP, LOG
from emulator.resolvers.appsync_util.namespace import Helper, Namespace, helpers
from emulator.resolvers.appsync_util.string_math_helpers import MATH, STR
from emulator.resolvers.appsync_util.time_helpers import TIME
from emulator.resolvers.appsync_util.transform_helpers import TRANSFORM
from emulator.resolvers.appsync_util.values import to_json
from emulator.resolvers.appsync_util.xml_helpers import XML

UTIL = Namespace(
    "util",
    {
        **helpers({"qr": general.quiet, "quiet": general.quiet}, void=True),
        **helpers(
            {
                "toJson": to_json,
                "parseJson": general.parse_json,
                "escapeJavaScript": general.escape_javascript,
                "urlEncode": general.url_encode,
                "urlDecode": general.url_decode,
                "base64Encode": general.base64_encode,
                "base64Decode": general.base64_decode,
                "isNull": general.is_null,
                "isNullOrEmpty": general.is_null_or_empty,
                "isNullOrBlank": general.is_null_or_blank,
                "defaultIfNull": general.default_if_null,
                "defaultIfNullOrEmpty": general.default_if_null_or_empty,
                "defaultIfNullOrBlank": general.default_if_null_or_blank,
                "isString": general.is_string,
                "isNumber": general.is_number_value,
                "isBoolean": general.is_boolean,
                "isList": general.is_list_value,
                "isMap": general.is_map_value,
                "typeOf": general.type_of,
                "matches": general.matches,
            }
        ),
        **helpers(
            {
                "autoId": ids.auto_id,
                "autoUlid": ids.auto_ulid,
                "autoKsuid": ids.auto_ksuid,
                "authType": general.auth_type,
            },
            uses_request=True,
        ),
        **helpers(
            {
                "error": general.error,
                "appendError": general.append_error,
                "unauthorized": general.unauthorized_error,
                "validate": general.validate,
            },
            uses_request=True,
            void=True,
        ),
        "time": TIME,
        "str": STR,
        "math": MATH,
        "list": LIST,
        "map": MAP,
        "dynamodb": DYNAMODB,
        "transform": TRANSFORM,
        "xml": XML,
        "http": HTTP,
        "log": LOG,
    },
)

__all__ = ["UTIL", "Helper", "Namespace"]
